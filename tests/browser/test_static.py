"""Static renderings of the stored lessons, standing in for GitHub and nbviewer (issue 15).

Neither site can be reached from here, so each stored lesson is converted to HTML in-process with
nbconvert's HTMLExporter (the "lab" template, as nbviewer uses) and opened in Chromium offline
(every http(s) request is refused, as on a machine without network: the CDN scripts for MathJax
and require.js never load). What a reader must see there without a kernel: every question of the
stored quiz text, every chart with its "Chart description:" caption, and no error string.

The HTML files are kept in test-artifacts/static/ (git ignores the folder) for a look by eye.
"""
from __future__ import annotations

import json
import re

import pytest

from . import labkit
from .course_driver import ERROR_MARKERS, Stored, discover, squash

LESSONS = discover("lessons")
OUT = labkit.ARTIFACTS / "static"


@pytest.fixture(scope="module")
def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab")


@pytest.fixture(scope="module")
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^https?://"), lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("relpath", LESSONS, ids=[p.removesuffix(".ipynb") for p in LESSONS])
def test_stored_lesson_reads_well_as_static_html(exporter, offline_page, relpath):
    import nbformat

    stored = Stored(relpath)
    nb = nbformat.read(labkit.ROOT / relpath, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stored.stem}})
    for marker in ERROR_MARKERS:
        assert marker not in body, f"{relpath}: the static HTML contains {marker!r}"
    OUT.mkdir(parents=True, exist_ok=True)
    html_file = OUT / f"{stored.stem}.html"
    html_file.write_text(body, encoding="utf-8")

    page = offline_page
    page.goto(html_file.as_uri(), wait_until="load")
    shown = page.inner_text("body")
    for marker in ERROR_MARKERS:
        assert marker not in shown, f"{relpath}: the page shows {marker!r}"

    # The quiz: each stored block, and each question inside it, visible with the stored text.
    blocks = page.locator(".cq-static:not(.cq-static .cq-static)")
    assert blocks.count() == len(stored.quiz_texts), (blocks.count(), len(stored.quiz_texts))
    for i, want in enumerate(stored.quiz_texts):
        block = blocks.nth(i)
        assert block.is_visible(), f"{relpath}: static quiz block {i} is not visible"
        assert squash(block.text_content()) == squash(want), f"{relpath}: quiz block {i} text differs"
    questions = page.locator(".cq-static .cq-static")
    if stored.has_quiz:
        assert questions.count() > 0, f"{relpath}: no question in the static quiz"
    for i in range(questions.count()):
        heading = questions.nth(i).locator("strong").first
        assert heading.is_visible() and heading.inner_text().startswith("Question"), \
            f"{relpath}: question {i} has no visible heading"

    # Charts: every picture shown, every alt text visible in a caption block.
    images = page.locator(".jp-OutputArea-output img")
    assert images.count() == len(stored.chart_alts), (images.count(), len(stored.chart_alts))
    loaded = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, f"{relpath}: a chart image did not load"
    captions = page.locator(".ck-chart-note")
    texts = [squash(t) for t in captions.all_text_contents()]
    for alt in stored.chart_alts:
        hits = [i for i, t in enumerate(texts) if squash(alt) in t]
        assert hits, f"{relpath}: no caption carries the alt text {alt[:80]!r}"
        assert captions.nth(hits[0]).is_visible(), f"{relpath}: caption for {alt[:60]!r} hidden"
        assert texts[hits[0]].startswith(squash("Chart description:"))

    # Findings: does nbconvert put the alt text on the <img> itself?
    alts = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                         ".map(i => i.getAttribute('alt'))")
    findings = labkit.ARTIFACTS / "static-findings.json"
    data = json.loads(findings.read_text()) if findings.exists() else {}
    data[relpath] = {"images": len(alts), "with_alt": sum(a is not None for a in alts),
                     "alt_is_the_chart_alt": sum(squash(a or "") == squash(b)
                                                 for a, b in zip(alts, stored.chart_alts)),
                     "alt_values": sorted({a for a in alts if a is not None})[:3]}
    findings.write_text(json.dumps(data, indent=1, sort_keys=True))
