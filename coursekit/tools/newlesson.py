"""`python -m coursekit new-lesson NN slug "Title"`: scaffold a lesson that checks, syncs and builds.

    python -m coursekit new-lesson 08 media "Media and the message" --minutes 30

writes, each in the shape the course's validators expect, with placeholder text to replace:
- content/lessons/08_media.md          the lesson (title, time, objectives, a section, the quiz)
- content/solutions/08_media.md        its exercise set, one exercise with its solution marker
- assets/quizzes/08_media.toml         its quiz bank: one objective, one question
- assets/exercises/08_media.toml       the exercise's answer and hint for check("08.1", ...)
- content/instructor/08_media.md       the teacher's page (timing, prompts, misconceptions)
- coursekit/lessons/l08.py             the lesson's helper module
- course.toml                          the lesson's [[lesson]] entry, in course order
then runs `coursekit sync`, so the README, lesson 00 and the teacher's guide list the lesson and
instructor/08_media.md exists. No other Python file needs an edit: everything that lists
lessons reads course.toml. `--no-exercises` leaves out the exercise set and its spec. Nothing
existing is overwritten: a lesson id or slug in use, or a file already there, stops the command.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from coursekit.model import course
from coursekit.model.paths import ROOT

_FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---
"""

LESSON = Template(_FRONT + """
# ${title}

**Purpose:** (Replace this: one sentence on what the learner will be able to do.)

**Estimated time:** ${minutes} minutes. **Prerequisites:** Lesson 00 (how the course works).

## Questions

- (Replace this: a question the lesson answers.)

## Learning objectives

By the end of this notebook you will be able to:

1. identify what this lesson asks of you (${id}.o1; replace it with the lesson's objectives,
   each with a measurable verb, as in its quiz bank).

## ${title}: the claim and the evidence

(Replace this section: the article's claim under study, quoted briefly and exactly; the evidence
from the course data, with source ids; an exploration; a **Discussion** prompt. The authoring
guide, docs/AUTHORING.md, has the recipe.)

```{code-cell} ipython3
from coursekit.lessons import ${helper}

print(${helper}.summary())
```

## Check your understanding

```{code-cell} ipython3
from coursekit import quiz

quiz("${id}")
```

## Key points

- (Replace this: what to remember.)
""")

SOLUTIONS = Template(_FRONT + """
# Exercises: ${title}

**Purpose:** practise the skills of lesson ${id}.

In each exercise, replace the `...` with your answer; the check cell below it then says *not
attempted yet*, *not yet* with a hint, or *correct*.

```{code-cell} ipython3
from coursekit import check
```

## Exercise ${id}.1: how many objectives?

(Replace this exercise.) Count the learning objectives listed at the top of lesson ${id}, and
assign the number to `objectives_listed`.

```{code-cell} ipython3
objectives_listed = 1  # SOLUTION
```

```{code-cell} ipython3
check("${id}.1", objectives_listed)
```
""")

BANK = Template("""\
# Quiz bank of lesson ${id}. Format: assets/quizzes/README.md.
lesson = "${id}"
title = "${title_toml}"

[[objective]]
id = "o1"
text = "Identify what this lesson asks of you (replace this objective)."
exercises = ["${id}.1"]

[[question]]
id = "q1"
type = "numeric"
objectives = ["o1"]
prompt = "(Replace this question.) How many learning objectives does this lesson list?"
answer = 1
abs_tol = 0.5
explanation = "The lesson lists one objective, under its heading 'Learning objectives'."
""")

SPEC = Template("""\
# Exercise set of lesson ${id}. Format: coursekit/quizzes/checks.py docstring.
set = "${slug}"
title = "${title_toml}"

[[exercise]]
id = "${id}.1"
title = "How many objectives?"
variable = "objectives_listed"
kind = "number"
answer = 1
objective = "${id}.o1"
hint = "Count the numbered lines under 'Learning objectives' at the top of lesson ${id}."

[[exercise.mistake]]
answer = 0
hint = "The lesson lists its objectives under the heading 'Learning objectives': count them."
""")

PAGE = Template("""\
# Instructor notes: Lesson ${id}, ${title}

**Lesson:** `lessons/${slug}.ipynb` (source: `content/lessons/${slug}.md`).
${exercise_line}**Quiz bank:** `assets/quizzes/${slug}.toml`.

**Estimated time:** ${minutes} minutes for the lesson.

## What the lesson argues

(Replace this: the lesson's finding in a paragraph, and the claims it judges.)

## Timing by section

| Section | Minutes | Notes |
|---|---|---|
| ${title}: the claim and the evidence | ${section_minutes} | |
| Quiz and key points | ${quiz_minutes} | |
Times are our estimate for a first reading. <!-- nocite: timings are our own estimate -->

## Discussion prompts (pick two or three)

1. (Replace this: a prompt, and what a good answer distinguishes.)

## Misconceptions to expect

(Replace this: each misconception id the quiz bank and the exercise spec name, in backticks, with
what it looks like and where it shows up.)
""")

HELPER = Template('''\
"""Lesson ${id} (${title}): the lesson's computations and charts.

One readable helper a lesson: pure functions over the course data, and chart functions that
return a figure, alt text computed from the data, and a table. No prose and no lookup tables:
text lives in content/ and assets/. Import matplotlib or ipywidgets inside functions, never at
the top: every notebook's set-up cell imports coursekit.
"""
from __future__ import annotations

from coursekit.model import course


def summary() -> str:
    """The lesson's title and time, from course.toml (replace with the lesson's own helpers)."""
    entry = course.lesson("${id}")
    return f"Lesson {entry.id}: {entry.title}, about {entry.minutes} minutes."
''')

ENTRY = Template("""\
[[lesson]]
id = "${id}"
slug = "${slug}"
title = "${title_toml}"
summary = "${summary_toml}"
minutes = ${minutes}
optional_minutes = 0
exercises = ${exercises}
helper = "${helper}"
datasets = []
""")


def _toml_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def plan(lesson_id: str, name: str, title: str, *, summary: str, minutes: int,
         exercises: bool, root: Path = ROOT) -> dict[Path, str]:
    """Every file the new lesson needs, with its text. Raises ValueError (in plain words) for
    an id or slug in use, a malformed one, or a file that already exists."""
    if not re.fullmatch(r"[0-9]{2}", lesson_id):
        raise ValueError(f"the lesson id is two digits, such as 08; got {lesson_id!r}")
    slug = name if name.startswith(f"{lesson_id}_") else f"{lesson_id}_{name}"
    if not re.fullmatch(r"[0-9]{2}_[a-z0-9]+(?:_[a-z0-9]+)*", slug):
        raise ValueError(f"the slug is lower-case words joined by '_', such as 'media' or "
                         f"'media_coverage'; got {name!r}")
    if not title.strip() or "\n" in title:
        raise ValueError("give the lesson a title on one line, in quotes")
    if not 10 <= minutes <= 240:
        raise ValueError(f"minutes is the core path in minutes (10 to 240); got {minutes}")
    listed = course.lessons(root / "course.toml")
    for entry in listed:
        if entry.id == lesson_id:
            raise ValueError(f"lesson {lesson_id} already exists ({entry.slug}); choose a free id")
    helper = f"l{lesson_id}"
    values = {"id": lesson_id, "slug": slug, "title": title.strip(), "helper": helper,
              "title_toml": _toml_string(title.strip()), "summary_toml": _toml_string(summary),
              "minutes": minutes, "exercises": "true" if exercises else "false",
              "section_minutes": minutes - 5, "quiz_minutes": 5,
              "exercise_line": (f"**Exercises:** `exercises/{slug}.ipynb`; **answer key:** "
                                f"`solutions/{slug}.ipynb` (source: `content/solutions/{slug}.md`); "
                                f"answers and hints: `assets/exercises/{slug}.toml`.\n")
              if exercises else ""}
    files = {root / "content" / "lessons" / f"{slug}.md": LESSON.substitute(values),
             root / "assets" / "quizzes" / f"{slug}.toml": BANK.substitute(values),
             root / "content" / "instructor" / f"{slug}.md": PAGE.substitute(values),
             root / "coursekit" / "lessons" / f"{helper}.py": HELPER.substitute(values)}
    if exercises:
        files[root / "content" / "solutions" / f"{slug}.md"] = SOLUTIONS.substitute(values)
        files[root / "assets" / "exercises" / f"{slug}.toml"] = SPEC.substitute(values)
    there = [p for p in files if p.exists()]
    if there:
        raise ValueError(f"{there[0].relative_to(root)} already exists: the new lesson would "
                         "overwrite it")
    course_file = root / "course.toml"
    files[course_file] = _with_entry(course_file.read_text(encoding="utf-8"),
                                     ENTRY.substitute(values), lesson_id)
    return files


def _with_entry(text: str, entry: str, lesson_id: str) -> str:
    """course.toml with `entry` before the first lesson of a higher id, or at the end."""
    for m in re.finditer(r'^\[\[lesson\]\]\nid = "([0-9]{2})"', text, re.M):
        if m.group(1) > lesson_id:
            return text[:m.start()] + entry + "\n" + text[m.start():]
    return text.rstrip("\n") + "\n\n" + entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit new-lesson",
        description="Scaffold a lesson: its Markdown, exercise set, quiz bank, exercise spec, "
                    "teacher's page, helper module and course.toml entry, then sync the maps.")
    parser.add_argument("id", help="the lesson's two-digit id, e.g. 08")
    parser.add_argument("slug", help="its name in lower-case words joined by '_', e.g. media")
    parser.add_argument("title", help="its title, in quotes")
    parser.add_argument("--summary", default="(replace this: what the learner will do)",
                        help="what the learner will do, shown in the lesson maps")
    parser.add_argument("--minutes", type=int, default=30,
                        help="the core path in minutes, quiz included (default 30)")
    parser.add_argument("--no-exercises", action="store_true",
                        help="no exercise set (like lesson 00)")
    args = parser.parse_args(argv)
    try:
        files = plan(args.id, args.slug, args.title, summary=args.summary, minutes=args.minutes,
                     exercises=not args.no_exercises)
    except ValueError as exc:
        print(f"new-lesson: {exc}", file=sys.stderr)
        return 2
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    from coursekit.tools import sync

    code = sync.sync()
    slug = next(p.stem for p in files if p.parent.name == "lessons" and p.suffix == ".md")
    print(f"\nLesson {args.id} is in the course. Next: replace the placeholder text (search for "
          f"'Replace'), then run `python -m coursekit check` and `make build` (or "
          f"`python -m coursekit build --only {slug}`).")
    return code
