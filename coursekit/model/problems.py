"""A content problem: which file, which line, and why. Shared by every validator and lint."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coursekit.model.paths import ROOT


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def relpath(path: Path | str) -> str:
    """Path as shown to a maintainer: relative to the course root where possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
