"""Lints that need the article: marked quotes must be exact, unbroken and short; a quoted phrase
from the article needs its marker; and no run of words may be copied from it unmarked, in lesson
sources or in assets (see coursekit.tools.lint for the rules). Where the article is absent
(learners' copies), these checks are skipped.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.model.claims import normalise_quote, quote_problem
from coursekit.model.problems import Problem, relpath

COPY_RUN = 10            # words: a run this long copied from the article is reported
UNMARKED_QUOTE_WORDS = 4  # words: a quoted phrase this long from the article needs the marker
ARTICLE_MARKER = "(the article)"
QUOTED = re.compile(r"“([^”]+)”|\"([^\"\n]+(?:\n[^\"\n]+)*)\"")
MARKER_AFTER = re.compile(r"\s*\(the article\)")


def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


@dataclass
class Article:
    """The article's text, its normalised form and every run of COPY_RUN words in it."""

    text: str
    ngrams: set[tuple[str, ...]] = field(default_factory=set)
    normalised: str = ""

    @classmethod
    def of(cls, text: str | None) -> "Article | None":
        if text is None:
            return None
        found = words(text)
        grams = {tuple(found[i:i + COPY_RUN]) for i in range(len(found) - COPY_RUN + 1)}
        return cls(text=text, ngrams=grams, normalised=normalise_quote(text))

    def contains(self, quote: str) -> bool:
        return normalise_quote(quote) in self.normalised


@dataclass
class Context:
    """What every lint of one run shares: the article (None: absent) and the known source ids."""

    article: Article | None
    source_ids: set[str] | None


def check_marked_quote(quote: str, ctx: Context) -> str | None:
    if "…" in quote or "..." in quote:
        return "article quote contains an ellipsis; quote one unbroken passage"
    why = quote_problem(quote, ctx.article.text if ctx.article else None)
    if why:
        return "article " + why
    return None


def lint_toml(path: Path, text: str, ctx: Context) -> tuple[list[Problem], list[str]]:
    """Article quotes in TOML (keys `quote` / `*_quote`): checked, and exempt from copying."""
    file = relpath(path)
    problems: list[Problem] = []
    lines = text.split("\n")
    copy_lines = list(lines)
    check = path.name != "claims.toml"  # coursekit.model.claims checks the ledger's quotes
    key_line = re.compile(r"""^\s*([A-Za-z0-9_-]*quote)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$""")
    for idx, line in enumerate(lines):
        m = key_line.match(line)
        if not m:
            continue
        try:
            value = tomllib.loads(line.strip())[m[1]]
        except (tomllib.TOMLDecodeError, KeyError):
            continue
        if check and isinstance(value, str) and value.strip():
            why = check_marked_quote(value, ctx)
            if why:
                problems.append(Problem(file, idx + 1, f"{m[1]}: {why}"))
        copy_lines[idx] = " " * len(line)
    return problems, copy_lines


def lint_copying(file: str, lines: list[str], ctx: Context) -> list[Problem]:
    """Each run of COPY_RUN or more words of `lines` that is also in the article, at its line."""
    if ctx.article is None:
        return []
    tokens: list[tuple[str, int]] = []
    for idx, line in enumerate(lines):
        tokens += [(w, idx + 1) for w in words(line)]
    seq = [w for w, _ in tokens]
    copied = [False] * len(seq)
    for i in range(len(seq) - COPY_RUN + 1):
        if tuple(seq[i:i + COPY_RUN]) in ctx.article.ngrams:
            for j in range(i, i + COPY_RUN):
                copied[j] = True
    problems = []
    i = 0
    while i < len(seq):
        if not copied[i]:
            i += 1
            continue
        j = i
        while j < len(seq) and copied[j]:
            j += 1
        excerpt = " ".join(seq[i:min(j, i + 8)])
        problems.append(Problem(file, tokens[i][1], f"{j - i} consecutive words copied from the article "
                                                    f"(“{excerpt} …”); quote it with {ARTICLE_MARKER} "
                                                    "or say it in your own words"))
        i = j
    return problems
