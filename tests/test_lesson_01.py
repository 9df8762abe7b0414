"""Lesson 01 (reading the article): exploration, quiz bank, ledger and data.

- The argument-map explorer: moving its control changes values computed from the ledger and the
  bibliography.
- The exercise checks are tested for every lesson by tests/test_exercise_scaffolds.py, driven by
  the exercise specs; here, only that exercise 01.1's answer agrees with the claim ledger.
"""
from __future__ import annotations

import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l01

SLUG = "01_reading_the_article"
LESSON_MD = paths.CONTENT / "lessons" / f"{SLUG}.md"
SPEC = paths.EXERCISES_SPEC / f"{SLUG}.toml"
INSTRUCTOR = paths.INSTRUCTOR / f"{SLUG}.md"


@pytest.fixture(scope="module")
def specs() -> dict[str, checks.Exercise]:
    found, problems = checks.load_specs(paths.EXERCISES_SPEC)
    assert not [p for p in problems if SLUG in p.file], problems
    return {k: v for k, v in found.items() if v.set == SLUG}


# ----------------------------------------------------------------------------- the exploration
def test_explorer_control_changes_values_computed_from_the_data():
    ex = l01.argument_map("C11")
    ledger = content.load_claims()
    assert ex.result["claim"] == "C11"
    assert ex.result["n_sources"] == len(ledger["C11"].evidence)
    before = dict(ex.result)
    readout_before, details_before = ex.readout.value, ex.details.value
    # a claim whose cited sources differ in number from C11's, found from the data
    other = next(cid for cid, c in sorted(ledger.items())
                 if len(c.evidence) != len(ledger["C11"].evidence))
    ex.control.value = other
    assert ex.result["claim"] == other
    assert ex.result["n_sources"] == len(ledger[other].evidence)
    assert ex.result["n_sources"] != before["n_sources"]
    assert sum(ex.result["by_quality"].values()) == ex.result["n_sources"]
    assert ex.readout.value != readout_before
    assert ex.details.value != details_before


def test_explorer_shows_verdict_only_once_judged():
    ledger = content.load_claims()
    judged = next(c for c in ledger.values() if c.lesson == "01" and c.verdict != "pending")
    r = l01.claim_summary(judged.id)
    assert r["judged"] and judged.verdict in l01.claim_readout(r)
    assert "Verdict:" in l01.claim_details_html(r)
    pending = [c for c in ledger.values() if c.verdict == "pending"]
    if pending:
        r = l01.claim_summary(pending[0].id)
        assert "pending until lesson" in l01.claim_readout(r)
        assert "Not judged yet" in l01.claim_details_html(r)


def test_later_claims_show_the_lesson_that_judges_them_not_the_verdict():
    ledger = content.load_claims()
    later = [c for c in ledger.values() if c.lesson > "01"]
    assert later
    for c in later:
        r = l01.claim_summary(c.id)
        assert not r["judged"] and r["later"] and r["reason"] == ""
        shown = l01.claim_readout(r) + l01.claim_details_html(r) + l01.claim_label(c)
        assert f"lesson {c.lesson}" in shown
        assert c.reason[:40] not in shown and f"Verdict: {c.verdict}" not in shown, c.id
        assert l01.claim_label(c).endswith(f"judged in lesson {c.lesson}")
    rows = {r["claim"]: r for r in l01.ledger_rows()}
    assert all(rows[c.id]["verdict"] == f"judged in lesson {c.lesson}" for c in later)
    # seen from lesson 07 (or with no lesson), the ledger is complete
    full = {r["claim"]: r for r in l01.ledger_rows(seen_from=None)}
    assert all(full[c.id]["verdict"] == c.verdict for c in ledger.values())
    r = l01.claim_summary(later[0].id, seen_from="07")
    assert r["judged"] and r["reason"] == later[0].reason


def test_explorer_options_hide_later_verdicts():
    ex = l01.argument_map()
    ledger = content.load_claims()
    assert ex.result["claim"] == "C08" and ex.result["judged"]
    for label, cid in ex.control.options:
        c = ledger[cid]
        if c.lesson > "01":
            assert label.endswith(f"judged in lesson {c.lesson}"), label


def test_explorer_chart_alt_states_figures():
    fig, alt, data = l01.evidence_chart(l01.claim_summary("C11"))
    import matplotlib.pyplot as plt

    plt.close(fig)
    assert re.search(r"\d", alt)
    assert sum(row["sources"] for row in data) == len(content.load_claims()["C11"].evidence)


# ----------------------------------------------------------------------------- the ledger
def test_lesson_01_claims_are_judged_with_reason_and_evidence():
    ledger = content.load_claims()
    sources = content.load_sources()
    ours = [c for c in ledger.values() if c.lesson == "01"]
    assert ours, "lesson 01 judges at least one claim"
    for c in ours:
        assert c.verdict != "pending", c.id
        assert c.evidence and all(s in sources for s in c.evidence), c.id
        assert re.search(r"\[[SX]\d+", c.reason), f"{c.id}: the reason cites its evidence"


def test_ledger_table_lists_every_claim_grouped_by_theme():
    ledger = content.load_claims()
    table = l01.ledger_table()
    html_out = table._repr_html_()
    assert html_out == l01.ledger_table()._repr_html_()  # deterministic
    for cid in ledger:
        assert f">{cid}<" in html_out
    themes = [c.theme for c in table.claims]
    assert themes == sorted(themes, key=lambda t: list(content.THEMES).index(t))
    assert sum(l01.type_counts().values()) == len(ledger)
    # each lesson is named as course.toml names it
    from coursekit.model import course
    assert f"02 {course.lesson('02').title}" in html_out


def test_exercise_01_1_agrees_with_the_ledger(specs):
    ledger = content.load_claims()
    for cid, ctype in specs["01.1"].answer.items():
        assert ledger[cid].type == ctype, cid


# ----------------------------------------------------------------------------- quiz bank and data
def test_quiz_bank_meets_the_bar():
    bank, problems = quizbank.read_bank(quizbank.bank_path("01"))
    assert problems == []
    graded = [q for q in bank.questions if q.graded]
    assert len(graded) >= 6
    assert len({q.type for q in graded}) >= 3
    assessed = {o for q in graded for o in q.objectives}
    for o in bank.objectives:
        assert o.full_id in assessed or o.exercises, o.id
    # the two data questions read the lesson's charts
    data_answers = {q.id: q.answer for q in graded if q.type == "numeric"}
    plan = content.load_dataset("china_ai_plan_targets")
    est = content.load_dataset("l01_ai_impact_estimates")
    assert data_answers["q5"] == plan.value(year=2030, series="target", measure="core_ai_industry_in_usd")
    gap = (est.value(study="PwC (2017)", measure="extra_world_gdp_in_2030")
           - est.value(study="McKinsey Global Institute (2018)", measure="extra_world_output_by_2030"))
    assert data_answers["q6"] == pytest.approx(gap)


def test_instructor_page_lists_every_misconception_the_lesson_names(specs):
    bank = quizbank.load_bank("01")
    named = {d.misconception for q in bank.questions for d in q.distractors() if d.misconception}
    named |= {m.misconception for ex in specs.values() for m in ex.mistakes if m.misconception}
    page = INSTRUCTOR.read_text(encoding="utf-8")
    missing = sorted(m for m in named if f"`{m}`" not in page)
    assert missing == []


def test_impact_estimates_add_up():
    est = content.load_dataset("l01_ai_impact_estimates")
    total = est.value(study="PwC (2017)", measure="extra_world_gdp_in_2030")
    parts = (est.value(study="PwC (2017)", measure="from_productivity_gains")
             + est.value(study="PwC (2017)", measure="from_consumption_effects"))
    assert parts == pytest.approx(total)


def test_trace_rate_comes_from_the_plan_data():
    from coursekit import calc

    plan = content.load_dataset("china_ai_plan_targets")
    rmb = plan.value(year=2030, series="target", measure="core_ai_industry")
    usd = plan.value(year=2030, series="target", measure="core_ai_industry_in_usd")
    rate = l01.yuan_per_dollar(plan)
    assert calc.to_usd(rmb, rate) == pytest.approx(usd)
    assert 6 < rate < 8  # yuan per dollar, not dollars per yuan
