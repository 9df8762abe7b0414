"""Lints for the code cells of lesson and exercise sources (see coursekit.tools.lint for every
rule): charts shown with alt text that states a figure, and the lines of Python a learner writes
in an exercise cell ("No Python needed": at most two short lines).
"""
from __future__ import annotations

import ast
import re

from coursekit.model.problems import Problem
from coursekit.tools.markers import BEGIN, END, INLINE
from coursekit.tools.mdscan import OPTION

MAX_LEARNER_LINES = 2    # lines of Python a learner writes in one exercise cell
MAX_LEARNER_CHARS = 60   # characters of Python (strings not counted) in one such line
SHOW_MODULES = {"coursekit", "plots", "ck"}
PLAIN_SHOW_OWNERS = {"plt", "pyplot", "fig", "figure"}
_STRING = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'")
_TAGGED_SOLUTION = re.compile(r"^\s*(?::tags:|tags:)\s*\[[^\]]*\bsolution\b", re.I)


def _python_chars(code: str) -> int:
    """Length of a line of Python with the contents of its string literals not counted."""
    return len(_STRING.sub('""', code.strip()))


def _is_code(line: str) -> bool:
    return bool(line.strip()) and not line.strip().startswith("#")


def learner_lines(cell_lines: list[str]) -> list[tuple[int, str]]:
    """What the learner must write in one exercise code cell, as (index in the cell, code):
    see "Learner lines" above. A free-text block is one entry with an empty code string."""
    body = list(cell_lines)
    if body and body[0].strip() == "---":  # YAML options block
        end = next((j for j in range(1, len(body)) if body[j].strip() == "---"), 0)
        if any(_TAGGED_SOLUTION.match(line) for line in body[1:end]):
            return [(k, line) for k, line in enumerate(body[end + 1:], start=end + 1) if _is_code(line)]
        body = [""] * (end + 1) + body[end + 1:]
    if body and _TAGGED_SOLUTION.match(body[0]):
        return [(k, line) for k, line in enumerate(body[1:], start=1) if _is_code(line)]
    found: list[tuple[int, str]] = []
    inside: str | None = None  # None, "code" or "text"
    for k, line in enumerate(body):
        if BEGIN.match(line):
            in_text = sum(prev.count('"""') for prev in body[:k]) % 2 == 1
            inside = "text" if in_text else "code"
            if in_text:
                found.append((k, ""))
            continue
        if END.match(line):
            inside = None
            continue
        if inside == "code" and _is_code(line):
            found.append((k, line))
        elif inside is None:
            m = INLINE.match(line)
            if m:
                found.append((k, m["expr"]))
    return found


def lint_learner_lines(file: str, start: int, cell_lines: list[str]) -> list[Problem]:
    lines = learner_lines(cell_lines)
    problems: list[Problem] = []
    if len(lines) > MAX_LEARNER_LINES:
        problems.append(Problem(file, start, (
            f"this exercise cell asks the learner to write {len(lines)} lines of Python (at most "
            f"{MAX_LEARNER_LINES}): write the loop, the parsing and the names into the cell, and "
            f"leave the learner values or one expression")))
    for k, code in lines:
        if code.lstrip().startswith("{"):
            problems.append(Problem(file, start + k + 1, (
                "the learner would write a dictionary: write its keys into the cell "
                "(coursekit.lessons.answers) and leave the learner a list of values")))
            continue
        if '"""' in code or "'''" in code:
            problems.append(Problem(file, start + k + 1, (
                "the learner would write triple quotes: put them in the cell "
                "(coursekit.lessons.text_answer) and leave the learner only the text")))
            continue
        n = _python_chars(code)
        if n > MAX_LEARNER_CHARS:
            problems.append(Problem(file, start + k + 1, (
                f"the learner's line has {n} characters of Python (at most {MAX_LEARNER_CHARS}, "
                f"strings not counted): compute the parts in the cell and leave one short expression")))
    return problems


def _cell_source(cell_lines: list[str]) -> str | None:
    """Python source of a code cell with options and IPython syntax blanked (lines kept)."""
    out = list(cell_lines)
    k = 0
    if out and out[0].strip() == "---":       # YAML options block
        for j in range(1, len(out)):
            if out[j].strip() == "---":
                for n in range(j + 1):
                    out[n] = ""
                k = j + 1
                break
    while k < len(out) and OPTION.match(out[k]):
        out[k] = ""
        k += 1
    for n, line in enumerate(out):
        stripped = line.lstrip()
        if stripped.startswith("%%"):
            return None
        if stripped.startswith(("%", "!")):
            out[n] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(out)


def _string_of(node: ast.AST, assigned: dict[str, ast.AST]) -> tuple[str | None, bool]:
    """(static text, has dynamic parts) of an alt-text expression; (None, True) if unknown."""
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, False
    if isinstance(node, ast.JoinedStr):
        parts, dynamic = [], False
        for v in node.values:
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                parts.append(v.value)
            else:
                dynamic = True
        return "".join(parts), dynamic
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, dl = _string_of(node.left, assigned)
        right, dr = _string_of(node.right, assigned)
        if left is None or right is None:
            return None, True
        return left + right, dl or dr
    return None, True


def lint_code_cell(file: str, start: int, cell_lines: list[str]) -> list[Problem]:
    source = _cell_source(cell_lines)
    if source is None:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    assigned: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        line = start + node.lineno
        ours = False
        if isinstance(func, ast.Name) and func.id == "show":
            ours = True
        elif isinstance(func, ast.Attribute) and func.attr == "show":
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in SHOW_MODULES:
                ours = True
            elif isinstance(owner, ast.Attribute) and owner.attr in SHOW_MODULES:
                ours = True
            elif isinstance(owner, ast.Name) and owner.id in PLAIN_SHOW_OWNERS:
                problems.append(Problem(file, line, f"{owner.id}.show() shows a chart without alt text or a "
                                                    "source line; use coursekit.show(fig, alt=...)"))
        if not ours:
            continue
        alt = next((k.value for k in node.keywords if k.arg == "alt"), None)
        if alt is None and len(node.args) >= 2:
            alt = node.args[1]
        if alt is None:
            if any(k.arg is None for k in node.keywords):
                continue  # **kwargs: cannot tell
            problems.append(Problem(file, line, "chart shown without alt text (pass alt=\"...\" stating the "
                                                "takeaway with its figure)"))
            continue
        text, dynamic = _string_of(alt, assigned)
        if text is None:
            continue
        if not text.strip() and not dynamic:
            problems.append(Problem(file, line, "chart alt text is empty"))
        elif not re.search(r"[0-9]", text) and not dynamic:
            problems.append(Problem(file, line, "chart alt text states no figure (it has no number); say what "
                                                "the chart shows, with its key value"))
    return problems
