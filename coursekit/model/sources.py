"""The bibliography, assets/sources.toml: [[source]] records, and the ways the course cites them.

Each source has id ("S24" or "X0217"), title, publisher, date (YYYY, YYYY-MM, YYYY-MM-DD or
"n.d."), urls, kind (primary / secondary), quality (strong / fair / weak), publisher_type,
relay_of (the outlet it re-posts, or ""), accessed (YYYY-MM-DD), voice (whose account it gives,
one of VOICES), and optionally stance, notes and funding (who is behind a research publisher,
citing where that was read).

- `read_sources()` returns (records, problems) and never raises for a content mistake;
- `load_sources()` returns the records (cached until the file changes) or raises ContentError;
- `cite(...)`, `bibliography_markdown(...)`, `bibliography_html(...)` and `further_reading(...)`
  write source lines and reading lists from ids.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import files, paths
from coursekit.model.citations import citation_problems
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.records import SOURCE_ID, Record, read_toml, records_by_id
from coursekit.model.tomllines import TomlDoc

KINDS = ("primary", "secondary")
QUALITIES = ("strong", "fair", "weak")
PUBLISHER_TYPES = (
    "government", "state media", "wire", "think tank", "law firm", "company", "academic",
    "news", "other",
)
#: Whose account a source gives (`voice`): the party whose words, data or estimate it records,
#: which may differ from its publisher (a wire relaying a minister speaks for the minister).
VOICES = (
    "Russian government", "Chinese government", "Russian and Chinese governments jointly",
    "US government", "EU or European government", "Ukrainian government",
    "other government or group of governments", "state media (Russia)", "state media (China)",
    "company", "industry body", "advocacy group", "government-funded research",
    "international organisation", "independent research", "news media", "law firm or consultancy",
    "reference work", "blog or unknown website",
)
#: Voices that record no party's own account of its actions, positions or products.
INDEPENDENT_VOICES = ("international organisation", "independent research", "news media",
                      "law firm or consultancy", "reference work")
_KEYS = {
    "id": True, "title": True, "publisher": True, "date": True, "urls": True, "kind": True,
    "quality": True, "publisher_type": True, "relay_of": True, "accessed": True,
    "stance": False, "notes": False, "voice": True, "funding": False,
}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str
    urls: tuple[str, ...]
    kind: str
    quality: str
    publisher_type: str
    relay_of: str
    accessed: str
    stance: str = ""
    notes: str = ""
    line: int = 0
    voice: str = ""
    funding: str = ""

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def year(self) -> str:
        return self.date[:4] if self.date != "n.d." else "n.d."

    @property
    def label(self) -> str:
        """Short attribution for source lines: "Reuters via Business Recorder"."""
        if self.relay_of:
            return f"{self.relay_of} via {self.publisher}"
        return self.publisher


def read_sources(path: Path | None = None) -> tuple[dict[str, Source], list[Problem]]:
    path = Path(path) if path else paths.ASSETS / "sources.toml"
    doc, problems = read_toml(path)  # parsed once: the funding notes' citations need every id
    if doc is None:
        return {}, problems
    known = _declared_ids(doc)

    def make(rec: Record, rid: str) -> Source:
        title, publisher = rec.text("title"), rec.text("publisher")
        relay = rec.text("relay_of", empty_ok=True)
        stance = rec.text("stance", empty_ok=True)
        notes = rec.text("notes", empty_ok=True)
        date = rec.date("date", expected="YYYY, YYYY-MM, YYYY-MM-DD or 'n.d.'", partial=True,
                        also=("n.d.",))
        funding = rec.text("funding", empty_ok=True)
        for why in citation_problems(funding, known, required=True) if funding else ():
            rec.problem(f"funding {why}", "funding")
        accessed = rec.date("accessed", "accessed date")
        urls = rec.data.get("urls", [])
        if "urls" in rec.data:
            if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
                rec.problem("'urls' must be a non-empty list of strings", "urls")
                urls = []
            else:
                for u in urls:
                    if not re.match(r"^https?://\S+$", u):
                        rec.problem(f"malformed URL {u!r}", "urls")
        return Source(id=rid, title=title, publisher=publisher, date=date, urls=tuple(urls),
                      kind=rec.enum("kind", KINDS), quality=rec.enum("quality", QUALITIES),
                      publisher_type=rec.enum("publisher_type", PUBLISHER_TYPES), relay_of=relay,
                      accessed=accessed, stance=stance, notes=notes, line=rec.line,
                      voice=rec.enum("voice", VOICES), funding=funding)

    sources, problems = records_by_id(doc, problems, "source", SOURCE_ID, '"S<n>" or "X<n>"',
                                      _KEYS, make)
    return sources, problems + _same_page_problems(sources, path)


def _page_key(url: str) -> str:
    """A URL without its scheme, "www." and trailing slash: two spellings of one page match."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/").lower()


def _same_page_problems(sources: dict[str, Source], path: Path) -> list[Problem]:
    """One page, one bibliography entry: a second record of the same page splits its citations
    and can give it two different voices or ratings."""
    first: dict[str, str] = {}
    problems = []
    for sid, src in sources.items():
        for url in src.urls:
            key = _page_key(url)
            if key in first and first[key] != sid:
                problems.append(Problem(relpath(path), src.line, f"source {sid}: the page {url} is "
                                        f"already source {first[key]}: cite {first[key]} instead"))
            first.setdefault(key, sid)
    return problems


def ids_in(sources_path: Path | None = None) -> set[str] | None:
    """Ids declared in sources.toml, even where other fields are wrong; None if unreadable.
    Other files' references are checked against these, so one broken source does not make
    every reference to it "unknown"."""
    doc, _ = read_toml(Path(sources_path) if sources_path else paths.ASSETS / "sources.toml")
    return None if doc is None else _declared_ids(doc)


def _declared_ids(doc: TomlDoc) -> set[str] | None:
    tables = doc.data.get("source")
    if not isinstance(tables, list):
        return None
    return {t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str)}


@lru_cache(maxsize=8)
def _sources_cached(stamp: tuple[str, int, int]) -> dict[str, Source]:
    sources, problems = read_sources(Path(stamp[0]))
    if problems:
        raise ContentError(problems)
    return sources


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The bibliography, keyed by id. Raises ContentError when sources.toml has problems."""
    path = Path(path) if path else paths.ASSETS / "sources.toml"
    stamp = files.stamp(path)
    if stamp is None:
        raise ContentError([Problem(relpath(path), 1, "file not found")])
    return dict(_sources_cached(stamp))


# --------------------------------------------------------------------------------------------
# Citing
# --------------------------------------------------------------------------------------------
def _flatten_ids(ids: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in ids:
        if isinstance(item, str):
            parts = [p.strip() for p in item.split(";")]
        else:
            parts = [str(p).strip() for p in item]
        for p in parts:
            if p and p not in out:
                out.append(p)
    return out


def _lookup(ids: Iterable[Any]) -> list[Source]:
    sources = load_sources()
    wanted = _flatten_ids(ids)
    missing = [i for i in wanted if i not in sources]
    if missing:
        raise KeyError(f"unknown source id(s): {', '.join(missing)}")
    return [sources[i] for i in wanted]


def cite(*ids: Any) -> str:
    """A one-line source credit, e.g.
    "Sources: bne IntelliNews, 2025 (S67); Reuters via China Economic Review, 2024 (S65)."
    Accepts ids, "S37;S38" strings, or lists/tuples of ids (such as a row's source_ids).
    Raises KeyError for an unknown id."""
    found = _lookup(ids)
    if not found:
        raise ValueError("cite() needs at least one source id")
    parts = []
    for s in found:
        when = "" if s.date == "n.d." else f", {s.year}"
        parts.append(f"{s.label}{when} ({s.id})")
    word = "Source" if len(parts) == 1 else "Sources"
    return f"{word}: {'; '.join(parts)}."


def _about(s: Source) -> list[str]:
    """What a reader should know beside a source's title: whom it relays, the course's note on
    its stance, who is behind it. Plain text; the HTML list escapes it."""
    return [text for present, text in ((s.relay_of, f"Relays {s.relay_of}."),
                                       (s.stance, f"Note: {s.stance}."),
                                       (s.funding, f"Who is behind it: {s.funding}")) if present]


def _entry_text(s: Source) -> str:
    bits = [f"{s.publisher} ({'n.d.' if s.date == 'n.d.' else s.date}).", f"{s.title}.", *_about(s)]
    bits.append(f"[{s.id}; {s.kind}, {s.quality}]")
    return " ".join(bits)


def bibliography_markdown(ids: Iterable[Any]) -> str:
    """A Markdown list of bibliography entries, linked by title, in the order given."""
    lines = []
    for s in _lookup(ids):
        when = "n.d." if s.date == "n.d." else s.date
        line = f"- {s.publisher} ({when}). [{s.title}]({s.url})."
        line += "".join(f" {text}" for text in _about(s))
        line += f" [{s.id}; {s.kind}, {s.quality}; accessed {s.accessed}]"
        lines.append(line)
    return "\n".join(lines)


def bibliography_html(ids: Iterable[Any]) -> str:
    """An HTML list of bibliography entries (deterministic; safe to store in notebooks)."""
    items = []
    for s in _lookup(ids):
        e = html.escape
        when = "n.d." if s.date == "n.d." else s.date
        extra = "".join(f" {e(text)}" for text in _about(s))
        items.append(
            f'<li id="src-{e(s.id)}">{e(s.publisher)} ({e(when)}). '
            f'<a href="{e(s.url, quote=True)}" style="text-decoration:underline">'
            f'{e(s.title)}</a>.{extra} '
            f'<span class="ck-source-meta">[{e(s.id)}; {e(s.kind)}, {e(s.quality)}; '
            f'accessed {e(s.accessed)}]</span></li>'
        )
    # MathJax classes: a title may hold a "$" (JupyterLab pairs two of them up as maths)
    return ('<ul class="ck-bibliography mathjax_ignore tex2jax_ignore">\n' + "\n".join(items)
            + "\n</ul>")


class FurtherReading:
    """Display object for a lesson's "Further reading": shows as HTML in notebooks (one
    deterministic text/html output), as text elsewhere. `further_reading("S1", "S4")` as the
    last line of a code cell."""

    def __init__(self, ids: Iterable[Any]):
        self.ids = _flatten_ids(ids)
        _lookup(self.ids)  # fail early on unknown ids

    def _repr_html_(self) -> str:
        return bibliography_html(self.ids)

    def __repr__(self) -> str:
        return "\n".join(_entry_text(s) for s in _lookup(self.ids))


def further_reading(*ids: Any) -> FurtherReading:
    return FurtherReading(ids)
