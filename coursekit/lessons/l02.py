"""Lesson 02 (sanctions): the timeline and its explorer, and two comparisons of China's role.

Data: assets/data/sanctions_timeline.csv (events, each with the course's `kind` of measure, whose
vocabulary and legend order are in its sidecar) and assets/data/china_share_russia_tech_imports.csv
(values; the rows the lesson compares carry `compared_as`, `goods`, `origin` and a chart `label`).
A new row appears in the charts and the explorer without code changes.

The explorer has two controls (actor and kind of measure): `.control` is the actor filter,
`.kind_control` the kind, and `.result` is recomputed whenever either moves.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit import calc
from coursekit.display.explore import Exploration
from coursekit.model import content

TIMELINE = "sanctions_timeline"
SHARES = "china_share_russia_tech_imports"
ALL = "All"
#: Actor groups, in the order of the chart's lanes (top to bottom).
ACTOR_GROUPS = ("United States", "European Union", "G7 and partners", "Taiwan (TSMC)")
WAR = "2022-02-24"


def kinds(dataset: content.Dataset | None = None) -> tuple[str, ...]:
    """The kinds of measure, in legend order: the vocabulary the timeline's sidecar allows."""
    dataset = content.load_dataset(TIMELINE) if dataset is None else dataset
    return tuple(dataset.meta["allowed"]["kind"])


def actor_group(actor: str) -> str:
    """The explorer's actor group for a CSV actor ("US (BIS)" -> "United States")."""
    a = actor.strip()
    if a == "US" or a.startswith("US ("):
        return "United States"
    if a == "EU":
        return "European Union"
    if a.startswith("Taiwan"):
        return "Taiwan (TSMC)"
    return "G7 and partners"


def events(dataset: content.Dataset | None = None) -> list[dict[str, Any]]:
    """Timeline rows with their actor group and a plotting position, in date order."""
    dataset = content.load_dataset(TIMELINE) if dataset is None else dataset
    out = [{"date": r["date"], "actor": r["actor"], "group": actor_group(r["actor"]),
            "kind": r["kind"], "measure": r["measure"], "source_ids": tuple(r["source_ids"]),
            "note": r["note"], "x": calc.decimal_year(r["date"])} for r in dataset.rows]
    return sorted(out, key=lambda e: (e["x"], e["actor"]))


def filter_events(evts: list[dict[str, Any]], actor: str = ALL, kind: str = ALL) -> list[dict[str, Any]]:
    """Events of one actor group and/or one kind ("All" keeps everything)."""
    return [e for e in evts
            if (actor == ALL or e["group"] == actor) and (kind == ALL or e["kind"] == kind)]


def share_rows(dataset: content.Dataset | None = None) -> list[dict[str, Any]]:
    """The China-share measures the lesson compares, one row each (never a series). A share in
    US$ millions is computed from the matching "_total" row; the others are shares as published."""
    d = content.load_dataset(SHARES) if dataset is None else dataset
    out = []
    for r in d.filter(compared_as="share").rows:
        computed = r["unit"] == "USD m"
        if computed:
            total = d.value(period=r["period"], indicator=r["indicator"].replace("_from_china", "_total"))
            share = round(calc.share_pct(r["value"], total), 1)
        out.append({"label": r["label"], "year": r["period"], "goods": r["goods"], "origin": r["origin"],
                    "estimated_by": r["attributed_to"] + (", our calculation" if computed else ""),
                    "share_pct": share if computed else r["value"], "computed": computed,
                    "qualifier": "" if computed else r["qualifier"], "source_ids": r["source_ids"]})
    return out


def growth_rows(dataset: content.Dataset | None = None) -> list[dict[str, Any]]:
    """Estimates of chip flows from China to Russia in two years, with their growth."""
    d = content.load_dataset(SHARES) if dataset is None else dataset
    out = []
    for new in d.filter(compared_as="growth").rows:
        old = d.one(indicator=new["indicator"], period=str(int(new["period"]) - 1))
        out.append({"series": new["label"], "goods": new["goods"], "year_old": old["period"],
                    "year_new": new["period"], "usd_m_old": old["value"], "usd_m_new": new["value"],
                    "qualifier_new": new["qualifier"],
                    "growth_pct": round(calc.growth_pct(old["value"], new["value"]), 1),
                    "source_ids": tuple(dict.fromkeys(old["source_ids"] + new["source_ids"]))})
    return out


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------
def timeline_alt(evts: list[dict[str, Any]], actor: str = ALL, kind: str = ALL) -> str:
    """The chart's takeaway, with its figures, for any selection."""
    who = "all actors" if actor == ALL else actor
    what = "all kinds of measure" if kind == ALL else kind
    if not evts:
        return f"Timeline: no events match ({who}, {what}); 0 measures shown."
    before = sum(1 for e in evts if e["x"] < 2022)
    return (f"Timeline of {len(evts)} technology measures affecting Russia ({who}, {what}), "
            f"{evts[0]['date'][:4]} to {evts[-1]['date'][:4]}: {before} before 2022 and "
            f"{len(evts) - before} from February 2022 on.")


def timeline_figure(evts: list[dict[str, Any]], title: str = "Technology measures affecting Russia"):
    """(fig, alt, data): one lane per actor group, one marker per event, shaped and coloured by kind."""
    from coursekit.display.charts import MARKERS, SERIES_COLOURS, figure

    fig, ax = figure(figsize=(8.0, 3.6))
    lanes = list(ACTOR_GROUPS)
    y_of = {g: len(lanes) - 1 - i for i, g in enumerate(lanes)}
    legend = kinds()
    for i, k in enumerate(legend):
        pts = [e for e in evts if e["kind"] == k]
        if pts:
            ax.scatter([e["x"] for e in pts], [y_of[e["group"]] for e in pts], s=60, label=k,
                       marker=MARKERS[i % len(MARKERS)], color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                       edgecolors="#000000", linewidths=0.6, zorder=3)
    years = range(2014, 2027)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(list(reversed(lanes)))
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.set_xlim(2013.5, 2026.2)
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) if y % 2 == 0 else "" for y in years])
    war = calc.decimal_year(WAR)
    ax.axvline(war, color="#595959", linestyle="--", linewidth=1, zorder=1)
    ax.text(war - 0.1, len(lanes) - 0.55, "24 Feb 2022", ha="right", va="bottom", fontsize=8,
            color="#333333")
    ax.set_title(title)
    ax.set_xlabel("Date of adoption or announcement")
    if evts:
        ax.legend(title="Kind of measure (shape and colour)", loc="upper left", fontsize=8,
                  title_fontsize=8, bbox_to_anchor=(1.01, 1.0))
    data = [{"date": e["date"], "actor": e["actor"], "kind": e["kind"], "measure": e["measure"],
             "sources": "; ".join(e["source_ids"])} for e in evts]
    return fig, timeline_alt(evts), data


def _with(qualifier: str) -> str:
    return f"{qualifier} " if qualifier else ""


def shares_figure(rows: list[dict[str, Any]]):
    """(fig, alt, data): separate horizontal bars, one per measure, labelled with goods, year and
    estimator, with no line between them, so that they cannot be read as one series."""
    from coursekit.display.charts import HATCHES, PALETTE, figure

    fig, ax = figure(figsize=(8.0, 3.4))
    ys = list(range(len(rows)))[::-1]
    for y, r in zip(ys, rows):
        ax.barh(y, r["share_pct"], color=PALETTE["blue"] if r["computed"] else PALETTE["vermillion"],
                hatch=HATCHES[1] if r["computed"] else "", edgecolor="#000000", height=0.6)
        ax.text(r["share_pct"] + 1.5, y, f"{_with(r['qualifier'])}{r['share_pct']:g}%", va="center",
                fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels([r["label"] for r in rows], fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_axisbelow(True)
    ax.set_xlabel("China's share of Russia's imports of these goods (%)")
    ax.set_title(f"{len(rows)} different measures, not one trend")
    lo, hi = min(rows, key=lambda r: r["share_pct"]), max(rows, key=lambda r: r["share_pct"])
    alt = (f"{len(rows)} separate bars, each a different measure: China's share of Russia's imports "
           f"ranges from {_with(lo['qualifier'])}{lo['share_pct']:g}% of {lo['goods']} in {lo['year']} to "
           f"{_with(hi['qualifier'])}{hi['share_pct']:g}% of {hi['goods']} in {hi['year']}; they count "
           "different goods, years and estimators, so they are not a trend.")
    data = [{"measure": r["label"], "share (%)": r["share_pct"], "qualifier": r["qualifier"] or "exact",
             "sources": "; ".join(r["source_ids"])} for r in rows]
    return fig, alt, data


def growth_figure(rows: list[dict[str, Any]]):
    """(fig, alt, data): the estimates side by side, old year and new, with their growth rates."""
    from coursekit.display.charts import HATCHES, PALETTE, figure

    fig, ax = figure(figsize=(7.0, 3.4))
    width = 0.35
    for j, (key, colour) in enumerate((("old", PALETTE["blue"]), ("new", PALETTE["green"]))):
        xs = [i + (j - 0.5) * width for i in range(len(rows))]
        vals = [r[f"usd_m_{key}"] for r in rows]
        bars = ax.bar(xs, vals, width, color=colour, hatch=HATCHES[2 * j], edgecolor="#000000",
                      label=rows[0][f"year_{key}"])
        labels = [f"{_with(r['qualifier_new']) if key == 'new' else ''}${v:g}m" for r, v in zip(rows, vals)]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([r["series"].replace(" (", "\n(") for r in rows], fontsize=8)
    ax.set_axisbelow(True)
    ax.set_ylabel("US$ million")
    ax.set_ylim(0, 600)
    ax.set_title("Two sources, two definitions: different levels, similar growth")
    ax.legend(title="Year", fontsize=8, title_fontsize=8)
    alt = "Two estimates of chip flows from China to Russia: " + "; ".join(
        f"{r['goods']}{' rose' if i == 0 else ''} from ${r['usd_m_old']:g}m"
        f"{' in ' + r['year_old'] if i == 0 else ''} to {_with(r['qualifier_new'])}${r['usd_m_new']:g}m"
        f"{' in ' + r['year_new'] if i == 0 else ''} "
        f"(+{r['growth_pct']:g}%{' or more' if r['qualifier_new'] == 'over' else ''})"
        for i, r in enumerate(rows)) + "."
    data = [{"series": r["series"], f"{r['year_old']} (US$ m)": r["usd_m_old"],
             f"{r['year_new']} (US$ m)": r["usd_m_new"],
             f"{r['year_new']} qualifier": r["qualifier_new"] or "exact",
             "growth (%)": r["growth_pct"], "sources": "; ".join(r["source_ids"])} for r in rows]
    return fig, alt, data


# --------------------------------------------------------------------------------------------
# The timeline explorer
# --------------------------------------------------------------------------------------------
def events_html(evts: list[dict[str, Any]], sources: dict[str, Any] | None = None) -> str:
    """An ordered list of the events, each with links to its sources (one click away)."""
    sources = content.load_sources() if sources is None else sources
    if not evts:
        return "<p>No events match these filters.</p>"
    e = html.escape

    def link(sid: str) -> str:
        s = sources.get(sid)
        return e(sid) if s is None else (
            f'<a href="{e(s.url, quote=True)}" target="_blank" rel="noopener" '
            f'style="text-decoration:underline" title="{e(s.title, quote=True)}">{e(sid)}: {e(s.label)}</a>')

    items = []
    for v in evts:
        note = f" <em>({e(v['note'])})</em>" if v["note"] else ""
        items.append(f"<li><strong>{e(v['date'])}, {e(v['actor'])}</strong> [{e(v['kind'])}]: "
                     f"{e(v['measure'])}.{note} Sources: "
                     f"{', '.join(link(sid) for sid in v['source_ids'])}.</li>")
    return f'<ol class="ck-timeline">{"".join(items)}</ol>'


class TimelineExplorer(Exploration):
    """Filter the sanctions timeline by actor (`.control`) and by kind of measure (`.kind_control`).

    `.result` holds the selection: actor, kind, count, events, and counts before/after 2022."""

    note = "Interactive controls: run the notebook to filter the timeline."

    def __init__(self, name: str = "l02-timeline"):
        import ipywidgets as widgets

        dataset = content.load_dataset(TIMELINE)
        self.all_events = events(dataset)
        self.kind_control = widgets.Dropdown(options=[ALL, *kinds(dataset)], value=ALL,
                                             description="Kind:", style={"description_width": "5em"})
        actor = widgets.Dropdown(options=[ALL, *ACTOR_GROUPS], value=ALL, description="Actor:",
                                 style={"description_width": "5em"})
        super().__init__(actor, compute=self._select, readout=self._readout, render=self._render,
                         source_ids=list(dict.fromkeys(i for e in self.all_events for i in e["source_ids"])),
                         name=name, as_of=dataset.as_of)

    def controls(self) -> list[Any]:
        return [self.control, self.kind_control]

    def _compute(self) -> dict[str, Any]:
        return self._select(self.control.value)

    def _select(self, actor: str) -> dict[str, Any]:
        kind = self.kind_control.value
        sel = filter_events(self.all_events, actor, kind)
        return {"actor": actor, "kind": kind, "count": len(sel), "events": sel,
                "before_2022": sum(1 for e in sel if e["x"] < 2022),
                "from_2022": sum(1 for e in sel if e["x"] >= 2022),
                "first": sel[0]["date"] if sel else None, "last": sel[-1]["date"] if sel else None}

    @staticmethod
    def _readout(result: dict[str, Any]) -> str:
        n = result["count"]
        if not n:
            return "No measures match these filters."
        return (f"{n} measure{'s' if n != 1 else ''} match ({result['actor']}, {result['kind']}): "
                f"{result['before_2022']} before 2022 and {result['from_2022']} from 2022 on; "
                f"first {result['first']}, last {result['last']}.")

    def _render(self, result: dict[str, Any]):
        fig, _, data = timeline_figure(result["events"])
        return fig, timeline_alt(result["events"], result["actor"], result["kind"]), data

    def _draw(self, update: bool) -> None:
        """The chart, then the linked list of the selected events."""
        from IPython.display import display, update_display

        super()._draw(update)
        bundle = {"text/html": events_html(self.result["events"]),
                  "text/plain": f"{self.result['count']} events listed with their sources."}
        (update_display if update else display)(bundle, raw=True, display_id=f"{self.name}-list")


def timeline_explorer() -> TimelineExplorer:
    """The lesson's exploration: `l02.timeline_explorer().show()`."""
    return TimelineExplorer()
