"""Export files: the learner's whole record as JSON they can keep, move and import again.

Export and import use JSON with a schema version and a checksum; import merges by event id and
either applies a whole valid file or changes nothing. Everything here works without a database
(the report and the tests read exports with it too): `parse_export` checks a file completely,
`render_export` writes one, `read_source` takes a path, text or bytes.

A file of an older or newer schema is refused with its reason; no older schema was released.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.progress.answers import answer_text, canonical_json
from coursekit.progress.failures import describe_os_error
from coursekit.progress.fields import (
    APP,
    FIELDS,
    ID_RE,
    SCHEMA,
    EventError,
    check_common,
    check_correct,
    check_learner,
    normalise_ts,
)

MAX_IMPORT_BYTES = 64 * 1024 * 1024
_CHECKSUM_RE = re.compile(r"[0-9a-f]{64}")


class ImportRefused(ValueError):
    """An export file cannot be imported; the message is the reason, in plain words."""


def checksum(events: list[Any]) -> str:
    """sha256 of the canonical JSON of the events list, as written in the export file."""
    return hashlib.sha256(canonical_json(events).encode("utf-8")).hexdigest()


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
        if not isinstance(ev_id, str) or not ID_RE.fullmatch(ev_id):
            raise EventError("'id' must be 32 lowercase hexadecimal characters")
        check_common(raw["kind"], raw["lesson"], raw["item"], raw["misconception"])
        correct = check_correct(raw["correct"])
        answer = raw["answer"]
        text = answer_text(answer)
        if text is not None and json.loads(text) != answer:
            raise EventError("'answer' is not plain JSON data")
        return {
            "id": ev_id, "kind": raw["kind"], "lesson": raw["lesson"], "item": raw["item"],
            "correct": correct, "misconception": raw["misconception"], "answer": answer,
            "learner": check_learner(raw["learner"]), "ts": normalise_ts(raw["ts"]),
        }
    except EventError as exc:
        ev_id = raw.get("id") if isinstance(raw, dict) else None
        label = f"{where} (id {ev_id})" if isinstance(ev_id, str) and len(ev_id) <= 40 else where
        raise EventError(f"{label} {exc}") from None



def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ImportRefused(f"the key '{key}' appears twice in one object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ImportRefused(f"it contains {name}, which is not valid JSON")



@dataclass(frozen=True)
class ParsedExport:
    """A valid export of the current schema, with events in normal form."""

    events: list[dict[str, Any]]


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
    if schema != SCHEMA:
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
    normal: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, raw in enumerate(events):
        try:
            event = validate_event(raw, position)
        except EventError as exc:
            raise ImportRefused(str(exc)) from None
        if event["id"] in seen:
            raise ImportRefused(f"event {position + 1} repeats the id {event['id']}")
        seen.add(event["id"])
        normal.append(event)
    return ParsedExport(events=normal)

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
        return text

    def __str__(self) -> str:
        return self.message


def read_source(source: str | bytes | os.PathLike[str]) -> str | bytes:
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
                            f"{describe_os_error(exc)}") from None
    except ValueError:  # a NUL byte or a lone surrogate: no file can have that name
        raise ImportRefused("this is neither JSON text nor the name of a file") from None

