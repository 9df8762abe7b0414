"""Where a learner's progress file lives, and where it goes when that place cannot be used."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coursekit.progress.fields import APP

FILENAME = "progress.sqlite3"
ENV_DB = "COURSEKIT_PROGRESS_DB"


def default_path() -> Path:
    """Where this user's progress lives: $COURSEKIT_PROGRESS_DB, else the XDG data folder."""
    override = os.environ.get(ENV_DB)
    if override:
        path = Path(override).expanduser()
        return path / FILENAME if path.is_dir() else path
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec says relative values must be ignored
        base = Path(xdg)
    else:
        try:
            base = Path.home() / ".local" / "share"
        except RuntimeError:  # no home directory at all: only the fallback is left
            return fallback_path()
    return base / APP / FILENAME


def fallback_path() -> Path:
    """A per-user file in the temp folder, used when the normal location cannot be written."""
    owner = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"{APP}-{owner}" / FILENAME
