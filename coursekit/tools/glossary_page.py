"""The glossary as one printable, self-contained HTML page: `python -m coursekit glossary --out DIR`.

Terms, who's who and verdicts, each with its definition, its Russian and Chinese equivalents
(marked with their language, so a screen reader and the printer's fonts switch) and the lesson
that introduces it; every bibliography id cited links to the source list at the end.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from coursekit.model import paths, tomllines
from coursekit.tools.glossary import (KIND_LABELS, KINDS, LANGUAGES, Entry, Equivalent, _CITED,
                                      load, ordered)

PAGE_CSS = """
body { font-family: system-ui, sans-serif; font-size: 11pt; line-height: 1.45; color: #111;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #555; }
dt { font-weight: bold; margin-top: 0.9em; }
dd { margin: 0.2em 0 0 1.2em; }
.ck-meta { color: #333; font-size: 0.92em; }
.ck-refs li { margin: 0.3em 0; word-break: break-word; }
a { color: #0645ad; }
@media print { body { margin: 0; max-width: none; } a { color: #111; }
  dt, dd { break-inside: avoid; } h2 { break-after: avoid; } }
@page { size: A4; margin: 18mm 16mm; }
"""


def _cite(ids: list[str]) -> str:
    return "[" + "; ".join(f'<a href="#src-{i}">{i}</a>' for i in ids) + "]" if ids else ""


def _linked(text: str) -> str:
    """Escaped text whose [S24; X0801] citations link to the page's source list."""
    out, at = [], 0
    for m in _CITED.finditer(text):
        out.append(html.escape(text[at:m.start()]))
        out.append(_cite(re.split(r"\s*[;,]\s*", m.group(1))))
        at = m.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def equivalent_html(eq: Equivalent | None, lang: str) -> str:
    if eq is None:
        return ""
    label, code, _ = LANGUAGES[lang]
    note = f" ({_linked(eq.note)})" if eq.note else ""
    return (f'{label}: <span lang="{code}">{html.escape(eq.text)}</span>{note} '
            f'{_cite([eq.source])}')


def page_html(entries: list[Entry], sources: dict[str, dict[str, Any]]) -> str:
    """The glossary as one printable, self-contained HTML page."""
    from coursekit.model import course

    titles = {lesson.id: lesson.title for lesson in course.lessons()}
    parts = ['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Glossary and who's who: AI Under Sanctions</title>",
             f"<style>{PAGE_CSS}</style>\n</head>\n<body>\n<main>",
             "<h1>Glossary and who's who</h1>",
             "<p>The terms, people and bodies the course names, and its five verdicts: a plain "
             "definition, the lesson that introduces each, and, where a source shows them, the "
             "Russian and Chinese equivalents, each with its own source. An equivalent that no "
             "source shows is left out, not guessed.</p>"]
    groups = [(kind, [e for e in ordered(entries) if e.kind == kind]) for kind in KINDS]
    parts.append("<nav aria-label=\"Sections\"><ul>" + "".join(
        f'<li><a href="#{kind}s">{KIND_LABELS[kind]}</a> ({len(items)})</li>'
        for kind, items in groups) + '<li><a href="#sources">Sources</a></li></ul></nav>')
    for kind, items in groups:
        parts.append(f'<section aria-labelledby="{kind}s"><h2 id="{kind}s">{KIND_LABELS[kind]}</h2><dl>')
        for e in items:
            also = f' <span class="ck-meta">(also: {html.escape(", ".join(e.aliases))})</span>' \
                if e.aliases else ""
            lesson = "the glossary (background)" if e.lesson == "00" and kind != "verdict" \
                else f"lesson {e.lesson}, {html.escape(titles.get(e.lesson, ''))}"
            lines = [f"{_linked(e.definition)} {_cite(list(e.sources))}".strip()]
            for lang, eq in (("ru", e.ru), ("zh", e.zh)):
                if eq:
                    lines.append(equivalent_html(eq, lang))
            if e.note:
                lines.append(f"Note: {_linked(e.note)}")
            lines.append(f'<span class="ck-meta">Introduced in {lesson}.</span>')
            parts.append(f'<dt id="{e.id}">{html.escape(e.term)}{also}</dt>'
                         + "".join(f"<dd>{line}</dd>" for line in lines))
        parts.append("</dl></section>")
    cited = sorted({i for e in entries for i in e.cited()},
                   key=lambda i: (i[0], int(i[1:]) if i[1:].isdigit() else 0))
    parts.append('<section aria-labelledby="sources"><h2 id="sources">Sources</h2><ul class="ck-refs">')
    for sid in cited:
        s = sources.get(sid, {})
        url = (s.get("urls") or [""])[0]
        parts.append(f'<li id="src-{sid}"><strong>{sid}</strong> {html.escape(s.get("publisher", ""))}'
                     f' ({html.escape(s.get("date", ""))}). {html.escape(s.get("title", ""))}. '
                     f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>. '
                     f'Quality: {html.escape(s.get("quality", ""))}.</li>')
    parts.append("</ul></section>\n</main>\n</body>\n</html>\n")
    return "\n".join(parts)


def write_page(out: Path, entries: list[Entry] | None = None) -> Path:
    entries = load() if entries is None else entries
    doc = tomllines.load(paths.ASSETS / "sources.toml")
    sources = {r["id"]: r for r in doc.data.get("source", []) if isinstance(r, dict)}
    out.mkdir(parents=True, exist_ok=True)
    target = out / "glossary.html"
    target.write_text(page_html(entries, sources), encoding="utf-8")
    return target
