"""Further reading recommends sources: it lists only strong or fair ones.

A lesson may cite a weak source in its body (a relay of a statement, marked weak in the
bibliography), but a reading list is advice to read on, so a weak source there is a fault.
This lint finds every `further_reading(...)` call under a "Further reading" heading of the lesson
and exercise sources and reports, with file and line, each id that is weak or not in the
bibliography. (The same call also shows a solution's "Sources for these exercises", a list of
what the exercises cite, where a weak source is shown with its rating and is allowed.)
"""
from __future__ import annotations

import re
from pathlib import Path

from coursekit.model import paths
from coursekit.model.problems import Problem, relpath
from coursekit.tools import mdscan

_CALL = re.compile(r"further_reading\((?P<args>[^)]*)\)")
_ID = re.compile(r"""["']([SX][0-9]+)["']""")
ALLOWED = ("strong", "fair")


def reading_ids(text: str) -> list[tuple[int, str]]:
    """(line, id) of every source id in a `further_reading(...)` call in a code cell under a
    Markdown heading that starts "Further reading" in `text`."""
    lines = text.splitlines()
    kinds, cells = mdscan.classify(lines)
    section, sections = "", []  # the heading each line stands under
    for line, kind in zip(lines, kinds):
        heading = mdscan.HEADING.match(line) if kind == "md" else None
        section = (heading.group(2) or "").lower() if heading else section
        sections.append(section)
    found = []
    for start, cell in cells:
        if not sections[start - 1].startswith("further reading"):
            continue
        for number, line in enumerate(cell, start=start + 1):
            for call in _CALL.finditer(line):
                found += [(number, m.group(1)) for m in _ID.finditer(call.group("args"))]
    return found


def lint_files(files: list[Path], qualities: dict[str, str]) -> list[Problem]:
    """Problems for weak or unknown ids in the reading lists of `files`; `qualities`: id → quality."""
    problems = []
    for path in files:
        for line, sid in reading_ids(path.read_text(encoding="utf-8")):
            quality = qualities.get(sid)
            if quality is None:
                problems.append(Problem(relpath(path), line,
                                        f"further reading lists {sid}, which is not in assets/sources.toml"))
            elif quality not in ALLOWED:
                problems.append(Problem(relpath(path), line,
                                        f"further reading lists {sid}, a {quality} source: list only "
                                        f"strong or fair sources (cite a weak one in the text, marked weak)"))
    return problems


def lint_all() -> list[Problem]:
    """The course's reading lists, checked against the bibliography's quality ratings."""
    from coursekit.model.sources import read_sources

    sources, _ = read_sources()
    files = sorted(paths.CONTENT.glob("lessons/*.md")) + sorted(paths.CONTENT.glob("solutions/*.md"))
    return lint_files(files, {sid: s.quality for sid, s in sources.items()})
