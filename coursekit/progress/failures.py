"""A failure of the progress file in plain words: why a write failed and what to do.

The learner never sees a traceback: the recorder, the widgets and the store's notices say what
went wrong with these words, naming the file and the way out.
"""
from __future__ import annotations

import sqlite3

from coursekit.model.safetext import safe_str

BUSY_TIMEOUT_S = 10.0  # how long a write waits for another kernel's transaction
OPEN_WAIT_S = 60.0  # how long opening the file keeps trying while other kernels keep it busy


def errname(exc: sqlite3.Error) -> str:
    """SQLite's name for the error ("SQLITE_FULL", ...), or "" when it gives none."""
    return getattr(exc, "sqlite_errorname", "") or ""


def describe_os_error(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


_KEEP_A_COPY = "To keep what is already saved, run progress.download_link() and keep the file."


def describe_failure(exc: BaseException, where: str | None = None) -> str:
    """Why a write failed and what the learner can do, in plain words (no traceback)."""
    at = f" at {where}" if where else ""
    name = errname(exc) if isinstance(exc, sqlite3.Error) else ""
    detail = safe_str(exc, 160)
    if name.startswith("SQLITE_FULL") or (isinstance(exc, OSError) and exc.errno == 28):
        return (f"the disk holding your progress file{at} is full ({detail}). Free some space "
                "(or ask whoever runs your computer or hub), then answer again. " + _KEEP_A_COPY)
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in detail:
        return (f"the disk reported an error while writing your progress file{at} ({detail}); "
                "it may be full or failing. Free some space, then answer again; if it keeps "
                "happening, restart the kernel (Kernel, Restart Kernel). " + _KEEP_A_COPY)
    if name.startswith("SQLITE_READONLY") or isinstance(exc, PermissionError):
        return (f"your progress file{at} can no longer be written ({detail}). Restart the "
                "kernel (Kernel, Restart Kernel): the course then finds a place it can write "
                "to and says where. " + _KEEP_A_COPY)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (f"another notebook kept your progress file{at} locked for more than "
                f"{int(BUSY_TIMEOUT_S)} seconds. Answer again in a moment.")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return (f"your progress file{at} was damaged while the notebook ran ({detail}). "
                "Restart the kernel: the damaged file is then moved aside and kept, and a new "
                "one started. " + _KEEP_A_COPY)
    return (f"the progress store failed ({type(exc).__name__}: {detail}). Restart the kernel "
            "and answer again; progress.where() shows where your progress is kept. "
            + _KEEP_A_COPY)
