"""Lesson 02 (sanctions): the timeline explorer, the lesson's charts and small computations.

Data: assets/data/sanctions_timeline.csv (events) and
assets/data/china_share_russia_tech_imports.csv (values). Everything shown is computed from those
files, so a new row appears in the charts and the explorer without code changes.

The explorer has two controls (actor and kind of measure). `TimelineExplorer` keeps the
`Exploration` contract: `.control` is the actor filter and `.result` is recomputed whenever either
control moves, so a test can set `ex.control.value` or `ex.kind_control.value` and read `ex.result`.

matplotlib, ipywidgets and IPython are imported inside the functions that draw, never at import.
"""
from __future__ import annotations

import html
from datetime import date as _date
from typing import Any

from coursekit.display.explore import Exploration

TIMELINE = "sanctions_timeline"
SHARES = "china_share_russia_tech_imports"
ALL = "All"

#: Actor groups, in the order of the chart's lanes (top to bottom).
ACTOR_GROUPS = ("United States", "European Union", "G7 and partners", "Taiwan (TSMC)")

#: Kinds of measure, in legend order. Our own classification of each event's main effect.
KINDS = ("export controls", "anti-circumvention", "financial and listing sanctions",
         "company action", "diplomatic statement")
OTHER_KIND = "other"

#: The course's classification of each timeline event (keyed by date and actor, as in the CSV).
#: An events table has no room for extra columns, so the classification lives here; an event
#: missing from this table is shown as "other" (a test checks that none is missing).
KIND_OF: dict[tuple[str, str], str] = {
    ("2014-07-29", "US (BIS)"): "export controls",
    ("2014-07-31", "EU"): "export controls",
    ("2022-02-24", "US (BIS)"): "export controls",
    ("2022-02-25", "EU"): "export controls",
    ("2022-02", "Taiwan (TSMC)"): "company action",
    ("2022-10-07", "US (BIS)"): "export controls",
    ("2023-02-25", "EU"): "export controls",
    ("2023-06-23", "EU"): "anti-circumvention",
    ("2023-10-17", "US (BIS)"): "export controls",
    ("2023-12-18", "EU"): "anti-circumvention",
    ("2023-12-22", "US"): "financial and listing sanctions",
    ("2024-02-23", "US, EU, UK and Japan"): "anti-circumvention",
    ("2024-02-23", "EU"): "export controls",
    ("2024-06-12", "US (OFAC and BIS)"): "financial and listing sanctions",
    ("2024-06-14", "G7"): "diplomatic statement",
    ("2024-06-24", "EU"): "anti-circumvention",
    ("2024-08-23", "US (BIS)"): "anti-circumvention",
    ("2024-12-16", "EU"): "anti-circumvention",
    ("2025-01-15", "US (BIS)"): "export controls",
    ("2025-02-24", "EU"): "export controls",
    ("2025-05-13", "US (BIS)"): "export controls",
    ("2025-05-20", "EU"): "export controls",
    ("2025-07-18", "EU"): "export controls",
    ("2025-10-23", "EU"): "financial and listing sanctions",
}


# --------------------------------------------------------------------------------------------
# Small computations (used by the lesson, the exercises' solutions and the tests)
# --------------------------------------------------------------------------------------------
def growth_pct(old: float, new: float) -> float:
    """Percentage change from `old` to `new`: (new - old) / old x 100."""
    if old == 0:
        raise ValueError("growth from zero is undefined")
    return (new - old) / old * 100


def share_pct(part: float, whole: float) -> float:
    """`part` as a percentage of `whole`."""
    if whole == 0:
        raise ValueError("a share of zero is undefined")
    return part / whole * 100


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


def date_value(text: str) -> float:
    """A date as a decimal year for plotting; "YYYY-MM" (day unknown) is placed mid-month."""
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], parts[1]
    day = parts[2] if len(parts) > 2 else 15
    start = _date(year, 1, 1).toordinal()
    days = _date(year + 1, 1, 1).toordinal() - start
    return year + (_date(year, month, day).toordinal() - start) / days


def events(dataset: Any = None) -> list[dict[str, Any]]:
    """Timeline rows with their actor group, kind and a plotting position, in date order."""
    if dataset is None:
        from coursekit.model.content import load_dataset
        dataset = load_dataset(TIMELINE)
    out = []
    for r in dataset.rows:
        out.append({
            "date": r["date"], "actor": r["actor"], "group": actor_group(r["actor"]),
            "kind": KIND_OF.get((r["date"], r["actor"]), OTHER_KIND), "measure": r["measure"],
            "source_ids": tuple(r["source_ids"]), "note": r.get("note", ""),
            "x": date_value(r["date"]),
        })
    return sorted(out, key=lambda e: (e["x"], e["actor"]))


def filter_events(evts: list[dict[str, Any]], actor: str = ALL, kind: str = ALL) -> list[dict[str, Any]]:
    """Events of one actor group and/or one kind ("All" keeps everything)."""
    return [e for e in evts
            if (actor == ALL or e["group"] == actor) and (kind == ALL or e["kind"] == kind)]


def share_rows(dataset: Any = None) -> list[dict[str, Any]]:
    """The China-share figures the lesson compares, one row per distinct measure (never a series).

    The two 2020 shares are computed from UN Comtrade values; the others are shares as published."""
    if dataset is None:
        from coursekit.model.content import load_dataset
        dataset = load_dataset(SHARES)
    d = dataset

    def val(period: str, indicator: str) -> dict[str, Any]:
        return d.one(period=period, indicator=indicator)

    ic_cn, ic_all = val("2020", "russia_ic_imports_from_china"), val("2020", "russia_ic_imports_total")
    dev_cn = val("2020", "russia_semiconductor_device_imports_from_china")
    dev_all = val("2020", "russia_semiconductor_device_imports_total")
    chips = val("2022", "china_hk_share_of_russia_chip_imports")
    micro = val("2023", "china_share_of_russia_microelectronics_imports")
    tools = val("2023-Q4", "china_share_of_russia_machine_tool_imports")
    return [
        {"label": "2020: integrated circuits, mainland China (UN Comtrade, our calculation)",
         "year": "2020", "goods": "integrated circuits", "origin": "mainland China",
         "estimated_by": "UN Comtrade data, our calculation",
         "share_pct": round(share_pct(ic_cn["value"], ic_all["value"]), 1), "qualifier": "",
         "source_ids": ic_cn["source_ids"]},
        {"label": "2020: diodes, transistors etc., mainland China (UN Comtrade, our calculation)",
         "year": "2020", "goods": "diodes, transistors and similar devices", "origin": "mainland China",
         "estimated_by": "UN Comtrade data, our calculation",
         "share_pct": round(share_pct(dev_cn["value"], dev_all["value"]), 1), "qualifier": "",
         "source_ids": dev_cn["source_ids"]},
        {"label": "2022: computer chips, China and Hong Kong (IIF)", "year": "2022",
         "goods": "computer chips", "origin": "mainland China and Hong Kong",
         "estimated_by": chips["attributed_to"], "share_pct": chips["value"],
         "qualifier": chips["qualifier"], "source_ids": chips["source_ids"]},
        {"label": "2023: microelectronics imports, China (US officials)", "year": "2023",
         "goods": "microelectronics", "origin": "China", "estimated_by": micro["attributed_to"],
         "share_pct": micro["value"], "qualifier": micro["qualifier"],
         "source_ids": micro["source_ids"]},
        {"label": "Q4 2023: machine tools, China (US officials)", "year": "2023-Q4",
         "goods": "machine tools", "origin": "China", "estimated_by": tools["attributed_to"],
         "share_pct": tools["value"], "qualifier": tools["qualifier"],
         "source_ids": tools["source_ids"]},
    ]


def growth_rows(dataset: Any = None) -> list[dict[str, Any]]:
    """Two estimates of chip flows from China to Russia, 2021 and 2022, with their growth."""
    if dataset is None:
        from coursekit.model.content import load_dataset
        dataset = load_dataset(SHARES)
    out = []
    for indicator, label in (("russia_semiconductor_imports_from_china",
                              "Russia's semiconductor imports from China (Russian customs, Free Russia Foundation)"),
                             ("china_ic_exports_to_russia",
                              "China's integrated-circuit exports to Russia (China customs, via WSJ)")):
        old = dataset.one(period="2021", indicator=indicator)
        new = dataset.one(period="2022", indicator=indicator)
        out.append({"series": label, "usd_m_2021": old["value"], "usd_m_2022": new["value"],
                    "qualifier_2022": new["qualifier"],
                    "growth_pct": round(growth_pct(old["value"], new["value"]), 1),
                    "source_ids": tuple(dict.fromkeys(old["source_ids"] + new["source_ids"]))})
    return out


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------
def _style_of(kind: str) -> tuple[str, str]:
    from coursekit.display.charts import MARKERS, SERIES_COLOURS, PALETTE

    if kind in KINDS:
        i = KINDS.index(kind)
        return SERIES_COLOURS[i % len(SERIES_COLOURS)], MARKERS[i % len(MARKERS)]
    return PALETTE["grey"], "X"


def timeline_alt(evts: list[dict[str, Any]], actor: str = ALL, kind: str = ALL) -> str:
    """The chart's takeaway, with its figures, for any selection."""
    who = "all actors" if actor == ALL else actor
    what = "all kinds of measure" if kind == ALL else kind
    if not evts:
        return f"Timeline: no events match ({who}, {what}); 0 measures shown."
    before = sum(1 for e in evts if e["x"] < 2022)
    since = len(evts) - before
    first, last = evts[0]["date"][:4], evts[-1]["date"][:4]
    return (f"Timeline of {len(evts)} technology measures affecting Russia ({who}, {what}), "
            f"{first} to {last}: {before} before 2022 and {since} from February 2022 on.")


def timeline_figure(evts: list[dict[str, Any]], title: str = "Technology measures affecting Russia"):
    """(fig, alt, data): one lane per actor group, one marker per event, shaped and coloured by kind."""
    from coursekit.display.charts import figure

    fig, ax = figure(figsize=(8.0, 3.6))
    lanes = list(ACTOR_GROUPS)
    y_of = {g: len(lanes) - 1 - i for i, g in enumerate(lanes)}
    shown_kinds = [k for k in KINDS + (OTHER_KIND,) if any(e["kind"] == k for e in evts)]
    for k in shown_kinds:
        colour, marker = _style_of(k)
        pts = [e for e in evts if e["kind"] == k]
        ax.scatter([e["x"] for e in pts], [y_of[e["group"]] for e in pts], marker=marker, s=60,
                   color=colour, edgecolors="#000000", linewidths=0.6, label=k, zorder=3)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(list(reversed(lanes)))
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    ax.set_xlim(2013.5, 2026.2)
    ax.set_xticks(range(2014, 2027))
    ax.set_xticklabels([str(y) if y % 2 == 0 else "" for y in range(2014, 2027)])
    ax.axvline(date_value("2022-02-24"), color="#595959", linestyle="--", linewidth=1, zorder=1)
    ax.text(date_value("2022-02-24") - 0.1, len(lanes) - 0.55, "24 Feb 2022", ha="right", va="bottom",
            fontsize=8, color="#333333")
    ax.set_title(title)
    ax.set_xlabel("Date of adoption or announcement")
    if shown_kinds:
        ax.legend(title="Kind of measure (shape and colour)", loc="upper left", fontsize=8,
                  title_fontsize=8, bbox_to_anchor=(1.01, 1.0))
    data = [{"date": e["date"], "actor": e["actor"], "kind": e["kind"], "measure": e["measure"],
             "sources": "; ".join(e["source_ids"])} for e in evts]
    return fig, timeline_alt(evts), data


def shares_figure(rows: list[dict[str, Any]]):
    """(fig, alt, data): separate horizontal bars, one per measure, labelled with goods, year and
    estimator, with no line between them, so that they cannot be read as one series."""
    from coursekit.display.charts import HATCHES, PALETTE, figure

    fig, ax = figure(figsize=(8.0, 3.4))
    ys = list(range(len(rows)))[::-1]
    for y, (i, r) in zip(ys, enumerate(rows)):
        ax.barh(y, r["share_pct"], color=PALETTE["blue"] if r["year"] == "2020" else PALETTE["vermillion"],
                hatch=HATCHES[1] if r["year"] == "2020" else "", edgecolor="#000000", height=0.6)
        word = {"about": "about ", "around": "around ", "nearly": "nearly ", "over": "over "}.get(r["qualifier"], "")
        ax.text(r["share_pct"] + 1.5, y, f"{word}{r['share_pct']:g}%", va="center", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels([r["label"] for r in rows], fontsize=8)
    ax.set_xlim(0, 112)
    ax.set_axisbelow(True)
    ax.set_xlabel("China's share of Russia's imports of these goods (%)")
    ax.set_title("Five different measures, not one trend")
    lo, hi = rows[0], max(rows, key=lambda r: r["share_pct"])
    alt = (f"Five separate bars, each a different measure: China's share of Russia's imports ranges from "
           f"{lo['share_pct']:g}% of integrated circuits in 2020 to about {hi['share_pct']:g}% of "
           f"microelectronics in 2023; they count different goods, years and estimators, so they are not a trend.")
    data = [{"measure": r["label"], "share (%)": r["share_pct"], "qualifier": r["qualifier"] or "exact",
             "sources": "; ".join(r["source_ids"])} for r in rows]
    return fig, alt, data


def growth_figure(rows: list[dict[str, Any]]):
    """(fig, alt, data): the two 2021-2022 estimates side by side, with their growth rates."""
    from coursekit.display.charts import HATCHES, PALETTE, figure

    fig, ax = figure(figsize=(7.0, 3.4))
    width = 0.35
    colours = (PALETTE["blue"], PALETTE["green"])
    for j, year in enumerate(("2021", "2022")):
        xs = [i + (j - 0.5) * width for i in range(len(rows))]
        vals = [r[f"usd_m_{year}"] for r in rows]
        bars = ax.bar(xs, vals, width, color=colours[j], hatch=HATCHES[2 * j], edgecolor="#000000",
                      label=year)
        labels = []
        for r, v in zip(rows, vals):
            q = "over " if year == "2022" and r["qualifier_2022"] == "over" else ""
            labels.append(f"{q}${v:g}m")
        ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(["Semiconductors from China\n(Russian customs data)",
                        "Integrated circuits to Russia\n(China customs data)"], fontsize=8)
    ax.set_axisbelow(True)
    ax.set_ylabel("US$ million")
    ax.set_ylim(0, 600)
    ax.set_title("Two sources, two definitions: different levels, similar growth")
    ax.legend(title="Year", fontsize=8, title_fontsize=8)
    a, b = rows
    alt = (f"Two estimates of chip flows from China to Russia: semiconductors rose from ${a['usd_m_2021']:g}m "
           f"in 2021 to over ${a['usd_m_2022']:g}m in 2022 (+{a['growth_pct']:g}% or more); integrated "
           f"circuits from ${b['usd_m_2021']:g}m to ${b['usd_m_2022']:g}m (+{b['growth_pct']:g}%).")
    data = [{"series": r["series"], "2021 (US$ m)": r["usd_m_2021"],
             "2022 (US$ m)": r["usd_m_2022"], "2022 qualifier": r["qualifier_2022"] or "exact",
             "growth (%)": r["growth_pct"], "sources": "; ".join(r["source_ids"])} for r in rows]
    return fig, alt, data


# --------------------------------------------------------------------------------------------
# The timeline explorer
# --------------------------------------------------------------------------------------------
def _source_links(ids: tuple[str, ...], sources: dict[str, Any]) -> str:
    links = []
    for sid in ids:
        s = sources.get(sid)
        if s is None:
            links.append(html.escape(sid))
        else:
            links.append(f'<a href="{html.escape(s.url, quote=True)}" target="_blank" rel="noopener" '
                         f'style="text-decoration:underline" '
                         f'title="{html.escape(s.title, quote=True)}">{html.escape(sid)}: '
                         f'{html.escape(s.label)}</a>')
    return ", ".join(links)


def events_html(evts: list[dict[str, Any]], sources: dict[str, Any] | None = None) -> str:
    """An ordered list of the events, each with links to its sources (one click away)."""
    if sources is None:
        from coursekit.model.content import load_sources
        sources = load_sources()
    if not evts:
        return "<p>No events match these filters.</p>"
    items = []
    for e in evts:
        note = f" <em>({html.escape(e['note'])})</em>" if e["note"] else ""
        items.append(f"<li><strong>{html.escape(e['date'])}, {html.escape(e['actor'])}</strong> "
                     f"[{html.escape(e['kind'])}]: {html.escape(e['measure'])}.{note} "
                     f"Sources: {_source_links(e['source_ids'], sources)}.</li>")
    return f'<ol class="ck-timeline">{"".join(items)}</ol>'


class _Static:
    """A widget with a fixed text/html and text/plain fallback (for stored outputs and GitHub)."""

    def __init__(self, widget: Any, text: str):
        self.widget = widget
        self.text = text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        from coursekit.display.a11y import attach

        attach(self.widget)  # names for its controls, a focus ring (coursekit/display/a11y.py)
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        data = dict(bundle[0] if isinstance(bundle, tuple) else bundle)
        data["text/html"] = (f"<p><em>Interactive controls: run the notebook to filter the timeline.</em> "
                             f"{html.escape(self.text)}</p>")
        data["text/plain"] = self.text
        return data


class TimelineExplorer(Exploration):
    """Filter the sanctions timeline by actor (`.control`) and by kind of measure (`.kind_control`).

    `.result` holds the selection: actor, kind, count, events, and counts before/after 2022."""

    def __init__(self, evts: list[dict[str, Any]] | None = None, name: str = "l02-timeline",
                 as_of: str | None = None):
        import ipywidgets as widgets

        if evts is None:
            from coursekit.model.content import load_dataset
            dataset = load_dataset(TIMELINE)
            evts, as_of = events(dataset), as_of or dataset.as_of
        self.all_events = evts
        self.as_of = as_of
        self.kind_control = widgets.Dropdown(options=[ALL, *KINDS], value=ALL,
                                             description="Kind:", style={"description_width": "5em"})
        actor = widgets.Dropdown(options=[ALL, *ACTOR_GROUPS], value=ALL, description="Actor:",
                                 style={"description_width": "5em"})
        ids = list(dict.fromkeys(sid for e in self.all_events for sid in e["source_ids"]))
        super().__init__(actor, compute=self._compute, readout=self._readout,
                         render=self._render, source_ids=ids, name=name)
        self.kind_control.observe(self._kind_changed, names="value")

    # The computation: a plain function of both controls' values.
    def _compute(self, actor: str) -> dict[str, Any]:
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
        # As Exploration._draw, plus the data's "as of" date on the source line.
        from coursekit.display.charts import show

        fig, alt, data = self._render(self.result)
        show(fig, alt=alt, source_ids=self.source_ids, data=data, as_of=self.as_of,
             display_id=self.name, update=update)

    def _kind_changed(self, change: dict[str, Any]) -> None:
        self._changed({"new": self.control.value})

    def _changed(self, change: dict[str, Any]) -> None:
        super()._changed(change)
        if self._shown:
            from IPython.display import update_display
            update_display({"text/html": events_html(self.result["events"])}, raw=True,
                           display_id=f"{self.name}-list")

    def show(self) -> None:
        """Display both controls, the live readout, the chart and the linked list of events."""
        from IPython.display import display

        import ipywidgets as widgets

        box = widgets.VBox([self.control, self.kind_control, self.readout])
        display(_Static(box, self.readout_fn(self.result)))
        self._draw(update=False)
        display({"text/html": events_html(self.result["events"]),
                 "text/plain": f"{self.result['count']} events listed with their sources."},
                raw=True, display_id=f"{self.name}-list")
        self._shown = True


def timeline_explorer() -> TimelineExplorer:
    """The lesson's exploration: `l02.timeline_explorer().show()`."""
    return TimelineExplorer()


# --------------------------------------------------------------------------------------------
# The claim ledger for this lesson
# --------------------------------------------------------------------------------------------
class LedgerTable:
    """The lesson's claims from assets/claims.toml: quote, verdict, reason, evidence ids."""

    def __init__(self, lesson: str = "02"):
        from coursekit.model.content import load_claims

        self.claims = [c for c in load_claims().values() if c.lesson == lesson]

    def _repr_html_(self) -> str:
        e = html.escape
        td = '<td style="text-align:left;vertical-align:top">'
        rows = "".join(
            f"<tr>{td}{e(c.id)}</td>{td}\u201c{e(c.quote)}\u201d (the article)</td>"
            f"{td}<strong>{e(c.verdict)}</strong></td>{td}{e(c.reason)}</td>"
            f"{td}{e(', '.join(c.evidence))}</td>{td}{e(c.as_of)}</td></tr>" for c in self.claims)
        head = "".join(f'<th scope="col" style="text-align:left">{h}</th>' for h in
                       ("Claim", "Quote", "Verdict", "Reason", "Evidence", "As of"))
        from coursekit.display.charts import NO_MATH

        return (f'<table class="{NO_MATH}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>")

    def __repr__(self) -> str:
        return "\n\n".join(f"{c.id} [{c.verdict}] \u201c{c.quote}\u201d\n{c.reason}" for c in self.claims)


def ledger(lesson: str = "02") -> LedgerTable:
    return LedgerTable(lesson)
