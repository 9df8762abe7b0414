"""`python -m coursekit sync`: write everything derived from course.toml, the quiz banks and the
teacher's page sources, so each fact is written once. `--check` changes nothing and exits 1 when
any derived text is stale (a test runs it; `make build` runs sync, then the build).

What it writes:
- the lesson map of README.md and of lesson 00 (content/lessons/00_start_here.md), and the
  lesson table and the list of objectives in the teacher's guide (instructor/README.md): each a
  block between `<!-- BEGIN name ... -->` and `<!-- END name -->` lines, the rest of those
  files being hand-written;
- every lesson's time where its own text states it: the `**Estimated time:** N minutes` line
  of the lesson and of its teacher's page, a teacher's page's `## Timing (N minutes)` heading
  or `**Lesson:** ..., N minutes` line;
- the teacher's pages: content/instructor/SLUG.md (the source, where `{{ name }}` names a
  dataset fact, see coursekit.model.facts) becomes instructor/SLUG.md with the facts filled in,
  so a figure on a teacher's page is also one data edit plus `make build`. A page in
  instructor/ of a lesson no longer listed is deleted.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

from coursekit.model import course, facts
from coursekit.model.course import Lesson
from coursekit.model.paths import CONTENT, INSTRUCTOR, QUIZZES, ROOT
from coursekit.model.problems import ContentError, Problem, relpath

README = ROOT / "README.md"
GUIDE = INSTRUCTOR / "README.md"
PAGES = CONTENT / "instructor"
#: Statements of a lesson's time: (pattern with prefix, number and unit; how optional minutes read).
_TIME_LINES = [
    (re.compile(r"(\*\*Estimated time:?\*\*:?\s*(?:about\s+)?)(\d+)(\s*minutes)"
                r"(?: \(plus \d+ minutes optional\))?", re.I), " (plus {} minutes optional)"),
    (re.compile(r"^(#{2,}\s*Timing\b[^\n]*?\()(\d+)(\s*minutes)(?: \+ \d+ optional)?", re.I | re.M),
     " + {} optional"),
    (re.compile(r"^(\*\*Lesson:?\*\*[^\n]*?)(\d+)(\s*minutes)(?: \(plus \d+ minutes optional\))?",
                re.I | re.M), " (plus {} minutes optional)"),
]


def begin_marker(name: str, source: str) -> str:
    return (f"<!-- BEGIN {name} (generated from {source} by `python -m coursekit sync`; "
            "do not edit by hand) -->")


def replace_block(text: str, name: str, source: str, body: str, *, file: str) -> str:
    """`text` with the block between its BEGIN and END markers for `name` replaced by `body`."""
    start = re.search(rf"^<!-- BEGIN {re.escape(name)}\b.*-->$", text, re.M)
    end = re.search(rf"^<!-- END {re.escape(name)} -->$", text, re.M)
    if not start or not end or end.start() < start.end():
        raise ContentError([Problem(file, 1, (
            f"the generated block {name!r} lost its markers: put the lines "
            f"'<!-- BEGIN {name} -->' and '<!-- END {name} -->' where it belongs"))])
    body = body if body.endswith("\n") else body + "\n"
    return text[:start.start()] + begin_marker(name, source) + "\n" + body + text[end.start():]


def _time(entry: Lesson) -> str:
    extra = f" + {entry.optional_minutes} min optional" if entry.optional_minutes else ""
    return f"{entry.minutes} min{extra}"


# ----------------------------------------------------------------------------- the maps

def readme_map(lessons: tuple[Lesson, ...]) -> str:
    rows = ["| lesson | you will | time |", "|---|---|---|"]
    rows += [f"| [{e.id} {e.title}](lessons/{e.slug}.ipynb) | {e.summary} | {_time(e)} |"
             for e in lessons]
    return "\n".join(rows)


def start_map(lessons: tuple[Lesson, ...], here: str = "00") -> str:
    """Lesson 00's course map (its notebook sits beside the others in lessons/)."""
    rows = ["| Lesson | What you will do | Time |", "|---|---|---|"]
    for e in lessons:
        name = f"Lesson {e.id}: {e.title}"
        shown = f"{name} (this notebook)" if e.id == here else f"[{name}]({e.slug}.ipynb)"
        rows.append(f"| {shown} | {e.summary} | {_time(e)} |")
    return "\n".join(rows)


def guide_lessons(lessons: tuple[Lesson, ...]) -> str:
    rows = ["| Lesson | Minutes | Teacher's page | Notebook (previews on GitHub) | Exercises |",
            "|---|---|---|---|---|"]
    for e in lessons:
        sets = (f"[set](../exercises/{e.slug}.ipynb) · [solutions](../solutions/{e.slug}.ipynb)"
                if e.exercises else "none")
        minutes = f"{e.minutes} + {e.optional_minutes} optional" if e.optional_minutes else e.minutes
        rows.append(f"| {e.id} {e.title} | {minutes} | [{e.slug}.md]({e.slug}.md) | "
                    f"[lesson](../lessons/{e.slug}.ipynb) | {sets} |")
    return "\n".join(rows)


def _lesson_heading(entry: Lesson) -> str:
    """The lesson's own title line (its `# ` heading), or its title in course.toml."""
    source = CONTENT / "lessons" / f"{entry.slug}.md"
    text = source.read_text(encoding="utf-8") if source.exists() else ""
    found = re.search(r"^# (.+)$", text, re.M)
    return found.group(1).strip() if found else entry.title


def guide_objectives(lessons: tuple[Lesson, ...]) -> str:
    """The guide's list of objectives, each with the quiz items and exercises that assess it."""
    lines: list[str] = []
    for e in lessons:
        path = QUIZZES / f"{e.slug}.toml"
        if not path.exists():
            continue
        bank = tomllib.loads(path.read_text(encoding="utf-8"))
        heading = _lesson_heading(e)
        objectives = bank.get("objective", [])
        lines += ["", f"<details><summary><b>{e.id} {heading}</b>: "
                      f"{len(objectives)} objective{'s' if len(objectives) != 1 else ''}"
                      "</summary>", ""]
        for objective in objectives:
            oid = objective["id"]
            items = [q["id"] for q in bank.get("question", [])
                     if oid in q.get("objectives", []) or f"{e.id}.{oid}" in q.get("objectives", [])]
            where = []
            if items:
                where.append("quiz " + ", ".join(items))
            if objective.get("exercises"):
                where.append(("exercise " if len(objective["exercises"]) == 1 else "exercises ")
                             + ", ".join(objective["exercises"]))
            text = " ".join(objective["text"].split())
            lines.append(f"- `{e.id}.{oid}` {text}" + (f" ({'; '.join(where)})" if where else ""))
        lines += ["", "</details>"]
    return facts.fill("\n".join(lines) + "\n\n", file=relpath(GUIDE), markdown=True)


def set_minutes(text: str, entry: Lesson) -> str:
    """`text` with every statement of the lesson's time (see the module docstring) made true."""
    for pattern, optional in _TIME_LINES:
        extra = optional.format(entry.optional_minutes) if entry.optional_minutes else ""
        text = pattern.sub(lambda m: f"{m.group(1)}{entry.minutes}{m.group(3)}{extra}", text)
    return text


def teacher_page(entry: Lesson, source: str) -> str:
    """instructor/SLUG.md from its source: the lesson's time, and every named fact filled."""
    rel = f"content/instructor/{entry.slug}.md"
    note = (f"<!-- Generated from {rel} by `python -m coursekit sync` (named facts filled in "
            "from the data): edit that file, then run `make build`. -->\n")
    return note + facts.fill(set_minutes(source, entry), file=rel, markdown=True)


# ----------------------------------------------------------------------------- every target

def expected() -> tuple[dict[Path, str | None], list[Problem]]:
    """What each derived file should hold (None: it should not exist), and any problems."""
    out: dict[Path, str | None] = {}
    problems: list[Problem] = []
    try:
        lessons = course.lessons()
    except ContentError as exc:
        return out, list(exc.problems)

    def derive(path: Path, make) -> None:
        if not path.exists():
            problems.append(Problem(relpath(path), 1, "file not found"))
            return
        try:
            out[path] = make(path.read_text(encoding="utf-8"))
        except ContentError as exc:
            problems.extend(exc.problems)

    derive(README, lambda t: replace_block(t, "lesson-map", "course.toml", readme_map(lessons),
                                           file=relpath(README)))
    derive(GUIDE, lambda t: replace_block(
        replace_block(t, "lessons", "course.toml", guide_lessons(lessons), file=relpath(GUIDE)),
        "objectives", "assets/quizzes", guide_objectives(lessons), file=relpath(GUIDE)))
    for entry in lessons:
        source = CONTENT / "lessons" / f"{entry.slug}.md"
        if source.exists():
            def lesson_text(t: str, entry: Lesson = entry, source: Path = source) -> str:
                t = set_minutes(t, entry)
                if entry.id == lessons[0].id:
                    t = replace_block(t, "course-map", "course.toml", start_map(lessons, entry.id),
                                      file=relpath(source))
                return t
            derive(source, lesson_text)
        page = PAGES / f"{entry.slug}.md"
        if page.exists():
            derive(page, lambda t, entry=entry: set_minutes(t, entry))
            try:
                out[INSTRUCTOR / f"{entry.slug}.md"] = teacher_page(entry, out.get(page, ""))
            except ContentError as exc:
                problems.extend(exc.problems)
    listed = {e.slug for e in lessons}
    for stale in sorted(INSTRUCTOR.glob("[0-9][0-9]_*.md")):
        if stale.stem not in listed:
            out[stale] = None
    return out, problems


def sync(*, check: bool = False, stream=sys.stderr) -> int:
    """Write (or, with check, compare) every derived file. Returns an exit code."""
    wanted, problems = expected()
    changed = []
    for path, text in wanted.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        changed.append(path)
        if check:
            continue
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for problem in problems:
        print(problem, file=stream)
    for path in changed:
        print(f"{'stale' if check else 'wrote'}: {relpath(path)}", file=stream)
    if check:
        print(f"sync --check: {len(changed)} derived file(s) out of date, {len(problems)} "
              f"problem(s)" + ("; run `python -m coursekit sync`" if changed else ""), file=stream)
        return 1 if changed or problems else 0
    print(f"sync: {len(changed)} file(s) written, {len(problems)} problem(s)", file=stream)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit sync",
        description="Write the lesson maps, tables and teacher's pages derived from course.toml, "
                    "the quiz banks and content/instructor/.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any derived file is out of date")
    args = parser.parse_args(argv)
    return sync(check=args.check)


if __name__ == "__main__":
    sys.exit(main())
