"""Cache keys for files: read a file again only when it has changed.

`stamp(path)` is what the course's `lru_cache`d readers key on: the path with the file's
modification time and size, so an edited file (or one replaced by another of the same age but a
different size) is read again, and an unchanged one is not. Standard library only.
"""
from __future__ import annotations

from pathlib import Path

Stamp = tuple[str, int, int]


def stamp(path: str | Path) -> Stamp | None:
    """(path, modification time in ns, size in bytes), or None when the file cannot be read
    (missing, or its folder not accessible). The path is kept as given (not resolved)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return str(path), st.st_mtime_ns, st.st_size
