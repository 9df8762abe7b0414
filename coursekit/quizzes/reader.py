"""Reading one bank's TOML into values while collecting problems (file, line, reason).

`BankReader` is shared by every part of a bank (the top, objectives, questions of each type,
pretests): each method reads one key of a record, adds a problem in plain words when it is wrong,
and returns a usable value anyway, so one mistake never hides the next.
"""
from __future__ import annotations

import re
from typing import Any

from coursekit.model.content import MISCONCEPTION_ID, SOURCE_ID  # one definition of the id formats
from coursekit.model.problems import Problem
from coursekit.model.tomllines import TomlDoc
from coursekit.quizzes.numbers import parse_number


class BankReader:
    """Collects problems while turning one bank's TOML into records."""

    def __init__(self, doc: TomlDoc, misconceptions: frozenset[str], sources: frozenset[str] | None):
        self.doc = doc
        self.misconceptions = misconceptions
        self.sources = sources
        self.problems: list[Problem] = []

    def add(self, reason: str, *where: Any) -> None:
        self.problems.append(self.doc.problem(reason, *where))

    @staticmethod
    def label(kind: str, record: dict[str, Any], i: int) -> str:
        """How problems name the i-th record of a kind: "question q3", or "question #4"."""
        rid = record.get("id")
        return f"{kind} {rid if isinstance(rid, str) else '#' + str(i + 1)}"

    def records(self, data: dict[str, Any], kind: str, spec: dict[str, bool]
                ) -> list[tuple[dict[str, Any], tuple, str]]:
        """The bank's [[kind]] tables, each as (record, place, label), their keys checked."""
        out = []
        for i, record in enumerate(self.tables(data, kind, "bank")):
            where, label = (kind, i), self.label(kind, record, i)
            self.keys(record, spec, label, *where)
            out.append((record, where, label))
        return out

    def record_id(self, record: dict[str, Any], pattern: re.Pattern[str], hint: str,
                  seen: dict[str, int], kind: str, label: str, *where: Any) -> str | None:
        """The record's `id` if it matches `pattern` and is not in `seen` yet (which then keeps
        its line); otherwise None, with a problem for a malformed or repeated id (a missing one
        is reported by `keys`)."""
        rid = record.get("id")
        if "id" in record and (not isinstance(rid, str) or not pattern.match(rid)):
            self.add(f"{label}: malformed id {rid!r} ({hint})", *where, "id")
            return None
        if not isinstance(rid, str):
            return None
        if rid in seen:
            self.add(f"duplicate {kind} id {rid!r} (first at line {seen[rid]})", *where, "id")
            return None
        seen[rid] = self.doc.line(*where, "id")
        return rid

    def keys(self, record: dict[str, Any], spec: dict[str, bool], label: str, *where: Any) -> None:
        for key, required in spec.items():
            if required and key not in record:
                self.add(f"{label}: missing key {key!r}", *where)
        for key in record:
            if key not in spec:
                self.add(f"{label}: unknown key {key!r} (expected: {', '.join(spec)})", *where, key)

    def text(self, record: dict[str, Any], key: str, label: str, *where: Any) -> str:
        if key not in record:
            return ""
        value = record[key]
        if not isinstance(value, str):
            self.add(f"{label}: {key!r} must be a string", *where, key)
            return ""
        if not value.strip():
            self.add(f"{label}: {key!r} is empty", *where, key)
        return value.strip()

    def flag(self, record: dict[str, Any], key: str, label: str, *where: Any, default: bool = False) -> bool:
        value = record.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{label}: {key!r} must be true or false", *where, key)
            return default
        return value

    def count(self, record: dict[str, Any], key: str, label: str, *where: Any, default: int) -> int:
        value = record.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(f"{label}: {key!r} must be a whole number of at least 1", *where, key)
            return default
        return value

    def strings(self, record: dict[str, Any], key: str, label: str, *where: Any) -> tuple[str, ...]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{label}: {key!r} must be a list of strings", *where, key)
            return ()
        return tuple(v.strip() for v in value)

    def tables(self, record: dict[str, Any], key: str, label: str, *where: Any) -> list[dict[str, Any]]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(f"{label}: write {key!r} entries as [[...{key}]] tables", *where, key)
            return []
        return value

    def source_list(self, record: dict[str, Any], label: str, *where: Any) -> tuple[str, ...]:
        ids = self.strings(record, "sources", label, *where)
        for sid in ids:
            if not SOURCE_ID.match(sid):
                self.add(f"{label}: malformed source id {sid!r} (expected \"S<n>\" or \"X<n>\")",
                         *where, "sources")
            elif self.sources is not None and sid not in self.sources:
                self.add(f"{label}: unknown source id {sid!r} (not in assets/sources.toml)",
                         *where, "sources")
        if len(set(ids)) != len(ids):
            self.add(f"{label}: a source id is listed twice", *where, "sources")
        return ids

    def misconception(self, record: dict[str, Any], label: str, *where: Any, required: bool) -> str:
        if "misconception" not in record:
            if required:
                self.add(f"{label}: a distractor must name a misconception id from "
                         f"assets/misconceptions.toml (key 'misconception')", *where)
            return ""
        mid = self.text(record, "misconception", label, *where)
        if not mid:
            return ""
        if not MISCONCEPTION_ID.match(mid):
            self.add(f"{label}: malformed misconception id {mid!r} (kebab-case)", *where, "misconception")
        elif mid not in self.misconceptions:
            self.add(f"{label}: unknown misconception id {mid!r} (not in assets/misconceptions.toml)",
                     *where, "misconception")
        return mid

    def number(self, record: dict[str, Any], key: str, label: str, *where: Any) -> float | None:
        value = record.get(key)
        if isinstance(value, bool):
            value = None
        elif isinstance(value, (int, float)):
            return float(value)
        elif isinstance(value, str):
            parsed = parse_number(value)
            if parsed.ok:
                return parsed.value
            self.add(f"{label}: {key} {value!r} is not a number the course can read: "
                     f"{parsed.message}", *where, key)
            return None
        self.add(f"{label}: {key} {value!r} is not a number", *where, key)
        return None

    def tolerance(self, record: dict[str, Any], label: str, *where: Any) -> tuple[float | None, float | None]:
        rel = abs_ = None
        if "rel_tol" in record and "abs_tol" in record:
            self.add(f"{label}: give either rel_tol or abs_tol, not both", *where, "abs_tol")
        if "rel_tol" in record:
            rel = self.number(record, "rel_tol", label, *where)
            if rel is not None and not 0 <= rel < 1:
                self.add(f"{label}: rel_tol must be a fraction from 0 to 1 (0.01 is 1 %)", *where, "rel_tol")
                rel = None
        if "abs_tol" in record:
            abs_ = self.number(record, "abs_tol", label, *where)
            if abs_ is not None and abs_ < 0:
                self.add(f"{label}: abs_tol must not be negative", *where, "abs_tol")
                abs_ = None
        return rel, abs_


def norm(text: str) -> str:
    """Text compared as the learner reads it: case and runs of spaces ignored."""
    return " ".join(text.casefold().split())


def first_word(text: str) -> str:
    """The first word, lower-cased (an objective's verb)."""
    match = re.match(r"[^\w]*([\w'-]+)", text)
    return match.group(1).casefold() if match else ""
