"""Exercise checks: `check("01.2", answer)` tells a learner where they stand.

It answers exactly one of these:
- "not attempted yet"       the placeholder (`...`) or None is still there;
- "not yet: <hint>"         a wrong or malformed answer, with the hint for that specific mistake;
- "correct";
- "Saved (N words). Compare it with the rubric: ..."   free text (kind text) is saved, never
                            judged; outside its word range it also gets a hint.
It never raises at the learner: any object gets a verdict, or "not yet: I can't read this answer:
<why>" (an object that contains itself, nests thousands deep, or whose repr fails).

Every checked answer is recorded through coursekit.progress.recorder.record, which says whether
the store committed it. Only then does a text answer say "Saved"; a failure is shown with the verdict
("not saved: <why and what to do>"), and a correct answer that could not be recorded is not
shown as "correct" but as right-but-not-saved.

Which answers count is in the exercise specs (coursekit.quizzes.exercises, one TOML file a lesson
in assets/exercises/), and how an answer is compared with them in coursekit.quizzes.compare.
"""
from __future__ import annotations

from typing import Any

from coursekit.model.problems import ContentError
from coursekit.model.safetext import clean_text, safe_str
from coursekit.progress import recorder as events
from coursekit.quizzes.compare import SHAPES, matches
from coursekit.quizzes.exercises import (
    KINDS, Exercise, Mistake, _specs_cached, get_exercise, load_specs, spec_folder,
    validate_specs,
)

__all__ = ["CORRECT", "KINDS", "NOT_ATTEMPTED", "SAVED", "Exercise", "Mistake", "Result",
           "check", "evaluate", "get_exercise", "load_specs", "spec_folder", "validate_specs",
           "_specs_cached"]

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
SAVED = "Saved"


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
            return Result("wrong", f"not yet: write your answer as {SHAPES['text']}.")
        words = len(answer.split())
        return Result("submitted", _text_verdict(ex, words, None), rubric=ex.rubric, words=words)
    verdict = matches(ex, answer, ex.answer)
    if verdict is None:
        shown = type(answer).__name__
        return Result("wrong", f"not yet: this answer should be {SHAPES[ex.kind]}; "
                               f"yours is a {shown}.")
    if verdict:
        return Result("correct", CORRECT)
    for mistake in ex.mistakes:
        if matches(ex, answer, mistake.answer):
            return Result("wrong", f"not yet: {mistake.hint}", mistake.misconception)
    return Result("wrong", f"not yet: {ex.hint}")


def _unreadable(ex: Exercise, exc: Exception) -> Result:
    """The verdict for an answer that cannot even be compared (never a traceback)."""
    if isinstance(exc, RecursionError):
        why = "it contains itself, or is nested too deeply to read"
    else:
        why = f"reading it failed with {type(exc).__name__}: {safe_str(exc, 120)}"
    return Result("wrong", f"not yet: I can't read this answer: {why}. It should be "
                           f"{SHAPES[ex.kind]}.")


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
