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
    "check": ("coursekit.quizzes.checks", "check"),
    "show": ("coursekit.display.charts", "show"),
    "Quiz": ("coursekit.quizzes.widgets", "Quiz"),
    "quiz": ("coursekit.quizzes.widgets", "quiz"),
    "load_sources": ("coursekit.model.content", "load_sources"),
    "load_dataset": ("coursekit.model.content", "load_dataset"),
    "cite": ("coursekit.model.content", "cite"),
    "load_claims": ("coursekit.model.content", "load_claims"),
    "load_misconceptions": ("coursekit.model.content", "load_misconceptions"),
    "further_reading": ("coursekit.model.content", "further_reading"),
    # Modules the notebooks use by short names: `content.load_dataset(...)`, `plots.show(...)`.
    "content": ("coursekit.model.content", None),
    "plots": ("coursekit.display.charts", None),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'coursekit' has no attribute {name!r}") from None
    module = import_module(module_name)
    return module if attr is None else getattr(module, attr)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
