"""axe-core over the course's static pages: the nbconvert HTML of every lesson and exercise set, and
every slide deck (issue 24). The notebooks in JupyterLab are audited inside test_course.py, after
its Run All, so they pay for no second kernel; see tests/browser/a11y.py for how findings are split
between the course and the renderer (nbconvert's template, reveal.js's controls).

A page fails when the course's part has a serious or critical violation. Every count is written to
test-artifacts/a11y/ (`python benchmarks/a11y_report.py` prints the table kept in the docs).
"""
from __future__ import annotations

import re

import pytest

from . import a11y, labkit
from .course_driver import discover

STATIC = discover("lessons") + discover("exercises")


@pytest.fixture(scope="module")
def offline(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^https?://"), lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab")


def _fail_on(audit: a11y.Audit) -> None:
    blocking = audit.blocking()
    assert not blocking, (f"{audit.page}: {len(blocking)} serious/critical accessibility "
                          f"violations in the course's content:\n  " + "\n  ".join(blocking[:12]))


@pytest.mark.parametrize("relpath", STATIC, ids=[p.removesuffix(".ipynb") for p in STATIC])
def test_static_html_has_no_serious_violations(exporter, offline, relpath):
    """The stored notebook as GitHub-like renderers show it: nbconvert's lab template, offline."""
    import nbformat

    nb = nbformat.read(labkit.ROOT / relpath, as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": relpath}})
    out = labkit.ARTIFACTS / "a11y-static" / relpath.replace("/", "-").replace(".ipynb", ".html")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    offline.goto(out.as_uri(), wait_until="load")
    _fail_on(a11y.run(offline, name=relpath, kind="static"))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    from coursekit.teacher import slides

    out = tmp_path_factory.mktemp("a11y-decks")
    assert slides.main(["--out", str(out)]) == 0
    return sorted(out.glob("*.html"))


def test_every_slide_deck_has_no_serious_violations(decks, offline):
    """Every slide of every deck at once (reveal.js's print layout shows them all), then the first
    slide in the normal view (for reveal.js's own controls, reported as the renderer's)."""
    assert decks, "no decks were made"
    failures = []
    for deck in decks:
        offline.goto(deck.as_uri() + "?print-pdf", wait_until="load")
        # reveal.js lays the print pages out after it is ready: wait for one a slide.
        offline.wait_for_function("() => window.Reveal && Reveal.isReady() && "
                                  "document.querySelectorAll('.pdf-page').length >= "
                                  "Reveal.getTotalSlides()", timeout=15000)
        audit = a11y.run(offline, name=f"{deck.stem} (all slides)", kind="slides")
        failures += audit.blocking()
        offline.goto(deck.as_uri(), wait_until="load")
        offline.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15000)
        audit = a11y.run(offline, name=f"{deck.stem} (first slide)", kind="slides")
        failures += audit.blocking()
    assert not failures, "serious/critical violations on the slides:\n  " + "\n  ".join(failures[:15])


@pytest.fixture(scope="module")
def pack_pages(tmp_path_factory):
    from coursekit.teacher import pack

    out = tmp_path_factory.mktemp("a11y-pack")
    return pack.make_html(out)


def test_printable_pack_has_no_serious_violations(pack_pages, offline):
    """Every page of the printable pack (answer keys, ledger cards, handouts, the index), as a
    teacher opens it before printing; all of it is the course's own HTML."""
    assert len(pack_pages) > 3, pack_pages
    failures = []
    for path in pack_pages:
        offline.goto(path.as_uri(), wait_until="load")
        audit = a11y.run(offline, name=f"pack/{path.name}", kind="pack")
        failures += audit.blocking()
    assert not failures, "serious/critical violations in the pack:\n  " + "\n  ".join(failures[:15])
