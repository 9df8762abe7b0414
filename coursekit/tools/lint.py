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

Modules: coursekit.tools.mdscan (Markdown structure), lintquotes (the article: quotes and
copying), lintcode (code cells: charts and learner lines); this module runs them over the files.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from coursekit.model import paths
from coursekit.model.claims import UNSET, read_article
from coursekit.model.problems import Problem, relpath
from coursekit.model.sources import ids_in
from coursekit.tools.lintcode import MAX_LEARNER_LINES, learner_lines, lint_code_cell, lint_learner_lines
from coursekit.tools.lintquotes import (ARTICLE_MARKER, MARKER_AFTER, QUOTED, UNMARKED_QUOTE_WORDS,
                                        Article, Context, check_marked_quote, lint_copying, lint_toml)
from coursekit.tools.mdscan import (HEADING, INLINE_CODE, blank, blank_all, blocks, classify,
                                    dollar_lines, escape_dollars)

__all__ = ["MAX_LEARNER_LINES", "escape_dollars", "learner_lines", "lint_all", "lint_paths",
           "lint_targets"]

#: Teacher's pages restate the lessons' cited figures: the citation rule does not apply to them.
TEACHER_PAGES = {paths.INSTRUCTOR, paths.CONTENT / "instructor"}
BAD_LINK_TEXT = {"here", "click here", "click", "link", "this link", "this page", "read more", "more"}
_ID = r"[SX][0-9]+"
_ID_ITEM = rf"{_ID}(?:\s*[–-]\s*{_ID})?"
CITATION = re.compile(rf"\[\s*({_ID_ITEM}(?:\s*[;,]\s*{_ID_ITEM})*)\s*\]")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NOCITE = re.compile(r"<!--\s*nocite\b", re.I)
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


def _lint_markdown(path: Path, text: str, ctx: Context) -> tuple[list[Problem], list[str]]:
    """Markdown lints. Returns the problems and the file's lines with marked quotes blanked
    (for the copying check)."""
    file = relpath(path)
    problems: list[Problem] = []
    lines = text.split("\n")
    kinds, cells = classify(lines)
    copy_lines = list(lines)

    md_text = "\n".join(l if k == "md" else "" for l, k in zip(lines, kinds))
    nocite_lines = {md_text.count("\n", 0, m.start()) for m in _NOCITE.finditer(md_text)}
    md_text = blank_all(md_text, _COMMENT)
    work = md_text.split("\n")

    # Headings
    first_h1: int | None = None
    previous = 0
    for idx, (line, kind) in enumerate(zip(work, kinds)):
        if kind != "md":
            continue
        m = HEADING.match(line)
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

    for block in blocks(work, nocite_lines):
        joined, starts = block.joined()

        def line_of(pos: int) -> int:
            return block.locate(starts, pos)[0].index + 1

        scan = blank_all(joined, INLINE_CODE)

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
        scan = blank_all(scan, _HTML_TAG)
        for m in reversed(list(QUOTED.finditer(scan))):
            after = MARKER_AFTER.match(scan, m.end())
            body = m[1] if m[1] is not None else m[2]
            body_clean = re.sub(r"\s+", " ", body).strip()
            if after:
                why = check_marked_quote(body_clean, ctx)
                if why:
                    problems.append(Problem(file, line_of(m.start()), why))
                for p in range(m.start(), after.end()):
                    if joined[p] == "\n":
                        continue
                    ln, col = block.locate(starts, p)
                    s = copy_lines[ln.index]
                    c = ln.offset + col
                    copy_lines[ln.index] = s[:c] + " " + s[c + 1:]
                scan = blank(scan, m.start(), after.end())
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
        scan = blank_all(scan, CITATION)
        for pattern in _EXEMPT:
            scan = blank_all(scan, pattern)
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
        problems += lint_code_cell(file, start, cell_lines)
        problems += lint_learner_lines(file, start, cell_lines)
        for k, code_line in enumerate(cell_lines):
            for m in QUOTED.finditer(code_line):
                after = MARKER_AFTER.match(code_line, m.end())
                if not after:
                    continue
                body = m[1] if m[1] is not None else m[2]
                why = check_marked_quote(body, ctx)
                if why:
                    problems.append(Problem(file, start + k + 1, why))
                s = copy_lines[start + k]
                copy_lines[start + k] = s[:m.start()] + " " * (after.end() - m.start()) + s[after.end():]
    return problems, copy_lines


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------
def _context(article: str | None, source_ids: Iterable[str] | None) -> Context:
    return Context(article=Article.of(article), source_ids=set(source_ids) if source_ids is not None else None)


def lint_paths(files: Iterable[Path | str], *, article: str | None = UNSET,
               source_ids: Iterable[str] | None = UNSET) -> list[Problem]:
    """Lint the given files (.md as lesson sources; .toml and .csv as assets).
    `article`: the article's text (default: read from paths.article_path(); None skips the quote
    and copying checks). `source_ids`: known bibliography ids (default: from assets/sources.toml;
    None skips the unknown-id check)."""
    if article is UNSET:
        article = read_article()
    if source_ids is UNSET:
        source_ids = ids_in()
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
            if TEACHER_PAGES & set(path.resolve().parents):
                # Teacher pages restate the lessons' cited figures in answer keys and timings;
                # every other rule applies to them, but not the citation rule.
                found = [f for f in found if not f.reason.startswith("number ")]
            found += [Problem(file, i + 1, "an unescaped $ in prose: write \\$ (JupyterLab shows "
                                           "text between two $ signs as maths)")
                      for i in dollar_lines(text)]
        elif path.suffix == ".toml":
            found, copy_lines = lint_toml(path, text, ctx)
        else:
            found, copy_lines = [], text.split("\n")
        problems += found
        problems += lint_copying(file, copy_lines, ctx)
    return sorted(set(problems))


def lint_targets() -> list[Path]:
    """The files `lint_all` checks: content/**/*.md, the hand-written pages of instructor/ (the
    lesson pages there are generated from content/instructor/), assets/**/*.toml and .csv."""
    files = sorted(paths.CONTENT.glob("**/*.md"))
    files += sorted(p for p in paths.INSTRUCTOR.glob("*.md") if not re.match(r"[0-9]{2}_", p.name))
    files += sorted(paths.ASSETS.glob("**/*.toml"))
    files += sorted(paths.ASSETS.glob("**/*.csv"))
    return files


def lint_all(*, article: str | None = UNSET) -> list[Problem]:
    return lint_paths(lint_targets(), article=article)
