"""Lesson 04 (governance): the instruments of China, Russia and the EU, their milestones, the
arithmetic of dates, two charts and a filterable, sortable comparison matrix.

The facts live in two data files:
- assets/data/governance_instruments.csv: one row per instrument, with its jurisdiction, type,
  scope, enforcer and what it requires of providers (value = year issued);
- assets/data/governance_milestones.csv: dated milestones, each measure written
  "<instrument>: <milestone> (detail)".
This module joins them and does the date arithmetic. Heavy imports (ipywidgets, matplotlib,
IPython) happen inside functions, so importing it is cheap.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from typing import Any, Iterable, Sequence

from coursekit.model import content
from coursekit.display.charts import NO_MATH

INSTRUMENTS = "governance_instruments"
MILESTONES = "governance_milestones"
#: The data's "as of" date: the day the course last checked every row.
AS_OF = "2026-11-25"
JURISDICTIONS = ("China", "Russia", "EU", "China and Russia")
#: Instrument types, strongest legal force first (see the sidecar's notes for definitions).
TYPES = ("binding", "sandbox", "voluntary", "strategy", "statement", "institution", "draft")
MILESTONE_KINDS = ("issued", "published", "in force", "applies", "ends", "agreed", "approved",
                   "submitted")
TYPE_DESCRIPTIONS = {
    "binding": "rules all providers in scope must follow, with an enforcer",
    "sandbox": "a law letting registered participants test under special rules",
    "voluntary": "commitments organisations may sign",
    "strategy": "goals and targets for the state, no duties for companies",
    "statement": "a diplomatic initiative or joint statement of positions",
    "institution": "a body set up by the state",
    "draft": "a bill, not (yet) law",
}

_MEASURE = re.compile(r"^(?P<instrument>.+?): (?P<kind>[a-z ]+?)(?: \((?P<detail>.*)\))?$")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def to_date(iso: str) -> _dt.date:
    if not _FULL_DATE.match(iso):
        raise ValueError(f"{iso!r} is not a full date (YYYY-MM-DD)")
    return _dt.date.fromisoformat(iso)


def days_between(start: str, end: str) -> int:
    """Whole days from `start` to `end` (ISO dates): 2023-07-13 to 2023-08-15 is 33."""
    return (to_date(end) - to_date(start)).days


def add_days(start: str, days: int) -> str:
    """The ISO date `days` days after `start`: add_days("2024-07-12", 1) is "2024-07-13"."""
    return (to_date(start) + _dt.timedelta(days=days)).isoformat()


def median(values: Iterable[float]) -> float:
    xs = sorted(values)
    if not xs:
        raise ValueError("median of no values")
    mid = len(xs) // 2
    return float(xs[mid]) if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


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
        if begin is None or end is None:
            continue
        out.append({"instrument": inst["instrument"], "jurisdiction": inst["jurisdiction"],
                    "type": inst["type"], "start": begin, "in force": end,
                    "days": days_between(begin, end), "source_ids": tuple(inst["source_ids"])})
    return sorted(out, key=lambda r: (r["days"], r["instrument"]))


def eu_phases(as_of: str = AS_OF) -> dict[str, Any]:
    """The EU AI Act's application dates ('applies' milestones) split at `as_of`."""
    rows = [r for r in milestones() if r["instrument"] == "EU AI Act" and r["milestone"] == "applies"]
    passed = [r for r in rows if r["date"] <= as_of]
    upcoming = [r for r in rows if r["date"] > as_of]
    return {"as_of": as_of, "passed": passed, "upcoming": upcoming, "n_passed": len(passed),
            "n_upcoming": len(upcoming),
            "entry_into_force": milestone_date("EU AI Act", "in force")}


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
    if filter_value not in FILTERS:
        raise ValueError(f"unknown filter {filter_value!r}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    ms = milestones()
    rows = []
    for inst in instruments():
        if filter_value.startswith("Jurisdiction: ") and inst["jurisdiction"] != filter_value.split(": ", 1)[1]:
            continue
        if filter_value.startswith("Type: ") and inst["type"] != filter_value.split(": ", 1)[1]:
            continue
        issued = milestone_date(inst["instrument"], "issued", ms) or \
            milestone_date(inst["instrument"], "published", ms) or str(inst["year"])
        rows.append({"instrument": inst["instrument"], "jurisdiction": inst["jurisdiction"],
                     "type": inst["type"], "issued": issued,
                     "in force": milestone_date(inst["instrument"], "in force", ms) or "n/a",
                     "scope": inst["scope"], "enforcer": inst["enforcer"],
                     "requires of providers": inst["requires"],
                     "sources": "; ".join(inst["source_ids"])})
    if sort == SORTS[0]:
        rows.sort(key=lambda r: (r["issued"], r["instrument"]))
    elif sort == SORTS[1]:
        rows.sort(key=lambda r: (r["issued"], r["instrument"]), reverse=True)
    elif sort == SORTS[2]:
        rows.sort(key=lambda r: (TYPES.index(r["type"]), r["issued"], r["instrument"]))
    else:
        rows.sort(key=lambda r: (JURISDICTIONS.index(r["jurisdiction"]), r["issued"], r["instrument"]))
    return rows


def matrix_result(filter_value: str = ALL, sort: str = SORTS[0]) -> dict[str, Any]:
    rows = matrix_rows(filter_value, sort)
    counts = {t: sum(r["type"] == t for r in rows) for t in TYPES}
    binding = counts["binding"]
    return {"filter": filter_value, "sort": sort, "rows": rows, "n": len(rows), "counts": counts,
            "n_binding": binding, "share_binding": binding / len(rows) if rows else 0.0,
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
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in MATRIX_COLUMNS)
    body = "".join(
        "<tr>" + "".join(
            (f'<th scope="row">{html.escape(str(r[c]))}</th>' if c == "instrument"
             else f"<td>{html.escape(str(r[c]))}</td>") for c in MATRIX_COLUMNS) + "</tr>"
        for r in rows)
    caption = (f"<caption>AI governance instruments ({len(rows)} shown). Data as of {AS_OF}; "
               f"sources are bibliography ids.</caption>")
    return f'<table class="ck-matrix">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class MatrixExploration:
    """A filter and a sort control over the instruments; the table is redrawn in place through a
    display handle (never inside an Output widget), with a live one-line readout.

    `control` is the filter (a Dropdown), `sort_control` the sort; `result` is recomputed from the
    data whenever either changes, so a test can set `.value` and read `.result` without a kernel.
    """

    def __init__(self, name: str = "l04-matrix"):
        import ipywidgets as widgets

        self.name = name
        self.control = widgets.Dropdown(options=list(FILTERS), value=ALL, description="Show",
                                        layout={"width": "max-content"})
        self.sort_control = widgets.Dropdown(options=list(SORTS), value=SORTS[0], description="Sort by",
                                             layout={"width": "max-content"})
        self.source_ids = content.load_dataset(INSTRUMENTS).source_ids()
        self.result = matrix_result(self.control.value, self.sort_control.value)
        self.readout = widgets.HTML(self._readout_html(), layout={"margin": "0.5em 0"})
        self._shown = False
        self.control.observe(self._changed, names="value")
        self.sort_control.observe(self._changed, names="value")

    def _readout_html(self) -> str:
        return f'<p role="status" aria-live="polite">{html.escape(matrix_readout(self.result))}</p>'

    def _changed(self, _change: dict[str, Any]) -> None:
        self.result = matrix_result(self.control.value, self.sort_control.value)
        self.readout.value = self._readout_html()
        if self._shown:
            self._draw(update=True)

    def _bundle(self) -> dict[str, str]:
        src = content.cite(*self.source_ids)
        table = matrix_html(self.result["rows"])
        return {"text/html": f'<div class="ck-chart-note {NO_MATH}">{table}<p class="ck-source">'
                             f"{html.escape(src)} Data as of {AS_OF}.</p></div>",
                "text/plain": matrix_readout(self.result)}

    def _draw(self, update: bool) -> None:
        from IPython.display import display, update_display

        if update:
            update_display(self._bundle(), raw=True, display_id=f"{self.name}-table")
        else:
            display(self._bundle(), raw=True, display_id=f"{self.name}-table")

    def show(self) -> None:
        """Display the two controls, the live readout and the table."""
        import ipywidgets as widgets
        from IPython.display import display

        from coursekit.display.explore import _StaticBox

        box = widgets.VBox([widgets.HBox([self.control, self.sort_control]), self.readout])
        display(_StaticBox(box, matrix_readout(self.result)))
        self._draw(update=False)
        self._shown = True


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
_SHORT = {
    "National AI strategy (Decree 490)": "Strategy (Decree 490)",
    "Moscow AI experiment law (123-FZ)": "Moscow experiment (123-FZ)",
    "Experimental legal regimes law (258-FZ)": "Sandbox law (258-FZ)",
    "AI Code of Ethics": "Code of Ethics",
    "Algorithmic recommendation provisions": "Algorithm rules",
    "Deep synthesis provisions": "Deep synthesis rules",
    "Generative AI interim measures": "Generative AI measures",
    "Global AI Governance Initiative": "Global AI Gov. Initiative",
    "Strategy update (Decree 124)": "Strategy update (Decree 124)",
    "EU AI Act": "EU AI Act",
    "AI content labelling measures": "Labelling measures",
    "AI Development Center (Resolution 861)": "AI Development Center",
    "Global AI Governance Action Plan": "Action Plan",
    "Cybersecurity Law amendment (AI article)": "Cybersecurity Law (AI article)",
    "Draft law on supporting AI development": "Draft AI law (bill)",
    "Digital Omnibus on AI": "Digital Omnibus",
    "Joint statement of 4 February 2022": "Joint statement 2022",
    "Joint statement of 16 May 2024": "Joint statement 2024",
    "Joint statement of 8 May 2025": "Joint statement 2025",
}


def short_name(instrument: str) -> str:
    return _SHORT.get(instrument, instrument)


def _num(iso: str) -> float:
    """A date as a fractional year, for plotting ('2026-06' counts as mid-month)."""
    if len(iso) == 7:
        iso = iso + "-15"
    d = to_date(iso)
    start = _dt.date(d.year, 1, 1)
    length = (_dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / length


def timeline_chart(as_of: str = AS_OF):
    """The three jurisdictions' instruments (and the joint statements) on one timeline.
    Returns (fig, alt, data rows)."""
    from matplotlib.lines import Line2D

    from coursekit.display import charts as plots

    ms = milestones()
    insts = instruments()
    lanes = {j: i for i, j in enumerate(reversed(JURISDICTIONS))}
    fig, ax = plots.figure(figsize=(10.5, 5.6))
    ax.grid(axis="y", visible=False)
    data = []
    label_slots: dict[str, int] = {j: 0 for j in JURISDICTIONS}
    offsets = (0.30, -0.30, 0.50, -0.50)
    for inst in sorted(insts, key=lambda r: (milestone_date(r["instrument"], "issued", ms)
                                             or milestone_date(r["instrument"], "published", ms) or "")):
        name = inst["instrument"]
        y = lanes[inst["jurisdiction"]]
        issued = milestone_date(name, "issued", ms) or milestone_date(name, "published", ms)
        in_force = milestone_date(name, "in force", ms)
        marker, colour_key = _TYPE_STYLE[inst["type"]]
        colour = plots.PALETTE[colour_key]
        x0 = _num(issued)
        if in_force:
            ax.plot([x0, _num(in_force)], [y, y], color=colour, linewidth=3, alpha=0.6,
                    solid_capstyle="butt", zorder=2, marker="", linestyle="-")
        ax.plot([x0], [y], marker=marker, markersize=9, color=colour, markeredgecolor="black",
                linestyle="none", zorder=3)
        dy = offsets[label_slots[inst["jurisdiction"]] % len(offsets)]
        label_slots[inst["jurisdiction"]] += 1
        # A plain connector line and a text label (annotate's arrows are slow to render).
        ax.plot([x0, x0], [y + 0.12 * (1 if dy > 0 else -1), y + dy - 0.06 * (1 if dy > 0 else -1)],
                color="#8C8C8C", linewidth=0.6, marker="", linestyle="-", zorder=1)
        ax.text(x0, y + dy, short_name(name), fontsize=7.5, ha="center", va="center", color="#1A1A1A")
        data.append({"instrument": name, "jurisdiction": inst["jurisdiction"], "type": inst["type"],
                     "issued": issued, "in force": in_force or "n/a"})
    # The EU AI Act's application phases: small ticks on the EU lane.
    y_eu = lanes["EU"]
    for r in ms:
        if r["instrument"] == "EU AI Act" and r["milestone"] == "applies":
            x = _num(r["date"])
            ax.plot([x], [y_eu], marker="|", markersize=16, color=plots.PALETTE["blue"],
                    linestyle="none", zorder=3)
            data.append({"instrument": f"EU AI Act: applies ({r['detail']})", "jurisdiction": "EU",
                         "type": "binding", "issued": "", "in force": r["date"]})
    ax.axvline(_num(as_of), color=plots.PALETTE["black"], linestyle="--", linewidth=1)
    ax.text(_num(as_of) + 0.05, len(JURISDICTIONS) - 0.45, f"as of {as_of}", fontsize=8, va="top")
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    ax.set_ylim(-0.75, len(JURISDICTIONS) - 0.25)
    ax.set_xlim(2019.3, 2029.0)
    ax.set_xticks(range(2020, 2030))
    ax.set_xlabel("Year (marker = date issued; bar = until in force; | = EU AI Act application phase)")
    ax.set_title("AI governance instruments of China, Russia and the EU, 2019-2028")
    handles = [Line2D([0], [0], marker=_TYPE_STYLE[t][0], color=plots.PALETTE[_TYPE_STYLE[t][1]],
                      markeredgecolor="black", linestyle="none", markersize=8, label=t) for t in TYPES]
    ax.legend(handles=handles, title="Type", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    counts = {j: type_counts(j) for j in JURISDICTIONS}
    first_binding_cn = min(milestone_date(r["instrument"], "issued", ms) for r in insts
                           if r["jurisdiction"] == "China" and r["type"] == "binding")
    eu_force = milestone_date("EU AI Act", "in force", ms)
    alt = (f"Timeline, 2019 to 2028. China issued {counts['China']['binding']} binding AI rules, the first "
           f"on {first_binding_cn}, each in force within months. Russia has {counts['Russia']['strategy']} "
           f"strategy decrees, {counts['Russia']['sandbox']} sandbox laws, {counts['Russia']['voluntary']} "
           f"voluntary code and {counts['Russia']['binding']} binding AI rules, with a draft law pending in "
           f"2026. The EU AI Act entered into force on {eu_force} and applies in phases up to 2028. The "
           f"{counts['China and Russia']['statement']} joint statements are statements of position.")
    return fig, alt, data


def gap_chart():
    """Days from issue to entry into force, binding rules and sandbox laws. Returns (fig, alt, data)."""
    from coursekit.display import charts as plots

    rows = gaps()
    fig, ax = plots.figure(figsize=(8, 4.2))
    ax.grid(axis="y", visible=False)
    styles = {"China": ("blue", ""), "Russia": ("green", "//"), "EU": ("vermillion", "..")}
    labels = [f"{short_name(r['instrument'])} ({r['jurisdiction']})" for r in rows]
    ys = range(len(rows))
    for y, r in zip(ys, rows):
        colour, hatch = styles[r["jurisdiction"]]
        ax.barh(y, r["days"], color=plots.PALETTE[colour], hatch=hatch, edgecolor="black",
                label=r["jurisdiction"])
        ax.text(r["days"] + 3, y, f"{r['days']} days", va="center", fontsize=8.5)
    ax.set_yticks(list(ys), labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlabel("Days from issue to entry into force")
    ax.set_xlim(0, max(r["days"] for r in rows) * 1.2)
    ax.set_title("How long new AI laws and rules took to come into force")
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize=8, title="Jurisdiction")
    cn = [r["days"] for r in rows if r["jurisdiction"] == "China"]
    eu = next(r for r in rows if r["instrument"] == "EU AI Act")
    alt = (f"Bar chart. China's {len(cn)} binding AI rules came into force {min(cn)} to {max(cn)} days after "
           f"they were issued (median {median(cn):g} days). The EU AI Act entered into force {eu['days']} "
           f"days after the date it bears, but most of its duties apply years later. Russia's two sandbox laws "
           f"took {' and '.join(str(r['days']) for r in rows if r['jurisdiction'] == 'Russia')} days.")
    data = [{"instrument": r["instrument"], "jurisdiction": r["jurisdiction"], "type": r["type"],
             "issued": r["start"], "in force": r["in force"], "days": r["days"]} for r in rows]
    return fig, alt, data


def chart_sources(rows: Iterable[dict[str, Any]] | None = None) -> list[str]:
    """Source ids behind the milestones (for a chart's source line)."""
    return content.load_dataset(MILESTONES).source_ids()
