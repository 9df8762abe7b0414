"""Lesson 07 (synthesis): the completed claim ledger, a map of the bibliography by publisher type
and by whose account each source gives (its `voice`), the evidence left under a filter, the article
re-assessed with two charts, and the learner's brief (rubric and length from exercise 07.6).

All is computed when the notebook runs, from claims.toml, sources.toml, judgements.toml and the
data, so the views follow the files. Charts of the ledger and the bibliography name those files as
their basis: a source line listing 200-odd bibliography ids would help nobody.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable, Mapping

from coursekit import calc
from coursekit.display.explore import Exploration
from coursekit.display.tables import Table
from coursekit.lessons.brief import (BRIEF, BRIEF_ITEM, brief_editor, brief_status, rubric,  # noqa: F401
                                     save_brief, saved_briefs, word_count)
from coursekit.model import content, judgements

LESSON = "07"
CAPACITY = "synthesis_ai_capacity"
TIMELINE = "synthesis_timeline"
WESTERN = "Western measure"
QUALITY_ORDER = ("weak", "fair", "strong")


def _claims(claims: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return dict(claims) if claims is not None else content.load_claims()


def _sources(sources: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return dict(sources) if sources is not None else content.load_sources()


# ----------------------------------------------------------------------------- the ledger
def verdict_groups(claims: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """Verdict -> claim ids, in the ledger's verdict order (every verdict present, possibly empty)."""
    groups: dict[str, list[str]] = {v: [] for v in content.VERDICTS}
    for c in _claims(claims).values():
        groups[c.verdict].append(c.id)
    return groups


def pending_claims(claims: Mapping[str, Any] | None = None, *, lesson: str | None = None) -> list[str]:
    """Ids of claims still marked pending (optionally only those a given lesson owns)."""
    return [c.id for c in _claims(claims).values()
            if c.verdict == "pending" and (lesson is None or c.lesson == lesson)]


def latest_as_of(claims: Mapping[str, Any] | None = None) -> str:
    return max((c.as_of for c in _claims(claims).values()), default="")


def ledger_summary(claims: Mapping[str, Any] | None = None) -> str:
    """'Of 26 claims: 3 supported, 12 needs context, ...' (for prose and alt text)."""
    groups = verdict_groups(claims)
    parts = [f"{len(ids)} {verdict}" for verdict, ids in groups.items() if ids]
    return f"Of {sum(len(v) for v in groups.values())} claims: " + ", ".join(parts) + "."


def verdict_meanings(claims: Mapping[str, Any] | None = None) -> Table:
    """What each verdict means (assets/judgements.toml); 'pending' only while a claim is."""
    shown = [v for v in content.VERDICTS if v != "pending" or pending_claims(claims)]
    meaning = judgements.load().verdicts
    return Table([{"Verdict": v, "What it means": meaning[v]} for v in shown], row_headers=True,
                 caption="The ledger's verdicts: one fixed set, each with a precise meaning.")


def ledger_basis(claims: Mapping[str, Any] | None = None) -> str:
    allc = _claims(claims)
    ids = {i for c in allc.values() for i in c.evidence}
    return (f"Basis: the course's claim ledger (assets/claims.toml), {len(allc)} claims whose "
            f"verdicts cite {len(ids)} bibliography sources; each claim's evidence is listed in "
            f"the ledger table.")


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


def verdict_chart(claims: Mapping[str, Any] | None = None):
    """Bar chart: how many claims got each verdict, with the claim ids beside each bar."""
    from coursekit.display import charts as plots

    groups = {v: ids for v, ids in verdict_groups(claims).items() if ids or v != "pending"}
    names = list(groups)[::-1]
    counts = [len(groups[n]) for n in names]
    fig, ax = plots.figure(figsize=(8.0, 3.6))
    bars = ax.barh(names, counts, color=plots.PALETTE["blue"], edgecolor=plots.PALETTE["black"])
    for bar, name in zip(bars, names):
        if name == "pending":
            bar.set_hatch("//")
            bar.set_facecolor(plots.BACKGROUND)
    ax.bar_label(bars, labels=[f"{n}: " + ", ".join(groups[v]) if n else "0" for v, n in zip(names, counts)],
                 padding=4, fontsize=8)
    ax.set_xlim(0, max(counts + [1]) * 2.6)
    ax.set_xlabel("Number of claims")
    ax.set_title("Verdicts in the claim ledger")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    biggest = max(groups, key=lambda v: (len(groups[v]), -content.VERDICTS.index(v)))
    alt = (f"Bar chart of the claim ledger's verdicts. {ledger_summary(claims)} The most common "
           f"verdict is '{biggest}' ({len(groups[biggest])} of {sum(counts)}); only "
           f"{len(groups['supported'])} claims are supported as stated.")
    meaning = judgements.load().verdicts
    data = [{"verdict": v, "claims": len(ids), "ids": ", ".join(ids), "meaning": meaning[v]}
            for v, ids in groups.items()]
    return fig, alt, data


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


def evidence_explorer(start: str = "All cited sources") -> Exploration:
    """Set weak sources (or parties' own accounts) aside and see which verdicts still stand."""
    import ipywidgets as widgets

    control = widgets.RadioButtons(options=list(FILTERS), value=start, description="Keep",
                                   layout={"width": "max-content"})
    return Exploration(control=control, compute=evidence_left, readout=evidence_readout,
                       render=_draw_evidence, name="l07-evidence", source_text=ledger_basis(),
                       as_of=latest_as_of())


# ----------------------------------------------------------------------------- AI capacity
def capacity_ratios(dataset: Any = None) -> list[dict[str, Any]]:
    """US-to-China ratio for every labelled (indicator, period) where both countries have a figure."""
    ds = dataset or content.load_dataset(CAPACITY)
    out = []
    for key in dict.fromkeys((r["indicator"], r["period"]) for r in ds.rows if r["label"]):
        both = {r["country"]: r for r in ds.filter(indicator=key[0], period=key[1]).rows}
        if "United States" in both and "China" in both:
            us, cn = both["United States"], both["China"]
            out.append({"indicator": us["label"], "period": key[1], "United States": us["value"],
                        "China": cn["value"], "unit": us["unit"], "ratio": us["value"] / cn["value"],
                        "US-to-China ratio": round(us["value"] / cn["value"], 2),
                        "sources": "; ".join(dict.fromkeys(us["source_ids"] + cn["source_ids"]))})
    return out


def _lead(ratio: float, again: bool = False) -> str:
    times = f"{max(ratio, 1 / ratio):.1f} times"
    if again:
        return times
    return f"the US had {times} China's" if ratio >= 1 else f"China had {times} the US's"


def _day(iso: str) -> str:
    d = calc.parse_date(iso)
    return f"{d.day} {d:%B %Y}"


def capacity_chart(dataset: Any = None):
    """Log-scale bars of the US-to-China ratio: right of 1 the US is ahead, left of it China."""
    from coursekit.display import charts as plots

    ds = dataset or content.load_dataset(CAPACITY)
    rows = capacity_ratios(ds)
    fig, ax = plots.figure(figsize=(8.0, 3.9))
    ratios = [r["ratio"] for r in rows][::-1]
    for i, ratio in enumerate(ratios):
        us_ahead = ratio >= 1
        ax.barh(i, ratio - 1 if us_ahead else 1 - ratio, left=1 if us_ahead else ratio,
                color=plots.PALETTE["blue" if us_ahead else "vermillion"], hatch="" if us_ahead else "//",
                edgecolor=plots.PALETTE["black"])
        ax.annotate(f"US {ratio:.1f}\u00d7 China" if us_ahead else f"China {1 / ratio:.1f}\u00d7 US",
                    (ratio, i), xytext=(4 if us_ahead else -4, 0), textcoords="offset points",
                    ha="left" if us_ahead else "right", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1, color=plots.PALETTE["black"], linewidth=1)
    ax.set_xlim(0.05, 60)
    ax.set_yticks(range(len(rows)), [f"{r['indicator']}, {r['period']}" for r in rows][::-1], fontsize=8)
    ax.set_xlabel("US figure divided by China's figure (log scale; 1 = level)")
    ax.set_title("Where the US leads China in AI, and where it does not")
    ax.grid(axis="y", visible=False)
    said = []
    for label in dict.fromkeys(r["indicator"] for r in rows):
        mine = [r for r in rows if r["indicator"] == label]
        first, last = mine[0], mine[-1]
        text = f"{label}: {_lead(first['ratio'])} in {first['period']}"
        if len(mine) > 1:
            same = (first["ratio"] >= 1) == (last["ratio"] >= 1)
            text += f", {_lead(last['ratio'], again=same)} in {last['period']}"
        said.append(text)
    alt = "Bar chart of US-to-China ratios. " + "; ".join(said) + "."
    sources = list(dict.fromkeys(i for r in ds.rows if r["label"] for i in r["source_ids"]))
    return fig, alt, [{k: v for k, v in r.items() if k != "ratio"} for r in rows], sources


# ----------------------------------------------------------------------------- the timeline
def timeline_rows(dataset: Any = None) -> list[dict[str, Any]]:
    ds = dataset or content.load_dataset(TIMELINE)
    return [{"number": k, "date": r["date"], "actor": r["actor"], "measure": r["measure"],
             "kind": r["side"], "sources": "; ".join(r["source_ids"])}
            for k, r in enumerate(sorted(ds.rows, key=lambda r: r["date"]), start=1)]


def controls_date(dataset: Any = None) -> str:
    """The date of the broad Western export controls: the first Western measure in the timeline."""
    return min(r["date"] for r in timeline_rows(dataset) if r["kind"] == WESTERN)


def steps_before(cutoff: str | None = None, dataset: Any = None) -> tuple[int, int]:
    """(Russian or Russia-China steps before `cutoff`, those on or after it)."""
    cutoff = cutoff or controls_date(dataset)
    rows = [r for r in timeline_rows(dataset) if r["kind"] != WESTERN]
    before = sum(1 for r in rows if r["date"] < cutoff)
    return before, len(rows) - before


def timeline_chart(dataset: Any = None):
    from coursekit.display import charts as plots

    ds = dataset or content.load_dataset(TIMELINE)
    rows, cut = timeline_rows(ds), controls_date(ds)
    fig, ax = plots.figure(figsize=(9.0, 3.4))
    kinds = ds.meta["allowed"]["side"]
    styles = {WESTERN: ("s", plots.PALETTE["vermillion"])}
    for y, kind in enumerate(kinds):
        pts = [r for r in rows if r["kind"] == kind]
        xs = [calc.decimal_year(r["date"]) for r in pts]
        marker, colour = styles.get(kind, ("o", plots.PALETTE["blue"]))
        ax.scatter(xs, [y] * len(xs), marker=marker, s=60, color=colour, edgecolor=plots.PALETTE["black"],
                   zorder=3, label=kind)
        for j, (x, r) in enumerate(zip(xs, pts)):
            ax.annotate(str(r["number"]), (x, y), xytext=(0, 9 if j % 2 == 0 else -15),
                        textcoords="offset points", ha="center", fontsize=8)
    x_cut = calc.decimal_year(cut)
    ax.axvline(x_cut, color=plots.PALETTE["black"], linestyle="--", linewidth=1)
    ax.annotate(f"{_day(cut)}: broad\nWestern export controls", (x_cut, 1.45),
                xytext=(4, 0), textcoords="offset points", fontsize=8, va="top")
    ax.set_yticks([0, 1], ["Russia's AI policy and\nRussia-China steps", "Western measures"], fontsize=9)
    ax.set_ylim(-0.6, 1.6)
    years = range(int(rows[0]["date"][:4]), int(rows[-1]["date"][:4]) + 1)
    ax.set_xticks(list(years), [str(y) for y in years])
    ax.set_xlim(years[0] - 0.2, years[-1] + 1.0)
    ax.set_title("AI cooperation steps and Western measures, numbered in date order")
    ax.grid(axis="y", visible=False)
    before, after = steps_before(cut, ds)
    steps = [r for r in rows if r["kind"] != WESTERN]
    last, latest = [r for r in steps if r["date"] < cut][-1], steps[-1]
    alt = (f"Timeline. {before} of the {before + after} Russian and Russia-China steps on AI in the table "
           f"came before the broad Western export controls of {_day(cut)}, the last of "
           f"them ({last['actor']}, {last['date']}) {calc.days_between(last['date'], cut)} days earlier; "
           f"{after} came after, the latest on {latest['date']} ({latest['actor']}).")
    data = [{k: r[k] for k in ("number", "date", "kind", "actor", "measure", "sources")} for r in rows]
    return fig, alt, data, ds.source_ids()


# The brief lives in coursekit/lessons/brief.py; the lesson calls it through l07.
