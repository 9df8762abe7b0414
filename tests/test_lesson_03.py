"""Lesson 03 (partnership): its explorations, its data, its quiz bank and its exercise checks.

The exercise checks are tested against the solution (run from content/solutions/03_partnership.md
itself, so the test follows the notebook), the placeholder (`...`) and known wrong answers, each
of which must get its own hint.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l03

from .conftest import saved_outcome

SOLUTIONS_MD = paths.ROOT / "content" / "solutions" / "03_partnership.md"
SPEC = paths.EXERCISES_SPEC / "03_partnership.toml"
BANK = paths.QUIZZES / "03_partnership.toml"
IDS = ["03.1", "03.2", "03.3", "03.4", "03.5", "03.6"]
VARIABLES = {"03.1": "cagr_2021_2024", "03.2": "asymmetry_ratio", "03.3": "gap_2023_pct",
             "03.4": "best_use", "03.5": "sco_reading", "03.6": "my_defence"}


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
# Exercise checks
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


def test_spec_is_valid():
    specs, problems = checks.load_specs(SPEC.parent)
    assert [p for p in checks.validate_specs(SPEC.parent) if "03_partnership" in p.file] == []
    mine = {k: v for k, v in specs.items() if k.startswith("03.")}
    assert sorted(mine) == IDS
    assert all(v.set == "03_partnership" for v in mine.values())


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_is_correct(solution, exercise_id):
    answer = solution[VARIABLES[exercise_id]]
    result = checks.check(exercise_id, answer)
    if exercise_id == "03.6":  # free text: saved and compared with the rubric, never judged
        assert result.status == "submitted" and str(result).startswith("Saved (")
    else:
        assert str(result) == "correct"


@pytest.mark.parametrize("exercise_id", IDS)
def test_placeholder_is_not_attempted(exercise_id):
    assert str(checks.check(exercise_id, ...)) == "not attempted yet"


def _totals():
    return l03.trade_totals()


def _wrong_answers():
    t = _totals()
    ratio = t[2024] / t[2021]
    a = l03.asymmetry()
    china, russia = 240.1, 225.0
    reported = [29.3, 26.3, 1.9]
    return [
        ("03.1", sum(reported) / 3, "average of the three yearly growth rates"),
        ("03.1", (ratio - 1) * 100 / 3, "divided the total growth"),
        ("03.1", (ratio - 1) * 100, "growth over the whole period"),
        ("03.1", (ratio ** 0.25 - 1) * 100, "spread the growth over four years"),
        ("03.1", ratio ** (1 / 3) - 1, "as a fraction"),
        ("03.2", a["russia_share_computed"] / a["china_share_of_russia_imports"], "upside down"),
        ("03.2", a["china_share_of_russia_imports"] - a["russia_share_computed"], "difference between the two shares"),
        ("03.2", a["china_share_of_russia_imports"] / (a["russia_share_computed"] / 100), "as a fraction (0.0302)"),
        ("03.2", a["china_share_of_russia_exports"] / a["russia_share_computed"], "share of Russia's exports"),
        ("03.3", (china - russia) / russia * 100, "divided by the Russian figure"),
        ("03.3", china - russia, "billions of dollars"),
        ("03.3", (china - russia) / china, "as a fraction"),
        ("03.4", "A", "Averaging mixes"),
        ("03.4", "c", "Being Russia's own trade"),
        ("03.4", "D", "does not make both figures worthless"),
        ("03.5", "Supports", "India among them"),
        ("03.5", "complicates", "Nothing in the statement cuts against"),
    ]


def test_short_free_text_is_saved_with_a_word_count_hint():
    result = checks.check("03.6", "It is neutral because it is multilateral.")
    assert result.status == "submitted" and "asks for at least 30 words" in str(result)


@pytest.mark.parametrize("exercise_id,answer,hint", _wrong_answers())
def test_known_wrong_answer_gets_its_hint(exercise_id, answer, hint):
    result = checks.check(exercise_id, answer)
    assert result.status == "wrong"
    assert str(result).startswith("not yet: ")
    assert hint in str(result), str(result)


def test_wrong_type_gets_a_shape_hint_not_an_error():
    assert "should be a number" in str(checks.check("03.1", "about eighteen"))
    assert "one option" in str(checks.check("03.4", ["B"]))


def test_solution_values_are_what_the_lesson_says(solution):
    assert solution["cagr_2021_2024"] == pytest.approx(18.56, abs=0.01)
    assert solution["asymmetry_ratio"] == pytest.approx(11.92, abs=0.01)
    assert solution["gap_2023_pct"] == pytest.approx(6.29, abs=0.01)
    assert not math.isnan(solution["cagr_2021_2024"])
