"""Solution markers: how an exercise set with its solutions (content/solutions/NN_slug.md) becomes
the learner's exercise notebook, and the mistakes in markers that the build refuses.

- a block between `# BEGIN SOLUTION` and `# END SOLUTION` lines becomes `...  # YOUR CODE HERE`;
  inside a triple-quoted string (a free-text answer the scaffold wraps for the learner, such as
  a call such as `brief = text_answer(` with the text in triple quotes) it becomes a bare `...`
  line, which the learner replaces with their own text;
- a line `name = expression  # SOLUTION` becomes `name = ...  # YOUR ANSWER HERE`;
- a Markdown cell tagged `solution` (a model answer) is left out: every exercise is answered in
  code, and a stray "write your answer here" after an exercise that asks for no text misleads;
- a code cell tagged `solution` becomes a placeholder cell that runs.
A marker outside a code cell, a nested BEGIN, an END without BEGIN or a BEGIN without END is an
error reported with file and line.

A Markdown solution block (`+++ {"tags": ["solution"]}`) runs until the next `+++` line or code
cell, so a block left open swallows whatever follows it: the next exercise's heading and prompt
would vanish from the learner's notebook. The build refuses a solution block that contains a
heading or an exercise prompt (a sentence asking the learner to assign a variable), with the
file, the line and the fix.
"""
from __future__ import annotations

import json
import re

from coursekit.model.problems import Problem

FENCE_OPEN = re.compile(r"^(`{3,})\{code-cell\}")
BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
_ANY_MARKER = re.compile(r"#\s*(BEGIN|END) SOLUTION\b")
INLINE = re.compile(r"^(?P<indent>\s*)(?P<target>[^=#]+?)\s*=\s*(?P<expr>.+?)\s*#\s*SOLUTION\s*$")
PLACEHOLDER_CODE = "...  # YOUR CODE HERE"
PLACEHOLDER_TEXT = "..."  # a free-text answer's body, inside the triple quotes the scaffold wrote
_CELL_BREAK = re.compile(r"^\+\+\+(?:\s+(?P<meta>\{.*\}))?\s*$")
_ANY_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
#: An exercise prompt: a sentence asking the learner to assign a variable ("Assign ... to `x`").
_PROMPT = re.compile(r"\bassign\b[^.]*?\bto\s+`[A-Za-z_]\w*`", re.I)


def marker_problems(text: str, name: str, *, allow: bool) -> list[Problem]:
    """Malformed solution markers, with line numbers, found in the raw Markdown."""
    problems: list[Problem] = []
    fence: str | None = None
    begin_at: int | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        opened = FENCE_OPEN.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            continue
        if fence is not None and line.strip() == fence:
            if begin_at is not None:
                problems.append(Problem(name, begin_at, "BEGIN SOLUTION has no matching END SOLUTION "
                                                        "before the code cell ends"))
                begin_at = None
            fence = None
            continue
        is_marker = bool(_ANY_MARKER.search(line)) or bool(fence and line.rstrip().endswith("# SOLUTION"))
        if not is_marker:
            continue
        if fence is None:
            problems.append(Problem(name, lineno, "solution marker outside a code cell"))
            continue
        if not allow:
            problems.append(Problem(name, lineno, "solution marker in a lesson; markers belong in "
                                                  "content/solutions/"))
            continue
        if BEGIN.match(line):
            if begin_at is not None:
                problems.append(Problem(name, lineno, f"nested BEGIN SOLUTION (the block opened at "
                                                      f"line {begin_at} is still open)"))
            else:
                begin_at = lineno
        elif END.match(line):
            if begin_at is None:
                problems.append(Problem(name, lineno, "END SOLUTION without a BEGIN SOLUTION"))
            begin_at = None
        elif _ANY_MARKER.search(line):
            problems.append(Problem(name, lineno, "a marker must stand alone on its line: "
                                                  "'# BEGIN SOLUTION' or '# END SOLUTION'"))
        elif begin_at is None and not INLINE.match(line):
            problems.append(Problem(name, lineno, "'# SOLUTION' must end an assignment line "
                                                  "such as 'x = 1  # SOLUTION'"))
    if begin_at is not None:
        problems.append(Problem(name, begin_at, "BEGIN SOLUTION has no matching END SOLUTION"))
    return problems


def _is_solution_break(line: str) -> bool:
    m = _CELL_BREAK.match(line)
    if not m or not m.group("meta"):
        return False
    try:
        meta = json.loads(m.group("meta"))
    except ValueError:
        return False
    return isinstance(meta, dict) and "solution" in (meta.get("tags") or [])


def solution_block_problems(text: str, name: str) -> list[Problem]:
    """Markdown solution blocks that run into a heading or an exercise prompt: a block opened
    with `+++ {"tags": ["solution"]}` lasts until the next `+++` line or code cell, so anything
    in between is hidden from the learner. One problem a block, at the first offending line."""
    problems: list[Problem] = []
    opened: int | None = None
    fence: str | None = None
    reported = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if fence is not None:  # inside a fenced block: a code cell ends any Markdown block
            if line.strip() == fence:
                fence = None
            continue
        started = _ANY_FENCE.match(line)
        if started:
            fence = started.group(1)
            if FENCE_OPEN.match(line):
                opened = None
            continue
        if _CELL_BREAK.match(line):
            opened = lineno if _is_solution_break(line) else None
            reported = False
            continue
        if opened is None or reported:
            continue
        what = ("a heading" if _MD_HEADING.match(line)
                else "an exercise prompt" if _PROMPT.search(line) else None)
        if what:
            shown = line.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            problems.append(Problem(name, lineno, (
                f"the solution block opened at line {opened} runs into {what} ({shown!r}), which "
                f"the learner's notebook would hide; end the block with a line '+++' before line "
                f"{lineno}, so that everything after the model answer stays in the exercise")))
            reported = True
    return problems



def strip_solution_code(source: str) -> str:
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        if BEGIN.match(line):
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            in_text = sum(prev.count('"""') for prev in out) % 2 == 1  # inside a triple-quoted string
            out.append(PLACEHOLDER_TEXT if in_text else f"{indent}{PLACEHOLDER_CODE}")
            continue
        if END.match(line):
            inside = False
            continue
        if inside:
            continue
        inline = INLINE.match(line)
        if inline:
            out.append(f"{inline['indent']}{inline['target'].strip()} = ...  # YOUR ANSWER HERE")
            continue
        out.append(line)
    return "\n".join(out)


def make_exercise(solution_nb):
    """The learner's version: solution regions replaced by placeholders that run, no outputs."""
    import copy

    nb = copy.deepcopy(solution_nb)
    nb.metadata["coursekit"]["kind"] = "exercise"
    nb.cells = [c for c in nb.cells
                if not (c.cell_type == "markdown" and "solution" in c.metadata.get("tags", []))]
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "solution" in tags:
            cell.source = PLACEHOLDER_CODE
            cell.metadata["tags"] = [t for t in tags if t != "solution"] + ["answer"]
        elif cell.cell_type == "code":
            cell.source = strip_solution_code(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb

