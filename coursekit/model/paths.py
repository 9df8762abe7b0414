"""Where the course's files live. One place, so tests and tools agree."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
ASSETS = ROOT / "assets"
DATA = ASSETS / "data"
QUIZZES = ASSETS / "quizzes"
EXERCISES_SPEC = ASSETS / "exercises"
INSTRUCTOR = ROOT / "instructor"

# Generated notebook folders, by kind of notebook.
LESSONS = ROOT / "lessons"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


def article_path() -> Path:
    """The article the course analyses, for the quote and copying checks.

    The article is not redistributable, so it is never committed: a maintainer keeps a copy at
    `article.txt` in the course folder (git ignores it), or names another file in the
    COURSEKIT_ARTICLE environment variable. Where neither exists (learners' copies), the checks
    that need the article are skipped.
    """
    override = os.environ.get("COURSEKIT_ARTICLE")
    if override:
        return Path(override)
    return ROOT / "article.txt"
