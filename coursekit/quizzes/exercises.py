"""Exercise specs: answers, tolerances and hints, in assets/exercises/NN_slug.toml.

They live there, not in the notebook, so the grader (coursekit.teacher.grade) can run the same
checks (coursekit.quizzes.checks) on a learner's variables. The format:

    set = "01_reading_the_article"       # the exercise set (the solution notebook's slug)
    [[exercise]]
    id = "01.1"                           # "<lesson>.<n>"
    variable = "growth_2024"              # the name the learner assigns; the grader reads it
    kind = "number"                       # number | choice | choices | order | mapping | text
    answer = 1.9
    rel_tol = 0.02                        # or abs_tol = 0.05 (number only); default rel_tol 0.01
    hint = "Generic hint when no specific mistake matches."
    objective = "01.o2"                   # optional: the objective it assesses
    [[exercise.mistake]]                  # zero or more known mistakes, checked in order
    answer = 190.0                        # same kind as the answer (number: same tolerance)
    hint = "That is the 2022 total, not the change."
    misconception = "..."                 # optional id from assets/misconceptions.toml

Kinds: number (int/float, or a numeric string), choice (one string, compared case- and
space-insensitively), choices (a set of strings, order ignored), order (a list, order matters),
mapping (a dict; a mistake gives the subset of keys/values that reveals it), text (free text: saved,
never judged; `rubric` lists what a good answer does, shown with every save; `min_words` and
`max_words` give the word range, with a hint outside it)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import tomllines
from coursekit.model.paths import EXERCISES_SPEC
from coursekit.model.problems import ContentError, Problem
from coursekit.quizzes.catalogue import misconception_ids
from coursekit.quizzes.compare import matches
from coursekit.quizzes.records import EXERCISE_ID

KINDS = ("number", "choice", "choices", "order", "mapping", "text")
_EXERCISE_KEYS = {"id", "variable", "kind", "answer", "rel_tol", "abs_tol", "hint", "objective",
                  "mistake", "min_words", "max_words", "rubric", "points", "title"}
_MISTAKE_KEYS = {"answer", "hint", "misconception"}


@dataclass(frozen=True)
class Mistake:
    answer: Any
    hint: str
    misconception: str | None = None


@dataclass(frozen=True)
class Exercise:
    id: str
    set: str
    variable: str
    kind: str
    answer: Any
    hint: str
    rel_tol: float | None = None
    abs_tol: float | None = None
    min_words: int = 0
    max_words: int | None = None
    rubric: tuple[str, ...] = ()
    points: int = 1
    objective: str | None = None
    title: str = ""
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]



def _spec_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def _parse_spec(doc: tomllines.TomlDoc, problems: list[Problem],
                misconceptions: frozenset[str] | None = None) -> list[tuple[int, Exercise]]:
    """The exercises of one spec file, adding a problem for each mistake in it; a mistake's
    misconception id is checked against `misconceptions` when they are given."""
    data = doc.data
    set_name = data.get("set")
    if not isinstance(set_name, str) or not set_name:
        problems.append(doc.problem("missing 'set' (the exercise set's slug)", "set"))
        set_name = doc.path.stem
    for key in data:
        if key not in {"set", "title", "exercise"}:
            problems.append(doc.problem(f"unknown key {key!r}", key))
    out: list[tuple[int, Exercise]] = []
    for i, raw in enumerate(data.get("exercise", [])):
        at = ("exercise", i)
        for key in raw:
            if key not in _EXERCISE_KEYS:
                problems.append(doc.problem(f"unknown key {key!r} in exercise", *at, key))
        missing = [k for k in ("id", "variable", "kind", "answer", "hint") if k not in raw]
        if missing:
            problems.append(doc.problem(f"exercise is missing {', '.join(missing)}", *at))
            continue
        kind = raw["kind"]
        if kind not in KINDS:
            problems.append(doc.problem(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}",
                                        *at, "kind"))
            continue
        if not EXERCISE_ID.match(str(raw["id"])):
            problems.append(doc.problem(f"exercise id {raw['id']!r} should look like '01.2'", *at, "id"))
        if kind == "number" and not isinstance(raw["answer"], (int, float)):
            problems.append(doc.problem("a number exercise needs a numeric answer", *at, "answer"))
        mistakes = []
        for j, m in enumerate(raw.get("mistake", [])):
            for key in m:
                if key not in _MISTAKE_KEYS:
                    problems.append(doc.problem(f"unknown key {key!r} in mistake", *at, "mistake", j, key))
            if "answer" not in m or "hint" not in m:
                problems.append(doc.problem("a mistake needs 'answer' and 'hint'", *at, "mistake", j))
                continue
            mid = m.get("misconception")
            if mid and misconceptions is not None and mid not in misconceptions:
                problems.append(doc.problem(f"unknown misconception id {mid!r}",
                                            *at, "mistake", j, "misconception"))
            mistakes.append(Mistake(m["answer"], m["hint"], mid))
        min_words, max_words = raw.get("min_words", 0), raw.get("max_words")
        rubric = raw.get("rubric", [])
        if type(min_words) is not int or min_words < 0:
            problems.append(doc.problem("min_words must be a whole number", *at, "min_words"))
            min_words = 0
        if max_words is not None and (type(max_words) is not int or max_words < max(min_words, 1)):
            problems.append(doc.problem("max_words must be a whole number, at least min_words",
                                        *at, "max_words"))
            max_words = None
        if not isinstance(rubric, list) or not all(isinstance(r, str) and r.strip()
                                                   for r in rubric):
            problems.append(doc.problem("rubric must be a list of non-empty texts", *at,
                                        "rubric"))
            rubric = []
        if kind == "text" and not rubric:
            problems.append(doc.problem("a text exercise needs a rubric (a list of what a good "
                                        "answer does): its answer is saved and compared with "
                                        "the rubric, never marked correct", *at))
        if kind != "text" and ("rubric" in raw or "max_words" in raw or "min_words" in raw):
            problems.append(doc.problem("rubric, min_words and max_words belong to text "
                                        "exercises only", *at))
        out.append((i, Exercise(
            id=str(raw["id"]), set=set_name, variable=raw["variable"], kind=kind,
            answer=raw["answer"], hint=raw["hint"], rel_tol=raw.get("rel_tol"),
            abs_tol=raw.get("abs_tol"), min_words=min_words, max_words=max_words,
            rubric=tuple(r.strip() for r in rubric),
            points=int(raw.get("points", 1)), objective=raw.get("objective"),
            title=raw.get("title", ""), mistakes=tuple(mistakes))))
    return out


def load_specs(folder: Path = EXERCISES_SPEC, *, misconceptions: Iterable[str] | None = None
               ) -> tuple[dict[str, Exercise], list[Problem]]:
    """Every exercise in `folder`, by id, and the problems found on the way (with unknown
    misconception ids, when the registry's ids are given)."""
    known = frozenset(misconceptions) if misconceptions is not None else None
    problems: list[Problem] = []
    found: dict[str, Exercise] = {}
    for path in _spec_files(folder):
        try:
            doc = tomllines.load(path, facts=True)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for i, ex in _parse_spec(doc, problems, known):
            if ex.id in found:
                problems.append(doc.problem(f"duplicate exercise id {ex.id!r}", "exercise", i, "id"))
            found[ex.id] = ex
            if ex.kind != "text" and matches(ex, ex.answer, ex.answer) is not True:
                problems.append(doc.problem(f"{ex.id}: the answer does not pass its own check",
                                            "exercise", i, "answer"))
            for j, m in enumerate(ex.mistakes):
                if matches(ex, m.answer, ex.answer):
                    problems.append(doc.problem(f"{ex.id}: a listed mistake would count as correct",
                                                "exercise", i, "mistake", j, "answer"))
    return found, problems


def validate_specs(folder: Path = EXERCISES_SPEC) -> list[Problem]:
    """Problems in the exercise specs, including misconception ids unknown to the registry
    (not checked when the registry is missing: the content validator reports that)."""
    return load_specs(folder, misconceptions=misconception_ids() or None)[1]


@lru_cache(maxsize=4)
def _specs_cached(folder: str) -> dict[str, Exercise]:
    specs, _ = load_specs(Path(folder))
    return specs


def spec_folder() -> Path:
    """assets/exercises, or COURSEKIT_EXERCISE_SPECS (tests and the grader's fixtures use it)."""
    return Path(os.environ.get("COURSEKIT_EXERCISE_SPECS") or EXERCISES_SPEC)


def get_exercise(exercise_id: str, folder: Path | None = None) -> Exercise | None:
    return _specs_cached(str(folder or spec_folder())).get(exercise_id)
