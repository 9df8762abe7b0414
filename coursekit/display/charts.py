"""The course's chart style, and `show()`, which publishes a chart with everything it owes a reader.

Every chart carries a text alternative that states its takeaway, a source line, and its data as a
table. `show()` emits two outputs, a shape chosen for the three places a chart is read:
1. `image/png` (+ `text/plain` with the alt text, + `alt` in the output metadata). GitHub shows
   plain PNG outputs; it is reported to drop data-URI images inside HTML outputs, so the picture
   must not live only inside HTML.
2. `text/html`: the description (the same alt text, visible), the source line, and the data table
   in `<details>`. JupyterLab 4.6 ignores alt metadata on PNG outputs, so this block is what puts the
   description into the page for screen readers and sighted readers alike.
PNG only, never SVG: SVG carries random ids that break nbval and byte-identical builds.

Every theme and paper: a chart is an explicit light card. Its PNG is opaque white with a margin
(`CARD_PAD`), drawn in dark ink, and its output says `needs_background: light`; so it reads the
same in JupyterLab Light and Dark, on GitHub in either mode, in nbconvert HTML and on paper. One
approach for every chart, chosen over theme-aware charts (two renderings, or CSS filters that would
shift the colour-blind-safe palette) because a stored PNG cannot know the theme it is shown in.
In greyscale the series still differ: by marker and line style (the cycle below), by hatching
(`HATCHES`) for bars, and by direct labels.

Text alternative in the page: JupyterLab ignores the alt metadata of PNG outputs and nbconvert
writes a placeholder alt, so the caption carries a small script (`a11y.CHART_SCRIPT`) that copies
the description onto the image where scripts run (a trusted output in JupyterLab, nbconvert HTML).
"""
from __future__ import annotations

import base64
import html
import io
from typing import Any, Iterable, Sequence

from coursekit.display.a11y import CHART_SCRIPT

# Okabe–Ito without its yellow, orange and sky blue, which fail 3:1 contrast on white (WCAG 1.4.11).
BACKGROUND = "#FFFFFF"
#: Ink for all chart text (titles, labels, ticks, legends): 17:1 against BACKGROUND.
TEXT = "#1A1A1A"
#: Margin around the drawing inside the card, in inches (so no text touches the card's edge).
CARD_PAD = 0.15
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#595959",
}
SERIES_COLOURS = [PALETTE[k] for k in ("blue", "vermillion", "green", "purple", "black")]
# Series also differ by marker and line style, so meaning never rests on colour alone.
MARKERS = ["o", "s", "^", "D", "v"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1))]
HATCHES = ["", "//", "..", "xx", "\\\\"]
#: Classes on every HTML output of ours: JupyterLab (MathJax 3) and nbconvert (MathJax 2) would
#: otherwise typeset the text between two dollar signs, "$150bn ... $13tn", as maths.
NO_MATH = "mathjax_ignore tex2jax_ignore"

_STYLE = {
    "figure.figsize": (7.0, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": TEXT,
    "text.color": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.titlecolor": TEXT,
    "legend.labelcolor": TEXT,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#D9D9D9",
    "grid.linewidth": 0.6,
    "font.size": 10,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "svg.hashsalt": "coursekit",
}


def style() -> None:
    """Apply the house style to matplotlib (idempotent)."""
    import matplotlib
    from cycler import cycler

    matplotlib.rcParams.update(_STYLE)
    matplotlib.rcParams["axes.prop_cycle"] = (
        cycler(color=SERIES_COLOURS) + cycler(marker=MARKERS) + cycler(linestyle=LINESTYLES))


def figure(**kwargs: Any):
    """A new (fig, ax) in the house style. Use this instead of plt.subplots in lessons."""
    import matplotlib.pyplot as plt

    style()
    return plt.subplots(**kwargs)


def png_bytes(fig) -> bytes:
    """Render `fig` to PNG deterministically (no software/version stamp)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", pad_inches=CARD_PAD, facecolor=BACKGROUND,
                transparent=False, metadata={"Software": None})
    return buf.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
        return html.escape(text)
    if isinstance(value, (tuple, list)):  # a row's source ids
        return html.escape("; ".join(map(str, value)))
    return html.escape("" if value is None else str(value))


def table_html(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A plain, accessible HTML table (header cells with scope)."""
    if not rows:
        return "<p>No data.</p>"
    cols = list(columns or rows[0].keys())
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def source_line(source_ids: Iterable[str]) -> str:
    """'Source: …' text for the given bibliography ids (falls back to the bare ids)."""
    ids = list(source_ids)
    if not ids:
        return "Source: the learner's own progress record on this computer."
    try:
        from coursekit.model.content import cite
        return cite(*ids)
    except Exception:  # noqa: BLE001 - a citation problem is reported by `coursekit check`
        return "Sources: " + ", ".join(ids)


def show(fig, *, alt: str, source_ids: Sequence[str], data: Sequence[dict[str, Any]] | None = None,
         columns: Sequence[str] | None = None, as_of: str | None = None,
         display_id: str | None = None, update: bool = False,
         source_text: str | None = None) -> None:
    """Publish `fig` with its alt text, source line and data table, then close it.

    `alt` must state the chart's takeaway with its key figure ("Trade grew from $147bn in 2021 to
    $245bn in 2024"), not describe its shape. `display_id`/`update` let an exploration redraw a
    chart in place through a display handle (never inside an Output widget, which GitHub drops).
    `source_text` replaces the source line for charts computed from the course's own files
    (the claim ledger, the bibliography), where listing every source id would not help.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    if not alt or not alt.strip():
        raise ValueError("show() needs alt text that states the chart's takeaway")
    png = base64.b64encode(png_bytes(fig)).decode("ascii")
    plt.close(fig)
    src = source_text if source_text else source_line(source_ids)
    if as_of:
        src += f" Data as of {as_of}."
    image = {"image/png": png, "text/plain": f"[Chart] {alt}"}
    meta: dict[str, Any] = {"image/png": {"alt": alt}, "needs_background": "light"}
    parts = [f'<div class="ck-chart-note {NO_MATH}"><p><strong>Chart description:</strong> '
             f'<span class="ck-alt">{html.escape(alt)}</span></p>',
             f'<p class="ck-source">{html.escape(src)}</p>']
    if data:
        parts.append(f"<details><summary>Data table ({len(data)} rows)</summary>"
                     f"{table_html(data, columns)}</details>")
    parts.append("</div>")
    parts.append(CHART_SCRIPT)  # outside the caption, so the caption's text stays the caption
    note = {"text/html": "".join(parts), "text/plain": f"{src}"}
    if display_id:
        from IPython.display import update_display

        for suffix, bundle, md in (("img", image, meta), ("note", note, {})):
            if update:
                update_display(bundle, raw=True, display_id=f"{display_id}-{suffix}", metadata=md)
            else:
                display(bundle, raw=True, display_id=f"{display_id}-{suffix}", metadata=md)
        return
    display(image, raw=True, metadata=meta)
    display(note, raw=True)




def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour like '#0072B2'."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 to 21): the palette's tests measure it."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def bubble_grid(ax, counts: dict[tuple[str, str], int], rows: Sequence[str], cols: Sequence[str], *,
                title: str, xlabel: str) -> None:
    """Counts of two categories as a grid of bubbles on `ax`: `rows` top to bottom, `cols` left to
    right; the number in each bubble carries the count (a dash for none), its area only echoes it."""
    from matplotlib.colors import to_rgba

    fill = to_rgba(PALETTE["blue"], 0.3)  # light fill; the black outline and the number carry it
    biggest = max(counts.values(), default=1)
    for yi, row in enumerate(rows[::-1]):
        for xi, col in enumerate(cols):
            n = counts.get((row, col), 0)
            if n:
                ax.scatter([xi], [yi], s=160 + 900 * n / biggest, facecolor=fill,
                           edgecolor=PALETTE["black"], linewidth=1, zorder=2)
            ax.annotate(str(n) if n else "\u2013", (xi, yi), ha="center", va="center", fontsize=9, zorder=3)
    ax.set_xticks(range(len(cols)), list(cols))
    ax.set_yticks(range(len(rows)), list(rows)[::-1], fontsize=9)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=11)
    ax.grid(False)
