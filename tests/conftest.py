"""Fixtures shared by the unit tests (the session sandbox itself is in the root conftest.py)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from coursekit.quizzes import checks

from coursekit.progress import recorder as events

from coursekit.progress import api as progress
from coursekit.progress import store as ps


def saved_outcome(recorded: list, *args, **kwargs) -> events.Outcome:
    """Stands in for events.record in tests: keeps the call, reports it as saved."""
    recorded.append((args, kwargs))
    return events.Outcome(True, f"{len(recorded):032x}")


@pytest.fixture
def no_recording(monkeypatch):
    """Exercise checks record attempts in the progress store; these tests keep them in a list."""
    recorded: list = []
    monkeypatch.setattr(checks.events, "record", lambda *a, **k: saved_outcome(recorded, *a, **k))
    checks._specs_cached.cache_clear()
    yield recorded
    checks._specs_cached.cache_clear()


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A throwaway progress location for the module-level API; temp fallback kept inside it."""
    path = tmp_path / "home" / "progress.sqlite3"
    monkeypatch.setenv(ps.ENV_DB, str(path))
    monkeypatch.delenv(ps.ENV_LEARNER, raising=False)  # conftest pins one for notebooks
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    progress._forget_stores()
    events._forget_session()
    yield path
    progress._forget_stores()
    events._forget_session()
