"""Accessibility of what the build stores and of the widgets' wiring, without a browser (issue 24).

The browser half is in tests/browser/ (axe-core in JupyterLab, static HTML, slides; keyboard and
accessibility tree; the dark theme). Here:
- charts are light cards: opaque, white-backed, dark ink, `needs_background: light`, and each
  caption carries the text alternative the page script copies onto the image;
- in greyscale (a printout), the first chart of every lesson keeps its text at 4.5:1 and the house
  style keeps series apart by marker, line style or hatching; the greyscale renders are saved in
  test-artifacts/greyscale/ to be looked at;
- no stored text is typeset as maths by JupyterLab: money in Markdown (`\\$` and a number) sits in
  a span MathJax skips, formulas (`\\$V_0\\$`) stay formulas, and HTML outputs that show a `$`
  carry the classes that tell MathJax to leave them alone;
- links in the course's HTML outputs are underlined, not told apart by colour alone;
- the widget boxes the course displays carry the accessibility enhancer once, and feedback areas
  are marked live.
"""
from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit.display import a11y
from coursekit.display import charts as plots
from coursekit.model.paths import EXERCISES, LESSONS, ROOT, SOLUTIONS
from coursekit.tools.mdscan import MONEY_HTML, protect_dollars

from .browser.a11y import chart_text_contrast, contrast

NOTEBOOKS = sorted([*LESSONS.glob("[0-9][0-9]_*.ipynb"), *SOLUTIONS.glob("[0-9][0-9]_*.ipynb"),
                    *EXERCISES.glob("[0-9][0-9]_*.ipynb")])
GREY = ROOT / "test-artifacts" / "greyscale"


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _outputs(nb: dict):
    for i, cell in enumerate(nb["cells"]):
        for j, out in enumerate(cell.get("outputs", []) if cell["cell_type"] == "code" else []):
            yield i, j, cell, out


def _charts(nb: dict):
    """(image output, caption HTML) for every chart: a PNG followed by its caption output."""
    for cell in nb["cells"]:
        outs = cell.get("outputs", []) if cell["cell_type"] == "code" else []
        for k, out in enumerate(outs):
            if "image/png" in (out.get("data") or {}):
                nxt = outs[k + 1] if k + 1 < len(outs) else {}
                yield out, _text((nxt.get("data") or {}).get("text/html", ""))


def _png(out) -> bytes:
    return base64.b64decode(_text(out["data"]["image/png"]))


# ------------------------------------------------------------------------------------------------
# Charts: light cards, in every theme and on paper
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent != EXERCISES],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_stored_chart_is_a_light_card_with_its_description(path):
    from PIL import Image

    charts = list(_charts(_nb(path)))
    for out, caption in charts:
        meta = out.get("metadata") or {}
        assert meta.get("needs_background") == "light", meta
        alt = meta["image/png"]["alt"]
        spans = re.findall(r'<span class="ck-alt">(.*?)</span>', caption, re.S)
        assert spans and _unescape(spans[0]) == alt, (alt[:80], spans[:1])
        assert caption.rstrip().endswith(a11y.CHART_SCRIPT), "the caption does not end with the alt script"
        image = Image.open(io.BytesIO(_png(out)))
        assert image.mode in ("RGB", "RGBA", "P"), image.mode
        rgba = image.convert("RGBA")
        assert rgba.getextrema()[3][0] == 255, "a chart has transparent pixels (not a card)"
        w, h = rgba.size
        corners = {rgba.getpixel(xy)[:3] for xy in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))}
        assert corners == {(255, 255, 255)}, corners


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_house_style_inks_every_text_element_dark_on_the_card():
    plots.style()
    import matplotlib

    for key in ("text.color", "axes.labelcolor", "xtick.color", "ytick.color", "axes.titlecolor"):
        value = matplotlib.colors.to_hex(matplotlib.rcParams[key])
        assert value.lower() == plots.TEXT.lower(), (key, value)
    assert plots.contrast_ratio(plots.TEXT, plots.BACKGROUND) >= 7


def test_every_data_colour_has_3_to_1_contrast_on_the_card():
    """WCAG 1.4.11: marks that carry data stand out from the chart's background."""
    low = {c: round(plots.contrast_ratio(c, plots.BACKGROUND), 2) for c in plots.SERIES_COLOURS
           if plots.contrast_ratio(c, plots.BACKGROUND) < 3}
    assert not low, low
    assert plots.contrast_ratio("#F0E442", plots.BACKGROUND) < 3  # Okabe-Ito yellow would fail


def test_series_differ_by_more_than_colour():
    """In greyscale, blue, vermillion, green and purple are all mid-greys: each series also has its
    own marker and line style, and each bar series its own hatching."""
    assert len(set(plots.MARKERS)) == len(plots.MARKERS) >= len(plots.SERIES_COLOURS)
    assert len({str(s) for s in plots.LINESTYLES}) == len(plots.LINESTYLES) >= len(plots.SERIES_COLOURS)
    assert len(set(plots.HATCHES)) == len(plots.HATCHES)
    greys = sorted(plots.relative_luminance(c) for c in plots.SERIES_COLOURS)
    close = [(a, b) for a, b in zip(greys, greys[1:]) if abs(a - b) < 0.05]
    assert close, "if no two series colours were alike in grey this test would be pointless"


@pytest.mark.parametrize("path", sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_first_chart_of_each_lesson_reads_in_greyscale(path):
    from PIL import Image

    charts = list(_charts(_nb(path)))
    assert charts, f"{path.stem} has no chart"
    grey = Image.open(io.BytesIO(_png(charts[0][0]))).convert("L").convert("RGB")
    GREY.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    grey.save(buf, format="PNG")
    (GREY / f"{path.stem}.png").write_bytes(buf.getvalue())
    ink = grey.getpixel((0, 0))  # the card is white; the ink in grey is the grey of plots.TEXT
    text_grey = "#{0:02x}{0:02x}{0:02x}".format(int(round(sum(
        int(plots.TEXT[i:i + 2], 16) for i in (1, 3, 5)) / 3)))
    bands = chart_text_contrast(buf.getvalue(), text_grey)
    title = bands["title (top)"]
    assert ink == (255, 255, 255)
    assert title["text_pixels"] >= 20 and title["ratio"] >= 4.5, title


def test_contrast_check_tells_a_card_from_a_transparent_chart():
    """The dark-theme browser test measures chart text in a screenshot: on a light card it passes,
    on a transparent chart laid over JupyterLab Dark's background it must fail."""
    import matplotlib

    matplotlib.use("Agg")
    from PIL import Image

    fig, ax = plots.figure()
    ax.bar(["a", "b"], [1, 2])
    ax.set_title("A title in the house style")
    card = plots.png_bytes(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", transparent=True)
    matplotlib.pyplot.close(fig)
    clear = Image.open(io.BytesIO(buf.getvalue())).convert("RGBA")
    dark = Image.new("RGBA", clear.size, (17, 17, 17, 255))
    dark.alpha_composite(clear)
    out = io.BytesIO()
    dark.convert("RGB").save(out, format="PNG")
    good = chart_text_contrast(card, plots.TEXT)["title (top)"]
    bad = chart_text_contrast(out.getvalue(), plots.TEXT)["title (top)"]
    assert good["ratio"] >= 4.5, good
    assert bad["ratio"] is None or bad["ratio"] < 2, bad


# ------------------------------------------------------------------------------------------------
# Text that JupyterLab must not typeset as maths
# ------------------------------------------------------------------------------------------------
def test_protect_dollars_wraps_money_only_and_is_idempotent():
    text = ("From \\$150 billion to \\$13 trillion; `x = '\\$5'`\n```\nprice = '\\$5'\n```\n"
            "US\\$2,300.5bn for \\$V_0\\$ and \\$n\\$.")
    done = protect_dollars(text)
    for amount in ("150", "13", "2,300.5"):
        assert MONEY_HTML.format(amount) in done
    assert done.count("<span") == 3
    assert "`x = '\\$5'`" in done and "price = '\\$5'" in done
    assert "\\$V_0\\$ and \\$n\\$." in done  # formulas stay formulas
    assert protect_dollars(done) == done


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_stored_text_is_typeset_as_maths(path):
    nb = _nb(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = _text(cell["source"])
        assert protect_dollars(text) == text, f"cell {i}: a \\$ in prose is not protected"
    for i, _, _, out in _outputs(nb):
        html = _text((out.get("data") or {}).get("text/html", ""))
        if "$" in re.sub(r"<script.*?</script>", "", html, flags=re.S):
            assert "mathjax_ignore" in html and "tex2jax_ignore" in html, \
                f"cell {i}: an HTML output shows a $ that MathJax would pair up: {html[:160]}"


# ------------------------------------------------------------------------------------------------
# Links and widgets
# ------------------------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent != EXERCISES],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_links_in_html_outputs_are_underlined(path):
    for i, _, _, out in _outputs(_nb(path)):
        parser = _Links()
        parser.feed(_text((out.get("data") or {}).get("text/html", "")))
        plain = [a.get("href", "")[:60] for a in parser.links
                 if "underline" not in (a.get("style") or "")]
        assert not plain, f"cell {i}: links told apart by colour alone: {plain[:3]}"


def test_attach_adds_the_enhancer_once_and_live_marks_a_region():
    import ipywidgets as widgets

    box = widgets.VBox([widgets.Button(description="Go")])
    a11y.attach(box)
    a11y.attach(box)
    extra = [c for c in box.children if a11y.MARKER in c._dom_classes]
    assert len(extra) == 1 and extra[0].layout.display == "none"
    html = extra[0].outputs[0]["data"]["text/html"]
    assert "<style>" in html and "<script>" in html and "role', 'radiogroup'" in html
    status = a11y.live(widgets.HTML(""))
    assert a11y.LIVE in status._dom_classes


def test_displayed_course_widgets_carry_the_enhancer():
    from coursekit.display.explore import Exploration
    from coursekit.quizzes import widgets as quiz
    from coursekit.quizzes.bank import load_bank

    import ipywidgets as widgets

    whole = quiz.quiz("00")
    whole._repr_mimebundle_()
    assert sum(a11y.MARKER in c._dom_classes for c in whole.children) == 1
    inner = whole.questions[0]
    assert not any(a11y.MARKER in c._dom_classes for c in inner.children), \
        "questions inside a quiz need no enhancer of their own"
    assert a11y.LIVE in inner.feedback._dom_classes and a11y.LIVE in whole.summary._dom_classes
    one = quiz.make_question(load_bank("00").questions[0])
    one._repr_mimebundle_()
    assert sum(a11y.MARKER in c._dom_classes for c in one.children) == 1
    ex = Exploration(control=widgets.IntSlider(value=1, min=0, max=3, description="n"),
                     compute=lambda v: {"v": v}, readout=lambda r: f"value {r['v']}")
    assert a11y.LIVE in ex.readout._dom_classes
