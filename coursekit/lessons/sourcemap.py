"""Who speaks in the course's evidence (lesson 07): the sources the course cites, mapped by
publisher type and by whose account each gives (its `voice` in assets/sources.toml) against its
quality rating, and the evidence each claim keeps under a filter (only strong sources, only
independent voices, ...). Computed from claims.toml and sources.toml when the notebook runs.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Mapping

from coursekit.model import content

QUALITY_ORDER = ("weak", "fair", "strong")


def _claims(claims: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return dict(claims) if claims is not None else content.load_claims()


def _sources(sources: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return dict(sources) if sources is not None else content.load_sources()


# ----------------------------------------------------------------------------- the cited sources
_QUOTED_ID = re.compile(r"[\"']([SX][0-9]+)[\"']")


def _lesson_texts() -> list[str]:
    """The lessons' source text (content/lessons/*.md), or, in a learner's copy without it, the
    built lesson notebooks (lessons/*.ipynb)."""
    from coursekit.model import paths

    files = sorted((paths.CONTENT / "lessons").glob("*.md")) or sorted(paths.LESSONS.glob("*.ipynb"))
    return [f.read_text(encoding="utf-8") for f in files]


def cited_source_ids(claims: Mapping[str, Any] | None = None, texts: list[str] | None = None) -> set[str]:
    """The bibliography ids the course cites: the claims' evidence, the datasets' sources, and the
    lessons' bracketed citations and reading lists. Sources cited only by the glossary, or only as
    a publisher's funding note, are left out."""
    from coursekit.model.citations import cited_ids

    ids = {i for c in _claims(claims).values() for i in c.evidence}
    for name in content.dataset_names():
        ids.update(content.load_dataset(name).source_ids())
    for text in (_lesson_texts() if texts is None else texts):
        ids.update(cited_ids(text))
        ids.update(_QUOTED_ID.findall(text))
    return ids


def cited_sources(sources: Mapping[str, Any] | None = None, claims: Mapping[str, Any] | None = None,
                  texts: list[str] | None = None) -> dict[str, Any]:
    """The bibliography entries the course cites (see `cited_source_ids`), in bibliography order."""
    keep = cited_source_ids(claims, texts)
    return {sid: s for sid, s in _sources(sources).items() if sid in keep}


def bibliography_basis(sources: Mapping[str, Any] | None = None,
                       claims: Mapping[str, Any] | None = None) -> str:
    allsrc = _sources(sources)
    cited = cited_sources(allsrc, claims)
    return (f"Basis: the {len(cited)} sources the course cites (claims, data and lessons) of the "
            f"{len(allsrc)} in its bibliography (assets/sources.toml); the rest support only the "
            "glossary or notes on who funds a publisher. Each has a publisher type, whose account "
            "it gives and a quality rating.")


# ----------------------------------------------------------------------------- the stance map
def stance_rows(sources: Mapping[str, Any] | None = None,
                claims: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row a bibliography entry: who publishes it, whose account it gives, how strong it is."""
    cited = Counter(i for c in _claims(claims).values() for i in c.evidence)
    return [{"id": s.id, "publisher": s.publisher, "publisher type": s.publisher_type,
             "whose account": s.voice, "quality": s.quality, "cited by claims": cited.get(s.id, 0)}
            for s in _sources(sources).values()]


def _is_official(voice: str) -> bool:
    """A government's own account, or state media's (not government-funded research)."""
    return bool(re.search(r"\bgovernments?\b(?!-)|^state media", voice))


def stance_map(sources: Mapping[str, Any] | None = None, claims: Mapping[str, Any] | None = None):
    """Two bubble grids of the sources the course cites (`cited_sources`): publisher type x
    quality, and whose account x quality."""
    from coursekit.display import charts as plots

    rows = stance_rows(cited_sources(sources, claims), claims)
    fig, axes = plots.figure(ncols=2, figsize=(11.0, 6.4), gridspec_kw={"wspace": 0.9})
    summary: list[dict[str, Any]] = []
    maps = ((axes[0], "publisher type", content.PUBLISHER_TYPES, "Who says it (publisher type)"),
            (axes[1], "whose account", content.VOICES, "Whose account it gives"))
    for ax, by, vocabulary, title in maps:
        grid = Counter((r[by], r["quality"]) for r in rows)
        cats = [c for c in vocabulary if any(r[by] == c for r in rows)]
        plots.bubble_grid(ax, grid, cats, QUALITY_ORDER, title=title, xlabel="Quality rating of the source")
        summary += [{"map": by, "category": cat, **{q: grid[(cat, q)] for q in QUALITY_ORDER},
                     "total": sum(grid[(cat, q)] for q in QUALITY_ORDER)} for cat in cats]
    by_q = Counter(r["quality"] for r in rows)
    types = Counter(r["publisher type"] for r in rows)
    top_type = max(content.PUBLISHER_TYPES, key=lambda t: types[t])
    official = [r for r in rows if _is_official(r["whose account"])]
    russia = [r for r in official if "Russia" in r["whose account"]]
    independent = sum(1 for r in rows if r["whose account"] in content.INDEPENDENT_VOICES)
    alt = (f"Two grids of the {len(rows)} sources the course cites, by quality: {by_q['weak']} weak, "
           f"{by_q['fair']} fair, {by_q['strong']} strong. The largest publisher type is {top_type} "
           f"({types[top_type]} sources). {len(official)} sources give a government's own account or "
           f"state media's, {len(russia)} of them Russia's ({sum(1 for r in russia if r['quality'] == 'fair')} "
           f"rated fair); {independent} give no party's own account (news media, independent research, "
           "international organisations, law firms and reference works).")
    return fig, alt, summary


# ----------------------------------------------------------------------------- evidence filter
FILTERS: dict[str, Callable[[Any], bool]] = {
    "All cited sources": lambda s: True,
    "Drop weak sources": lambda s: s.quality != "weak",
    "Independent sources only, weak ones dropped":
        lambda s: s.quality != "weak" and s.voice in content.INDEPENDENT_VOICES,
    "Strong sources only": lambda s: s.quality == "strong",
}


def evidence_left(filter_label: str, claims: Mapping[str, Any] | None = None,
                  sources: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """For each claim, how many of its evidence sources pass the filter."""
    keep, srcs = FILTERS[filter_label], _sources(sources)
    per_claim = []
    for c in _claims(claims).values():
        kept = [i for i in c.evidence if i in srcs and keep(srcs[i])]
        per_claim.append({"claim": c.id, "verdict": c.verdict, "cited": len(c.evidence),
                          "kept": len(kept), "kept ids": "; ".join(kept)})
    total, kept_total = sum(r["cited"] for r in per_claim), sum(r["kept"] for r in per_claim)
    return {"filter": filter_label, "per_claim": per_claim, "cited_total": total, "kept_total": kept_total,
            "kept_share": kept_total / total * 100 if total else 0.0,
            "claims_left_empty": [r["claim"] for r in per_claim if r["kept"] == 0]}


def evidence_readout(r: dict[str, Any]) -> str:
    empty = r["claims_left_empty"]
    tail = ("every claim keeps at least one source." if not empty else
            f"{len(empty)} claim{'s' if len(empty) != 1 else ''} keep{'s' if len(empty) == 1 else ''} "
            f"no evidence at all: {', '.join(empty)}.")
    return (f"{r['filter']}: {r['kept_total']} of {r['cited_total']} evidence citations remain "
            f"({r['kept_share']:.0f}%); {tail}")


def _draw_evidence(r: dict[str, Any]):
    from matplotlib.ticker import MaxNLocator

    from coursekit.display import charts as plots

    rows = r["per_claim"][::-1]
    fig, ax = plots.figure(figsize=(7.5, 6.4))
    y = list(range(len(rows)))
    cited = ax.barh(y, [x["cited"] for x in rows], color="#E6E6E6", edgecolor=plots.PALETTE["grey"],
                    label="cited")
    ax.barh(y, [x["kept"] for x in rows], color=plots.PALETTE["blue"], edgecolor=plots.PALETTE["black"],
            label="kept by the filter")
    ax.bar_label(cited, labels=[f"{x['kept']} of {x['cited']} kept" for x in rows], padding=3, fontsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.set_yticks(y, [f"{x['claim']} ({x['verdict']})" for x in rows], fontsize=7)
    ax.set_xlabel("Evidence sources cited for the verdict")
    ax.set_xlim(0, max([x["cited"] for x in rows] + [1]) * 1.25)
    ax.set_title(f"Evidence left: {r['filter'].lower()}", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    data = [{k: x[k] for k in ("claim", "verdict", "cited", "kept", "kept ids")} for x in r["per_claim"]]
    return fig, "Bar chart. " + evidence_readout(r), data
