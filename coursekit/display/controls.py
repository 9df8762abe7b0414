"""Compound controls: several widgets that act as one, so an exploration sees a single `value`.

Four lessons need one: two sliders read as a pair (05), a row of toggle buttons per item (03),
a preset menu that loads a set of sliders (06), and a pair of rating sliders per item (06). The
shared idea is written once in `Compound`: the children's values are gathered into `value` when
a child moves, and setting `value` moves the children, without the two loops feeding each other.

Import this module only inside functions that draw (it imports ipywidgets).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import ipywidgets as widgets
import traitlets


class Compound(widgets.VBox):
    """A box of widgets with one `value`: subclasses define `gather()` (children -> value) and
    `spread(value)` (value -> children), and call `watch(child)` for each child that moves."""

    value = traitlets.Any()

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._syncing = False

    def gather(self) -> Any:
        raise NotImplementedError

    def spread(self, value: Any) -> None:
        raise NotImplementedError

    def watch(self, child: Any) -> None:
        child.observe(self._child_moved, names="value")

    def _child_moved(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self.value = self.gather()

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self.gather():
            return
        self._syncing = True
        try:
            self.spread(change["new"])
        finally:
            self._syncing = False


class SliderPair(Compound):
    """Two sliders read as one control: `value` is (first.value, second.value)."""

    def __init__(self, first: Any, second: Any):
        super().__init__(children=[first, second])
        self.first, self.second = first, second
        self.value = self.gather()
        self.watch(first)
        self.watch(second)

    def gather(self) -> tuple[Any, Any]:
        return (self.first.value, self.second.value)

    def spread(self, value: Sequence[Any]) -> None:
        self.first.value, self.second.value = value


class ToggleRows(Compound):
    """A row of toggle buttons under each item's label: `value` maps item id -> option (or None)."""

    def __init__(self, items: Sequence[tuple[str, str]], options: Sequence[str], button_width: str = "7.5em"):
        self.toggles: dict[str, Any] = {}
        rows = []
        for key, label_html in items:
            toggle = widgets.ToggleButtons(options=list(options), value=None, description=key,
                                           tooltips=[f"{key} {o}" for o in options],
                                           style={"button_width": button_width})
            self.toggles[key] = toggle
            rows.append(widgets.VBox([widgets.HTML(label_html), toggle], layout={"margin": "0 0 0.6em 0"}))
        super().__init__(children=rows)
        self.value = self.gather()
        for toggle in self.toggles.values():
            self.watch(toggle)

    def gather(self) -> dict[str, Any]:
        return {key: t.value for key, t in self.toggles.items()}

    def spread(self, value: dict[str, Any]) -> None:
        for key, toggle in self.toggles.items():
            toggle.value = value.get(key)


class PresetSliders(Compound):
    """A menu of sourced starting points and one slider a named item: `value` is
    ((name, number), ...). Choosing a preset loads its items; `load(label)` returns them."""

    def __init__(self, presets: Sequence[str], load: Callable[[str], Sequence[tuple[str, float]]],
                 start: str, most: int, **slider: Any):
        super().__init__()
        self.load = load
        self.preset = widgets.Dropdown(options=list(presets), value=start, description="Start from",
                                       layout={"width": "32em"}, style={"description_width": "6em"})
        self.sliders = [widgets.FloatSlider(continuous_update=False, layout={"width": "32em"},
                                            style={"description_width": "10em"}, **slider)
                        for _ in range(most)]
        self._names: list[str] = []
        for s in self.sliders:
            self.watch(s)
        self.preset.observe(lambda change: setattr(self, "value", self._pairs(change["new"])), names="value")
        self.value = self._pairs(start)

    def _pairs(self, label: str) -> tuple[tuple[str, float], ...]:
        return tuple((name, float(v)) for name, v in list(self.load(label))[:len(self.sliders)])

    def gather(self) -> tuple[tuple[str, float], ...]:
        return tuple((name, float(s.value)) for name, s in zip(self._names, self.sliders))

    def spread(self, value: Sequence[tuple[str, float]]) -> None:
        for slider, (name, number) in zip(self.sliders, value):
            slider.description, slider.value = f"{name} (%)", float(number)
        self._names = [name for name, _ in value]
        self.children = [self.preset, *self.sliders[:len(value)]]


class RatingRows(Compound):
    """Under each item's label, one integer slider a scale: `value` is ((item id, rating, ...), ...).
    `footer` widgets (a save button, a status line) go under the rows."""

    def __init__(self, items: Sequence[tuple[str, str, str]], scales: Sequence[str], start: int,
                 low: int = 1, high: int = 5, footer: Sequence[Any] = ()):
        """`items`: (key, label HTML, name); each slider's tooltip, its accessible name, says which
        item it rates ("Likelihood of A. Chinese banks ...")."""
        self.sliders: dict[str, tuple[Any, ...]] = {}
        rows = []
        for key, label_html, name in items:
            self.sliders[key] = tuple(widgets.IntSlider(value=start, min=low, max=high, description=scale,
                                                        tooltip=f"{scale} of {name}", continuous_update=False,
                                                        layout={"width": "22em"})
                                      for scale in scales)
            rows += [widgets.HTML(label_html), widgets.HBox(list(self.sliders[key]))]
        super().__init__(children=[*rows, *footer])
        self.value = self.gather()
        for pair in self.sliders.values():
            for slider in pair:
                self.watch(slider)

    def gather(self) -> tuple[tuple[Any, ...], ...]:
        return tuple((key, *(int(s.value) for s in pair)) for key, pair in self.sliders.items())

    def spread(self, value: Sequence[Sequence[Any]]) -> None:
        for key, *ratings in value:
            for slider, rating in zip(self.sliders[key], ratings):
                slider.value = int(rating)


class TextEditor(widgets.VBox):
    """A text area with a live status line (`status(text)`, e.g. a word count) and a Save button
    that calls `save(text)` and shows what it says: `.textarea`, `.count`, `.save`, `.status`."""

    def __init__(self, status: Callable[[str], str], save: Callable[[str], str], placeholder: str,
                 button: str = "Save", css: str = ""):
        import html

        from coursekit.display.a11y import live

        self.textarea = widgets.Textarea(value="", placeholder=placeholder, rows=14,
                                         layout=widgets.Layout(width="100%"))
        line = lambda text: f'<p role="status" aria-live="polite">{html.escape(status(text))}</p>'  # noqa: E731
        self.count = live(widgets.HTML(line("")))
        self.save, self.status = widgets.Button(description=button), live(widgets.HTML(""))
        self.textarea.observe(lambda change: setattr(self.count, "value", line(change["new"])), names="value")
        saved = lambda: f'<p role="status" class="{css}">{html.escape(save(self.textarea.value))}</p>'  # noqa: E731
        self.save.on_click(lambda _b: setattr(self.status, "value", saved()))
        super().__init__([self.textarea, self.count, self.save, self.status])
