"""Session set-up shared by the unit tests and nbval's notebook runs.

Kernels inherit this process's environment, so activating the sandbox here gives every notebook
kernel the no-network guard, a throwaway progress store and a warm matplotlib font cache.
Each notebook also gets its own empty progress store, as in the build: otherwise answers recorded
by earlier tests or notebooks would show up in a later notebook's outputs (its download link
counts events) and nbval would see a difference that no learner could.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX: dict[str, object] = {}


def pytest_configure(config) -> None:
    from coursekit.tools import kernelenv

    _SANDBOX["base"] = kernelenv.activate(Path(tempfile.mkdtemp(prefix="coursekit-pytest-")))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """Before nbval starts a notebook's kernel (at its first cell), point it at a fresh store."""
    notebook = item.parent
    if type(notebook).__name__ != "IPyNbFile" or _SANDBOX.get("notebook") is notebook:
        return
    _SANDBOX["notebook"] = notebook
    count = int(_SANDBOX.get("count", 0)) + 1
    _SANDBOX["count"] = count
    os.environ["COURSEKIT_PROGRESS_DB"] = str(Path(_SANDBOX["base"]) / f"notebook-{count}.sqlite3")
