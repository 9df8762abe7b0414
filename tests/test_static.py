"""coursekit.display.static: every widget the course shows carries a static text/html and text/plain."""
from __future__ import annotations

import ipywidgets as widgets

from coursekit.display import static

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_wrapper_keeps_the_live_view_and_adds_static_views():
    box = widgets.VBox([widgets.Button(description="Go")])
    data = static.WithStatic(box, html=static.note_html("3 < 4 & more"), text="3 < 4")._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert data["text/plain"] == "3 < 4"
    assert "3 &lt; 4 &amp; more" in data["text/html"] and static.RUN_TO_USE in data["text/html"]
    from coursekit.display import a11y
    assert any(a11y.MARKER in c._dom_classes for c in box.children)


def test_mixin_renders_from_the_widget_state():
    class Counter(static.StaticViews, widgets.VBox):
        def labels(self):
            return [c for c in self.children if isinstance(c, widgets.Label)]

        def static_html(self):
            return f"<p>{len(self.labels())} items</p>"

        def static_text(self):
            return f"{len(self.labels())} items"

    box = Counter([widgets.Label("a"), widgets.Label("b")])
    data = box._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert (data["text/html"], data["text/plain"]) == ("<p>2 items</p>", "2 items")
    # every such widget also gets the accessibility enhancer, once however often it is shown
    from coursekit.display import a11y
    box._repr_mimebundle_()
    assert sum(a11y.MARKER in c._dom_classes for c in box.children) == 1
