"""Lesson 03 (partnership): the course's reading of each piece of evidence, the trade arithmetic,
and two explorations (an evidence-balance sorter and a trade-growth explorer).

The dated evidence itself lives in assets/data/partnership_events.csv (who said or did what, when,
with sources). This module adds what a data row cannot hold: how the course reads each row for
the claim that Russia-China cooperation on AI is "intensifying" (supports, complicates, neutral),
the reason, and the level the evidence comes from. Keep the reasons short, cite bibliography ids,
and keep each key equal to the row's "date|actor".

Heavy imports (ipywidgets, matplotlib) happen inside functions, so importing this module is cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coursekit.model import content

#: The three readings a learner can give a piece of evidence, in display order.
READINGS = ("supports", "complicates", "neutral")
UNSORTED = "not sorted yet"
#: Where a piece of evidence comes from (lanes of the timeline chart).
LEVELS = ("Leaders and governments", "Multilateral groups", "Companies, banks, analysts")
EVENTS = "partnership_events"
TRADE = "trade_russia_china"
ASYMMETRY = "partnership_asymmetry"
TRADE_2023 = "partnership_trade_2023"


@dataclass(frozen=True)
class Reading:
    level: str      # one of LEVELS
    reading: str    # one of READINGS: the course's reading for "AI cooperation is intensifying"
    reason: str     # why, in one or two sentences, with bibliography ids
    short: str      # a short label for charts and the sorter
    sorter: bool = True


_GOV, _MULTI, _FIRMS = LEVELS

#: The course's reading of each row of partnership_events.csv, keyed "date|actor".
COURSE_READINGS: dict[str, Reading] = {
    "2022-02-04|Russia and China (leaders' joint statement)": Reading(
        _GOV, "supports", "Both leaders named AI as a field for closer cooperation [S45]. It is a "
        "statement of intent, and it came before the February 2022 sanctions, so it shows the plan "
        "predates them.", "Feb 2022 joint statement names AI"),
    "2022-03|Chinese exporters (as read by the US Commerce Secretary)": Reading(
        _FIRMS, "complicates", "Chinese firms cut technology shipments when sanctions began [X0303]. "
        "The figures come from the US government, and chip imports later recovered [S37], so this "
        "shows caution, not a lasting halt.", "Mar 2022 Chinese tech shipments fall"),
    "2023-08-24|BRICS leaders (announced by Xi Jinping)": Reading(
        _MULTI, "neutral", "A plan of the whole BRICS group, announced by China [S53]; it says "
        "nothing about work between Russia and China in particular.", "Aug 2023 BRICS AI Study Group",
        sorter=False),
    "2024-01|ICBC, China Construction Bank and Bank of China": Reading(
        _FIRMS, "complicates", "Three of China's biggest banks refused payments from sanctioned Russian banks "
        "for fear of US secondary sanctions [X0304; S70]: money, the basis of any joint project, "
        "became harder to move.", "Jan 2024 big Chinese banks refuse payments"),
    "2024-02-02|Russian Foreign Ministry (readout)": Reading(
        _GOV, "supports", "Officials of both countries met and discussed AI; that the two approaches "
        "to military AI are close is Russia's account [S58], labelled as such.",
        "Feb 2024 Russian readout: military AI"),
    "2024-02|Chinese side (readout of the same meeting)": Reading(
        _GOV, "complicates", "China confirms talks that touched on AI but not the military part [S59]. "
        "What both readouts share is confirmed; the military-AI agreement rests on Russia's word.",
        "Feb 2024 Chinese readout: no military AI"),
    "2024-05-16|Russia and China (leaders' joint statement)": Reading(
        _GOV, "supports", "A leaders' statement that, as China's ambassador summarised it, agreed closer "
        "dialogue on AI development and security [S51]. A summary by one side, not the text.",
        "May 2024 joint statement on AI"),
    "2024-05-24|SWP Berlin (research paper)": Reading(
        _FIRMS, "complicates", "An independent think tank finds China's digital giants cancelled "
        "projects in Russia for fear of secondary sanctions [S60].",
        "May 2024 SWP: Chinese tech firms pull back"),
    "2024-12-11|Vladimir Putin (AI Journey conference)": Reading(
        _MULTI, "supports", "A network that Chinese associations are said to have joined [S55]. "
        "Russian-led and multilateral, so it is weaker evidence of a bilateral tie.",
        "Dec 2024 AI Alliance Network"),
    "2024-12|Kirill Dmitriev of RDIF (as reported by RT)": Reading(
        _MULTI, "neutral", "A separate initiative known only from an RT-sourced report [S102]; count "
        "it apart from the AI Alliance Network, and do not lean on it.", "Dec 2024 'BRICS+AI' (RT)"),
    "2025-01-01|Vladimir Putin (instruction)": Reading(
        _GOV, "supports", "A direct order naming China as the AI research partner [S56]. It shows "
        "intent at the top; what it has produced is not yet shown.", "Jan 2025 Putin's order to Sber"),
    "2025-02-06|Sber (Alexander Vedyakhin to Reuters)": Reading(
        _FIRMS, "neutral", "A plan with no named partner [X0306]; it restates the January order "
        "rather than showing work done.", "Feb 2025 Sber plans research", sorter=False),
    "2025-05-08|Russia and China (leaders' joint statement)": Reading(
        _GOV, "supports", "Shared positions on who should govern AI and on supply chains [S52]: "
        "political alignment, reported by Chinese state media.", "May 2025 statement: UN role in AI"),
    "2025-09-01|SCO heads of state (Tianjin)": Reading(
        _MULTI, "neutral", "An agreement of a ten-member group that includes India [S95; X0315]; it "
        "does not show Russia and China working together more than with the others.",
        "Sep 2025 SCO statement on AI"),
    "2025-11-04|Russia and China (heads of government communique)": Reading(
        _GOV, "supports", "A bilateral body for AI cooperation was agreed [X0313; X0314]. Known from "
        "weak reports, and a body agreed is not yet a body at work.", "Nov 2025 Expert Council on AI"),
    "2025-11-20|Russian Foreign Ministry (readout)": Reading(
        _GOV, "supports", "A second round of talks on military AI, by Russia's account [X0305]; no "
        "Chinese readout was found.", "Nov 2025 Russian readout: military AI", sorter=False),
}

#: Evidence that is not a dated event, for the sorter.
EXTRA_ITEMS: tuple[dict[str, Any], ...] = (
    {"key": "trade-growth", "date": "2021-2024",
     "text": "Russia-China goods trade rose from US$146.9bn in 2021 to a record US$244.8bn in 2024.",
     "source_ids": ("S64", "S67"),
     "reading": Reading(_FIRMS, "neutral", "Trade in all goods grew [S64; S67], but trade is not AI "
                        "cooperation: the figure says nothing about joint AI work.",
                        "2021-2024 goods trade grows")},
    {"key": "no-joint-venture", "date": "as of 2026-11",
     "text": "No large, named Chinese-Russian corporate AI joint venture was found in the sources checked.",
     "source_ids": ("S60", "X0306"),
     "reading": Reading(_FIRMS, "complicates", "The claim of joint initiatives lacks its most direct "
                        "evidence [S60; X0306]. Not finding something is not proof it does not "
                        "exist, so say 'not found as of' a date.", "No corporate AI joint venture found")},
)


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------
def event_key(row: dict[str, Any]) -> str:
    return f"{row['date']}|{row['actor']}"


def events() -> list[dict[str, Any]]:
    """Rows of partnership_events.csv with the course's level, reading and reason attached."""
    out = []
    for row in content.load_dataset(EVENTS).rows:
        reading = COURSE_READINGS[event_key(row)]
        out.append({**row, "key": event_key(row), "level": reading.level, "reading": reading.reading,
                    "reason": reading.reason, "short": reading.short})
    return out


def evidence_items() -> list[dict[str, Any]]:
    """The sorter's items, ids E1, E2, ... in date order (dated events first, then the rest)."""
    items = []
    for row in events():
        if not COURSE_READINGS[row["key"]].sorter:
            continue
        items.append({"key": row["key"], "date": row["date"], "text": f"{row['actor']}: {row['measure']}",
                      "short": row["short"], "source_ids": tuple(row["source_ids"]),
                      "reading": row["reading"], "reason": row["reason"]})
    for extra in EXTRA_ITEMS:
        r: Reading = extra["reading"]
        items.append({"key": extra["key"], "date": extra["date"], "text": extra["text"], "short": r.short,
                      "source_ids": tuple(extra["source_ids"]), "reading": r.reading, "reason": r.reason})
    for i, item in enumerate(items, start=1):
        item["id"] = f"E{i}"
    return items


def level_counts() -> dict[str, dict[str, int]]:
    """For the timeline: how many dated items of each level the course reads each way."""
    counts = {lvl: {r: 0 for r in READINGS} for lvl in LEVELS}
    for row in events():
        counts[row["level"]][row["reading"]] += 1
    return counts


def compare_readings(choices: dict[str, str | None]) -> dict[str, Any]:
    """Compare a learner's readings ({"E1": "supports", ...}) with the course's.

    Returns counts for both, how many items were sorted, how many agree, the items where the two
    differ (with the course's reason) and table rows for every item.
    """
    items = evidence_items()
    yours = {r: 0 for r in READINGS}
    yours[UNSORTED] = 0
    course = {r: 0 for r in READINGS}
    agree = 0
    differ: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for item in items:
        mine = choices.get(item["id"])
        if mine not in READINGS:
            mine = None
        course[item["reading"]] += 1
        yours[mine or UNSORTED] += 1
        if mine == item["reading"]:
            agree += 1
        elif mine is not None:
            differ.append({"id": item["id"], "yours": mine, "course": item["reading"],
                           "reason": item["reason"]})
        rows.append({"id": item["id"], "evidence": item["short"], "your reading": mine or UNSORTED,
                     "course's reading": item["reading"], "why (the course)": item["reason"]})
    sorted_n = len(items) - yours[UNSORTED]
    return {"n": len(items), "sorted": sorted_n, "agree": agree, "differ": differ, "yours": yours,
            "course": course, "rows": rows,
            "balance_yours": yours["supports"] - yours["complicates"],
            "balance_course": course["supports"] - course["complicates"]}


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
    from coursekit.display import charts as plots

    cats = list(READINGS) + [UNSORTED]
    yours = [result["yours"][c] for c in cats]
    course = [result["course"].get(c, 0) for c in cats]
    fig, ax = plots.figure(figsize=(7.0, 3.2))
    ys = list(range(len(cats)))
    h = 0.38
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
    from matplotlib.ticker import MaxNLocator
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


def _sorter_control(items: list[dict[str, Any]]):
    import html

    import ipywidgets as widgets
    import traitlets

    class EvidenceSorter(widgets.VBox):
        """One row of toggle buttons per item; `value` maps item id -> reading (or None)."""

        value = traitlets.Dict()

        def __init__(self, items: list[dict[str, Any]]):
            self.toggles: dict[str, Any] = {}
            rows = []
            for item in items:
                label = widgets.HTML(f"<p><strong>{html.escape(item['id'])}</strong> "
                                     f"({html.escape(item['date'])}). {html.escape(item['text'])} "
                                     f"<em>[{html.escape('; '.join(item['source_ids']))}]</em></p>")
                toggle = widgets.ToggleButtons(options=list(READINGS), value=None,
                                               description=item["id"],
                                               tooltips=[f"{item['id']} {r}" for r in READINGS],
                                               style={"button_width": "7.5em"})
                toggle.observe(self._toggled, names="value")
                self.toggles[item["id"]] = toggle
                rows.append(widgets.VBox([label, toggle], layout={"margin": "0 0 0.6em 0"}))
            super().__init__(rows)
            self.value = {item["id"]: None for item in items}
            self.observe(self._sync, names="value")

        def _toggled(self, change: dict[str, Any]) -> None:
            key = change["owner"].description
            if self.value.get(key) != change["new"]:
                self.value = {**self.value, key: change["new"]}

        def _sync(self, change: dict[str, Any]) -> None:
            for key, toggle in self.toggles.items():
                want = change["new"].get(key)
                if toggle.value != want:
                    toggle.value = want

    return EvidenceSorter(items)


def _items_html(items: list[dict[str, Any]]) -> str:
    import html

    rows = "".join(f"<li><strong>{html.escape(i['id'])}</strong> ({html.escape(i['date'])}). "
                   f"{html.escape(i['text'])} [{html.escape('; '.join(i['source_ids']))}]</li>"
                   for i in items)
    from coursekit.display.charts import NO_MATH

    return f"<ol class=\"ck-evidence {NO_MATH}\">{rows}</ol>"


class _SorterBox:
    """The sorter's widget box, with a static text/html that lists the items (so a notebook read
    on GitHub, or before it runs, still shows what there is to sort)."""

    def __init__(self, box, items: list[dict[str, Any]], text: str):
        self.box, self.items, self.text = box, items, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        import html

        from coursekit.display.a11y import attach

        attach(self.box)  # names for its controls, a focus ring (coursekit/display/a11y.py)
        bundle = self.box._repr_mimebundle_(**kwargs) or {}
        data = dict(bundle[0] if isinstance(bundle, tuple) else bundle)
        data["text/html"] = (f"<p><em>Interactive control: run the notebook to sort these items "
                             f"with buttons.</em></p>{_items_html(self.items)}"
                             f"<p>{html.escape(self.text)}</p>")
        data["text/plain"] = self.text
        return data


def _sorter_exploration_class():
    from coursekit.display.explore import Exploration

    class SorterExploration(Exploration):
        """An Exploration whose static view lists the evidence to sort."""

        def show(self) -> None:
            from IPython.display import display

            import ipywidgets as widgets

            box = widgets.VBox([self.control, self.readout])
            display(_SorterBox(box, self.items, self.readout_fn(self.result)))
            self._draw(update=False)
            self._shown = True

    return SorterExploration


def evidence_sorter():
    """The evidence-balance sorter: sort each item, then compare with the course's reading."""
    items = evidence_items()
    ids = sorted({s for item in items for s in item["source_ids"]})
    ex = _sorter_exploration_class()(control=_sorter_control(items), compute=compare_readings,
                                     readout=sorter_readout, render=_sorter_chart, source_ids=ids,
                                     name="l03-evidence-sorter")
    ex.items = items
    return ex


# --------------------------------------------------------------------------------------------
# Trade arithmetic
# --------------------------------------------------------------------------------------------
def trade_totals() -> dict[int, float]:
    """China's customs totals by year, US$ bn."""
    rows = content.load_dataset(TRADE).filter(reporter="China customs", measure="total_trade").rows
    return {int(r["year"]): r["value"] for r in rows}


def growth_pct(old: float, new: float) -> float:
    """Percentage change from old to new."""
    return (new / old - 1) * 100


def cagr_pct(start: float, end: float, years: int) -> float:
    """Compound annual growth rate in percent over `years` years (end year minus start year)."""
    if years <= 0:
        raise ValueError("the end year must come after the start year")
    return ((end / start) ** (1 / years) - 1) * 100


def growth_table() -> list[dict[str, Any]]:
    """Year, total, the change the source reports and the change computed from the totals."""
    totals = trade_totals()
    reported = {int(r["year"]): r["value"] for r in content.load_dataset(TRADE).filter(
        reporter="China customs", measure="total_trade_yoy_change").rows}
    rows = []
    for year in sorted(totals):
        computed = growth_pct(totals[year - 1], totals[year]) if year - 1 in totals else None
        rows.append({"year": year, "total (US$ bn)": totals[year],
                     "change reported (%)": reported.get(year),
                     "change from totals (%)": None if computed is None else round(computed, 1)})
    return rows


def growth_between(span: tuple[int, int]) -> dict[str, Any]:
    totals = trade_totals()
    start, end = int(span[0]), int(span[1])
    years = end - start
    result = {"start": start, "end": end, "years": years, "v0": totals[start], "v1": totals[end]}
    if years <= 0:
        result.update(total_pct=0.0, cagr_pct=None)
    else:
        result.update(total_pct=growth_pct(totals[start], totals[end]),
                      cagr_pct=cagr_pct(totals[start], totals[end], years))
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
    colours = [plots.PALETTE["blue"] if k else "#FFFFFF" for k in inside]
    bars = ax.bar(years, [totals[y] for y in years], color=colours, edgecolor=plots.PALETTE["black"],
                  hatch=None)
    for bar, k in zip(bars, inside):
        if not k:
            bar.set_hatch("..")
    ax.bar_label(bars, labels=[f"${totals[y]:,.1f}bn" for y in years], padding=3)
    ax.set_xticks(years)
    ax.set_ylim(0, 290)
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


def growth_explorer():
    """A range slider over the customs years; shows total and compound annual growth."""
    import ipywidgets as widgets

    from coursekit.display.explore import Exploration

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
    total = d.value(economy="China", measure="total_goods_trade")
    with_russia = d.value(economy="China", measure="trade_with_russia")
    share = with_russia / total * 100
    imports = d.value(economy="Russia", measure="china_share_of_imports")
    return {"china_total": total, "trade_with_russia": with_russia, "russia_share_computed": share,
            "russia_share_stated": d.value(economy="China", measure="russia_share_of_total_trade"),
            "china_share_of_russia_imports": imports,
            "china_share_of_russia_exports": d.value(economy="Russia", measure="china_share_of_exports"),
            "ratio": imports / share}


def trade_2023_figures() -> list[dict[str, Any]]:
    """The three figures for 2023 trade, largest first, with who reported them."""
    rows = [r for r in content.load_dataset(TRADE).filter(year=2023, measure="total_trade").rows]
    rows += list(content.load_dataset(TRADE_2023).filter(year=2023, measure="total_trade").rows)
    return sorted(rows, key=lambda r: -r["value"])
