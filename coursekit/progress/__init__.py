"""The learner's progress record.

Notebooks use the API through the package: `from coursekit import progress; progress.dashboard()`
(coursekit.progress.api). The modules, each with one job:
- `recorder`: the one seam quizzes and checks record through, and what they say about it;
- `store`: the SQLite file, opened, written and read (`database` its schema, `recovery` the
  repair of a damaged file, `locations` where it lives, `failures` failures in words);
- `fields`: what an event is; `answers`: any answer as bounded JSON; `exchange`: export files;
  `summary`: the numbers per lesson; `ui`: the notebook widgets.

The API is loaded on first use (PEP 562), so importing `coursekit.progress.recorder` stays cheap and
works even where the store cannot be loaded: quizzes and checks must still answer there.
"""
from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Any

_SUBMODULES = frozenset(m.name for m in pkgutil.iter_modules(__path__))


def _api() -> Any:
    return import_module("coursekit.progress.api")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:  # `from coursekit.progress import recorder` must not load the API
        return import_module(f"coursekit.progress.{name}")
    api = _api()
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'coursekit.progress' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_api().__all__])
