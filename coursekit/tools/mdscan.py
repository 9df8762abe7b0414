"""The structure of a MyST Markdown source, for the lints: which lines are prose, fences, code
cells or literal blocks; the prose split into blocks (paragraphs, list items, headings); inline
code spans; and the dollar signs JupyterLab would read as maths.

Offsets are kept: helpers blank text out with spaces instead of deleting it, so a problem found
in what is left still has its original line and column.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Callable

CODE_DIRECTIVES = {"code-cell"}
LITERAL_DIRECTIVES = {"code-block", "code", "sourcecode", "literalinclude", "raw", "math", "eval-rst",
                      "mermaid", "csv-table"}
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|[0-9]+[.)])(\s+)")
_BLOCKQUOTE = re.compile(r"^(\s*>\s?)")
_LABEL = re.compile(r"^\s*\([^)]*\)=\s*$")
OPTION = re.compile(r"^\s*:[\w-]+:(\s|$)")
#: An inline code span, as CommonMark reads it: a run of n backticks, the code, and the next run
#: of exactly n backticks (so ``print(`x`, 1999)`` is one span).
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")


def blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] with spaces, keeping newlines (so offsets and lines stay put)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def blank_all(text: str, pattern: re.Pattern[str]) -> str:
    for m in reversed(list(pattern.finditer(text))):
        text = blank(text, m.start(), m.end())
    return text


@dataclass
class Line:
    index: int      # 0-based line index in the file
    offset: int     # column where `text` starts in the original line
    text: str


@dataclass
class Block:
    lines: list[Line]
    heading: bool = False
    nocite: bool = False

    def joined(self) -> tuple[str, list[int]]:
        starts, parts, pos = [], [], 0
        for ln in self.lines:
            starts.append(pos)
            parts.append(ln.text)
            pos += len(ln.text) + 1
        return "\n".join(parts), starts

    def locate(self, starts: list[int], pos: int) -> tuple[Line, int]:
        k = bisect.bisect_right(starts, pos) - 1
        return self.lines[k], pos - starts[k]


def classify(lines: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Kind of each line ("front", "fence", "md", "code", "literal") and the code cells as
    (index of first line, lines)."""
    kinds = ["md"] * len(lines)
    cells: list[tuple[int, list[str]]] = []
    i = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                for k in range(j + 1):
                    kinds[k] = "front"
                i = j + 1
                break
    stack: list[tuple[str, int, str]] = []  # (fence char, length, kind)
    cell: list[str] | None = None
    cell_start = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        top = stack[-1] if stack else None
        if top and top[2] in ("code", "literal"):
            if m and m[1][0] == top[0] and len(m[1]) >= top[1] and not m[2]:
                stack.pop()
                kinds[i] = "fence"
                if top[2] == "code" and cell is not None:
                    cells.append((cell_start, cell))
                    cell = None
            else:
                kinds[i] = top[2]
                if cell is not None:
                    cell.append(line)
            i += 1
            continue
        if m:
            char, length, info = m[1][0], len(m[1]), m[2]
            if top and char == top[0] and length >= top[1] and not info:
                stack.pop()
                kinds[i] = "fence"
                i += 1
                continue
            name = re.match(r"^\{([\w:.-]+)\}", info)
            if name:
                directive = name[1]
                kind = "code" if directive in CODE_DIRECTIVES else (
                    "literal" if directive in LITERAL_DIRECTIVES else "md")
            else:
                kind = "literal"
            stack.append((char, length, kind))
            kinds[i] = "fence"
            if kind == "code":
                cell, cell_start = [], i + 1
            i += 1
            continue
        if line.startswith("+++"):
            kinds[i] = "fence"
        i += 1
    if cell is not None:
        cells.append((cell_start, cell))
    return kinds, cells


def blocks(work: list[str], nocite_lines: set[int]) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None

    def close() -> None:
        nonlocal current
        if current and current.lines:
            blocks.append(current)
        current = None

    for idx, raw in enumerate(work):
        offset = 0
        text = raw
        while True:
            q = _BLOCKQUOTE.match(text)
            if not q:
                break
            offset += q.end()
            text = text[q.end():]
        if not text.strip() or _LABEL.match(text) or OPTION.match(text):
            close()
            continue
        if HEADING.match(text):
            close()
            blocks.append(Block([Line(idx, offset, text)], heading=True))
            continue
        item = _LIST_ITEM.match(text)
        if item:
            close()
            cut = item.end()
            current = Block([Line(idx, offset + cut, text[cut:])])
            continue
        if current is None:
            current = Block([])
        current.lines.append(Line(idx, offset, text))
    close()
    # A nocite comment exempts the block holding the first non-blank line at or after it.
    owner = {ln.index: b for b in blocks for ln in b.lines}
    for idx in sorted(nocite_lines):
        for j in range(idx, len(work) + 1):
            if j in owner:
                owner[j].nocite = True
                break
    return blocks


def dollar_lines(text: str) -> list[int]:
    """0-based lines of Markdown prose holding an unescaped `$`.

    JupyterLab typesets the text between two `$` signs as maths, so "$150 billion ... $13
    trillion" turns into italic nonsense. Prose writes `\\$`, which the build turns into a span
    that MathJax skips (protect_dollars, below): shown as $ everywhere."""
    lines = text.split("\n")
    kinds, _ = classify(lines)
    return [i for i, (line, kind) in enumerate(zip(lines, kinds))
            if kind == "md" and _BARE_DOLLAR.search(INLINE_CODE.sub("", line))]


def escape_dollars(text: str) -> str:
    """`text` with every unescaped `$` in Markdown prose written as `\\$` (inline code untouched)."""
    lines = text.split("\n")
    for i in dollar_lines(text):
        line, out, at = lines[i], [], 0
        for m in INLINE_CODE.finditer(line):
            out += [_BARE_DOLLAR.sub(r"\\$", line[at:m.start()]), m[0]]
            at = m.end()
        lines[i] = "".join(out) + _BARE_DOLLAR.sub(r"\\$", line[at:])
    return "\n".join(lines)


#: What money in Markdown prose ("\\$150 billion") becomes in the notebooks. JupyterLab's Markdown
#: renderer turns `\\$` into a bare `$` before MathJax runs, so the text between two amounts is
#: typeset as maths ("$147.7 billion ... $148.0" turns into italic nonsense that screen readers read
#: as MathML; jupyterlab/jupyterlab#8645). Inside this span MathJax 3 (JupyterLab) and 2 (nbconvert)
#: leave the amount alone; GitHub shows it as plain text. Only a dollar followed by a digit is money
#: (the rule coursekit.mdrender uses too): `\\$V_0\\$` stays a formula, which JupyterLab typesets.
MONEY_HTML = '<span class="tex2jax_ignore mathjax_ignore">\\${}</span>'
_MONEY = re.compile(r"(?<!>)\\\$(\d[\d,]*(?:\.\d+)?)")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`[^`\n]*`)")


def _in_prose(text: str, needle: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to each stretch of prose (outside code fences and code spans)
    on the lines that contain `needle`."""
    out, fence = [], None
    for line in text.split("\n"):
        m = _FENCE_LINE.match(line)
        if m and (fence is None or m.group(1)[0] == fence):
            fence = m.group(1)[0] if fence is None else None
            out.append(line)
            continue
        if fence is not None or needle not in line:
            out.append(line)
            continue
        out.append("".join(p if p.startswith("`") else change(p) for p in _CODE_SPAN.split(line)))
    return "\n".join(out)


def protect_dollars(text: str) -> str:
    """Markdown with every amount of money (`\\$` and a number) outside code wrapped in MONEY_HTML
    (idempotent)."""
    return _in_prose(text, "\\$", lambda p: _MONEY.sub(lambda m: MONEY_HTML.format(m.group(1)), p))


#: A link to the glossary (lesson 00's "Glossary" heading), from a lesson or an exercise set.
_GLOSSARY_LINK = re.compile(r"(?<!\*\*)(\[[^\]\n]+\]\((?:\.\./lessons/)?00_start_here\.ipynb#Glossary\))(?!\*\*)")


def bold_glossary_links(text: str) -> str:
    """Markdown with every glossary link outside code set in bold (idempotent).

    A link in running text must differ from the text by more than its colour (WCAG 1.4.1; axe's
    link-in-text-block), and JupyterLab, nbconvert and GitHub show Markdown links without an
    underline. Bold carries to the link itself in every renderer, and marks a glossary term the
    way textbooks do."""
    return _in_prose(text, "#Glossary)", lambda p: _GLOSSARY_LINK.sub(r"**\1**", p))
