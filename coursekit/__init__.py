"""coursekit: the toolkit behind the course "AI Under Sanctions".

Every generated notebook imports this package in its first cell, so importing it must stay cheap:
no matplotlib, no ipywidgets, no pandas at import time. Heavy modules are imported by the functions
that need them.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Public names, resolved lazily (PEP 562) so that `import coursekit` costs almost nothing.
_LAZY = {
    "check": ("coursekit.checks", "check"),
    "show": ("coursekit.plots", "show"),
    "Quiz": ("coursekit.quiz", "Quiz"),
    "quiz": ("coursekit.quiz", "quiz"),
    "load_sources": ("coursekit.content", "load_sources"),
    "load_dataset": ("coursekit.content", "load_dataset"),
    "cite": ("coursekit.content", "cite"),
    "load_claims": ("coursekit.content", "load_claims"),
    "load_misconceptions": ("coursekit.content", "load_misconceptions"),
    "further_reading": ("coursekit.content", "further_reading"),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'coursekit' has no attribute {name!r}") from None
    return getattr(import_module(module_name), attr)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
