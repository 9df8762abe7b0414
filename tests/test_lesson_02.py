"""Lesson 02 (sanctions): the timeline explorer, the lesson's computations and charts, the quiz
bank's data items, and every exercise check against its solution, the placeholder and known
wrong answers."""
from __future__ import annotations

import ast
import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit import calc
from coursekit.lessons import l02

SOLUTION_MD = paths.CONTENT / "solutions" / "02_sanctions.md"


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


# ----------------------------------------------------------------------------- the exercises
def _inline_solutions() -> dict[str, str]:
    """`name = expression  # SOLUTION` lines of the exercise set's source, by variable name."""
    found = {}
    for line in SOLUTION_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\w+) = (.+?)\s*#\s*SOLUTION\s*$", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def _free_text(name: str) -> str:
    """The model text between the solution markers of `name = text_answer(...)`."""
    text = SOLUTION_MD.read_text(encoding="utf-8")
    found = re.search(rf'^{name} = text_answer\("""\n# BEGIN SOLUTION\n(.*?)\n# END SOLUTION\n"""\)',
                      text, re.S | re.M)
    return found.group(1)


def _solutions(shares, timeline) -> dict[str, object]:
    """Each exercise's answer, computed from the shipped data where the exercise computes."""
    old = shares.value(period="2021", indicator="russia_semiconductor_imports_from_china")
    new = shares.value(period="2022", indicator="russia_semiconductor_imports_from_china")
    part = shares.value(period="2020", indicator="russia_ic_imports_from_china")
    whole = shares.value(period="2020", indicator="russia_ic_imports_total")
    letters = {"A": ("2022-02-24", "US (BIS)"), "B": ("2023-06-23", "EU"), "C": ("2014-07-31", "EU"),
               "D": ("2024-02-23", "US, EU, UK and Japan"), "E": ("2025-05-13", "US (BIS)")}
    rows = {(r["date"], r["actor"]) for r in timeline.rows}
    assert set(letters.values()) <= rows
    inline = _inline_solutions()
    return {
        "02.1": (new - old) / old * 100,
        "02.2": sorted(letters, key=lambda k: letters[k][0]),
        "02.3": dict(zip(["F1", "F2", "F3", "F4"], ast.literal_eval(inline["my_verdicts"]))),
        "02.4": ast.literal_eval(inline["relay_errors"]),
        "02.5": round(part / whole * 100, 1),
        "02.6": _free_text("verdict_text"),
    }


def test_the_source_has_one_solution_per_exercise():
    specs = {k: v for k, v in checks.load_specs()[0].items() if k.startswith("02.")}
    assert sorted(specs) == ["02.1", "02.2", "02.3", "02.4", "02.5", "02.6"]
    inline = _inline_solutions()
    written = {ex.variable for ex in specs.values()} - {"verdicts", "verdict_text"}
    assert written <= set(inline)  # 02.3's values are a list paired with F1-F4; 02.6 is free text
    assert "my_verdicts" in inline and _free_text("verdict_text")
    assert ast.literal_eval(inline["event_order"]) == ["C", "A", "B", "D", "E"]


@pytest.mark.parametrize("exercise_id", ["02.1", "02.2", "02.3", "02.4", "02.5", "02.6"])
def test_solution_is_correct(exercise_id, shares, timeline):
    result = checks.check(exercise_id, _solutions(shares, timeline)[exercise_id])
    if exercise_id == "02.6":  # free text: saved and compared with the rubric, never judged
        assert result.status == "submitted" and str(result).startswith("Saved (")
    else:
        assert str(result) == "correct"


@pytest.mark.parametrize("exercise_id", ["02.1", "02.2", "02.3", "02.4", "02.5", "02.6"])
def test_placeholder_is_not_attempted(exercise_id, no_recording):
    assert str(checks.check(exercise_id, ...)) == "not attempted yet"
    assert no_recording == []


@pytest.mark.parametrize("exercise_id, wrong, hint", [
    ("02.1", 2.5, "how many times bigger"),
    ("02.1", 300, "change in millions of dollars"),
    ("02.1", 60, "divided the change by the 2022 value"),
    ("02.1", 141.9, "integrated-circuit exports"),
    ("02.2", ["A", "C", "B", "D", "E"], "July 2014"),
    ("02.2", ["E", "D", "B", "A", "C"], "reversed"),
    ("02.2", ["C", "A", "B", "E", "D"], "February 2024"),
    ("02.3", {"F1": "cut off", "F2": "limited", "F3": "limited", "F4": "limited"}, "total trade"),
    ("02.3", {"F1": "cut off", "F2": "limited", "F3": "cut off", "F4": "neither"}, "not a stop"),
    ("02.3", {"F1": "cut off", "F2": "cut off", "F3": "limited", "F4": "neither"}, "still arriving"),
    ("02.3", {"F1": "limited", "F2": "limited", "F3": "limited", "F4": "neither"}, "one route"),
    ("02.4", ["A", "B", "C", "D"], "B is not an error"),
    ("02.4", ["A", "B", "C", "D", "E"], "B and E match"),
    ("02.4", ["A", "C", "D", "E"], "E is not an error"),
    ("02.5", 56.5, "diodes, transistors"),
    ("02.5", 507.4, "divided the total"),
    ("02.5", 0.197, "as a fraction"),
])
def test_known_mistake_gets_its_specific_hint(exercise_id, wrong, hint):
    result = checks.check(exercise_id, wrong)
    assert str(result).startswith("not yet: ")
    assert hint in str(result)


def test_short_free_text_is_saved_with_a_word_count_hint():
    result = checks.check("02.6", "Limited, not cut off.")
    assert result.status == "submitted" and "asks for at least 40 words" in str(result)


def test_wrong_answers_name_lesson_misconceptions():
    known = content.load_misconceptions()
    specs = checks.load_specs()[0]
    for eid in ("02.1", "02.3", "02.4", "02.5"):
        for m in specs[eid].mistakes:
            if m.misconception:
                assert m.misconception in known, (eid, m.misconception)


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
