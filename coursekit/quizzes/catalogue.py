"""Finding quiz banks, and the ids that banks and the course registries declare.

Used while reading a bank: another bank's objective and question ids (for review items and
objectives of earlier lessons) and the registries' ids are read without checks and cached by file
stamp (coursekit.model.files), so a bank is checked against files as they are now.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from coursekit.model import paths
from coursekit.model.files import Stamp, stamp
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.quizzes.records import BANK_FILE


def bank_paths(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else paths.QUIZZES
    return sorted(p for p in folder.glob("*.toml") if BANK_FILE.match(p.name))


def bank_path(ref: str | Path, folder: Path | None = None) -> Path:
    """The bank for "01", "01_reading_the_article" or a path. Raises ContentError if missing."""
    if isinstance(ref, Path) or str(ref).endswith(".toml"):
        p = Path(ref)
        if not p.exists():
            raise ContentError([Problem(relpath(p), 1, "quiz bank not found")])
        return p
    folder = Path(folder) if folder else paths.QUIZZES
    ref = str(ref).strip()
    if re.fullmatch(r"\d{2}", ref):
        found = [p for p in bank_paths(folder) if p.name.startswith(ref + "_")]
    else:
        found = [p for p in [folder / f"{ref}.toml"] if p.exists()]
    if len(found) != 1:
        names = ", ".join(p.stem for p in bank_paths(folder)) or "none"
        why = "no quiz bank" if not found else "more than one quiz bank"
        raise ContentError([Problem(relpath(folder), 1, f"{why} for {ref!r} (banks: {names})")])
    return found[0]


@lru_cache(maxsize=32)
def _data(file: Stamp) -> dict:
    """The file's TOML data, unchecked ({} if it cannot be read or parsed)."""
    try:
        return tomllib.loads(Path(file[0]).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _ids(file: Stamp, table: str) -> frozenset[str]:
    """The `id`s of the file's [[table]] entries."""
    tables = _data(file).get(table)
    if not isinstance(tables, list):
        return frozenset()
    return frozenset(t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str))


def misconception_ids(path: Path | None = None) -> frozenset[str]:
    """Ids in the misconception registry (empty if the file is missing or unreadable)."""
    file = stamp(Path(path) if path else paths.ASSETS / "misconceptions.toml")
    return _ids(file, "misconception") if file else frozenset()


def source_ids(path: Path | None = None) -> frozenset[str] | None:
    """Ids in the bibliography, or None when sources.toml does not exist (check skipped)."""
    file = stamp(Path(path) if path else paths.ASSETS / "sources.toml")
    return _ids(file, "source") if file else None


def other_bank(folder: Path, lesson: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(objective ids, question ids) of lesson's bank in folder; None if there is none."""
    found = [p for p in bank_paths(folder) if p.name.startswith(lesson + "_")]
    if len(found) != 1:
        return None
    file = stamp(found[0])
    return (_ids(file, "objective"), _ids(file, "question")) if file else None
