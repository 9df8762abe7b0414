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
    """The article the course analyses. It is never copied into the repository.

    It lives beside the repository in ../shared/seed/article.txt (on maintainers' machines and
    in CI); COURSEKIT_ARTICLE overrides the location.
    """
    override = os.environ.get("COURSEKIT_ARTICLE")
    if override:
        return Path(override)
    return ROOT.parent / "shared" / "seed" / "article.txt"


def file_stamp(path: Path) -> tuple[str, int, int] | None:
    """(resolved path, modification time, size) of a file, or None when it does not exist: the
    key under which loaders cache what they read, so an edited file is read again."""
    try:
        st = path.stat()
    except OSError:
        return None
    return str(path.resolve()), st.st_mtime_ns, st.st_size
