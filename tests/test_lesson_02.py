"""Lesson 02 (sanctions): the timeline explorer, the lesson's computations and charts, and the quiz
bank's data items. (The exercise checks are tested for every lesson by
tests/test_exercise_scaffolds.py, driven by the exercise specs.)"""
from __future__ import annotations

import re

import pytest

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit import calc
from coursekit.lessons import l02


pytestmark = pytest.mark.usefixtures("no_recording")  # from tests/conftest.py


@pytest.fixture(scope="module")
def shares():
    return content.load_dataset(l02.SHARES)


@pytest.fixture(scope="module")
def timeline():
    return content.load_dataset(l02.TIMELINE)


# ----------------------------------------------------------------------------- the exploration
def test_explorer_controls_change_the_computed_selection():
    ex = l02.timeline_explorer()
    everything = ex.result["count"]
    assert everything == len(content.load_dataset(l02.TIMELINE))

    ex.control.value = "European Union"
    eu = ex.result["count"]
    assert 0 < eu < everything
    assert {e["group"] for e in ex.result["events"]} == {"European Union"}
    assert "European Union" in ex.readout.value

    ex.kind_control.value = "anti-circumvention"
    eu_anti = ex.result["count"]
    assert 0 < eu_anti < eu
    assert {e["kind"] for e in ex.result["events"]} == {"anti-circumvention"}
    assert ex.result["before_2022"] == 0  # anti-circumvention measures all date from 2023 on

    ex.control.value = "Taiwan (TSMC)"
    assert ex.result["count"] == 0
    assert "No measures match" in ex.readout.value

    ex.kind_control.value = l02.ALL
    assert ex.result["count"] == 1 and ex.result["events"][0]["kind"] == "company action"


def test_explorer_lists_every_event_with_links_to_its_sources():
    evts = l02.events()
    sources = content.load_sources()
    page = l02.events_html(evts, sources)
    assert page.count("<li>") == len(evts)
    for e in evts:
        for sid in e["source_ids"]:
            assert f'href="{sources[sid].url}"'.replace("&", "&amp;") in page, sid


def test_every_timeline_event_is_classified(timeline):
    evts = l02.events(timeline)
    assert len(evts) == len(timeline)
    assert {e["kind"] for e in evts} == set(l02.kinds(timeline)), "every kind is used, and no other"
    assert {e["group"] for e in evts} == set(l02.ACTOR_GROUPS)


def test_events_are_in_date_order_and_2014_is_before_2022():
    evts = l02.events()
    xs = [e["x"] for e in evts]
    assert xs == sorted(xs)
    assert sum(1 for e in evts if e["date"].startswith("2014")) == 2
    month_only = next(e for e in evts if len(e["date"]) == 7)
    assert month_only["x"] == calc.decimal_year(month_only["date"] + "-15")  # placed mid-month


# ----------------------------------------------------------------------------- computations
def test_share_rows_are_distinct_measures_from_the_data(shares):
    rows = l02.share_rows(shares)
    compared = shares.filter(compared_as="share").rows
    assert [r["label"] for r in rows] == [r["label"] for r in compared]
    for row, r in zip(rows, compared):
        if r["unit"] == "USD m":  # computed from the matching total
            total = shares.value(period=r["period"], indicator=r["indicator"].replace("_from_china", "_total"))
            assert row["share_pct"] == round(r["value"] / total * 100, 1)
        else:
            assert row["share_pct"] == r["value"]
    # Each row is a different measure: no two share goods, year and estimator.
    keys = {(r["goods"], r["year"], r["estimated_by"]) for r in rows}
    assert len(keys) == len(rows)


def test_growth_rows_from_the_data(shares):
    rows = l02.growth_rows(shares)
    assert len(rows) == 2
    for row in rows:
        indicator = shares.one(label=row["series"])["indicator"]
        old = shares.one(indicator=indicator, period=row["year_old"])
        new = shares.one(indicator=indicator, period=row["year_new"])
        assert row["growth_pct"] == round((new["value"] - old["value"]) / old["value"] * 100, 1)
        assert row["qualifier_new"] == new["qualifier"]


def test_charts_have_alt_text_with_figures_and_no_joining_line(shares):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for make, arg in ((l02.timeline_figure, l02.events()), (l02.shares_figure, l02.share_rows(shares)),
                      (l02.growth_figure, l02.growth_rows(shares))):
        fig, alt, data = make(arg)
        assert re.search(r"\d", alt) and data
        if make is l02.shares_figure:
            # the different measures must not be drawn as one series
            assert all(len(line.get_xdata()) < 2 for line in fig.axes[0].lines)
            assert "not a trend" in alt
        plt.close(fig)


def test_timeline_alt_counts_the_selection():
    evts = l02.filter_events(l02.events(), "United States", "financial and listing sanctions")
    alt = l02.timeline_alt(evts, "United States", "financial and listing sanctions")
    assert f"Timeline of {len(evts)} " in alt
    assert "0 measures shown" in l02.timeline_alt([], "G7 and partners", "company action")


# ----------------------------------------------------------------------------- the quiz bank


def test_quiz_data_items_agree_with_the_data(shares):
    bank, _ = quizbank.read_bank(paths.QUIZZES / "02_sanctions.toml")
    q3, q5 = bank.question("q3"), bank.question("q5")
    old = shares.value(period="2021", indicator="russia_semiconductor_imports_from_china")
    new = shares.value(period="2022", indicator="russia_semiconductor_imports_from_china")
    assert q3.answer == pytest.approx(calc.growth_pct(old, new))
    part = shares.value(period="2020", indicator="russia_ic_imports_from_china")
    whole = shares.value(period="2020", indicator="russia_ic_imports_total")
    assert q5.answer == pytest.approx(round(calc.share_pct(part, whole), 1))


def test_explorer_shows_and_redraws_without_a_kernel(capsys):
    import matplotlib
    matplotlib.use("Agg")

    ex = l02.timeline_explorer()
    assert ex.as_of == content.load_dataset(l02.TIMELINE).as_of
    ex.show()
    ex.kind_control.value = "diplomatic statement"
    assert ex.result["count"] == 1 and ex.result["events"][0]["actor"] == "G7"
    out = capsys.readouterr().out
    assert "events listed with their sources" in out
