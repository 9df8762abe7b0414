"""Exercise checks: `check("01.2", answer)` tells a learner where they stand.

It answers exactly one of three things:
- "not attempted yet"       the placeholder (`...`) or None is still there;
- "not yet: <hint>"         a wrong or malformed answer, with the hint for that specific mistake;
- "correct".
It never raises at the learner: a wrong type gets a hint naming what was expected.

Answers, tolerances and hints live in assets/exercises/NN_slug.toml, not in the notebook, so the
grader (coursekit.grade) can run the same checks on a learner's variables. The format:

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
mapping (a dict; a mistake gives the subset of keys/values that reveals it), text (free text: correct
once it has at least `min_words` words; the hint says how many more are needed).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import events, tomllines
from .paths import EXERCISES_SPEC
from .problems import ContentError, Problem

KINDS = ("number", "choice", "choices", "order", "mapping", "text")
NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
_EXERCISE_KEYS = {"id", "variable", "kind", "answer", "rel_tol", "abs_tol", "hint", "objective",
                  "mistake", "min_words", "points", "title"}
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
    points: int = 1
    objective: str | None = None
    title: str = ""
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)

    @property
    def lesson(self) -> str:
        return self.id.split(".")[0]


class Result:
    """What a check returns. Its text is exactly one of the three messages, shown with a symbol."""

    def __init__(self, status: str, message: str, misconception: str | None = None):
        self.status = status  # "unattempted" | "wrong" | "correct"
        self.message = message
        self.misconception = misconception

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.message == other
        return isinstance(other, Result) and other.message == self.message

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        import html
        symbol = {"correct": "✓", "wrong": "✗", "unattempted": "…"}[self.status]
        return (f'<p class="ck-check ck-{self.status}" role="status"><strong>{symbol}</strong> '
                f"{html.escape(self.message)}</p>")


# ----------------------------------------------------------------------------- loading specs

def _spec_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def _parse_spec(doc: tomllines.TomlDoc, problems: list[Problem]) -> list[tuple[int, Exercise]]:
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
        if not re.fullmatch(r"\d\d\.\d+", str(raw["id"])):
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
            mistakes.append(Mistake(m["answer"], m["hint"], m.get("misconception")))
        out.append((i, Exercise(
            id=str(raw["id"]), set=set_name, variable=raw["variable"], kind=kind,
            answer=raw["answer"], hint=raw["hint"], rel_tol=raw.get("rel_tol"),
            abs_tol=raw.get("abs_tol"), min_words=int(raw.get("min_words", 0)),
            points=int(raw.get("points", 1)), objective=raw.get("objective"),
            title=raw.get("title", ""), mistakes=tuple(mistakes))))
    return out


def load_specs(folder: Path = EXERCISES_SPEC) -> tuple[dict[str, Exercise], list[Problem]]:
    """Every exercise in `folder`, by id, and the problems found on the way."""
    problems: list[Problem] = []
    found: dict[str, Exercise] = {}
    for path in _spec_files(folder):
        try:
            doc = tomllines.load(path, facts=True)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for i, ex in _parse_spec(doc, problems):
            if ex.id in found:
                problems.append(doc.problem(f"duplicate exercise id {ex.id!r}", "exercise", i, "id"))
            found[ex.id] = ex
            if ex.kind != "text" and _matches(ex, ex.answer, ex.answer) is not True:
                problems.append(doc.problem(f"{ex.id}: the answer does not pass its own check",
                                            "exercise", i, "answer"))
            for j, m in enumerate(ex.mistakes):
                if _matches(ex, m.answer, ex.answer):
                    problems.append(doc.problem(f"{ex.id}: a listed mistake would count as correct",
                                                "exercise", i, "mistake", j, "answer"))
    return found, problems


def validate_specs(folder: Path = EXERCISES_SPEC) -> list[Problem]:
    """Problems in the exercise specs, including misconception ids unknown to the registry."""
    specs, problems = load_specs(folder)
    try:
        from .content import load_misconceptions
        known = set(load_misconceptions())
    except Exception:  # noqa: BLE001 - registry problems are reported by the content validator
        return problems
    for path in _spec_files(folder):
        doc = tomllines.load(path, facts=True)
        for i, raw in enumerate(doc.data.get("exercise", [])):
            for j, m in enumerate(raw.get("mistake", [])):
                mid = m.get("misconception")
                if mid and mid not in known:
                    problems.append(doc.problem(f"unknown misconception id {mid!r}",
                                                "exercise", i, "mistake", j, "misconception"))
    return problems


@lru_cache(maxsize=4)
def _specs_cached(folder: str) -> dict[str, Exercise]:
    specs, _ = load_specs(Path(folder))
    return specs


def spec_folder() -> Path:
    """assets/exercises, or COURSEKIT_EXERCISE_SPECS (tests and the grader's fixtures use it)."""
    return Path(os.environ.get("COURSEKIT_EXERCISE_SPECS") or EXERCISES_SPEC)


def get_exercise(exercise_id: str, folder: Path | None = None) -> Exercise | None:
    return _specs_cached(str(folder or spec_folder())).get(exercise_id)


# ----------------------------------------------------------------------------- comparing answers

def _norm_text(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return float(value.item())
        except (TypeError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip().replace(",", "").rstrip("%").strip()
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _close(ex: Exercise, got: float, want: float) -> bool:
    if ex.abs_tol is not None:
        return abs(got - want) <= ex.abs_tol
    return math.isclose(got, want, rel_tol=ex.rel_tol if ex.rel_tol is not None else 0.01,
                        abs_tol=1e-12)


def _matches(ex: Exercise, given: Any, target: Any) -> bool | None:
    """True/False for a comparable answer; None when `given` has the wrong shape for this kind."""
    if ex.kind == "number":
        got = _as_number(given)
        if got is None or math.isnan(got):
            return None
        if isinstance(target, list):  # a mistake may be a [low, high] range
            return target[0] <= got <= target[1]
        return _close(ex, got, float(target))
    if ex.kind == "choice":
        if not isinstance(given, (str, int)):
            return None
        return _norm_text(given) == _norm_text(target)
    if ex.kind == "choices":
        if isinstance(given, str) or not isinstance(given, (list, tuple, set, frozenset)):
            return None
        return {_norm_text(g) for g in given} == {_norm_text(t) for t in target}
    if ex.kind == "order":
        if isinstance(given, str) or not isinstance(given, (list, tuple)):
            return None
        return [_norm_text(g) for g in given] == [_norm_text(t) for t in target]
    if ex.kind == "mapping":
        if not isinstance(given, dict):
            return None
        got = {_norm_text(k): _norm_text(v) for k, v in given.items()}
        want = {_norm_text(k): _norm_text(v) for k, v in target.items()}
        if target is ex.answer:
            return got == want
        return all(got.get(k) == v for k, v in want.items())  # a mistake: its pairs are present
    if ex.kind == "text":
        return isinstance(given, str)
    return None


_SHAPES = {
    "number": "a number, such as 12.5",
    "choice": "one option, written as text in quotes",
    "choices": "a list of options, such as [\"A\", \"C\"]",
    "order": "a list in order, such as [\"first\", \"second\"]",
    "mapping": "a dictionary, such as {\"C01\": \"fact\"}",
    "text": "some text in quotes",
}


def evaluate(ex: Exercise, answer: Any) -> Result:
    """Pure comparison of `answer` against the exercise, with no recording."""
    if answer is Ellipsis or answer is None:
        return Result("unattempted", NOT_ATTEMPTED)
    if ex.kind == "text":
        if not isinstance(answer, str) or not answer.strip():
            return Result("wrong", f"not yet: write your answer as {_SHAPES['text']}.")
        words = len(answer.split())
        if words < ex.min_words:
            return Result("wrong", f"not yet: write at least {ex.min_words} words "
                                   f"(you have {words}). {ex.hint}")
        return Result("correct", CORRECT)
    verdict = _matches(ex, answer, ex.answer)
    if verdict is None:
        shown = type(answer).__name__
        return Result("wrong", f"not yet: this answer should be {_SHAPES[ex.kind]}; "
                               f"yours is a {shown}.")
    if verdict:
        return Result("correct", CORRECT)
    for mistake in ex.mistakes:
        if _matches(ex, answer, mistake.answer):
            return Result("wrong", f"not yet: {mistake.hint}", mistake.misconception)
    return Result("wrong", f"not yet: {ex.hint}")


def check(exercise_id: str, answer: Any = Ellipsis, *, record: bool = True) -> Result:
    """Check a learner's answer to an exercise. Never raises at the learner."""
    try:
        ex = get_exercise(str(exercise_id))
    except Exception:  # noqa: BLE001 - a broken spec file must not crash the learner's notebook
        ex = None
    if ex is None:
        return Result("wrong", f"not yet: there is no exercise {exercise_id!r}; "
                               "check the id in the cell above.")
    try:
        result = evaluate(ex, answer)
    except Exception:  # noqa: BLE001 - e.g. a learner's object with a broken __eq__
        result = Result("wrong", f"not yet: this answer should be {_SHAPES[ex.kind]}.")
    if record and result.status != "unattempted":
        events.record("attempt", ex.lesson, ex.id, correct=result.correct,
                      misconception=result.misconception, answer=_jsonable(answer))
    return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return repr(value)[:200]
