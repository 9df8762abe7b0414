"""The learner's progress record: `store` (SQLite), `api` (what notebooks call), `ui` (widgets),
`recorder` (the one seam quizzes and checks record through).

Notebooks use the API through the package: `from coursekit import progress; progress.dashboard()`.
The API is loaded on first use (PEP 562), so importing `coursekit.progress.recorder` stays cheap and
works even where the store cannot be loaded: quizzes and checks must still answer there.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any


def _api() -> Any:
    return import_module("coursekit.progress.api")


_SUBMODULES = ("api", "recorder", "store", "ui")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:  # `from coursekit.progress import recorder` must not load the API
        return import_module(f"coursekit.progress.{name}")
    api = _api()
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'coursekit.progress' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_api().__all__])
