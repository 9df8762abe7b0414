"""Interactive explorations that are not quizzes: a control, a computed readout, and a chart.

An exploration draws ordinary outputs and updates them through display handles, never inside an
`Output` widget (GitHub never shows an Output widget's content, and stored outputs must read well
before the kernel runs). The computation is a plain function of the control's value, so a test can
move the control and assert that a value computed from the data changes, without a kernel:

    ex = Exploration(control=widgets.IntSlider(...), compute=share_for_year, render=draw)
    ex.control.value = 2023
    assert ex.result["share"] != before
"""
from __future__ import annotations

import html
from typing import Any, Callable

Render = Callable[[dict[str, Any]], tuple[Any, str, list[dict[str, Any]]] | None]


class Exploration:
    """Wires `control` to `compute(value) -> result dict` and `render(result) -> chart`.

    `readout(result) -> str` gives a one-line text summary (shown in an HTML widget, so it is read
    by screen readers and updates live). `render` returns (fig, alt, data) or None for no chart.
    """

    def __init__(self, control, compute: Callable[[Any], dict[str, Any]],
                 readout: Callable[[dict[str, Any]], str], render: Render | None = None,
                 source_ids: list[str] | None = None, name: str = "exploration"):
        import ipywidgets as widgets

        from coursekit.display.a11y import live

        self.control = control
        self.compute = compute
        self.readout_fn = readout
        self.render = render
        self.source_ids = source_ids or []
        self.name = name
        self.result: dict[str, Any] = compute(control.value)
        self.readout = live(widgets.HTML(self._readout_html(), layout={"margin": "0.5em 0"}))
        self._shown = False
        control.observe(self._changed, names="value")

    def _readout_html(self) -> str:
        return f'<p role="status" aria-live="polite">{html.escape(self.readout_fn(self.result))}</p>'

    def _changed(self, change: dict[str, Any]) -> None:
        self.result = self.compute(change["new"])
        self.readout.value = self._readout_html()
        if self._shown:
            self._draw(update=True)

    def _draw(self, update: bool) -> None:
        if self.render is None:
            return
        drawn = self.render(self.result)
        if drawn is None:
            return
        from coursekit.display.charts import show

        fig, alt, data = drawn
        show(fig, alt=alt, source_ids=self.source_ids, data=data, display_id=self.name,
             update=update)

    def show(self) -> None:
        """Display the control, the live readout and the chart (if any)."""
        from IPython.display import display

        import ipywidgets as widgets

        box = widgets.VBox([self.control, self.readout])
        display(_StaticBox(box, self.readout_fn(self.result)))
        self._draw(update=False)
        self._shown = True


class _StaticBox:
    """A widget box with a static text/html fallback, so stored outputs read well on GitHub."""

    def __init__(self, box, text: str):
        self.box = box
        self.text = text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from coursekit.display.a11y import attach

        attach(self.box)  # names for its controls, a focus ring (coursekit/display/a11y.py)
        bundle = self.box._repr_mimebundle_(**kwargs) or {}
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        from coursekit.display.charts import NO_MATH

        data["text/html"] = (f'<p class="{NO_MATH}"><em>Interactive control: run the notebook to '
                             f"use it.</em> "
                             f'{html.escape(self.text)}</p>')
        data["text/plain"] = self.text
        return data
