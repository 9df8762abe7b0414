"""Repairing a damaged progress file without losing anything.

Several kernels may find the same damaged file at once: one repairs it under a lock file
(`<name>.lock`), re-checking first, and the others wait and then use its new file; so no kernel
moves aside a file (or a journal) that another has just started using. A file is moved aside to
`<name>.corrupt-<n>`, unchanged, and never overwrites an earlier one.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from coursekit.progress.database import Unwritable
from coursekit.progress.failures import describe_os_error

RECOVERY_WAIT_S = 60.0  # how long a kernel waits for another one to repair a damaged file


@contextmanager
def recovery_lock(path: Path, wait_s: float = RECOVERY_WAIT_S) -> Iterator[None]:
    """Hold `<name>.lock` beside the database while repairing it, so that of several kernels
    finding the same damaged file, one repairs it and the others wait, then use its result.
    An OS lock (flock; msvcrt on Windows) is released by the OS if the holder dies."""
    lock_path = path.with_name(f"{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise Unwritable(f"the file there is unusable and its lock file cannot be created "
                         f"({describe_os_error(exc)})") from None
    try:
        deadline = time.monotonic() + wait_s
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise Unwritable("another notebook kept the damaged progress file locked "
                                 f"for over {int(wait_s)} seconds while repairing it")
            time.sleep(0.02)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


def move_aside(path: Path, reason: str) -> Path | None:
    """Rename the unusable file (and its journal) to <name>.corrupt-<n>, never overwriting, and
    return where it went (None if it had gone already). Raises Unwritable if it cannot be moved.

    Called only under the recovery lock, after a fresh look found the file at path still
    unusable. The journal goes first: once the file itself has gone, another kernel may
    create a new database at path at once, and its journal must stay where it is."""
    journal = Path(f"{path}-journal")
    for n in range(1, 10_000):
        target = path.with_name(f"{path.name}.corrupt-{n}")
        if target.exists() or Path(f"{target}-journal").exists():
            continue
        try:
            if journal.exists():
                os.rename(journal, f"{target}-journal")
            try:
                os.link(path, target)  # fails if target exists: no overwrite, even in a race
            except FileExistsError:
                continue
            except OSError:  # file systems without hard links
                if target.exists():
                    continue
                os.rename(path, target)
            else:
                os.unlink(path)
        except FileNotFoundError:  # gone already: nothing to move aside
            return None
        except OSError as exc:
            raise Unwritable(f"the file there is unusable ({reason}) and could not be "
                             f"moved aside: {describe_os_error(exc)}") from None
        return target
    raise Unwritable(f"the file there is unusable ({reason}) and too many copies exist")
