"""Named facts: a number is written once, in its data table, and prose shows it by name.

A dataset's sidecar (assets/data/NAME.toml) may name some of its values:

    [facts.china_share_2023h1]
    where = { period = "2023-H1", partner = "China" }   # must match exactly one row
    format = "{value:g}%"                                # any column may appear in the format

Text the course renders writes the name in double braces instead of the number:

    {{ china_share_2023h1 }}          the formatted value: 42%
    {{ china_share_2023h1.value }}    the bare number, for TOML answers: 42.0
    {{ china_share_2023h1.sources }}  the row's source ids, for a citation: X0604; X0605

The build fills them into lesson and exercise Markdown; quiz banks, exercise specs, claims,
misconceptions and the course's judgements are filled when they are loaded; `coursekit sync` fills the instructor pages. So
correcting a figure is one edit to a CSV and a rebuild, and `coursekit check` reports every unknown
name or ambiguous row with its file and line.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from coursekit.model import paths
from coursekit.model.problems import ContentError, Problem, relpath

REFERENCE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)(?:\.(value|sources))?\s*\}\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FACT_KEYS = {"where", "format"}


@dataclass(frozen=True)
class Fact:
    name: str
    dataset: str
    row: dict[str, Any]
    text: str          # the formatted value, e.g. "42%"
    file: str          # the sidecar that defines it, for messages
    line: int

    @property
    def value(self) -> Any:
        return self.row["value"]

    @property
    def sources(self) -> str:
        ids = self.row.get("source_ids", ())
        return "; ".join(ids) if isinstance(ids, (list, tuple)) else str(ids)


def _sidecar_stamps() -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in sorted(paths.DATA.glob("*.toml")) + sorted(paths.DATA.glob("*.csv")):
        st = path.stat()
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _read(stamps: tuple[tuple[str, int, int], ...]) -> tuple[dict[str, Fact], list[Problem]]:
    from coursekit.model import content
    from coursekit.model import tomllines

    facts: dict[str, Fact] = {}
    problems: list[Problem] = []
    for path_text, _mtime, _size in stamps:
        path = Path(path_text)
        if path.suffix != ".toml":
            continue
        doc = tomllines.load(path)
        table = doc.data.get("facts")
        if table is None:
            continue
        if not isinstance(table, dict):
            problems.append(doc.problem("facts: write each fact as a [facts.NAME] table", "facts"))
            continue
        dataset = None
        for name, spec in table.items():
            where = ("facts", name)
            if not NAME.match(name):
                problems.append(doc.problem(f"fact {name!r}: a name is lower case letters, digits "
                                            "and '_', starting with a letter", *where))
                continue
            if name in facts:
                problems.append(doc.problem(f"fact {name!r} is also defined in {facts[name].file}",
                                            *where))
                continue
            if not isinstance(spec, dict) or set(spec) - _FACT_KEYS or not {"where", "format"} <= set(spec):
                problems.append(doc.problem(f"fact {name!r}: give exactly 'where' (a table of "
                                            "column = value) and 'format' (e.g. \"{value:g}%\")", *where))
                continue
            if dataset is None:
                try:
                    dataset = content.load_dataset(path.stem)
                except ContentError as exc:
                    problems.extend(exc.problems)
                    break
            match = [r for r in dataset.rows
                     if all(str(r.get(k)) == str(v) for k, v in spec["where"].items())]
            unknown = [k for k in spec["where"] if k not in dataset.columns]
            if unknown:
                problems.append(doc.problem(f"fact {name!r}: no column {', '.join(map(repr, unknown))} "
                                            f"in {path.stem}.csv", *where, "where"))
                continue
            if len(match) != 1:
                problems.append(doc.problem(f"fact {name!r}: 'where' matches {len(match)} rows of "
                                            f"{path.stem}.csv; it must match exactly one", *where, "where"))
                continue
            row = match[0]
            try:
                text = string.Formatter().vformat(spec["format"], (), dict(row))
            except (KeyError, ValueError, IndexError, TypeError) as exc:
                problems.append(doc.problem(f"fact {name!r}: its format cannot be filled ({exc})",
                                            *where, "format"))
                continue
            facts[name] = Fact(name, path.stem, dict(row), text, relpath(path), doc.line(*where))
    return facts, problems


@lru_cache(maxsize=4)
def _cached(stamps: tuple[tuple[str, int, int], ...]) -> tuple[dict[str, Fact], list[Problem]]:
    return _read(stamps)


def all_facts() -> dict[str, Fact]:
    """Every named fact of every dataset; raises ContentError listing every problem."""
    facts, problems = _cached(_sidecar_stamps())
    if problems:
        raise ContentError(problems)
    return facts


def validate() -> list[Problem]:
    """Problems in the fact definitions (for `coursekit check`)."""
    return list(_cached(_sidecar_stamps())[1])


def reference_problems(text: str, file: str, first_line: int = 1) -> list[Problem]:
    """Each `{{ name }}` in `text` that names no fact, with its line."""
    try:
        known = all_facts()
    except ContentError:
        return []  # the definitions' own problems are reported by validate()
    problems = []
    for m in REFERENCE.finditer(text):
        if m.group(1) not in known:
            line = first_line + text.count("\n", 0, m.start())
            problems.append(Problem(file, line, f"unknown fact {{{{ {m.group(1)} }}}}: define it "
                                                "in a dataset sidecar's [facts] table"))
    return problems


def _escape_dollars(text: str) -> str:
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def fill(text: str, *, file: str = "", markdown: bool = False) -> str:
    """`text` with every `{{ name }}` replaced; an unknown name raises ContentError (file, line).

    `markdown=True` escapes dollar signs in the filled values: JupyterLab reads text between two
    `$` as maths."""
    if "{{" not in text:
        return text
    problems = reference_problems(text, file)
    if problems:
        raise ContentError(problems)
    known = all_facts()

    def sub(m: re.Match) -> str:
        fact = known[m.group(1)]
        part = m.group(2)
        out = repr(fact.value) if part == "value" else fact.sources if part == "sources" else fact.text
        return _escape_dollars(out) if markdown else out

    return REFERENCE.sub(sub, text)


def uses(text: str) -> set[str]:
    """The fact names `text` refers to."""
    return {m.group(1) for m in REFERENCE.finditer(text)}


def _texts_with_references() -> list[Path]:
    """Every file whose text may name facts: lesson and exercise sources, and the TOML files
    that are filled when loaded."""
    files = sorted(paths.CONTENT.rglob("*.md"))
    files += sorted(paths.QUIZZES.glob("*.toml")) + sorted(paths.EXERCISES_SPEC.glob("*.toml"))
    files += [paths.ASSETS / name for name in ("claims.toml", "misconceptions.toml", "judgements.toml")]
    return [f for f in files if f.exists()]


def check_all() -> list[Problem]:
    """For `coursekit check`: bad fact definitions, and every unknown name in every file."""
    problems = validate()
    for path in _texts_with_references():
        problems += reference_problems(path.read_text(encoding="utf-8"), relpath(path))
    return problems
