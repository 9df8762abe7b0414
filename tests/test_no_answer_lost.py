"""No answer lost, and no learner told "saved" (or shown "✓ Correct") when it was not.

One test (or family) per root cause, each the reproduction that once lost an answer or misled a
learner, driven through the public API a notebook uses: quiz widgets, check(), the progress
helpers. The multi-process recovery (cause 5) is in test_progress_recovery.py.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from coursekit.quizzes import checks

from coursekit.progress import api as progress

from coursekit import quiz
from coursekit.progress import store as ps

CORRECT = "\u2713 Correct"


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def course_specs(monkeypatch):
    monkeypatch.delenv("COURSEKIT_EXERCISE_SPECS", raising=False)
    checks._specs_cached.cache_clear()
    yield
    checks._specs_cached.cache_clear()


def _reflection_item() -> str:
    from coursekit.quizzes.bank import load_bank

    return next(q.id for q in load_bank("00").questions if q.type == "reflection")


# --- 1. Stale feedback: the feedback always describes the answer entered now -----------------


def test_cause1_numeric_feedback_follows_the_answer_back_to_a_right_one(db):
    w = quiz("00", "q3")
    w.box.value = "244.81"
    assert CORRECT in w.feedback.value
    w.box.value = "abc"
    assert "Not checked yet" in w.feedback.value and "abc" in w.feedback.value
    w.box.value = "244.81"
    assert CORRECT in w.feedback.value, words(w.feedback.value)
    assert "abc" not in w.feedback.value and "Not checked yet" not in w.feedback.value
    assert w.tries == 1 and len(progress.events()) == 1  # the same answer again: no new try


def test_cause1_multiple_select_feedback_follows_the_answer(db):
    w = quiz("00", "q2")
    right = [c.correct for c in w.question.choices]
    for box, ok in zip(w.boxes, right):
        box.value = ok
    w.check.click()
    assert CORRECT in w.feedback.value
    for box in w.boxes:
        box.value = False
    w.check.click()
    assert "Not checked yet" in w.feedback.value
    for box, ok in zip(w.boxes, right):
        box.value = ok
    w.check.click()
    assert CORRECT in w.feedback.value and "Not checked yet" not in w.feedback.value


def test_cause1_order_feedback_follows_the_answer(db):
    w = quiz("00", "q4")
    for radios, item in zip(w.rows, w.row_items):
        radios.value = item  # the row showing item k belongs in position k
    w.check.click()
    assert CORRECT in w.feedback.value
    w.rows[0].value, w.rows[1].value = w.rows[1].value, w.rows[1].value  # a position used twice
    w.check.click()
    assert "Not checked yet" in w.feedback.value
    for radios, item in zip(w.rows, w.row_items):
        radios.value = item
    w.check.click()
    assert CORRECT in w.feedback.value and "Not checked yet" not in w.feedback.value


# --- 2. "✓ Saved." (or "✓ Correct") only when the store has the event ------------------------


@pytest.mark.parametrize("text, stored", [
    ("x" * 1_200_000, None),  # over the limit: refused, and the limit is stated
    ("caf\u00e9 \ud800", "caf\u00e9 \ufffd"),  # a lone surrogate: replaced, then saved
], ids=["1.2M-chars", "lone-surrogate"])
def test_cause2_reflection_says_saved_only_when_stored(db, text, stored):
    w = quiz("00", _reflection_item())
    w.control.value = text
    w.check.click()
    events = progress.events()
    if stored is None:
        assert events == []
        assert "Saved" not in w.feedback.value.replace("Not saved", "")
        assert "Not saved" in w.feedback.value and "100,000 characters" in w.feedback.value
        assert w.status != "saved"
    else:
        assert [e["answer"] for e in events] == [stored]
        assert "\u2713 Saved." in w.feedback.value
        w.feedback.value.encode("utf-8")  # the notebook's front end can carry it


def test_cause2_a_right_answer_that_could_not_be_stored_is_not_shown_as_correct(db,
                                                                               monkeypatch):
    w = quiz("00", "q3")
    w.box.value = "$" + " " * 1_000_001 + "244.81"  # once shown as correct, stored nowhere
    assert (CORRECT in w.feedback.value) == (len(progress.events()) == 1)
    store = progress.get_store()
    working = store._conn
    monkeypatch.setattr(store, "_conn", IOErrorConnection(working))
    w.box.value = "244.810"
    assert progress.events() == []
    assert CORRECT not in w.feedback.value
    assert "Not saved" in w.feedback.value and "is right" in w.feedback.value
    store._conn = working  # the disk works again: the same answer, checked again, is saved
    w.check.click()
    assert CORRECT in w.feedback.value and len(progress.events()) == 1


# --- 3. check() never raises, whatever object the learner assigns ----------------------------


def _self_referencing() -> list[Any]:
    a: list[Any] = []
    a.append(a)
    return a


def _nested(depth: int) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    return outer


class BrokenRepr:
    def __repr__(self) -> str:
        raise ValueError("no repr for you")


@pytest.mark.parametrize("make", [_self_referencing, lambda: _nested(5_000), BrokenRepr,
                                  lambda: {"k": _self_referencing()}],
                         ids=["self-referencing", "nested-5000", "broken-repr", "dict-cycle"])
@pytest.mark.parametrize("exercise_id", ["02.3", "01.2", "02.2", "07.6"])
def test_cause3_check_gives_a_verdict_for_any_object(db, course_specs, make, exercise_id):
    result = checks.check(exercise_id, make())
    assert str(result).startswith("not yet: ") and "Traceback" not in str(result)
    assert result.status == "wrong"


# --- 4. Checked means recorded: a bounded, safe representation of any answer ------------------


@pytest.mark.parametrize("answer, kept", [
    (10 ** 5000, "<a whole number of about 5,001 digits>"),
    ("12\ud800", "12\ufffd"),
    ("9" * 1_000_001, None),  # longer than the store takes: kept cut, with its length
], ids=["5001-digit-int", "lone-surrogate", "million-char-text"])
def test_cause4_every_checked_answer_is_recorded(db, course_specs, answer, kept):
    result = checks.check("01.2", answer)
    assert str(result).startswith("not yet: ")
    [event] = progress.events()
    assert event["item"] == "01.2" and event["correct"] is False
    if kept is not None:
        assert event["answer"] == kept
    else:
        assert event["answer"].startswith("9" * 1000) and "1,000,001 characters" in event["answer"]
        assert len(event["answer"]) <= ps.MAX_SNAPSHOT_CHARS + 100
    assert ps.parse_export(progress.export_json()).events[0]["answer"] == event["answer"]


# --- 6. A file with the course's mark but other columns --------------------------------------


def test_cause6_marked_file_with_other_columns_is_moved_aside_and_announced(db):
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.executescript(f"""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE events (id TEXT PRIMARY KEY, note TEXT);
        INSERT INTO events VALUES ('a', 'my own notes');
        PRAGMA application_id = {ps.APPLICATION_ID};
        PRAGMA user_version = 2;
    """)
    conn.close()
    original = db.read_bytes()
    w = quiz("00", "q3")
    w.box.value = "244.81"
    assert CORRECT in w.feedback.value
    [event] = progress.events()
    assert event["answer"] == "244.81"
    assert progress.summary()["00"]["quiz_correct"] == 1
    assert progress.download_link() is not None and progress.export_json()
    moved = db.with_name(f"{db.name}.corrupt-1")
    assert moved.read_bytes() == original  # kept, unchanged
    assert str(moved) in progress.where() and "columns" in progress.where()
    assert "columns" in w.feedback.value  # announced at the next interaction, too


# --- 7. Disk full mid-session: kept in the session, shown at the next interaction ------------


def _fill_the_disk(store: ps.Store) -> None:
    """Make the database full, as a full disk would: SQLite then answers SQLITE_FULL."""
    conn = store._conn
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.record("attempt", "00", "00.q1", answer="x" * 20_000)


class IOErrorConnection:
    """A connection whose inserts fail as on a failing disk ("disk I/O error")."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def test_cause7_disk_full_is_kept_and_shown_with_what_to_do(db, course_specs, monkeypatch):
    store = progress.get_store()
    _fill_the_disk(store)
    brief = "Evidence shows a partnership of governments rather than companies. " * 300
    result = checks.check("07.6", brief)  # 2,700 words: more pages than the disk has
    assert not str(result).startswith("Saved") and result.saved is False
    assert str(result).startswith("Not saved (2,700 words). Your answer to 07.6 was not saved")
    assert "is full" in str(result) and "Free some space" in str(result)
    assert progress.events() == []
    from coursekit.progress import recorder as events  # a lesson helper that ignores the outcome, as a brief editor

    events.record("reflection", "07", "07.brief", answer=brief, whole=True)
    w = quiz("00", "q3")  # a short answer still fits: saved, and the failure is announced
    w.box.value = "244.81"
    assert CORRECT in w.feedback.value and "Earlier in this session" in w.feedback.value
    assert "text for 07.brief was not saved" in w.feedback.value
    assert "07.6" not in w.feedback.value  # the check showed its own failure already
    text = progress.where()
    assert "Not saved in this session: 2 events could not be stored" in text
    assert "Free some space" in text and "download_link()" in text
    shown = _dashboard_notes(monkeypatch)
    assert any("could not be stored" in note and "is full" in note for note in shown)


def test_cause7_disk_io_errors_are_kept_and_shown_with_what_to_do(db, monkeypatch):
    store = progress.get_store()
    monkeypatch.setattr(store, "_conn", IOErrorConnection(store._conn))
    first = quiz("00", "q3")
    first.box.value = "244.81"
    assert CORRECT not in first.feedback.value
    assert "Not saved" in first.feedback.value and "Free some space" in first.feedback.value
    assert progress.events() == []
    # a silent caller (a lesson helper ignoring the outcome) loses nothing silently either:
    from coursekit.progress import recorder as events

    events.record("rating", "06", "06.risks", answer={"chips": 3})
    second = quiz("00", "q1")
    second.control.value = second.question.choices[0].letter
    second.check.click()
    assert "Earlier in this session" in second.feedback.value
    assert "rating for 06.risks was not saved" in second.feedback.value
    text = progress.where()
    assert "Not saved in this session: 3 events could not be stored" in text
    assert "disk I/O error" in text and "download_link()" in text
    shown = _dashboard_notes(monkeypatch)
    assert any("could not be stored" in note and "disk I/O error" in note for note in shown)


def _dashboard_notes(monkeypatch) -> list[str]:
    from coursekit.display import charts as plots

    shown: list[Any] = []
    monkeypatch.setattr(plots, "show", lambda fig, **k: plots.png_bytes(fig))
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a[0]))
    progress.dashboard()
    return [getattr(item, "data", "") for item in shown]


# --- Also: an unknown lesson is refused loudly where the course is checked --------------------


def test_the_store_records_every_lesson_of_the_course_and_only_those(db):
    from coursekit.model import course

    assert ps.LESSONS == course.lesson_ids()
    for lesson in course.lesson_ids():
        progress.record_event("view", lesson, f"{lesson}.intro")
    with pytest.raises(ValueError, match="course.toml"):
        progress.record_event("view", "08", "08.intro")
    assert sorted(progress.summary()) == list(course.lesson_ids())


def test_no_caller_ignores_whether_an_event_was_stored():
    """`recorder.record()` returns an Outcome, falsy when nothing was stored; a caller that drops
    it cannot tell the learner the truth (the risk matrix and the brief once said "Saved" after a
    failed store). Every call in the package must use its result."""
    import ast

    from coursekit.model.paths import ROOT

    bare = []
    for path in sorted((ROOT / "coursekit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "record"
                    and isinstance(node.value.func.value, ast.Name)
                    and node.value.func.value.id in {"events", "recorder"}):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, "these calls drop the Outcome of record(): " + ", ".join(bare)


def test_a_store_kept_busy_by_another_kernel_is_waited_for_not_abandoned(tmp_path, monkeypatch):
    """Another kernel's writes can keep the file locked longer than SQLite waits (under load,
    three kernels writing at once did). Opening must wait and use the learner's file, not fall
    back to the temporary folder, which would split the record."""
    import threading
    import time

    from coursekit.progress import database

    path = tmp_path / "progress.sqlite3"
    first = ps.Store(path)
    first.record("attempt", "01", "01.q1", correct=True, answer="A")
    first.close()
    monkeypatch.setattr(ps, "BUSY_TIMEOUT_S", 0.1)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.1)
    other = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another kernel in the middle of its writes
    release = threading.Timer(1.0, lambda: other.execute("ROLLBACK"))
    release.start()
    started = time.monotonic()
    store = ps.Store(path)
    release.join()
    other.close()
    assert time.monotonic() - started >= 0.9  # it waited for the other kernel
    assert store.path == path and not store.notice, store.notice
    assert store.count() == 1
