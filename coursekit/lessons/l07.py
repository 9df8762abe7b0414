"""Lesson 07 (synthesis): the completed claim ledger, a stance-and-evidence map of the
bibliography, the article re-assessed, a spaced review and the learner's brief.

Everything about the ledger and the bibliography is computed when the notebook runs, from
assets/claims.toml and assets/sources.toml (coursekit.model.content.load_claims / load_sources), so the
table, the verdict chart and the map stay current as other lessons fill in verdicts and add sources.

Plain functions (tested without widgets):
- `ledger_rows`, `verdict_groups`, `pending_claims`: the ledger as rows and counts;
- `whose_account(source)`: whose view a bibliography entry records, from its stance,
  publisher type and publisher (rules below); `stance_rows`, `stance_grid`;
- `evidence_left(filter_label)`: how much evidence each verdict keeps when weak sources, or
  governments' and companies' own accounts, are set aside;
- `capacity_ratios()`: US-to-China ratios on the AI indicators of `synthesis_ai_capacity`;
- `timeline_rows()`, `is_western_measure(actor)`, `days_between(a, b)`: the dated record of
  `synthesis_timeline`;
- `quiz_item_ids()`, `spread(ranked, k)`, `review_items(k)`: the spaced review across all banks;
- `word_count(text)`, `brief_status(text)`, `save_brief(text)`: the learner's brief.

Charts: `verdict_chart`, `stance_map` and the exploration's chart return (fig, alt, data);
`capacity_chart` and `timeline_chart`, drawn from shipped data files, also return the source ids
for coursekit.display.charts.show: (fig, alt, data, source_ids). Charts of the ledger and the bibliography are published with `show_derived`,
which has the same shape as coursekit.display.charts.show (PNG with alt metadata, then a text/html note
with the description, the basis and the data table) but names the ledger or the bibliography as
its basis: a source line listing every one of 200-odd bibliography ids would help nobody.

Widgets: `evidence_explorer()` (an Exploration; its control is a set of radio buttons, which
work with the keyboard in JupyterLab), `review_quiz(k)` and `brief_editor()`.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from coursekit.display.charts import NO_MATH

LESSON = "07"
BRIEF_ITEM = "07.brief"
BRIEF_MIN_WORDS = 200
BRIEF_MAX_WORDS = 300
CAPACITY = "synthesis_ai_capacity"
TIMELINE = "synthesis_timeline"
BROAD_CONTROLS_DATE = "2022-02-24"

VERDICT_ORDER = ("supported", "needs context", "misleading", "not supported",
                 "cannot be checked", "pending")
VERDICT_MEANING = {
    "supported": "the evidence backs it as stated",
    "needs context": "true as far as it goes, but something that matters is left out",
    "misleading": "contains truth but leaves a false impression",
    "not supported": "the evidence found does not back it",
    "cannot be checked": "a judgement or forecast that no source can settle today",
    "pending": "not yet judged by its lesson",
}
QUALITY_ORDER = ("weak", "fair", "strong")

# ----------------------------------------------------------------------------- the ledger


def _claims(claims: Mapping[str, Any] | None = None) -> dict[str, Any]:
    if claims is not None:
        return dict(claims)
    from coursekit.model import content

    return content.load_claims()


def _sources(sources: Mapping[str, Any] | None = None) -> dict[str, Any]:
    if sources is not None:
        return dict(sources)
    from coursekit.model import content

    return content.load_sources()


def ledger_rows(claims: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row a claim, in ledger order."""
    return [{"claim": c.id, "quote": c.quote, "type": c.type, "theme": c.theme,
             "lesson": c.lesson, "verdict": c.verdict, "sources": len(c.evidence),
             "as of": c.as_of} for c in _claims(claims).values()]


def verdict_groups(claims: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """Verdict -> claim ids, in VERDICT_ORDER (every verdict present, possibly empty)."""
    groups: dict[str, list[str]] = {v: [] for v in VERDICT_ORDER}
    for c in _claims(claims).values():
        groups.setdefault(c.verdict, []).append(c.id)
    return groups


def pending_claims(claims: Mapping[str, Any] | None = None, *,
                   lesson: str | None = None) -> list[str]:
    """Ids of claims still marked pending (optionally only those a given lesson owns)."""
    return [c.id for c in _claims(claims).values()
            if c.verdict == "pending" and (lesson is None or c.lesson == lesson)]


def latest_as_of(claims: Mapping[str, Any] | None = None) -> str:
    dates = [c.as_of for c in _claims(claims).values()]
    return max(dates) if dates else ""


def ledger_summary(claims: Mapping[str, Any] | None = None) -> str:
    """'Of 26 claims, 3 are supported, 12 need context, ...' (for prose and alt text)."""
    groups = verdict_groups(claims)
    total = sum(len(v) for v in groups.values())
    parts = [f"{len(ids)} {verdict}" for verdict, ids in groups.items() if ids]
    return f"Of {total} claims: " + ", ".join(parts) + "."


class LedgerTable:
    """The ledger as a deterministic HTML table (one row a claim, its reason and evidence in a
    <details> element), with a plain-text form for text/plain."""

    def __init__(self, claims: Mapping[str, Any] | None = None, *, only: Iterable[str] | None = None):
        allc = _claims(claims)
        wanted = list(only) if only is not None else list(allc)
        self.claims = [allc[i] for i in wanted]

    def _repr_html_(self) -> str:
        e = html.escape
        head = ("<tr><th scope=\"col\">Claim</th><th scope=\"col\">Quote from the article</th>"
                "<th scope=\"col\">Theme</th><th scope=\"col\">Judged in</th>"
                "<th scope=\"col\">Verdict</th><th scope=\"col\">Reason and evidence</th>"
                "<th scope=\"col\">As of</th></tr>")
        body = []
        for c in self.claims:
            ids = "; ".join(c.evidence)
            body.append(
                f"<tr><th scope=\"row\">{e(c.id)}</th><td>\u201c{e(c.quote)}\u201d</td>"
                f"<td>{e(c.theme)}</td><td>Lesson {e(c.lesson)}</td>"
                f"<td><strong>{e(c.verdict)}</strong></td>"
                f"<td><details><summary>Reason ({len(c.evidence)} sources)</summary>"
                f"<p>{e(c.reason)}</p><p>Evidence: {e(ids)}</p></details></td>"
                f"<td>{e(c.as_of)}</td></tr>")
        return (f"<table class=\"ck-ledger {NO_MATH}\"><caption>The claim ledger: each quote is the article's "
                f"own words; verdicts, reasons and evidence are the course's.</caption>"
                f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>")

    def __repr__(self) -> str:
        return "\n".join(f"{c.id} [{c.verdict}] \u201c{c.quote}\u201d (the article)"
                         for c in self.claims)


def ledger_table(claims: Mapping[str, Any] | None = None, *,
                 only: Iterable[str] | None = None) -> LedgerTable:
    return LedgerTable(claims, only=only)


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
    labels = [f"{n}: " + ", ".join(groups[v]) if n else "0" for v, n in zip(names, counts)]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=8)
    top = max(counts + [1])
    ax.set_xlim(0, top * 2.6)
    ax.set_xlabel("Number of claims")
    ax.set_title("Verdicts in the claim ledger")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    total = sum(counts)
    biggest = max(groups, key=lambda v: (len(groups[v]), -VERDICT_ORDER.index(v)))
    alt = (f"Bar chart of the claim ledger's verdicts. {ledger_summary(claims)} The most common "
           f"verdict is '{biggest}' ({len(groups[biggest])} of {total}); only "
           f"{len(groups['supported'])} claims are supported as stated.")
    data = [{"verdict": v, "claims": len(ids), "ids": ", ".join(ids),
             "meaning": VERDICT_MEANING[v]} for v, ids in groups.items()]
    return fig, alt, data


# ----------------------------------------------------------------------------- publishing a
# chart whose basis is the ledger or the bibliography


def show_derived(fig, *, alt: str, basis: str, data: Sequence[dict[str, Any]] | None = None,
                 columns: Sequence[str] | None = None, as_of: str | None = None,
                 display_id: str | None = None, update: bool = False) -> None:
    """Like coursekit.display.charts.show, for a chart computed from the course's own ledger or
    bibliography: `basis` replaces the source line ("Basis: the claim ledger ...")."""
    from coursekit.display import charts as plots

    plots.show(fig, alt=alt, source_ids=[], source_text=basis, data=data, columns=columns,
               as_of=as_of, display_id=display_id, update=update)


def ledger_basis(claims: Mapping[str, Any] | None = None) -> str:
    allc = _claims(claims)
    ids = {i for c in allc.values() for i in c.evidence}
    return (f"Basis: the course's claim ledger (assets/claims.toml), {len(allc)} claims whose "
            f"verdicts cite {len(ids)} bibliography sources; each claim's evidence is listed in "
            f"the ledger table.")


def bibliography_basis(sources: Mapping[str, Any] | None = None) -> str:
    return (f"Basis: the course bibliography (assets/sources.toml), {len(_sources(sources))} "
            f"sources, each with its publisher type, stance note and quality rating.")


# ----------------------------------------------------------------------------- whose account

ACCOUNT_GROUPS = (
    "Russian government",
    "Chinese government",
    "Russia and China jointly",
    "Western or Ukrainian governments",
    "Other governments",
    "Companies (own data or models)",
    "Independent reporting and analysis",
)
_RUSSIA = r"\b(russia|russian|putin|mishustin|lavrov|kremlin|shadayev|moscow)"
_CHINA = r"\b(china|chinese|prc|beijing|xinhua|people's republic)"
_WEST_ACRONYMS = r"\b(US|USA|EU|G7|UK)\b"  # matched case-sensitively ("us" is a pronoun)
_WEST = (r"(united states|white house|european|council|ukrain|treasury|state department|"
         r"federal reserve|french|france|british government)")
_OFFICIAL = (r"(government|state media|state broadcaster|state news|ministry|official|putin|"
             r"mishustin|minister|ambassador|spokesperson|statement|communique|\bG7\b|white house|"
             r"council|institution|treasury|secretary|customs service|trade representative|"
             r"legislature|assessment|decree)")
_COMPANY = r"(consultancy|self-reported|sber executive|tochka|company's own)"
_JOINT = r"(two governments|joint communique)"
_STATE_MEDIA_RU = r"\b(tass|sputnik|rt|ria novosti|rossiyskaya gazeta|izvestia)\b"
_STATE_MEDIA_CN = r"(xinhua|people's daily|global times|cgtn|china daily)"


def _first_group(text: str) -> str | None:
    """The government whose keyword comes first in `text` (Russia, China or the West)."""
    hits = []
    for group, pattern, flags in (("Russian government", _RUSSIA, re.I),
                                  ("Chinese government", _CHINA, re.I),
                                  ("Western or Ukrainian governments", _WEST, re.I),
                                  ("Western or Ukrainian governments", _WEST_ACRONYMS, 0)):
        m = re.search(pattern, text, flags)
        if m:
            hits.append((m.start(), group))
    return min(hits)[1] if hits else None


def _voice_text(stance: str) -> str:
    """The part of a stance note that names whose account it is: what follows 'reporting X' or
    'relays X', or what precedes ', reported by' / ', via'."""
    m = re.search(r",?\s*\b(reported by|via)\b", stance)
    if m:
        return stance[:m.start()]
    m = re.search(r"\b(reporting|relaying|reports|relays)\b", stance, re.I)
    if m:
        return stance[m.end():]
    return stance


def whose_account(source: Any) -> str:
    """Whose view a bibliography entry records, one of ACCOUNT_GROUPS.

    Rules, in order: a stance note that names a joint statement -> "Russia and China jointly";
    one that names a company's own figures or model -> "Companies"; one that names a government,
    an official, a ministry or state media -> that government (the first one named in the part
    of the note that says whose account it is, e.g. after "reporting"); any other stance note
    (an analyst's declared argument, scholars) -> "Independent". Without a stance note: a
    government publisher or state media -> its government, from the publisher's name; everything
    else -> "Independent reporting and analysis".
    """
    stance = (getattr(source, "stance", "") or "").strip()
    publisher = f"{source.publisher} {source.title}"
    if stance:
        if re.search(_JOINT, stance, re.I):
            return "Russia and China jointly"
        if re.search(_COMPANY, stance, re.I):
            return "Companies (own data or models)"
        if re.search(r"\bscholars\b", stance, re.I):
            return "Independent reporting and analysis"
        if re.search(_OFFICIAL, stance, re.I) or re.search(_WEST_ACRONYMS, stance):
            group = _first_group(_voice_text(stance)) or _first_group(stance)
            return group or "Other governments"
        return "Independent reporting and analysis"
    if source.publisher_type == "state media":
        if re.search(_STATE_MEDIA_RU, source.publisher, re.I):
            return "Russian government"
        if re.search(_STATE_MEDIA_CN, source.publisher, re.I):
            return "Chinese government"
        return "Other governments"
    if source.publisher_type == "government":
        return _first_group(publisher) or "Other governments"
    return "Independent reporting and analysis"


def citation_counts(claims: Mapping[str, Any] | None = None) -> dict[str, int]:
    """How many claims cite each source id."""
    counts: dict[str, int] = {}
    for c in _claims(claims).values():
        for i in c.evidence:
            counts[i] = counts.get(i, 0) + 1
    return counts


def stance_rows(sources: Mapping[str, Any] | None = None,
                claims: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row a bibliography entry: who says it, whose account, how strong, how often cited."""
    cited = citation_counts(claims)
    return [{"id": s.id, "publisher": s.publisher, "publisher type": s.publisher_type,
             "whose account": whose_account(s), "quality": s.quality,
             "cited by claims": cited.get(s.id, 0)} for s in _sources(sources).values()]


def stance_grid(rows: Sequence[dict[str, Any]], by: str) -> dict[tuple[str, str], int]:
    """Counts of sources for each (value of `by`, quality)."""
    grid: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r[by], r["quality"])
        grid[key] = grid.get(key, 0) + 1
    return grid


def stance_map(sources: Mapping[str, Any] | None = None, claims: Mapping[str, Any] | None = None):
    """Two bubble grids: publisher type x quality, and whose account x quality."""
    from coursekit.model import content
    from coursekit.display import charts as plots

    rows = stance_rows(sources, claims)
    types = [t for t in content.PUBLISHER_TYPES if any(r["publisher type"] == t for r in rows)]
    groups = [g for g in ACCOUNT_GROUPS if any(r["whose account"] == g for r in rows)]
    from matplotlib.colors import to_rgba

    fill = to_rgba(plots.PALETTE["blue"], 0.3)  # light fill; the black outline and the number carry it
    fig, axes = plots.figure(ncols=2, figsize=(11.0, 4.8), gridspec_kw={"wspace": 0.9})
    summary: list[dict[str, Any]] = []
    for ax, by, cats, title in ((axes[0], "publisher type", types, "Who says it (publisher type)"),
                                (axes[1], "whose account", groups, "Whose account it gives")):
        grid = stance_grid(rows, by)
        biggest = max(grid.values()) if grid else 1
        for yi, cat in enumerate(cats[::-1]):
            for xi, q in enumerate(QUALITY_ORDER):
                n = grid.get((cat, q), 0)
                if n:
                    ax.scatter([xi], [yi], s=160 + 900 * n / biggest, facecolor=fill,
                               edgecolor=plots.PALETTE["black"], linewidth=1, zorder=2)
                ax.annotate(str(n) if n else "\u2013", (xi, yi), ha="center", va="center",
                            fontsize=9, zorder=3)
        ax.set_xticks(range(len(QUALITY_ORDER)), [f"{q}" for q in QUALITY_ORDER])
        ax.set_yticks(range(len(cats)), cats[::-1], fontsize=9)
        ax.set_xlim(-0.6, len(QUALITY_ORDER) - 0.4)
        ax.set_ylim(-0.6, len(cats) - 0.4)
        ax.set_xlabel("Quality rating of the source")
        ax.set_title(title, fontsize=11)
        ax.grid(False)
        for cat in cats:
            summary.append({"map": by, "category": cat,
                            **{q: grid.get((cat, q), 0) for q in QUALITY_ORDER},
                            "total": sum(grid.get((cat, q), 0) for q in QUALITY_ORDER)})
    n = len(rows)
    by_q = {q: sum(1 for r in rows if r["quality"] == q) for q in QUALITY_ORDER}
    acc = {g: [r for r in rows if r["whose account"] == g] for g in groups}
    official = sum(len(acc.get(g, [])) for g in ACCOUNT_GROUPS[:5])
    top_type = max(types, key=lambda t: sum(1 for r in rows if r["publisher type"] == t))
    top_n = sum(1 for r in rows if r["publisher type"] == top_type)
    ru = acc.get("Russian government", [])
    ru_fair = sum(1 for r in ru if r["quality"] == "fair")
    alt = (f"Two grids of the {n} bibliography sources by quality: {by_q['weak']} weak, "
           f"{by_q['fair']} fair, {by_q['strong']} strong. The largest publisher type is "
           f"{top_type} ({top_n} sources). {official} sources record a government's own account "
           f"or state media, {len(acc.get('Russian government', []))} of them Russia's "
           f"({ru_fair} rated fair); "
           f"{len(acc.get('Independent reporting and analysis', []))} are independent reporting "
           f"or analysis.")
    return fig, alt, summary


# ----------------------------------------------------------------------------- evidence filter

def _keep_all(s: Any) -> bool:
    return True


def _not_weak(s: Any) -> bool:
    return s.quality != "weak"


def _independent_not_weak(s: Any) -> bool:
    return s.quality != "weak" and whose_account(s) == "Independent reporting and analysis"


def _strong(s: Any) -> bool:
    return s.quality == "strong"


FILTERS: dict[str, Callable[[Any], bool]] = {
    "All cited sources": _keep_all,
    "Drop weak sources": _not_weak,
    "Independent sources only, weak ones dropped": _independent_not_weak,
    "Strong sources only": _strong,
}
DEFAULT_FILTER = "All cited sources"


def evidence_left(filter_label: str, claims: Mapping[str, Any] | None = None,
                  sources: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """For each claim, how many of its evidence sources pass the filter."""
    keep = FILTERS[filter_label]
    allc, srcs = _claims(claims), _sources(sources)
    per_claim = []
    for c in allc.values():
        kept = [i for i in c.evidence if i in srcs and keep(srcs[i])]
        per_claim.append({"claim": c.id, "verdict": c.verdict, "cited": len(c.evidence),
                          "kept": len(kept), "kept ids": "; ".join(kept)})
    total = sum(r["cited"] for r in per_claim)
    kept_total = sum(r["kept"] for r in per_claim)
    empty = [r["claim"] for r in per_claim if r["kept"] == 0]
    return {"filter": filter_label, "per_claim": per_claim, "cited_total": total,
            "kept_total": kept_total, "kept_share": kept_total / total * 100 if total else 0.0,
            "claims_left_empty": empty}


def evidence_readout(r: dict[str, Any]) -> str:
    empty = r["claims_left_empty"]
    tail = ("every claim keeps at least one source." if not empty else
            f"{len(empty)} claim{'s' if len(empty) != 1 else ''} keep{'s' if len(empty) == 1 else ''} "
            f"no evidence at all: {', '.join(empty)}.")
    return (f"{r['filter']}: {r['kept_total']} of {r['cited_total']} evidence citations remain "
            f"({r['kept_share']:.0f}%); {tail}")


def _draw_evidence(r: dict[str, Any]):
    from coursekit.display import charts as plots

    rows = r["per_claim"][::-1]
    fig, ax = plots.figure(figsize=(7.5, 6.4))
    y = list(range(len(rows)))
    from matplotlib.ticker import MaxNLocator

    cited = ax.barh(y, [x["cited"] for x in rows], color="#E6E6E6",
                    edgecolor=plots.PALETTE["grey"], label="cited")
    ax.barh(y, [x["kept"] for x in rows], color=plots.PALETTE["blue"],
            edgecolor=plots.PALETTE["black"], label="kept by the filter")
    ax.bar_label(cited, labels=[f"{x['kept']} of {x['cited']} kept" for x in rows], padding=3,
                 fontsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.set_yticks(y, [f"{x['claim']} ({x['verdict']})" for x in rows], fontsize=7)
    ax.set_xlabel("Evidence sources cited for the verdict")
    ax.set_xlim(0, max([x["cited"] for x in rows] + [1]) * 1.25)
    ax.set_title(f"Evidence left: {r['filter'].lower()}", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    data = [{k: x[k] for k in ("claim", "verdict", "cited", "kept", "kept ids")}
            for x in r["per_claim"]]
    return fig, "Bar chart. " + evidence_readout(r), data


def evidence_explorer(start: str = DEFAULT_FILTER):
    """Set weak sources (or governments' and companies' own accounts) aside and see which
    verdicts still stand on the evidence that is left."""
    import ipywidgets as widgets

    from coursekit.display.explore import Exploration

    class _LedgerExploration(Exploration):
        """An Exploration whose chart names the ledger as its basis (see show_derived)."""

        def _draw(self, update: bool) -> None:
            drawn = self.render(self.result) if self.render else None
            if drawn is None:
                return
            fig, alt, data = drawn
            show_derived(fig, alt=alt, basis=ledger_basis(), data=data, as_of=latest_as_of(),
                         display_id=self.name, update=update)

    control = widgets.RadioButtons(options=list(FILTERS), value=start, description="Keep",
                                   layout={"width": "max-content"})
    return _LedgerExploration(control=control, compute=evidence_left, readout=evidence_readout,
                              render=_draw_evidence, source_ids=[], name="l07-evidence")


# ----------------------------------------------------------------------------- AI capacity

CAPACITY_LABELS = {
    "private_ai_investment": "Private AI investment",
    "notable_ai_models": "Notable AI models",
    "significant_ml_systems": "Significant ML systems",
    "genai_patent_families": "Generative-AI patent families",
}


def capacity_value(indicator: str, country: str, period: str, dataset: Any = None) -> float:
    from coursekit.model import content

    ds = dataset or content.load_dataset(CAPACITY)
    return ds.value(indicator=indicator, country=country, period=period)


def capacity_ratios(dataset: Any = None) -> list[dict[str, Any]]:
    """US-to-China ratio for every (indicator, period) where both countries have a figure."""
    from coursekit.model import content

    ds = dataset or content.load_dataset(CAPACITY)
    out = []
    seen: list[tuple[str, str]] = []
    for row in ds.rows:
        key = (row["indicator"], row["period"])
        if key in seen or row["indicator"] not in CAPACITY_LABELS:
            continue
        seen.append(key)
        both = {r["country"]: r for r in ds.filter(indicator=key[0], period=key[1]).rows}
        if "United States" in both and "China" in both:
            us, cn = both["United States"], both["China"]
            out.append({"indicator": CAPACITY_LABELS[key[0]], "period": key[1],
                        "United States": us["value"], "China": cn["value"], "unit": us["unit"],
                        "ratio": us["value"] / cn["value"],
                        "US-to-China ratio": round(us["value"] / cn["value"], 2),
                        "sources": "; ".join(dict.fromkeys(us["source_ids"] + cn["source_ids"]))})
    return out


def capacity_chart(dataset: Any = None):
    """Log-scale bars of the US-to-China ratio: right of 1 the US is ahead, left of it China."""
    from coursekit.model import content
    from coursekit.display import charts as plots

    ds = dataset or content.load_dataset(CAPACITY)
    rows = capacity_ratios(ds)
    fig, ax = plots.figure(figsize=(8.0, 3.9))
    labels = [f"{r['indicator']}, {r['period']}" for r in rows][::-1]
    ratios = [r["ratio"] for r in rows][::-1]
    for i, ratio in enumerate(ratios):
        us_ahead = ratio >= 1
        ax.barh(i, ratio - 1 if us_ahead else 1 - ratio, left=1 if us_ahead else ratio,
                color=plots.PALETTE["blue"] if us_ahead else plots.PALETTE["vermillion"],
                hatch="" if us_ahead else "//", edgecolor=plots.PALETTE["black"])
        text = (f"US {ratio:.1f}\u00d7 China" if us_ahead
                else f"China {1 / ratio:.1f}\u00d7 US")
        ax.annotate(text, (ratio, i), xytext=(4 if us_ahead else -4, 0), textcoords="offset points",
                    ha="left" if us_ahead else "right", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1, color=plots.PALETTE["black"], linewidth=1)
    ax.set_xlim(0.05, 60)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("US figure divided by China's figure (log scale; 1 = level)")
    ax.set_title("Where the US leads China in AI, and where it does not")
    ax.grid(axis="y", visible=False)
    by = {(r["indicator"], r["period"]): r["ratio"] for r in rows}
    inv = by[("Private AI investment", "2024")]
    m23, m25 = by[("Notable AI models", "2023")], by[("Notable AI models", "2025")]
    pat = by[("Generative-AI patent families", "2014-2023")]
    alt = (f"Bar chart of US-to-China ratios. The US had {inv:.1f} times China's private AI "
           f"investment in 2024, but its lead in notable AI models shrank from {m23:.1f} times in "
           f"2023 to {m25:.1f} times in 2025, and China filed {1 / pat:.1f} times as many "
           f"generative-AI patent families in 2014-2023.")
    sources = list(dict.fromkeys(i for r in ds.rows if r["indicator"] in CAPACITY_LABELS
                                 for i in r["source_ids"]))
    data = [{k: v for k, v in r.items() if k != "ratio"} for r in rows]
    return fig, alt, data, sources


# ----------------------------------------------------------------------------- the timeline

def is_western_measure(actor: str) -> bool:
    """Rows whose actor starts with US or EU are Western measures (see the dataset's notes)."""
    return bool(re.match(r"(US|EU)\b", actor))


def timeline_rows(dataset: Any = None) -> list[dict[str, Any]]:
    from coursekit.model import content

    ds = dataset or content.load_dataset(TIMELINE)
    return [{"number": k, "date": r["date"], "actor": r["actor"], "measure": r["measure"],
             "kind": "Western measure" if is_western_measure(r["actor"])
             else "Russian or Russia-China step on AI",
             "sources": "; ".join(r["source_ids"])}
            for k, r in enumerate(sorted(ds.rows, key=lambda r: r["date"]), start=1)]


def _date(text: str) -> _dt.date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return _dt.date(parts[0], parts[1], parts[2])


def days_between(earlier: str, later: str) -> int:
    """Days from one ISO date to another (later minus earlier)."""
    return (_date(later) - _date(earlier)).days


def steps_before(cutoff: str = BROAD_CONTROLS_DATE, dataset: Any = None) -> tuple[int, int]:
    """(Russian or Russia-China steps before `cutoff`, those on or after it)."""
    rows = [r for r in timeline_rows(dataset) if r["kind"] != "Western measure"]
    before = sum(1 for r in rows if r["date"] < cutoff)
    return before, len(rows) - before


def timeline_chart(dataset: Any = None):
    from matplotlib.dates import date2num, YearLocator, DateFormatter

    from coursekit.model import content

    from coursekit.display import charts as plots

    ds = dataset or content.load_dataset(TIMELINE)
    rows = timeline_rows(ds)
    fig, ax = plots.figure(figsize=(9.0, 3.4))
    lanes = {"Western measure": 1.0, "Russian or Russia-China step on AI": 0.0}
    styles = {"Western measure": ("s", plots.PALETTE["vermillion"]),
              "Russian or Russia-China step on AI": ("o", plots.PALETTE["blue"])}
    for kind, y in lanes.items():
        pts = [r for r in rows if r["kind"] == kind]
        xs = [date2num(_date(r["date"])) for r in pts]
        marker, colour = styles[kind]
        ax.scatter(xs, [y] * len(xs), marker=marker, s=60, color=colour,
                   edgecolor=plots.PALETTE["black"], zorder=3, label=kind)
        for j, (x, r) in enumerate(zip(xs, pts)):
            ax.annotate(str(r["number"]), (x, y), xytext=(0, 9 if j % 2 == 0 else -15),
                        textcoords="offset points", ha="center", fontsize=8)
    cut = date2num(_date(BROAD_CONTROLS_DATE))
    ax.axvline(cut, color=plots.PALETTE["black"], linestyle="--", linewidth=1)
    ax.annotate("24 Feb 2022: broad\nWestern export controls", (cut, 1.45), xytext=(4, 0),
                textcoords="offset points", fontsize=8, va="top")
    ax.set_yticks([0, 1], ["Russia's AI policy and\nRussia-China steps", "Western measures"],
                  fontsize=9)
    ax.set_ylim(-0.6, 1.6)
    ax.xaxis.set_major_locator(YearLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.set_title("AI cooperation steps and Western measures, numbered in date order")
    ax.grid(axis="y", visible=False)
    before, after = steps_before(dataset=ds)
    gap = days_between("2022-02-04", BROAD_CONTROLS_DATE)
    alt = (f"Timeline. {before} of the {before + after} Russian and Russia-China steps on AI in "
           f"the table came before the broad Western export controls of 24 February 2022, among "
           f"them the joint statement of 4 February 2022, {gap} days earlier; {after} came after, "
           f"including Putin's order of 1 January 2025 to cooperate with China on AI.")
    data = [{k: r[k] for k in ("number", "date", "kind", "actor", "measure", "sources")}
            for r in rows]
    return fig, alt, data, ds.source_ids()


# ----------------------------------------------------------------------------- spaced review

def quiz_item_ids(lessons: Iterable[str] | None = None) -> list[str]:
    """Full ids ("03.q2") of the graded questions in every valid quiz bank of the given lessons
    (default: all lessons before 07). A bank with problems is skipped, not fatal."""
    from coursekit.quizzes import bank as quizbank

    wanted = set(lessons) if lessons is not None else {f"{i:02d}" for i in range(7)}
    ids: list[str] = []
    for path in quizbank.bank_paths():
        if path.name[:2] not in wanted:
            continue
        try:
            bank, problems = quizbank.read_bank(path)
        except Exception:  # noqa: BLE001 - a broken bank must not break the review
            continue
        if problems or bank is None:
            continue
        ids += [q.full_id for q in bank.questions
                if q.graded and re.fullmatch(r"\d\d\.q\d+[a-z]?", q.full_id)]
    return ids


def spread(ranked: Sequence[str], k: int) -> list[str]:
    """Up to k items from `ranked` (most worth reviewing first), one a lesson while lessons
    remain, then the rest in rank order."""
    chosen: list[str] = []
    lessons: set[str] = set()
    for item in ranked:
        if len(chosen) == k:
            break
        if item[:2] not in lessons:
            chosen.append(item)
            lessons.add(item[:2])
    for item in ranked:
        if len(chosen) == k:
            break
        if item not in chosen:
            chosen.append(item)
    return sorted(chosen[:k])


def review_items(k: int = 6) -> list[str]:
    """The review set: coursekit.progress.api.review ranks every quiz item of lessons 00-06 (last
    answered wrong first, then never seen, then seen longest ago); `spread` takes one a lesson."""
    from coursekit.progress import api as progress

    candidates = quiz_item_ids()
    ranked = progress.review(n=len(candidates), lesson=LESSON, candidates=candidates)
    return spread(ranked, k)


def review_quiz(k: int = 6) -> None:
    """Display the review questions, each with its own feedback, from their own banks."""
    from IPython.display import display

    from coursekit.quizzes import bank as quizbank
    from coursekit.quizzes.widgets import make_question

    items = review_items(k)
    if not items:
        print("No review questions are available yet: the earlier lessons' quiz banks are missing.")
        return
    banks: dict[str, Any] = {}
    for n, item in enumerate(items, start=1):
        lesson = item[:2]
        if lesson not in banks:
            banks[lesson] = quizbank.load_bank(lesson)
        question = banks[lesson].question(item)
        display(make_question(question, number=n, total=len(items), as_review=True))


# ----------------------------------------------------------------------------- the brief

RUBRIC: tuple[tuple[str, str], ...] = (
    ("Verdict", "States your overall verdict on the article's thesis in the first two sentences."),
    ("Evidence", "Backs it with at least three specific pieces of evidence, each with its "
                 "bibliography id, including at least one number with its year."),
    ("Both sides", "Gives what the article gets right as well as what it overstates, and at "
                   "least one thing it leaves out."),
    ("Attribution", "Attributes contested points and framing to whoever makes them, and cites "
                    "state media only for what a government said."),
    ("Uncertainty", "Gives an \"as of\" date and names one piece of new evidence that would "
                    "change your verdict."),
    ("Form", "200 to 300 words, in your own words, with any quote from the article short, "
             "exact and marked."),
)


def rubric_html() -> str:
    rows = "".join(f"<tr><th scope=\"row\">{html.escape(a)}</th><td>{html.escape(b)}</td></tr>"
                   for a, b in RUBRIC)
    return (f"<table class=\"{NO_MATH}\"><caption>Rubric for the brief: each line is worth one point.</caption>"
            f"<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">A strong brief"
            f"</th></tr></thead><tbody>{rows}</tbody></table>")


class Rubric:
    def _repr_html_(self) -> str:
        return rubric_html()

    def __repr__(self) -> str:
        return "\n".join(f"{a}: {b}" for a, b in RUBRIC)


def rubric() -> Rubric:
    return Rubric()


def word_count(text: Any) -> int:
    return len(text.split()) if isinstance(text, str) else 0


def brief_status(text: str | None) -> str:
    n = word_count(text)
    if n == 0:
        return f"0 words. Aim for {BRIEF_MIN_WORDS} to {BRIEF_MAX_WORDS}."
    if n < BRIEF_MIN_WORDS:
        return f"{n} words: {BRIEF_MIN_WORDS - n} more to reach {BRIEF_MIN_WORDS}."
    if n > BRIEF_MAX_WORDS:
        return f"{n} words: {n - BRIEF_MAX_WORDS} over the limit of {BRIEF_MAX_WORDS}; cut to the evidence that decides your verdict."
    return f"{n} words: within {BRIEF_MIN_WORDS} to {BRIEF_MAX_WORDS}."


def save_brief(text: str | None) -> str:
    """Save the brief to the progress record as a reflection (item "07.brief"); say what
    happened. Never raises: a storage problem is reported in the returned text."""
    from coursekit.progress import recorder as events

    if not isinstance(text, str) or not text.strip():
        return "Not saved: write your brief first, between the triple quotes."
    events.record("reflection", LESSON, BRIEF_ITEM, answer=text.strip())
    return f"Saved to your progress record as a reflection. {brief_status(text)}"


def saved_briefs() -> list[str]:
    """The learner's saved briefs, oldest first."""
    from coursekit.progress import api as progress

    return [ev["answer"] for ev in progress.events(LESSON)
            if ev["kind"] == "reflection" and ev["item"] == BRIEF_ITEM]


def brief_editor():
    """A text area with a live word count and a Save button (saves a reflection)."""
    import ipywidgets as widgets

    box = widgets.Textarea(value="", placeholder="Write your brief here (200 to 300 words).",
                           rows=14, layout=widgets.Layout(width="100%"))
    from coursekit.display.a11y import live

    count = live(widgets.HTML(
        f'<p role="status" aria-live="polite">{html.escape(brief_status(""))}</p>'))
    save = widgets.Button(description="Save my brief")
    status = live(widgets.HTML(""))

    def on_text(change: dict[str, Any]) -> None:
        count.value = f'<p role="status" aria-live="polite">{html.escape(brief_status(change["new"]))}</p>'

    def on_save(_button: Any) -> None:
        status.value = f'<p role="status" class="{NO_MATH}">{html.escape(save_brief(box.value))}</p>'

    box.observe(on_text, names="value")
    save.on_click(on_save)
    panel = _Panel([box, count, save, status],
                   static_text="Brief editor: run the notebook to write and save your brief "
                               "(200 to 300 words).")
    panel.text, panel.count, panel.save, panel.status = box, count, save, status
    return panel


def _Panel(children: list[Any], static_text: str):
    import ipywidgets as widgets

    from coursekit.display.a11y import attach

    class Panel(widgets.VBox):
        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
            attach(self)  # a name for the text box, live status lines (coursekit/display/a11y.py)
            data = super()._repr_mimebundle_(**kwargs) or {}
            data = dict(data[0] if isinstance(data, tuple) else data)
            data["text/html"] = f"<p><em>{html.escape(static_text)}</em></p>"
            data["text/plain"] = static_text
            return data

    return Panel(children)
