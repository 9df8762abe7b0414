"""Lints for the lesson sources (content/**/*.md, MyST Markdown written with jupytext) and for
assets/ (TOML and CSV). Every problem names its file and line.

CONVENTIONS (the authors' guide repeats these)

Citation
    A citation is one or more bibliography ids in square brackets: [S24], [S24; S25],
    [S24, X1] or a range [S24–S26]. Ids must exist in assets/sources.toml.
    Every number in lesson prose (Markdown, not code) needs a citation in the same paragraph,
    list item, table or blockquote paragraph. Years count: a date is a fact.
    A table counts as one paragraph; put its citation in a caption line directly under the last
    row (no blank line between), or in a cell.
    Exempt: headings; list numbering ("1."); numbers in `code spans`, code cells, link targets,
    URLs, HTML tags and image alt text; identifiers where the digits follow letters (S24, C04,
    G7, COVID-19); course structure such as "Lesson 02", "exercise 05.2", "section 3", "25 minutes",
    "6 questions", "under 25 words"; and numbers inside a marked article quote (the article is
    their source). For a paragraph that truly needs no source, put
    <!-- nocite: why --> inside it or on the line just above it.

Article quote
    Quote the article only as “exact words” (the article) — curly or straight double quotes,
    followed directly by the marker "(the article)". Block form:
        > “China pledging over $150 billion to develop its AI sector by 2030” (the article)
    The words must be an exact substring of the article (line breaks and ’ versus ' aside), with
    no ellipses, and under 25 words. A quoted phrase of 4 or more words that is in the article but
    lacks the marker is reported. In assets/*.toml a string under a key named `quote` or ending in
    `_quote` is an article quote (claims.toml's quotes are checked by coursekit.model.content).

Copying
    No run of 10 or more consecutive words from the article (case and punctuation ignored)
    anywhere in a lesson file or in assets/ (TOML and CSV), except inside a marked article quote.

Charts
    In code cells, every coursekit.show(...) / plots.show(...) / show(...) call passes
    alt="..." that states the takeaway with its figure (the alt text must contain a digit).
    plt.show() and fig.show() are reported: they give no alt text or source line. An alt given
    as a variable or f-string that cannot be read statically is accepted. Markdown images need
    alt text too.

Headings
    The first heading is the file's only top-level heading (#); no skipped levels (## to ####).

Links
    Link text must say where the link goes: not "here", "click here", "click", "link",
    "this link", "this page", "read more" or "more".

Learner lines (exercise sets: the solution markers of content/solutions/*.md)
    "No Python needed": in each exercise code cell the learner writes at most two short lines,
    the `...` placeholders that replace solution regions. Counted per cell: a `x = ...  # SOLUTION`
    line is one (its expression); a BEGIN/END SOLUTION block counts its code lines (a block
    inside a triple-quoted string is free text, one); a code cell tagged `solution` counts its
    code lines. More than two in a cell is reported at the cell's fence. A line of more than 60
    characters of Python (string literals count as their quotes) is reported on its line: write
    the loop, the parsing and the names into the cell, and leave the learner values or one
    expression. So is a line that makes the learner write a dictionary (write the keys into the
    cell with coursekit.lessons.answers) or triple quotes (coursekit.lessons.text_answer).

The article is read from coursekit.model.paths.article_path(); where it is absent (learners' copies),
the quote and copying checks are skipped.
"""
from __future__ import annotations

import ast
import bisect
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import paths
from coursekit.model.content import normalise_quote, quote_problem, read_article
from coursekit.model.problems import Problem, relpath

MAX_LEARNER_LINES = 2    # lines of Python a learner writes in one exercise cell
MAX_LEARNER_CHARS = 60   # characters of Python (strings not counted) in one such line
COPY_RUN = 10            # words: a run this long copied from the article is reported
UNMARKED_QUOTE_WORDS = 4  # words: a quoted phrase this long from the article needs the marker
ARTICLE_MARKER = "(the article)"
BAD_LINK_TEXT = {"here", "click here", "click", "link", "this link", "this page", "read more", "more"}
SHOW_MODULES = {"coursekit", "plots", "ck"}
PLAIN_SHOW_OWNERS = {"plt", "pyplot", "fig", "figure"}
CODE_DIRECTIVES = {"code-cell"}
LITERAL_DIRECTIVES = {"code-block", "code", "sourcecode", "literalinclude", "raw", "math", "eval-rst",
                      "mermaid", "csv-table"}

_ID = r"[SX][0-9]+"
_ID_ITEM = rf"{_ID}(?:\s*[–-]\s*{_ID})?"
CITATION = re.compile(rf"\[\s*({_ID_ITEM}(?:\s*[;,]\s*{_ID_ITEM})*)\s*\]")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|[0-9]+[.)])(\s+)")
_BLOCKQUOTE = re.compile(r"^(\s*>\s?)")
_LABEL = re.compile(r"^\s*\([^)]*\)=\s*$")
_OPTION = re.compile(r"^\s*:[\w-]+:(\s|$)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NOCITE = re.compile(r"<!--\s*nocite\b", re.I)
_INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"\n]+(?:\n[^\"\n]+)*)\"")
_MARKER_AFTER = re.compile(r"\s*\(the article\)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)]*)\)")
_HTML_LINK = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.I | re.S)
_HTML_TAG = re.compile(r"<[^>\n]+>")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_NUMBER = re.compile(r"(?<![\w])(?<![A-Za-z]-)[0-9][0-9,.]*")
_STRUCTURE_NOUNS = (r"minutes?|mins?|hours?|hrs?|seconds?|secs?|questions?|items?|exercises?|steps?|"
                    r"parts?|sections?|lessons?|charts?|quiz(?:zes)?|objectives?|cells?|words?")
_EXEMPT = [
    re.compile(r"!\[[^\]]*\]"),            # image alt text (the chart's own description)
    re.compile(r"https?://\S+"),
    re.compile(r"\]\([^)]*\)"),           # link destinations
    re.compile(r"<[^>\n]+>"),             # HTML tags
    re.compile(r"\[\^[^\]]*\]"),          # footnote references
    re.compile(r"\{\{.*?\}\}"),           # MyST substitutions
    re.compile(r"\b[0-9]{2}\.(?:o|q|pre)[0-9]+\b"),  # objective and quiz item ids (01.o2, 03.q4)
    re.compile(rf"\b[0-9]+(?:\.[0-9]+)*(?:\s*(?:[–-]|to)\s*[0-9]+)?\s*(?:{_STRUCTURE_NOUNS})\b", re.I),
    re.compile(r"\b(?:lessons?|exercises?|sections?|steps?|questions?|parts?|figures?|fig\.|tables?|"
               r"charts?|items?|objectives?|cells?|notebooks?|pages?|chapters?)\s+[0-9]+(?:\.[0-9]+)*"
               r"(?:\s*(?:,|and|or|to|–|-|&)\s*[0-9]+(?:\.[0-9]+)*)*", re.I),
]
_UNSET: Any = object()


def _blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] with spaces, keeping newlines (so offsets and lines stay put)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _blank_all(text: str, pattern: re.Pattern[str]) -> str:
    for m in reversed(list(pattern.finditer(text))):
        text = _blank(text, m.start(), m.end())
    return text


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def _expand_ids(body: str) -> list[str]:
    out: list[str] = []
    for item in re.split(r"\s*[;,]\s*", body.strip()):
        m = re.match(rf"^({_ID})\s*[–-]\s*({_ID})$", item)
        if m and m[1][0] == m[2][0] and int(m[1][1:]) <= int(m[2][1:]):
            out += [f"{m[1][0]}{n}" for n in range(int(m[1][1:]), int(m[2][1:]) + 1)]
        elif m:
            out += [m[1], m[2]]
        else:
            out.append(item)
    return out


# --------------------------------------------------------------------------------------------
# Article index
# --------------------------------------------------------------------------------------------
@dataclass
class Article:
    text: str
    ngrams: set[tuple[str, ...]] = field(default_factory=set)
    normalised: str = ""

    @classmethod
    def of(cls, text: str | None) -> "Article | None":
        if text is None:
            return None
        words = _words(text)
        grams = {tuple(words[i:i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}
        return cls(text=text, ngrams=grams, normalised=normalise_quote(text))

    def contains(self, quote: str) -> bool:
        return normalise_quote(quote) in self.normalised


# --------------------------------------------------------------------------------------------
# Markdown structure
# --------------------------------------------------------------------------------------------
@dataclass
class _Line:
    index: int      # 0-based line index in the file
    offset: int     # column where `text` starts in the original line
    text: str


@dataclass
class _Block:
    lines: list[_Line]
    heading: bool = False
    nocite: bool = False

    def joined(self) -> tuple[str, list[int]]:
        starts, parts, pos = [], [], 0
        for ln in self.lines:
            starts.append(pos)
            parts.append(ln.text)
            pos += len(ln.text) + 1
        return "\n".join(parts), starts

    def locate(self, starts: list[int], pos: int) -> tuple[_Line, int]:
        k = bisect.bisect_right(starts, pos) - 1
        return self.lines[k], pos - starts[k]


def _classify(lines: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
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


def _blocks(work: list[str], nocite_lines: set[int]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None

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
        if not text.strip() or _LABEL.match(text) or _OPTION.match(text):
            close()
            continue
        if _HEADING.match(text):
            close()
            blocks.append(_Block([_Line(idx, offset, text)], heading=True))
            continue
        item = _LIST_ITEM.match(text)
        if item:
            close()
            cut = item.end()
            current = _Block([_Line(idx, offset + cut, text[cut:])])
            continue
        if current is None:
            current = _Block([])
        current.lines.append(_Line(idx, offset, text))
    close()
    # A nocite comment exempts the block holding the first non-blank line at or after it.
    owner = {ln.index: b for b in blocks for ln in b.lines}
    for idx in sorted(nocite_lines):
        for j in range(idx, len(work) + 1):
            if j in owner:
                owner[j].nocite = True
                break
    return blocks


# --------------------------------------------------------------------------------------------
# The lints
# --------------------------------------------------------------------------------------------
@dataclass
class _Context:
    article: Article | None
    source_ids: set[str] | None


def _check_marked_quote(quote: str, ctx: _Context) -> str | None:
    if "…" in quote or "..." in quote:
        return "article quote contains an ellipsis; quote one unbroken passage"
    why = quote_problem(quote, ctx.article.text if ctx.article else None)
    if why:
        return "article " + why
    return None


_INLINE_CODE = re.compile(r"`[^`\n]*`")
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")


def dollar_lines(text: str) -> list[int]:
    """0-based lines of Markdown prose holding an unescaped `$`.

    JupyterLab typesets the text between two `$` signs as maths, so "$150 billion ... $13
    trillion" turns into italic nonsense. Prose writes `\\$`, which the build turns into a span
    that MathJax skips (coursekit.tools.build.protect_dollars): shown as $ everywhere."""
    lines = text.split("\n")
    kinds, _ = _classify(lines)
    return [i for i, (line, kind) in enumerate(zip(lines, kinds))
            if kind == "md" and _BARE_DOLLAR.search(_INLINE_CODE.sub("", line))]


def escape_dollars(text: str) -> str:
    """`text` with every unescaped `$` in Markdown prose written as `\\$` (inline code untouched)."""
    lines = text.split("\n")
    for i in dollar_lines(text):
        parts = re.split(r"(`[^`\n]*`)", lines[i])
        lines[i] = "".join(p if p.startswith("`") else _BARE_DOLLAR.sub(r"\\$", p) for p in parts)
    return "\n".join(lines)


def _lint_markdown(path: Path, text: str, ctx: _Context) -> tuple[list[Problem], list[str]]:
    """Markdown lints. Returns the problems and the file's lines with marked quotes blanked
    (for the copying check)."""
    file = relpath(path)
    problems: list[Problem] = []
    lines = text.split("\n")
    kinds, cells = _classify(lines)
    copy_lines = list(lines)

    md_text = "\n".join(l if k == "md" else "" for l, k in zip(lines, kinds))
    nocite_lines = {md_text.count("\n", 0, m.start()) for m in _NOCITE.finditer(md_text)}
    md_text = _blank_all(md_text, _COMMENT)
    work = md_text.split("\n")

    # Headings
    first_h1: int | None = None
    previous = 0
    for idx, (line, kind) in enumerate(zip(work, kinds)):
        if kind != "md":
            continue
        m = _HEADING.match(line)
        if not m:
            continue
        level = len(m[1])
        if level == 1:
            if first_h1 is not None:
                problems.append(Problem(file, idx + 1, f"more than one top-level heading (first at line {first_h1})"))
            else:
                first_h1 = idx + 1
        if previous == 0 and level != 1:
            problems.append(Problem(file, idx + 1, f"first heading is level {level}; start with one top-level heading (#)"))
        elif level > previous + 1 and previous != 0:
            problems.append(Problem(file, idx + 1, f"heading level skips from {previous} to {level}"))
        previous = level

    for block in _blocks(work, nocite_lines):
        joined, starts = block.joined()

        def line_of(pos: int) -> int:
            return block.locate(starts, pos)[0].index + 1

        scan = _blank_all(joined, _INLINE_CODE)

        # Links and images
        for m in _LINK.finditer(scan):
            label = re.sub(r"[\s*_`'\"“”.,:;!?]+", " ", m[1]).strip().lower()
            if label in BAD_LINK_TEXT:
                problems.append(Problem(file, line_of(m.start()),
                                        f"link text {m[1].strip()!r} does not say where the link goes"))
        for m in _HTML_LINK.finditer(scan):
            label = re.sub(r"<[^>]+>", "", m[1])
            label = re.sub(r"[\s*_`'\"“”.,:;!?]+", " ", label).strip().lower()
            if label in BAD_LINK_TEXT:
                problems.append(Problem(file, line_of(m.start()),
                                        f"link text {label!r} does not say where the link goes"))
        for m in _IMAGE.finditer(scan):
            if not m[1].strip():
                problems.append(Problem(file, line_of(m.start()), "image without alt text"))
        for m in _HTML_IMG.finditer(scan):
            if not re.search(r"\balt\s*=\s*(\"[^\"]*\S[^\"]*\"|'[^']*\S[^']*')", m[0]):
                problems.append(Problem(file, line_of(m.start()), "image without alt text"))

        # Marked article quotes: checked, then exempt from every other check.
        scan = _blank_all(scan, _HTML_TAG)
        for m in reversed(list(_QUOTED.finditer(scan))):
            after = _MARKER_AFTER.match(scan, m.end())
            body = m[1] if m[1] is not None else m[2]
            body_clean = re.sub(r"\s+", " ", body).strip()
            if after:
                why = _check_marked_quote(body_clean, ctx)
                if why:
                    problems.append(Problem(file, line_of(m.start()), why))
                for p in range(m.start(), after.end()):
                    if joined[p] == "\n":
                        continue
                    ln, col = block.locate(starts, p)
                    s = copy_lines[ln.index]
                    c = ln.offset + col
                    copy_lines[ln.index] = s[:c] + " " + s[c + 1:]
                scan = _blank(scan, m.start(), after.end())
            elif (ctx.article is not None and len(body_clean.split()) >= UNMARKED_QUOTE_WORDS
                  and ctx.article.contains(body_clean)):
                problems.append(Problem(file, line_of(m.start()),
                                        f"quotes the article without the marker {ARTICLE_MARKER}: “{body_clean[:60]}”"))

        # Citations: known ids; then numbers need one.
        cited = False
        for m in CITATION.finditer(scan):
            cited = True
            if ctx.source_ids is not None:
                for sid in _expand_ids(m[1]):
                    if sid not in ctx.source_ids:
                        problems.append(Problem(file, line_of(m.start()), f"unknown source id {sid!r} in citation"))
        if block.heading or block.nocite or cited:
            continue
        scan = _blank_all(scan, CITATION)
        for pattern in _EXEMPT:
            scan = _blank_all(scan, pattern)
        reported: set[int] = set()
        for m in _NUMBER.finditer(scan):
            line = line_of(m.start())
            if line in reported:
                continue
            reported.add(line)
            number = m[0].rstrip(".,")
            problems.append(Problem(file, line, f"number {number!r} has no citation in its paragraph "
                                                "(add a source id such as [S24])"))

    # Code cells: charts, and what a learner must write in an exercise cell
    for start, cell_lines in cells:
        problems += _lint_code_cell(file, start, cell_lines)
        problems += _lint_learner_lines(file, start, cell_lines)
        for k, code_line in enumerate(cell_lines):
            for m in _QUOTED.finditer(code_line):
                after = _MARKER_AFTER.match(code_line, m.end())
                if not after:
                    continue
                body = m[1] if m[1] is not None else m[2]
                why = _check_marked_quote(body, ctx)
                if why:
                    problems.append(Problem(file, start + k + 1, why))
                s = copy_lines[start + k]
                copy_lines[start + k] = s[:m.start()] + " " * (after.end() - m.start()) + s[after.end():]
    return problems, copy_lines


_SOL_BEGIN = re.compile(r"^\s*#\s*BEGIN SOLUTION\s*$")
_SOL_END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
_SOL_INLINE = re.compile(r"^\s*[^=#]+?\s*=\s*(?P<expr>.+?)\s*#\s*SOLUTION\s*$")
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
        if _SOL_BEGIN.match(line):
            in_text = sum(prev.count('"""') for prev in body[:k]) % 2 == 1
            inside = "text" if in_text else "code"
            if in_text:
                found.append((k, ""))
            continue
        if _SOL_END.match(line):
            inside = None
            continue
        if inside == "code" and _is_code(line):
            found.append((k, line))
        elif inside is None:
            m = _SOL_INLINE.match(line)
            if m:
                found.append((k, m["expr"]))
    return found


def _lint_learner_lines(file: str, start: int, cell_lines: list[str]) -> list[Problem]:
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
    while k < len(out) and _OPTION.match(out[k]):
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


def _lint_code_cell(file: str, start: int, cell_lines: list[str]) -> list[Problem]:
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


def _lint_toml(path: Path, text: str, ctx: _Context) -> tuple[list[Problem], list[str]]:
    """Article quotes in TOML (keys `quote` / `*_quote`): checked, and exempt from copying."""
    file = relpath(path)
    problems: list[Problem] = []
    lines = text.split("\n")
    copy_lines = list(lines)
    check = path.name != "claims.toml"  # coursekit.model.content validates the claim ledger's quotes
    key_line = re.compile(r"""^\s*([A-Za-z0-9_-]*quote)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$""")
    for idx, line in enumerate(lines):
        m = key_line.match(line)
        if not m:
            continue
        try:
            value = tomllib.loads(line.strip())[m[1]]
        except (tomllib.TOMLDecodeError, KeyError):
            continue
        if check and isinstance(value, str) and value.strip():
            why = _check_marked_quote(value, ctx)
            if why:
                problems.append(Problem(file, idx + 1, f"{m[1]}: {why}"))
        copy_lines[idx] = " " * len(line)
    return problems, copy_lines


def _lint_copying(file: str, lines: list[str], ctx: _Context) -> list[Problem]:
    if ctx.article is None:
        return []
    tokens: list[tuple[str, int]] = []
    for idx, line in enumerate(lines):
        tokens += [(w, idx + 1) for w in _words(line)]
    words = [w for w, _ in tokens]
    copied = [False] * len(words)
    for i in range(len(words) - COPY_RUN + 1):
        if tuple(words[i:i + COPY_RUN]) in ctx.article.ngrams:
            for j in range(i, i + COPY_RUN):
                copied[j] = True
    problems = []
    i = 0
    while i < len(words):
        if not copied[i]:
            i += 1
            continue
        j = i
        while j < len(words) and copied[j]:
            j += 1
        excerpt = " ".join(words[i:min(j, i + 8)])
        problems.append(Problem(file, tokens[i][1], f"{j - i} consecutive words copied from the article "
                                                    f"(“{excerpt} …”); quote it with {ARTICLE_MARKER} "
                                                    "or say it in your own words"))
        i = j
    return problems


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------
def _context(article: str | None, source_ids: Iterable[str] | None) -> _Context:
    return _Context(article=Article.of(article), source_ids=set(source_ids) if source_ids is not None else None)


def lint_paths(files: Iterable[Path | str], *, article: str | None = _UNSET,
               source_ids: Iterable[str] | None = _UNSET) -> list[Problem]:
    """Lint the given files (.md as lesson sources; .toml and .csv as assets).
    `article`: the article's text (default: read from paths.article_path(); None skips the quote
    and copying checks). `source_ids`: known bibliography ids (default: from assets/sources.toml;
    None skips the unknown-id check)."""
    if article is _UNSET:
        article = read_article()
    if source_ids is _UNSET:
        from coursekit.model.content import _ids_in
        source_ids = _ids_in(paths.ASSETS / "sources.toml")
    ctx = _context(article, source_ids)
    problems: list[Problem] = []
    for p in files:
        path = Path(p)
        file = relpath(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(file, 1, f"cannot read file: {exc}"))
            continue
        if path.suffix == ".md":
            found, copy_lines = _lint_markdown(path, text, ctx)
            if paths.INSTRUCTOR in path.resolve().parents:
                # Teacher pages restate the lessons' cited figures in answer keys and timings;
                # every other rule applies to them, but not the citation rule.
                found = [f for f in found if not f.reason.startswith("number ")]
            found += [Problem(file, i + 1, "an unescaped $ in prose: write \\$ (JupyterLab shows "
                                           "text between two $ signs as maths)")
                      for i in dollar_lines(text)]
        elif path.suffix == ".toml":
            found, copy_lines = _lint_toml(path, text, ctx)
        else:
            found, copy_lines = [], text.split("\n")
        problems += found
        problems += _lint_copying(file, copy_lines, ctx)
    return sorted(set(problems))


def lint_targets() -> list[Path]:
    """The files `lint_all` checks: content/**/*.md, instructor/*.md, assets/**/*.toml and .csv."""
    files = sorted(paths.CONTENT.glob("**/*.md"))
    files += sorted(paths.INSTRUCTOR.glob("*.md"))
    files += sorted(paths.ASSETS.glob("**/*.toml"))
    files += sorted(paths.ASSETS.glob("**/*.csv"))
    return files


def lint_all(*, article: str | None = _UNSET) -> list[Problem]:
    return lint_paths(lint_targets(), article=article)
