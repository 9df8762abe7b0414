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
    targets, rates = l05.core_targets(), l05.rates()
    last, first_rate = max(targets), min(rates)
    assert ex.control.value == (last, first_rate)
    assert ex.result["usd_bn"] == pytest.approx(targets[last] / rates[first_rate])
    assert f"{targets[last] / rates[first_rate]:,.1f} billion US dollars" in ex.readout.value

    other = max(rates)  # move the exchange-rate year
    ex.control.value = (last, other)
    assert ex.result["usd_bn"] == pytest.approx(targets[last] / rates[other])
    assert ex.control.rate_year.value == other  # the slider follows the control's value
    assert f"{targets[last] / rates[other]:,.1f}" in ex.readout.value

    middle = sorted(targets)[1]
    ex.control.target.value = middle  # move the target-year slider itself
    assert ex.control.value == (middle, other)
    assert ex.result["usd_bn"] == pytest.approx(targets[middle] / rates[other])
    assert ex.result["low_year"] == max(rates, key=rates.get)  # the most yuan to the dollar
    assert ex.result["high_year"] == min(rates, key=rates.get)


def test_growth_explorer_moves_with_its_slider():
    ex = l05.growth_explorer()
    m = l05.mgi()
    years = m["simulation_horizon_year"] - m["simulation_base_year"]
    assert ex.control.value == pytest.approx(m["annual_gdp_growth_contribution"])
    assert ex.result["years"] == years
    assert ex.result["compound_pct"] == pytest.approx(((1 + ex.control.value / 100) ** years - 1) * 100)
    assert ex.result["stated_pct"] == m["cumulative_output_uplift_2030"]
    before = ex.result["compound_pct"]

    ex.control.value = 2.0
    assert ex.result["compound_pct"] != before
    assert ex.result["compound_pct"] == pytest.approx((1.02 ** years - 1) * 100)
    assert ex.result["linear_pct"] == pytest.approx(2.0 * years)
    assert "2.0% a year" in ex.readout.value
    stated = (1 + ex.result["rate_for_stated_pct"] / 100) ** years
    assert stated == pytest.approx(1 + m["cumulative_output_uplift_2030"] / 100)


def test_explorations_render_charts_with_figures_in_their_alt_text():
    import matplotlib.pyplot as plt

    for render, result in ((l05._headline_render, l05.headline_result(2030, 2023)),
                           (l05._growth_render, l05.growth_result(1.2))):
        fig, alt, data = render(result)
        assert re.search(r"\d", alt) and data
        plt.close(fig)
    last, rates = max(l05.core_targets()), l05.rates()
    fig, alt, _ = l05._headline_render(l05.headline_result(last, max(rates)))
    assert f"{l05.core_targets()[last] / rates[max(rates)]:,.1f} billion dollars" in alt
    plt.close(fig)


# ----------------------------------------------------------------------------- computations and data
def test_target_path_passes_through_the_targets():
    for year, value in l05.core_targets().items():
        assert l05.target_path(year) == pytest.approx(value)
    targets = l05.core_targets()
    years = sorted(targets)
    a, b = years[0], years[1]
    middle = (a + b) / 2  # halfway in time is the geometric mean of the two targets
    assert l05.target_path(middle) == pytest.approx((targets[a] * targets[b]) ** 0.5)
    with pytest.raises(ValueError):
        l05.target_path(years[-1] + 1)


def test_rate_table_is_sourced_and_sane():
    ds = content.load_dataset("economics_rmb_usd_rates")
    years = sorted(l05.rates())
    assert years == list(range(years[0], years[-1] + 1))  # one rate a year, none missing
    assert all(6 < v < 8 for v in l05.rates().values())
    assert set(ds.source_ids()) == {"X0501", "X0502"}
    assert l05.article_usd_bn() == 150  # read from the article's words in claim C11


def test_mgi_figures_agree_with_each_other():
    m = l05.mgi()
    years = m["simulation_horizon_year"] - m["simulation_base_year"]
    # the stated yearly rate compounds to about the stated total
    assert ((1 + m["annual_gdp_growth_contribution"] / 100) ** years - 1) * 100 == pytest.approx(
        m["cumulative_output_uplift_2030"], abs=1)


def test_charts_have_alt_text_with_figures_and_data():
    import matplotlib.pyplot as plt

    for make in (l05.targets_figure, l05.russia_figure, l05.indicators_figure):
        fig, alt, data, sources = make()
        assert re.search(r"\d", alt) and data and sources, make.__name__
        assert set(sources) <= set(content.load_sources())
        plt.close(fig)
    fig, alt, rows, _ = l05.russia_figure()
    plt.close(fig)
    assert {r["kind"] for r in rows} == {"budget", "baseline", "estimate", "target", "forecast"}
    assert [r["billion rubles"] for r in rows] == sorted(r["billion rubles"] for r in rows)
    fig, alt, rows, _ = l05.indicators_figure()
    plt.close(fig)
    assert "Russia" in alt and any(r["place"] == "Russia" for r in rows)
    patents = content.load_dataset("genai_patents").value(period="2014-2023", location="China")
    assert f"{patents:,.0f} generative-AI patent families" in alt


def test_russia_budget_is_under_one_percent_of_the_market():
    rows = {r["figure"]: r["billion rubles"] for r in l05.russia_rows()}
    assert rows["Federal AI budget, 2024"] / rows["AI market, 2022"] < 0.01


def test_claims_table_lists_only_judged_lesson_05_claims():
    from coursekit.display.tables import claims_table

    table = claims_table(lesson="05")
    assert [c.id for c in table.claims] == sorted(c.id for c in content.load_claims().values()
                                                  if c.lesson == "05")
    assert all(c.verdict != "pending" for c in table.claims)
    assert table._repr_html_().count("<tr>") == len(table.claims) + 1  # and the header row


# ----------------------------------------------------------------------------- the quiz bank


def test_quiz_data_items_agree_with_the_data():
    bank, _ = quizbank.read_bank(paths.QUIZZES / "05_economics.toml")
    from coursekit import calc

    assert bank.question("q2").answer == pytest.approx(
        calc.to_usd(max(l05.core_targets().values()), l05.rates()[min(l05.rates())]), abs=0.05)
    m = l05.mgi()
    years = m["simulation_horizon_year"] - m["simulation_base_year"]
    assert bank.question("q3").answer == pytest.approx(
        calc.compound_pct(m["annual_gdp_growth_contribution"], years), abs=0.01)


def test_lesson_and_banks_use_no_dollar_pairs():
    """JupyterLab typesets text between two '$' signs as maths (jupyterlab/jupyterlab#8645), so
    no Markdown cell, quiz bank or ledger table of this lesson may hold two of them."""
    for path in (LESSON_MD, SOLUTION_MD):
        for markdown_cell in _CELL.split(path.read_text(encoding="utf-8"))[::2]:
            assert markdown_cell.count("$") <= 1, markdown_cell[:120]
    bank = (paths.QUIZZES / "05_economics.toml").read_text(encoding="utf-8")
    assert bank.count("$") <= 1
    # the ledger table's reasons hold amounts in dollars: MathJax must leave the whole table alone
    from coursekit.display.charts import NO_MATH
    from coursekit.display.tables import claims_table
    assert claims_table(lesson="05")._repr_html_().startswith(f'<div class="{NO_MATH}">')
