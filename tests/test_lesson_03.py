"""Lesson 03 (partnership): its explorations, its data, its quiz bank, and that the exercise
set's solutions (run from content/solutions/03_partnership.md itself) give the lesson's figures.
The exercise checks are tested for every lesson by tests/test_exercise_scaffolds.py.
"""
from __future__ import annotations

import math
import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l03

from .conftest import saved_outcome

SOLUTIONS_MD = paths.ROOT / "content" / "solutions" / "03_partnership.md"
BANK = paths.QUIZZES / "03_partnership.toml"


# --------------------------------------------------------------------------------------------
# Explorations
# --------------------------------------------------------------------------------------------
def test_sorter_moving_the_control_changes_the_comparison():
    ex = l03.evidence_sorter()
    n = ex.result["n"]
    assert ex.result["sorted"] == 0 and ex.result["agree"] == 0
    assert ex.result["yours"][l03.UNSORTED] == n
    items = l03.evidence_items()
    first, second = items[0], items[1]

    # Agree with the course on the first item: counts and agreement move.
    ex.control.value = {**ex.control.value, first["id"]: first["reading"]}
    assert ex.result["sorted"] == 1 and ex.result["agree"] == 1
    assert ex.result["yours"][first["reading"]] == 1

    # Disagree on the second: it is listed with the course's reason.
    wrong = next(r for r in l03.READINGS if r != second["reading"])
    ex.control.value = {**ex.control.value, second["id"]: wrong}
    assert ex.result["sorted"] == 2 and ex.result["agree"] == 1
    assert ex.result["differ"][0]["id"] == second["id"]
    assert ex.result["differ"][0]["reason"] == second["reason"]
    assert second["id"] in ex.readout.value


def test_sorter_toggle_buttons_drive_the_value():
    ex = l03.evidence_sorter()
    item = l03.evidence_items()[2]
    ex.control.toggles[item["id"]].value = item["reading"]
    assert ex.control.value[item["id"]] == item["reading"]
    assert ex.result["agree"] == 1
    # and setting the value moves the buttons back
    ex.control.value = {**ex.control.value, item["id"]: None}
    assert ex.control.toggles[item["id"]].value is None
    assert ex.result["sorted"] == 0


def test_sorting_everything_as_the_course_gives_full_agreement():
    items = l03.evidence_items()
    result = l03.compare_readings({i["id"]: i["reading"] for i in items})
    assert result["agree"] == result["sorted"] == len(items)
    assert result["yours"] == {**result["course"], l03.UNSORTED: 0}
    assert result["differ"] == []


def test_growth_explorer_slider_changes_the_rate():
    ex = l03.growth_explorer()
    totals = l03.trade_totals()
    first, last = min(totals), max(totals)
    before = ex.result["cagr_pct"]
    assert before == pytest.approx(((totals[last] / totals[first]) ** (1 / (last - first)) - 1) * 100)
    ex.control.value = (first, last - 1)
    assert ex.result["cagr_pct"] != before
    assert ex.result["cagr_pct"] == pytest.approx(
        ((totals[last - 1] / totals[first]) ** (1 / (last - 1 - first)) - 1) * 100)
    ex.control.value = (2023, 2023)
    assert ex.result["cagr_pct"] is None
    assert "Pick two different years" in ex.readout.value


# --------------------------------------------------------------------------------------------
# Data and the course's readings
# --------------------------------------------------------------------------------------------
def test_every_event_carries_the_course_reading():
    for row in content.load_dataset(l03.EVENTS).rows:
        assert row["reading"] in l03.READINGS and row["level"] in l03.LEVELS, row["date"]
        assert re.search(r"\[[SX][0-9]+", row["reason"]), f"{row['date']}: cite a source in the reason"
    sorted_ids = {i["label"] for i in l03.evidence_items()}
    assert sorted_ids >= {r["label"] for r in l03.events() if r["in_sorter"] == "yes"}


def test_reasons_cite_known_sources():
    known = set(content.load_sources())
    cited = set()
    for item in l03.evidence_items():
        cited |= set(re.findall(r"[SX][0-9]+", item["reason"]))
        cited |= set(item["source_ids"])
    assert cited <= known, sorted(cited - known)


def test_timeline_chart_counts_the_readings_of_every_dated_item():
    import matplotlib.pyplot as plt

    fig, alt, data = l03.timeline_chart()
    plt.close(fig)
    rows = l03.events()
    assert len(data) == len(rows) and [d["no."] for d in data] == list(range(1, len(rows) + 1))
    gov = l03.level_counts()[l03.LEVELS[0]]
    assert f"Of {sum(gov.values())} items from {l03.LEVELS[0].lower()}, {gov['supports']} support" in alt
    years = sorted(r["date"][:4] for r in rows)
    assert alt.startswith(f"Timeline, {years[0]} to {years[-1]}.")


def test_sorter_covers_all_three_readings():
    counts = l03.compare_readings({})["course"]
    assert all(counts[r] >= 2 for r in l03.READINGS), counts


def test_asymmetry_matches_the_stated_share():
    a = l03.asymmetry()
    assert a["russia_share_computed"] == pytest.approx(a["russia_share_stated"], abs=0.1)
    assert a["russia_share_computed"] == pytest.approx(a["trade_with_russia"] / a["china_total"] * 100)
    assert a["ratio"] == pytest.approx(a["china_share_of_russia_imports"] / a["russia_share_computed"])


def test_three_figures_for_2023():
    rows = l03.trade_2023_figures()
    expected = [r["value"] for name in (l03.TRADE, l03.TRADE_2023)
                for r in content.load_dataset(name).filter(year=2023, measure="total_trade").rows]
    assert [r["value"] for r in rows] == sorted(expected, reverse=True) and len(rows) == 3


def test_lesson_claims_are_judged():
    claims = [c for c in content.load_claims().values() if c.lesson == "03"]
    assert {c.id for c in claims} >= {"C01", "C09", "C13", "C15", "C26"}
    for c in claims:
        assert c.verdict != "pending", c.id
        assert c.evidence, c.id


# --------------------------------------------------------------------------------------------
# Quiz bank
# --------------------------------------------------------------------------------------------
def test_quiz_bank_is_valid_and_complete():
    assert quizbank.validate_bank(BANK) == []
    bank = quizbank.load_bank(BANK)
    graded = [q for q in bank.questions if q.graded]
    assert len(graded) >= 6
    assert len({q.type for q in graded}) >= 3
    assessed = {o for q in graded for o in q.objectives}
    assert {o.full_id for o in bank.objectives} <= assessed
    # at least two items make the learner work with the data
    data_items = [q for q in graded if q.type == "numeric"]
    assert len(data_items) >= 2


# --------------------------------------------------------------------------------------------
# The exercise set's solutions
# --------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_recording(monkeypatch):
    monkeypatch.setattr(checks.events, "record", lambda *a, **k: saved_outcome([], *a, **k))
    checks._specs_cached.cache_clear()
    yield
    checks._specs_cached.cache_clear()


def _solution_namespace() -> dict:
    """Run the code cells of the solution source in order and return their variables."""
    text = SOLUTIONS_MD.read_text(encoding="utf-8")
    cells = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", text, flags=re.M | re.S)
    namespace: dict = {}
    for cell in cells:
        if cell.lstrip().startswith("check("):
            continue  # the check cells: tested below, without recording
        code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
        exec(compile(code, str(SOLUTIONS_MD), "exec"), namespace)  # noqa: S102 - our own file
    return namespace


@pytest.fixture(scope="module")
def solution():
    return _solution_namespace()


def test_solution_values_are_what_the_lesson_says(solution):
    assert solution["cagr_2021_2024"] == pytest.approx(18.56, abs=0.01)
    assert solution["asymmetry_ratio"] == pytest.approx(11.92, abs=0.01)
    assert solution["gap_2023_pct"] == pytest.approx(6.29, abs=0.01)
    assert not math.isnan(solution["cagr_2021_2024"])
