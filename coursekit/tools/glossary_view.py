"""The glossary in a notebook: a searchable table, with a static HTML table as its fallback.

In lesson 00, under a "## Glossary" heading (the target of the lessons' glossary links):

    from coursekit.tools.glossary_view import glossary_table
    glossary_table()

Run, it is a text box labelled "Filter the glossary" and the table: typing narrows the rows to
the entries whose term, other names, definition or Russian or Chinese equivalent contain every
word typed, and a status line (read out by screen readers) says how many are shown. Before the
kernel runs, and on GitHub or in nbconvert HTML, the stored output is the whole table as plain
HTML, with a note that the browser's find (Ctrl+F) searches it. The table has a caption and
column headers with scope, and each row's term cell carries the entry's id as its anchor.
Importing this module is cheap: ipywidgets is imported only when the widget is made.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit.tools import glossary

FILTER_LABEL = "Filter the glossary"
FILTER_HINT = "a term, a name, or a word of a definition"
STATIC_NOTE = ("Search box: run the notebook to filter this table as you type. Until then, "
               "your browser's find (Ctrl+F or Cmd+F) searches it.")


def _searchable(entry: glossary.Entry) -> str:
    parts = [*entry.names, entry.definition, entry.kind]
    for eq in (entry.ru, entry.zh):
        if eq:
            parts.append(eq.text)
    return " ".join(parts).casefold()


def matches(entries: list[glossary.Entry], query: str) -> list[glossary.Entry]:
    """Entries containing every word of `query` (case does not matter; empty shows all)."""
    words = query.casefold().split()
    return [e for e in entries if all(w in _searchable(e) for w in words)]


CELL_STYLE = ("text-align:left;vertical-align:top;padding:0.3em 0.6em;line-height:1.4;"
              "border-bottom:1px solid #c8c8c8")


def _row(entry: glossary.Entry) -> str:
    also = (f'<br><span class="ck-glossary-also">also: {html.escape(", ".join(entry.aliases))}</span>'
            if entry.aliases else "")
    kind = {"term": "term", "actor": "who's who", "verdict": "verdict"}[entry.kind]
    lesson = "background" if entry.lesson == "00" and entry.kind != "verdict" else entry.lesson
    cells = [
        f'<th scope="row" id="glossary-{entry.id}" style="{CELL_STYLE}">{html.escape(entry.term)}'
        f"{also}</th>",
        f"<td>{html.escape(kind)}</td>",
        f"<td>{html.escape(entry.definition)} [{html.escape('; '.join(entry.sources)) or 'lesson 07'}]</td>",
    ]
    for lang in ("ru", "zh"):
        eq = getattr(entry, lang)
        if eq is None:
            cells.append("<td></td>")
            continue
        code = glossary.LANGUAGES[lang][1]
        note = f" ({html.escape(eq.note)})" if eq.note else ""
        cells.append(f'<td><span lang="{code}">{html.escape(eq.text)}</span>{note} '
                     f"[{html.escape(eq.source)}]</td>")
    cells.append(f"<td>{html.escape(lesson)}</td>")
    cells = [c.replace("<td>", f'<td style="{CELL_STYLE}">', 1) for c in cells]
    return "<tr>" + "".join(cells) + "</tr>"


def table_html(entries: list[glossary.Entry], *, total: int | None = None) -> str:
    """The glossary as an accessible HTML table (the same markup live and stored)."""
    total = len(entries) if total is None else total
    caption = (f"Glossary and who's who: {total} entries" if len(entries) == total
               else f"Glossary and who's who: {len(entries)} of {total} entries")
    head = "".join(f'<th scope="col" style="{CELL_STYLE}">{h}</th>' for h in
                   ("Term", "Kind", "Meaning [sources]", "Russian [source]", "Chinese [source]",
                    "Lesson"))
    rows = "".join(_row(e) for e in entries) or (
        '<tr><td colspan="6">No entry contains every word you typed.</td></tr>')
    return (f'<table class="ck-glossary-table" style="border-collapse:collapse">'
            f'<caption style="text-align:left;font-weight:bold">{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def static_html(entries: list[glossary.Entry]) -> str:
    return (f'<div class="ck-glossary mathjax_ignore tex2jax_ignore">'
            f"<p><em>{html.escape(STATIC_NOTE)}</em> Russian and Chinese equivalents are given "
            "where a source shows them; a blank cell means none was found, not that none "
            f"exists. Sources are bibliography ids.</p>{table_html(entries)}</div>")


def static_text(entries: list[glossary.Entry]) -> str:
    lines = [f"Glossary and who's who ({len(entries)} entries)"]
    for e in entries:
        lines.append(f"- {e.term}: {e.definition}")
    return "\n".join(lines)


class GlossaryTable:
    """The searchable table. `.query.value = "sanctions"` filters it, as typing does."""

    def __init__(self, entries: list[glossary.Entry] | None = None):
        import ipywidgets as widgets

        self.entries = glossary.ordered(glossary.load() if entries is None else entries)
        self.query = widgets.Text(value="", description=FILTER_LABEL, placeholder=FILTER_HINT,
                                  continuous_update=True,
                                  style={"description_width": "initial"},
                                  layout=widgets.Layout(width="min(100%, 40em)"))
        self.status = widgets.HTML()
        self.table = widgets.HTML()
        self.box = widgets.VBox([self.query, self.status, self.table])
        self.query.observe(self._changed, names="value")
        self._show(self.entries)

    @property
    def shown(self) -> list[glossary.Entry]:
        return matches(self.entries, self.query.value)

    def _show(self, found: list[glossary.Entry]) -> None:
        total = len(self.entries)
        message = (f"Showing all {total} entries." if len(found) == total
                   else f"Showing {len(found)} of {total} entries.")
        self.status.value = f'<p role="status" aria-live="polite">{message}</p>'
        self.table.value = table_html(found, total=total)

    def _changed(self, change: dict[str, Any]) -> None:
        self._show(matches(self.entries, change["new"]))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live box, stored as the whole table (the course's one static-view wrapper, which
        also gives the box its accessible names)."""
        from coursekit.display.static import WithStatic

        return WithStatic(self.box, html=static_html(self.entries),
                          text=static_text(self.entries))._repr_mimebundle_(**kwargs)


def glossary_table(entries: list[glossary.Entry] | None = None) -> GlossaryTable:
    """The searchable glossary for a notebook cell (its last line, or display() it)."""
    return GlossaryTable(entries)
