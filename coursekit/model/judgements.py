"""The course's own judgements that are not a row of a data table: assets/judgements.toml.

    [[verdict]]   what each verdict of the claim ledger means (every verdict, once, in order)
    [[evidence]]  lesson 03: evidence that is not a dated event, read like the rows of
                  data/partnership_events.csv (its `level` and `reading` vocabularies)
    [[risk]]      lesson 06: the course's likelihood and impact ratings of five risks

They are judgements, and the lessons say so; the texts a learner reads follow the citation rules
of the prose (coursekit.model.citations), `{{ name }}` shows a named fact from the data
(coursekit.model.facts), and the copying lint reads this file like every asset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import paths, tomllines
from coursekit.model.citations import citation_problems, cited_ids
from coursekit.model.files import Stamp, stamp
from coursekit.model.problems import ContentError, Problem, relpath

FILE = "judgements.toml"
EVENTS_SIDECAR = "partnership_events.toml"
BASES = ("observed", "inference", "scenario")
LEVELS = range(1, 6)
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = {
    "verdict": ("verdict", "meaning"),
    "evidence": ("key", "when", "text", "source_ids", "level", "reading", "reason", "label"),
    "risk": ("id", "letter", "title", "likelihood", "impact", "basis", "why"),
}


@dataclass(frozen=True)
class Risk:
    id: str
    letter: str
    title: str
    likelihood: int  # the course's rating, 1 (rare) .. 5 (already happening)
    impact: int      # the course's rating, 1 (minor) .. 5 (severe) for Russia-China AI cooperation
    basis: str       # observed, inference or scenario
    why: str         # the reason, with bibliography ids

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def sources(self) -> list[str]:
        return cited_ids(self.why)


@dataclass(frozen=True)
class Judgements:
    verdicts: dict[str, str]        # verdict -> meaning, in the ledger's order
    evidence: tuple[dict[str, Any], ...]
    risks: tuple[Risk, ...]


def _allowed(assets: Path) -> dict[str, list[str]]:
    sidecar = assets / "data" / EVENTS_SIDECAR
    try:
        allowed = tomllines.load(sidecar).data.get("allowed", {})
    except (ContentError, OSError):
        return {}
    return allowed if isinstance(allowed, dict) else {}


def _check(doc: tomllines.TomlDoc, assets: Path, known: set[str] | None) -> list[Problem]:
    from coursekit.model.content import VERDICTS

    problems: list[Problem] = []
    allowed = _allowed(assets)
    for key in doc.data:
        if key not in _FIELDS:
            problems.append(doc.problem(f"unexpected top-level key {key!r} (expected "
                                        f"{', '.join(f'[[{k}]]' for k in _FIELDS)})", key))
    for table, fields in _FIELDS.items():
        records = doc.data.get(table, [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(doc.problem(f"write each {table} as a [[{table}]] table", table))
            continue
        seen: set[Any] = set()
        for i, rec in enumerate(records):
            def bad(reason: str, *key: str) -> None:
                problems.append(doc.problem(f"{table} #{i + 1}: {reason}", table, i, *key))

            for key in rec:
                if key not in fields:
                    bad(f"unknown key {key!r} (expected: {', '.join(fields)})", key)
            missing = [k for k in fields if k not in rec]
            if missing:
                bad(f"missing {', '.join(missing)}")
                continue
            texts = [k for k in fields if k not in ("source_ids", "likelihood", "impact")]
            for key in texts:
                if not isinstance(rec[key], str) or not rec[key].strip():
                    bad(f"{key!r} must be a non-empty string", key)
            ident = rec[fields[0]]
            if ident in seen:
                bad(f"{fields[0]} {ident!r} appears twice", fields[0])
            seen.add(ident)
            if table == "verdict" and ident not in VERDICTS:
                bad(f"unknown verdict {ident!r} (expected one of: {', '.join(VERDICTS)})", "verdict")
            if table == "evidence":
                if isinstance(ident, str) and not _KEY.match(ident):
                    bad(f"key {ident!r} must be kebab-case, like 'trade-growth'", "key")
                ids = rec["source_ids"]
                if not isinstance(ids, list) or not ids or not all(isinstance(s, str) for s in ids):
                    bad("'source_ids' must be a non-empty list of bibliography ids", "source_ids")
                elif known is not None:
                    for sid in ids:
                        if sid not in known:
                            bad(f"unknown source id {sid!r} in source_ids", "source_ids")
                for key in ("level", "reading"):
                    choices = allowed.get(key)
                    if isinstance(choices, list) and rec[key] not in choices:
                        bad(f"{key} {rec[key]!r} is not one of the values data/{EVENTS_SIDECAR} "
                            f"allows ({', '.join(choices)})", key)
                for why in citation_problems(rec["reason"], known, required=True):
                    bad(f"reason {why}", "reason")
            if table == "risk":
                if not re.fullmatch(r"[A-Z]", str(rec["letter"])):
                    bad("letter must be one capital letter", "letter")
                for key in ("likelihood", "impact"):
                    if not isinstance(rec[key], int) or rec[key] not in LEVELS:
                        bad(f"{key} must be a whole number from 1 to 5", key)
                if rec["basis"] not in BASES:
                    bad(f"unknown basis {rec['basis']!r} (expected one of: {', '.join(BASES)})", "basis")
                for why in citation_problems(str(rec["why"]), known):
                    bad(f"why {why}", "why")
        if table == "verdict" and isinstance(records, list):
            named = [r.get("verdict") for r in records if isinstance(r, dict)]
            if [v for v in VERDICTS if v in named] != [v for v in named if v in VERDICTS]:
                problems.append(doc.problem(f"verdicts out of order: expected {', '.join(VERDICTS)}", table))
            for v in VERDICTS:
                if v not in named:
                    problems.append(doc.problem(f"verdict {v!r} has no [[verdict]] meaning", table))
    return problems


def validate(assets: Path | None = None, known: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in assets/judgements.toml, with its line (for `coursekit check`)."""
    assets = Path(assets) if assets else paths.ASSETS
    path = assets / FILE
    if not path.exists():
        return [Problem(relpath(path), 1, "file not found")]
    try:
        doc = tomllines.load(path, facts=True)
    except ContentError as exc:
        return list(exc.problems)
    return _check(doc, assets, set(known) if known is not None else None)


@lru_cache(maxsize=4)
def _load(key: Stamp) -> Judgements:
    from coursekit.model import content

    path = Path(key[0])
    problems = validate(path.parent, content.load_sources())
    if problems:
        raise ContentError(problems)
    data = tomllines.load(path, facts=True).data  # named facts filled in
    verdicts = {r["verdict"]: r["meaning"] for r in data.get("verdict", [])}
    evidence = tuple({**r, "source_ids": tuple(r["source_ids"])} for r in data.get("evidence", []))
    risks = tuple(Risk(r["id"], r["letter"], r["title"], r["likelihood"], r["impact"], r["basis"],
                       r["why"]) for r in data.get("risk", []))
    return Judgements(verdicts, evidence, risks)


def load(path: Path | None = None) -> Judgements:
    """The judgements, validated, with named facts filled in; raises ContentError on problems."""
    path = Path(path) if path else paths.ASSETS / FILE
    key = stamp(path)
    if key is None:
        raise ContentError([Problem(relpath(path), 1, "file not found")])
    return _load(key)
