"""The accessibility audit: axe-core run in Chromium over every page the course renders (issue 24).

axe-core (Deque, MPL-2.0) is vendored in tests/browser/vendor/axe-core/ (why, and how to update it:
docs/ACCESSIBILITY.md). `COURSEKIT_AXE_JS` points the audit at another axe.min.js, so a canary run
can try the newest release without editing the repository.

Every finding is split into two groups:
- **ours**: an element inside what the course renders (`OURS`: cell outputs, rendered Markdown,
  the quiz and exploration widgets, tables, the dashboard, slide content, the printable pack);
- **the renderer's**: everything else on the page (JupyterLab's toolbars, tabs and cell prompts,
  nbconvert's template, reveal.js's controls), reported but never counted against the course.

A page passes when the course's part has no `serious` or `critical` violation (`BLOCKING`).
The counts per page go to test-artifacts/a11y/ (one JSON file a page, so parallel workers never
write the same file); `python benchmarks/a11y_report.py` turns them into the table in the docs.

JupyterLab needs two adjustments before axe can see a notebook, both undone afterwards:
- its outermost container (`.jp-ThemedContainer`) is 0 px high with `overflow: hidden`; the
  shell's absolutely positioned panels draw outside it, but axe takes every element in it for
  clipped and skips the colour-contrast rule for all of them (it checked 4 text nodes of a
  lesson's 460 before this);
- only what is inside the notebook's scrolled area is "on screen" for axe, and cells far from it
  are skipped by content-visibility. So cells are made visible, the window is made as tall as the
  notebook, and the notebook is scrolled to its top while axe runs.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import labkit

VENDOR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")
OUT = labkit.ARTIFACTS / "a11y"

#: What the course renders, on each kind of page.
OURS = {
    "lab": ".jp-OutputArea-output, .jp-RenderedMarkdown",
    "static": ".jp-OutputArea-output, .jp-RenderedMarkdown",
    "slides": ".reveal .slides",
    "pack": "html",  # the whole page is the course's
}
#: Inside the course's content but drawn by the renderer: the heading anchors ("¶") that JupyterLab
#: and nbconvert add to every Markdown heading.
RENDERER_PARTS = ".jp-InternalAnchorLink, .anchor-link"


def axe_source() -> str:
    path = Path(os.environ.get("COURSEKIT_AXE_JS") or VENDOR / "axe.min.js")
    return path.read_text(encoding="utf-8")


_AXE: str | None = None


def _inject(page) -> None:
    global _AXE
    if page.evaluate("() => typeof window.axe === 'object' && !!window.axe.run"):
        return
    if _AXE is None:
        _AXE = axe_source()
    page.evaluate(_AXE)


# Runs axe and sorts each node into ours / theirs in the page (elementRef is not serialisable).
_RUN_JS = """async ([ours, theirs, tags, context]) => {
    const root = context ? document.querySelector(context) : document;
    const r = await axe.run(root, {runOnly: {type: 'tag', values: tags}, elementRef: true,
                                   resultTypes: ['violations', 'incomplete']});
    const side = n => !!(n.element && n.element.closest && n.element.closest(ours)
                         && !n.element.closest(theirs));
    const pick = list => list.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({ours: side(n), impact: n.impact || v.impact,
                                  target: n.target.join(' ').slice(0, 300),
                                  html: n.html.slice(0, 300),
                                  summary: (n.failureSummary || '').slice(0, 400)}))}));
    const passed = r.passes.reduce((a, v) => a + v.nodes.filter(side).length, 0);
    return {violations: pick(r.violations), incomplete: pick(r.incomplete), passed,
            version: axe.version, url: r.url};
}"""


@dataclass
class Audit:
    """One page's axe result, split into the course's findings and the renderer's."""

    page: str
    kind: str
    raw: dict[str, Any]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def nodes(self, result: str = "violations", ours: bool = True):
        for v in self.raw[result]:
            for n in v["nodes"]:
                if n["ours"] == ours:
                    yield v, n

    def counts(self, result: str = "violations", ours: bool = True) -> dict[str, int]:
        out = {k: 0 for k in IMPACTS}
        for _, n in self.nodes(result, ours):
            out[n["impact"] or "minor"] = out.get(n["impact"] or "minor", 0) + 1
        return out

    def rules(self, result: str = "violations", ours: bool = True) -> dict[str, int]:
        out: dict[str, int] = {}
        for v, _ in self.nodes(result, ours):
            out[v["id"]] = out.get(v["id"], 0) + 1
        return dict(sorted(out.items()))

    def blocking(self) -> list[str]:
        """The course's serious and critical violations, one line each."""
        return [f"{v['id']} ({n['impact']}): {v['help']} -- {n['target'][:120]} -- {n['html'][:160]}"
                for v, n in self.nodes() if n["impact"] in BLOCKING]

    def summary(self) -> dict[str, Any]:
        return {
            "page": self.page, "kind": self.kind, "axe": self.raw.get("version"),
            "seconds": round(self.seconds, 2),
            "ours": {"violations": self.counts(), "rules": self.rules(),
                     "needs_review": self.counts("incomplete"),
                     "needs_review_rules": self.rules("incomplete"),
                     "passed_nodes": self.raw.get("passed", 0)},
            "renderer": {"violations": self.counts(ours=False), "rules": self.rules(ours=False),
                         "needs_review": self.counts("incomplete", ours=False)},
            "notes": self.notes,
            "blocking": self.blocking(),
        }

    def save(self) -> Path:
        OUT.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.kind}-{self.page}")
        path = OUT / f"{name}.json"
        data = self.summary()
        data["detail"] = self.raw
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        return path


def run(page, *, name: str, kind: str, context: str | None = None) -> Audit:
    """axe over the page as it is now (a static page, a deck, the pack)."""
    started = time.monotonic()
    _inject(page)
    raw = page.evaluate(_RUN_JS, [OURS[kind], RENDERER_PARTS, TAGS, context])
    audit = Audit(name, kind, raw, time.monotonic() - started)
    audit.save()
    return audit


# ------------------------------------------------------------------------------------------------
# A notebook in JupyterLab
# ------------------------------------------------------------------------------------------------
_LAYOUT_CSS = (".jp-ThemedContainer{overflow:visible!important}"
               ".jp-Notebook .jp-Cell{content-visibility:visible!important}")

_OUTER = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"

_PREPARE_JS = f"""async (css) => {{
    const style = document.createElement('style');
    style.id = 'ck-a11y-layout';
    style.textContent = css;
    document.head.appendChild(style);
    // Widget views render asynchronously: let the last ones arrive before measuring.
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const outer = {_OUTER};
    return {{content: outer.scrollHeight, client: outer.clientHeight, window: window.innerHeight}};
}}"""

_TOP_JS = f"""async () => {{
    const outer = {_OUTER};
    outer.scrollTop = 0;
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return {{content: outer.scrollHeight, client: outer.clientHeight}};
}}"""


def audit_notebook(page, name: str) -> Audit:
    """axe over the open notebook in JupyterLab, everything in it on screen at once."""
    started = time.monotonic()
    _inject(page)
    before = page.viewport_size
    sizes = page.evaluate(_PREPARE_JS, _LAYOUT_CSS)
    try:
        chrome = sizes["window"] - sizes["client"]  # JupyterLab's bars around the notebook
        # The notebook leaves one screen of empty space after its last cell ("scroll past end"),
        # so the content proper is about scrollHeight - clientHeight; 10 % spare.
        height = int(chrome + max(sizes["content"] - sizes["client"], sizes["client"]) * 1.1) + 100
        page.set_viewport_size({"width": before["width"], "height": min(height, 60000)})
        after = page.evaluate(_TOP_JS)
        raw = page.evaluate(_RUN_JS, [OURS["lab"], RENDERER_PARTS, TAGS, None])
    finally:
        page.evaluate("() => { const s = document.getElementById('ck-a11y-layout'); if (s) s.remove(); }")
        page.set_viewport_size(before)
    audit = Audit(name, "lab", raw, time.monotonic() - started)
    if after["content"] - after["client"] > after["client"] * 1.2:
        audit.notes.append(f"the notebook did not fit the window ({after}); cells below it were "
                           "checked without colour contrast")
    audit.save()
    return audit


# ------------------------------------------------------------------------------------------------
# Focus, and chart text measured in a screenshot
# ------------------------------------------------------------------------------------------------
_FOCUS_JS = """() => {
    const e = document.activeElement;
    const cs = getComputedStyle(e);
    let bg = null;
    for (let a = e.parentElement; a && !bg; a = a.parentElement) {
        const c = getComputedStyle(a).backgroundColor;
        if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') bg = c;
    }
    return {tag: e.tagName.toLowerCase(), type: e.type || e.getAttribute('role') || '',
            visible: e.matches(':focus-visible'), style: cs.outlineStyle,
            width: parseFloat(cs.outlineWidth) || 0, colour: cs.outlineColor,
            shadow: cs.boxShadow, background: bg || getComputedStyle(document.body).backgroundColor};
}"""


def _rgb(css: str) -> tuple[int, int, int]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]
    return tuple(int(round(n)) for n in nums)  # type: ignore[return-value]


def focus_ring(page) -> dict[str, Any]:
    """The focused element's focus indicator: an outline of at least 2 px, drawn in a colour with
    3:1 contrast against what is behind it (WCAG 2.4.7 and 1.4.11), or a box shadow."""
    info = page.evaluate(_FOCUS_JS)
    ratio = contrast(_rgb(info["colour"]), _rgb(info["background"])) if info["colour"] else 0.0
    info["contrast"] = round(ratio, 2)
    info["ok"] = bool(info["visible"] and ((info["style"] not in ("none", "hidden")
                                            and info["width"] >= 2 and ratio >= 3)
                                           or info["shadow"] not in ("", "none")))
    return info


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance of an (r, g, b) colour, 0-255 channels."""
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
           for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


#: Where a chart's text sits in its picture: the title above, tick labels left and below.
TEXT_BANDS = {"title (top)": (0.0, 0.0, 1.0, 0.12), "y labels (left)": (0.0, 0.1, 0.16, 0.9),
              "x labels (bottom)": (0.1, 0.86, 1.0, 1.0)}


def chart_text_contrast(png: bytes, ink: str) -> dict[str, dict[str, Any]]:
    """For each band of TEXT_BANDS in a chart's screenshot: the actual background (the commonest
    colour in the band), the text as drawn (the pixels within a small distance of the chart's ink
    colour `ink`, '#1A1A1A': the cores of the glyphs, not their anti-aliased edges), how many such
    pixels there are, and the contrast of their mean colour against that background."""
    import io
    from collections import Counter

    from PIL import Image

    want = tuple(int(ink.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    out: dict[str, dict[str, Any]] = {}
    for band, (x0, y0, x1, y1) in TEXT_BANDS.items():
        box = image.crop((int(x0 * width), int(y0 * height), int(x1 * width), int(y1 * height)))
        # Pillow 12 deprecates getdata() for get_flattened_data(); either gives the pixels.
        pixels = list(box.get_flattened_data() if hasattr(box, "get_flattened_data") else box.getdata())
        background = Counter(pixels).most_common(1)[0][0]
        glyphs = [p for p in pixels if max(abs(a - b) for a, b in zip(p, want)) <= 24]
        drawn = (tuple(int(sum(p[i] for p in glyphs) / len(glyphs)) for i in range(3))
                 if glyphs else None)
        out[band] = {"background": background, "text": drawn, "text_pixels": len(glyphs),
                     "ratio": round(contrast(drawn, background), 2) if drawn else None}
    return out
