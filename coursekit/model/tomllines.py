"""Read a TOML file and remember on which line each table and key starts.

tomllib reports line numbers only for syntax errors. Validators must say where a *semantic*
problem is (an unknown id, a missing field), so this module keeps a key-to-line index alongside
the parsed data. Paths look like ("source", 3, "date"): table names, array indices and keys.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.model.problems import ContentError, Problem, relpath

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")

Path_ = tuple[Any, ...]


def _split_dotted(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


@dataclass
class TomlDoc:
    """Parsed TOML plus the line index. `line(path)` falls back to the nearest known parent."""

    path: Path
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return relpath(self.path)

    def line(self, *path: Any) -> int:
        p: Path_ = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return 1

    def problem(self, reason: str, *path: Any) -> Problem:
        return Problem(self.name, self.line(*path), reason)

    def only_table(self, table: str, problems: list[Problem], *, holds: str,
                   empty: str) -> list[Any] | None:
        """The file's [[table]] list, for a file that holds nothing else: every other top-level
        key is a problem ("unknown key ...: <holds>"); a missing or empty list is the problem
        `empty` and gives None."""
        for key in self.data:
            if key != table:
                problems.append(self.problem(f"unknown key {key!r}: {holds}", key))
        found = self.data.get(table)
        if not isinstance(found, list) or not found:
            problems.append(self.problem(empty))
            return None
        return found


def _index(text: str) -> dict[Path_, int]:
    lines: dict[Path_, int] = {}
    counts: dict[Path_, int] = {}  # array-of-tables path (with parent indices) -> last index
    arrays: set[tuple[str, ...]] = set()  # array-of-tables names without indices
    current: Path_ = ()
    in_multiline: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(raw)
        if header and not _KEY.match(raw):
            is_array = header.group(1) == "[["
            names = _split_dotted(header.group(2))
            resolved: list[Any] = []
            for depth, part in enumerate(names):
                resolved.append(part)
                bare = tuple(n for n in resolved if isinstance(n, str))
                last = depth == len(names) - 1
                if last and is_array:
                    key = tuple(resolved)
                    counts[key] = counts.get(key, -1) + 1
                    arrays.add(bare)
                    resolved.append(counts[key])
                elif bare in arrays:
                    resolved.append(counts.get(tuple(resolved), 0))
            current = tuple(resolved)
            lines.setdefault(current, lineno)
            continue
        key = _KEY.match(raw)
        if key:
            full = current + tuple(_split_dotted(key.group(1)))
            lines.setdefault(full, lineno)
            rest = raw[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def load(path: Path, *, facts: bool = False) -> TomlDoc:
    """Parse `path`; a syntax error becomes a ContentError naming file and line.

    `facts=True` first fills named facts (`{{ name }}`, see coursekit/facts.py) into the text:
    quiz banks, exercise specs, claims and misconceptions are written that way, so a figure they
    share with a data table is written once. Filling keeps every line where it was."""
    text = path.read_text(encoding="utf-8")
    if facts and "{{" in text:
        from coursekit.model import facts as _facts

        text = _facts.fill(text, file=relpath(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else 1
        raise ContentError([Problem(relpath(path), line, f"TOML syntax error: {exc}")]) from None
    return TomlDoc(path=path, data=data, lines=_index(text))
