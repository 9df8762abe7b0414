"""The order a learner sees a question's options in.

A bank lists each question's right answer wherever the author wrote it (often first). Loading
shuffles what the learner sees: the choices of single-choice and multiple-select questions, the
items of sort-into-categories questions, and (unless a `start` is given) the rows of put-in-order
questions. The shuffle is deterministic, seeded from the lesson and the question id through
SHA-256 (never Python's `hash()`, which varies between processes), so two builds give the same
bytes. Letters ("A", "B", ...) are given in display order, so the widgets and the static HTML
show the same thing. `shuffle = false` (for a bank, or one question) keeps the file order, for
options whose order carries meaning.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from coursekit.quizzes.reader import norm
from coursekit.quizzes.records import LETTERS


def display_order(lesson: str, qid: str, n: int) -> tuple[int, ...]:
    """A deterministic shuffle of range(n) for question `qid` of `lesson`: positions are sorted by
    the SHA-256 of "<lesson>.<qid>/<position>", so the order depends only on the lesson, the
    question id and the number of options (not on the Python process, nor on the options' text)."""
    def key(i: int) -> bytes:
        return hashlib.sha256(f"{lesson}.{qid}/{i}".encode("utf-8")).digest()
    return tuple(sorted(range(n), key=key))


def shuffled_start(lesson: str, qid: str, n: int) -> tuple[int, ...]:
    """Display order (1-based item numbers) of a put-in-order question: the seeded shuffle, never
    the correct order itself (turned by one place if the shuffle happens to give it)."""
    order = tuple(i + 1 for i in display_order(lesson, qid, n))
    if order == tuple(range(1, n + 1)) and n > 1:
        order = order[1:] + order[:1]
    return order


def shuffled(fields: dict[str, Any], qtype: str, lesson: str, qid: str, *,
             has_start: bool) -> dict[str, Any]:
    """The question's options in display order, lettered A, B, ... in that order."""
    fields = dict(fields)
    key = {"single": "choices", "multiple": "choices", "categories": "sort_items"}.get(qtype)
    if key and fields.get(key):
        options = fields[key]
        order = display_order(lesson, qid, len(options))
        fields[key] = tuple(replace(options[i], letter=LETTERS[pos])
                            for pos, i in enumerate(order))
    elif qtype == "order" and not has_start and len(fields.get("items", ())) >= 2:
        fields["start"] = shuffled_start(lesson, qid, len(fields["items"]))
    return fields


def default_start(items: tuple[str, ...]) -> tuple[int, ...]:
    """Display order when a bank gives none and does not shuffle (`shuffle = false`): alphabetical
    by text; reversed if alphabetical happens to be the correct order."""
    order = tuple(sorted(range(1, len(items) + 1), key=lambda k: (norm(items[k - 1]), k)))
    if order == tuple(range(1, len(items) + 1)):
        order = order[::-1]
    return order
