"""One lesson in JupyterLab Dark (issue 24): its charts stay legible, and its content passes axe.

The charts are light cards (coursekit/display/charts.py): opaque white, dark ink, whatever the theme. This
test switches the real JupyterLab to its Dark theme, runs the lesson, and for every chart takes a
screenshot of the image as the page shows it and measures the chart's text against the background
actually behind it (a chart drawn on a transparent background would show its dark ink on the dark
page: about 1.2:1). Then it runs axe over the lesson in the dark theme, so the captions, tables,
quiz and exploration are checked against the dark page too. The theme is a user setting of the
session's server, so it is switched back to Light whatever happens.
"""
from __future__ import annotations

import json

import pytest

from coursekit.display import charts as plots

from . import a11y, labkit

LESSON = "lessons/03_partnership.ipynb"
OUT = labkit.ARTIFACTS / "dark"


def _theme(page, name: str, light: bool) -> None:
    page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", name)
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{str(light).lower()}'",
                           timeout=30000)


@pytest.fixture
def dark_page(page, lab):
    labkit.open_notebook(page, lab, LESSON)
    _theme(page, "JupyterLab Dark", light=False)
    try:
        yield page
    finally:
        _theme(page, "JupyterLab Light", light=True)


def test_charts_and_content_read_well_in_the_dark_theme(dark_page, lab):
    page = dark_page
    labkit.run_all(page, lab)
    labkit.expand_all(page)  # charts in "Going further" sections too
    images = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img")
    count = images.count()
    stored = sum(1 for c in json.loads((labkit.ROOT / LESSON).read_text())["cells"]
                 for o in c.get("outputs", []) if "image/png" in (o.get("data") or {}))
    assert count == stored > 0, (count, stored)
    OUT.mkdir(parents=True, exist_ok=True)
    page_bg = a11y._rgb(page.evaluate("() => getComputedStyle(document.querySelector("
                                      "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook'))"
                                      ".backgroundColor"))
    assert a11y.luminance(page_bg) < 0.1, f"the page is not dark: {page_bg}"
    failures, report = [], {}
    for i in range(count):
        image = images.nth(i)
        image.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=image.element_handle())
        png = image.screenshot(path=str(OUT / f"{i}.png"))
        bands = a11y.chart_text_contrast(png, plots.TEXT)
        report[i] = bands
        for band, got in bands.items():
            if got["text_pixels"] < 20 or got["ratio"] is None:
                failures.append(f"chart {i}, {band}: no text drawn in the chart's ink ({got})")
            elif got["ratio"] < 4.5:
                failures.append(f"chart {i}, {band}: text {got['text']} on {got['background']} "
                                f"is {got['ratio']}:1 (needs 4.5:1)")
    (OUT / "contrast.json").write_text(json.dumps(report, indent=1))
    assert not failures, "\n".join(failures)

    audit = a11y.audit_notebook(page, f"{LESSON} (JupyterLab Dark)")
    blocking = audit.blocking()
    assert not blocking, "in the dark theme:\n  " + "\n  ".join(blocking[:12])
