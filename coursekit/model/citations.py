"""Citations inside asset texts: "[S45]", "[S45; X0304]", "[S24–S26]".

The Markdown lint checks the lessons' prose; texts that live in assets/ (a reading's reason in a
data table, a risk rating's "why", a publisher's funding note) are checked here, by the validators
that read them, with the same two rules: every cited id is in the bibliography, and a text that
states a number cites its source.
"""
from __future__ import annotations

import re
from typing import Iterable

_ID = r"[SX][0-9]+"
_ITEM = rf"{_ID}(?:\s*[–-]\s*{_ID})?"
CITATION = re.compile(rf"\[\s*({_ITEM}(?:\s*[;,]\s*{_ITEM})*)\s*\]")
_NUMBER = re.compile(r"(?<![\w])[0-9]")
_FACT = re.compile(r"\{\{.*?\}\}")


def cited_ids(text: str) -> list[str]:
    """The ids cited in `text`, in order of first citation (a range gives its two ends)."""
    out: list[str] = []
    for m in CITATION.finditer(text):
        for sid in re.findall(_ID, m.group(1)):
            if sid not in out:
                out.append(sid)
    return out


def citation_problems(text: str, known: Iterable[str] | None, *, required: bool = False) -> list[str]:
    """Why `text` breaks the citation rules (empty when it does not). `known`: the bibliography's
    ids (None skips that check); `required`: the text must cite at least one source."""
    reasons = []
    ids = cited_ids(text)
    known_set = set(known) if known is not None else None
    if known_set is not None:
        reasons += [f"cites unknown source id {sid!r}" for sid in ids if sid not in known_set]
    if not ids:
        bare = _FACT.sub("", text)
        if required:
            reasons.append("cites no source: add its bibliography ids in brackets, e.g. [S45]")
        elif _NUMBER.search(bare):
            reasons.append("states a number without a citation: add its bibliography ids, e.g. [S45]")
    return reasons
