"""A lint: a glossary term used before the lesson that introduces it, unless that use links it.

THE LINK FORM (docs/timing-freshness-glossary.md repeats it)
A use counts as linked when it is the text of a Markdown link to the glossary section of
lesson 00, written as the built notebook needs it:
    lessons (content/lessons/*.md):        [HHI](00_start_here.ipynb#Glossary)
    exercise sets (content/solutions/*.md): [HHI](../lessons/00_start_here.ipynb#Glossary)
JupyterLab opens lesson 00 at its "## Glossary" heading, where the searchable table is.

What is reported (file and line each), for every term and actor (verdicts are ordinary English
words as well, so they are left out):
- early use: the first use of a term in a lesson, or in an exercise set, that comes before the
  lesson introducing it (the entry's `lesson`), when that first use is not a link as above.
  Later uses in the same file are fine once the first is linked.
- not introduced: the lesson an entry names as introducing it never uses the term (entries with
  lesson "00" are background, introduced by the glossary itself).
- a link to the glossary whose text is no glossary name, or whose target is not the form above;
  and any link to the glossary while lesson 00 has no "## Glossary" heading.
Matching: the term and each alias, as whole words; a name with a capital letter matches with
that case, an all-lower-case name in any case; a term (not an actor) also matches its plural.
Code cells, inline code, HTML comments, link targets and URLs are not prose and are skipped.

Findings that the editorial pass has still to fix are listed in coursekit/tools/glossary_pending.py;
`python -m coursekit check` reports every other finding, and a test fails when a pending one is
gone, so the list only shrinks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coursekit.model import paths
from coursekit.model.problems import Problem, relpath

if TYPE_CHECKING:
    from coursekit.tools.glossary import Entry

GLOSSARY_HEADING = "Glossary"
LESSON_LINK = f"00_start_here.ipynb#{GLOSSARY_HEADING}"
SOLUTION_LINK = f"../lessons/{LESSON_LINK}"

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"https?://\S+")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_GLOSSARY_TARGET = re.compile(r"#glossary$", re.I)  # a link meant for the glossary, right or wrong


@dataclass(frozen=True)
class Finding:
    kind: str      # early | not-introduced | bad-link | no-heading
    file: str
    line: int
    entry: str     # the entry id ("" for a link whose text is no glossary name)
    reason: str

    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.reason)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.file, self.entry)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "".join("\n" if c == "\n" else " " for c in text[start:end]) + text[end:]


def prose(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The file with everything that is not prose blanked (lines kept), and its links as
    (start, end, target) spans of their text."""
    lines = text.split("\n")
    fence: str | None = None
    in_front = bool(lines and lines[0].strip() == "---")
    for i, line in enumerate(lines):
        if in_front:
            if i > 0 and line.strip() == "---":
                in_front = False
            lines[i] = ""
            continue
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            lines[i] = ""
            continue
        if opened:
            fence = opened.group(1)
            lines[i] = ""
        elif line.startswith("+++") or re.match(r"^\s*:[\w-]+:", line):
            lines[i] = ""  # cell breaks and directive options
    out = "\n".join(lines)
    for pattern in (_COMMENT, _INLINE_CODE, _IMAGE):
        for m in reversed(list(pattern.finditer(out))):
            out = _blank(out, m.start(), m.end())
    links = []
    for m in reversed(list(_LINK.finditer(out))):
        links.append((m.start(1), m.end(1), m.group(2)))
        out = _blank(out, m.end(1), m.end())  # the target is not prose
        out = _blank(out, m.start(), m.start(1))
    for pattern in (_URL, _HTML_TAG):
        for m in reversed(list(pattern.finditer(out))):
            out = _blank(out, m.start(), m.end())
    return out, sorted(links)


def name_pattern(name: str, plural: bool) -> re.Pattern[str]:
    """Whole-word pattern for a glossary name. Words may be joined by spaces, line breaks or
    hyphens ("dual use", "dual-use"; "foreign-direct-product rules"). A name with a capital
    letter keeps its case, except for its first letter (a sentence may start with it); an
    all-lower-case name matches in any case."""
    words = [w for w in re.split(r"[\s\-\u2010\u2011\u2013]+", name.strip()) if w]
    body = r"[\s\-\u2010\u2011\u2013]+".join(re.escape(w) for w in words)
    if plural:
        body += r"(?:s|es)?"
    if any(c.isupper() for c in name):
        first = words[0][0]
        if first.isalpha():
            body = f"[{first.upper()}{first.lower()}]" + body[len(re.escape(first)):]
        return re.compile(rf"(?<![\w-]){body}(?![\w-])")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.I)


def _patterns(entry: "Entry") -> list[re.Pattern[str]]:
    plural = entry.kind == "term"
    return [name_pattern(n.strip('"\u201c\u201d'), plural) for n in entry.names if n.strip('"')]


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _sources() -> list[tuple[Path, str]]:
    """(file, lesson id) of every lesson and exercise-set source."""
    out = []
    for folder in ("lessons", "solutions"):
        for path in sorted((paths.CONTENT / folder).glob("[0-9][0-9]_*.md")):
            out.append((path, path.stem[:2]))
    return out


def findings(entries: list["Entry"], files: list[tuple[Path, str]] | None = None,
             order: tuple[str, ...] | None = None) -> list[Finding]:
    """Every finding of the lint over the lesson and exercise-set sources."""
    from coursekit.model import course

    order = order or course.lesson_ids()
    rank = {lid: i for i, lid in enumerate(order)}
    files = _sources() if files is None else files
    names = {n.strip('"').lower(): e for e in entries for n in e.names}
    linted = [e for e in entries if e.kind != "verdict"]
    patterns = {e.id: _patterns(e) for e in linted}
    out: list[Finding] = []
    used_in_lesson: dict[str, set[str]] = {}
    glossary_linked_at: tuple[str, int] | None = None
    for path, lesson in files:
        text = path.read_text(encoding="utf-8")
        shown, links = prose(text)
        name = relpath(path)
        wanted = SOLUTION_LINK if "/solutions/" in path.as_posix() else LESSON_LINK
        glossary_links = []
        for start, end, target in links:
            if not _GLOSSARY_TARGET.search(target):
                continue
            glossary_links.append((start, end))
            glossary_linked_at = glossary_linked_at or (name, _line_of(shown, start))
            label = re.sub(r"\s+", " ", shown[start:end]).strip().strip('"\u201c\u201d*_')
            if target != wanted:
                out.append(Finding("bad-link", name, _line_of(shown, start), "",
                                   f"a link to the glossary must point to {wanted!r}; got "
                                   f"{target!r}"))
            if label.lower() not in names and not any(
                    p.fullmatch(label) for ps in patterns.values() for p in ps):
                out.append(Finding("bad-link", name, _line_of(shown, start), "",
                                   f"the link text {label!r} is no glossary term or alias "
                                   "(assets/glossary.toml)"))
        for entry in linted:
            first = None
            for pattern in patterns[entry.id]:
                m = pattern.search(shown)
                if m and (first is None or m.start() < first.start()):
                    first = m
            if first is None:
                continue
            if "/lessons/" in path.as_posix():
                used_in_lesson.setdefault(lesson, set()).add(entry.id)
            if entry.lesson not in rank or lesson not in rank or rank[lesson] >= rank[entry.lesson]:
                continue
            if any(s <= first.start() < e for s, e in glossary_links):
                continue
            used = re.sub(r"\s+", " ", first.group(0))
            out.append(Finding(
                "early", name, _line_of(shown, first.start()), entry.id,
                f"'{used}' is used in lesson {lesson} before lesson {entry.lesson} introduces it "
                f"({entry.id} in assets/glossary.toml): link this first use, "
                f"[{used}]({wanted}), or introduce the term here and change its lesson"))
    lesson_files = {lid for p, lid in files if "/lessons/" in p.as_posix()}
    from coursekit.tools.glossary import GLOSSARY_FILE

    for entry in linted:
        if entry.lesson == "00" or entry.lesson not in lesson_files:
            continue
        if entry.id not in used_in_lesson.get(entry.lesson, set()):
            out.append(Finding(
                "not-introduced", relpath(GLOSSARY_FILE), entry.line, entry.id,
                f"{entry.id}: lesson {entry.lesson} is said to introduce '{entry.term}', but its "
                "source never uses the term or an alias: correct `lesson`, or introduce it there"))
    if glossary_linked_at and "00" in lesson_files:
        lesson00 = next(p for p, lid in files if lid == "00" and "/lessons/" in p.as_posix())
        if not re.search(rf"^##\s+{GLOSSARY_HEADING}\s*$", lesson00.read_text(encoding="utf-8"),
                         re.M):
            out.append(Finding("no-heading", relpath(lesson00), 1, "",
                               f"lessons link to the glossary ({glossary_linked_at[0]}:"
                               f"{glossary_linked_at[1]}), but lesson 00 has no "
                               f"'## {GLOSSARY_HEADING}' heading for the link to open"))
    return sorted(out, key=lambda f: (f.file, f.line, f.entry))


def is_pending(finding: Finding) -> bool:
    from coursekit.tools.glossary_pending import PENDING

    return finding.key in PENDING


def lint_all() -> list[Problem]:
    """Findings not listed as pending: `python -m coursekit check` runs this."""
    from coursekit.tools import glossary

    entries, problems = glossary.read()
    if problems:
        return []  # the validator reports them; the lint needs a valid glossary
    return [f.problem() for f in findings(entries) if not is_pending(f)]
