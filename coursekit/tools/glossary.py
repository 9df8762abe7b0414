"""The glossary and who's who (assets/glossary.toml): reading, validation, the printable page.

    python -m coursekit glossary                 counts, and every problem the checks find
    python -m coursekit glossary --out DIR       also write DIR/glossary.html, a printable page
                                                 (coursekit/tools/glossary_page.py)
    python -m coursekit glossary --lint          list every early use of a term, pending ones too

The schema is documented at the top of assets/glossary.toml. `validate()` runs in
`python -m coursekit check`: each problem names the file and the line. In a notebook the
glossary is a searchable table (coursekit/tools/glossary_view.py); the lint that flags a term
used before its lesson introduces it is coursekit/tools/glossary_lint.py.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit.model import paths, tomllines
from coursekit.model.problems import ContentError, Problem

GLOSSARY_FILE = paths.ASSETS / "glossary.toml"
KINDS = ("term", "actor", "verdict")
KIND_LABELS = {"term": "Terms", "actor": "Who's who", "verdict": "Verdicts"}
VERDICTS = ("supported", "needs context", "misleading", "not supported", "cannot be checked")
LANGUAGES = {"ru": ("Russian", "ru", re.compile(r"[\u0400-\u04FF]")),
             "zh": ("Chinese", "zh-Hans", re.compile(r"[\u3400-\u9FFF]"))}
MAX_DEFINITION_WORDS = 80

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SOURCE_ID = re.compile(r"^(?:S[1-9][0-9]*|X[0-9]+)$")
_CITED = re.compile(r"\[([SX][0-9]+(?:\s*[;,]\s*[SX][0-9]+)*)\]")
_KEYS = {"id": True, "term": True, "kind": True, "definition": True, "lesson": True,
         "sources": True, "aliases": False, "ru": False, "zh": False, "note": False}
_EQUIVALENT_KEYS = ("text", "source", "note")


@dataclass(frozen=True)
class Equivalent:
    text: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Entry:
    id: str
    term: str
    kind: str
    definition: str
    lesson: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    ru: Equivalent | None = None
    zh: Equivalent | None = None
    note: str = ""
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    def cited(self) -> list[str]:
        """Every bibliography id the entry cites, in order of first use."""
        ids = list(self.sources)
        for eq in (self.ru, self.zh):
            if eq:
                ids.append(eq.source)
        for text in (self.definition, self.note, *(e.note for e in (self.ru, self.zh) if e)):
            for group in _CITED.findall(text):
                ids += re.split(r"\s*[;,]\s*", group)
        return list(dict.fromkeys(ids))


# ----------------------------------------------------------------------------- reading

def source_ids(path: Path | None = None) -> set[str]:
    """The ids in assets/sources.toml (read directly: the glossary needs nothing else of it)."""
    try:
        doc = tomllines.load(path or paths.ASSETS / "sources.toml")
    except (ContentError, OSError):
        return set()
    records = doc.data.get("source")
    return {r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)} \
        if isinstance(records, list) else set()


def _lesson_ids() -> tuple[str, ...]:
    from coursekit.model import course

    try:
        return course.lesson_ids()
    except ContentError:
        return ()


def read(path: Path | None = None, *, known_sources: set[str] | None = None,
         lessons: tuple[str, ...] | None = None) -> tuple[list[Entry], list[Problem]]:
    """Entries of the glossary and every problem found in it (file, line, reason)."""
    path = Path(path or GLOSSARY_FILE)
    if not path.exists():
        return [], [Problem(str(path), 1, "the glossary is missing: create assets/glossary.toml "
                            "(see docs/timing-freshness-glossary.md)")]
    try:
        doc = tomllines.load(path)
    except ContentError as exc:
        return [], list(exc.problems)
    known = source_ids() if known_sources is None else known_sources
    lessons = _lesson_ids() if lessons is None else lessons
    problems: list[Problem] = []
    raw = doc.only_table("entry", problems, holds="the glossary holds only [[entry]] tables",
                         empty="no [[entry]] tables")
    if raw is None:
        return [], problems
    entries: list[Entry] = []
    ids: dict[str, int] = {}
    names: dict[str, str] = {}  # lower-cased name -> id of the entry that has it
    for i, rec in enumerate(raw):
        def bad(reason: str, *key: Any) -> None:
            label = rec.get("id") if isinstance(rec, dict) and isinstance(rec.get("id"), str) \
                else f"entry {i + 1}"
            problems.append(doc.problem(f"{label}: {reason}", "entry", i, *key))

        if not isinstance(rec, dict):
            bad("is not a table")
            continue
        before = len(problems)
        for key in rec:
            if key not in _KEYS:
                bad(f"unknown key {key!r} (allowed: {', '.join(_KEYS)})", key)
        missing = [k for k, required in _KEYS.items() if required and k not in rec]
        if missing:
            bad(f"is missing {', '.join(missing)}")
            continue
        eid = rec["id"]
        if not isinstance(eid, str) or not _ID.match(eid):
            bad(f"id must be lower-case words joined by hyphens, such as \"entity-list\"; got "
                f"{eid!r}", "id")
        elif eid in ids:
            bad(f"id {eid!r} is already used by entry {ids[eid] + 1}", "id")
        else:
            ids[eid] = i
        for key in ("term", "definition"):
            if not isinstance(rec[key], str) or not rec[key].strip():
                bad(f"{key} must be non-empty text", key)
        kind = rec["kind"]
        if kind not in KINDS:
            bad(f"kind must be one of {', '.join(KINDS)}; got {kind!r}", "kind")
        definition = rec["definition"] if isinstance(rec["definition"], str) else ""
        if len(definition.split()) > MAX_DEFINITION_WORDS:
            bad(f"the definition has {len(definition.split())} words; keep it under "
                f"{MAX_DEFINITION_WORDS} (plain language, one to three sentences)", "definition")
        if definition.strip() and not definition.rstrip().endswith((".", ")")):
            bad("the definition must be whole sentences, ending with a full stop", "definition")
        lesson = rec["lesson"]
        if not isinstance(lesson, str) or lesson not in lessons:
            bad(f"lesson must be the id of a lesson in course.toml ({', '.join(lessons)}), in "
                f"quotes; got {lesson!r}", "lesson")
        sources = rec["sources"]
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            bad("sources must be a list of bibliography ids, such as [\"S24\", \"X0801\"]",
                "sources")
            sources = []
        elif not sources and kind != "verdict":
            bad("sources is empty: every term and actor cites at least one bibliography id "
                "(only a verdict, defined by the course itself, may cite none)", "sources")
        for sid in sources:
            if sid not in known:
                bad(f"source {sid!r} is not in assets/sources.toml", "sources")
        if len(set(sources)) != len(sources):
            bad("sources lists an id twice", "sources")
        if kind == "verdict" and rec["term"] not in VERDICTS:
            bad(f"a verdict's term must be one of the course's verdicts ({', '.join(VERDICTS)}); "
                f"got {rec['term']!r}", "term")
        aliases = rec.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            bad("aliases must be a list of non-empty names", "aliases")
            aliases = []
        for name, key in [(rec["term"], "term"), *((a, "aliases") for a in aliases)]:
            if not isinstance(name, str):
                continue
            owner = names.get(name.strip().lower())
            if owner is not None and owner != eid:
                bad(f"the name {name!r} is already used by the entry {owner!r}: a name must lead "
                    "to one entry", key)
            names.setdefault(name.strip().lower(), eid)
        equivalents: dict[str, Equivalent | None] = {}
        for lang, (label, _, script) in LANGUAGES.items():
            equivalents[lang] = _equivalent(rec.get(lang), lang, label, script, known, bad)
        note = rec.get("note", "")
        if not isinstance(note, str):
            bad("note must be text", "note")
            note = ""
        texts = [(definition, "definition"), (note, "note"),
                 *((e.note, lang) for lang, e in equivalents.items() if e)]
        for text, key in texts:
            for group in _CITED.findall(text):
                for sid in re.split(r"\s*[;,]\s*", group):
                    if sid not in known:
                        bad(f"the {key} cites {sid!r}, which is not in assets/sources.toml", key)
        if len(problems) == before:
            entries.append(Entry(
                id=eid, term=rec["term"].strip(), kind=kind, definition=definition.strip(),
                lesson=lesson, sources=tuple(sources), aliases=tuple(a.strip() for a in aliases),
                ru=equivalents["ru"], zh=equivalents["zh"], note=note.strip(),
                line=doc.line("entry", i)))
    present = {r.get("term") for r in raw if isinstance(r, dict) and r.get("kind") == "verdict"}
    for verdict in VERDICTS:
        if verdict not in present:
            problems.append(doc.problem(f"the verdict {verdict!r} has no entry: the glossary "
                                        "explains all five verdicts"))
    return entries, problems


def _equivalent(raw: Any, lang: str, label: str, script: re.Pattern[str], known: set[str],
                bad) -> Equivalent | None:
    if raw is None:
        return None  # no source shows an equivalent: left out, never guessed
    if not isinstance(raw, dict):
        bad(f"{lang} must be an inline table such as {{ text = \"...\", source = \"X0802\" }}", lang)
        return None
    for key in raw:
        if key not in _EQUIVALENT_KEYS:
            bad(f"{lang}: unknown key {key!r} (allowed: {', '.join(_EQUIVALENT_KEYS)})", lang)
    text, source, note = raw.get("text"), raw.get("source"), raw.get("note", "")
    ok = True
    if not isinstance(text, str) or not text.strip():
        bad(f"{lang}: text must be the {label} equivalent, non-empty", lang)
        ok = False
    elif not script.search(text) and not (isinstance(note, str) and note.strip()):
        bad(f"{lang}: {text!r} has no {label} characters; if the {label} sources write it in "
            "Latin letters, say so in a note", lang)
        ok = False
    if not isinstance(source, str) or not _SOURCE_ID.match(source):
        bad(f"{lang}: source must be one bibliography id, such as \"X0802\": each equivalent "
            "has its own source", lang)
        ok = False
    elif source not in known:
        bad(f"{lang}: source {source!r} is not in assets/sources.toml", lang)
        ok = False
    if not isinstance(note, str):
        bad(f"{lang}: note must be text", lang)
        ok = False
    return Equivalent(text.strip(), source, note.strip()) if ok else None


def validate(path: Path | None = None) -> list[Problem]:
    """Every problem in the glossary: `python -m coursekit check` runs this."""
    return read(path)[1]


def load(path: Path | None = None) -> list[Entry]:
    """The glossary's entries; raises ContentError (file:line: reason) if it has problems."""
    entries, problems = read(path)
    if problems:
        raise ContentError(problems)
    return entries


def ordered(entries: list[Entry]) -> list[Entry]:
    """Terms, then actors, then verdicts; alphabetical within each, verdicts in course order."""
    def key(e: Entry):
        rank = KINDS.index(e.kind)
        return (rank, VERDICTS.index(e.term) if e.kind == "verdict" else 0,
                e.term.strip('"\u201c\u201d').lower())
    return sorted(entries, key=key)


# ----------------------------------------------------------------------------- the command

def counts(entries: list[Entry]) -> str:
    by_kind = {k: [e for e in entries if e.kind == k] for k in KINDS}
    parts = [f"{len(entries)} entries: " + ", ".join(
        f"{len(v)} {KIND_LABELS[k].lower()}" for k, v in by_kind.items())]
    for lang, (label, _, _) in LANGUAGES.items():
        have = sum(1 for e in entries if getattr(e, lang))
        parts.append(f"{label} equivalents: {have} of {len(entries)}")
    both = sum(1 for e in entries if e.ru and e.zh)
    parts.append(f"both equivalents: {both}; neither: "
                 f"{sum(1 for e in entries if not e.ru and not e.zh)}")
    parts.append(f"sources cited: {len({i for e in entries for i in e.cited()})}")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit glossary",
        description="Check assets/glossary.toml and the lessons' use of its terms; write the "
                    "glossary as a printable HTML page.")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="write DIR/glossary.html (print it from a browser)")
    parser.add_argument("--lint", action="store_true",
                        help="list every early use of a term, those still pending included")
    args = parser.parse_args(argv)
    from coursekit.tools import glossary_lint

    entries, problems = read()
    print(counts(entries))
    findings = glossary_lint.findings(entries) if entries else []
    pending = [f for f in findings if glossary_lint.is_pending(f)]
    print(f"lint: {len(findings)} finding(s), {len(pending)} of them pending "
          "(listed in coursekit/tools/glossary_pending.py)")
    problems += [f.problem() for f in findings if not glossary_lint.is_pending(f)]
    for p in problems:
        print(p)
    if args.lint:
        for f in pending:
            print(f"{f.problem()}  [pending]")
    if args.out and entries:
        from coursekit.tools.glossary_page import write_page

        print(f"wrote {write_page(args.out, entries)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
