"""Lesson 03 (partnership): the evidence and the course's reading of it, the trade arithmetic,
and two explorations (an evidence sorter and a trade-growth explorer).

The dated evidence is assets/data/partnership_events.csv: who said or did what, when, with
sources, and in its last columns the course's reading of each row for the claim that Russia-China
cooperation on AI is "intensifying" (supports, complicates, neutral), the reason and the level the
evidence comes from. Evidence that is not a dated event is in assets/judgements.toml.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit import calc
from coursekit.display.charts import NO_MATH
from coursekit.display.explore import Exploration
from coursekit.model import content, judgements

EVENTS = "partnership_events"
TRADE = "trade_russia_china"
ASYMMETRY = "partnership_asymmetry"
TRADE_2023 = "partnership_trade_2023"
UNSORTED = "not sorted yet"


def _allowed(column: str) -> tuple[str, ...]:
    return tuple(content.load_dataset(EVENTS).meta["allowed"][column])


READINGS = _allowed("reading")  # the readings a learner can give, in display order
LEVELS = _allowed("level")      # where evidence comes from: the timeline's lanes, top to bottom


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------
def events() -> list[dict[str, Any]]:
    """Rows of partnership_events.csv, with the course's level, reading, reason and label."""
    return [dict(r) for r in content.load_dataset(EVENTS).rows]


def evidence_items() -> list[dict[str, Any]]:
    """The sorter's items, ids E1, E2, ... in date order (dated events first, then the rest)."""
    items = [{"date": r["date"], "text": f"{r['actor']}: {r['measure']}", "label": r["label"],
              "source_ids": tuple(r["source_ids"]), "reading": r["reading"], "reason": r["reason"]}
             for r in events() if r["in_sorter"] == "yes"]
    items += [{"date": e["when"], "text": e["text"], "label": e["label"], "source_ids": e["source_ids"],
               "reading": e["reading"], "reason": e["reason"]} for e in judgements.load().evidence]
    return [{**item, "id": f"E{i}"} for i, item in enumerate(items, start=1)]


def level_counts() -> dict[str, dict[str, int]]:
    """For the timeline: how many dated items of each level the course reads each way."""
    counts = {lvl: {r: 0 for r in READINGS} for lvl in LEVELS}
    for row in events():
        counts[row["level"]][row["reading"]] += 1
    return counts


def compare_readings(choices: dict[str, str | None]) -> dict[str, Any]:
    """Compare a learner's readings ({"E1": "supports", ...}) with the course's: counts for both,
    how many were sorted and agree, the items where the two differ, and a row for every item."""
    items = evidence_items()
    yours = {r: 0 for r in (*READINGS, UNSORTED)}
    course = {r: 0 for r in READINGS}
    agree, differ, rows = 0, [], []
    for item in items:
        mine = choices.get(item["id"]) if choices.get(item["id"]) in READINGS else None
        course[item["reading"]] += 1
        yours[mine or UNSORTED] += 1
        if mine == item["reading"]:
            agree += 1
        elif mine is not None:
            differ.append({"id": item["id"], "yours": mine, "course": item["reading"],
                           "reason": item["reason"]})
        rows.append({"id": item["id"], "evidence": item["label"], "your reading": mine or UNSORTED,
                     "course's reading": item["reading"], "why (the course)": item["reason"]})
    return {"n": len(items), "sorted": len(items) - yours[UNSORTED], "agree": agree,
            "differ": differ, "yours": yours, "course": course, "rows": rows}


def sorter_readout(result: dict[str, Any]) -> str:
    y, c = result["yours"], result["course"]
    if result["sorted"] == 0:
        return (f"Sort the {result['n']} items. The course reads {c['supports']} as supporting, "
                f"{c['complicates']} as complicating and {c['neutral']} as neutral; yours appear "
                f"as you go.")
    text = (f"You have sorted {result['sorted']} of {result['n']}: {y['supports']} supports, "
            f"{y['complicates']} complicates, {y['neutral']} neutral. You agree with the course on "
            f"{result['agree']} of the {result['sorted']} you sorted.")
    if result["differ"]:
        d = result["differ"][0]
        text += (f" First difference, {d['id']}: you chose {d['yours']}, the course says "
                 f"{d['course']}. {d['reason']}")
    return text


def _sorter_chart(result: dict[str, Any]):
    from matplotlib.ticker import MaxNLocator

    from coursekit.display import charts as plots

    cats = [*READINGS, UNSORTED]
    yours = [result["yours"][c] for c in cats]
    course = [result["course"].get(c, 0) for c in cats]
    fig, ax = plots.figure(figsize=(7.0, 3.2))
    ys, h = list(range(len(cats))), 0.38
    b1 = ax.barh([y - h / 2 for y in ys], yours, height=h, color=plots.PALETTE["blue"],
                 edgecolor=plots.PALETTE["black"], label="Your reading")
    b2 = ax.barh([y + h / 2 for y in ys], course, height=h, color=plots.PALETTE["vermillion"],
                 edgecolor=plots.PALETTE["black"], hatch="//", label="The course's reading")
    ax.bar_label(b1, labels=[f"you: {v}" for v in yours], padding=3, fontsize=9)
    ax.bar_label(b2, labels=[f"course: {v}" for v in course], padding=3, fontsize=9)
    ax.margins(y=0.02)
    ax.set_yticks(ys)
    ax.set_yticklabels(cats)
    ax.invert_yaxis()
    ax.set_xlim(0, result["n"] + 5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.set_xlabel("Number of pieces of evidence")
    ax.set_title("Your reading of the evidence beside the course's")
    ax.legend(loc="upper left", ncol=2, bbox_to_anchor=(0, -0.18))
    y, c = result["yours"], result["course"]
    alt = (f"Bar chart. Of {result['n']} pieces of evidence the course reads {c['supports']} as "
           f"supporting, {c['complicates']} as complicating and {c['neutral']} as neutral; you have "
           f"{y['supports']}, {y['complicates']} and {y['neutral']}, with {y[UNSORTED]} not sorted "
           f"yet, and you agree on {result['agree']}.")
    return fig, alt, result["rows"]


def _item_html(item: dict[str, Any], emphasise_ids: bool = False) -> str:
    ids = html.escape("; ".join(item["source_ids"]))
    return (f"<strong>{html.escape(item['id'])}</strong> ({html.escape(item['date'])}). "
            f"{html.escape(item['text'])} " + (f"<em>[{ids}]</em>" if emphasise_ids else f"[{ids}]"))


class EvidenceSorterExploration(Exploration):
    """The sorter, whose static view lists the evidence to sort (so a notebook read on GitHub,
    or before it runs, still shows what there is to sort)."""

    note = "Interactive control: run the notebook to sort these items with buttons."

    def static_html(self) -> str:
        items = "".join(f"<li>{_item_html(i)}</li>" for i in self.items)
        return (f'<p><em>{html.escape(self.note)}</em></p><ol class="ck-evidence {NO_MATH}">{items}</ol>'
                f"<p>{html.escape(self.readout_fn(self.result))}</p>")


def evidence_sorter() -> EvidenceSorterExploration:
    """The evidence sorter: sort each item, then compare with the course's reading."""
    items = evidence_items()
    from coursekit.display.controls import ToggleRows

    control = ToggleRows([(i["id"], f"<p>{_item_html(i, True)}</p>") for i in items], READINGS)
    ex = EvidenceSorterExploration(
        control=control, compute=compare_readings, readout=sorter_readout,
        render=_sorter_chart, source_ids=sorted({s for i in items for s in i["source_ids"]}),
        name="l03-evidence-sorter")
    ex.items = items
    return ex


def timeline_chart():
    """(fig, alt, data): the dated evidence by level, marked with the course's reading."""
    from coursekit.display import charts as plots

    rows = sorted(events(), key=lambda r: calc.decimal_year(r["date"]))
    lane = {lvl: i for i, lvl in enumerate(reversed(LEVELS))}
    style = {"supports": ("^", plots.PALETTE["blue"], plots.PALETTE["blue"]),
             "complicates": ("v", plots.PALETTE["vermillion"], plots.PALETTE["vermillion"]),
             "neutral": ("o", plots.BACKGROUND, plots.PALETTE["grey"])}
    xs = [calc.decimal_year(r["date"]) for r in rows]
    # Items less than two months apart in one lane are spread vertically so that none hides another.
    ys, last, step = [], {}, {}
    for x, r in zip(xs, rows):
        near = r["level"] in last and (x - last[r["level"]]) * 365.25 < 60
        step[r["level"]] = step.get(r["level"], 0) + 1 if near else 0
        ys.append(lane[r["level"]] + [0, -0.22, 0.22][step[r["level"]] % 3])
        last[r["level"]] = x
    fig, ax = plots.figure(figsize=(7.6, 3.8))
    for reading in READINGS:
        marker, face, edge = style[reading]
        pts = [i for i, r in enumerate(rows) if r["reading"] == reading]
        ax.scatter([xs[i] for i in pts], [ys[i] for i in pts], marker=marker, s=90, facecolor=face,
                   edgecolor=edge, linewidth=1.5, label=reading, zorder=3)
    for i, (x, y) in enumerate(zip(xs, ys), start=1):
        ax.annotate(str(i), (x, y), textcoords="offset points", xytext=(9, 0), va="center", fontsize=8)
    first, end = int(xs[0]), int(xs[-1])
    ax.set_xticks(range(first, end + 2))
    ax.set_xlim(xs[0] - 0.15, xs[-1] + 0.15)
    ax.set_yticks(range(len(LEVELS)))
    ax.set_yticklabels(list(reversed(LEVELS)))
    ax.set_ylim(-0.6, len(LEVELS) - 0.4)
    ax.legend(loc="upper left", ncol=3, bbox_to_anchor=(0, -0.1))
    ax.set_title("Dated evidence by level, with the course's reading")
    counts = level_counts()
    gov, firms = counts[LEVELS[0]], counts[LEVELS[-1]]
    alt = (f"Timeline, {first} to {end}. Of {sum(gov.values())} items from {LEVELS[0].lower()}, "
           f"{gov['supports']} support the claim of intensifying cooperation; of {sum(firms.values())} "
           f"items about {LEVELS[-1].lower().replace(', analysts', ' and analysts')}, "
           f"{firms['complicates']} complicate it and {firms['supports'] or 'none'} "
           f"support{'s' if firms['supports'] in (0, 1) else ''} it.")
    data = [{"no.": i, "date": r["date"], "level": r["level"], "evidence": r["label"],
             "course's reading": r["reading"]} for i, r in enumerate(rows, start=1)]
    return fig, alt, data


# --------------------------------------------------------------------------------------------
# Trade arithmetic
# --------------------------------------------------------------------------------------------
def trade_totals() -> dict[int, float]:
    """China's customs totals by year, US$ bn."""
    rows = content.load_dataset(TRADE).filter(reporter="China customs", measure="total_trade").rows
    return {int(r["year"]): r["value"] for r in rows}


def growth_table() -> list[dict[str, Any]]:
    """Year, total, the change the source reports and the change computed from the totals."""
    totals = trade_totals()
    reported = {int(r["year"]): r["value"] for r in content.load_dataset(TRADE).filter(
        reporter="China customs", measure="total_trade_yoy_change").rows}
    return [{"year": y, "total (US$ bn)": totals[y], "change reported (%)": reported.get(y),
             "change from totals (%)": round(calc.growth_pct(totals[y - 1], totals[y]), 1)
             if y - 1 in totals else None} for y in sorted(totals)]


def growth_between(span: tuple[int, int]) -> dict[str, Any]:
    totals = trade_totals()
    start, end = int(span[0]), int(span[1])
    result = {"start": start, "end": end, "years": end - start, "v0": totals[start], "v1": totals[end],
              "total_pct": 0.0, "cagr_pct": None}
    if end > start:
        result.update(total_pct=calc.growth_pct(totals[start], totals[end]),
                      cagr_pct=calc.cagr_pct(totals[start], totals[end], end - start))
    return result


def growth_readout(r: dict[str, Any]) -> str:
    if r["cagr_pct"] is None:
        return "Pick two different years: move either end of the slider."
    return (f"From {r['start']} (US${r['v0']:,.1f}bn) to {r['end']} (US${r['v1']:,.1f}bn): "
            f"{r['total_pct']:+.1f}% in all, or {r['cagr_pct']:+.1f}% a year compounded over "
            f"{r['years']} year{'s' if r['years'] != 1 else ''}.")


def _growth_chart(r: dict[str, Any]):
    from coursekit.display import charts as plots

    totals = trade_totals()
    years = sorted(totals)
    fig, ax = plots.figure()
    inside = [r["start"] <= y <= r["end"] for y in years]
    bars = ax.bar(years, [totals[y] for y in years], edgecolor=plots.PALETTE["black"],
                  color=[plots.PALETTE["blue"] if k else plots.BACKGROUND for k in inside])
    for bar, k in zip(bars, inside):
        bar.set_hatch("" if k else "..")
    ax.bar_label(bars, labels=[f"${totals[y]:,.1f}bn" for y in years], padding=3)
    ax.set_xticks(years)
    ax.set_ylim(0, max(totals.values()) * 1.18)
    ax.set_ylabel("US$ billion")
    ax.set_axisbelow(True)
    ax.set_title("Russia-China goods trade: your years are solid, the others dotted")
    if r["cagr_pct"] is None:
        alt = f"Bar chart of trade from {years[0]} to {years[-1]}; one year chosen, so no growth rate."
    else:
        alt = (f"Bar chart. Trade went from ${r['v0']:,.1f}bn in {r['start']} to ${r['v1']:,.1f}bn in "
               f"{r['end']}: {r['total_pct']:+.1f}% in all, {r['cagr_pct']:+.1f}% a year compounded.")
    data = [{"year": y, "total (US$ bn)": totals[y], "in your range": "yes" if k else "no"}
            for y, k in zip(years, inside)]
    return fig, alt, data


def growth_explorer() -> Exploration:
    """A range slider over the customs years; shows total and compound annual growth."""
    import ipywidgets as widgets

    years = sorted(trade_totals())
    control = widgets.IntRangeSlider(value=(years[0], years[-1]), min=years[0], max=years[-1], step=1,
                                     description="Years:", continuous_update=False,
                                     style={"description_width": "initial"})
    ids = content.load_dataset(TRADE).filter(reporter="China customs", measure="total_trade").source_ids()
    return Exploration(control=control, compute=growth_between, readout=growth_readout,
                       render=_growth_chart, source_ids=ids, name="l03-growth")


def asymmetry() -> dict[str, float]:
    """Russia's share of China's trade (computed and as stated) and China's shares of Russia's."""
    d = content.load_dataset(ASYMMETRY)
    share = calc.share_pct(d.value(economy="China", measure="trade_with_russia"),
                           d.value(economy="China", measure="total_goods_trade"))
    imports = d.value(economy="Russia", measure="china_share_of_imports")
    return {"china_total": d.value(economy="China", measure="total_goods_trade"),
            "trade_with_russia": d.value(economy="China", measure="trade_with_russia"),
            "russia_share_computed": share,
            "russia_share_stated": d.value(economy="China", measure="russia_share_of_total_trade"),
            "china_share_of_russia_imports": imports,
            "china_share_of_russia_exports": d.value(economy="Russia", measure="china_share_of_exports"),
            "ratio": imports / share}


def trade_2023_figures() -> list[dict[str, Any]]:
    """The figures for 2023 trade, largest first, with who reported them."""
    rows = list(content.load_dataset(TRADE).filter(year=2023, measure="total_trade").rows)
    rows += list(content.load_dataset(TRADE_2023).filter(year=2023, measure="total_trade").rows)
    return sorted(rows, key=lambda r: -r["value"])
