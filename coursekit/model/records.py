"""Reading the course's TOML records ([[source]], [[claim]], [[misconception]]) one at a time,
with every problem named by file, line and reason.

    def make(rec: Record, rid: str) -> Claim:
        return Claim(id=rid, quote=rec.text("quote"), verdict=rec.enum("verdict", VERDICTS), ...)

    claims, problems = read_records(path, "claim", CLAIM_ID, '"C01"', KEYS, make)

A `Record` appends each problem it finds to the shared list and returns a usable value ("" or
()) instead of raising, so a validator reports every problem of a file in one run.

Only the standard library and coursekit.model's small modules are imported (the first cell of every
notebook imports coursekit, so this stays cheap).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.tomllines import TomlDoc, load as _load_toml

#: A bibliography id: "S24" (the course's first bibliography) or "X0217" (checked later).
SOURCE_ID = re.compile(r"^(?:S[1-9][0-9]*|X[0-9]+)$")
_DATE_FULL = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATE_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
DATE_YEAR = re.compile(r"^([0-9]{4})$")
T = TypeVar("T")


def is_iso_date(text: Any, *, partial: bool = False) -> bool:
    """True for a real calendar date "YYYY-MM-DD"; with partial=True also "YYYY-MM" and "YYYY"."""
    if not isinstance(text, str):
        return False
    m = _DATE_FULL.match(text)
    if m:
        try:
            _dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return False
        return True
    if not partial:
        return False
    m = _DATE_MONTH.match(text)
    if m:
        return 1 <= int(m[2]) <= 12
    return bool(DATE_YEAR.match(text))


def one_of(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


def read_toml(path: Path, *, facts: bool = False) -> tuple[TomlDoc | None, list[Problem]]:
    """(the parsed file, []) or (None, its problems: missing, or a syntax error with its line)."""
    if not path.exists():
        return None, [Problem(relpath(path), 1, "file not found")]
    try:
        return _load_toml(path, facts=facts), []
    except ContentError as exc:
        return None, list(exc.problems)


@dataclass
class Record:
    """One [[table]] entry of a TomlDoc; each check appends its problems to `problems`."""

    doc: TomlDoc
    table: str
    i: int
    data: dict[str, Any]
    problems: list[Problem]

    @property
    def label(self) -> str:
        rid = self.data.get("id")
        return (f"{self.table} {rid}" if isinstance(rid, str) and rid.strip()
                else f"{self.table} #{self.i + 1}")

    @property
    def line(self) -> int:
        return self.doc.line(self.table, self.i)

    def problem(self, reason: str, *key: str) -> None:
        self.problems.append(self.doc.problem(f"{self.label}: {reason}", self.table, self.i, *key))

    def keys(self, spec: dict[str, bool]) -> None:
        """Every required key (spec value True) present, and no key outside `spec`."""
        for key, required in spec.items():
            if required and key not in self.data:
                self.problem(f"missing key {key!r}")
        for key in self.data:
            if key not in spec:
                self.problem(f"unknown key {key!r} (expected: {', '.join(spec)})", key)

    def text(self, key: str, *, empty_ok: bool = False) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            self.problem(f"{key!r} must be a string", key)
            return ""
        if key in self.data and not empty_ok and not value.strip():
            self.problem(f"{key!r} is empty", key)
        return value

    def enum(self, key: str, allowed: Iterable[str] | None) -> str:
        """The value if it is one of `allowed` (None: any text, where the list is unknown)."""
        if allowed is None:
            return self.text(key)
        if key not in self.data:
            return ""
        value, allowed = self.data[key], tuple(allowed)
        if value not in allowed:
            self.problem(f"unknown {key} {value!r} (expected one of: {one_of(allowed)})", key)
            return ""
        return value

    def date(self, key: str, what: str = "", *, expected: str = "YYYY-MM-DD",
             partial: bool = False, also: tuple[str, ...] = ()) -> Any:
        """The date under `key` if it is an ISO date (or one of `also`, such as "n.d.")."""
        value = self.data.get(key)
        if key in self.data and value not in also and not is_iso_date(value, partial=partial):
            self.problem(f"malformed {what or key} {value!r} (expected {expected})", key)
        return value

    def id(self, pattern: re.Pattern[str], form: str, seen: dict[str, int]) -> str:
        """The record's id if well formed and not seen before in this file ("" otherwise)."""
        rid = self.data.get("id")
        if not isinstance(rid, str) or not pattern.match(rid):
            if "id" in self.data:
                self.problems.append(self.doc.problem(
                    f"{self.table} #{self.i + 1}: malformed id {rid!r} (expected {form})",
                    self.table, self.i, "id"))
            return ""
        if rid in seen:
            self.problems.append(self.doc.problem(
                f"duplicate {self.table} id {rid!r} (first at line {seen[rid]})",
                self.table, self.i, "id"))
            return ""
        seen[rid] = self.doc.line(self.table, self.i, "id")
        return rid

    def source_ids(self, key: str, known: Iterable[str] | None) -> tuple[str, ...]:
        """A list of bibliography ids, each well formed and (when `known` is given) known."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key!r} must be a list of source ids", key)
            return ()
        known_set = set(known) if known is not None else None
        for sid in value:
            if not SOURCE_ID.match(sid):
                self.problem(f"malformed source id {sid!r} in {key}", key)
            elif known_set is not None and sid not in known_set:
                self.problem(f"unknown source id {sid!r} in {key}", key)
        if len(set(value)) != len(value):
            self.problem(f"repeated source id in {key}", key)
        return tuple(value)


def records(doc: TomlDoc, table: str, problems: list[Problem]) -> Iterator[Record]:
    """The file's [[table]] entries; a file of anything else is one problem, and no records."""
    found = doc.data.get(table)
    if found is None:
        problems.append(doc.problem(f"no [[{table}]] tables"))
        return
    if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
        problems.append(doc.problem(f"'{table}' must be written as [[{table}]] tables", table))
        return
    for key in doc.data:
        if key != table:
            problems.append(doc.problem(f"unexpected top-level key {key!r}", key))
    for i, data in enumerate(found):
        yield Record(doc, table, i, data, problems)


def read_records(path: Path, table: str, id_pattern: re.Pattern[str], id_form: str,
                 keys: dict[str, bool], make: Callable[["Record", str], T], *,
                 facts: bool = False) -> tuple[dict[str, T], list[Problem]]:
    """Every [[table]] record of the file, keyed by id: `make(record, id)` reads the fields; a
    record with any problem (or no usable id) is left out, and every problem is returned."""
    doc, problems = read_toml(path, facts=facts)
    if doc is None:
        return {}, problems
    return records_by_id(doc, problems, table, id_pattern, id_form, keys, make)


def records_by_id(doc: TomlDoc, problems: list[Problem], table: str, id_pattern: re.Pattern[str],
                  id_form: str, keys: dict[str, bool],
                  make: Callable[["Record", str], T]) -> tuple[dict[str, T], list[Problem]]:
    """`read_records` for a file already parsed (`problems`: those found so far)."""
    out: dict[str, T] = {}
    seen: dict[str, int] = {}
    for rec in records(doc, table, problems):
        rid = rec.id(id_pattern, id_form, seen)
        before = len(problems)
        rec.keys(keys)
        made = make(rec, rid)
        if rid and len(problems) == before:
            out[rid] = made
    return out, problems
