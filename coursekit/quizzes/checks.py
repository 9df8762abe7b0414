"""Exercise checks: `check("01.2", answer)` tells a learner where they stand.

It answers exactly one of these:
- "not attempted yet"       the placeholder (`...`) or None is still there;
- "not yet: <hint>"         a wrong or malformed answer, with the hint for that specific mistake;
- "correct";
- "Saved (N words). Compare it with the rubric: ..."   free text (kind text) is saved, never
                            judged; outside its word range it also gets a hint.
It never raises at the learner: any object gets a verdict, or "not yet: I can't read this answer:
<why>" (an object that contains itself, nests thousands deep, or whose repr fails).

Every checked answer is recorded through coursekit.progress.recorder.record, which says whether the store
committed it. Only then does a text answer say "Saved"; a failure is shown with the verdict
("not saved: <why and what to do>"), and a correct answer that could not be recorded is not
shown as "correct" but as right-but-not-saved.

Answers, tolerances and hints live in assets/exercises/NN_slug.toml, not in the notebook, so the
grader (coursekit.teacher.grade) can run the same checks on a learner's variables. The format:

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
`max_words` give the word range, with a hint outside it).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from coursekit.progress import recorder as events

from coursekit.model import tomllines
from coursekit.model.paths import EXERCISES_SPEC
from coursekit.model.problems import ContentError, Problem
from coursekit.model.safetext import clean_text, safe_str

KINDS = ("number", "choice", "choices", "order", "mapping", "text")
NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
_EXERCISE_KEYS = {"id", "variable", "kind", "answer", "rel_tol", "abs_tol", "hint", "objective",
                  "mistake", "min_words", "max_words", "rubric", "points", "title"}
SAVED = "Saved"
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


class Result:
    """What a check returns.

    status: "unattempted" | "wrong" | "correct" | "submitted" (free text: saved, never judged).
    message: the verdict, exactly one of the messages in the module docstring; `==` with a str
    compares it. saved: True once the store committed the attempt, False if recording failed
    (problem says why, in plain words), None when nothing was recorded (a placeholder, or
    check(..., record=False)). notes: store notices and earlier failures not shown yet.
    str(), repr() and the HTML show all of it, so a learner never reads "correct" or "Saved"
    for an answer that is not in their progress record.
    """

    def __init__(self, status: str, message: str, misconception: str | None = None, *,
                 saved: bool | None = None, problem: str = "", notes: tuple[str, ...] = (),
                 rubric: tuple[str, ...] = (), words: int | None = None):
        self.status = status
        self.message = message
        self.misconception = misconception
        self.saved = saved
        self.problem = problem
        self.notes = tuple(notes)
        self.rubric = tuple(rubric)
        self.words = words

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def _head(self) -> str:
        if self.saved is False and self.status == "correct":
            return (f"{self.problem} Your answer is right; run the check again once that is "
                    "fixed, so that it is recorded.")
        if self.saved is False and self.status == "wrong":
            return f"{self.message} ({self.problem})"
        return self.message  # a text answer's message says itself whether it was saved

    @property
    def text(self) -> str:
        """Everything the learner is told, as plain text."""
        lines = [self._head(), *(f"- {r}" for r in self.rubric)]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.message == other
        return isinstance(other, Result) and other.message == self.message

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        import html
        if self.saved is False:
            symbol = "\u26a0"  # ⚠
        else:
            symbol = {"correct": "\u2713", "wrong": "\u2717", "unattempted": "\u2026",
                      "submitted": "\u2713"}.get(self.status, "")
        head = f"<strong>{symbol}</strong> {html.escape(clean_text(self._head()))}"
        if not self.rubric and not self.notes:
            return f'<p class="ck-check ck-{self.status}" role="status">{head}</p>'
        parts = [f'<div class="ck-check ck-{self.status}" role="status">', f"<p>{head}</p>"]
        if self.rubric:
            items = "".join(f"<li>{html.escape(r)}</li>" for r in self.rubric)
            parts.append(f'<ul class="ck-rubric">{items}</ul>')
        parts += [f'<p class="ck-note" role="note">\u26a0 {html.escape(clean_text(n))}</p>'
                  for n in self.notes]
        parts.append("</div>")
        return "".join(parts)


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
        from coursekit.model.content import load_misconceptions
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
        try:
            return float(value)
        except OverflowError:  # an integer of hundreds of digits: larger than any answer
            return math.inf if value > 0 else -math.inf
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


def _word_range(ex: Exercise) -> str:
    if ex.max_words is not None and ex.min_words:
        return f"{ex.min_words} to {ex.max_words} words"
    if ex.max_words is not None:
        return f"at most {ex.max_words} words"
    return f"at least {ex.min_words} words"


def _text_verdict(ex: Exercise, words: int, saved: bool | None, problem: str = "") -> str:
    """The message for free text: "Saved (N words)." only when the store committed it."""
    count = f"{words:,} word{'s' if words != 1 else ''}"
    if saved:
        head = f"{SAVED} ({count})."
    elif saved is None:
        head = f"Not saved: checked only ({count})."
    else:
        head = f"Not saved ({count}). {problem}"
    hint = ""
    if words < ex.min_words:
        hint = (f" The exercise asks for {_word_range(ex)}: about {ex.min_words - words} more "
                f"would reach {ex.min_words}. {ex.hint}")
    elif ex.max_words is not None and words > ex.max_words:
        hint = (f" The exercise asks for {_word_range(ex)}: cut about {words - ex.max_words}. "
                f"{ex.hint}")
    return f"{head}{hint} Compare it with the rubric:"


def evaluate(ex: Exercise, answer: Any) -> Result:
    """Pure comparison of `answer` against the exercise, with no recording. Free text is never
    judged: it comes back as "submitted" with its word count."""
    if answer is Ellipsis or answer is None:
        return Result("unattempted", NOT_ATTEMPTED)
    if ex.kind == "text":
        if not isinstance(answer, str) or not answer.strip():
            return Result("wrong", f"not yet: write your answer as {_SHAPES['text']}.")
        words = len(answer.split())
        return Result("submitted", _text_verdict(ex, words, None), rubric=ex.rubric, words=words)
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


def _unreadable(ex: Exercise, exc: Exception) -> Result:
    """The verdict for an answer that cannot even be compared (never a traceback)."""
    if isinstance(exc, RecursionError):
        why = "it contains itself, or is nested too deeply to read"
    else:
        why = f"reading it failed with {type(exc).__name__}: {safe_str(exc, 120)}"
    return Result("wrong", f"not yet: I can't read this answer: {why}. It should be "
                           f"{_SHAPES[ex.kind]}.")


def check(exercise_id: str, answer: Any = Ellipsis, *, record: bool = True) -> Result:
    """Check a learner's answer to an exercise and record it. Never raises at the learner."""
    try:
        ex = get_exercise(str(exercise_id))
    except ContentError as exc:  # a broken spec file: say so, rather than "no exercise"
        return Result("wrong", "not yet: this exercise cannot be checked, because the course's "
                               f"exercise file has a problem ({safe_str(exc, 200)}). Tell your "
                               "teacher.")
    except Exception as exc:  # noqa: BLE001 - e.g. an id whose str() fails: said in words
        return Result("wrong", f"not yet: {safe_str(exercise_id, 40)!r} is not an exercise id "
                               f"({type(exc).__name__}); check the id in the cell above.")
    if ex is None:
        return Result("wrong", f"not yet: there is no exercise {safe_str(exercise_id, 40)!r}; "
                               "check the id in the cell above.")
    try:
        result = evaluate(ex, answer)
    except Exception as exc:  # noqa: BLE001 - a learner's object with a broken __eq__ or repr
        result = _unreadable(ex, exc)
    if not record or result.status == "unattempted":
        return result
    if result.status == "wrong" and ex.kind == "text":
        return result  # no text to save yet
    outcome = events.record("attempt", ex.lesson, ex.id,
                            correct=None if result.status == "submitted" else result.correct,
                            misconception=result.misconception, answer=answer,
                            whole=ex.kind == "text")
    saved = isinstance(outcome, events.Outcome) and outcome.saved
    problem = getattr(outcome, "problem", "") or "the progress store gave no answer."
    message = result.message
    if result.status == "submitted":
        message = _text_verdict(ex, result.words or 0, saved, problem)
    notes = tuple(events.notes(outcome if isinstance(outcome, events.Outcome) else None))
    return Result(result.status, message, result.misconception, saved=saved,
                  problem="" if saved else problem, notes=notes, rubric=result.rubric,
                  words=result.words)
