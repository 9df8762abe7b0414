"""Lesson 06 (risks): computations, the two explorations and the content. (The exercise checks are
tested for every lesson by tests/test_exercise_scaffolds.py, driven by the exercise specs.)"""
from __future__ import annotations

import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l06
from coursekit.model.paths import CONTENT, QUIZZES, ROOT


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
    from coursekit.progress.recorder import Outcome

    def record(*a, **k):
        recorded.append((a, k))
        return Outcome(True, "event-1")

    monkeypatch.setattr("coursekit.progress.recorder.record", record)
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


def test_ratings_are_never_called_saved_when_the_store_refuses_them(monkeypatch):
    """A store that fails: the matrix says what was not saved, never "Saved"."""
    from coursekit.progress import api

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(api, "record_event", broken)
    ex = l06.risk_matrix()
    ex.control.save()
    status = ex.control.status.value
    assert "Saved" not in status and "was not saved" in status and "try Save again" in status


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


def test_hong_kong_choice_is_computed_and_stated_where_it_is_used():
    """Issue 21 item 13: the 2023-H1 index with Hong Kong separate (2,183) and merged (>= 2,939),
    both computed from the table; the quiz and the claim state the choice and both figures."""
    r = l06.hong_kong_choice()
    assert round(r["separate"][0]) == 2183
    assert round(r["merged"][0]) == 2939 == round(l06.hhi([51, 13, 12, 5]))
    assert r["separate_band"] == ("moderately concentrated", "highly concentrated")
    assert r["merged_band"] == ("highly concentrated", "highly concentrated")
    text = l06.hong_kong_text()
    assert "2,183" in text and "2,939" in text
    q2 = (ROOT / "assets" / "quizzes" / "06_risks.toml").read_text(encoding="utf-8")
    assert "Counting Hong Kong as a partner of its own" in q2 and "2,939" in q2
    c22 = content.load_claims()["C22"].reason
    assert "2,183 with Hong Kong counted separately" in c22 and f"{r['merged'][0]:,.0f}" in c22


def test_iif_share_is_cross_checked_from_customs_totals():
    """Issue 21 item 12: China's exports to Russia over Russia's total imports, from the data."""
    r = l06.customs_share(2022)
    assert r["china_exports"] == pytest.approx(76.12)
    assert 29 <= r["share"] <= 31 and r["iif_share"] == 36
    assert round(r["ratio_iif"]) == 12 and round(r["ratio_customs"]) == 10
    assert "against the IIF's estimate of over 36%" in l06.customs_share_text()
    lesson = (ROOT / "content" / "lessons" / "06_risks.md").read_text(encoding="utf-8")
    assert "l06.customs_share_text()" in lesson and "l06.hong_kong_text()" in lesson


def test_bank_wording_follows_lesson_03():
    """Issue 21 item 2: by assets Agricultural Bank of China ranks above Bank of China, so the
    three banks are 'three of China's biggest', not its 'three largest'."""
    for path in ("content/lessons/06_risks.md", "content/solutions/06_risks.md",
                 "assets/quizzes/06_risks.toml", "content/lessons/07_synthesis.md",
                 "content/solutions/07_synthesis.md", "content/instructor/06_risks.md"):
        text = (ROOT / path).read_text(encoding="utf-8")
        assert "three largest banks" not in text and "its largest banks" not in text, path
