"""Lesson 04 (governance): the instruments of China, Russia and the EU, their milestones, the
arithmetic of dates, two charts and a filterable, sortable comparison matrix.

The facts live in two data files:
- assets/data/governance_instruments.csv: one row per instrument, with its jurisdiction, type
  (the sidecar lists the types, strongest legal force first), scope, enforcer, what it requires
  of providers and a short name for charts (value = year issued);
- assets/data/governance_milestones.csv: dated milestones, each measure written
  "<instrument>: <milestone> (detail)".
"""
from __future__ import annotations

import html
import re
import statistics
from typing import Any, Sequence

from coursekit import calc
from coursekit.display.charts import NO_MATH
from coursekit.display.explore import Exploration
from coursekit.display.tables import Table
from coursekit.model import content

INSTRUMENTS = "governance_instruments"
MILESTONES = "governance_milestones"
MILESTONE_KINDS = ("issued", "published", "in force", "applies", "ends", "agreed", "approved",
                   "submitted")
_MEASURE = re.compile(r"^(?P<instrument>.+?): (?P<kind>[a-z ]+?)(?: \((?P<detail>.*)\))?$")
JURISDICTIONS = tuple(content.load_dataset(INSTRUMENTS).meta["allowed"]["jurisdiction"])
TYPES = tuple(content.load_dataset(INSTRUMENTS).meta["allowed"]["type"])


def as_of() -> str:
    """The day the course last checked every instrument (the data's "as of" date)."""
    return content.load_dataset(INSTRUMENTS).as_of


# --------------------------------------------------------------------------------------------
# Reading the data
# --------------------------------------------------------------------------------------------
def parse_measure(measure: str) -> tuple[str, str, str]:
    """'EU AI Act: applies (GPAI)' -> ('EU AI Act', 'applies', 'GPAI')."""
    m = _MEASURE.match(measure.strip())
    if not m or m["kind"] not in MILESTONE_KINDS:
        raise ValueError(f"milestone {measure!r} does not read '<instrument>: <milestone> (detail)'")
    return m["instrument"], m["kind"], m["detail"] or ""


def instruments() -> list[dict[str, Any]]:
    """Rows of governance_instruments with 'year' as an int, in file order."""
    return [{**r, "year": int(r["value"])} for r in content.load_dataset(INSTRUMENTS).rows]


def milestones() -> list[dict[str, Any]]:
    """Rows of governance_milestones with the instrument, milestone kind and detail split out."""
    out = []
    for r in content.load_dataset(MILESTONES).rows:
        instrument, kind, detail = parse_measure(r["measure"])
        out.append({"date": r["date"], "jurisdiction": r["actor"], "instrument": instrument,
                    "milestone": kind, "detail": detail, "source_ids": tuple(r["source_ids"]),
                    "note": r["note"]})
    return out


def milestone_date(instrument: str, kind: str, rows: Sequence[dict[str, Any]] | None = None) -> str | None:
    """The first date of `kind` ('issued', 'in force', ...) for `instrument`, or None."""
    for r in rows if rows is not None else milestones():
        if r["instrument"] == instrument and r["milestone"] == kind:
            return r["date"]
    return None


def issued(instrument: str, rows: Sequence[dict[str, Any]]) -> str | None:
    """The date an instrument was issued, or else published."""
    return milestone_date(instrument, "issued", rows) or milestone_date(instrument, "published", rows)


# --------------------------------------------------------------------------------------------
# Computations used by the lesson, the exercises and the tests
# --------------------------------------------------------------------------------------------
def gaps(*, start: str = "issued", types: Sequence[str] = ("binding", "sandbox"),
         jurisdiction: str | None = None) -> list[dict[str, Any]]:
    """Days from `start` ('issued' or 'published') to 'in force', for instruments of `types`
    that have both milestones, sorted from shortest to longest."""
    rows = milestones()
    out = []
    for inst in instruments():
        if inst["type"] not in types or (jurisdiction and inst["jurisdiction"] != jurisdiction):
            continue
        begin = milestone_date(inst["instrument"], start, rows)
        if start == "published" and begin is None:  # no separate publication date: use the issue date
            begin = milestone_date(inst["instrument"], "issued", rows)
        end = milestone_date(inst["instrument"], "in force", rows)
        if begin and end:
            out.append({"instrument": inst["instrument"], "jurisdiction": inst["jurisdiction"],
                        "type": inst["type"], "start": begin, "in force": end,
                        "days": calc.days_between(begin, end), "source_ids": tuple(inst["source_ids"])})
    return sorted(out, key=lambda r: (r["days"], r["instrument"]))


def eu_phases(when: str | None = None) -> dict[str, Any]:
    """The EU AI Act's application dates ('applies' milestones) split at `when` (default: the
    data's "as of" date)."""
    when = when or as_of()
    rows = [r for r in milestones() if r["instrument"] == "EU AI Act" and r["milestone"] == "applies"]
    passed = [r for r in rows if r["date"] <= when]
    upcoming = [r for r in rows if r["date"] > when]
    return {"as_of": when, "passed": passed, "upcoming": upcoming, "n_passed": len(passed),
            "n_upcoming": len(upcoming), "entry_into_force": milestone_date("EU AI Act", "in force")}


def type_counts(jurisdiction: str | None = None) -> dict[str, int]:
    counts = {t: 0 for t in TYPES}
    for r in instruments():
        if jurisdiction is None or r["jurisdiction"] == jurisdiction:
            counts[r["type"]] += 1
    return counts


# --------------------------------------------------------------------------------------------
# The comparison matrix (exploration)
# --------------------------------------------------------------------------------------------
ALL = "All instruments"
FILTERS = (ALL,) + tuple(f"Jurisdiction: {j}" for j in JURISDICTIONS) + tuple(f"Type: {t}" for t in TYPES)
SORTS = ("Date issued (oldest first)", "Date issued (newest first)", "Type (strongest legal force first)",
         "Jurisdiction")
MATRIX_COLUMNS = ("instrument", "jurisdiction", "type", "issued", "in force", "scope", "enforcer",
                  "requires of providers", "sources")


def matrix_rows(filter_value: str = ALL, sort: str = SORTS[0]) -> list[dict[str, Any]]:
    """The matrix: one row per instrument matching `filter_value`, sorted by `sort`."""
    if filter_value not in FILTERS or sort not in SORTS:
        raise ValueError(f"unknown filter {filter_value!r} or sort {sort!r}")
    field, _, wanted = filter_value.partition(": ")
    ms = milestones()
    rows = [{"instrument": i["instrument"], "jurisdiction": i["jurisdiction"], "type": i["type"],
             "issued": issued(i["instrument"], ms) or str(i["year"]),
             "in force": milestone_date(i["instrument"], "in force", ms) or "n/a",
             "scope": i["scope"], "enforcer": i["enforcer"], "requires of providers": i["requires"],
             "sources": "; ".join(i["source_ids"])}
            for i in instruments() if not wanted or i[field.lower()] == wanted]
    keys = {SORTS[0]: lambda r: (r["issued"], r["instrument"]),
            SORTS[1]: lambda r: (r["issued"], r["instrument"]),
            SORTS[2]: lambda r: (TYPES.index(r["type"]), r["issued"], r["instrument"]),
            SORTS[3]: lambda r: (JURISDICTIONS.index(r["jurisdiction"]), r["issued"], r["instrument"])}
    return sorted(rows, key=keys[sort], reverse=sort == SORTS[1])


def matrix_result(filter_value: str = ALL, sort: str = SORTS[0]) -> dict[str, Any]:
    rows = matrix_rows(filter_value, sort)
    counts = {t: sum(r["type"] == t for r in rows) for t in TYPES}
    return {"filter": filter_value, "sort": sort, "rows": rows, "n": len(rows), "counts": counts,
            "n_binding": counts["binding"], "share_binding": counts["binding"] / len(rows) if rows else 0.0,
            "first": rows[0]["instrument"] if rows else None}


def matrix_readout(result: dict[str, Any]) -> str:
    if not result["n"]:
        return f"{result['filter']}: no instruments in the data."
    kinds = ", ".join(f"{n} {t}" for t, n in result["counts"].items() if n)
    return (f"{result['filter']}: {result['n']} instruments ({kinds}); "
            f"{result['n_binding']} of {result['n']} bind AI providers. "
            f"Sorted by {result['sort'].lower()}: first is {result['first']}.")


def matrix_html(rows: Sequence[dict[str, Any]]) -> str:
    """An accessible HTML table of matrix rows (header cells with scope, a caption)."""
    return Table(rows, MATRIX_COLUMNS, row_headers=True, css="ck-matrix",
                 caption=f"AI governance instruments ({len(rows)} shown). Data as of {as_of()}; "
                         "sources are bibliography ids.")._repr_html_()


class MatrixExploration(Exploration):
    """A filter (`.control`) and a sort (`.sort_control`) over the instruments; the table is
    redrawn in place through a display handle, with a live one-line readout."""

    def __init__(self, name: str = "l04-matrix"):
        import ipywidgets as widgets

        self.sort_control = widgets.Dropdown(options=list(SORTS), value=SORTS[0], description="Sort by",
                                             layout={"width": "max-content"})
        control = widgets.Dropdown(options=list(FILTERS), value=ALL, description="Show",
                                   layout={"width": "max-content"})
        super().__init__(control, compute=matrix_result, readout=matrix_readout, name=name,
                         source_ids=content.load_dataset(INSTRUMENTS).source_ids())

    def controls(self) -> list[Any]:
        return [self.control, self.sort_control]

    def widgets(self) -> list[Any]:
        import ipywidgets as widgets

        return [widgets.HBox(self.controls()), self.readout]

    def _compute(self) -> dict[str, Any]:
        return matrix_result(self.control.value, self.sort_control.value)

    def _draw(self, update: bool) -> None:
        from IPython.display import display, update_display

        bundle = {"text/html": f'<div class="ck-chart-note {NO_MATH}">{matrix_html(self.result["rows"])}'
                               f'<p class="ck-source">{html.escape(content.cite(*self.source_ids))} '
                               f"Data as of {as_of()}.</p></div>",
                  "text/plain": matrix_readout(self.result)}
        (update_display if update else display)(bundle, raw=True, display_id=f"{self.name}-table")


def matrix_explorer() -> MatrixExploration:
    """The lesson's exploration: `l04.matrix_explorer().show()`."""
    return MatrixExploration()


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------
_TYPE_STYLE = {  # marker, palette colour key: shape and colour both carry the type
    "binding": ("o", "blue"), "sandbox": ("^", "green"), "voluntary": ("D", "purple"),
    "strategy": ("s", "grey"), "statement": ("v", "vermillion"), "institution": ("P", "black"),
    "draft": ("X", "black"),
}


def timeline_chart():
    """The three jurisdictions' instruments (and the joint statements) on one timeline.
    Returns (fig, alt, data rows)."""
    from matplotlib.lines import Line2D

    from coursekit.display import charts as plots

    ms, insts = milestones(), instruments()
    applies = [r for r in ms if r["instrument"] == "EU AI Act" and r["milestone"] == "applies"]
    first, last = min(i["year"] for i in insts), max(int(r["date"][:4]) for r in applies)
    lanes = {j: i for i, j in enumerate(reversed(JURISDICTIONS))}
    fig, ax = plots.figure(figsize=(10.5, 5.6))
    ax.grid(axis="y", visible=False)
    data = []
    slots = {j: 0 for j in JURISDICTIONS}
    offsets = (0.30, -0.30, 0.50, -0.50)
    for inst in sorted(insts, key=lambda r: issued(r["instrument"], ms) or ""):
        name, y = inst["instrument"], lanes[inst["jurisdiction"]]
        start, in_force = issued(name, ms), milestone_date(name, "in force", ms)
        marker, colour_key = _TYPE_STYLE[inst["type"]]
        colour, x0 = plots.PALETTE[colour_key], calc.decimal_year(start)
        if in_force:
            ax.plot([x0, calc.decimal_year(in_force)], [y, y], color=colour, linewidth=3, alpha=0.6,
                    solid_capstyle="butt", zorder=2, marker="", linestyle="-")
        ax.plot([x0], [y], marker=marker, markersize=9, color=colour, markeredgecolor="black",
                linestyle="none", zorder=3)
        dy = offsets[slots[inst["jurisdiction"]] % len(offsets)]
        slots[inst["jurisdiction"]] += 1
        # A plain connector line and a text label (annotate's arrows are slow to render).
        sign = 1 if dy > 0 else -1
        ax.plot([x0, x0], [y + 0.12 * sign, y + dy - 0.06 * sign], color="#8C8C8C", linewidth=0.6,
                marker="", linestyle="-", zorder=1)
        ax.text(x0, y + dy, inst["short_name"], fontsize=7.5, ha="center", va="center", color="#1A1A1A")
        data.append({"instrument": name, "jurisdiction": inst["jurisdiction"], "type": inst["type"],
                     "issued": start, "in force": in_force or "n/a"})
    for r in applies:  # the EU AI Act's application phases: small ticks on the EU lane
        ax.plot([calc.decimal_year(r["date"])], [lanes["EU"]], marker="|", markersize=16,
                color=plots.PALETTE["blue"], linestyle="none", zorder=3)
        data.append({"instrument": f"EU AI Act: applies ({r['detail']})", "jurisdiction": "EU",
                     "type": "binding", "issued": "", "in force": r["date"]})
    now = calc.decimal_year(as_of())
    ax.axvline(now, color=plots.PALETTE["black"], linestyle="--", linewidth=1)
    ax.text(now + 0.05, len(JURISDICTIONS) - 0.45, f"as of {as_of()}", fontsize=8, va="top")
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    ax.set_ylim(-0.75, len(JURISDICTIONS) - 0.25)
    ax.set_xlim(first + 0.3, last + 1.0)
    ax.set_xticks(range(first + 1, last + 2))
    ax.set_xlabel("Year (marker = date issued; bar = until in force; | = EU AI Act application phase)")
    ax.set_title(f"AI governance instruments of China, Russia and the EU, {first}-{last}")
    handles = [Line2D([0], [0], marker=_TYPE_STYLE[t][0], color=plots.PALETTE[_TYPE_STYLE[t][1]],
                      markeredgecolor="black", linestyle="none", markersize=8, label=t) for t in TYPES]
    ax.legend(handles=handles, title="Type", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    counts = {j: type_counts(j) for j in JURISDICTIONS}
    china = gaps(jurisdiction="China", types=("binding",))
    first_cn = min(issued(i["instrument"], ms) for i in insts
                   if i["jurisdiction"] == "China" and i["type"] == "binding")
    draft = [i["year"] for i in insts if i["jurisdiction"] == "Russia" and i["type"] == "draft"]
    ru = counts["Russia"]
    alt = (f"Timeline, {first} to {last}. China issued {counts['China']['binding']} binding AI rules, the "
           f"first on {first_cn}, each in force within "
           f"{max(r['days'] for r in china)} days. Russia has {ru['strategy']} strategy decrees, "
           f"{ru['sandbox']} sandbox laws, {ru['voluntary']} voluntary code and {ru['binding']} binding "
           f"rule{'' if ru['binding'] == 1 else 's'} (on recommendation algorithms)"
           + (f", with a draft law pending in {max(draft)}" if draft else "") + ". The EU AI "
           f"Act entered into force on {milestone_date('EU AI Act', 'in force', ms)} and applies in phases "
           f"up to {last}. The {counts['China and Russia']['statement']} joint statements are statements "
           "of position.")
    return fig, alt, data


def gap_chart():
    """Days from issue to entry into force, binding rules and sandbox laws. Returns (fig, alt, data)."""
    from coursekit.display import charts as plots

    rows = gaps()
    short = {i["instrument"]: i["short_name"] for i in instruments()}
    fig, ax = plots.figure(figsize=(8, 4.2))
    ax.grid(axis="y", visible=False)
    styles = {"China": ("blue", ""), "Russia": ("green", "//"), "EU": ("vermillion", "..")}
    ys = range(len(rows))
    for y, r in zip(ys, rows):
        colour, hatch = styles[r["jurisdiction"]]
        ax.barh(y, r["days"], color=plots.PALETTE[colour], hatch=hatch, edgecolor="black",
                label=r["jurisdiction"])
        ax.text(r["days"] + 3, y, f"{r['days']} days", va="center", fontsize=8.5)
    ax.set_yticks(list(ys), [f"{short[r['instrument']]} ({r['jurisdiction']})" for r in rows], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel("Days from issue to entry into force")
    ax.set_xlim(0, max(r["days"] for r in rows) * 1.2)
    ax.set_title("How long new AI laws and rules took to come into force")
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize=8, title="Jurisdiction")
    cn = [r["days"] for r in rows if r["jurisdiction"] == "China"]
    ru = [f"{r['days']} ({r['type']})" for r in rows if r["jurisdiction"] == "Russia"]
    eu = next(r for r in rows if r["instrument"] == "EU AI Act")
    alt = (f"Bar chart. China's {len(cn)} binding AI rules came into force {min(cn)} to {max(cn)} days after "
           f"they were issued (median {statistics.median(cn):g} days). The EU AI Act entered into force "
           f"{eu['days']} days after the date it bears, but most of its duties apply years later. Russia's "
           f"{len(ru)} laws with both dates took {', '.join(ru)} days.")
    data = [{"instrument": r["instrument"], "jurisdiction": r["jurisdiction"], "type": r["type"],
             "issued": r["start"], "in force": r["in force"], "days": r["days"]} for r in rows]
    return fig, alt, data


def chart_sources() -> list[str]:
    """Source ids behind the milestones (for a chart's source line)."""
    return content.load_dataset(MILESTONES).source_ids()
