"""The slide decks' page: reveal.js, the speaker-notes plugin and a small theme, in one HTML file.

Type sizes are for a 1280 x 720 slide: body 28 px, tables and long quiz questions 22 px,
source lines 21 px, so that at the scale reveal.js uses on a 1280 x 720 screen nothing falls
under 20 px. Every slide has a fixed height and hides nothing silently: the browser test measures
`scrollHeight` against it.
"""
from __future__ import annotations

import html
from pathlib import Path

THEME = """
:root { --ck-font: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
  "Liberation Sans", sans-serif; --ck-ink: #1a1a1a; --ck-link: #0b5cad; --ck-accent: #0b5cad; }
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; background: #fff; }
.reveal-viewport { background: #fff; }
.reveal { font-family: var(--ck-font); font-size: 28px; color: var(--ck-ink); line-height: 1.3; }
.reveal .slides { text-align: left; }
.reveal .slides > section, .reveal .slides > section > section {
  height: %(height)spx; box-sizing: border-box; padding: 28px 44px; overflow: hidden; }
.reveal .slides > section.stack { padding: 0; }
.reveal h1 { font-size: 52px; line-height: 1.15; margin: 120px 0 36px; }
.reveal h2 { font-size: 38px; line-height: 1.2; margin: 0 0 22px; color: var(--ck-accent); }
.reveal p { margin: 0 0 16px; }
.reveal ul, .reveal ol { margin: 0 0 0 1.1em; padding: 0; }
.reveal li { margin: 0 0 12px; }
.reveal a { color: var(--ck-link); }
.reveal .ck-lead { font-size: 30px; }
.reveal .kind-lead h2 { font-size: 46px; margin-top: 150px; }
.reveal .kind-lead .ck-lead { font-size: 32px; color: #333; }
.reveal .kind-title .ck-lead { font-size: 28px; }
.reveal .ck-small, .reveal figcaption { font-size: 21px; color: #333; }
.reveal blockquote.ck-quote { font-size: 34px; font-style: italic; margin: 40px 0 0;
  border-left: 6px solid #555; padding: 4px 0 4px 28px; }
.reveal blockquote.ck-quote p { margin: 0; }
.reveal .kind-discussion h2 { color: #6a1b9a; }
.reveal .kind-discussion p { font-size: 32px; }
.reveal table.ck-table { border-collapse: collapse; font-size: 22px; width: 100%; }
.reveal table.ck-table th, .reveal table.ck-table td { border-bottom: 1px solid #888;
  padding: 8px 10px; text-align: left; vertical-align: top; }
.reveal table.ck-table th { border-bottom: 3px solid #333; }
.reveal .kind-chart { padding: 12px 20px; }
.reveal figure.ck-figure { margin: 0; height: 100%; display: flex; flex-direction: column;
  align-items: center; justify-content: center; }
.reveal figure.ck-figure img { flex: 1 1 0; min-height: 0; width: 100%; object-fit: contain; }
.reveal figure.ck-figure figcaption { margin-top: 6px; }
.reveal .ck-options { list-style: none; margin-left: 0; }
.reveal .dense { font-size: 22px; }
.reveal .dense h2 { font-size: 30px; margin-bottom: 12px; }
.reveal .dense li { margin-bottom: 6px; }
.reveal .dense .ck-small { font-size: 21px; }
.reveal .ck-math { white-space: nowrap; }
.reveal .ck-math sub, .reveal .ck-math sup { font-size: 0.8em; }
.reveal aside.notes { display: none; }
.reveal .slide-number { font-size: 16px; background-color: rgba(0, 0, 0, 0.75); }  /* white on it: 10:1 (reveal's 0.4: 2.8:1) */
"""


def _section(slide) -> str:
    classes = [f"kind-{slide.kind}"] + (["dense"] if slide.dense else [])
    heading = ""
    if slide.kind == "title":
        heading = f"<h1>{html.escape(slide.title)}</h1>"
    elif slide.title:
        heading = f"<h2>{html.escape(slide.title)}</h2>"
    notes = f'<aside class="notes">{"".join(slide.notes)}</aside>' if slide.notes else ""
    return f'<section class="{" ".join(classes)}">{heading}{slide.body}{notes}</section>'


def page(slides, *, title: str, cdn: str, vendor: Path, width: int, height: int) -> str:
    """The deck's HTML: one column per section, one <section> per slide."""
    columns: list[list] = []
    for slide in slides:
        if not columns or columns[-1][0].section != slide.section:
            columns.append([])
        columns[-1].append(slide)
    parts = []
    for column in columns:
        inner = "".join(_section(s) for s in column)
        parts.append(f"<section>{inner}</section>" if len(column) > 1 else inner)
    if cdn:
        head = f'<link rel="stylesheet" href="{cdn}/reveal.css">'
        scripts = (f'<script src="{cdn}/reveal.js"></script>'
                   f'<script src="{cdn}/plugin/notes.js"></script>')
    else:
        css = (vendor / "reveal.css").read_text(encoding="utf-8")
        head = f"<style>{css}</style>"
        scripts = "".join(f"<script>{(vendor / name).read_text(encoding='utf-8')}</script>"
                          for name in ("reveal.js", "notes.js"))
    theme = THEME.replace("%(height)s", str(height))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{head}
<style>{theme}</style>
</head>
<body>
<div class="reveal"><div class="slides">
{"".join(parts)}
</div></div>
{scripts}
<script>
Reveal.initialize({{ hash: true, controls: true, progress: true, slideNumber: "c/t", center: false,
  transition: "none", width: {width}, height: {height}, margin: 0.02,
  plugins: [RevealNotes] }});
// The print view (?print-pdf) lays every slide out on the page, but reveal.js leaves the later
// slides of a vertical stack marked hidden: readers would skip text that is on the page.
Reveal.on("pdf-ready", () => document.querySelectorAll(".slides section[aria-hidden]").forEach(
  (s) => {{ s.removeAttribute("aria-hidden"); s.removeAttribute("hidden"); }}));
</script>
</body>
</html>
"""
