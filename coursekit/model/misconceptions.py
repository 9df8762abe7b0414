"""The misconception registry, assets/misconceptions.toml: the mistakes quiz feedback, exercise
hints, the grader's tally and the class report name.

Each [[misconception]] has id (kebab-case, such as "target-as-pledge"), summary (what the learner
thinks), lesson (a lesson id from course.toml) and remedy (what helps).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coursekit.model import course, paths
from coursekit.model.problems import ContentError, Problem
from coursekit.model.records import Record, read_records

MISCONCEPTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = {"id": True, "summary": True, "lesson": True, "remedy": True}


@dataclass(frozen=True)
class Misconception:
    id: str
    summary: str
    lesson: str
    remedy: str
    line: int = 0


def read_misconceptions(path: Path | None = None) -> tuple[dict[str, Misconception], list[Problem]]:
    lessons = course.known_ids()

    def make(rec: Record, rid: str) -> Misconception:
        return Misconception(id=rid, summary=rec.text("summary"), remedy=rec.text("remedy"),
                             lesson=rec.enum("lesson", lessons), line=rec.line)

    return read_records(Path(path) if path else paths.ASSETS / "misconceptions.toml",
                        "misconception", MISCONCEPTION_ID, "kebab-case like 'target-as-pledge'",
                        _KEYS, make, facts=True)


def load_misconceptions(path: Path | None = None) -> dict[str, Misconception]:
    """The misconception registry, keyed by id."""
    items, problems = read_misconceptions(path)
    if problems:
        raise ContentError(problems)
    return items
