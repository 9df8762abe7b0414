"""The course's one list of lessons, read from course.toml at the repository root.

    from coursekit.model import course
    course.lesson_ids()        # ("00", "01", ..., "07")
    course.lesson("03").title  # "Partnership"
    course.lesson("03").files  # every file the lesson owns, by role

Every part of the course that needs to know which lessons exist asks here: the progress store,
the content validators, the slides, the tests, and `python -m coursekit sync`, which writes the
lesson maps (README, lesson 00, the teacher's guide) from it. So adding a lesson is one
`[[lesson]]` entry (`python -m coursekit new-lesson` writes it with the lesson's files).

An entry:

    [[lesson]]
    id = "03"                      two digits, in course order
    slug = "03_partnership"        the id, "_", lower-case words: the name of every file it owns
    title = "Partnership"
    summary = "weigh the evidence ..."   what the learner will do (the maps show it)
    minutes = 40                   the core path, quiz included
    optional_minutes = 0           the optional "Going further" depth
    exercises = true               whether it has an exercise set
    helper = "l03"                 its helper module, coursekit/lessons/l03.py ("" for none)
    datasets = ["partnership_events", ...]   the data tables it owns, assets/data/NAME.csv

By its slug a lesson also owns content/lessons/SLUG.md (the lesson), assets/quizzes/SLUG.toml
(its quiz bank), content/instructor/SLUG.md (its teacher's page) and, with exercises = true,
content/solutions/SLUG.md (the exercise set) and assets/exercises/SLUG.toml (its checks).

A malformed entry raises CourseError naming the file, the line and the reason; `validate()` (run
by `python -m coursekit check` and the tests) also refuses a missing owned file, a dataset no
lesson owns, and a lesson file, quiz bank or exercise set whose lesson is not in the list, so an
unlisted lesson is caught while the course is checked, not when a learner's answer cannot be
recorded. Only tomllib and the small line-index helper are imported: importing this is cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coursekit.model import files, tomllines
from coursekit.model.paths import ROOT
from coursekit.model.problems import ContentError, Problem, relpath

COURSE_FILE = ROOT / "course.toml"
#: The keys of an entry, in the order course.toml writes them (True: required).
FIELDS = {"id": True, "slug": True, "title": True, "summary": True, "minutes": True,
          "optional_minutes": True, "exercises": True, "helper": True, "datasets": True}
_ID_RE = re.compile(r"[0-9]{2}")
_SLUG_RE = re.compile(r"[0-9]{2}_[a-z0-9]+(?:_[a-z0-9]+)*")
_HELPER_RE = re.compile(r"l[0-9]{2}")
_DATASET_RE = re.compile(r"[a-z0-9_]+")


class CourseError(ContentError):
    """course.toml cannot be used; carries every problem found (file, line, reason)."""


@dataclass(frozen=True)
class Lesson:
    id: str          # "03"
    slug: str        # "03_partnership": the file name of its sources and notebooks
    title: str       # "Partnership"
    summary: str     # what the learner will do, for maps and the README
    minutes: int     # the core path, quiz included, as stated at the top of the lesson
    exercises: bool  # whether it has an exercise set (content/solutions/<slug>.md)
    optional_minutes: int = 0    # the optional "Going further" depth
    helper: str = ""             # "l03": coursekit/lessons/l03.py, or "" for none
    datasets: tuple[str, ...] = ()  # the data tables it owns

    @property
    def files(self) -> dict[str, str]:
        """Every file the lesson owns, by role, as paths relative to the course root."""
        owned = {"lesson": f"content/lessons/{self.slug}.md",
                 "quiz bank": f"assets/quizzes/{self.slug}.toml",
                 "teacher's page": f"content/instructor/{self.slug}.md"}
        if self.exercises:
            owned["exercise set"] = f"content/solutions/{self.slug}.md"
            owned["exercise spec"] = f"assets/exercises/{self.slug}.toml"
        if self.helper:
            owned["helper"] = f"coursekit/lessons/{self.helper}.py"
        for name in self.datasets:
            owned[f"dataset {name}"] = f"assets/data/{name}.csv"
        return owned


def _check(raw: dict, bad, found: list[Lesson], seen_ids: dict, seen_slugs: dict) -> bool:
    """Each field's rule; calls bad(reason, key) for every problem; True when none."""
    ok = True

    def fail(reason: str, key: str) -> None:
        nonlocal ok
        bad(reason, key)
        ok = False

    lid, slug = raw["id"], raw["slug"]
    if not isinstance(lid, str) or not _ID_RE.fullmatch(lid):
        fail(f"id must be two digits in quotes, such as \"03\"; got {lid!r}", "id")
    elif lid in seen_ids:
        fail(f"id {lid!r} is already used by lesson entry {seen_ids[lid] + 1}", "id")
    elif found and lid <= found[-1].id:
        fail(f"id {lid!r} comes after {found[-1].id!r}: list the lessons in course order", "id")
    if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
        fail(f"slug must look like \"03_partnership\" (digits, underscore, lower-case words); "
             f"got {slug!r}", "slug")
    elif isinstance(lid, str) and _ID_RE.fullmatch(lid) and not slug.startswith(f"{lid}_"):
        fail(f"slug {slug!r} must start with its id, {lid!r} and an underscore", "slug")
    elif slug in seen_slugs:
        fail(f"slug {slug!r} is already used by lesson entry {seen_slugs[slug] + 1}", "slug")
    for key in ("title", "summary"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            fail(f"{key} must be non-empty text", key)
    if type(raw["minutes"]) is not int or not 1 <= raw["minutes"] <= 240:
        fail(f"minutes must be a whole number from 1 to 240; got {raw['minutes']!r}", "minutes")
    extra = raw["optional_minutes"]
    if type(extra) is not int or not 0 <= extra <= 240:
        fail(f"optional_minutes must be a whole number from 0 to 240; got {extra!r}",
             "optional_minutes")
    if not isinstance(raw["exercises"], bool):
        fail(f"exercises must be true or false; got {raw['exercises']!r}", "exercises")
    helper = raw["helper"]
    if not isinstance(helper, str) or (helper and not _HELPER_RE.fullmatch(helper)):
        fail(f"helper must name a module such as \"l03\" (coursekit/lessons/l03.py), or be \"\"; "
             f"got {helper!r}", "helper")
    datasets = raw["datasets"]
    if not isinstance(datasets, list) or not all(
            isinstance(d, str) and _DATASET_RE.fullmatch(d) for d in datasets):
        fail("datasets must be a list of data table names, such as [\"trade_russia_china\"]",
             "datasets")
    elif len(set(datasets)) != len(datasets):
        fail("datasets lists a table twice", "datasets")
    return ok


def _parse(doc: tomllines.TomlDoc) -> tuple[tuple[Lesson, ...], list[Problem]]:
    problems: list[Problem] = []
    raw_list = doc.only_table("lesson", problems, holds="course.toml holds only [[lesson]] entries",
                              empty="no [[lesson]] entries: the course needs at least one lesson")
    if raw_list is None:
        return (), problems
    found: list[Lesson] = []
    seen_ids: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    for i, raw in enumerate(raw_list):
        def bad(reason: str, *key: str) -> None:
            problems.append(doc.problem(f"lesson entry {i + 1}: {reason}", "lesson", i, *key))

        if not isinstance(raw, dict):
            bad("is not a table")
            continue
        unknown = sorted(k for k in raw if k not in FIELDS)
        for key in unknown:
            bad(f"unknown key {key!r} (allowed: {', '.join(FIELDS)})", key)
        missing = [k for k, required in FIELDS.items() if required and k not in raw]
        if missing:
            bad(f"is missing {', '.join(missing)}")
            continue
        if _check(raw, bad, found, seen_ids, seen_slugs) and not unknown:
            seen_ids[raw["id"]] = i
            seen_slugs[raw["slug"]] = i
            found.append(Lesson(id=raw["id"], slug=raw["slug"], title=raw["title"].strip(),
                                summary=raw["summary"].strip(), minutes=raw["minutes"],
                                exercises=raw["exercises"],
                                optional_minutes=raw["optional_minutes"],
                                helper=raw["helper"], datasets=tuple(raw["datasets"])))
    return tuple(found), problems


@lru_cache(maxsize=8)
def _load(stamp: tuple[str, int, int]) -> tuple[Lesson, ...]:
    try:
        doc = tomllines.load(Path(stamp[0]))
    except ContentError as exc:
        raise CourseError(exc.problems) from None
    lessons, problems = _parse(doc)
    if problems:
        raise CourseError(problems)
    return lessons


def lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson, in course order. Raises CourseError (file:line: reason) if malformed."""
    path = path or COURSE_FILE
    stamp = files.stamp(path)
    if stamp is None:
        raise CourseError([Problem(relpath(path), 1, "the course's list of lessons is missing: "
                                   "create course.toml with one [[lesson]] entry a lesson")])
    return _load(stamp)


def lesson_ids(path: Path | None = None) -> tuple[str, ...]:
    """("00", "01", ...): the ids of every lesson, in course order."""
    return tuple(entry.id for entry in lessons(path))


def known_ids() -> tuple[str, ...] | None:
    """The lesson ids, or None when course.toml cannot be read: other validators then skip their
    lesson check instead of calling every lesson unknown (validate() reports the file's problems)."""
    try:
        return lesson_ids()
    except ContentError:
        return None


def lesson(lesson_id: str, path: Path | None = None) -> Lesson:
    """One lesson by id; KeyError naming the known ids if there is none."""
    for entry in lessons(path):
        if entry.id == lesson_id:
            return entry
    known = ", ".join(lesson_ids(path))
    raise KeyError(f"there is no lesson {lesson_id!r} in course.toml (lessons: {known})")


# --------------------------------------------------------------------------------------------
# Validation: course.toml against the files of the course

_KEY_OF_ROLE = {"lesson": "slug", "quiz bank": "slug", "teacher's page": "slug",
                "exercise set": "exercises", "exercise spec": "exercises", "helper": "helper"}


def _unlisted(path: Path, kind: str, known: dict[str, Lesson]) -> Problem:
    return Problem(relpath(path), 1,
                   f"{kind} {path.stem!r} is not a lesson in course.toml: add a [[lesson]] entry "
                   f"for it (the progress store records answers only for listed lessons) or "
                   f"rename the file to a listed slug ({', '.join(known) or 'none listed'})")


def validate(root: Path | None = None) -> list[Problem]:
    """Problems in course.toml, a file a lesson owns that is missing, a data table no lesson
    owns, and every course file that names a lesson not listed there."""
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
    owner: dict[str, str] = {}
    for i, entry in enumerate(listed):
        for role, rel in entry.files.items():
            if not (base / rel).exists():
                key = "datasets" if role.startswith("dataset") else _KEY_OF_ROLE[role]
                problems.append(doc.problem(f"lesson {entry.id}: its {role} {rel} does not "
                                            "exist", "lesson", i, key))
        for name in entry.datasets:
            if name in owner:
                problems.append(doc.problem(f"lesson {entry.id}: dataset {name!r} is already "
                                            f"owned by lesson {owner[name]}", "lesson", i,
                                            "datasets"))
            owner.setdefault(name, entry.id)
        solutions = base / "content" / "solutions" / f"{entry.slug}.md"
        if not entry.exercises and solutions.exists():
            problems.append(doc.problem(f"lesson {entry.id}: exercises = false but "
                                        f"content/solutions/{entry.slug}.md exists", "lesson", i,
                                        "exercises"))
    for csv_path in sorted((base / "assets" / "data").glob("*.csv")):
        if csv_path.stem not in owner:
            problems.append(Problem(relpath(csv_path), 1, (
                f"data table {csv_path.stem!r} is owned by no lesson: add it to the datasets of "
                "the lesson that introduces it in course.toml")))
    folders = [(base / "content" / "lessons", "*.md", "the lesson source"),
               (base / "content" / "solutions", "*.md", "the exercise set"),
               (base / "content" / "instructor", "*.md", "the teacher's page"),
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
