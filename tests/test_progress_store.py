"""coursekit.progress.api: storage, location, damaged files, migrations, export and import."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.progress import api as progress

from coursekit.progress import store as ps
from coursekit.model.paths import ROOT




def sample_events(store: ps.Store) -> list[str]:
    ids = [
        store.record("attempt", "01", "01.q1", correct=False, misconception="target-as-pledge",
                     answer="b"),
        store.record("attempt", "01", "01.q1", correct=True, answer="c"),
        store.record("attempt", "02", "02.3", correct=True,
                     answer={"share": 0.4, "years": [2022, 2023], "note": "Ünïcode 中文"}),
        store.record("reflection", "02", "02.r1", answer="Sanctions shifted trade routes."),
        store.record("rating", "03", "03.rating", answer=4),
        store.record("view", "00", "00.intro"),
    ]
    return ids


def resign(doc: dict) -> str:
    doc = dict(doc)
    doc["checksum"] = ps.checksum(doc["events"])
    doc["count"] = len(doc["events"])
    return json.dumps(doc)


def raw_id(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("PRAGMA application_id").fetchone()[0],
                conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# --- basic recording ----------------------------------------------------------------------


def test_record_and_read_back(db):
    event_id = progress.record_event("attempt", "01", "01.q3", correct=True,
                                     misconception=None, answer={"choice": "b"})
    assert len(event_id) == 32 and int(event_id, 16) >= 0
    [ev] = progress.events()
    assert ev["id"] == event_id and ev["answer"] == {"choice": "b"} and ev["correct"] is True
    assert ev["learner"] == progress.learner() and ev["ts"].endswith("Z")
    assert progress.events("02") == []
    assert raw_id(db) == (ps.APPLICATION_ID, ps.SCHEMA)


def test_database_settings(db):
    progress.record_event("view", "00", "00.intro")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    store = progress.get_store()
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert not Path(f"{db}-wal").exists()


def test_ids_are_unique_uuid4_hex(db):
    ids = {progress.record_event("view", "00", "00.intro") for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 32 and i[12] == "4" for i in ids)


@pytest.mark.parametrize("kwargs, word", [
    (dict(kind="click", lesson="01", item="01.q1"), "kind"),
    (dict(kind="attempt", lesson="8", item="01.q1"), "lesson"),
    (dict(kind="attempt", lesson="08", item="01.q1"), "lesson"),
    (dict(kind="attempt", lesson="01", item="q1"), "item"),
    (dict(kind="attempt", lesson="01", item="01.q1", correct="yes"), "correct"),
    (dict(kind="attempt", lesson="01", item="01.q1", misconception="bad\nline"), "misconception"),
])
def test_record_rejects_bad_fields(db, kwargs, word):
    with pytest.raises(ValueError, match=word):
        progress.record_event(**kwargs)
    assert progress.events() == []


def test_events_record_seam_forwards_never_raises_and_says_what_happened(db):
    from coursekit.progress import recorder as events

    events._forget_session()
    saved = events.record("attempt", "05", "05.2", correct=True, answer=1.5)
    assert saved and saved.saved and saved.event_id == progress.events()[0]["id"]
    refused = events.record("attempt", "nope", "05.2")  # bad field: not stored, but said so
    assert not refused and refused.event_id is None
    assert "was not saved" in refused.problem and "'nope'" in refused.problem
    assert [e["item"] for e in progress.events()] == ["05.2"]
    assert [f.problem for f in events.session_failures()] == [refused.problem]
    events._forget_session()


def test_answers_that_are_not_json_are_kept_as_text(db):
    class Thing:
        def __str__(self) -> str:
            return "thing"

    progress.record_event("attempt", "01", "01.q1", answer={"a": Thing(), "s": {2, 1}})
    progress.record_event("attempt", "01", "01.q2", answer=float("nan"))
    answers = [e["answer"] for e in progress.events()]
    assert answers[0] == {"a": "thing", "s": [1, 2]}
    assert answers[1] == "nan"
    assert ps.parse_export(progress.export_json()).events[1]["answer"] == "nan"


def test_events_are_append_only(db):
    progress.record_event("attempt", "01", "01.q1", correct=False)
    conn = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET correct = 1")
    conn.close()


def test_learner_is_pseudonymous_and_settable(db, monkeypatch):
    first = progress.learner()
    assert first.startswith("learner-") and len(first) == 16
    progress.record_event("view", "00", "00.intro")
    assert progress.set_learner("  river-otter ") == "river-otter"
    progress.record_event("view", "00", "00.intro")
    assert [e["learner"] for e in progress.events()] == [first, "river-otter"]
    with pytest.raises(ValueError):
        progress.set_learner("")
    monkeypatch.setenv(ps.ENV_LEARNER, "build")
    assert ps.Store.memory().learner == "build"


def test_summary_per_lesson(db):
    sample_events(progress.get_store())
    progress.record_event("attempt", "01", "01.q2", correct=False)
    progress.record_event("attempt", "02", "02.3", correct=False)  # solved earlier: stays solved
    progress.record_event("attempt", "02", "02.4", correct=False)
    progress.record_event("attempt", "01", "01.pre1", answer="guess")
    s = progress.summary()
    assert sorted(s) == list(ps.LESSONS)
    assert s["01"]["quiz_correct"] == 1            # 01.q1 latest right, 01.q2 wrong
    assert s["01"]["quiz_total_items_seen"] == 2
    assert s["01"]["quiz_first_try_correct"] == 0
    assert s["01"]["pretests"] == 1
    assert s["02"]["exercises_correct"] == 1 and s["02"]["exercises_attempted"] == 2
    assert s["02"]["reflections"] == 1
    assert s["07"] == dict.fromkeys(s["07"], 0)


def test_review_orders_wrong_then_unseen_then_oldest(db):
    store = progress.get_store()
    store.record("attempt", "01", "01.q1", correct=True)
    store.record("attempt", "01", "01.q2", correct=False)
    store.record("attempt", "02", "02.q1", correct=True)
    store.record("attempt", "02", "02.q2", correct=False)
    store.record("attempt", "01", "01.q2", correct=True)   # fixed later: no longer wrong
    store.record("attempt", "03", "03.q1", correct=False)
    assert progress.review(3) == ["02.q2", "03.q1", "01.q1"]
    assert progress.review(3, lesson="03") == ["02.q2", "01.q1", "02.q1"]
    # candidates limit the choice: 02.q2 (wrong) is not among them, so the unseen 01.q9 comes
    # first, then 02.q1 (answered right); 04.q1 is not before lesson 03.
    assert progress.review(2, lesson="03", candidates=["01.q9", "02.q1", "04.q1"]) == [
        "01.q9", "02.q1"]
    assert progress.review(1, candidates=["02.q2", "01.q1"]) == ["02.q2"]
    assert progress.review(2, lesson="03", build=lambda item: f"<quiz {item}>") == [
        "<quiz 02.q2>", "<quiz 01.q1>"]
    assert progress.review(0) == []


# --- location -----------------------------------------------------------------------------


def test_default_location_respects_xdg_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv(ps.ENV_DB, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ps.default_path() == tmp_path / "xdg" / "ai-under-sanctions" / "progress.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # invalid per the XDG spec: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    assert ps.default_path() == (tmp_path / "h" / ".local" / "share" / "ai-under-sanctions"
                                 / "progress.sqlite3")
    monkeypatch.setenv(ps.ENV_DB, str(tmp_path / "x.db"))
    assert ps.default_path() == tmp_path / "x.db"
    monkeypatch.setenv(ps.ENV_DB, str(tmp_path))  # a folder: our file name inside it
    assert ps.default_path() == tmp_path / "progress.sqlite3"


def test_unwritable_folder_falls_back_to_temp_and_says_where(db, monkeypatch, tmp_path):
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self == db.parent:
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    progress.record_event("attempt", "01", "01.q1", correct=True)
    store = progress.get_store()
    spare = ps.fallback_path()
    assert store.path == spare and spare.is_relative_to(tmp_path / "tmp")
    assert not db.exists()
    assert str(db) in store.notice and str(spare) in store.notice
    assert "Permission denied" in store.notice and "download_link()" in store.notice
    text = progress.where()
    assert str(spare) in text and "Permission denied" in text
    assert len(progress.events()) == 1


def test_unopenable_file_falls_back(db, monkeypatch):
    real = ps._connect

    def connect(path: str) -> sqlite3.Connection:
        if path == str(db):
            raise sqlite3.OperationalError("unable to open database file")
        return real(path)

    monkeypatch.setattr(ps, "_connect", connect)
    store = ps.Store(db)
    assert store.path == ps.fallback_path()
    assert "unable to open database file" in store.notice


def test_read_only_database_is_detected_before_the_first_answer(db, monkeypatch):
    ps.Store(db).record("view", "00", "00.intro")
    before = db.read_bytes()

    def connect_read_only(path: str) -> sqlite3.Connection:  # what a read-only file gives
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)

    monkeypatch.setattr(ps, "_connect", lambda path: (
        connect_read_only(path) if path == str(db) else sqlite3.connect(
            path, isolation_level=None, check_same_thread=False)))
    store = ps.Store(db)
    assert store.path == ps.fallback_path()
    assert "read-only" in store.notice
    store.record("view", "00", "00.intro")
    assert db.read_bytes() == before


def test_both_locations_unwritable_keeps_progress_in_memory(db, monkeypatch):
    monkeypatch.setattr(ps, "_ensure_dir", lambda folder: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied")))
    store = ps.Store(db)
    assert store.path is None and "in memory only" in store.notice
    store.record("view", "00", "00.intro")
    assert store.count() == 1
    with pytest.raises(PermissionError):
        ps.Store(db, fallback=False)


def test_newer_schema_file_is_left_untouched(db):
    ps.Store(db).record("view", "00", "00.intro")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    before = db.read_bytes()
    store = ps.Store(db)
    assert store.path == ps.fallback_path() and "newer version" in store.notice
    store.record("view", "00", "00.intro")
    assert db.read_bytes() == before


def test_file_deleted_while_running_is_recreated(db):
    store = ps.Store(db)
    store.record("view", "00", "00.intro")
    db.unlink()
    store.record("view", "00", "00.intro")
    assert db.exists() and store.count() == 1
    assert "removed or replaced" in store.notice
    assert len(ps.Store(db).events()) == 1  # written to the visible file, not a ghost


# --- damaged and foreign files --------------------------------------------------------------


def assert_moved_aside(path: Path, original: bytes, n: int, store: ps.Store) -> None:
    moved = path.with_name(f"{path.name}.corrupt-{n}")
    assert moved.read_bytes() == original
    assert store.path == path and str(moved) in store.notice
    assert "moved aside" in store.notice and "upload()" in store.notice
    store.record("view", "00", "00.intro")
    assert store.count() == 1
    assert raw_id(path) == (ps.APPLICATION_ID, ps.SCHEMA)


def test_garbage_file_is_moved_aside(db):
    db.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 40
    db.write_bytes(garbage)
    store = ps.Store(db)
    assert_moved_aside(db, garbage, 1, store)
    assert "not a readable SQLite database" in store.notice


def test_second_corrupt_file_never_overwrites_the_first(db):
    db.parent.mkdir(parents=True)
    db.with_name(db.name + ".corrupt-1").write_bytes(b"first")
    db.write_bytes(b"second file, also garbage" * 100)
    store = ps.Store(db)
    assert db.with_name(db.name + ".corrupt-1").read_bytes() == b"first"
    assert_moved_aside(db, b"second file, also garbage" * 100, 2, store)


def test_garbage_with_stray_journal_starts_clean(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"x" * 5000)
    Path(f"{db}-journal").write_bytes(b"j" * 600)
    store = ps.Store(db)
    assert_moved_aside(db, b"x" * 5000, 1, store)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_move_aside_takes_the_journal_along(tmp_path):
    store = ps.Store.memory()
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"db")
    Path(f"{path}-journal").write_bytes(b"journal")
    store._move_aside(path, "test")
    assert not path.exists() and not Path(f"{path}-journal").exists()
    assert Path(f"{path}.corrupt-1").read_bytes() == b"db"
    assert Path(f"{path}.corrupt-1-journal").read_bytes() == b"journal"


@pytest.mark.parametrize("setup", ["other-tables", "other-app-id"])
def test_foreign_sqlite_file_is_moved_aside(db, setup):
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    if setup == "other-tables":
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('my thesis')")
    else:
        conn.execute("PRAGMA application_id = 12345")
    conn.commit()
    conn.close()
    original = db.read_bytes()
    store = ps.Store(db)
    assert "belongs to another program" in store.notice
    assert_moved_aside(db, original, 1, store)


def test_damaged_pages_are_detected(db):
    store = ps.Store(db)
    for i in range(300):
        store.record("attempt", "01", f"01.q{i}", correct=True, answer="x" * 200)
    store.close()
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page:5 * page] = b"\xa5" * (3 * page)  # keep the header, smash table pages
    db.write_bytes(bytes(data))
    store = ps.Store(db)
    assert "damaged" in store.notice or "not a readable" in store.notice
    assert_moved_aside(db, bytes(data), 1, store)


def test_notice_reaches_the_learner_through_where(db):
    db.parent.mkdir(parents=True)
    db.write_bytes(b"garbage" * 100)
    text = progress.where()
    assert f"{db}.corrupt-1" in text and text.startswith("Note:")
    assert repr(text) == str(text)  # shown as plain words in a notebook


# --- database migration ---------------------------------------------------------------------

V1_DB = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    id TEXT PRIMARY KEY CHECK (length(id) = 32),
    kind TEXT NOT NULL CHECK (kind IN ('attempt', 'reflection', 'rating', 'view')),
    lesson TEXT NOT NULL, item TEXT NOT NULL, correct INTEGER CHECK (correct IN (0, 1)),
    misconception TEXT, answer TEXT, ts TEXT NOT NULL
);
CREATE INDEX events_lesson ON events (lesson, ts);
INSERT INTO meta VALUES ('app', 'ai-under-sanctions'), ('learner', 'anna');
INSERT INTO events VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'attempt', '01', '01.q1', 0,
    'target-as-pledge', '"b"', '2026-01-05T10:00:00.000000Z');
INSERT INTO events VALUES ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'attempt', '01', '01.q1', 1, NULL,
    '"c"', '2026-01-05T10:01:00.000000Z');
PRAGMA application_id = 1095325011;
PRAGMA user_version = 1;
"""


def test_v1_database_migrates_to_v2(db):
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.executescript(V1_DB)
    conn.close()
    store = ps.Store(db)
    assert store.notice is None
    assert raw_id(db) == (ps.APPLICATION_ID, 2)
    old = store.events()
    assert [e["learner"] for e in old] == ["anna", "anna"]
    assert [e["answer"] for e in old] == ["b", "c"]
    store.record("attempt", "01", "01.q2", correct=True)
    assert store.events()[-1]["learner"] == "anna"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store._conn.execute("UPDATE events SET correct = 0")


# --- export and import ----------------------------------------------------------------------


def test_export_import_round_trip(db, tmp_path):
    store = progress.get_store()
    sample_events(store)
    target = tmp_path / "progress.json"
    assert progress.export_json(target) == target
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["app"] == "ai-under-sanctions" and doc["schema"] == ps.SCHEMA
    assert doc["count"] == 6 and doc["events"] == store.events()
    canonical = json.dumps(doc["events"], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":")).encode()
    assert doc["checksum"] == hashlib.sha256(canonical).hexdigest()
    other = ps.Store(tmp_path / "other.sqlite3")
    result = other.import_json(target)
    assert result.ok and (result.added, result.skipped, result.conflicts) == (6, 0, 0)
    assert other.events() == store.events()
    assert other.export_text() == progress.export_json()
    again = other.import_json(str(target))
    assert (again.added, again.skipped) == (0, 6) and "6 were already here" in again.message


def test_empty_export_is_deterministic(db, tmp_path, monkeypatch):
    monkeypatch.delenv(ps.ENV_LEARNER, raising=False)
    assert ps.Store(tmp_path / "a.db").export_text() == ps.Store(tmp_path / "b.db").export_text()


def test_import_merges_by_id(db, tmp_path):
    a = ps.Store(tmp_path / "a.db")
    b = ps.Store(tmp_path / "b.db")
    ids_a = sample_events(a)
    own = b.record("attempt", "04", "04.q1", correct=True)
    b.import_json(a.export_text())
    assert {e["id"] for e in b.events()} == set(ids_a) | {own}
    a.import_json(b.export_text())
    assert a.export_text() == b.export_text()
    assert a.import_json(b.export_text()).added == 0


def test_conflicting_event_keeps_the_local_one(db, tmp_path):
    a = ps.Store(tmp_path / "a.db")
    sample_events(a)
    doc = json.loads(a.export_text())
    doc["events"][0]["answer"] = "edited"
    result = a.import_json(resign(doc))
    assert result.ok and result.conflicts == 1 and result.skipped == 5
    assert "were kept" in result.message
    assert a.events()[0]["answer"] == "b"


def v1_export(learner: str = "anna") -> dict:
    events = [
        {"id": "c" * 32, "kind": "attempt", "lesson": "02", "item": "02.q1", "correct": True,
         "misconception": None, "answer": "a", "ts": "2026-02-01T09:00:00Z"},
        {"id": "d" * 32, "kind": "reflection", "lesson": "02", "item": "02.r1", "correct": None,
         "misconception": None, "answer": "text", "ts": "2026-02-01T09:05:00+00:00"},
    ]
    return {"app": "ai-under-sanctions", "schema": 1, "learner": learner, "events": events,
            "checksum": ps.checksum(events)}


def test_old_export_schema_migrates_on_import(db):
    store = progress.get_store()
    result = progress.import_json(json.dumps(v1_export()))
    assert result.ok and result.added == 2 and result.schema_in_file == 1
    assert "converted" in result.message
    evs = store.events()
    assert [e["learner"] for e in evs] == ["anna", "anna"]
    assert [e["ts"] for e in evs] == ["2026-02-01T09:00:00.000000Z",
                                      "2026-02-01T09:05:00.000000Z"]
    bad = v1_export(learner="")
    assert "learner" in progress.import_json(json.dumps(bad)).reason


def good_export() -> dict:
    store = ps.Store.memory()
    sample_events(store)
    return json.loads(store.export_text())


def _refusals() -> list[tuple[str, object, str]]:
    base = good_export()
    text = json.dumps(base)
    cases: list[tuple[str, object, str]] = [
        ("malformed", "{not json", "not valid JSON"),
        ("truncated", text[: len(text) // 2], "truncated"),
        ("empty", "   ", "empty"),
        ("not-object", "[1, 2]", "not a progress export"),
        ("no-app", json.dumps({k: v for k, v in base.items() if k != "app"}), "no 'app'"),
        ("wrong-app", json.dumps({**base, "app": "jupyterquiz"}), "another application"),
        ("newer-schema", json.dumps({**base, "schema": 3}), "newer"),
        ("unknown-schema", json.dumps({**base, "schema": 0}), "does not know"),
        ("string-schema", json.dumps({**base, "schema": "2"}), "schema"),
        ("bool-schema", json.dumps({**base, "schema": True}), "schema"),
        ("no-events", json.dumps({**base, "events": {}}), "'events'"),
        ("no-checksum", json.dumps({k: v for k, v in base.items() if k != "checksum"}),
         "checksum"),
        ("checksum", text.replace('"Sanctions shifted', '"Sanctions did not shift'),
         "checksum does not match"),
        ("count", json.dumps({**base, "count": 5}), "holds 5"),
        ("duplicate-key", text[:-1] + ', "app": "ai-under-sanctions"}', "appears twice"),
        ("nan", text.replace('"answer": 4', '"answer": NaN'), "NaN"),
        ("huge-int", text.replace('"answer": 4', '"answer": ' + "9" * 5000), "not valid JSON"),
        ("not-utf8", b"\xff\xfe" + text.encode("utf-16-le"), "UTF-8"),
        ("missing-file", "/nonexistent/progress.json", "no file"),
    ]
    field_cases = [
        ("bad-id", 0, "id", "xyz", "'id'"),
        ("bad-kind", 0, "kind", "click", "'kind'"),
        ("bad-lesson", 1, "lesson", "12", "'lesson'"),
        ("bad-item", 2, "item", "", "'item'"),
        ("bad-correct", 0, "correct", 2, "'correct'"),
        ("float-correct", 0, "correct", 1.0, "'correct'"),
        ("bad-misconception", 0, "misconception", 7, "'misconception'"),
        ("bad-learner", 3, "learner", "", "'learner'"),
        ("naive-ts", 0, "ts", "2026-01-01T10:00:00", "time zone"),
        ("bad-ts", 0, "ts", "yesterday", "'ts'"),
    ]
    for name, index, key, value, reason in field_cases:
        doc = json.loads(text)
        doc["events"][index][key] = value
        cases.append((name, resign(doc), reason))
    doc = json.loads(text)
    doc["events"][1]["extra"] = 1
    cases.append(("unknown-field", resign(doc), "unknown field 'extra'"))
    doc = json.loads(text)
    del doc["events"][1]["ts"]
    cases.append(("missing-field", resign(doc), "no 'ts'"))
    doc = json.loads(text)
    doc["events"][2]["id"] = doc["events"][0]["id"]
    cases.append(("duplicate-id", resign(doc), "repeats the id"))
    doc = json.loads(text)
    doc["events"][4] = "not an event"
    cases.append(("event-not-object", resign(doc), "not a JSON object"))
    return cases


@pytest.mark.parametrize("name, data, reason", _refusals(), ids=[c[0] for c in _refusals()])
def test_import_refusals_leave_store_unchanged(db, name, data, reason):
    store = progress.get_store()
    store.record("attempt", "01", "01.q5", correct=True)
    before = store.export_text()
    result = progress.import_json(data)
    assert not result.ok and not result
    assert reason in result.reason, result.reason
    assert result.message.startswith("Nothing was imported: ")
    assert store.export_text() == before


def test_import_refuses_folder_and_huge_file(db, tmp_path, monkeypatch):
    assert "folder" in progress.import_json(tmp_path).reason
    monkeypatch.setattr(ps, "MAX_IMPORT_BYTES", 10)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(good_export()))
    assert "larger than" in progress.import_json(big).reason


def test_reset_needs_confirmation(db):
    sample_events(progress.get_store())
    for wrong in (None, False, "yes", 1):
        with pytest.raises(ps.ResetNotConfirmed, match="Nothing was deleted"):
            progress.reset(confirm=wrong)  # type: ignore[arg-type]
    with pytest.raises(ps.ResetNotConfirmed):
        progress.reset()
    assert len(progress.events()) == 6
    learner = progress.learner()
    assert progress.reset(confirm=True) == 6
    assert progress.events() == [] and progress.learner() == learner


def test_import_is_cheap_and_lazy():
    code = ("import sys, coursekit.progress.api; "
            "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'IPython', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]" and out.stderr == ""
