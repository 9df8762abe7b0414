"""`python -m coursekit timing`: how long each lesson takes, measured from the built notebooks.

    python -m coursekit timing              every lesson, then every section of every lesson
    python -m coursekit timing --lesson 07  one lesson's sections
    python -m coursekit timing --summary    the table of lessons only
    python -m coursekit timing --json       the numbers, for scripts and tests

THE METHOD (printed with every report, from the constants below)
- Reading: the words of the Markdown prose and of every output a learner sees when the notebook
  opens, at READING_WPM words a minute. Not counted as reading: text inside a closed <details>
  (a chart's data table: its summary line is counted), quiz and pretest text (priced per item),
  and outputs that open collapsed (reference outputs: counted as optional reading).
- Each quiz, spaced-review or pretest question: QUIZ_ITEM_MINUTES.
- Each code cell, the set-up cell included: CODE_CELL_MINUTES to run it and look at the result.
- Each interactive exploration (an output that says "Interactive control"): EXPLORATION_MINUTES
  to try it, on top of its code cell.
- Each exercise of an exercise set (a `check("NN.k", ...)` cell): EXERCISE_MINUTES.
- Core path: everything that is not optional depth (see coursekit/tools/depth.py: "Going
  further" sections, cells tagged `optional`, and outputs that open collapsed).

The stated times come from course.toml: `minutes` is the core path including the quiz,
`optional_minutes` (where given) the optional depth. A stated time fits when it lies within
TOLERANCE (15%) of the estimate. Exercise sets are estimated too; course.toml states no time
for them.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coursekit.model.paths import EXERCISES, LESSONS
from coursekit.tools import depth

READING_WPM = 180          # words a minute, prose and visible outputs
QUIZ_ITEM_MINUTES = 1.0    # each quiz, spaced-review or pretest question
CODE_CELL_MINUTES = 0.5    # each code cell: run it, look at what it shows
EXPLORATION_MINUTES = 1.0  # each interactive exploration, on top of its code cell
EXERCISE_MINUTES = 5.0     # each exercise of an exercise set
TOLERANCE = 0.15           # a stated time fits within this fraction of the estimate

_WORD = re.compile(r"\w+(?:[’'.,:/-]\w+)*")
_QUESTION = re.compile(r"^Question \d+ of \d+")
_CHECK = re.compile(r"""\bcheck\(\s*["'][0-9]{2}\.[0-9]+["']""")
_INTERACTIVE = "Interactive control"


def words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class Counts:
    prose_words: int = 0
    output_words: int = 0
    quiz_items: int = 0
    code_cells: int = 0
    explorations: int = 0
    exercises: int = 0

    @property
    def minutes(self) -> float:
        return ((self.prose_words + self.output_words) / READING_WPM
                + self.quiz_items * QUIZ_ITEM_MINUTES + self.code_cells * CODE_CELL_MINUTES
                + self.explorations * EXPLORATION_MINUTES + self.exercises * EXERCISE_MINUTES)

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Section:
    title: str
    optional: bool = False
    core: Counts = field(default_factory=Counts)
    extra: Counts = field(default_factory=Counts)  # optional depth and collapsed outputs


@dataclass
class NotebookEstimate:
    path: str
    sections: list[Section]

    def total(self, part: str) -> Counts:
        out = Counts()
        for s in self.sections:
            out.add(getattr(s, part))
        return out

    @property
    def core_minutes(self) -> float:
        return self.total("core").minutes

    @property
    def optional_minutes(self) -> float:
        return self.total("extra").minutes


# ----------------------------------------------------------------------------- counting

def _prose_words(markdown: str) -> int:
    from coursekit.teacher import mdrender

    return words(mdrender.text_of(mdrender.to_html(markdown)))


def _html_counts(text: str) -> Counts:
    """Visible words, quiz items and explorations of one text/html output."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    for details in soup.find_all("details"):
        if details.has_attr("open"):
            continue
        summary = details.find("summary")
        kept = summary.get_text(" ") if summary else ""
        details.clear()
        details.append(kept)
    questions = sum(1 for s in soup.find_all("strong") if _QUESTION.match(s.get_text(strip=True)))
    pretest = sum(1 for s in soup.find_all("strong")
                  if s.get_text(strip=True).startswith("Before you start"))
    shown = soup.get_text(" ")
    if questions or pretest:  # priced per item: the minute covers reading the question
        return Counts(quiz_items=questions + pretest)
    return Counts(output_words=words(shown), explorations=int(_INTERACTIVE in shown))


def _output_counts(cell: Any) -> Counts:
    out = Counts()
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            out.output_words += words(output.get("text", ""))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                out.add(_html_counts("".join(html) if isinstance(html, list) else html))
            elif "text/plain" in data and not any(k.startswith("image/") for k in data):
                plain = data["text/plain"]
                out.output_words += words("".join(plain) if isinstance(plain, list) else plain)
    out.explorations = min(out.explorations, 1)  # one exploration per cell, however many outputs
    return out


def _pieces(source: str) -> list[tuple[int, str, str]]:
    """A Markdown cell cut at its headings: (level or 0, heading text, Markdown of the piece)."""
    lines = source.splitlines()
    found = list(depth.headings(source))
    starts = [i for i, _, _ in found]
    pieces: list[tuple[int, str, str]] = []
    if not starts or starts[0] > 0:
        pieces.append((0, "", "\n".join(lines[:starts[0] if starts else len(lines)])))
    for n, (i, level, text) in enumerate(found):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        pieces.append((level, text, "\n".join(lines[i:end])))
    return pieces


def estimate_notebook(nb, path: str = "") -> NotebookEstimate:
    """Sections of a built notebook, each with its core and optional counts."""
    sections = [Section("(before the first heading)")]
    optional_level: int | None = None
    parent = sections[0]  # the current non-optional section, where a closed "Going further" returns
    tagged = [depth.OPTIONAL_TAG in (c.get("metadata", {}).get("tags") or []) for c in nb.cells]
    for cell, is_tagged in zip(nb.cells, tagged):
        if cell.get("cell_type") == "markdown":
            for level, title, text in _pieces(cell.get("source", "")):
                if level:
                    if optional_level is not None and level <= optional_level:
                        optional_level = None
                        if level > 2:  # back in the parent section after a ### Going further
                            sections.append(Section(f"{parent.title} (continued)"))
                    if level >= 2 and depth.is_going_further(title):
                        optional_level = level
                        sections.append(Section(title, optional=True))
                    elif level <= 2 and optional_level is None:
                        parent = Section(title)
                        sections.append(parent)
                section = sections[-1]
                target = section.extra if (section.optional or is_tagged) else section.core
                target.prose_words += _prose_words(text)
            continue
        if cell.get("cell_type") != "code":
            continue
        section = sections[-1]
        optional = section.optional or is_tagged
        target = section.extra if optional else section.core
        target.code_cells += 1
        target.exercises += len(_CHECK.findall(cell.get("source", "")))
        counts = _output_counts(cell)
        if depth.outputs_hidden(cell) and not optional:
            section.extra.output_words += counts.output_words
            counts.output_words = 0
        target.add(counts)
    return NotebookEstimate(path, [s for s in sections if s.core.minutes or s.extra.minutes])


# ----------------------------------------------------------------------------- the course

@dataclass
class LessonTiming:
    id: str
    title: str
    stated: int
    stated_optional: int | None
    lesson: NotebookEstimate | None
    exercise_set: NotebookEstimate | None

    @property
    def core(self) -> float:
        return self.lesson.core_minutes if self.lesson else 0.0

    @property
    def optional(self) -> float:
        return self.lesson.optional_minutes if self.lesson else 0.0

    @property
    def ratio(self) -> float:
        return self.core / self.stated if self.stated else float("inf")

    @property
    def fits(self) -> bool:
        return fits(self.stated, self.core)

    @property
    def optional_fits(self) -> bool | None:
        return None if self.stated_optional is None else fits(self.stated_optional, self.optional)


def fits(stated: float, estimate: float, tolerance: float = TOLERANCE) -> bool:
    """A stated time fits when it is within `tolerance` of the estimate."""
    return abs(stated - estimate) <= tolerance * estimate


def _read(path: Path) -> NotebookEstimate | None:
    import nbformat

    if not path.exists():
        return None
    return estimate_notebook(nbformat.read(path, as_version=4), path.name)


def course_timings(lessons_dir: Path = LESSONS, exercises_dir: Path = EXERCISES) -> list[LessonTiming]:
    from coursekit.model import course

    out = []
    for entry in course.lessons():
        out.append(LessonTiming(
            id=entry.id, title=entry.title, stated=entry.minutes,
            stated_optional=getattr(entry, "optional_minutes", None),
            lesson=_read(lessons_dir / f"{entry.slug}.ipynb"),
            exercise_set=_read(exercises_dir / f"{entry.slug}.ipynb") if entry.exercises else None))
    return out


# ----------------------------------------------------------------------------- the report

def method_text() -> str:
    return "\n".join([
        "Method: estimated from the built notebooks (lessons/, exercises/).",
        f"  reading      {READING_WPM} words a minute: Markdown prose and the outputs shown when "
        "the notebook opens",
        "               (closed data tables count their summary line only; collapsed outputs "
        "count as optional)",
        f"  quiz item    {QUIZ_ITEM_MINUTES:g} min each (quiz, spaced review, pretest)",
        f"  code cell    {CODE_CELL_MINUTES:g} min each (run it, look at the result)",
        f"  exploration  {EXPLORATION_MINUTES:g} min each (an interactive control), on top of "
        "its code cell",
        f"  exercise     {EXERCISE_MINUTES:g} min each (exercise sets)",
        "  core path    everything except 'Going further' sections, cells tagged 'optional' "
        "and collapsed outputs",
        f"  fits         the stated minutes (course.toml) lie within {TOLERANCE:.0%} of the "
        "core estimate",
    ])


def _fmt(minutes: float) -> str:
    return f"{minutes:.1f}"


def lesson_table(timings: list[LessonTiming]) -> str:
    head = (f"{'lesson':<28} {'stated':>6} {'core':>6} {'ratio':>6}  {'fits?':<6}"
            f"{'opt. stated':>12} {'optional':>9} {'exercise set':>13}")
    rows = [head, "-" * len(head)]
    for t in timings:
        if t.lesson is None:
            rows.append(f"{t.id} {t.title:<25} {t.stated:>6}  (no built notebook: run "
                        "python -m coursekit build)")
            continue
        ex = _fmt(t.exercise_set.core_minutes) if t.exercise_set else "-"
        opt_stated = "-" if t.stated_optional is None else str(t.stated_optional)
        rows.append(f"{t.id} {t.title[:24]:<25} {t.stated:>6} {_fmt(t.core):>6} "
                    f"{t.ratio:>5.2f}x  {'yes' if t.fits else 'NO':<6}{opt_stated:>12} "
                    f"{_fmt(t.optional):>9} {ex:>13}")
    return "\n".join(rows)


def section_table(estimate: NotebookEstimate) -> str:
    head = (f"  {'section':<52} {'words':>6} {'quiz':>4} {'code':>4} {'expl':>4} "
            f"{'ex.':>3} {'core':>6} {'opt.':>6}")
    rows = [head]
    for s in estimate.sections:
        c = s.core if not s.optional else s.extra
        title = ("[optional] " if s.optional else "") + s.title
        title = title if len(title) <= 52 else title[:49] + "..."
        rows.append(f"  {title:<52} {c.prose_words + c.output_words:>6} {c.quiz_items:>4} "
                    f"{c.code_cells:>4} {c.explorations:>4} {c.exercises:>3} "
                    f"{_fmt(s.core.minutes):>6} {_fmt(s.extra.minutes):>6}")
    core, extra = estimate.total("core"), estimate.total("extra")
    rows.append(f"  {'total':<52} {core.prose_words + core.output_words:>6} {core.quiz_items:>4} "
                f"{core.code_cells:>4} {core.explorations:>4} {core.exercises:>3} "
                f"{_fmt(core.minutes):>6} {_fmt(extra.minutes):>6}")
    return "\n".join(rows)


def report(timings: list[LessonTiming], *, sections: bool = True) -> str:
    parts = [method_text(), "", lesson_table(timings)]
    outside = [t.id for t in timings if t.lesson is not None and not t.fits]
    parts.append("")
    parts.append(f"{len(outside)} of {len(timings)} lessons have a stated time outside "
                 f"{TOLERANCE:.0%} of the estimate" + (f": {', '.join(outside)}." if outside else "."))
    if sections:
        for t in timings:
            for label, est in (("lesson", t.lesson), ("exercise set", t.exercise_set)):
                if est is not None:
                    parts += ["", f"{t.id} {t.title}: {label} ({est.path})", section_table(est)]
    return "\n".join(parts)


def as_json(timings: list[LessonTiming]) -> dict[str, Any]:
    def nb(est: NotebookEstimate | None) -> dict[str, Any] | None:
        if est is None:
            return None
        return {"path": est.path, "core_minutes": round(est.core_minutes, 2),
                "optional_minutes": round(est.optional_minutes, 2),
                "sections": [{"title": s.title, "optional": s.optional,
                              "core_minutes": round(s.core.minutes, 2),
                              "optional_minutes": round(s.extra.minutes, 2),
                              "core": asdict(s.core), "extra": asdict(s.extra)}
                             for s in est.sections]}

    return {
        "method": {"reading_wpm": READING_WPM, "quiz_item_minutes": QUIZ_ITEM_MINUTES,
                   "code_cell_minutes": CODE_CELL_MINUTES,
                   "exploration_minutes": EXPLORATION_MINUTES,
                   "exercise_minutes": EXERCISE_MINUTES, "tolerance": TOLERANCE},
        "lessons": [{"id": t.id, "title": t.title, "stated": t.stated,
                     "stated_optional": t.stated_optional, "core_minutes": round(t.core, 2),
                     "optional_minutes": round(t.optional, 2), "fits": t.fits,
                     "lesson": nb(t.lesson), "exercise_set": nb(t.exercise_set)}
                    for t in timings],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit timing",
        description="Estimate each lesson's and each section's time from the built notebooks, "
                    "and compare it with the minutes stated in course.toml.")
    parser.add_argument("--lesson", action="append", metavar="NN",
                        help="only this lesson, e.g. 07 (repeat for more)")
    parser.add_argument("--summary", action="store_true", help="the table of lessons only")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 if a stated time is outside {TOLERANCE:.0%}% of its estimate")
    args = parser.parse_args(argv)
    timings = course_timings()
    if args.lesson:
        wanted = {x[:2] for x in args.lesson}
        unknown = wanted - {t.id for t in timings}
        if unknown:
            parser.error(f"no lesson {', '.join(sorted(unknown))} in course.toml")
        timings = [t for t in timings if t.id in wanted]
    if args.json:
        print(json.dumps(as_json(timings), indent=1, ensure_ascii=False))
    else:
        print(report(timings, sections=not args.summary))
    missing = [t.id for t in timings if t.lesson is None]
    if missing:
        return 1
    if args.check and any(not t.fits for t in timings):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
