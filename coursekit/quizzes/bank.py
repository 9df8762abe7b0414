"""Quiz banks: one TOML file a lesson (assets/quizzes/NN_slug.toml), loaded and validated.

The format is documented for authors in assets/quizzes/README.md. This module reads and checks
banks; the widgets live in coursekit.quizzes.widgets. It uses the standard library only, so
`python -m coursekit check` can validate banks without importing ipywidgets.

- `read_bank(path)` returns (Bank or None, problems) and never raises for content mistakes.
- `validate_bank(path)` and `validate_all()` return the problems (file, line, reason).
- `load_bank(ref)` returns a valid Bank or raises ContentError; `ref` is "01",
  "01_reading_the_article" or a path.

A bank holds objectives, questions (coursekit.quizzes.questions, each type's keys in
coursekit.quizzes.kinds), review items of earlier lessons and pretests (opening questions whose
guess is saved, never graded). Loading puts options in display order (coursekit.quizzes.shuffle);
`validate_all` also runs the cue lints (coursekit.quizzes.lints). The records and constants are in
coursekit.quizzes.records; the names other modules use are importable from here too.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import paths
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.tomllines import load as load_toml
from coursekit.quizzes.catalogue import bank_path, bank_paths, misconception_ids, other_bank, source_ids
from coursekit.quizzes.lints import (
    MAX_KEY_LETTER_SHARE, MAX_LONGEST_KEY_SHARE, MIN_KEYS_FOR_BALANCE, cue_problems,
    key_is_longest, key_length_problems, key_letter_problems, key_letters,
)
from coursekit.quizzes.questions import read_pretests, read_question
from coursekit.quizzes.reader import BankReader, first_word
from coursekit.quizzes.records import (
    BANK_FILE, DEFAULT_REL_TOL, DEFAULT_TRIES, EXERCISE_ID, FULL_ID, GRADED_TYPES, LETTERS,
    LOCAL_ID, SCALE_FACTOR, SCALES, TYPE_NAMES, TYPES, Bank, Choice, Item, Objective, Pretest,
    Question, Wrong,
)
from coursekit.quizzes.shuffle import default_start, display_order, shuffled_start

__all__ = [
    "DEFAULT_REL_TOL", "DEFAULT_TRIES", "GRADED_TYPES", "LETTERS", "MAX_KEY_LETTER_SHARE",
    "MAX_LONGEST_KEY_SHARE", "MEASURABLE_VERBS", "MIN_KEYS_FOR_BALANCE", "SCALE_FACTOR",
    "SCALES", "TYPE_NAMES", "TYPES", "Bank", "Choice", "Item", "Objective", "Pretest", "Question",
    "Wrong", "bank_path", "bank_paths", "cue_problems", "default_start", "display_order",
    "key_is_longest", "key_length_problems", "key_letter_problems", "key_letters", "load_bank",
    "misconception_ids", "read_bank", "shuffled_start", "source_ids", "validate_all",
    "validate_bank",
]

#: Objectives must start with one of these (observable, checkable) verbs.
MEASURABLE_VERBS = frozenset("""
analyse analyze apply arrange assess calculate categorise categorize check choose cite classify
compare compute construct contrast convert critique decide define describe detect distinguish
estimate evaluate explain find give identify interpret judge justify label list locate match name
order outline place predict rank read recognise recognize relate select sort state summarise
summarize trace use verify weigh write
""".split())


# Keys: name -> required?
_TOP_KEYS = {"lesson": True, "title": True, "intro": False, "tries": False, "objective": True,
             "question": True, "review": False, "shuffle": False, "pretest": False}
_OBJECTIVE_KEYS = {"id": True, "text": True, "exercises": False}
_REVIEW_KEYS = {"items": True}


def read_bank(path: Path, *, misconceptions: Iterable[str] | None = None,
              sources: Iterable[str] | None | bool = True,
              shuffle: bool = True) -> tuple[Bank | None, list[Problem]]:
    """Read and check one bank. `misconceptions` and `sources` default to the course registries
    (assets/misconceptions.toml, assets/sources.toml); pass sets to check against others, or
    sources=None to skip the source check. `shuffle=False` keeps every question in file order
    (the tests use it to show what the cue lints catch)."""
    path = Path(path)
    try:
        doc = load_toml(path, facts=True)
    except ContentError as exc:
        return None, list(exc.problems)
    except OSError as exc:
        return None, [Problem(relpath(path), 1, f"cannot read quiz bank: {exc.strerror}")]
    mis = frozenset(misconceptions) if misconceptions is not None else misconception_ids()
    if sources is True:
        src: frozenset[str] | None = source_ids()
    else:
        src = frozenset(sources) if sources is not None and sources is not False else None
    r = BankReader(doc, mis, src)
    data = doc.data

    r.keys(data, _TOP_KEYS, "bank")
    match = BANK_FILE.match(path.name)
    if not match:
        r.add("file name must look like NN_slug.toml (two digits, then a lowercase slug)")
    lesson = data.get("lesson")
    if not isinstance(lesson, str) or not re.fullmatch(r"\d{2}", lesson or ""):
        if "lesson" in data:
            r.add(f"lesson {lesson!r} must be two digits in quotes, like \"01\"", "lesson")
        lesson = match.group(1) if match else "00"
    elif match and lesson != match.group(1):
        r.add(f"lesson {lesson!r} does not match the file name {path.name!r}", "lesson")
    title = r.text(data, "title", "bank", "title")
    intro = r.text(data, "intro", "bank", "intro")
    tries = r.count(data, "tries", "bank", "tries", default=DEFAULT_TRIES) if "tries" in data else DEFAULT_TRIES
    bank_shuffle = r.flag(data, "shuffle", "bank", default=True) and shuffle

    # Objectives -------------------------------------------------------------------------------
    objectives: list[Objective] = []
    seen: dict[str, int] = {}
    for rec, where, label in r.records(data, "objective", _OBJECTIVE_KEYS):
        oid = r.record_id(rec, LOCAL_ID, "lowercase letters and digits, like \"o1\"", seen,
                          "objective", label, *where)
        text = r.text(rec, "text", label, *where)
        verb = first_word(text)
        if text and verb not in MEASURABLE_VERBS:
            r.add(f"{label}: start with a measurable verb such as Explain, Identify, Compute or "
                  f"Compare (not {verb.capitalize()!r}), so that a question can show it was met",
                  *where, "text")
        exercises = r.strings(rec, "exercises", label, *where)
        for ex in exercises:
            if not EXERCISE_ID.match(ex):
                r.add(f"{label}: malformed exercise id {ex!r} (like \"05.2\")", *where, "exercises")
        if isinstance(oid, str) and oid:
            objectives.append(Objective(oid, text, lesson, exercises, doc.line(*where)))
    if isinstance(data.get("objective"), list) and not data["objective"]:
        r.add("bank: declare at least one [[objective]]", "objective")
    local_objectives = {o.id for o in objectives}

    # Questions --------------------------------------------------------------------------------
    questions: list[Question] = []
    qseen: dict[str, int] = {}
    assessed: set[str] = set()
    for i, rec in enumerate(r.tables(data, "question", "bank")):
        q = read_question(r, rec, i, lesson, tries, local_objectives, path.parent, qseen, assessed,
                          bank_shuffle)
        if q is not None:
            questions.append(q)
    if "question" in data and not data.get("question"):
        r.add("bank: add at least one [[question]]", "question")

    for o in objectives:
        if o.full_id not in assessed and not o.exercises:
            r.add(f"objective {o.id}: no question assesses it (name it in a question's objectives, "
                  f"or list the exercises that do: exercises = [\"{lesson}.1\"])", "objective",
                  objectives.index(o))

    # Review items from earlier lessons ---------------------------------------------------------
    review: list[str] = []
    if "review" in data:
        rv = data["review"]
        if not isinstance(rv, dict):
            r.add("review: write it as a [review] table with items = [\"01.q2\"]", "review")
        else:
            r.keys(rv, _REVIEW_KEYS, "review", "review")
            for rid in r.strings(rv, "items", "review", "review"):
                m = FULL_ID.match(rid)
                if not m:
                    r.add(f"review: malformed item {rid!r} (lesson and question id, like \"01.q2\")",
                          "review", "items")
                    continue
                if m.group(1) >= lesson:
                    r.add(f"review: {rid!r} is not from an earlier lesson", "review", "items")
                    continue
                other = other_bank(path.parent, m.group(1))
                if other is None:
                    r.add(f"review: no quiz bank for lesson {m.group(1)} (item {rid!r})", "review", "items")
                elif m.group(2) not in other[1]:
                    r.add(f"review: unknown question {rid!r} (not in lesson {m.group(1)}'s bank)",
                          "review", "items")
                elif rid in review:
                    r.add(f"review: {rid!r} is listed twice", "review", "items")
                else:
                    review.append(rid)

    pretests = read_pretests(r, data, lesson)  # opening questions: guessed, never graded
    bank = Bank(lesson=lesson, slug=path.stem, title=title, path=path, intro=intro, tries=tries,
                objectives=objectives, questions=questions, review_items=tuple(review),
                pretests=pretests, registries={"misconceptions": mis, "sources": src})
    return bank, sorted(set(r.problems))



def validate_bank(path: Path, *, misconceptions: Iterable[str] | None = None,
                  sources: Iterable[str] | None | bool = True) -> list[Problem]:
    """Every problem in one bank, with file, line and reason (empty list: the bank is fine)."""
    return read_bank(path, misconceptions=misconceptions, sources=sources)[1]



def validate_all(folder: Path | None = None, *, cues: bool = True, **kw: Any) -> list[Problem]:
    """Problems in every bank under assets/quizzes (or `folder`), and (unless cues=False) the cue
    lints over the banks that load."""
    problems: list[Problem] = []
    banks: list[Bank] = []
    for p in bank_paths(folder):
        bank, found = read_bank(p, **kw)
        problems.extend(found)
        if bank is not None:
            banks.append(bank)
    folder = Path(folder) if folder else paths.QUIZZES
    if cues:
        problems.extend(cue_problems(banks, folder))
    for p in sorted(folder.glob("*.toml")):
        if not BANK_FILE.match(p.name):
            problems.append(Problem(relpath(p), 1, "file name must look like NN_slug.toml"))
    return sorted(set(problems))


def load_bank(ref: str | Path, *, folder: Path | None = None) -> Bank:
    """A valid bank for "01", "01_slug" or a path; raises ContentError listing every problem."""
    path = bank_path(ref, folder)
    bank, problems = read_bank(path)
    if problems or bank is None:
        raise ContentError(problems)
    return bank
