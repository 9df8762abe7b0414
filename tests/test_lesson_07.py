"""Lesson 07 (synthesis): the ledger and the bibliography computed at build time, the evidence
exploration, the charts' data, the spaced review, the brief's model answer and the content. (The
exercise checks are tested for every lesson by tests/test_exercise_scaffolds.py.)"""
from __future__ import annotations

import dataclasses
import re

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.progress import api as progress

from coursekit.quizzes import bank as quizbank
from coursekit.lessons import l07
from coursekit.model.paths import CONTENT, EXERCISES_SPEC, ROOT


LESSON_MD = CONTENT / "lessons" / "07_synthesis.md"
SOLUTION_MD = CONTENT / "solutions" / "07_synthesis.md"


@pytest.fixture(autouse=True)
def own_progress_store(tmp_path, monkeypatch):
    """Every test gets an empty progress record of its own (never the session's shared one)."""
    monkeypatch.setenv(progress.ENV_DB, str(tmp_path / "progress.sqlite3"))
    progress._forget_stores()
    yield
    progress._forget_stores()


@pytest.fixture(scope="module")
def ledger():
    return content.load_claims()


@pytest.fixture(scope="module")
def sources():
    return content.load_sources()


# ----------------------------------------------------------------------------- the ledger

def test_no_claim_is_pending(ledger):
    """The synthesis needs a complete ledger: every claim judged by its lesson."""
    pending = l07.pending_claims(ledger)
    owners = sorted({ledger[c].lesson for c in pending})
    assert not pending, f"claims still pending: {pending} (owned by lessons {owners})"


def test_lesson_07_claims_are_judged_with_reasons_and_evidence(ledger, sources):
    for cid, verdict in (("C24", "misleading"), ("C25", "needs context")):
        c = ledger[cid]
        assert c.lesson == "07" and c.verdict == verdict
        assert len(c.evidence) >= 5 and all(i in sources for i in c.evidence)
        cited = set(re.findall(r"\b[SX]\d+\b", c.reason))
        assert cited <= set(c.evidence), f"{cid} cites ids missing from its evidence: {cited - set(c.evidence)}"


def test_ledger_views_follow_the_file(ledger):
    """The table and the chart are computed from the claims they are given, so a verdict that
    another lesson changes shows up at the next build."""
    changed = dict(ledger)
    changed["C03"] = dataclasses.replace(ledger["C03"], verdict="pending")
    groups = l07.verdict_groups(changed)
    assert "C03" in groups["pending"]
    assert l07.pending_claims(changed) == ["C03"]
    assert l07.pending_claims(changed, lesson="07") == []
    fig, alt, data = l07.verdict_chart(changed)
    assert "1 pending" in alt
    assert {r["verdict"]: r["claims"] for r in data}["pending"] == 1
    html = l07.ledger_table(changed, only=["C03"])._repr_html_()
    assert "C03" in html and "<strong>pending</strong>" in html and "C04" not in html


def test_verdict_chart_counts_every_claim(ledger):
    fig, alt, data = l07.verdict_chart(ledger)
    assert sum(r["claims"] for r in data) == len(ledger)
    assert re.search(r"\d", alt)
    ids = [i for r in data for i in r["ids"].split(", ") if i]
    assert sorted(ids) == sorted(ledger)


def test_ledger_table_quotes_every_claim(ledger):
    html = l07.ledger_table(ledger)._repr_html_()
    for c in ledger.values():
        assert c.id in html
    assert html.count("<tr>") == len(ledger) + 1
    assert "(the article)" in repr(l07.ledger_table(ledger, only=["C24"]))


# ----------------------------------------------------------------------------- stance map

@pytest.mark.parametrize("sid, group", [
    ("S17", "Russian government"),            # Russian state media
    ("S14", "Russian government"),            # a Russian government portal
    ("S51", "Chinese government"),            # China's ambassador, reported by TASS
    ("X0701", "Chinese government"),          # TASS reporting China's Foreign Ministry
    ("S47", "Russia and China jointly"),      # the joint statement's text
    ("X0201", "Western or Ukrainian governments"),
    ("S28", "Western or Ukrainian governments"),
    ("S10", "Other governments"),             # a Government of India portal
    ("S9", "Companies (own data or models)"),  # McKinsey's own simulation
    ("X0604", "Companies (own data or models)"),  # a bank's study relayed by state media
    ("S60", "Independent reporting and analysis"),
    ("X0610", "Independent reporting and analysis"),  # an analyst's argued stance
    ("X0707", "Independent reporting and analysis"),
])
def test_whose_account(sources, sid, group):
    assert l07.whose_account(sources[sid]) == group


def test_every_source_gets_a_known_group(sources):
    assert {l07.whose_account(s) for s in sources.values()} <= set(l07.ACCOUNT_GROUPS)


def test_stance_map_covers_the_whole_bibliography(sources, ledger):
    fig, alt, data = l07.stance_map(sources, ledger)
    for axis in ("publisher type", "whose account"):
        rows = [r for r in data if r["map"] == axis]
        assert sum(r["total"] for r in rows) == len(sources)
    assert f"{len(sources)} bibliography sources" in alt


# ----------------------------------------------------------------------------- exploration

def test_evidence_filter_moves_with_its_control(ledger, sources):
    ex = l07.evidence_explorer()
    before = ex.result
    assert before["kept_total"] == before["cited_total"] == sum(len(c.evidence) for c in ledger.values())
    assert before["claims_left_empty"] == []
    ex.control.value = "Strong sources only"
    after = ex.result
    strong = sum(1 for c in ledger.values() for i in c.evidence if sources[i].quality == "strong")
    assert after["kept_total"] == strong < before["kept_total"]
    assert "C24" in after["claims_left_empty"]  # C24 rests on fair and weak relays only
    assert "Strong sources only" in ex.readout.value
    ex.control.value = "Drop weak sources"
    assert strong < ex.result["kept_total"] < before["kept_total"]


def test_evidence_filters_only_shrink(ledger, sources):
    totals = [l07.evidence_left(label, ledger, sources)["kept_total"] for label in l07.FILTERS]
    assert totals[0] >= totals[1] >= totals[2] and totals[1] >= totals[3]


# ----------------------------------------------------------------------------- C24 and C25 data

def test_capacity_ratios_from_the_shipped_data():
    by = {(r["indicator"], r["period"]): r["ratio"] for r in l07.capacity_ratios()}
    assert by[("Notable AI models", "2025")] == pytest.approx(50 / 30)
    assert by[("Notable AI models", "2023")] == pytest.approx(61 / 15)
    assert by[("Private AI investment", "2024")] == pytest.approx(109.1 / 9.3)
    assert by[("Generative-AI patent families", "2014-2023")] == pytest.approx(6276 / 38210)
    fig, alt, data, ids = l07.capacity_chart()
    assert "1.7 times in 2025" in alt and "6.1 times" in alt
    assert set(ids) >= {"S85", "X0705", "S88"}


def test_timeline_before_and_after_the_controls():
    assert l07.days_between("2022-02-04", l07.BROAD_CONTROLS_DATE) == 20
    before, after = l07.steps_before()
    assert (before, after) == (5, 6)
    rows = l07.timeline_rows()
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert l07.is_western_measure("US (Commerce Department)")
    assert l07.is_western_measure("EU (Council)")
    assert not l07.is_western_measure("Russia and China (joint statement)")


# ----------------------------------------------------------------------------- review, brief

def test_spread_takes_one_item_a_lesson_first():
    ranked = ["03.q2", "03.q1", "05.q4", "00.q1", "00.q2", "01.q1"]
    assert l07.spread(ranked, 3) == ["00.q1", "03.q2", "05.q4"]  # shown in lesson order
    assert l07.spread(ranked, 5) == ["00.q1", "01.q1", "03.q1", "03.q2", "05.q4"]
    assert l07.spread([], 4) == []


def test_review_uses_every_bank_and_puts_wrong_answers_first():
    ids = l07.quiz_item_ids()
    assert {i[:2] for i in ids} >= {"00"}
    assert all(i[:2] < "07" for i in ids)
    assert len(l07.review_items(6)) == min(6, len(ids))
    wrong = ids[-1]
    progress.record_event("attempt", wrong[:2], wrong, correct=False, answer="A")
    assert wrong in l07.review_items(6)


def test_brief_status_and_save():
    assert l07.word_count(...) == 0
    assert "more to reach 200" in l07.brief_status("word " * 150)
    assert "within 200 to 300" in l07.brief_status("word " * 250)
    assert "over the limit" in l07.brief_status("word " * 320)
    assert l07.save_brief(...).startswith("Not saved")
    assert l07.saved_briefs() == []
    assert l07.save_brief("word " * 210).startswith("Saved")
    assert l07.saved_briefs() == [("word " * 210).strip()]


def test_brief_editor_counts_and_saves_a_reflection():
    ed = l07.brief_editor()
    ed.text.value = "evidence " * 220
    assert "220 words" in ed.count.value
    ed.save.click()
    assert "Saved" in ed.status.value
    saved = [e for e in progress.events("07") if e["kind"] == "reflection"]
    assert len(saved) == 1 and saved[0]["item"] == l07.BRIEF_ITEM
    bundle = ed._repr_mimebundle_()
    assert "run the notebook" in bundle["text/html"]


def test_rubric_in_lesson_and_instructor_page_matches_the_module():
    for page in (LESSON_MD, ROOT / "instructor" / "07_synthesis.md"):
        text = page.read_text(encoding="utf-8")
        for criterion, description in l07.RUBRIC:
            assert f"| {criterion} | {description} |" in text, page.name


# ----------------------------------------------------------------------------- the model brief

def _model_brief() -> tuple[str, str]:
    """(the brief assigned in the solution's code, the model answer in its Markdown cell)."""
    text = SOLUTION_MD.read_text(encoding="utf-8")
    code = re.search(r'brief = text_answer\("""\n# BEGIN SOLUTION\n(.*?)\n# END SOLUTION\n"""\)', text, re.S).group(1)
    md = text.split("**Model answer.**")[-1].split("*How it meets the rubric*")[0]
    return code, md


def test_model_brief_is_the_same_in_code_and_markdown_and_within_limits():
    code, md = _model_brief()
    assert " ".join(code.split()) == " ".join(md.split())
    assert 200 <= l07.word_count(code) <= 300


# ----------------------------------------------------------------------------- quiz bank, lesson

def test_quiz_bank_meets_the_bar():
    bank = quizbank.load_bank("07")
    graded = [q for q in bank.questions if q.graded]
    assert len(graded) >= 6
    assert len({q.type for q in graded}) >= 3
    for q in graded:
        for d in q.distractors():
            assert d.misconception and d.feedback
    covered = {o for q in graded for o in q.objectives}
    assert covered == {o.full_id for o in bank.objectives}
    data_items = [q for q in graded if "capacity" in q.prompt or "timeline" in q.prompt]
    assert len(data_items) >= 2


def test_lesson_07_misconceptions_are_registered_and_used():
    registry = content.load_misconceptions()
    ours = {k for k, m in registry.items() if m.lesson == "07"}
    assert len(ours) >= 6
    used = {d.misconception for q in quizbank.load_bank("07").questions for d in q.distractors()}
    specs, _ = checks.load_specs(EXERCISES_SPEC)
    used |= {m.misconception for k, e in specs.items() if k.startswith("07.") for m in e.mistakes
             if m.misconception}
    assert ours <= used
    assert used <= set(registry)


def test_lesson_structure():
    text = LESSON_MD.read_text(encoding="utf-8")
    m = re.search(r"\*\*Estimated time:\*\* (\d+) minutes", text)
    assert m and 25 <= int(m.group(1)) <= 45
    for heading in ("## Questions", "## Learning objectives", "## Pretest",
                    "## Check your understanding", "## Key points", "## Further reading",
                    "## Spaced review", "## Your brief", "## The article re-assessed"):
        assert heading in text
    assert text.count("plots.show(") + text.count("show_derived(") >= 4
    assert 'quiz("07")' in text and "progress.dashboard()" in text
