"""The one small interface through which quizzes and checks report what a learner did.

Quizzes and exercise checks call `record(...)`; `coursekit.progress` stores it. Keeping this seam
thin means a quiz never fails because storage failed: recording is best effort and silent (stderr
output would also break nbval's comparison of stored outputs).
"""
from __future__ import annotations

from typing import Any

KINDS = ("attempt", "reflection", "rating", "view")


def record(
    kind: str,
    lesson: str,
    item: str,
    *,
    correct: bool | None = None,
    misconception: str | None = None,
    answer: Any = None,
) -> None:
    """Store one learner event. Never raises: a broken store must not break a lesson."""
    try:
        from . import progress
    except ImportError:  # progress store not available in this copy of the course
        return
    try:
        progress.record_event(
            kind=kind, lesson=lesson, item=item, correct=correct,
            misconception=misconception, answer=answer,
        )
    except Exception:  # noqa: BLE001 - storage problems are reported by the dashboard, not here
        return
