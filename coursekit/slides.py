"""Slides: one reveal.js deck per lesson, with the narrative and the charts and no code.

    python -m coursekit slides [--out slides/] [--lesson NN ...] [--cdn]

`lessons/NN_slug.ipynb` (the built, executed lesson) becomes `slides/NN_slug.html`. Each deck is
one self-contained HTML file: reveal.js (vendored in coursekit/vendor/reveal, MIT), the styles and
the chart images are inlined, so a deck opens offline from any folder, a USB stick or an LMS.
`--cdn` links reveal.js from a CDN instead (smaller files, but the decks then need internet).

Where slides begin (`slide_metadata`, which the build may call to store the metadata in the
lesson notebooks; cells that already carry `slideshow` metadata, set by an author, keep it):
- a Markdown cell that starts with a `#` or `##` heading starts a new slide (left to right);
- a `###` heading, a "**Discussion.**" prompt and a chart start a sub-slide (top to bottom);
- other Markdown continues the current slide;
- a code cell whose outputs include an image (a chart) shows its outputs only; every other code
  cell (set-up, quizzes, widgets, tables of further reading) is skipped.
For the deck, a Markdown cell that holds several headings or a discussion prompt is first split at
them (`deck_notebook`), so every `##` section gets its own slide. Code is never shown: code cells
that stay are emptied and the exporter is told to leave out inputs.
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

from .paths import CONTENT, LESSONS, ROOT

VENDOR = Path(__file__).resolve().parent / "vendor" / "reveal"
REVEAL_VERSION = "6.0.2"
CDN_PREFIX = f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/dist"
CHART_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
SHOWN = {"slide", "subslide", "fragment", "-"}

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_DISCUSSION = re.compile(r"^\*\*Discussion\b")


# ----------------------------------------------------------------------------- slide metadata

def is_chart(cell) -> bool:
    """A code cell with at least one image output."""
    return cell.get("cell_type") == "code" and any(
        mime in output.get("data", {}) for output in cell.get("outputs", []) for mime in CHART_MIMES)


def _first_line(source: str) -> str:
    return next((line for line in source.splitlines() if line.strip()), "")


def default_slide_type(cell) -> str:
    """The slide type the rules above give a cell."""
    if cell.get("cell_type") == "markdown":
        first = _first_line(cell.get("source", ""))
        heading = _HEADING.match(first)
        if heading:
            return "slide" if len(heading.group(1)) <= 2 else "subslide"
        return "subslide" if _DISCUSSION.match(first) else "-"
    if cell.get("cell_type") == "code" and is_chart(cell):
        return "subslide"
    return "skip"


def slide_type(cell) -> str:
    """The cell's stored slide type if it has one, else the default."""
    stored = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    return stored or default_slide_type(cell)


def slide_metadata(nb):
    """Set `metadata.slideshow.slide_type` on every cell that lacks it; returns `nb` (changed in place).

    Meant for the build, after a lesson is executed (a code cell's type depends on its outputs).
    """
    for cell in nb.cells:
        if not cell.metadata.get("slideshow", {}).get("slide_type"):
            cell.metadata["slideshow"] = {"slide_type": default_slide_type(cell)}
    return nb


def split_markdown(source: str) -> list[str]:
    """Markdown split before each heading of level 1 to 3 and each "**Discussion" paragraph.

    Lines inside fenced code blocks are never split points. Pieces are stripped of blank edges;
    empty pieces are dropped.
    """
    pieces: list[list[str]] = [[]]
    fence: str | None = None
    previous_blank = True
    for line in source.splitlines():
        opener = _FENCE.match(line)
        if fence is None and opener:
            fence = opener.group(1)[0]
        elif fence is not None and line.strip().startswith(fence * 3):
            fence = None
            pieces[-1].append(line)
            previous_blank = False
            continue
        if fence is None and not opener:
            heading = _HEADING.match(line)
            starts = (heading and len(heading.group(1)) <= 3) or (previous_blank and _DISCUSSION.match(line))
            if starts and any(text.strip() for text in pieces[-1]):
                pieces.append([])
        pieces[-1].append(line)
        previous_blank = not line.strip()
    return [text for text in ("\n".join(p).strip("\n") for p in pieces) if text.strip()]


def deck_notebook(nb):
    """A copy of the lesson fit for slides: Markdown split at headings, skipped cells dropped,
    code emptied, every remaining cell carrying its slide type."""
    import nbformat

    deck = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(deck.cells):
        kind = slide_type(cell)
        if kind not in SHOWN:
            continue
        if cell.cell_type == "markdown":
            for part, text in enumerate(split_markdown(cell.source)):
                piece = nbformat.v4.new_markdown_cell(text)
                piece.id = f"{cell.get('id') or f'cell-{index:03d}'}-{part}"
                piece.metadata["slideshow"] = {
                    "slide_type": kind if part == 0 else default_slide_type(piece)}
                cells.append(piece)
        elif cell.cell_type == "code":
            cell.source = ""
            cell.metadata = {"slideshow": {"slide_type": kind}}
            cell.outputs = [o for o in cell.outputs if o.get("output_type") in
                            ("display_data", "execute_result")]
            cells.append(cell)
    deck.cells = cells
    deck.metadata.pop("widgets", None)
    return deck


def count_slides(deck) -> tuple[int, int]:
    """(slides, sub-slides) of a deck notebook: sub-slides count every vertical slide, the first
    of each slide included, which is the number of inner `<section>` elements in the HTML."""
    kinds = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in deck.cells]
    if kinds:
        kinds[0] = "slide"  # nbconvert makes the first shown cell a slide whatever its type
    slides = sum(k == "slide" for k in kinds)
    return slides, slides + sum(k == "subslide" for k in kinds)


# ----------------------------------------------------------------------------- rendering

_THEME = """
:root { --r-background-color: #fff; --r-main-font: system-ui, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, "Noto Sans", "Liberation Sans", sans-serif; --r-main-font-size: 28px; --r-main-color: #1a1a1a;
  --r-heading-color: #1a1a1a; --r-link-color: #0b5cad; --r-link-color-hover: #073f77; }
html, body, body.jp-Notebook, main { height: 100%; margin: 0; padding: 0; overflow: hidden; }
.reveal a.anchor-link { display: none; }
.reveal-viewport { background: #fff; }
.reveal { font-family: var(--r-main-font); font-size: var(--r-main-font-size); color: var(--r-main-color); }
.reveal a { color: var(--r-link-color); text-decoration: underline; }
.reveal .controls, .reveal .progress { color: var(--r-link-color); }
.reveal .slides { text-align: left; }
/* A slide longer than the screen scrolls instead of being cut off. */
.reveal .slides > section > section { height: 100%; overflow-y: auto; padding: 0 0.5em; box-sizing: border-box; }
.reveal .jp-RenderedHTMLCommon { font-size: 24px; line-height: 1.35; padding-right: 0; }
.reveal .jp-RenderedHTMLCommon h1 { font-size: 1.7em; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 1.35em; }
.reveal .jp-RenderedHTMLCommon h3 { font-size: 1.15em; }
.reveal .jp-RenderedHTMLCommon blockquote { font-style: italic; border-left: 4px solid #555; padding-left: 0.6em; }
.reveal .jp-RenderedImage img { max-height: 560px; width: auto; margin: 0 auto; display: block; }
.reveal .jp-OutputArea-prompt, .reveal .jp-InputPrompt { display: none; }
.reveal .ck-chart-note { font-size: 0.7em; }
.reveal .ck-chart-note details { font-size: 0.9em; }
"""

_TEMPLATE = """\
{%- extends 'reveal/base.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{ resources.deck.title | escape_html_keep_quotes }}</title>
{%- if resources.deck.cdn %}
<link rel="stylesheet" href="{{ resources.deck.cdn }}/reveal.css">
{%- else %}
<style type="text/css">{{ resources.deck.reveal_css }}</style>
{%- endif %}
{{ resources.include_css("static/index.css") }}
{{ resources.include_css("static/theme-light.css") }}
{% for css in resources.inlining.css -%}
<style type="text/css">{{ css }}</style>
{% endfor %}
<style type="text/css">{{ resources.deck.theme_css }}</style>
</head>
{%- endblock header -%}
{#- Charts carry their text alternative (the lesson's alt text, stored as output metadata). -#}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ (output | get_metadata('alt', 'image/png') or '') | escape_html }}">
</div>
{%- endblock data_png -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main>
<div class="reveal">
<div class="slides">
{%- endblock body_header -%}
{%- block body_footer -%}
</div>
</div>
</main>
{%- endblock body_footer -%}
{%- block footer -%}
{%- if resources.deck.cdn %}
<script src="{{ resources.deck.cdn }}/reveal.js"></script>
{%- else %}
<script>{{ resources.deck.reveal_js }}</script>
{%- endif %}
<script>
Reveal.initialize({ hash: true, controls: true, progress: true, slideNumber: "c/t", center: false,
                    transition: "none", width: 1280, height: 800, margin: 0.04 });
</script>
</body>
</html>
{%- endblock footer -%}
"""


def _exporter():
    import jinja2
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(template_file="coursekit_deck.html.j2",
                              extra_loaders=[jinja2.DictLoader({"coursekit_deck.html.j2": _TEMPLATE})])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render_deck(nb, *, title: str, cdn: bool = False, exporter=None) -> str:
    """The deck's HTML for a lesson notebook (executed, with outputs)."""
    deck = deck_notebook(nb)
    if not deck.cells:
        raise ValueError(f"{title}: no Markdown and no charts, so nothing to put on slides")
    exporter = exporter or _exporter()
    extra = {"title": title, "theme_css": _THEME, "cdn": CDN_PREFIX if cdn else ""}
    if not cdn:
        extra["reveal_css"] = (VENDOR / "reveal.css").read_text(encoding="utf-8")
        extra["reveal_js"] = (VENDOR / "reveal.js").read_text(encoding="utf-8")
    html, _ = exporter.from_notebook_node(deck, resources={"deck": extra})
    return html


def lesson_notebooks(only: list[str] | None = None) -> list[Path]:
    notebooks = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
    if only:
        wanted = {o[:2] for o in only}
        notebooks = [p for p in notebooks if p.name[:2] in wanted]
    return notebooks


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def build(out: Path, only: list[str] | None = None, *, cdn: bool = False, stream=sys.stdout) -> list[Path]:
    """Write one deck per built lesson into `out`; returns the decks written."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter()
    written = []
    for path in lesson_notebooks(only):
        nb = nbformat.read(path, as_version=4)
        html = render_deck(nb, title=f"{_title(nb, path.stem)} (slides)", cdn=cdn, exporter=exporter)
        target = out / f"{path.stem}.html"
        target.write_text(html, encoding="utf-8")
        slides, vertical = count_slides(deck_notebook(nb))
        print(f"{_shown(target)}: {slides} slides, {vertical} with sub-slides, "
              f"{target.stat().st_size / 1024:,.0f} KB", file=stream)
        written.append(target)
    return written


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit slides",
        description="Make a reveal.js deck (narrative and charts, no code) from each built lesson.")
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
    notebooks = lesson_notebooks(args.lesson)
    sources = sorted(CONTENT.glob("lessons/[0-9][0-9]_*.md"))
    built = {p.stem for p in lesson_notebooks()}
    missing = [s.stem for s in sources if s.stem not in built
               and (not args.lesson or s.stem[:2] in {x[:2] for x in args.lesson})]
    for stem in missing:
        print(f"lesson {stem} has no built notebook yet; run: python -m coursekit build --only {stem[:3]}")
    if not notebooks:
        print("no built lesson matches; nothing to do")
        return 1
    build(args.out, args.lesson, cdn=args.cdn)
    if args.cdn:
        print("These decks load reveal.js from cdn.jsdelivr.net: they need internet to work.")
    else:
        print("Each deck is one self-contained file and works offline.")
    return 0
