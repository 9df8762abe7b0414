"""The learner's progress record: an append-only event log in one SQLite file.

Why it is built this way (BLUEPRINT section 6):
- SQLite from the standard library: nothing to install, one file the learner can see and copy.
- Writes take `BEGIN IMMEDIATE` with a busy timeout, so two kernels of the same learner (two open
  notebooks) queue instead of failing.
- A location that cannot be written falls back to a temporary file, and `Store.notice` says so in
  words the notebook shows (nothing is printed: stderr output would break nbval).
- A foreign or damaged file at our path is moved aside, never overwritten, and a fresh record
  starts (coursekit.progress.database says what a usable file is; coursekit.progress.recovery
  repairs one kernel at a time).
- Any answer can be recorded (coursekit.progress.answers); export and import use JSON with a
  schema version and a checksum (coursekit.progress.exchange).

This module never imports ipywidgets or matplotlib; the notebook helpers are in
coursekit.progress.ui. The names other modules use are importable from here too.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

from coursekit.model.safetext import clean_text
from coursekit.progress import database, recovery
from coursekit.progress.answers import answer_text, canonical_json, snapshot, stored_answer
from coursekit.progress.database import ENV_LEARNER, Busy, Unusable, Unwritable, new_learner_id
from coursekit.progress.exchange import (
    MAX_IMPORT_BYTES, ImportRefused, ImportResult, ParsedExport, checksum, parse_export,
    read_source, render_export, validate_event,
)
from coursekit.progress.failures import (BUSY_TIMEOUT_S, OPEN_WAIT_S, describe_failure,
                                         describe_os_error, errname)
from coursekit.progress.fields import (
    APP, APPLICATION_ID, FIELDS, KINDS, LESSONS, MAX_ANSWER_CHARS, MAX_SNAPSHOT_CHARS,
    MAX_TEXT_CHARS, PRETEST_ITEM_RE, SCHEMA, EventError, TextTooLong, check_common,
    check_correct, check_new_name, item_type, now_utc,
)
from coursekit.progress.locations import ENV_DB, FILENAME, default_path, fallback_path
from coursekit.progress.tally import summarise

__all__ = [
    "APP", "APPLICATION_ID", "BUSY_TIMEOUT_S", "ENV_DB", "ENV_LEARNER", "FIELDS", "FILENAME",
    "KINDS", "LESSONS", "MAX_ANSWER_CHARS", "MAX_IMPORT_BYTES", "MAX_SNAPSHOT_CHARS",
    "MAX_TEXT_CHARS", "PRETEST_ITEM_RE", "SCHEMA", "EventError", "ImportRefused",
    "ImportResult", "ParsedExport", "ResetNotConfirmed", "Store", "TextTooLong", "answer_text",
    "canonical_json", "checksum", "clean_text", "default_path", "describe_failure",
    "fallback_path", "item_type", "new_learner_id", "parse_export", "render_export",
    "snapshot", "stored_answer", "summarise", "validate_event",
]


class ResetNotConfirmed(ValueError):
    """reset() was called without confirm=True; nothing was deleted."""


# ---------------------------------------------------------------------------------------------
# Opening a file (tests replace these two to inject failures)


def _ensure_dir(folder: Path) -> None:
    """Create the folder (private to the user). Tests replace this to inject PermissionError."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _connect(path: str) -> sqlite3.Connection:
    """Open a connection in autocommit mode; transactions are begun explicitly."""
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


# ---------------------------------------------------------------------------------------------
# The store


class Store:
    """One learner's progress database. Safe to share between threads and processes.

    `notice` holds a message for the learner when something unusual happened on opening
    (fallback location, damaged file moved aside); the dashboard and where() show it.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, fallback: bool = True):
        self.requested_path: Path | None = (
            None if path == ":memory:" else Path(path) if path is not None else default_path()
        )
        self.path: Path | None = None  # None means in memory only
        self.notice: str | None = None
        self._fallback = fallback
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._open()

    @classmethod
    def memory(cls) -> "Store":
        """A throwaway in-memory store (tests, previews)."""
        return cls(":memory:")

    # -- opening ----------------------------------------------------------------------------

    def _add_notice(self, text: str) -> None:
        self.notice = f"{self.notice} {text}" if self.notice else text

    def _open(self) -> None:
        if self._conn is not None:  # reopening: never keep a handle on a replaced file
            self._conn.close()
            self._conn = None
        if self.requested_path is None:
            self._conn = _connect(":memory:")
            database.prepare(self._conn)
            self.path, self._identity = None, None
            return
        target = self.requested_path
        try:
            self._open_file(target)
            return
        except Unwritable as exc:
            if not self._fallback:
                raise PermissionError(f"{target}: {exc.reason}") from None
            first_reason = exc.reason
        spare = fallback_path()
        try:
            self._open_file(spare)
            self._add_notice(
                f"Your progress could not be saved at {target} ({first_reason}). It is being "
                f"saved at {spare} instead, a temporary folder that may be emptied when the "
                "computer restarts: use download_link() to keep a copy."
            )
        except Unwritable as exc:
            self._conn = _connect(":memory:")
            database.prepare(self._conn)
            self.path, self._identity = None, None
            self._add_notice(
                f"Your progress could not be saved at {target} ({first_reason}) nor at {spare} "
                f"({exc.reason}). It is kept in memory only and is lost when the notebook's "
                "kernel stops: use download_link() to keep a copy."
            )

    def _open_file(self, path: Path) -> None:
        """Open (creating or repairing as needed) the database at path.

        A usable file is opened without any lock. An unusable one is repaired under the
        recovery lock: look again (another kernel may have repaired it while this one waited),
        and only if it is still unusable, move it aside and start a new file."""
        try:
            _ensure_dir(path.parent)
        except OSError as exc:
            raise Unwritable(f"its folder cannot be created: {describe_os_error(exc)}")
        try:
            conn = self._open_waiting(path)
        except Unusable:
            with recovery.recovery_lock(path):
                try:
                    conn = self._open_waiting(path)
                except Unusable as exc:
                    self._move_aside(path, exc.reason)
                    try:
                        conn = self._open_waiting(path)
                    except Unusable as again:
                        raise Unwritable("the file there kept failing to open "
                                         f"({again.reason})") from None
        self._conn, self.path = conn, path
        self._identity = self._stat_identity(path)

    def _open_waiting(self, path: Path) -> sqlite3.Connection:
        """`_open_checked`, waiting up to OPEN_WAIT_S while other kernels keep the file busy:
        busy is not unwritable, and giving up would move this kernel's answers to the fallback,
        away from the learner's record (SQLite's own wait can run out under load)."""
        deadline = time.monotonic() + OPEN_WAIT_S
        while True:
            try:
                return self._open_checked(path)
            except Busy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)

    def _open_checked(self, path: Path) -> sqlite3.Connection:
        """A connection to a checked, writable progress database at path; raises Unusable
        (not our file, or damaged) or Unwritable (cannot be written there)."""
        try:
            conn = _connect(str(path))
        except OSError as exc:
            raise Unwritable(describe_os_error(exc)) from None
        except sqlite3.Error as exc:
            raise Unwritable(f"the database cannot be opened: {exc}") from None
        try:
            database.prepare(conn)
            database.check_writable(conn)
        except (Unusable, Unwritable):
            conn.close()
            raise
        except OSError as exc:
            conn.close()
            raise Unwritable(describe_os_error(exc)) from None
        except sqlite3.Error as exc:
            conn.close()
            if errname(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                raise Busy(database.sqlite_reason(exc)) from None
            raise Unwritable(database.sqlite_reason(exc)) from None
        return conn

    def _move_aside(self, path: Path, reason: str) -> None:
        """Move the unusable file at path aside (recovery.move_aside) and say so."""
        target = recovery.move_aside(path, reason)
        if target is not None:
            self._add_notice(
                f"The progress file at {path} could not be used ({reason}). It was moved aside, "
                f"unchanged, to {target}, and a new empty progress record was started. If you "
                "have an exported progress.json, import it with upload()."
            )

    @staticmethod
    def _stat_identity(path: Path) -> tuple[int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def _connection(self) -> sqlite3.Connection:
        """The open connection; reopen if the file was deleted or replaced under us, so
        answers are never written into a file nobody can see any more."""
        if self.path is not None and self._stat_identity(self.path) != self._identity:
            self._add_notice(f"The progress file at {self.path} was removed or replaced while "
                             "the notebook was running; a new one was started.")
            self._open()
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- transactions -----------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection().execute(sql, tuple(params)).fetchall()

    # -- learner ----------------------------------------------------------------------------

    @property
    def learner(self) -> str:
        rows = self._read("SELECT value FROM meta WHERE key = 'learner'")
        return rows[0][0] if rows else "unknown"

    def set_learner(self, name: str) -> str:
        """Choose the pseudonym put on future events (earlier events keep theirs)."""
        try:
            name = check_new_name(name)
        except EventError as exc:
            raise ValueError(str(exc)) from None
        self._write(lambda c: c.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('learner', ?)", (name,)))
        return name

    # -- events -----------------------------------------------------------------------------

    def record(self, kind: str, lesson: str, item: str, *, correct: Any = None,
               misconception: str | None = None, answer: Any = None,
               whole: bool = False) -> str:
        """Append one event and return its id once it is committed.

        Any answer is accepted: it is stored as a bounded snapshot (see `snapshot`), or, with
        whole=True, free text is stored whole or refused (TextTooLong). Raises EventError
        (a ValueError) on a bad field, sqlite3.Error or OSError when the file cannot be written.
        """
        check_common(kind, lesson, item, misconception)
        correct = check_correct(correct)
        text = stored_answer(answer, whole=whole)
        event_id = uuid.uuid4().hex

        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'learner'").fetchone()
            conn.execute(
                "INSERT INTO events (id, kind, lesson, item, correct, misconception, answer, "
                "learner, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (event_id, kind, lesson, item, None if correct is None else int(correct),
                 misconception, text, row[0] if row else "unknown", now_utc()),
            )

        self._write(work)
        return event_id

    @staticmethod
    def _row_to_event(row: tuple[Any, ...]) -> dict[str, Any]:
        ev_id, kind, lesson, item, correct, misconception, answer, learner, ts = row
        try:
            value = None if answer is None else json.loads(answer)
        except ValueError:
            value = answer
        return {"id": ev_id, "kind": kind, "lesson": lesson, "item": item,
                "correct": None if correct is None else bool(correct),
                "misconception": misconception, "answer": value, "learner": learner, "ts": ts}

    _SELECT = ("SELECT id, kind, lesson, item, correct, misconception, answer, learner, ts "
               "FROM events")

    def events(self, lesson: str | None = None) -> list[dict[str, Any]]:
        """All events (of one lesson, if given), oldest first."""
        if lesson is None:
            rows = self._read(f"{self._SELECT} ORDER BY ts, rowid")
        else:
            rows = self._read(f"{self._SELECT} WHERE lesson = ? ORDER BY ts, rowid", (lesson,))
        return [self._row_to_event(r) for r in rows]

    def count(self) -> int:
        return int(self._read("SELECT count(*) FROM events")[0][0])

    # -- export / import --------------------------------------------------------------------

    def export_text(self) -> str:
        return render_export(self.events())

    def export_json(self, path: str | os.PathLike[str] | None = None) -> str | Path:
        """The export as text, or written to path (atomically) and the path returned."""
        text = self.export_text()
        if path is None:
            return text
        target = Path(path)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        return target

    def apply(self, parsed: ParsedExport) -> ImportResult:
        """Merge validated events by id in one transaction."""

        def work(conn: sqlite3.Connection) -> tuple[int, int, int]:
            added = skipped = conflicts = 0
            for ev in parsed.events:
                row = (ev["id"], ev["kind"], ev["lesson"], ev["item"],
                       None if ev["correct"] is None else int(ev["correct"]),
                       ev["misconception"], answer_text(ev["answer"]), ev["learner"], ev["ts"])
                cur = conn.execute(
                    "INSERT OR IGNORE INTO events (id, kind, lesson, item, correct, "
                    "misconception, answer, learner, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                if cur.rowcount == 1:
                    added += 1
                    continue
                old = conn.execute(f"{self._SELECT} WHERE id = ?", (ev["id"],)).fetchone()
                if canonical_json(self._row_to_event(old)) == canonical_json(ev):
                    skipped += 1
                else:
                    conflicts += 1
            return added, skipped, conflicts

        added, skipped, conflicts = self._write(work)
        return ImportResult(True, added, skipped, conflicts)

    def import_json(self, source: str | bytes | os.PathLike[str]) -> ImportResult:
        """Import an export (path, text or bytes). Refusals come back as a result, not raised."""
        try:
            parsed = parse_export(read_source(source))
        except ImportRefused as exc:
            return ImportResult(False, reason=str(exc))
        try:
            return self.apply(parsed)
        except (sqlite3.Error, OSError) as exc:
            return ImportResult(False, reason=f"the progress store could not be written ({exc})")

    # -- reset ------------------------------------------------------------------------------

    def reset(self, confirm: bool = False) -> int:
        """Delete every event (the learner id stays). Refuses unless confirm is exactly True."""
        if confirm is not True:
            raise ResetNotConfirmed(
                "Nothing was deleted. To delete all your progress, call reset(confirm=True) "
                "or use reset_button(); download_link() keeps a copy first."
            )
        return int(self._write(lambda c: c.execute("DELETE FROM events").rowcount))

    # -- words ------------------------------------------------------------------------------

    def location_text(self) -> str:
        return str(self.path) if self.path is not None else "memory (no file)"
