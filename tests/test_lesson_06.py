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

def test_hhi_bounds_of_a_sourced_table():
    label = next(iter(l06.presets()))
    pairs = l06.preset_shares(label)
    shares = [s for _, s in pairs]
    assert shares == sorted(shares, reverse=True)
    low, high = l06.hhi_bounds(shares)
    assert low == pytest.approx(sum(s ** 2 for s in shares))
    # the unnamed rest in partners no bigger than the smallest named one
    rest, cap = 100 - sum(shares), shares[-1]
    whole = int(rest // cap)
    assert high == pytest.approx(low + whole * cap ** 2 + (rest - whole * cap) ** 2)
    assert l06.hhi_bounds([100.0]) == (10000.0, 10000.0)


def test_bands_follow_the_guidelines_edges_in_the_data():
    for guidelines in ("2010", "2023"):
        low, high = l06.bands(guidelines)
        assert low < high
        assert l06.band(low - 1, guidelines) == "unconcentrated"
        assert l06.band(low, guidelines) == l06.band(high, guidelines) == "moderately concentrated"
        assert l06.band(high + 1, guidelines) == "highly concentrated"
    low, _ = l06.bands("2010")
    assert l06.band_range(low - 100, low + 100) == "between unconcentrated and moderately concentrated"


def test_shift_moves_points_and_keeps_the_total():
    shares = dict(l06.preset_shares(l06.default_preset()))
    moved = l06.shift(shares, "China", 10, "Turkey")
    assert moved["China"] == shares["China"] - 10 and moved["Turkey"] == shares["Turkey"] + 10
    assert sum(moved.values()) == pytest.approx(sum(shares.values()))
    assert l06.hhi(moved.values()) == pytest.approx(sum(v ** 2 for v in moved.values()))
    assert l06.shift(shares, "China", 10)["China"] == shares["China"] - 10  # to the unnamed rest


# ----------------------------------------------------------------------------- explorations

def test_concentration_calculator_moves_with_its_control():
    ex = l06.hhi_explorer()
    before = ex.result["hhi"]
    assert before == pytest.approx(l06.hhi(s for _, s in l06.preset_shares(l06.default_preset())))
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
    for label, (period, coverage) in l06.presets().items():
        ex.control.preset.value = label
        rows = content.load_dataset(l06.DATASET).filter(period=period, coverage=coverage).rows
        assert set(ex.result["partners"]) == {r["partner"] for r in rows}
        assert ex.result["hhi"] == pytest.approx(sum(r["value"] ** 2 for r in rows))
        assert len(ex.control.children) == 1 + len(rows)  # the menu and one slider a partner
    assert l06.default_preset() in l06.presets()


def test_concentration_calculator_refuses_shares_over_100():
    r = l06.concentration([("China", 70.0), ("Turkey", 40.0)])
    assert not r["valid"]
    assert "more than 100%" in l06.concentration_readout(r)


def test_risk_matrix_compares_and_saves(monkeypatch):
    recorded = []
    monkeypatch.setattr("coursekit.progress.recorder.record", lambda *a, **k: recorded.append((a, k)))
    ex = l06.risk_matrix()
    before = dict(ex.result)
    risks = l06.risks()
    assert before["course_top"] == max(risks, key=lambda r: r.score).id
    ex.control.value = tuple((r.id, r.likelihood, r.impact) for r in risks)
    assert ex.result["widest_gap"] == 0 and ex.result["close"] == len(risks)
    assert ex.result != before
    first = risks[0]
    like, _impact = ex.control.sliders[first.id]
    like.value = 1 if first.likelihood >= 3 else 5
    assert ex.result["widest"] == first.id and ex.result["widest_gap"] == abs(like.value - first.likelihood)
    ex.control.save()
    assert recorded, "saving the ratings records an event"
    args, kwargs = recorded[-1]
    assert args == ("rating", "06", l06.RISK_ITEM)
    assert kwargs["answer"][first.id] == {"likelihood": like.value, "impact": first.impact}
    assert "Saved" in ex.control.status.value


def test_the_ratings_table_is_rendered_from_the_data():
    html = l06.ratings_table()._repr_html_()
    for risk in l06.risks():
        assert f"{risk.letter}. {risk.title}" in html and risk.why.replace("'", "&#x27;") in html
    assert "l06.ratings_table()" in LESSON_MD.read_text(encoding="utf-8")


def test_charts_compute_their_figures_from_the_data():
    import matplotlib.pyplot as plt

    fig, alt, data, sources = l06.shares_chart()
    plt.close(fig)
    share = content.load_dataset(l06.DATASET).value(period="2023-H1", partner="China")
    assert f"{share:g}% in 2023-H1" in alt and sources
    fig, alt, data = l06.dependence_chart()
    plt.close(fig)
    assert len(data) == len(content.load_dataset(l06.ASYMMETRY))
    fig, alt, data, sources = l06.trade_chart()
    plt.close(fig)
    events = content.load_dataset(l06.MEASURES)
    assert f"as {len(events)} measures" in alt


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
