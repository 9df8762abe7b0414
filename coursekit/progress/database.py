"""The progress database file: its schema, and what makes a file ours and usable.

- `PRAGMA application_id` marks the file as ours, so a foreign or damaged file at our path is
  moved aside (never overwritten) and a fresh record starts. `PRAGMA user_version` is the schema
  version: a file of a newer one is left untouched, and one of another schema is moved aside
  (no file of an older schema was ever released).
- The rollback journal (journal_mode=DELETE) is used, never WAL, because hubs often keep home
  folders on NFS, where WAL's shared memory does not work.
- The events table is append-only (a trigger refuses updates).

Every function here takes an open connection; opening, falling back and repairing are the
store's job (coursekit.progress.store, coursekit.progress.recovery).
"""
from __future__ import annotations

import os
import secrets
import sqlite3

from coursekit.progress.failures import BUSY_TIMEOUT_S, errname
from coursekit.progress.fields import (
    APP,
    APPLICATION_ID,
    FIELDS,
    KINDS,
    SCHEMA,
    EventError,
    check_learner,
    now_utc,
)

ENV_LEARNER = "COURSEKIT_LEARNER"  # pins the learner id of new stores (builds, classrooms)

_KIND_LIST = ", ".join(f"'{kind}'" for kind in KINDS)
SCHEMA_SQL = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"""CREATE TABLE events (
        id TEXT PRIMARY KEY CHECK (length(id) = 32),
        kind TEXT NOT NULL CHECK (kind IN ({_KIND_LIST})),
        lesson TEXT NOT NULL,
        item TEXT NOT NULL,
        correct INTEGER CHECK (correct IN (0, 1)),
        misconception TEXT,
        answer TEXT,
        learner TEXT NOT NULL,
        ts TEXT NOT NULL
    )""",
    "CREATE INDEX events_lesson ON events (lesson, ts)",
    "CREATE INDEX events_ts ON events (ts)",
    "CREATE TRIGGER events_append_only BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'progress events are append-only'); END",
)
# The columns of our tables: a file with our mark but other columns is not ours.
COLUMNS = {"meta": frozenset({"key", "value"}), "events": frozenset(FIELDS)}


class Unwritable(Exception):
    """The location cannot hold our database; `reason` says why, for the learner."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Busy(Unwritable):
    """Other kernels kept the file locked for longer than SQLite waits: try again shortly."""


class Unusable(Exception):
    """The file at our path is not a usable progress database and must be moved aside."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def new_learner_id() -> str:
    """A random pseudonym, unless COURSEKIT_LEARNER pins one (reproducible builds)."""
    pinned = os.environ.get(ENV_LEARNER)
    if pinned:
        try:
            return check_learner(pinned)
        except EventError:
            pass
    return "learner-" + secrets.token_hex(4)


def sqlite_reason(exc: sqlite3.Error) -> str:
    """Why a database could not be written, for the learner."""
    name = errname(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another program kept the file locked"
    if name.startswith("SQLITE_READONLY"):
        return "the file or its folder is read-only"
    return f"the database cannot be written: {exc}"


def prepare(conn: sqlite3.Connection) -> None:
    """Check what the file is, creating our schema in an empty one. Raises Unusable (not ours,
    damaged, another schema) or Unwritable (a newer schema; the journal mode cannot be set)."""
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # One read transaction, so both answers come from the same moment: another kernel
        # may be creating the file right now, and a committed schema with a mark read from
        # just before its commit would look like a foreign database.
        conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if errname(exc) in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise Unusable("it is not a readable SQLite database") from None
        raise
    if app_id == 0 and not tables:
        initialise(conn)
    elif app_id != APPLICATION_ID:
        raise Unusable("it is a database that belongs to another program")
    elif not {"meta", "events"} <= tables:
        raise Unusable("it is missing the tables of a progress record")
    try:
        check = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if errname(exc) in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            raise Unusable("it is damaged") from None
        raise
    if check != [("ok",)]:
        raise Unusable(f"it is damaged ({str(check[0][0])[:80]})")
    mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    if str(mode).lower() not in ("delete", "memory"):
        raise Unwritable(f"its journal mode cannot be set to DELETE (it is {mode})")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 1:
        raise Unusable("it has our mark but no schema version")
    if version > SCHEMA:
        raise Unwritable(f"it was written by a newer version of the course (schema "
                         f"{version}); this version leaves it untouched")
    if version != SCHEMA:
        raise Unusable(f"it uses schema {version}, which this version of the course does "
                       "not read")
    for table, wanted in COLUMNS.items():
        found = frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
        if found != wanted:
            shown = ", ".join(sorted(found))[:120]
            raise Unusable(f"it has the course's mark, but its {table} table has the "
                           f"columns {shown} instead of those of a progress record")


def initialise(conn: sqlite3.Connection) -> None:
    """Create our schema in an empty file, in one transaction (another kernel may be doing the
    same: whichever comes second finds the file no longer empty and leaves it)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == 0 and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
            for statement in SCHEMA_SQL:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("app", APP), ("learner", new_learner_id()), ("created", now_utc()),
            ])
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def check_writable(conn: sqlite3.Connection) -> None:
    """Touch a page and roll back: proves the file and its journal can be written now,
    rather than failing silently at the learner's first answer."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("UPDATE meta SET value = value WHERE key = 'app'")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
