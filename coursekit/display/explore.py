"""Interactive explorations that are not quizzes: a control, a computed readout, and a chart.

An exploration draws ordinary outputs and updates them through display handles, never inside an
`Output` widget (GitHub never shows an Output widget's content, and stored outputs must read well
before the kernel runs). The computation is a plain function of the control's value, so a test can
move the control and assert that a value computed from the data changes, without a kernel:

    ex = Exploration(control=widgets.IntSlider(...), compute=share_for_year, render=draw)
    ex.control.value = 2023
    assert ex.result["share"] != before

A lesson with more than one control, or more to show than a chart, subclasses it and overrides
`controls()`, `widgets()`, `static_html()` or `_draw()`.
"""
from __future__ import annotations

import html
from typing import Any, Callable

from coursekit.display.static import RUN_TO_USE, WithStatic, note_html

Render = Callable[[dict[str, Any]], tuple[Any, str, list[dict[str, Any]]] | None]


class Exploration:
    """Wires `control` to `compute(value) -> result dict` and `render(result) -> chart`.

    `readout(result) -> str` gives a one-line text summary (shown in an HTML widget, so it is read
    by screen readers and updates live). `render` returns (fig, alt, data) or None for no chart.
    The chart's source line names `source_ids`, or says `source_text` where the chart is computed
    from the course's own files; `as_of` dates the data.
    """

    note = RUN_TO_USE  # what the static view says about the control

    def __init__(self, control, compute: Callable[[Any], dict[str, Any]],
                 readout: Callable[[dict[str, Any]], str], render: Render | None = None,
                 source_ids: list[str] | None = None, name: str = "exploration", *,
                 source_text: str | None = None, as_of: str | None = None):
        import ipywidgets as widgets

        from coursekit.display.a11y import live

        self.control = control
        self.compute = compute
        self.readout_fn = readout
        self.render = render
        self.source_ids = source_ids or []
        self.source_text = source_text
        self.as_of = as_of
        self.name = name
        self.result: dict[str, Any] = self._compute()
        self.readout = live(widgets.HTML(self._readout_html(), layout={"margin": "0.5em 0"}))
        self._shown = False
        for c in self.controls():
            c.observe(self._changed, names="value")

    # ---------------------------------------------------------------- what subclasses may change
    def controls(self) -> list[Any]:
        """The controls whose values the computation reads (each change recomputes)."""
        return [self.control]

    def widgets(self) -> list[Any]:
        """The live view: the controls and the readout."""
        return [*self.controls(), self.readout]

    def static_html(self) -> str:
        """What GitHub and an unrun notebook show in place of the live controls."""
        return note_html(self.readout_fn(self.result), self.note)

    def _compute(self) -> dict[str, Any]:
        return self.compute(self.control.value)

    # ---------------------------------------------------------------- the machinery
    def _readout_html(self) -> str:
        return f'<p role="status" aria-live="polite">{html.escape(self.readout_fn(self.result))}</p>'

    def _changed(self, _change: dict[str, Any]) -> None:
        self.result = self._compute()
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
        show(fig, alt=alt, source_ids=self.source_ids, data=data, as_of=self.as_of,
             source_text=self.source_text, display_id=self.name, update=update)

    def show(self) -> None:
        """Display the controls, the live readout and the chart (if any)."""
        from IPython.display import display

        import ipywidgets as widgets

        box = widgets.VBox(self.widgets())
        display(WithStatic(box, html=self.static_html(), text=self.readout_fn(self.result)))
        self._draw(update=False)
        self._shown = True
