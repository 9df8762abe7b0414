"""Lesson 05 (economics): the two explorations, the lesson's computations and charts, the data
files it ships and the quiz bank. (The exercise checks are tested for every lesson by
tests/test_exercise_scaffolds.py, driven by the exercise specs.)"""
from __future__ import annotations

import re

import pytest

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l05

SOLUTION_MD = paths.CONTENT / "solutions" / "05_economics.md"
LESSON_MD = paths.CONTENT / "lessons" / "05_economics.md"
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)


pytestmark = pytest.mark.usefixtures("no_recording")  # from tests/conftest.py


@pytest.fixture(autouse=True)
def agg_backend():
    import matplotlib
    matplotlib.use("Agg")


# ----------------------------------------------------------------------------- explorations
def test_headline_explorer_moves_with_both_controls():
    ex = l05.headline_explorer()
    assert ex.control.value == (2030, 2017)
    assert ex.result["usd_bn"] == pytest.approx(1000 / 6.7569)
    assert "148.0 billion US dollars" in ex.readout.value

    ex.control.value = (2030, 2021)  # move the exchange-rate year
    assert ex.result["usd_bn"] == pytest.approx(1000 / 6.4508)
    assert ex.control.rate_year.value == 2021  # the slider follows the control's value
    assert "155.0" in ex.readout.value

    ex.control.target.value = 2025  # move the target-year slider itself
    assert ex.control.value == (2025, 2021)
    assert ex.result["usd_bn"] == pytest.approx(400 / 6.4508)
    assert ex.result["low_year"] == 2023 and ex.result["high_year"] == 2021


def test_growth_explorer_moves_with_its_slider():
    ex = l05.growth_explorer()
    assert ex.control.value == pytest.approx(1.2)
    assert ex.result["compound_pct"] == pytest.approx(15.39, abs=0.01)
    assert ex.result["stated_pct"] == 16
    before = ex.result["compound_pct"]

    ex.control.value = 2.0
    assert ex.result["compound_pct"] != before
    assert ex.result["compound_pct"] == pytest.approx((1.02 ** 12 - 1) * 100)
    assert ex.result["linear_pct"] == pytest.approx(24.0)
    assert "2.0% a year" in ex.readout.value
    assert ex.result["rate_for_stated_pct"] == pytest.approx(1.245, abs=0.001)


def test_explorations_render_charts_with_figures_in_their_alt_text():
    import matplotlib.pyplot as plt

    for render, result in ((l05._headline_render, l05.headline_result(2030, 2023)),
                           (l05._growth_render, l05.growth_result(1.2))):
        fig, alt, data = render(result)
        assert re.search(r"\d", alt) and data
        plt.close(fig)
    fig, alt, _ = l05._headline_render(l05.headline_result(2030, 2023))
    assert "141.2" in alt
    plt.close(fig)


# ----------------------------------------------------------------------------- computations and data
def test_arithmetic_helpers():
    assert l05.to_usd_bn(1000, 6.7569) == pytest.approx(147.997, abs=0.001)
    assert l05.cagr_pct(150, 400, 5) == pytest.approx(21.67, abs=0.01)
    assert l05.cagr_pct(400, 1000, 5) == pytest.approx(20.11, abs=0.01)
    assert l05.compound_pct(1.2, 12) == pytest.approx(15.39, abs=0.01)
    assert l05.rate_for_total_pct(l05.compound_pct(1.3, 7), 7) == pytest.approx(1.3)


def test_target_path_passes_through_the_targets():
    for year, value in l05.core_targets().items():
        assert l05.target_path(year) == pytest.approx(value)
    assert l05.target_path(2022) == pytest.approx(222, abs=1)
    assert l05.target_path(2024) == pytest.approx(329, abs=1)
    with pytest.raises(ValueError):
        l05.target_path(2031)


def test_rate_table_is_sourced_and_sane():
    ds = content.load_dataset("economics_rmb_usd_rates")
    assert sorted(l05.rates()) == list(range(2017, 2024))
    assert all(6 < v < 8 for v in l05.rates().values())
    assert set(ds.source_ids()) == {"X0501", "X0502"}
    # Only the 2018 and 2021 averages turn 1 trillion yuan into more than 150 billion dollars.
    over = [y for y, r in l05.rates().items() if l05.to_usd_bn(1000, r) > l05.ARTICLE_USD_BN]
    assert over == [2018, 2021]


def test_mgi_table_matches_the_cited_figures():
    m = l05.mgi()
    assert m["additional_global_output_2030"] == 13
    assert m["cumulative_output_uplift_2030"] == 16
    assert m["annual_gdp_growth_contribution"] == 1.2


def test_charts_have_alt_text_with_figures_and_data():
    import matplotlib.pyplot as plt

    for make in (l05.targets_figure, l05.russia_figure, l05.indicators_figure):
        fig, alt, data = make()
        assert re.search(r"\d", alt) and data, make.__name__
        plt.close(fig)
    _, alt, rows = l05.russia_figure()
    assert {r["kind"] for r in rows} == {"budget", "baseline", "estimate", "target", "forecast"}
    _, alt, rows = l05.indicators_figure()
    assert "Russia" in alt and any(r["place"] == "Russia" for r in rows)


def test_russia_budget_is_under_one_percent_of_the_market():
    rows = {r["figure"]: r["billion rubles"] for r in l05.russia_rows()}
    assert rows["Federal AI budget, 2024"] / rows["AI market, 2022"] < 0.01


def test_claim_table_lists_only_judged_lesson_05_claims():
    table = l05.claim_table("05")
    assert [c.id for c in table.claims] == ["C07", "C10", "C11", "C14", "C18", "C19", "C20", "C21"]
    assert all(c.verdict != "pending" for c in table.claims)
    assert table._repr_html_().count("<tr>") == len(table.claims) + 1  # and the header row


# ----------------------------------------------------------------------------- the quiz bank


def test_quiz_data_items_agree_with_the_data():
    bank, _ = quizbank.read_bank(paths.QUIZZES / "05_economics.toml")
    assert bank.question("q2").answer == pytest.approx(l05.to_usd_bn(1000, l05.rates()[2017]), abs=0.05)
    m = l05.mgi()
    years = l05.MGI_END - l05.MGI_START
    assert bank.question("q3").answer == pytest.approx(
        l05.compound_pct(m["annual_gdp_growth_contribution"], years), abs=0.01)


def test_lesson_and_banks_use_no_dollar_pairs():
    """JupyterLab typesets text between two '$' signs as maths (jupyterlab/jupyterlab#8645), so
    no Markdown cell, quiz bank or ledger table of this lesson may hold two of them."""
    for path in (LESSON_MD, SOLUTION_MD):
        for markdown_cell in _CELL.split(path.read_text(encoding="utf-8"))[::2]:
            assert markdown_cell.count("$") <= 1, markdown_cell[:120]
    bank = (paths.QUIZZES / "05_economics.toml").read_text(encoding="utf-8")
    assert bank.count("$") <= 1
    for cell in re.findall(r"<td>(.*?)</td>", l05.claim_table("05")._repr_html_()):
        assert cell.count("$") <= 1, cell[:80]
