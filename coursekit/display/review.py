"""Spaced review: questions from earlier lessons' quiz banks, the ones most worth another look.

    review_quiz("07", 6)   six questions from the lessons before 07 in course.toml, one a lesson
                           while lessons remain: answered wrong last time first, then never seen,
                           then seen longest ago (coursekit.progress.api.review ranks them)
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

_ITEM = re.compile(r"\d\d\.q\d+[a-z]?")


def quiz_item_ids(lessons: Iterable[str]) -> list[str]:
    """Full ids ("03.q2") of the graded questions in every valid quiz bank of `lessons`.
    A bank with problems is skipped, not fatal."""
    from coursekit.quizzes import bank as quizbank

    wanted, ids = set(lessons), []
    for path in quizbank.bank_paths():
        if path.name[:2] not in wanted:
            continue
        try:
            bank, problems = quizbank.read_bank(path)
        except Exception:  # noqa: BLE001 - a broken bank must not break the review
            continue
        if bank is not None and not problems:
            ids += [q.full_id for q in bank.questions if q.graded and _ITEM.fullmatch(q.full_id)]
    return ids


def spread(ranked: Sequence[str], k: int) -> list[str]:
    """Up to k items from `ranked` (most worth reviewing first), one a lesson while lessons
    remain, then the rest in rank order; shown in lesson order."""
    chosen: list[str] = []
    for item in ranked:
        if len(chosen) < k and item[:2] not in {c[:2] for c in chosen}:
            chosen.append(item)
    chosen += [item for item in ranked if item not in chosen][:max(0, k - len(chosen))]
    return sorted(chosen)


def review_items(lesson: str, k: int = 6) -> list[str]:
    """The review set for `lesson`: the earlier lessons' quiz items, ranked, one a lesson first."""
    from coursekit.model import course
    from coursekit.progress import api as progress

    candidates = quiz_item_ids(i for i in course.lesson_ids() if i < lesson)
    return spread(progress.review(n=len(candidates), lesson=lesson, candidates=candidates), k)


def review_quiz(lesson: str, k: int = 6) -> None:
    """Display the review questions, each with its own feedback, from their own banks."""
    from IPython.display import display

    from coursekit.quizzes import bank as quizbank
    from coursekit.quizzes.widgets import make_question

    items = review_items(lesson, k)
    if not items:
        print("No review questions are available yet: the earlier lessons' quiz banks are missing.")
        return
    banks: dict[str, Any] = {}
    for n, item in enumerate(items, start=1):
        bank = banks.setdefault(item[:2], quizbank.load_bank(item[:2]))
        display(make_question(bank.question(item), number=n, total=len(items), as_review=True))
