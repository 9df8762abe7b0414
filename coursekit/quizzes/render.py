"""Bank text and feedback as safe HTML, for the quiz widgets and their static views.

Text from banks is escaped; the only markup allowed is `code` in backticks. Feedback names the
misconception a distractor diagnoses (with its summary from assets/misconceptions.toml) and links
its sources (assets/sources.toml); a missing registry only means less detail. No ipywidgets here.
"""
from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from coursekit.display.charts import NO_MATH
from coursekit.model import paths
from coursekit.model.files import Stamp, stamp

# Feedback is said in words inside a live region, so screen readers announce it.
FEEDBACK_OPEN = f'<p class="cq-feedback {NO_MATH}" role="status" aria-live="polite">'
RUN_NOTE = "Run the notebook to answer interactively."
CORRECT = "\u2713 Correct"     # ✓
WRONG = "\u2717 Not quite"     # ✗
NOTICE = "\u26a0"              # ⚠ (format problems: neither right nor wrong)
DASH = "\u2014"

# Scoped to .cq-question: lets long choice labels wrap (ipywidgets gives radio labels a fixed
# height and check-box labels an ellipsis). Live view only; static HTML does not depend on it.
CSS = """<style>
.cq-question .widget-radio-box label{height:auto;line-height:1.35;white-space:normal;display:flex;align-items:flex-start;gap:.45em;margin:.2em 0}
.cq-question .widget-radio-box input{float:none;flex:none;order:-1;height:auto;margin:.2em 0 0 1px}
.cq-question .widget-radio-box-horizontal{flex-wrap:wrap}
.cq-question .widget-radio-box-horizontal label{margin-right:1.4em}
.cq-question .widget-checkbox{height:auto;width:auto}
.cq-question .widget-checkbox .widget-label-basic{white-space:normal;overflow:visible;height:auto;line-height:1.35;display:flex;align-items:flex-start;gap:.45em}
.cq-question .widget-checkbox input[type=checkbox]{flex-grow:0;align-self:flex-start;margin-top:.2em}
.cq-question .widget-html-content{line-height:1.45}
.cq-question a{color:var(--jp-content-link-color,#0d47a1);text-decoration:underline}
</style>"""



def render_text(text: str) -> str:
    """Bank text as safe HTML: everything escaped; `code` in backticks becomes <code>; a blank
    line starts a new paragraph. An unmatched backtick is shown as it is."""
    paragraphs = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n")]
    out = []
    for para in paragraphs:
        if not para:
            continue
        para = " ".join(para.split())
        parts = para.split("`")
        if len(parts) % 2 == 0:  # unmatched backtick: no markup at all
            out.append(html.escape(para))
            continue
        out.append("".join(html.escape(p) if i % 2 == 0 else f"<code>{html.escape(p)}</code>"
                           for i, p in enumerate(parts)))
    return "<br><br>".join(out)


def plain_text(text: str) -> str:
    """Bank text for widget labels and text/plain (widgets show labels as plain text)."""
    return " ".join(str(text).replace("`", "").split())


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def number(x: float) -> str:
    return format(x, ",.10g")


def list_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]



@lru_cache(maxsize=4)
def _misconceptions(file: Stamp | None) -> dict[str, Any]:
    if file is None:
        return {}
    from coursekit.model.content import read_misconceptions
    return read_misconceptions(Path(file[0]))[0]


@lru_cache(maxsize=4)
def _sources(file: Stamp | None) -> dict[str, Any]:
    if file is None:
        return {}
    from coursekit.model.content import read_sources
    return read_sources(Path(file[0]))[0]


def misconception_html(mid: str) -> str:
    if not mid:
        return ""
    found = _misconceptions(stamp(paths.ASSETS / "misconceptions.toml")).get(mid)
    summary = f" {html.escape(found.summary)}" if found is not None else ""
    return (f'<span class="cq-misconception">Common mix-up{":" if summary else ""}{summary} '
            f"(misconception <code>{html.escape(mid)}</code>)</span>")


def sources_html(ids: Iterable[str]) -> str:
    ids = list(ids)
    if not ids:
        return ""
    known = _sources(stamp(paths.ASSETS / "sources.toml"))
    parts = []
    for sid in ids:
        s = known.get(sid)
        if s is None or not getattr(s, "urls", None):
            parts.append(html.escape(sid))
            continue
        when = "" if s.date == "n.d." else f", {html.escape(s.year)}"
        parts.append(f'<a href="{html.escape(s.url, quote=True)}" target="_blank" '
                     f'style="text-decoration:underline" '
                     f'rel="noopener noreferrer">{html.escape(sid)}</a> '
                     f"({html.escape(s.label)}{when})")
    word = "Source" if len(ids) == 1 else "Sources"
    return f'<span class="cq-sources">{word}: {"; ".join(parts)}.</span>'


def diagnosis(feedback: str, misconception: str = "", sources: Iterable[str] = ()) -> str:
    """One distractor's feedback: its text, the misconception it names, its source link."""
    bits = [render_text(feedback)]
    if misconception:
        bits.append(misconception_html(misconception))
    src = sources_html(sources)
    if src:
        bits.append(src)
    return " ".join(b for b in bits if b)


def diagnosis_generic(text_html: str, misconception: str) -> str:
    return text_html + (" " + misconception_html(misconception) if misconception else "")
