"""Optional depth: what a lesson's core path can skip, and how the notebooks show it.

THE CONVENTION (docs/timing-freshness-glossary.md repeats it)

- A section whose heading starts "Going further" (any level from ## down, for example
  "### Going further: McKinsey's compounding check") is optional depth. It runs to the next
  heading of the same or a higher level (fewer #). Everything in it, prose and code, is optional.
- A single cell tagged `optional` (a code cell `:tags: [optional]`, or a Markdown cell opened with
  `+++ {"tags": ["optional"]}`) is optional wherever it stands.
- A code cell tagged `reference`, and the bibliography list of a "Further reading" section (an
  output with the class `ck-bibliography` under that heading), is a long reference output: the notebook opens with that output collapsed.
  Its words count as optional reading, not as core.

What the build does with it (`split` before the cells get their ids, `mark` after the outputs
are normalised):
- it cuts a Markdown cell before and after a "Going further" heading, and at the heading that
  ends the section: JupyterLab collapses a cell by its highest heading and keeps the heading's
  own cell in view, so the heading must stand alone in its cell (the section's prose follows in
  the next one, hidden with it) and the section's end must open a new cell;
- it stores `"jp-MarkdownHeadingCollapsed": true` on that heading cell, which JupyterLab 4 reads
  when it opens the notebook: the section shows as one collapsed heading, with a button that
  says how many cells it hides;
- it stores `"collapsed": true` and `"jupyter": {"outputs_hidden": true}` (the two spellings
  nbformat allows, which JupyterLab keeps in step) on reference cells, so their outputs open
  collapsed; a click on the collapser bar shows them.
Run All still runs the cells of a collapsed section. `python -m coursekit timing` counts optional
depth apart from the core path, and `python -m coursekit slides` leaves it out of the decks.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

OPTIONAL_TAG = "optional"
REFERENCE_TAG = "reference"
HEADING_COLLAPSED = "jp-MarkdownHeadingCollapsed"
BIBLIOGRAPHY_CLASS = "ck-bibliography"

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_GOING_FURTHER = re.compile(r"^going further\b", re.I)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def is_going_further(title: str) -> bool:
    """True for a heading text that starts "Going further" (case does not matter)."""
    return bool(_GOING_FURTHER.match(title.strip().strip("*_ ")))


def headings(source: str) -> Iterator[tuple[int, int, str]]:
    """(line index, level, text) of each ATX heading in Markdown, outside fenced blocks."""
    if isinstance(source, list):  # a notebook read as plain JSON keeps its lines in a list
        source = "".join(source)
    fence: str | None = None
    for i, line in enumerate(source.splitlines()):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        m = _HEADING.match(line)
        if m:
            yield i, len(m.group(1)), m.group(2)


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []) or [])


def cell_flags(cells: list[Any]) -> list[bool]:
    """For each cell, whether it belongs to optional depth. Assumes `split` has run, so a cell is
    wholly inside or outside a "Going further" section; a cell tagged `optional` always is."""
    flags: list[bool] = []
    level: int | None = None  # the level of the open "Going further" heading
    for cell in cells:
        flag = level is not None
        if cell.get("cell_type") == "markdown":
            for index, (line, lvl, text) in enumerate(headings(cell.get("source", ""))):
                if level is not None and lvl <= level:
                    level = None
                if is_going_further(text) and lvl >= 2:
                    level = lvl
                if index == 0 and line == 0:  # the heading that opens the cell decides
                    flag = level is not None
        flags.append(flag or OPTIONAL_TAG in _tags(cell))
    return flags


def _split_points(source: str, open_level: int | None) -> tuple[list[int], int | None]:
    """Line indices where a Markdown cell must be cut, and the optional level at its end."""
    points: list[int] = []
    level = open_level
    lines = source.splitlines()
    for i, lvl, text in headings(source):
        if level is not None and lvl <= level:
            level = None
            if i:
                points.append(i)
        if is_going_further(text) and lvl >= 2:
            level = lvl
            if i and i not in points:
                points.append(i)
            # The heading stands alone: JupyterLab keeps a collapsed heading's own cell in view.
            if any(line.strip() for line in lines[i + 1:]):
                points.append(i + 1)
    return sorted(set(points)), level


def split(nb) -> None:
    """Cut Markdown cells so a "Going further" heading opens its cell, and so does the heading
    that ends the section. Idempotent: a cell already cut this way is left as it is."""
    import copy

    out: list[Any] = []
    level: int | None = None
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            out.append(cell)
            continue
        source = cell.get("source", "")
        points, level = _split_points(source, level)
        if not points:
            out.append(cell)
            continue
        lines = source.splitlines()
        bounds = [0, *points, len(lines)]
        for n, (start, end) in enumerate(zip(bounds, bounds[1:])):
            part = copy.deepcopy(cell) if n == 0 else _new_markdown(cell)
            part["source"] = "\n".join(lines[start:end]).strip("\n")
            if part["source"].strip():
                out.append(part)
    nb.cells = out


def _new_markdown(like: Any):
    import nbformat

    tags = [t for t in _tags(like) if t == OPTIONAL_TAG]
    return nbformat.v4.new_markdown_cell("", metadata={"tags": tags} if tags else {})


def _further_reading(title: str) -> bool:
    return title.strip().strip("*_ ").lower().startswith("further reading")


def reference_flags(cells: list[Any]) -> list[bool]:
    """For each cell, whether it is a code cell whose output is long reference material, shown
    collapsed: tagged `reference`, or the bibliography list of a "Further reading" section (a
    source list inside an exercise stays open: the learner works with it)."""
    flags: list[bool] = []
    section = ""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for _, _, text in headings(cell.get("source", "")):
                section = text
            flags.append(False)
            continue
        if cell.get("cell_type") != "code":
            flags.append(False)
            continue
        listed = False
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            listed = listed or BIBLIOGRAPHY_CLASS in text
        flags.append(REFERENCE_TAG in _tags(cell) or (listed and _further_reading(section)))
    return flags


def outputs_hidden(cell: Any) -> bool:
    """True where the notebook opens with this cell's outputs collapsed."""
    meta = cell.get("metadata", {})
    return bool(meta.get("collapsed") or (meta.get("jupyter") or {}).get("outputs_hidden"))


def mark(nb) -> None:
    """Store the collapsed states JupyterLab reads when it opens the notebook (after normalise,
    which drops any `collapsed` or `jupyter` metadata the run left behind)."""
    for cell, reference in zip(nb.cells, reference_flags(nb.cells)):
        if cell.get("cell_type") == "markdown":
            first = next(iter(headings(cell.get("source", ""))), None)
            if first is not None and first[0] == 0 and first[1] >= 2 and is_going_further(first[2]):
                cell.metadata[HEADING_COLLAPSED] = True
        elif reference and cell.get("outputs"):
            cell.metadata["collapsed"] = True
            cell.metadata["jupyter"] = {"outputs_hidden": True}
