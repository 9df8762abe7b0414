"""Open a reveal.js deck in Chromium at 1280x720 and list, slide by slide, what a class would see
wrong: overflow, text under 20 px on screen, an empty slide, raw TeX delimiters.

Used by tests/browser/test_slides_audit.py; it is plain Playwright, so it also measures any deck
from the command line (see the test module's docstring).

How each problem is measured (ENVIRONMENT-NOTES: `Reveal.getScale()` times the computed font size
gives the size on screen; a slide overflows when its `scrollHeight` exceeds the configured height):
- overflow: the slide's scrollHeight/scrollWidth exceed the deck's configured size, or a visible
  element's box reaches more than 2 px beyond the slide's box on screen;
- small text: a visible text node whose element's computed font size x scale is under 20 px;
- empty: a slide with no image and no visible text beyond its heading;
- raw TeX: `$...$` holding `\\`, `^` or `_`, `\\(`, `\\[`, `\\frac` and the like in the visible text.
"""
from __future__ import annotations

import re
from pathlib import Path

VIEWPORT = {"width": 1280, "height": 720}
MIN_PX = 20.0
TEX = re.compile(r"\$[^$\n]*[\\^_{}][^$\n]*\$|\\\(|\\\)|\\\[|\\\]|\\(?:frac|times|cdot|text|sum|sqrt|left|right|approx)\b")

_MEASURE = """() => {
  const scale = Reveal.getScale();
  const cfg = Reveal.getConfig();
  const slide = Reveal.getCurrentSlide();
  const box = slide.getBoundingClientRect();
  const out = {scale, title: '', text: '', images: 0, small: [], outside: [],
               scrollH: slide.scrollHeight, scrollW: slide.scrollWidth,
               height: cfg.height, width: cfg.width};
  const visible = (el) => {
    for (let e = el; e && e !== slide.parentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const heading = slide.querySelector('h1, h2, h3');
  out.title = heading ? heading.innerText.trim() : '';
  out.text = slide.innerText.trim();
  out.images = [...slide.querySelectorAll('img, svg')].filter(visible).length;
  out.kind = slide.className;
  // The picture as drawn (object-fit: contain letterboxes it inside the element's box).
  out.img = [...slide.querySelectorAll('img')].filter(visible).map(i => {
    const r = i.getBoundingClientRect();
    const k = Math.min(r.width / i.naturalWidth, r.height / i.naturalHeight);
    return [i.naturalWidth * k / scale, i.naturalHeight * k / scale];
  }).sort((a, b) => b[0] * b[1] - a[0] * a[1])[0] || null;
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || !visible(n.parentElement)) continue;
    const px = parseFloat(getComputedStyle(n.parentElement).fontSize) * scale;
    if (px < %(min)s) out.small.push([n.textContent.trim().slice(0, 40), Math.round(px * 10) / 10]);
  }
  for (const el of slide.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.bottom > box.bottom + 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.left < box.left - 2)
      out.outside.push(el.tagName.toLowerCase() + ': ' + (el.innerText || el.alt || '').trim().slice(0, 40));
  }
  return out;
}""".replace("%(min)s", str(MIN_PX))


def slide_indices(page) -> list[tuple[int, int]]:
    return page.evaluate("""() => Reveal.getHorizontalSlides().flatMap((h, i) => {
        const v = h.querySelectorAll(':scope > section');
        return v.length ? [...v].map((_, j) => [i, j]) : [[i, 0]];
    })""")


def audit_deck(browser, deck: Path, shots: Path | None = None, shot_every: int = 0) -> list[dict]:
    """One record per slide: index, title, problems (strings, empty when the slide is fine).

    With `shots`, a PNG of each slide whose index is a multiple of `shot_every` (0: the first
    three and every slide with a problem) is written there."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    records = []
    try:
        page.goto(deck.as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15000)
        for n, (h, v) in enumerate(slide_indices(page)):
            page.evaluate(f"() => Reveal.slide({h}, {v})")
            page.wait_for_timeout(30)
            m = page.evaluate(_MEASURE)
            problems = []
            if m["scrollH"] > m["height"] + 1 or m["scrollW"] > m["width"] + 1 or m["outside"]:
                problems.append(f"overflow: content {m['scrollW']}x{m['scrollH']} in a "
                                f"{m['width']}x{m['height']} slide; outside: {m['outside'][:3]}")
            if m["small"]:
                problems.append(f"small text: {len(m['small'])} text run(s) under {MIN_PX:.0f} px, "
                                f"e.g. {m['small'][:2]}")
            body = m["text"].replace(m["title"], "", 1).strip() if m["title"] else m["text"]
            if not body and not m["images"]:
                problems.append("empty: nothing on the slide but its heading"
                                if m["title"] else "empty: no text and no image")
            tex = TEX.findall(m["text"])
            if tex:
                problems.append(f"raw TeX: {tex[:3]}")
            record = {"index": (h, v), "n": n, "title": m["title"] or m["text"][:60],
                      "problems": problems, "scale": m["scale"], "kind": m["kind"], "img": m["img"]}
            records.append(record)
            if shots is not None and ((shot_every and n % shot_every == 0)
                                      or (not shot_every and (n < 3 or problems))):
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{deck.stem}-{n + 1:02d}.png"))
    finally:
        context.close()
    return records
