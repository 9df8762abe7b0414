"""The slides of one lesson: what goes on each slide of a deck, from the built lesson notebook.

What goes on a slide (`deck_slides`), made for 1280 x 720 pixels:
- the title slide: the lesson title, its purpose and its time;
- one idea per slide: a `##` section starts a column of slides (a `###` heading a new slide in
  it); the section's first slide shows its heading and one lead sentence; a list, a quoted claim,
  a table, a discussion prompt, a chart, the pretest and each quiz question get slides of their
  own; a list or table too long for one slide is split over several, "(1/2)", "(2/2)";
- a chart slide is the chart alone, full size, with its source ids; its description, source
  line and data table are in the speaker notes;
- the narrative (every paragraph) goes to the speaker notes of the slide it belongs to (press S
  for the speaker view), and so do the quiz answers and explanations;
- tables keep the columns that fit and move long text columns to the notes;
- formulas are written out in HTML (coursekit.teacher.mdrender), never as raw TeX;
- a slide with nothing but a heading is never made.
No code is shown. Sizes are budgets in characters; tests/browser/test_slides_audit.py opens every
slide of every deck at 1280 x 720 and fails on overflow, text under 20 px, an empty slide or TeX.
coursekit.teacher.slides renders the slides as a reveal.js deck and is the command.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from coursekit.teacher import mdrender
from coursekit.teacher.quizkey import first_sentence

BUDGET = 700         # characters of body text on one slide (28 px)
TABLE_BUDGET = 600   # characters of table text on one slide (22 px)
TABLE_ROWS = 6
LONG_CELL = 140      # a table column with a cell longer than this goes to the notes
_DISCUSSION = re.compile(r"^\s*<p><strong>Discussion\.?</strong>\s*", re.S)


@dataclass
class Slide:
    kind: str                 # title | lead | list | quote | table | chart | discussion | question | pretest
    title: str = ""           # plain text
    body: str = ""            # HTML
    notes: list[str] = field(default_factory=list)  # HTML fragments
    section: int = 0          # column in the deck (0: the title slide)
    dense: bool = False       # a smaller (but >= 22 px) type size for long quiz questions

    @property
    def size(self) -> int:
        return len(mdrender.text_of(self.body))


# ----------------------------------------------------------------------------- building

class _Deck:
    def __init__(self, lesson: str):
        self.lesson = lesson
        self.slides: list[Slide] = []
        self.section = 0
        self.heading = ""
        self.parent = ""  # the current ## heading
        self.current: Slide | None = None

    def start(self, kind: str, title: str | None = None, body: str = "", **kw) -> Slide:
        slide = Slide(kind, self.heading if title is None else title, body,
                      section=self.section, **kw)
        self.slides.append(slide)
        self.current = slide
        return slide

    def note(self, fragment: str) -> None:
        if self.current is None:
            self.start("lead")
        self.current.notes.append(fragment)

    def add_body(self, kind: str, fragment: str, budget: int = BUDGET, title: str | None = None):
        """Put `fragment` on the current slide if it has room, else on a new one."""
        cur = self.current
        size = len(mdrender.text_of(fragment))
        if (cur is not None and cur.kind == "lead" and cur.section == self.section
                and cur.size + size <= budget):
            cur.body += fragment
            cur.kind = kind
            return cur
        return self.start(kind, title, fragment)


def _greedy(sizes: list[int], budget: int, max_items: int) -> list[int]:
    """Greedy cut points: the number of items in each chunk."""
    counts, size = [0], 0
    for n in sizes:
        if counts[-1] and (size + n > budget or counts[-1] >= max_items):
            counts.append(0)
            size = 0
        counts[-1] += 1
        size += n
    return counts


def _chunks(items: list[str], budget: int, max_items: int = 99) -> list[list[str]]:
    """Items in as few chunks as fit the budget, balanced so the last is not a lone straggler."""
    if not items:
        return []
    sizes = [len(mdrender.text_of(i)) for i in items]
    target = len(_greedy(sizes, budget, max_items))
    low, high = max(sizes), max(budget, max(sizes))
    while low < high:  # the smallest capacity that still needs no more chunks
        mid = (low + high) // 2
        if len(_greedy(sizes, mid, max_items)) <= target:
            high = mid
        else:
            low = mid + 1
    out, at = [], 0
    for count in _greedy(sizes, low, max_items):
        out.append(items[at:at + count])
        at += count
    return out


def _numbered(deck: _Deck, kind: str, parts: list[str], wrap, budget: int) -> None:
    """Items over as few slides as the budget allows; the first shares a bare lead slide."""
    cur = deck.current
    lead = cur.size if (cur is not None and cur.kind == "lead" and cur.section == deck.section) else 0
    chunks = _chunks(parts, budget - lead)
    if len(chunks) > 1 and lead:
        chunks = [chunks[0]] + _chunks([p for c in chunks[1:] for p in c], budget)
    for n, chunk in enumerate(chunks, start=1):
        if n == 1:
            deck.add_body(kind, wrap(chunk), budget)
        else:
            deck.start(kind, None, wrap(chunk))


def _table(deck: _Deck, table_html: str, source_note: str = "") -> None:
    """A table over as many slides as it needs; long text columns go to the notes."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(table_html, "html.parser")
    table = soup.find("table")
    if table is None:
        return
    head = [th.get_text(" ", strip=True) for th in table.select("thead th")] or None
    rows = [[td for td in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")]
    if head is None and rows:
        head, rows = [c.get_text(" ", strip=True) for c in rows[0]], rows[1:]
    ncol = len(head or [])
    long_cols = {i for i in range(ncol) if any(
        i < len(r) and len(r[i].get_text(" ", strip=True)) > LONG_CELL for r in rows)}
    keep = [i for i in range(ncol) if i not in long_cols] or [0]
    heads = "".join(f"<th scope=\"col\">{html.escape(head[i])}</th>" for i in keep)
    body_rows = ["<tr>" + "".join(f"<td>{r[i].decode_contents() if i < len(r) else ''}</td>"
                                  for i in keep) + "</tr>" for r in rows]
    moved = [head[i] for i in sorted(long_cols)]
    caption = ('<p class="ck-small">' + ("The column " if len(moved) == 1 else "The columns ")
               + ", ".join(f"\u201c{html.escape(m)}\u201d" for m in moved)
               + " in the speaker notes.</p>" if moved else "")
    for n, chunk in enumerate(_chunks(body_rows, TABLE_BUDGET, TABLE_ROWS)):
        body = (f'<table class="ck-table"><thead><tr>{heads}</tr></thead>'
                f'<tbody>{"".join(chunk)}</tbody></table>{caption}')
        slide = deck.start("table", None, body)
        if n == 0:  # the whole table, every column, for the speaker
            slide.notes.append(f'<div class="ck-notes-table">{table}</div>{source_note}')


def _markdown(deck: _Deck, source: str) -> None:
    for block in mdrender.blocks(source):
        if block.kind == "heading":
            text = block.text
            if block.level == 1:
                deck.heading = text
                deck.start("title", text)
            elif block.level == 2:
                deck.section += 1
                deck.heading = deck.parent = text
                deck.current = None
            elif block.level == 3:
                shown = any(s.section == deck.section for s in deck.slides)
                deck.heading = text if shown else f"{deck.parent} \u2013 {text}"
                deck.current = None
            else:
                deck.note(block.html)
            continue
        if block.kind == "paragraph":
            if deck.current is not None and deck.current.kind == "title" and re.match(
                    r"^\s*<p><strong>(Purpose|Estimated time)", block.html):
                deck.current.body += block.html.replace("<p>", '<p class="ck-lead">', 1)
                continue
            if _DISCUSSION.match(block.html):
                prompt = _DISCUSSION.sub("<p>", block.html, count=1)
                deck.start("discussion", "Discussion", prompt)
                continue
            if deck.current is None or deck.current.section != deck.section:
                lead = first_sentence(block.text)
                deck.start("lead", None, f'<p class="ck-lead">{html.escape(lead)}</p>')
            deck.note(block.html)
        elif block.kind == "quote":
            deck.add_body("quote", f'<blockquote class="ck-quote">{block.html}</blockquote>')
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            _numbered(deck, "list", block.items, lambda c, t=tag: f"<{t}>{''.join(c)}</{t}>",
                      BUDGET)
        elif block.kind == "table":
            _table(deck, block.html)
        else:  # html, code, rule: speaker notes only
            deck.note(block.html)


def _source_ids(caption: str) -> str:
    """A one-line source credit for a chart slide: its bibliography ids and "as of" date, or the
    start of its basis line when it cites no ids."""
    ids = re.findall(r"\(([SX]\d+)\)", caption)
    as_of = re.search(r"Data as of ([0-9-]+)", caption)
    ids = list(dict.fromkeys(ids))
    if len(ids) > 10:
        text = f"Sources: {', '.join(ids[:8])} and {len(ids) - 8} more (all in the notes)"
    elif ids:
        text = "Sources: " + ", ".join(ids)
    else:
        line = re.search(r'<p class="ck-source">(.*?)</p>', caption, re.S)
        text = mdrender.text_of(line.group(1)).split(";")[0] if line else ""
        text = re.sub(r"\s*Data as of [0-9-]+\.?", "", text).rstrip(". ")
        text = first_sentence(text, 110)
    if as_of:
        text = f"{text} \u00b7 data as of {as_of.group(1)}" if text else f"Data as of {as_of.group(1)}"
    return text


def _chart(deck: _Deck, cell) -> None:
    outputs = [o for o in cell.get("outputs", []) if o.get("output_type") in
               ("display_data", "execute_result")]
    before, caption = [], ""
    for o in outputs:
        data = o.get("data", {})
        if "image/png" in data:
            alt = (o.get("metadata", {}).get("image/png", {}) or {}).get("alt", "")
            continue
        if "text/html" in data:
            text = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
            if "ck-chart-note" in text and not caption:
                caption = text
            else:
                before.append(text)
    if "own progress record" in caption:  # a learner's own dashboard: nothing to show a class
        deck.note("<p>(In the notebook, each learner sees a chart of their own progress here.)</p>")
        return
    for o in outputs:
        data = o.get("data", {})
        if "image/png" not in data:
            continue
        alt = (o.get("metadata", {}).get("image/png", {}) or {}).get("alt", "")
        png = "".join(data["image/png"]).replace("\n", "")
        base64.b64decode(png[:64] + "=" * (-len(png[:64]) % 4))  # fails loudly on a broken image
        sources = _source_ids(caption)
        body = (f'<figure class="ck-figure"><img src="data:image/png;base64,{png}" '
                f'alt="{html.escape(alt)}">'
                + (f'<figcaption class="ck-small">{html.escape(sources)}</figcaption>' if sources else "")
                + "</figure>")
        slide = deck.start("chart", "", body)
        if before:
            slide.notes.append("<p><strong>In the notebook this chart is interactive.</strong></p>"
                               + "".join(before))
        slide.notes.append(caption or f"<p>{html.escape(alt)}</p>")


def _question_slides(deck: _Deck) -> None:
    from coursekit.teacher.quizkey import bank_questions

    try:
        _, questions = bank_questions(deck.lesson)
    except Exception:  # noqa: BLE001 - a lesson without a valid bank: no question slides
        return
    for q in questions:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in q.lines)
        extra = f'<p class="ck-small">{html.escape(q.extra)}</p>' if q.extra else ""
        body = (f"<p>{html.escape(q.prompt)}</p>"
                + (f'<ul class="ck-options">{items}</ul>' if items else "") + extra)
        size = len(q.prompt) + sum(len(line) for line in q.lines)
        slide = deck.start("question", f"Question {q.number} ({q.kind})", body,
                           dense=size > BUDGET)
        if q.answer:
            slide.notes.append(f"<p><strong>Answer:</strong> {html.escape(q.answer)}</p>")
        if q.explanation:
            slide.notes.append(f"<p>{html.escape(q.explanation)}</p>")


def _bibliography(deck: _Deck, text: str) -> None:
    from bs4 import BeautifulSoup

    items = []
    for li in BeautifulSoup(text, "html.parser").select("li"):
        for meta in li.select(".ck-source-meta"):
            meta.decompose()
        words = li.get_text(" ", strip=True)
        words = re.sub(r"\s+Note:.*$", "", words)
        words = re.sub(r"\s+([.,;:])", r"\1", words)
        items.append(f"<li>{html.escape(words)}</li>")
    deck.note(text)
    _numbered(deck, "list", items, lambda c: f'<ul class="ck-refs">{"".join(c)}</ul>', BUDGET)


def _html_output(deck: _Deck, text: str) -> None:
    if "cq-quiz" in text:
        _question_slides(deck)
    elif text.lstrip().startswith("<p><strong>Before you start:"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for p in soup.find_all("p"):
            if p.get_text().startswith("[Run this cell"):
                p.decompose()
        body = str(soup).replace("<strong>Before you start:</strong> ", "")
        cur = deck.current
        if cur is not None and cur.kind == "lead" and cur.section == deck.section:
            cur.kind, cur.body = "pretest", body  # the section's lead line stays in the notes
        else:
            deck.start("pretest", "Before you start: a guess", body)
    elif "ck-bibliography" in text:
        _bibliography(deck, text)
    elif text.lstrip().startswith("<table"):
        _table(deck, text)
    elif "Answer to the opening question" in text:
        deck.note(text)


def _skipped(deck: _Deck, cell) -> None:
    """A speaker note where an optional section was left out of the deck."""
    from coursekit.tools import depth

    if cell.cell_type != "markdown" or deck.current is None:
        return
    first = next(iter(depth.headings(cell.source)), None)
    if first is not None and first[0] == 0 and depth.is_going_further(first[2]):
        title = mdrender.text_of(mdrender.to_html(first[2]))
        deck.note(f"<p><em>Optional in the notebook, not on the slides: "
                  f"\u201c{html.escape(title)}\u201d.</em></p>")


def deck_slides(nb, lesson: str) -> list[Slide]:
    """The slides of a built lesson notebook, in order."""
    from coursekit.tools import depth

    deck = _Deck(lesson)
    for cell, optional in zip(nb.cells, depth.cell_flags(nb.cells)):
        if optional:  # optional depth stays in the notebook; the speaker notes say what was left
            _skipped(deck, cell)
            continue
        if cell.cell_type == "markdown":
            _markdown(deck, cell.source)
        elif cell.cell_type == "code":
            outputs = cell.get("outputs", [])
            if any("image/png" in o.get("data", {}) for o in outputs):
                _chart(deck, cell)
                continue
            for o in outputs:
                data = o.get("data", {})
                if "text/html" in data:
                    text = data["text/html"]
                    _html_output(deck, "".join(text) if isinstance(text, list) else text)
    for slide in deck.slides:  # a lead slide never left bare: it shows its first note's sentence
        if slide.kind == "lead" and not slide.body and slide.notes[:1] and \
                slide.notes[0].lstrip().startswith("<p"):
            slide.body = f'<p class="ck-lead">{html.escape(first_sentence(mdrender.text_of(slide.notes[0])))}</p>'
    slides = [s for s in deck.slides if s.body.strip() or s.kind == "title"]
    seen: set[tuple[int, str]] = set()
    for slide in slides:  # later slides under one heading say so
        key = (slide.section, slide.title)
        if slide.title and slide.kind not in ("title", "question", "discussion") and key in seen:
            slide.title += " (continued)"
        seen.add(key)
    return slides


def count_slides(slides: list[Slide]) -> tuple[int, int]:
    """(columns, slides): horizontal sections and all slides."""
    return len({s.section for s in slides}), len(slides)
