"""Lesson 07 (synthesis): the ledger and the bibliography computed at build time, the evidence
exploration, the charts' data, the spaced review, the brief's model answer and the content. (The
exercise checks are tested for every lesson by tests/test_exercise_scaffolds.py.)"""
from __future__ import annotations

import dataclasses
import re
from html import escape as html_escape

import matplotlib
import matplotlib.pyplot as plt
import pytest

from coursekit import calc
from coursekit.display import review
from coursekit.display.tables import claims_table
from coursekit.model import course
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


LEDGER_COLUMNS = ["claim", "quote", "theme", "lesson", "verdict", "details", "as_of"]
matplotlib.use("Agg")


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
    html = claims_table(claims=changed, only=["C03"], columns=LEDGER_COLUMNS)._repr_html_()
    assert "C03" in html and "<strong>pending</strong>" in html and "C04" not in html
    assert "pending" in l07.verdict_meanings(changed)._repr_html_()


def test_verdict_chart_counts_every_claim(ledger):
    fig, alt, data = l07.verdict_chart(ledger)
    assert sum(r["claims"] for r in data) == len(ledger)
    assert re.search(r"\d", alt)
    ids = [i for r in data for i in r["ids"].split(", ") if i]
    assert sorted(ids) == sorted(ledger)


def test_ledger_table_quotes_every_claim(ledger):
    html = claims_table(claims=ledger, columns=LEDGER_COLUMNS)._repr_html_()
    for c in ledger.values():
        assert c.id in html and c.reason.replace("'", "&#x27;").replace('"', "&quot;")[:40] in html
    assert html.count("<tr>") == len(ledger) + 1
    assert "(the article)" in repr(claims_table(claims=ledger, only=["C24"], columns=LEDGER_COLUMNS))


def test_verdict_meanings_come_from_the_judgements_file(ledger):
    from coursekit.model import judgements

    meanings = judgements.load().verdicts
    html = l07.verdict_meanings(ledger)._repr_html_()
    for verdict in content.VERDICTS[:-1]:
        assert meanings[verdict].replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "pending" not in html  # no claim is pending, so the list leaves it out


# ----------------------------------------------------------------------------- stance map

def test_the_map_files_each_source_under_its_voice(sources, ledger):
    rows = l07.stance_rows(sources, ledger)
    assert {r["id"]: r["whose account"] for r in rows} == {s.id: s.voice for s in sources.values()}
    # a relay is filed under the account it records, not under its publisher
    assert sources["X0701"].publisher_type == "state media" and sources["X0701"].voice == "Chinese government"
    assert not l07._is_official("government-funded research") and l07._is_official("US government")


def test_stance_map_counts_the_sources_the_course_cites(sources, ledger):
    fig, alt, data = l07.stance_map(sources, ledger)
    plt.close(fig)
    cited = l07.cited_sources(sources, ledger)
    for axis in ("publisher type", "whose account"):
        rows = [r for r in data if r["map"] == axis]
        assert sum(r["total"] for r in rows) == len(cited)
    assert f"{len(cited)} sources the course cites" in alt
    # claims' evidence, datasets' sources and the lessons' citations are in; glossary-only are out
    ids = set(cited)
    assert {i for c in ledger.values() for i in c.evidence} <= ids
    assert set(content.load_dataset("partnership_asymmetry").source_ids()) <= ids
    assert "X0830" in ids  # cited in lesson 06's text and reading list
    glossary_only = {sid for sid in sources if sid.startswith("X08")} - ids
    assert glossary_only, "some glossary sources are cited nowhere else, and the map leaves them out"
    assert len(cited) < len(sources)
    basis = l07.bibliography_basis(sources, ledger)
    assert f"{len(cited)} sources the course cites" in basis and f"{len(sources)} in its bibliography" in basis


def test_cited_source_ids_reads_bracketed_and_quoted_ids(ledger):
    ids = l07.cited_source_ids({}, texts=["as reported [S41; X0609]", 'content.further_reading("X0830")'])
    assert {"S41", "X0609", "X0830"} <= ids


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
    cap = content.load_dataset(l07.CAPACITY)
    rows = l07.capacity_ratios(cap)
    assert rows
    for r in rows:
        indicator = cap.one(label=r["indicator"], country="United States", period=r["period"])["indicator"]
        us = cap.value(indicator=indicator, country="United States", period=r["period"])
        cn = cap.value(indicator=indicator, country="China", period=r["period"])
        assert r["ratio"] == pytest.approx(us / cn)
    fig, alt, data, ids = l07.capacity_chart(cap)
    plt.close(fig)
    last = [r for r in rows if r["indicator"] == rows[-1]["indicator"]][-1]
    assert f"{max(last['ratio'], 1 / last['ratio']):.1f} times" in alt
    assert set(ids) == {i for r in cap.rows if r["label"] for i in r["source_ids"]}


def test_timeline_before_and_after_the_controls():
    timeline = content.load_dataset(l07.TIMELINE)
    cut = l07.controls_date(timeline)
    assert cut == min(r["date"] for r in timeline.rows if r["side"] == l07.WESTERN)
    steps = [r["date"] for r in timeline.rows if r["side"] != l07.WESTERN]
    assert l07.steps_before(cut, timeline) == (sum(d < cut for d in steps), sum(d >= cut for d in steps))
    rows = l07.timeline_rows()
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    fig, alt, data, _ = l07.timeline_chart(timeline)
    plt.close(fig)
    last = max(d for d in steps if d < cut)
    assert f"{calc.days_between(last, cut)} days earlier" in alt


# ----------------------------------------------------------------------------- review, brief

def test_spread_takes_one_item_a_lesson_first():
    ranked = ["03.q2", "03.q1", "05.q4", "00.q1", "00.q2", "01.q1"]
    assert review.spread(ranked, 3) == ["00.q1", "03.q2", "05.q4"]  # shown in lesson order
    assert review.spread(ranked, 5) == ["00.q1", "01.q1", "03.q1", "03.q2", "05.q4"]
    assert review.spread([], 4) == []


def test_review_uses_every_bank_and_puts_wrong_answers_first():
    ids = review.quiz_item_ids(i for i in course.lesson_ids() if i < "07")
    assert {i[:2] for i in ids} >= {"00"}
    assert all(i[:2] < "07" for i in ids)
    assert len(review.review_items("07", 6)) == min(6, len(ids))
    wrong = ids[-1]
    progress.record_event("attempt", wrong[:2], wrong, correct=False, answer="A")
    assert wrong in review.review_items("07", 6)


def test_brief_status_and_save():
    from coursekit.quizzes import checks

    spec = checks.get_exercise("07.6")
    low, high = spec.min_words, spec.max_words
    assert l07.word_count(...) == 0
    assert f"more to reach {low}" in l07.brief_status("word " * (low - 50))
    assert f"within {low} to {high}" in l07.brief_status("word " * ((low + high) // 2))
    assert "over the limit" in l07.brief_status("word " * (high + 20))
    assert l07.save_brief(...).startswith("Not saved")
    assert l07.saved_briefs() == []
    assert l07.save_brief("word " * 210).startswith("Saved")
    assert l07.saved_briefs() == [("word " * 210).strip()]


def test_brief_is_never_called_saved_when_the_store_refuses_it(monkeypatch):
    """A store that fails: the brief says what was not saved, never "Saved", and stores nothing."""
    from coursekit.progress import api

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(api, "record_event", broken)
    said = l07.save_brief("word " * 210)
    assert not said.startswith("Saved") and "was not saved" in said and "still in this cell" in said
    monkeypatch.undo()
    assert l07.saved_briefs() == []


def test_brief_editor_counts_and_saves_a_reflection():
    ed = l07.brief_editor()
    ed.textarea.value = "evidence " * 220
    assert "220 words" in ed.count.value
    ed.save.click()
    assert "Saved" in ed.status.value
    saved = [e for e in progress.events("07") if e["kind"] == "reflection"]
    assert len(saved) == 1 and saved[0]["item"] == l07.BRIEF_ITEM
    bundle = ed._repr_mimebundle_()
    assert "run the notebook" in bundle["text/html"]


def test_rubric_is_the_exercise_specs_and_the_lesson_renders_it():
    from coursekit.quizzes import checks

    lines = checks.get_exercise("07.6").rubric
    html = l07.rubric()._repr_html_()
    for line in lines:
        criterion, description = line.split(": ", 1)
        shown = description[0].upper() + description[1:]
        assert criterion in html and html_escape(shown) in html
        instructor = (ROOT / "instructor" / "07_synthesis.md").read_text(encoding="utf-8")
        assert f"| {criterion} | {shown} |" in instructor
    assert "l07.rubric()" in LESSON_MD.read_text(encoding="utf-8")


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
                    "## Going further: spaced review", "## Your brief", "## The article re-assessed"):
        assert heading in text
    assert text.count("plots.show(") >= 4
    assert 'quiz("07")' in text and "progress.dashboard()" in text
