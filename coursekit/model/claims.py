"""The article's claim ledger, assets/claims.toml, and what counts as quoting the article.

Each [[claim]] has id ("C01"), quote (a short exact quote from the article), type, theme, lesson
(a lesson id from course.toml: the lesson that judges it), verdict, reason, evidence (source
ids) and as_of. A verdict other than "pending" needs a reason and evidence.

The article itself is never in the repository (see coursekit.model.paths.article_path); where it
is absent, quotes are checked for length only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import course, paths
from coursekit.model.problems import ContentError, Problem
from coursekit.model.records import Record, read_records

CLAIM_TYPES = ("fact", "statistic", "forecast", "causal", "value")
THEMES = ("sanctions", "partnership", "governance", "economics", "risks", "framing")
VERDICTS = (
    "supported", "needs context", "misleading", "not supported", "cannot be checked", "pending",
)
#: Article quotes must be under this many words.
MAX_QUOTE_WORDS = 25
CLAIM_ID = re.compile(r"^C[0-9]{2,}$")
_KEYS = {
    "id": True, "quote": True, "type": True, "theme": True, "lesson": True, "verdict": True,
    "reason": True, "evidence": True, "as_of": True,
}
#: "read the article from its usual place" (None means: there is no article, skip the check).
UNSET: Any = object()


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    type: str
    theme: str
    lesson: str
    verdict: str
    reason: str
    evidence: tuple[str, ...]
    as_of: str
    line: int = 0


# --------------------------------------------------------------------------------------------
# The article and quotes from it
# --------------------------------------------------------------------------------------------
def read_article(path: Path | None = None) -> str | None:
    """The article's text, or None where it is absent (learners' copies never include it)."""
    path = Path(path) if path else paths.article_path()
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None


def normalise_quote(text: str) -> str:
    """What "exact" means for quotes: whitespace runs count as one space, and typographic
    apostrophes equal straight ones, and a Markdown-escaped dollar sign (\\$) is a dollar sign.
    Nothing else is forgiven."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\\$", "$")
    return re.sub(r"\s+", " ", text).strip()


def quote_problem(quote: str, article: str | None) -> str | None:
    """Why `quote` is not an acceptable article quote, or None when it is."""
    words = len(quote.split())
    if words >= MAX_QUOTE_WORDS:
        return f"quote has {words} words; article quotes must be under {MAX_QUOTE_WORDS} words"
    if article is not None and normalise_quote(quote) not in normalise_quote(article):
        return "quote is not an exact substring of the article"
    return None


# --------------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------------
def read_claims(path: Path | None = None, *, source_ids: Iterable[str] | None = None,
                article: str | None = UNSET) -> tuple[dict[str, Claim], list[Problem]]:
    """`source_ids`: known bibliography ids (None: don't check). `article`: its text; by default
    read from paths.article_path(); None skips the substring check."""
    if article is UNSET:
        article = read_article()
    lessons = course.known_ids()

    def make(rec: Record, rid: str) -> Claim:
        quote = rec.text("quote")
        if quote.strip():
            why = quote_problem(quote, article)
            if why:
                rec.problem(why, "quote")
        ctype = rec.enum("type", CLAIM_TYPES)
        theme = rec.enum("theme", THEMES)
        lesson = rec.enum("lesson", lessons)
        verdict = rec.enum("verdict", VERDICTS)
        reason = rec.text("reason", empty_ok=True)
        evidence = rec.source_ids("evidence", source_ids)
        if verdict and verdict != "pending":
            if not reason.strip():
                rec.problem(f"verdict {verdict!r} needs a reason", "reason")
            if "evidence" in rec.data and not evidence:
                rec.problem(f"verdict {verdict!r} needs evidence", "evidence")
        return Claim(id=rid, quote=quote, type=ctype, theme=theme, lesson=lesson, verdict=verdict,
                     reason=reason, evidence=evidence, as_of=rec.date("as_of"), line=rec.line)

    return read_records(Path(path) if path else paths.ASSETS / "claims.toml", "claim", CLAIM_ID,
                        '"C01", "C02", ...', _KEYS, make, facts=True)


def load_claims(path: Path | None = None) -> dict[str, Claim]:
    """The claim ledger, keyed by id (C01, ...). Checks evidence ids against the bibliography and,
    where the article is present, that each quote is an exact substring of it."""
    from coursekit.model.sources import load_sources

    claims, problems = read_claims(path, source_ids=load_sources())
    if problems:
        raise ContentError(problems)
    return claims
