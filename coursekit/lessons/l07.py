"""Lesson 07 (synthesis): the completed claim ledger, a map of the bibliography by publisher type
and by whose account each source gives (its `voice`), the evidence left under a filter, the article
re-assessed with two charts, and the learner's brief (rubric and length from exercise 07.6).

All is computed when the notebook runs, from claims.toml, sources.toml, judgements.toml and the
data, so the views follow the files. Charts of the ledger and the bibliography name those files as
their basis: a source line listing 200-odd bibliography ids would help nobody. The source map
and the evidence filter's computations live in coursekit/lessons/sourcemap.py, the brief in
coursekit/lessons/brief.py; the lesson calls them all through l07.
"""
from __future__ import annotations

from typing import Any, Mapping

from coursekit import calc
from coursekit.display.explore import Exploration
from coursekit.display.tables import Table
from coursekit.lessons.sourcemap import (FILTERS, QUALITY_ORDER, _draw_evidence,  # noqa: F401
                                         _is_official, bibliography_basis, cited_source_ids,
                                         cited_sources, evidence_left, evidence_readout,
                                         stance_map, stance_rows)
from coursekit.lessons.brief import (BRIEF, BRIEF_ITEM, brief_editor, brief_status, rubric,  # noqa: F401
                                     save_brief, saved_briefs, word_count)
from coursekit.model import content, judgements

LESSON = "07"
CAPACITY = "synthesis_ai_capacity"
TIMELINE = "synthesis_timeline"
WESTERN = "Western measure"


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


# ----------------------------------------------------------------------------- evidence filter
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
