"""Slides: one reveal.js deck per lesson, built for a room, with the narrative in speaker notes.

    python -m coursekit slides [--out slides/] [--lesson NN ...] [--cdn]

`lessons/NN_slug.ipynb` (the built, executed lesson) becomes `slides/NN_slug.html`: one
self-contained HTML file (reveal.js and its speaker-notes plugin vendored in
coursekit/vendor/reveal, MIT; styles and chart images inlined), so a deck opens offline from any
folder, a USB stick or an LMS. `--cdn` links reveal.js from a CDN instead.

What goes on each slide is decided in coursekit.teacher.deck (`deck_slides`); the page itself
(styles, reveal.js) in coursekit.teacher.slidetheme. The lessons are those of course.toml.
No code is shown. Sizes are budgets in characters; tests/browser/test_slides_audit.py opens every
slide of every deck at 1280 x 720 and fails on overflow, text under 20 px, an empty slide or TeX.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from coursekit.model import course
from coursekit.model.paths import LESSONS, ROOT
from coursekit.model.problems import relpath
from coursekit.teacher import mdrender
from coursekit.teacher.deck import Slide, count_slides, deck_slides
from coursekit.teacher.slidetheme import page

__all__ = ["Slide", "build", "count_slides", "deck_slides", "main", "render_deck", "slide_metadata"]

VENDOR = Path(__file__).resolve().parents[1] / "vendor" / "reveal"
REVEAL_VERSION = "6.0.2"
CDN_PREFIX = f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/dist"
WIDTH, HEIGHT = 1280, 720


# ----------------------------------------------------------------------------- notebook metadata
# The build stores reveal.js slide types in the lesson notebooks (`slide_metadata`), so JupyterLab's
# and nbconvert's own slideshow views split a lesson sensibly too. The decks below do not use it.

_HEADING = re.compile(r"^(#{1,6})\s+\S")
_DISCUSSION_LINE = re.compile(r"^\*\*Discussion\b")


def default_slide_type(cell) -> str:
    """`#`/`##` heading: slide; `###` heading, discussion prompt, chart: subslide; other
    Markdown: continues; other code: skip."""
    if cell.get("cell_type") == "markdown":
        first = next((line for line in cell.get("source", "").splitlines() if line.strip()), "")
        heading = _HEADING.match(first)
        if heading:
            return "slide" if len(heading.group(1)) <= 2 else "subslide"
        return "subslide" if _DISCUSSION_LINE.match(first) else "-"
    if cell.get("cell_type") == "code" and any(
            m in o.get("data", {}) for o in cell.get("outputs", [])
            for m in ("image/png", "image/jpeg", "image/svg+xml")):
        return "subslide"
    return "skip"


def slide_metadata(nb):
    """Set `metadata.slideshow.slide_type` on every cell that lacks it; returns `nb`.
    Optional depth ("Going further" sections, cells tagged `optional`) is skipped."""
    from coursekit.tools import depth

    for cell, optional in zip(nb.cells, depth.cell_flags(nb.cells)):
        if not cell.metadata.get("slideshow", {}).get("slide_type"):
            cell.metadata["slideshow"] = {"slide_type": "skip" if optional
                                          else default_slide_type(cell)}
    return nb


# ----------------------------------------------------------------------------- rendering

def render_deck(nb, *, title: str, lesson: str, cdn: bool = False) -> str:
    slides = deck_slides(nb, lesson)
    if not slides:
        raise ValueError(f"{title}: nothing to put on slides")
    return page(slides, title=title, cdn=CDN_PREFIX if cdn else "", vendor=VENDOR,
                width=WIDTH, height=HEIGHT)


def lesson_notebooks(only: list[str] | None = None) -> list[Path]:
    """The built notebooks of the lessons in course.toml (those given by id in `only`)."""
    wanted = {o[:2] for o in only} if only else None
    return [LESSONS / f"{entry.slug}.ipynb" for entry in course.lessons()
            if (wanted is None or entry.id in wanted) and (LESSONS / f"{entry.slug}.ipynb").exists()]


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return mdrender.text_of(mdrender.to_html(line[2:].strip()))
    return fallback


def build(out: Path, only: list[str] | None = None, *, cdn: bool = False, stream=sys.stdout) -> list[Path]:
    """Write one deck per built lesson into `out`; returns the decks written."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lesson_notebooks(only):
        nb = nbformat.read(path, as_version=4)
        html_text = render_deck(nb, title=f"{_title(nb, path.stem)} (slides)",
                                lesson=path.name[:2], cdn=cdn)
        target = out / f"{path.stem}.html"
        target.write_text(html_text, encoding="utf-8")
        columns, total = count_slides(deck_slides(nb, path.name[:2]))
        print(f"{relpath(target)}: {total} slides in {columns} sections, "
              f"{target.stat().st_size / 1024:,.0f} KB", file=stream)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit slides",
        description="Make a reveal.js deck (one idea per slide, narrative in the speaker notes) "
                    "from each built lesson.")
    parser.add_argument("--out", type=Path, default=ROOT / "slides",
                        help="folder for the decks (default: slides/)")
    parser.add_argument("--lesson", action="append", metavar="NN",
                        help="only this lesson, e.g. 02 (repeat for more)")
    parser.add_argument("--cdn", action="store_true",
                        help="link reveal.js from a CDN instead of inlining it (decks then need internet)")
    args = parser.parse_args(argv)
    if args.lesson:
        bad = [x for x in args.lesson if not re.fullmatch(r"\d\d(_\w+)?", x)]
        if bad:
            parser.error(f"--lesson takes a two-digit lesson id such as 02, not {bad[0]!r}")
        unknown = [x for x in args.lesson if x[:2] not in course.lesson_ids()]
        if unknown:
            parser.error(f"there is no lesson {unknown[0][:2]} in course.toml "
                         f"(lessons: {', '.join(course.lesson_ids())})")
    notebooks = lesson_notebooks(args.lesson)
    built = {p.stem for p in lesson_notebooks()}
    missing = [e.slug for e in course.lessons() if e.slug not in built
               and (not args.lesson or e.id in {x[:2] for x in args.lesson})]
    for slug in missing:
        print(f"lesson {slug} has no built notebook yet; run: python -m coursekit build --only {slug[:3]}")
    if not notebooks:
        print("no built lesson matches; nothing to do")
        return 1
    build(args.out, args.lesson, cdn=args.cdn)
    if args.cdn:
        print("These decks load reveal.js from cdn.jsdelivr.net: they need internet to work.")
    else:
        print("Each deck is one self-contained file and works offline. Press S for the speaker "
              "notes (the narrative, chart descriptions and quiz answers).")
    return 0
