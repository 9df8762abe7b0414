"""What a learner's events add up to, per lesson: the numbers the dashboard draws."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from coursekit.progress.fields import LESSONS, item_type


def summarise(events: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per lesson (by the item's own lesson prefix): what the dashboard draws.

    quiz_correct counts quiz items whose latest attempt was right (retrieval practice may
    re-ask an item; the latest answer is the current state); exercises count once solved.
    """
    out = {lesson: {"quiz_correct": 0, "quiz_total_items_seen": 0, "quiz_first_try_correct": 0,
                    "exercises_correct": 0, "exercises_attempted": 0, "pretests": 0,
                    "reflections": 0} for lesson in LESSONS}
    latest: dict[str, bool | None] = {}
    first: dict[str, bool | None] = {}
    solved: dict[str, bool] = {}
    home: dict[str, str] = {}  # item -> lesson it counts for
    pretests: set[str] = set()
    for ev in events:  # oldest first
        item, kind = ev["item"], ev["kind"]
        lesson = item[:2] if item[:2] in out else ev["lesson"]
        if lesson not in out:
            continue
        if kind == "reflection":
            out[lesson]["reflections"] += 1
        if kind != "attempt":
            continue
        home.setdefault(item, lesson)
        kind_of_item = item_type(item)
        if kind_of_item == "quiz":
            first.setdefault(item, ev["correct"])
            latest[item] = ev["correct"]
        elif kind_of_item == "exercise":
            solved[item] = solved.get(item, False) or ev["correct"] is True
        elif kind_of_item == "pretest" and item not in pretests:
            pretests.add(item)
            out[lesson]["pretests"] += 1
    for item, ok in latest.items():
        row = out[home[item]]
        row["quiz_total_items_seen"] += 1
        row["quiz_correct"] += ok is True
        row["quiz_first_try_correct"] += first[item] is True
    for item, done in solved.items():
        row = out[home[item]]
        row["exercises_attempted"] += 1
        row["exercises_correct"] += done
    return out
