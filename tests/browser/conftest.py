"""Fixtures for browser tests: one JupyterLab server and one Chromium for the whole run.

Where Chromium or Playwright is missing these tests skip with the reason; under `.ci/run`
(COURSEKIT_STRICT_BROWSER=1) that is a failure instead, so CI cannot go green without them.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from . import labkit

STRICT = os.environ.get("COURSEKIT_STRICT_BROWSER") == "1"


def _unavailable() -> str | None:
    if not labkit.CHROMIUM.exists():
        return f"Debian chromium is not installed at {labkit.CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def lab():
    reason = _unavailable()
    if reason:
        if STRICT:
            pytest.fail(f"browser tests are required here (COURSEKIT_STRICT_BROWSER=1): {reason}")
        pytest.skip(reason)
    server = labkit.start_lab(Path(tempfile.mkdtemp(prefix="coursekit-lab-")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = labkit.launch_browser(p)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    lab.shutdown_sessions()
