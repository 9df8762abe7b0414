"""Session set-up shared by the unit tests and nbval's notebook runs.

Kernels inherit this process's environment, so activating the sandbox here gives every notebook
kernel the no-network guard, a throwaway progress store and a warm matplotlib font cache.
"""
from __future__ import annotations

import tempfile
from pathlib import Path


def pytest_configure(config) -> None:
    from coursekit import kernelenv

    kernelenv.activate(Path(tempfile.mkdtemp(prefix="coursekit-pytest-")))
