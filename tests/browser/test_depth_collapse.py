"""Optional depth opens collapsed in real JupyterLab (coursekit/tools/depth.py).

A notebook shaped as the build shapes it (one Markdown cell holding a "Going further" section
between two ordinary ones, a reference cell with a long output) goes through the build's own
normalise(), is opened in JupyterLab 4, and must show: the "Going further" heading collapsed with
its cells hidden and a button that says so; the next section visible; the reference output
hidden behind its collapser, and shown again by a click. A built lesson's further-reading list
must open collapsed too.
"""
from __future__ import annotations

import json

import nbformat

from coursekit.tools import build

from . import labkit

MARKDOWN = """## Before

Core prose, always shown.

### Going further: a compounding check

OPTIONAL-PROSE-MARKER, hidden until the learner opens the section.
"""


def _fixture_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(MARKDOWN),
        nbformat.v4.new_code_cell("print('OPTIONAL-OUTPUT-MARKER')", execution_count=1, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="OPTIONAL-OUTPUT-MARKER\n")]),
        nbformat.v4.new_markdown_cell("## After\n\nNEXT-SECTION-MARKER, shown."),
        nbformat.v4.new_code_cell("print(ledger)", execution_count=2,
                                  metadata={"tags": ["reference"]}, outputs=[
            nbformat.v4.new_output("stream", name="stdout",
                                   text="".join(f"REFERENCE-MARKER row {i}\n" for i in range(40)))]),
        nbformat.v4.new_markdown_cell("CORE-TAIL-MARKER after the reference output."),
    ]
    assert build.normalise(nb, "fixture") == []
    return nb


def _visible(page, text: str) -> bool:
    """Whether rendered Markdown or an output showing `text` is visible (a Markdown cell's
    hidden editor holds its source text too, so only rendered views count)."""
    found = page.locator(".jp-RenderedMarkdown, .jp-OutputArea-output", has_text=text)
    return any(found.nth(i).is_visible() for i in range(found.count()))


def test_going_further_and_reference_outputs_open_collapsed(page, lab):
    nb = _fixture_notebook()
    # The shape the build stores: the heading opens its own cell and carries JupyterLab's flag.
    heading = next(c for c in nb.cells if c.source.startswith("### Going further"))
    assert heading.metadata["jp-MarkdownHeadingCollapsed"] is True
    reference = next(c for c in nb.cells if "reference" in c.metadata.get("tags", []))
    assert reference.metadata["jupyter"] == {"outputs_hidden": True}
    target = lab.root / "lessons" / "zz_depth_fixture.ipynb"
    target.write_text(nbformat.writes(nb), encoding="utf-8")
    try:
        labkit.open_notebook(page, lab, "lessons/zz_depth_fixture.ipynb")
        page.wait_for_selector(".jp-MarkdownCell.jp-MarkdownHeadingCollapsed", timeout=30000)
        labkit.screenshot(page, "depth-collapsed")
        assert _visible(page, "Core prose, always shown")
        assert _visible(page, "NEXT-SECTION-MARKER")
        assert _visible(page, "CORE-TAIL-MARKER")
        assert not _visible(page, "OPTIONAL-PROSE-MARKER")
        assert not _visible(page, "OPTIONAL-OUTPUT-MARKER")
        # A collapsed output keeps a one-line preview ("row 0 ..."); the rest stays hidden.
        assert not _visible(page, "REFERENCE-MARKER row 1")
        # The collapsed heading says how much it hides, and opens on request.
        button = page.locator(".jp-showHiddenCellsButton").first
        assert button.is_visible() and "hidden" in button.inner_text().lower()
        button.click()
        page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                               ".some(e => e.offsetParent && e.textContent.includes("
                               "'OPTIONAL-OUTPUT-MARKER'))", timeout=10000)
        assert _visible(page, "OPTIONAL-PROSE-MARKER")
        # The reference output: hidden behind its collapser until clicked.
        cell = page.locator(".jp-CodeCell", has_text="print(ledger)").first
        cell.locator(".jp-Cell-outputCollapser").first.click()
        page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                               ".some(e => e.offsetParent && e.textContent.includes("
                               "'REFERENCE-MARKER row 1'))", timeout=10000)
    finally:
        target.unlink(missing_ok=True)


def test_further_reading_opens_collapsed_in_a_built_lesson(page, lab):
    relpath = "lessons/07_synthesis.ipynb"
    stored = json.loads((lab.root / relpath).read_text(encoding="utf-8"))
    cells = [c for c in stored["cells"] if c["cell_type"] == "code" and any(
        "ck-bibliography" in "".join(o.get("data", {}).get("text/html", ""))
        for o in c.get("outputs", []))]
    assert cells and all(c["metadata"].get("jupyter") == {"outputs_hidden": True} for c in cells)
    labkit.open_notebook(page, lab, relpath)
    # JupyterLab draws only the cells in view: scroll to the end, where further reading is.
    cell = page.locator(".jp-CodeCell", has_text="content.further_reading(").first
    for _ in range(40):
        if cell.count() and cell.is_visible():
            break
        page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer')"
                      ".forEach(e => e.scrollTop = e.scrollHeight)")
        page.wait_for_timeout(250)
    cell.scroll_into_view_if_needed()
    # Collapsed: a one-line placeholder stands where the list would be.
    placeholder = cell.locator(".jp-OutputPlaceholder")
    assert placeholder.is_visible()
    assert cell.locator(".ck-bibliography").count() == 0
    labkit.screenshot(page, "depth-further-reading-collapsed")
    placeholder.click()
    cell.locator(".ck-bibliography li").first.wait_for(state="visible", timeout=10000)
