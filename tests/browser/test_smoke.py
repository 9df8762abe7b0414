"""Day-one smoke test: lesson 00 opens in real JupyterLab, runs, and shows no error."""
from __future__ import annotations

from . import labkit


def test_lesson_00_runs_all_without_errors(page, lab):
    labkit.open_notebook(page, lab, "lessons/00_start_here.ipynb")
    assert labkit.error_texts(page) == []  # stored outputs, before running
    labkit.run_all(page, lab)
    labkit.screenshot(page, "smoke-00_start_here")
    assert labkit.error_texts(page) == []
    prompts = page.evaluate(labkit._PROMPTS_JS)
    assert prompts and all(p[1:-2].strip().isdigit() for p in prompts), prompts
