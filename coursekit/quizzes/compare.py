"""Comparing a learner's answer with an exercise's answer (or a known mistake), by kind.

`matches` says True or False for a comparable answer, and None when the answer has the wrong
shape for the kind (SHAPES says, in words, what shape is wanted).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coursekit.quizzes.exercises import Exercise


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


def matches(ex: Exercise, given: Any, target: Any) -> bool | None:
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


SHAPES = {
    "number": "a number, such as 12.5",
    "choice": "one option, written as text in quotes",
    "choices": "a list of options, such as [\"A\", \"C\"]",
    "order": "a list in order, such as [\"first\", \"second\"]",
    "mapping": "a dictionary, such as {\"C01\": \"fact\"}",
    "text": "some text in quotes",
}

