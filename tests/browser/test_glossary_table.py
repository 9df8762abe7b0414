"""The searchable glossary in real JupyterLab: found by its accessible name, filtered from the
keyboard, with a status line that says how many entries are shown."""
from __future__ import annotations

import re

import nbformat

from coursekit.tools import build, glossary

from . import labkit


def test_the_glossary_filters_as_you_type(page, lab):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(build.KERNELSPEC)  # else JupyterLab asks for a kernel
    nb.cells = [nbformat.v4.new_code_cell(build.SETUP_SOURCE),
                nbformat.v4.new_markdown_cell("## Glossary"),
                nbformat.v4.new_code_cell("from coursekit.tools.glossary_view import glossary_table\n"
                                          "glossary_table()")]
    target = lab.root / "lessons" / "zz_glossary.ipynb"
    target.write_text(nbformat.writes(nb), encoding="utf-8")
    total = len(glossary.load())
    try:
        labkit.open_notebook(page, lab, "lessons/zz_glossary.ipynb")
        labkit.run_all(page, lab)
        box = page.get_by_role("textbox", name="Filter the glossary")
        box.wait_for(state="visible", timeout=30000)
        status = page.locator("[role=status]", has_text="entries")
        assert status.first.inner_text().strip() == f"Showing all {total} entries."
        box.click()
        page.keyboard.type("secondary sanctions", delay=20)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=status]')].some(e => "
            "/Showing 1 of/.test(e.textContent))", timeout=15000)
        rows = page.locator("table.ck-glossary-table tbody tr")
        assert rows.count() == 1
        assert re.search(r"secondary sanctions", rows.first.inner_text(), re.I)
        assert page.locator("table.ck-glossary-table caption").first.inner_text().endswith(
            f"1 of {total} entries")
        for _ in range(len("secondary sanctions")):
            page.keyboard.press("Backspace")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=status]')].some(e => "
            "/Showing all/.test(e.textContent))", timeout=15000)
        labkit.screenshot(page, "glossary-table")
        assert labkit.error_texts(page) == []
    finally:
        target.unlink(missing_ok=True)
