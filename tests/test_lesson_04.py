"""Lesson 04 (governance): data integrity, the date arithmetic, the comparison-matrix exploration,
the quiz bank's coverage and the claim ledger. (The exercise checks are tested for every lesson
by tests/test_exercise_scaffolds.py, driven by the exercise specs.)"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from coursekit.model import content

from coursekit.lessons import l04


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def test_every_milestone_names_a_known_instrument():
    names = {r["instrument"] for r in l04.instruments()}
    rows = l04.milestones()
    assert {r["instrument"] for r in rows} <= names
    assert all(r["milestone"] in l04.MILESTONE_KINDS for r in rows)
    assert all(r["jurisdiction"] in l04.JURISDICTIONS for r in rows)


def test_every_instrument_has_an_issue_date_matching_its_year():
    rows = l04.milestones()
    for inst in l04.instruments():
        assert inst["type"] in l04.TYPES
        assert inst["jurisdiction"] in l04.JURISDICTIONS
        issued = l04.milestone_date(inst["instrument"], "issued", rows) or \
            l04.milestone_date(inst["instrument"], "published", rows)
        assert issued, inst["instrument"]
        assert int(issued[:4]) == inst["year"], inst["instrument"]


def test_milestones_of_one_instrument_are_in_a_sensible_order():
    rows = l04.milestones()
    for inst in l04.instruments():
        issued = l04.milestone_date(inst["instrument"], "issued", rows)
        in_force = l04.milestone_date(inst["instrument"], "in force", rows)
        if issued and in_force:
            assert issued < in_force, inst["instrument"]


def test_parse_measure_rejects_free_text():
    assert l04.parse_measure("EU AI Act: applies (bans)") == ("EU AI Act", "applies", "bans")
    with pytest.raises(ValueError):
        l04.parse_measure("Something happened")


# --------------------------------------------------------------------------------------------
# Arithmetic the lesson states
# --------------------------------------------------------------------------------------------
def test_gaps_are_days_between_the_milestones_in_the_data():
    from coursekit import calc

    rows = l04.milestones()
    china = l04.gaps(jurisdiction="China", types=("binding",))
    binding = [i for i in l04.instruments() if i["jurisdiction"] == "China" and i["type"] == "binding"]
    assert {r["instrument"] for r in china} == {i["instrument"] for i in binding}
    for r in china + l04.gaps():
        assert r["days"] == calc.days_between(l04.milestone_date(r["instrument"], "issued", rows),
                                              l04.milestone_date(r["instrument"], "in force", rows))
    assert [r["days"] for r in china] == sorted(r["days"] for r in china)
    published = l04.gaps(jurisdiction="China", types=("binding",), start="published")
    assert all(p["days"] <= g["days"] for p in published for g in china if p["instrument"] == g["instrument"])


def test_eu_phases_as_of_the_data_date():
    phases = l04.eu_phases()
    applies = sorted(r["date"] for r in l04.milestones()
                     if r["instrument"] == "EU AI Act" and r["milestone"] == "applies")
    assert phases["as_of"] == l04.as_of() == content.load_dataset(l04.INSTRUMENTS).as_of
    assert [r["date"] for r in phases["passed"]] == [d for d in applies if d <= phases["as_of"]]
    assert phases["n_passed"] + phases["n_upcoming"] == len(applies) and phases["n_upcoming"]
    assert phases["entry_into_force"] < applies[0]
    assert l04.eu_phases(phases["entry_into_force"])["n_passed"] == 0


def test_type_counts_add_up_to_the_instruments():
    rows = l04.instruments()
    for j in l04.JURISDICTIONS:
        counts = l04.type_counts(j)
        assert counts == {t: sum(1 for r in rows if r["jurisdiction"] == j and r["type"] == t)
                          for t in l04.TYPES}
    assert sum(l04.type_counts().values()) == len(rows)


# --------------------------------------------------------------------------------------------
# The exploration: moving a control changes values computed from the data
# --------------------------------------------------------------------------------------------
def test_matrix_filter_changes_the_result():
    ex = l04.matrix_explorer()
    before = ex.result
    assert before["n"] == len(l04.instruments())
    ex.control.value = "Jurisdiction: Russia"
    after = ex.result
    assert after["n"] != before["n"]
    assert {r["jurisdiction"] for r in after["rows"]} == {"Russia"}
    assert after["n_binding"] == 1 and before["n_binding"] > after["n_binding"]  # 408-FZ
    assert "Russia" in ex.readout.value
    ex.control.value = "Type: binding"
    assert {r["type"] for r in ex.result["rows"]} == {"binding"}
    assert ex.result["share_binding"] == 1.0


def test_matrix_sort_changes_the_order():
    ex = l04.matrix_explorer()
    oldest = ex.result["first"]
    ex.sort_control.value = "Date issued (newest first)"
    assert ex.result["first"] != oldest
    dates = [r["issued"] for r in ex.result["rows"]]
    assert dates == sorted(dates, reverse=True)
    ex.sort_control.value = "Type (strongest legal force first)"
    types = [r["type"] for r in ex.result["rows"]]
    assert types == sorted(types, key=l04.TYPES.index)


def test_matrix_html_is_escaped_and_has_headers():
    html = l04.matrix_html(l04.matrix_rows())
    assert re.search(r'<th scope="col"[^>]*>enforcer</th>', html) and "<caption>" in html
    assert "<script" not in html


def test_charts_have_alt_text_with_figures():
    import matplotlib.pyplot as plt

    for make in (l04.timeline_chart, l04.gap_chart):
        fig, alt, data = make()
        plt.close(fig)
        assert re.search(r"\d", alt) and data
    _, alt, _ = l04.gap_chart()
    china = [r["days"] for r in l04.gaps() if r["jurisdiction"] == "China"]
    assert f"(median {statistics.median(china):g} days)" in alt


# --------------------------------------------------------------------------------------------
# Quiz bank and claim ledger
# --------------------------------------------------------------------------------------------
def test_quiz_bank_meets_the_bar():
    from coursekit.quizzes import bank as quizbank

    bank = quizbank.load_bank("04")
    graded = [q for q in bank.questions if q.graded]
    assert len(graded) >= 6
    assert len({q.type for q in graded}) >= 3
    assessed = {o for q in graded for o in q.objectives}
    assert {o.full_id for o in bank.objectives} <= assessed
    for q in graded:
        for d in q.distractors():
            assert d.misconception, (q.id, d)


def test_lesson_04_claims_are_judged():
    claims = content.load_claims()
    mine = [c for c in claims.values() if c.lesson == "04"]
    assert {c.id for c in mine} >= {"C12", "C16", "C17"}
    for c in mine:
        assert c.verdict != "pending" and c.evidence and c.reason


def test_russia_recommendation_law_is_binding_and_its_gap_is_computed():
    """Issue 21, item 1: Russia's 408-FZ is in the data as a binding rule, and the lesson's
    '62 days' is computed from its milestones (31 July to 1 October 2023)."""
    law = "Recommendation technologies law (408-FZ)"
    row = next(i for i in l04.instruments() if i["instrument"] == law)
    assert row["jurisdiction"] == "Russia" and row["type"] == "binding"
    gap = next(r for r in l04.gaps(jurisdiction="Russia") if r["instrument"] == law)
    assert (gap["start"], gap["in force"], gap["days"]) == ("2023-07-31", "2023-10-01", 62)
    assert "62 days" in (Path(__file__).resolve().parents[1] / "content" / "lessons" / "04_governance.md").read_text(encoding="utf-8")
