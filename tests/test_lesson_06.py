"""Lesson 06 (risks): computations, the two explorations and the content. (The exercise checks are
tested for every lesson by tests/test_exercise_scaffolds.py, driven by the exercise specs.)"""
from __future__ import annotations

import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l06
from coursekit.model.paths import CONTENT, QUIZZES


LESSON_MD = CONTENT / "lessons" / "06_risks.md"


# ----------------------------------------------------------------------------- computations

def test_hhi_of_the_2013_table_from_the_shipped_data():
    pairs = l06.shares_table("2013", "all goods (national statistics)")
    assert [p for p, _ in pairs] == ["China", "Germany", "United States", "Ukraine", "Italy"]
    low, high = l06.hhi_bounds([s for _, s in pairs])
    assert low == pytest.approx(503.86)
    # the unnamed 56.2% in partners no bigger than Italy's 4.6%: 12 x 4.6² + 1.0²
    assert high == pytest.approx(503.86 + 12 * 4.6 ** 2 + 1.0 ** 2)
    assert l06.band(high, "2010") == l06.band(high, "2023") == "unconcentrated"


def test_bands_follow_the_guidelines_edges():
    assert l06.band(1499, "2010") == "unconcentrated"
    assert l06.band(1500, "2010") == l06.band(2500, "2010") == "moderately concentrated"
    assert l06.band(2501, "2010") == "highly concentrated"
    assert l06.band(999, "2023") == "unconcentrated"
    assert l06.band(1800, "2023") == "moderately concentrated"
    assert l06.band(1803, "2023") == "highly concentrated"
    assert l06.band_range(1400, 1600) == "between unconcentrated and moderately concentrated"


def test_shift_moves_points_and_keeps_the_total():
    shares = dict(l06.preset_shares("2023 H1, one bank's study (Tochka)"))
    moved = l06.shift(shares, "China", 10, "Turkey")
    assert moved["China"] == 32 and moved["Turkey"] == 23
    assert sum(moved.values()) == pytest.approx(sum(shares.values()))
    assert l06.hhi(moved.values()) == pytest.approx(1803)


# ----------------------------------------------------------------------------- explorations

def test_concentration_calculator_moves_with_its_control():
    ex = l06.hhi_explorer()
    before = ex.result["hhi"]
    assert before == pytest.approx(2183)
    ex.control.value = (("China", 60.0), ("Turkey", 13.0), ("Belarus", 12.0),
                        ("Hong Kong", 9.0), ("Kazakhstan", 5.0))
    assert ex.result["hhi"] == pytest.approx(60 ** 2 + 13 ** 2 + 12 ** 2 + 9 ** 2 + 5 ** 2)
    assert ex.result["hhi"] != before
    assert ex.result["band_2010"] == "highly concentrated"
    assert "60.0%" in ex.readout.value
    # a slider moves the same way
    ex.control.sliders[0].value = 30.0
    assert ex.result["top_share"] == pytest.approx(30.0)
    assert ex.result["top_partner"] == "China"


def test_concentration_calculator_presets_load_sourced_tables():
    ex = l06.hhi_explorer()
    ex.control.preset.value = "2013, all imports (dpa)"
    assert ex.result["partners"][0] == "China"
    assert ex.result["hhi"] == pytest.approx(503.86)
    assert ex.result["band_2010"] == "unconcentrated"


def test_concentration_calculator_refuses_shares_over_100():
    r = l06.concentration([("China", 70.0), ("Turkey", 40.0)])
    assert not r["valid"]
    assert "more than 100%" in l06.concentration_readout(r)


def test_risk_matrix_compares_and_saves(monkeypatch):
    recorded = []
    monkeypatch.setattr("coursekit.progress.recorder.record", lambda *a, **k: recorded.append((a, k)))
    ex = l06.risk_matrix()
    before = dict(ex.result)
    assert before["course_top"] == "chips"
    ex.control.value = tuple((r.id, r.likelihood, r.impact) for r in l06.COURSE_RATINGS)
    assert ex.result["widest_gap"] == 0 and ex.result["close"] == len(l06.COURSE_RATINGS)
    assert ex.result != before
    like, _impact = ex.control.sliders["payments"]
    like.value = 1
    assert ex.result["widest"] == "payments" and ex.result["widest_gap"] == 4
    ex.control.save()
    assert recorded, "saving the ratings records an event"
    args, kwargs = recorded[-1]
    assert args == ("rating", "06", l06.RISK_ITEM)
    assert kwargs["answer"]["payments"] == {"likelihood": 1, "impact": 3}
    assert "Saved" in ex.control.status.value


def test_course_ratings_table_in_the_lesson_matches_the_code():
    text = LESSON_MD.read_text(encoding="utf-8")
    for risk in l06.COURSE_RATINGS:
        row = re.search(rf"^\| {risk.letter}\. [^|]+\| (\d) \| (\d) \| (\w+) \|", text, re.M)
        assert row, f"risk {risk.letter} missing from the lesson's table"
        assert (int(row[1]), int(row[2]), row[3]) == (risk.likelihood, risk.impact, risk.kind)


# ----------------------------------------------------------------------------- content

def test_quiz_bank_meets_the_bar():
    bank, problems = quizbank.read_bank(QUIZZES / "06_risks.toml")
    assert problems == []
    graded = [q for q in bank.questions if q.graded]
    assert len(bank.questions) >= 6 and len({q.type for q in graded}) >= 3
    assessed = {o for q in graded for o in q.objectives}
    for objective in bank.objectives:
        assert objective.full_id in assessed or objective.exercises
    # at least two items work with the lesson's data
    data_items = [q for q in graded if set(q.sources) & {"X0602", "X0604", "X0609"}]
    assert len(data_items) >= 2


def test_lesson_06_claims_are_judged():
    claims = {c.id: c for c in content.load_claims().values() if c.lesson == "06"}
    assert sorted(claims) == ["C06", "C22", "C23"]
    for claim in claims.values():
        assert claim.verdict != "pending" and claim.evidence


@pytest.mark.parametrize("name", ["risks_russia_imports_by_partner", "risks_dependence_asymmetry",
                                  "risks_secondary_sanctions_timeline"])
def test_datasets_load_and_cite(name):
    data = content.load_dataset(name)
    assert len(data) > 0 and data.source_ids()
