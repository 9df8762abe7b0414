"""The learner's progress record: an append-only event log in one SQLite file.

Why it is built this way (BLUEPRINT section 6):
- SQLite from the standard library: nothing to install, one file the learner can see and copy.
- Writes take `BEGIN IMMEDIATE` with a busy timeout, so two kernels of the same learner (two open
  notebooks) queue instead of failing. The rollback journal (journal_mode=DELETE) is used, never
  WAL, because hubs often keep home folders on NFS, where WAL's shared memory does not work.
- `PRAGMA application_id` marks the file as ours, so a foreign or damaged file at our path is
  moved aside (never overwritten) and a fresh record starts. `PRAGMA user_version` is the schema
  version; migrations upgrade old files in one transaction.
- A location that cannot be written falls back to a temporary file, and `Store.notice` says so in
  words the notebook shows (nothing is printed: stderr output would break nbval).
- Export and import use JSON with a schema version and a checksum; import merges by event id and
  either applies a whole valid file or changes nothing.
- Any answer can be recorded: `snapshot()` turns any Python object (self-referencing, nested
  thousands deep, a 5,000-digit integer, text with lone surrogates) into bounded JSON data;
  free text that must be kept whole (a reflection, a brief) is refused, with its limit in words,
  when it is longer than MAX_TEXT_CHARS, never cut short silently.
- The lessons are the course's one list (course.toml, via coursekit.model.course): an event of any
  other lesson is refused, and `python -m coursekit check` refuses course files of an unlisted
  lesson, so a new lesson cannot silently record nothing.
- Several kernels may find the same damaged file at once: one repairs it under a lock file
  (`<name>.lock`), re-checking first, and the others wait and then use its new file; so no
  kernel moves aside a file (or a journal) that another has just started using.

This module never imports ipywidgets or matplotlib; the notebook helpers are in progress_ui.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from coursekit.model import course
from coursekit.model.safetext import MAX_INT_BITS, big_int_words, clean_text, safe_str

APP = "ai-under-sanctions"
SCHEMA = 2  # schema version of both the database (user_version) and the export files
APPLICATION_ID = 0x41495553  # "AIUS": tells our file from any other SQLite file
KINDS = ("attempt", "reflection", "rating", "view")
LESSONS = course.lesson_ids()  # the course's one list of lessons (course.toml)
FIELDS = ("id", "kind", "lesson", "item", "correct", "misconception", "answer", "learner", "ts")
FILENAME = "progress.sqlite3"
ENV_DB = "COURSEKIT_PROGRESS_DB"
ENV_LEARNER = "COURSEKIT_LEARNER"  # pins the learner id of new stores (builds, classrooms)
BUSY_TIMEOUT_S = 10.0
MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_ANSWER_CHARS = 1_000_000  # the stored JSON text of one answer (and of one imported answer)
MAX_TEXT_CHARS = 100_000  # free text kept whole (a reflection, a brief): about 15,000 words
MAX_SNAPSHOT_CHARS = 20_000  # any other answer is kept as a snapshot of at most about this size
MAX_SNAPSHOT_DEPTH = 20
RECOVERY_WAIT_S = 60.0  # how long a kernel waits for another one to repair a damaged file

_ID_RE = re.compile(r"[0-9a-f]{32}")
_ITEM_RE = re.compile(r"[0-9]{2}\.[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_CHECKSUM_RE = re.compile(r"[0-9a-f]{64}")
QUIZ_ITEM_RE = re.compile(r"[0-9]{2}\.q[0-9]+[a-z]?")
EXERCISE_ITEM_RE = re.compile(r"[0-9]{2}\.[0-9]+([a-z]|\.[0-9]+)?")
PRETEST_ITEM_RE = re.compile(r"[0-9]{2}\.pre[0-9]+")


class EventError(ValueError):
    """An event field is missing or wrong; the message says which and why."""


class TextTooLong(EventError):
    """Free text to be kept whole is over MAX_TEXT_CHARS; the message says so in plain words."""

    def __init__(self, length: int):
        self.length = length
        super().__init__(f"the text is {length:,} characters long, over the limit of "
                         f"{MAX_TEXT_CHARS:,} characters (about 15,000 words): shorten it and "
                         "save again")


class ImportRefused(ValueError):
    """An export file cannot be imported; the message is the reason, in plain words."""


class ResetNotConfirmed(ValueError):
    """reset() was called without confirm=True; nothing was deleted."""


class _Unwritable(Exception):
    """The location cannot hold our database; `reason` says why, for the learner."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Unusable(Exception):
    """The file at our path is not a usable progress database and must be moved aside."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# Locations


def default_path() -> Path:
    """Where this user's progress lives: $COURSEKIT_PROGRESS_DB, else the XDG data folder."""
    override = os.environ.get(ENV_DB)
    if override:
        path = Path(override).expanduser()
        return path / FILENAME if path.is_dir() else path
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec says relative values must be ignored
        base = Path(xdg)
    else:
        try:
            base = Path.home() / ".local" / "share"
        except RuntimeError:  # no home directory at all: only the fallback is left
            return fallback_path()
    return base / APP / FILENAME


def fallback_path() -> Path:
    """A per-user file in the temp folder, used when the normal location cannot be written."""
    owner = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"{APP}-{owner}" / FILENAME


def _ensure_dir(folder: Path) -> None:
    """Create the folder (private to the user). Tests replace this to inject PermissionError."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _connect(path: str) -> sqlite3.Connection:
    """Open a connection in autocommit mode; transactions are begun explicitly."""
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


# ---------------------------------------------------------------------------------------------
# Time, JSON and field validation


def now_utc() -> str:
    """UTC time as ISO 8601 with microseconds and a Z, so string order is time order."""
    return _iso_z(datetime.now(timezone.utc))


def _iso_z(moment: datetime) -> str:
    """isoformat, not strftime: strftime('%Y') drops the zero padding of years before 1000."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace(
        "+00:00", "Z")


def _normalise_ts(value: Any) -> str:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        raise EventError("'ts' must be an ISO 8601 time such as 2026-05-01T12:00:00Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise EventError(f"'ts' is not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise EventError(f"'ts' has no time zone (expected UTC, ending in Z): {value!r}")
    try:
        return _iso_z(moment)
    except (OverflowError, ValueError):
        raise EventError(f"'ts' is out of range: {value!r}") from None


def canonical_json(value: Any) -> str:
    """The one JSON spelling used for answers and checksums: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def checksum(events: list[Any]) -> str:
    """sha256 of the canonical JSON of the events list, as written in the export file."""
    return hashlib.sha256(canonical_json(events).encode("utf-8")).hexdigest()


class _Budget:
    """Characters still allowed in a snapshot; once spent, the rest is summarised."""

    def __init__(self, chars: int):
        self.left = chars

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def snapshot(value: Any, limit: int = MAX_SNAPSHOT_CHARS) -> Any:
    """Bounded plain JSON data for any answer, so that every attempt can be recorded.

    Plain data (None, bool, numbers, text, lists, dicts) stays as it is while it fits; a tuple
    becomes a list, a set a sorted list, a numpy value its Python value, anything else its text.
    A value that contains itself shows "<refers to itself>", nesting deeper than
    MAX_SNAPSHOT_DEPTH "<nested too deeply>", an integer of thousands of digits its size in
    words, and lone surrogates U+FFFD. Past about `limit` characters, text is cut with "…" and
    the remaining items are counted, not copied. Never raises (except KeyboardInterrupt)."""
    return _snap(value, _Budget(limit), 0, set())


def _cut(text: str, budget: _Budget) -> str:
    text = clean_text(text)
    room = max(budget.left, 0)
    if len(text) + 2 <= room:
        budget.take(len(text) + 2)
        return text
    budget.take(room + 1)
    keep = max(room - 40, 0)
    return f"{text[:keep]}\u2026 [cut: {len(text):,} characters in all]"


def _snap(value: Any, budget: _Budget, depth: int, active: set[int]) -> Any:
    kind = type(value)
    if value is None or kind is bool:
        budget.take(5)
        return value
    if issubclass(kind, bool):
        budget.take(5)
        return bool(value)
    if issubclass(kind, int):
        if int.bit_length(value) > MAX_INT_BITS:
            return _cut(big_int_words(value), budget)
        number = int.__int__(value)
        budget.take(len(str(number)))
        return number
    if issubclass(kind, float):
        number = float.__float__(value)
        budget.take(24)
        return number if math.isfinite(number) else repr(number)
    if issubclass(kind, str):
        return _cut(str.__str__(value), budget)
    if depth >= MAX_SNAPSHOT_DEPTH:
        return _cut("<nested too deeply>", budget)
    module = getattr(kind, "__module__", "") or ""
    if module.split(".")[0] in ("numpy", "pandas"):
        try:
            if getattr(value, "ndim", None) == 0 and callable(getattr(value, "item", None)):
                return _snap(value.item(), budget, depth + 1, active)
            size = getattr(value, "size", None)
            if isinstance(size, int) and size <= 10_000 and callable(getattr(value, "tolist", None)):
                return _snap(value.tolist(), budget, depth + 1, active)
        except Exception:  # noqa: BLE001 - fall back to the object's text
            pass
        return _cut(safe_str(value, limit=2_000), budget)
    if not issubclass(kind, (list, tuple, dict, set, frozenset)):
        return _cut(safe_str(value, limit=2_000), budget)
    if id(value) in active:
        return _cut("<refers to itself>", budget)
    active.add(id(value))
    try:
        if issubclass(kind, dict):
            return _snap_dict(value, budget, depth, active)
        items = list.__iter__(value) if issubclass(kind, list) else iter(
            tuple.__iter__(value) if issubclass(kind, tuple) else value)
        out: list[Any] = []
        for position, item in enumerate(items):
            if budget.left <= 0:
                total = _length(value)
                rest = f"{total - position:,} more" if total is not None else "more"
                out.append(f"\u2026 [{rest} not kept]")
                break
            budget.take(1)
            out.append(_snap(item, budget, depth + 1, active))
        if issubclass(kind, (set, frozenset)):
            out.sort(key=canonical_json)
        return out
    except Exception:  # noqa: BLE001 - e.g. a set whose members fail to hash: keep its text
        return _cut(safe_str(value, limit=2_000), budget)
    finally:
        active.discard(id(value))


def _snap_dict(value: dict[Any, Any], budget: _Budget, depth: int, active: set[int]) -> Any:
    out: dict[str, Any] = {}
    for position, (key, item) in enumerate(dict.items(value)):
        if budget.left <= 0:
            out["\u2026"] = f"[{len(value) - position:,} more not kept]"
            break
        if type(key) is str:
            name = _cut(key, budget)
        elif key is None or type(key) is bool:
            name = json.dumps(key)
        else:
            name = _cut(safe_str(key), budget)
        out[name] = _snap(item, budget, depth + 1, active)
    return out


def _length(value: Any) -> int | None:
    try:
        return len(value)
    except Exception:  # noqa: BLE001
        return None


def stored_answer(answer: Any, *, whole: bool = False) -> str | None:
    """The JSON text stored for an answer. With whole=True, text the learner wrote is kept whole
    (only lone surrogates are replaced) or refused with EventError stating the limit."""
    if answer is None:
        return None
    if whole and isinstance(answer, str):
        text = clean_text(str.__str__(answer))
        if len(text) > MAX_TEXT_CHARS:
            raise TextTooLong(len(text))
        value: Any = text
    else:
        value = snapshot(answer)
    return answer_text(value)


def answer_text(answer: Any) -> str | None:
    """Plain JSON data as canonical JSON text (what the database stores). Import checks use it
    too: a value that is not plain data raises EventError."""
    if answer is None:
        return None
    try:
        text = canonical_json(answer)
        text.encode("utf-8")
    except (ValueError, TypeError, RecursionError) as exc:
        raise EventError(f"'answer' is not plain JSON data ({safe_str(exc, 80)})") from None
    if len(text) > MAX_ANSWER_CHARS:
        raise EventError(f"'answer' is longer than {MAX_ANSWER_CHARS:,} characters")
    return text


def _check_text(name: str, value: Any, max_len: int, *, allow_none: bool) -> str | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise EventError(f"'{name}' must be text, not {type(value).__name__}")
    if not 1 <= len(value) <= max_len:
        raise EventError(f"'{name}' must be 1 to {max_len} characters long")
    if _CONTROL_RE.search(value):
        raise EventError(f"'{name}' contains control characters")
    return value


def check_learner(value: Any) -> str:
    """A pseudonymous learner id: printable text, 1 to 64 characters."""
    if isinstance(value, str):
        value = value.strip()
    return _check_text("learner", value, 64, allow_none=False)  # type: ignore[return-value]


_FORMULA_STARTS = ("=", "+", "-", "@")


def check_new_name(value: Any) -> str:
    """A name or pseudonym a learner chooses for the teacher's report, in normal form; raises
    EventError in plain words. Stricter than check_learner (which also reads old exports):
    no invisible control or text-direction characters (they can make one name look like
    another in a report), and no leading = + - @ (a spreadsheet would run it as a formula)."""
    if not isinstance(value, str):
        raise EventError(f"a name must be text, not {type(value).__name__}")
    text = unicodedata.normalize("NFC", " ".join(clean_text(str.__str__(value)).split()))
    if not text:
        raise EventError("the name is empty: type a name or a pseudonym")
    if len(text) > 64:
        raise EventError(f"the name is {len(text):,} characters long; use at most 64")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") for ch in text):
        raise EventError("the name contains invisible control or text-direction characters; "
                         "use letters, digits, spaces and punctuation")
    if text.startswith(_FORMULA_STARTS):
        raise EventError("a name cannot start with =, +, - or @, because a spreadsheet would "
                         "read it as a formula; start it with a letter or a digit")
    return text


def _check_common(kind: Any, lesson: Any, item: Any, misconception: Any) -> None:
    if kind not in KINDS or not isinstance(kind, str):
        raise EventError(f"'kind' must be one of {', '.join(KINDS)}; got {kind!r}")
    if not isinstance(lesson, str) or lesson not in LESSONS:
        raise EventError(f"'lesson' must be one of the course's lessons in course.toml "
                         f"({', '.join(LESSONS)}); got {safe_str(lesson, 40)!r}")
    if not isinstance(item, str) or not _ITEM_RE.fullmatch(item):
        raise EventError(f"'item' must look like 01.q3 or 01.2; got {item!r}")
    _check_text("misconception", misconception, 200, allow_none=True)


def validate_event(raw: Any, position: int | None = None) -> dict[str, Any]:
    """Check one event from an export file and return it in normal form, or raise EventError."""
    where = f"event {position + 1}" if position is not None else "the event"
    try:
        if not isinstance(raw, dict):
            raise EventError("is not a JSON object")
        missing = [f for f in FIELDS if f not in raw]
        if missing:
            raise EventError(f"has no '{missing[0]}' field")
        extra = sorted(k for k in raw if k not in FIELDS)
        if extra:
            raise EventError(f"has an unknown field '{extra[0]}'")
        ev_id = raw["id"]
        if not isinstance(ev_id, str) or not _ID_RE.fullmatch(ev_id):
            raise EventError("'id' must be 32 lowercase hexadecimal characters")
        _check_common(raw["kind"], raw["lesson"], raw["item"], raw["misconception"])
        correct = raw["correct"]
        if correct is not None and not (isinstance(correct, bool)
                                        or (type(correct) is int and correct in (0, 1))):
            raise EventError("'correct' must be true, false or null")
        answer = raw["answer"]
        text = answer_text(answer)
        if text is not None and json.loads(text) != answer:
            raise EventError("'answer' is not plain JSON data")
        return {
            "id": ev_id, "kind": raw["kind"], "lesson": raw["lesson"], "item": raw["item"],
            "correct": None if correct is None else bool(correct),
            "misconception": raw["misconception"], "answer": answer,
            "learner": check_learner(raw["learner"]), "ts": _normalise_ts(raw["ts"]),
        }
    except EventError as exc:
        ev_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"{where} (id {ev_id})" if isinstance(ev_id, str) and len(ev_id) <= 40 else where
        raise EventError(f"{label} {exc}") from None


# ---------------------------------------------------------------------------------------------
# Export files: parsing, migration, validation (no database needed: also used by the tests)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ImportRefused(f"the key '{key}' appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ImportRefused(f"it contains {name}, which is not valid JSON")


def _migrate_export_1_to_2(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 kept the learner once at the top; schema 2 keeps it on every event."""
    try:
        learner = check_learner(doc.get("learner"))
    except EventError as exc:
        raise ImportRefused(f"this schema-1 file has a bad top-level 'learner': {exc}") from None
    events = []
    for position, ev in enumerate(doc["events"]):
        if isinstance(ev, dict):
            if "learner" in ev:
                raise ImportRefused(f"event {position + 1} has an unknown field 'learner'")
            ev = {**ev, "learner": learner}
        events.append(ev)
    return {**doc, "schema": 2, "events": events}


EXPORT_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _migrate_export_1_to_2,
}


@dataclass(frozen=True)
class ParsedExport:
    """A valid export, upgraded to the current schema, with events in normal form."""

    events: list[dict[str, Any]]
    schema_in_file: int


def _looks_truncated(text: str, exc: json.JSONDecodeError) -> bool:
    """True when the text is a cut-off start of JSON: an open string or unclosed brackets at
    the end, with the parser failing there (not at an earlier syntax error)."""
    if not (exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")):
        return False
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


def parse_export(data: str | bytes) -> ParsedExport:
    """Validate an export completely before anything touches the store; raise ImportRefused."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ImportRefused(f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"the file is not UTF-8 text (byte {exc.start})") from None
    else:
        text = data.removeprefix("\ufeff")
        if len(text) > MAX_IMPORT_BYTES:
            raise ImportRefused(f"the text is longer than {MAX_IMPORT_BYTES} characters")
    if not text.strip():
        raise ImportRefused("the file is empty")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except ImportRefused:
        raise
    except json.JSONDecodeError as exc:
        if _looks_truncated(text, exc):
            raise ImportRefused("the file ends too early, so it looks truncated (cut off); "
                                "export or download it again") from None
        raise ImportRefused(f"the file is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ImportRefused("the file's JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ImportRefused(f"the file is not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise ImportRefused("the file is JSON but not a progress export (no top-level object)")
    if "app" not in doc:
        raise ImportRefused("the file has no 'app' field, so it is not a progress export "
                            "of this course")
    if doc["app"] != APP:
        shown = doc["app"] if isinstance(doc["app"], str) else type(doc["app"]).__name__
        raise ImportRefused(f"the file belongs to another application ({str(shown)[:60]!r}), "
                            f"not {APP!r}")
    schema = doc.get("schema")
    if type(schema) is not int:
        raise ImportRefused("the file has no valid 'schema' version number")
    if schema > SCHEMA:
        raise ImportRefused(f"the file uses schema {schema}, newer than this course's "
                            f"{SCHEMA}: update the course, then import it again")
    if schema != SCHEMA and schema not in EXPORT_MIGRATIONS:
        raise ImportRefused(f"the file uses schema {schema}, which this course does not know")
    events = doc.get("events")
    if not isinstance(events, list):
        raise ImportRefused("the file has no 'events' list")
    stated = doc.get("checksum")
    if not isinstance(stated, str) or not _CHECKSUM_RE.fullmatch(stated):
        raise ImportRefused("the file has no valid 'checksum' (64 hexadecimal characters)")
    try:
        actual = checksum(events)
    except UnicodeEncodeError:
        raise ImportRefused("the file contains text that is not valid Unicode") from None
    except (ValueError, RecursionError):
        raise ImportRefused("the file's events cannot be read as plain JSON data") from None
    if actual != stated:
        raise ImportRefused("the checksum does not match, so the file was changed or damaged "
                            "after it was exported")
    if "count" in doc and (type(doc["count"]) is not int or doc["count"] != len(events)):
        raise ImportRefused(f"the file says it holds {doc['count']!r} events but has "
                            f"{len(events)}")
    version = schema
    while version < SCHEMA:
        doc = EXPORT_MIGRATIONS[version](doc)
        version += 1
    normal: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, raw in enumerate(doc["events"]):
        try:
            event = validate_event(raw, position)
        except EventError as exc:
            raise ImportRefused(str(exc)) from None
        if event["id"] in seen:
            raise ImportRefused(f"event {position + 1} repeats the id {event['id']}")
        seen.add(event["id"])
        normal.append(event)
    return ParsedExport(events=normal, schema_in_file=schema)


def render_export(events: list[dict[str, Any]]) -> str:
    """Export text: one event a line, so a teacher can read it and a cut-off file is obvious."""
    head = {"app": APP, "schema": SCHEMA, "count": len(events), "checksum": checksum(events)}
    lines = [json.dumps(ev, ensure_ascii=False, allow_nan=False) for ev in events]
    body = ",\n".join(lines)
    head_text = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{head_text}, "events": [\n{body}\n]}}\n' if lines else f'{head_text}, "events": []}}\n'


@dataclass(frozen=True)
class ImportResult:
    """What an import did, in numbers and in words. Falsy when the file was refused."""

    ok: bool
    added: int = 0
    skipped: int = 0
    conflicts: int = 0
    reason: str | None = None
    schema_in_file: int | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def message(self) -> str:
        if not self.ok:
            return f"Nothing was imported: {self.reason}."
        parts = [f"Imported {self.added} new event{'s' if self.added != 1 else ''}"]
        if self.skipped:
            parts.append(f"{self.skipped} {'was' if self.skipped == 1 else 'were'} already here")
        text = "; ".join(parts) + "."
        if self.conflicts:
            text += (f" {self.conflicts} event(s) had the id of an event already here but "
                     "different content; the ones already here were kept.")
        if self.schema_in_file is not None and self.schema_in_file < SCHEMA:
            text += f" (The file used the older format {self.schema_in_file}; it was converted.)"
        return text

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------------------------------------
# Database schema and migrations

_V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (
    id TEXT PRIMARY KEY CHECK (length(id) = 32),
    kind TEXT NOT NULL CHECK (kind IN ('attempt', 'reflection', 'rating', 'view')),
    lesson TEXT NOT NULL,
    item TEXT NOT NULL,
    correct INTEGER CHECK (correct IN (0, 1)),
    misconception TEXT,
    answer TEXT,
    ts TEXT NOT NULL
);
CREATE INDEX events_lesson ON events (lesson, ts);
"""


def _migrate_db_1_to_2(conn: sqlite3.Connection) -> None:
    """v2 puts the learner on every event (merged class exports stay attributable) and makes
    the events table append-only with a trigger."""
    conn.execute("ALTER TABLE events ADD COLUMN learner TEXT NOT NULL DEFAULT ''")
    row = conn.execute("SELECT value FROM meta WHERE key = 'learner'").fetchone()
    conn.execute("UPDATE events SET learner = ?", (row[0] if row else "unknown",))
    conn.execute("CREATE INDEX IF NOT EXISTS events_ts ON events (ts)")
    conn.execute(
        "CREATE TRIGGER IF NOT EXISTS events_append_only BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'progress events are append-only'); END"
    )


DB_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_db_1_to_2}

# The columns each schema version has: a file with our mark but other columns is not ours.
DB_COLUMNS: dict[int, dict[str, frozenset[str]]] = {
    1: {"meta": frozenset({"key", "value"}),
        "events": frozenset(f for f in FIELDS if f != "learner")},
    2: {"meta": frozenset({"key", "value"}), "events": frozenset(FIELDS)},
}


@contextmanager
def _recovery_lock(path: Path, wait_s: float = RECOVERY_WAIT_S) -> Iterator[None]:
    """Hold `<name>.lock` beside the database while repairing it, so that of several kernels
    finding the same damaged file, one repairs it and the others wait, then use its result.
    An OS lock (flock; msvcrt on Windows) is released by the OS if the holder dies."""
    lock_path = path.with_name(f"{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _Unwritable(f"the file there is unusable and its lock file cannot be created "
                          f"({_describe_os_error(exc)})") from None
    try:
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise _Unwritable("another notebook kept the damaged progress file locked "
                                  f"for over {int(wait_s)} seconds while repairing it")
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def new_learner_id() -> str:
    """A random pseudonym, unless COURSEKIT_LEARNER pins one (reproducible builds)."""
    pinned = os.environ.get(ENV_LEARNER)
    if pinned:
        try:
            return check_learner(pinned)
        except EventError:
            pass
    return "learner-" + secrets.token_hex(4)


def _errname(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def _describe_os_error(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


_KEEP_A_COPY = "To keep what is already saved, run progress.download_link() and keep the file."


def describe_failure(exc: BaseException, where: str | None = None) -> str:
    """Why a write failed and what the learner can do, in plain words (no traceback)."""
    at = f" at {where}" if where else ""
    name = _errname(exc) if isinstance(exc, sqlite3.Error) else ""
    detail = safe_str(exc, 160)
    if name.startswith("SQLITE_FULL") or (isinstance(exc, OSError) and exc.errno == 28):
        return (f"the disk holding your progress file{at} is full ({detail}). Free some space "
                "(or ask whoever runs your computer or hub), then answer again. " + _KEEP_A_COPY)
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in detail:
        return (f"the disk reported an error while writing your progress file{at} ({detail}); "
                "it may be full or failing. Free some space, then answer again; if it keeps "
                "happening, restart the kernel (Kernel, Restart Kernel). " + _KEEP_A_COPY)
    if name.startswith("SQLITE_READONLY") or isinstance(exc, PermissionError):
        return (f"your progress file{at} can no longer be written ({detail}). Restart the "
                "kernel (Kernel, Restart Kernel): the course then finds a place it can write "
                "to and says where. " + _KEEP_A_COPY)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (f"another notebook kept your progress file{at} locked for more than "
                f"{int(BUSY_TIMEOUT_S)} seconds. Answer again in a moment.")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return (f"your progress file{at} was damaged while the notebook ran ({detail}). "
                "Restart the kernel: the damaged file is then moved aside and kept, and a new "
                "one started. " + _KEEP_A_COPY)
    return (f"the progress store failed ({type(exc).__name__}: {detail}). Restart the kernel "
            "and answer again; progress.where() shows where your progress is kept. "
            + _KEEP_A_COPY)


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
            self._prepare(self._conn)
            self.path, self._identity = None, None
            return
        target = self.requested_path
        try:
            self._open_file(target)
            return
        except _Unwritable as exc:
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
        except _Unwritable as exc:
            self._conn = _connect(":memory:")
            self._prepare(self._conn)
            self.path, self._identity = None, None
            self._add_notice(
                f"Your progress could not be saved at {target} ({first_reason}) nor at {spare} "
                f"({exc.reason}). It is kept in memory only and is lost when the notebook's "
                "kernel stops: use download_link() to keep a copy."
            )

    def _open_file(self, path: Path) -> None:
        """Open (creating, migrating, or repairing as needed) the database at path.

        A usable file is opened without any lock. An unusable one is repaired under the
        recovery lock: look again (another kernel may have repaired it while this one waited),
        and only if it is still unusable, move it aside and start a new file."""
        try:
            _ensure_dir(path.parent)
        except OSError as exc:
            raise _Unwritable(f"its folder cannot be created: {_describe_os_error(exc)}")
        try:
            conn = self._open_checked(path)
        except _Unusable:
            with _recovery_lock(path):
                try:
                    conn = self._open_checked(path)
                except _Unusable as exc:
                    self._move_aside(path, exc.reason)
                    try:
                        conn = self._open_checked(path)
                    except _Unusable as again:
                        raise _Unwritable(f"the file there kept failing to open ({again.reason})") from None
        self._conn, self.path = conn, path
        self._identity = self._stat_identity(path)

    def _open_checked(self, path: Path) -> sqlite3.Connection:
        """A connection to a checked, writable progress database at path; raises _Unusable
        (not our file, or damaged) or _Unwritable (cannot be written there)."""
        try:
            conn = _connect(str(path))
        except OSError as exc:
            raise _Unwritable(_describe_os_error(exc)) from None
        except sqlite3.Error as exc:
            raise _Unwritable(f"the database cannot be opened: {exc}") from None
        try:
            self._prepare(conn)
            self._check_writable(conn)
        except (_Unusable, _Unwritable):
            conn.close()
            raise
        except OSError as exc:
            conn.close()
            raise _Unwritable(_describe_os_error(exc)) from None
        except sqlite3.Error as exc:
            conn.close()
            raise _Unwritable(self._sqlite_reason(exc)) from None
        return conn

    @staticmethod
    def _sqlite_reason(exc: sqlite3.Error) -> str:
        name = _errname(exc)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return "another program kept the file locked"
        if name.startswith("SQLITE_READONLY"):
            return "the file or its folder is read-only"
        return f"the database cannot be written: {exc}"

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Check what the file is; create or migrate our schema. Raises _Unusable, _Unwritable."""
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
            if _errname(exc) in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                raise _Unusable("it is not a readable SQLite database") from None
            raise
        if app_id == 0 and not tables:
            self._initialise(conn)
        elif app_id != APPLICATION_ID:
            raise _Unusable("it is a database that belongs to another program")
        elif not {"meta", "events"} <= tables:
            raise _Unusable("it is missing the tables of a progress record")
        try:
            check = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            if _errname(exc) in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                raise _Unusable("it is damaged") from None
            raise
        if check != [("ok",)]:
            raise _Unusable(f"it is damaged ({str(check[0][0])[:80]})")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() not in ("delete", "memory"):
            raise _Unwritable(f"its journal mode cannot be set to DELETE (it is {mode})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < 1:
            raise _Unusable("it has our mark but no schema version")
        if version > SCHEMA:
            raise _Unwritable(f"it was written by a newer version of the course (schema "
                              f"{version}); this version leaves it untouched")
        for table, wanted in DB_COLUMNS[version].items():
            found = frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
            if found != wanted:
                shown = ", ".join(sorted(found))[:120]
                raise _Unusable(f"it has the course's mark, but its {table} table has the "
                                f"columns {shown} instead of those of a progress record")
        if version < SCHEMA:
            self._migrate(conn)

    @staticmethod
    def _initialise(conn: sqlite3.Connection) -> None:
        """Create the v1 schema and migrate it up, in one transaction: one path for all files."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id == 0 and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                for statement in _V1_SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                    ("app", APP), ("learner", new_learner_id()), ("created", now_utc()),
                ])
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("PRAGMA user_version = 1")
                Store._run_migrations(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _run_migrations(conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        while version < SCHEMA:
            DB_MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            Store._run_migrations(conn)  # re-reads the version: another process may have won
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _check_writable(conn: sqlite3.Connection) -> None:
        """Touch a page and roll back: proves the file and its journal can be written now,
        rather than failing silently at the learner's first answer."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("UPDATE meta SET value = value WHERE key = 'app'")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def _move_aside(self, path: Path, reason: str) -> None:
        """Rename the unusable file (and its journal) to <name>.corrupt-<n>; never overwrite.

        Called only under the recovery lock, after a fresh look found the file at path still
        unusable. The journal goes first: once the file itself has gone, another kernel may
        create a new database at path at once, and its journal must stay where it is."""
        journal = Path(f"{path}-journal")
        for n in range(1, 10_000):
            target = path.with_name(f"{path.name}.corrupt-{n}")
            if target.exists() or Path(f"{target}-journal").exists():
                continue
            try:
                if journal.exists():
                    os.rename(journal, f"{target}-journal")
                try:
                    os.link(path, target)  # fails if target exists: no overwrite, even in a race
                except FileExistsError:
                    continue
                except OSError:  # file systems without hard links
                    if target.exists():
                        continue
                    os.rename(path, target)
                else:
                    os.unlink(path)
            except FileNotFoundError:  # gone already: nothing to move aside
                return
            except OSError as exc:
                raise _Unwritable(f"the file there is unusable ({reason}) and could not be "
                                  f"moved aside: {_describe_os_error(exc)}") from None
            self._add_notice(
                f"The progress file at {path} could not be used ({reason}). It was moved aside, "
                f"unchanged, to {target}, and a new empty progress record was started. If you "
                "have an exported progress.json, import it with upload()."
            )
            return
        raise _Unwritable(f"the file there is unusable ({reason}) and too many copies exist")

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
        _check_common(kind, lesson, item, misconception)
        if correct is not None:
            if type(correct) not in (bool, int) or correct not in (True, False):
                raise EventError(f"'correct' must be True, False or None; got "
                                 f"{safe_str(correct, 40)!r}")
            correct = bool(correct)
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
        return ImportResult(True, added, skipped, conflicts, None, parsed.schema_in_file)

    def import_json(self, source: str | bytes | os.PathLike[str]) -> ImportResult:
        """Import an export (path, text or bytes). Refusals come back as a result, not raised."""
        try:
            parsed = parse_export(_read_source(source))
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


def _read_source(source: str | bytes | os.PathLike[str]) -> str | bytes:
    """Accept a path, JSON text or bytes; raise ImportRefused if a file cannot be read."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, str):
        head = source.lstrip("\ufeff \t\r\n")
        if head.startswith(("{", "[")) or not head or "\n" in source or len(source) > 4096:
            return source
        path = Path(source).expanduser()
    elif isinstance(source, os.PathLike):
        path = Path(source)
    else:
        raise ImportRefused(f"expected a file path or JSON text, not {type(source).__name__}")
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRefused(f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        return path.read_bytes()
    except ImportRefused:
        raise
    except FileNotFoundError:
        raise ImportRefused(f"there is no file {str(path)!r}") from None
    except IsADirectoryError:
        raise ImportRefused(f"{str(path)!r} is a folder, not a file") from None
    except OSError as exc:
        raise ImportRefused(f"the file {str(path)!r} cannot be read: "
                            f"{_describe_os_error(exc)}") from None
    except ValueError:  # a NUL byte or a lone surrogate: no file can have that name
        raise ImportRefused("this is neither JSON text nor the name of a file") from None


def item_type(item: str) -> str:
    """'quiz' (01.q3), 'exercise' (01.2), 'pretest' (01.pre1) or 'other'."""
    if QUIZ_ITEM_RE.fullmatch(item):
        return "quiz"
    if EXERCISE_ITEM_RE.fullmatch(item):
        return "exercise"
    if PRETEST_ITEM_RE.fullmatch(item):
        return "pretest"
    return "other"


def summarise(events: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per lesson (by the item's own lesson prefix): what the dashboard draws.

    quiz_correct counts quiz items whose latest attempt was right (retrieval practice may
    re-ask an item; the latest answer is the current state); exercises count once solved.
    """
    out = {lesson: {"quiz_correct": 0, "quiz_total_items_seen": 0, "quiz_first_try_correct": 0,
                    "exercises_correct": 0, "exercises_attempted": 0, "pretests": 0,
                    "reflections": 0} for lesson in LESSONS}
    latest: dict[str, bool | None] = {}
    first: dict[str, bool | None] = {}
    solved: dict[str, bool] = {}
    home: dict[str, str] = {}  # item -> lesson it counts for
    pretests: set[str] = set()
    for ev in events:  # oldest first
        item, kind = ev["item"], ev["kind"]
        lesson = item[:2] if item[:2] in out else ev["lesson"]
        if lesson not in out:
            continue
        if kind == "reflection":
            out[lesson]["reflections"] += 1
        if kind != "attempt":
            continue
        home.setdefault(item, lesson)
        kind_of_item = item_type(item)
        if kind_of_item == "quiz":
            first.setdefault(item, ev["correct"])
            latest[item] = ev["correct"]
        elif kind_of_item == "exercise":
            solved[item] = solved.get(item, False) or ev["correct"] is True
        elif kind_of_item == "pretest" and item not in pretests:
            pretests.add(item)
            out[lesson]["pretests"] += 1
    for item, ok in latest.items():
        row = out[home[item]]
        row["quiz_total_items_seen"] += 1
        row["quiz_correct"] += ok is True
        row["quiz_first_try_correct"] += first[item] is True
    for item, done in solved.items():
        row = out[home[item]]
        row["exercises_attempted"] += 1
        row["exercises_correct"] += done
    return out
