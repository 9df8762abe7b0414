"""A slide deck opened from a file in real Chromium, with every network request blocked."""
from __future__ import annotations

import json
import re

from coursekit.teacher import slides
from coursekit.model.paths import LESSONS

from ..test_slides import LESSON_IDS, REMOTE, _read


def test_a_deck_runs_offline_in_chromium(browser, tmp_path):
    """reveal.js starts from a file:// URL with every network request blocked."""
    stem = LESSON_IDS[min(2, len(LESSON_IDS) - 1)]
    assert slides.main(["--out", str(tmp_path), "--lesson", stem[:2]]) == 0
    horizontal, total = slides.count_slides(slides.deck_slides(_read(LESSONS / f"{stem}.ipynb"), stem[:2]))
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    try:
        page.goto((tmp_path / f"{stem}.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15000)
        got = page.evaluate("() => [Reveal.getHorizontalSlides().length, Reveal.getTotalSlides()]")
        notes_plugin = page.evaluate("() => Reveal.hasPlugin('notes')")
        page.evaluate("() => Reveal.slide(1, 0)")
        visible = page.evaluate("() => Reveal.getCurrentSlide().getBoundingClientRect().height")
    finally:
        context.close()
    assert got == [horizontal, total]
    assert notes_plugin, "the speaker-notes plugin is not loaded (press S would do nothing)"
    assert visible > 100, "the current slide has no height: the deck's layout is broken"
    assert not errors, errors
    assert not [u for u in requested if REMOTE.match(u)], json.dumps(requested[:5])
