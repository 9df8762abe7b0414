"""A widget's static rendering: what GitHub, nbconvert and a notebook opened before its kernel runs
show in place of the live widget.

The build keeps a widget output's `text/html` and `text/plain` and strips its live view, so every
widget the course displays must carry both. Two shapes, one rule:
- `StaticViews`: a mixin for widget classes that render themselves (`static_html()`, `static_text()`);
- `WithStatic`: a wrapper for a widget box built on the fly, with fixed text.
"""
from __future__ import annotations

import html
from typing import Any

RUN_TO_USE = "Interactive control: run the notebook to use it."


def bundle(live: Any, static_html: str, static_text: str, **kwargs: Any) -> dict[str, Any]:
    """`live`'s MIME bundle with the given static views beside (or instead of) its widget view."""
    found = live._repr_mimebundle_(**kwargs) or {}
    data = dict(found[0] if isinstance(found, tuple) else found)
    data["text/html"] = static_html
    data["text/plain"] = static_text
    return data


def note_html(text: str, note: str = RUN_TO_USE, extra_html: str = "") -> str:
    """The usual static view: an italic note on how to use the control, then its current text
    (kept away from MathJax, which would read two "$" in it as maths)."""
    from coursekit.display.charts import NO_MATH

    return f'<p class="{NO_MATH}"><em>{html.escape(note)}</em> {html.escape(text)}</p>{extra_html}'



class StaticViews:
    """Mixin: put it before the ipywidgets base class; subclasses define static_html/static_text."""

    def static_html(self) -> str:
        raise NotImplementedError

    def static_text(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from coursekit.display import a11y

        a11y.attach(self)  # group names, live feedback, a focus ring (coursekit/display/a11y.py)
        found = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        data = dict(found[0] if isinstance(found, tuple) else found)
        data["text/html"] = self.static_html()
        data["text/plain"] = self.static_text()
        return data


class WithStatic:
    """A widget displayed with fixed static views: `display(WithStatic(box, html=..., text=...))`."""

    def __init__(self, widget: Any, *, html: str, text: str):
        self.widget = widget
        self.html = html
        self.text = text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from coursekit.display import a11y

        if hasattr(self.widget, "children"):
            a11y.attach(self.widget)  # names for its controls, live readouts, a focus ring
        return bundle(self.widget, self.html, self.text, **kwargs)
