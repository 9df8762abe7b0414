"""Every slide of every deck, opened in Chromium at 1280 x 720, as a class would see it.

Fails on overflow, text under 20 px on screen, a slide with nothing but its heading, and raw TeX
(tests/browser/slide_audit.py says how each is measured). A canary deck with one slide of each
fault proves the audit can fail. Screenshots of three decks go to test-artifacts/slides/.

To measure decks by hand: python -m coursekit slides --out /tmp/decks, then call
`slide_audit.audit_deck(browser, path)` from a Playwright session.
"""
from __future__ import annotations

import pytest

from coursekit.teacher import slides

from coursekit.teacher import slidetheme
from coursekit.teacher.slides import Slide

from ..test_slides import LESSON_IDS
from . import labkit
from .slide_audit import audit_deck

SHOWN = ("00", "03", "07")  # decks whose slides are photographed for a look by eye


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("decks")
    assert slides.main(["--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_every_slide_fits_and_is_legible(browser, decks, stem):
    shots = None
    if stem[:2] in SHOWN:
        shots = labkit.ARTIFACTS / "slides"
        shots.mkdir(parents=True, exist_ok=True)
        for old in shots.glob(f"{stem}-*.png"):
            old.unlink()
    records = audit_deck(browser, decks / f"{stem}.html", shots=shots, shot_every=3)
    assert len(records) >= 10, f"{stem}: only {len(records)} slides"
    bad = [f"slide {r['n'] + 1} ({r['title'][:40]}): {'; '.join(r['problems'])}"
           for r in records if r["problems"]]
    assert not bad, f"{stem}: {len(bad)} of {len(records)} slides fail:\n" + "\n".join(bad[:10])
    assert all(0.9 < r["scale"] <= 1.0 for r in records), "the deck is not laid out for 1280 x 720"
    charts = [r for r in records if "kind-chart" in r["kind"]]
    assert charts, f"{stem}: no chart slide"
    for r in charts:  # full size: the image fills the slide's width or most of its height
        width, height = r["img"]
        assert width >= 0.85 * slides.WIDTH - 80 or height >= 0.8 * slides.HEIGHT, \
            f"{stem} slide {r['n'] + 1}: the chart is only {width:.0f} x {height:.0f} px"
    if shots is not None:
        assert len(list(shots.glob(f"{stem}-*.png"))) >= 3


def test_the_audit_catches_each_fault(browser, tmp_path):
    """A canary deck: one clean slide, then one slide per fault the audit must report."""
    long_list = "<ul>" + "".join(f"<li>Item {i}: a line of text that takes room.</li>" for i in range(30)) + "</ul>"
    deck = [
        Slide("lead", "A clean slide", "<p>One idea.</p>", section=1),
        Slide("list", "Too long", long_list, section=2),
        Slide("lead", "Tiny", '<p style="font-size:12px">Small print nobody can read.</p>', section=3),
        Slide("lead", "Only a heading", "<p></p>", section=4),
        Slide("lead", "Raw maths", "<p>It is $(V_n / V_0)^{1/n} - 1$.</p>", section=5),
    ]
    path = tmp_path / "canary.html"
    path.write_text(slidetheme.page(deck, title="canary", cdn="", vendor=slides.VENDOR,
                                    width=slides.WIDTH, height=slides.HEIGHT), encoding="utf-8")
    records = audit_deck(browser, path)
    found = [[p.split(":")[0] for p in r["problems"]] for r in records]
    assert found == [[], ["overflow"], ["small text"], ["empty"], ["raw TeX"]], found


def test_screenshots_stay_out_of_the_repository():
    assert "test-artifacts/" in (labkit.ROOT / ".gitignore").read_text(encoding="utf-8").split()
