"""The course's one list of lessons, read from course.toml at the repository root.

    from coursekit.model import course
    course.lesson_ids()        # ("00", "01", ..., "07")
    course.lesson("03").title  # "Partnership"

Every part of the course that needs to know which lessons exist asks here, so adding a lesson
is one `[[lesson]]` entry. A malformed entry raises CourseError naming the file, the line and
the reason; `validate()` (run by `python -m coursekit check` and the tests) also refuses a
lesson file, quiz bank or exercise set whose lesson is not in the list, so an unlisted lesson
is caught while the course is checked, not when a learner's answer cannot be recorded.

Only tomllib and the small line-index helper are imported: `import coursekit.model.course` is cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coursekit.model import tomllines
from coursekit.model.paths import ROOT
from coursekit.model.problems import ContentError, Problem, relpath

COURSE_FILE = ROOT / "course.toml"
_FIELDS = ("id", "slug", "title", "summary", "minutes", "exercises")
_OPTIONAL_FIELDS = ("optional_minutes",)  # minutes of optional depth ("Going further"), if any
_ID_RE = re.compile(r"[0-9]{2}")
_SLUG_RE = re.compile(r"[0-9]{2}_[a-z0-9]+(?:_[a-z0-9]+)*")


class CourseError(ContentError):
    """course.toml cannot be used; carries every problem found (file, line, reason)."""


@dataclass(frozen=True)
class Lesson:
    id: str          # "03"
    slug: str        # "03_partnership": the file name of its sources and notebooks
    title: str       # "Partnership"
    summary: str     # what the learner will do, for maps and the README
    minutes: int     # the estimated time of the core path, quiz included, as stated in the lesson
    exercises: bool  # whether it has an exercise set (content/solutions/<slug>.md)
    optional_minutes: int | None = None  # optional depth, where the lesson states it


def _parse(doc: tomllines.TomlDoc) -> tuple[tuple[Lesson, ...], list[Problem]]:
    problems: list[Problem] = []
    for key in doc.data:
        if key != "lesson":
            problems.append(doc.problem(f"unknown key {key!r}: course.toml holds only "
                                        "[[lesson]] entries", key))
    raw_list = doc.data.get("lesson")
    if not isinstance(raw_list, list) or not raw_list:
        problems.append(doc.problem("no [[lesson]] entries: the course needs at least one lesson"))
        return (), problems
    found: list[Lesson] = []
    seen_ids: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    for i, raw in enumerate(raw_list):
        at = ("lesson", i)

        def bad(reason: str, *key: str) -> None:
            problems.append(doc.problem(f"lesson entry {i + 1}: {reason}", *at, *key))

        if not isinstance(raw, dict):
            bad("is not a table")
            continue
        unknown = sorted(k for k in raw if k not in _FIELDS + _OPTIONAL_FIELDS)
        for key in unknown:
            bad(f"unknown key {key!r} (allowed: {', '.join(_FIELDS + _OPTIONAL_FIELDS)})", key)
        missing = [k for k in _FIELDS if k not in raw]
        if missing:
            bad(f"is missing {', '.join(missing)}")
            continue
        ok = not unknown
        lid, slug = raw["id"], raw["slug"]
        if not isinstance(lid, str) or not _ID_RE.fullmatch(lid):
            bad(f"id must be two digits in quotes, such as \"03\"; got {lid!r}", "id")
            ok = False
        elif lid in seen_ids:
            bad(f"id {lid!r} is already used by lesson entry {seen_ids[lid] + 1}", "id")
            ok = False
        elif found and lid <= found[-1].id:
            bad(f"id {lid!r} comes after {found[-1].id!r}: list the lessons in course order",
                "id")
            ok = False
        if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
            bad(f"slug must look like \"03_partnership\" (digits, underscore, lower-case "
                f"words); got {slug!r}", "slug")
            ok = False
        elif isinstance(lid, str) and _ID_RE.fullmatch(lid) and not slug.startswith(f"{lid}_"):
            bad(f"slug {slug!r} must start with its id, {lid!r} and an underscore", "slug")
            ok = False
        elif slug in seen_slugs:
            bad(f"slug {slug!r} is already used by lesson entry {seen_slugs[slug] + 1}", "slug")
            ok = False
        for key in ("title", "summary"):
            if not isinstance(raw[key], str) or not raw[key].strip():
                bad(f"{key} must be non-empty text", key)
                ok = False
        minutes = raw["minutes"]
        if type(minutes) is not int or not 1 <= minutes <= 240:
            bad(f"minutes must be a whole number from 1 to 240; got {minutes!r}", "minutes")
            ok = False
        optional = raw.get("optional_minutes")
        if optional is not None and (type(optional) is not int or not 0 <= optional <= 240):
            bad(f"optional_minutes must be a whole number from 0 to 240; got {optional!r}",
                "optional_minutes")
            ok = False
        if not isinstance(raw["exercises"], bool):
            bad(f"exercises must be true or false; got {raw['exercises']!r}", "exercises")
            ok = False
        if ok:
            seen_ids[lid] = i
            seen_slugs[slug] = i
            found.append(Lesson(id=lid, slug=slug, title=raw["title"].strip(),
                                summary=raw["summary"].strip(), minutes=minutes,
                                exercises=raw["exercises"], optional_minutes=optional))
    return tuple(found), problems


def _stamp(path: Path) -> tuple[str, int]:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), -1


@lru_cache(maxsize=8)
def _load(stamp: tuple[str, int]) -> tuple[Lesson, ...]:
    path = Path(stamp[0])
    if stamp[1] < 0:
        raise CourseError([Problem(relpath(path), 1, "the course's list of lessons is missing: "
                                   "create course.toml with one [[lesson]] entry a lesson")])
    try:
        doc = tomllines.load(path)
    except ContentError as exc:
        raise CourseError(exc.problems) from None
    lessons, problems = _parse(doc)
    if problems:
        raise CourseError(problems)
    return lessons


def lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson, in course order. Raises CourseError (file:line: reason) if malformed."""
    return _load(_stamp(path or COURSE_FILE))


def lesson_ids(path: Path | None = None) -> tuple[str, ...]:
    """("00", "01", ...): the ids of every lesson, in course order."""
    return tuple(entry.id for entry in lessons(path))


def lesson(lesson_id: str, path: Path | None = None) -> Lesson:
    """One lesson by id; KeyError naming the known ids if there is none."""
    for entry in lessons(path):
        if entry.id == lesson_id:
            return entry
    known = ", ".join(lesson_ids(path))
    raise KeyError(f"there is no lesson {lesson_id!r} in course.toml (lessons: {known})")


# --------------------------------------------------------------------------------------------
# Validation: course.toml against the files of the course


def _unlisted(path: Path, kind: str, known: dict[str, Lesson]) -> Problem:
    return Problem(relpath(path), 1,
                   f"{kind} {path.stem!r} is not a lesson in course.toml: add a [[lesson]] entry "
                   f"for it (the progress store records answers only for listed lessons) or "
                   f"rename the file to a listed slug ({', '.join(known) or 'none listed'})")


def validate(root: Path | None = None) -> list[Problem]:
    """Problems in course.toml, and every course file that names a lesson not listed there."""
    base = root or ROOT
    course_file = base / "course.toml"
    try:
        listed = lessons(course_file)
    except ContentError as exc:
        return list(exc.problems)
    known = {entry.slug: entry for entry in listed}
    ids = {entry.id for entry in listed}
    problems: list[Problem] = []
    doc = tomllines.load(course_file)
    for i, entry in enumerate(listed):
        source = base / "content" / "lessons" / f"{entry.slug}.md"
        if not source.exists():
            problems.append(doc.problem(f"lesson {entry.id}: there is no lesson source "
                                        f"content/lessons/{entry.slug}.md", "lesson", i, "slug"))
        solutions = base / "content" / "solutions" / f"{entry.slug}.md"
        if entry.exercises and not solutions.exists():
            problems.append(doc.problem(f"lesson {entry.id}: exercises = true but there is no "
                                        f"content/solutions/{entry.slug}.md", "lesson", i,
                                        "exercises"))
        if not entry.exercises and solutions.exists():
            problems.append(doc.problem(f"lesson {entry.id}: exercises = false but "
                                        f"content/solutions/{entry.slug}.md exists", "lesson", i,
                                        "exercises"))
    folders = [(base / "content" / "lessons", "*.md", "the lesson source"),
               (base / "content" / "solutions", "*.md", "the exercise set"),
               (base / "assets" / "quizzes", "*.toml", "the quiz bank"),
               (base / "assets" / "exercises", "*.toml", "the exercise spec")]
    for folder, pattern, kind in folders:
        for path in sorted(folder.glob(pattern)):
            if _ID_RE.match(path.stem) and path.stem not in known:
                problems.append(_unlisted(path, kind, known))
    # Exercise ids carry their lesson ("08.2"): one from an unlisted lesson could never be saved.
    for path in sorted((base / "assets" / "exercises").glob("*.toml")):
        try:
            spec = tomllines.load(path)
        except ContentError:
            continue  # reported by the exercise-spec validator
        entries = spec.data.get("exercise")
        for j, raw in enumerate(entries if isinstance(entries, list) else []):
            ex_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(ex_id, str) and ex_id[:2] not in ids:
                problems.append(spec.problem(f"exercise {ex_id!r} belongs to lesson "
                                             f"{ex_id[:2]!r}, which is not in course.toml",
                                             "exercise", j, "id"))
    return problems
