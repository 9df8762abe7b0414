"""Lesson 06 (risks): how concentrated Russia's imports are, and a risk matrix.

Computations are plain functions of numbers, so tests and exercises can call them without widgets:
- `hhi(shares)`: the Herfindahl-Hirschman index, the sum of squared percentage shares (0-10,000);
- `hhi_bounds(named)`: the index from the partners a source names (a lower bound) and the most the
  unnamed rest could add if no unnamed partner is bigger than the smallest named one;
- `band(index, guidelines)`: the US competition agencies' bands (2010 or 2023 guidelines);
- `shift(shares, from_partner, points, to_partner)`: a scenario that moves percentage points.

Two explorations (coursekit.display.explore.Exploration):
- `hhi_explorer()`: start from a sourced table of shares, move the shares, watch the index and
  its band change;
- `risk_matrix()`: rate the likelihood and impact of five risks; "Save my ratings" stores them in
  the progress record (kind "rating", item "06.risk-matrix"), and the readout compares them with
  the course's own ratings (`COURSE_RATINGS`, a judgement explained in the lesson).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

DATASET = "risks_russia_imports_by_partner"
LESSON = "06"
RISK_ITEM = "06.risk-matrix"

#: (lower edge of "moderately", upper edge of "moderately") for each set of guidelines.
BANDS: dict[str, tuple[int, int]] = {"2010": (1500, 2500), "2023": (1000, 1800)}
BAND_SOURCES: dict[str, tuple[str, ...]] = {"2010": ("X0606",), "2023": ("X0607", "X0608")}

#: Sourced starting tables for the concentration calculator: label -> (period, coverage).
PRESETS: dict[str, tuple[str, str]] = {
    "2013, all imports (dpa)": ("2013", "all goods (national statistics)"),
    "2022, one bank's study (Tochka)": ("2022", "all goods (one bank's study)"),
    "2023 H1, one bank's study (Tochka)": ("2023-H1", "all goods (one bank's study)"),
    "After 2022, goods under Western sanctions (ifo)": ("after 2022", "goods under Western sanctions"),
}
DEFAULT_PRESET = "2023 H1, one bank's study (Tochka)"
MAX_PARTNERS = 5


# ----------------------------------------------------------------------------- computations

def hhi(shares: Iterable[float]) -> float:
    """Sum of the squared percentage shares: 100% from one partner gives 10,000."""
    return float(sum(float(s) ** 2 for s in shares))


def top_share(shares: Iterable[float]) -> float:
    values = [float(s) for s in shares]
    return max(values) if values else 0.0


def hhi_bounds(named: Sequence[float], total: float = 100.0) -> tuple[float, float]:
    """(lower, upper) for the index when only the largest partners are named.

    Lower: the named partners alone (the unnamed rest counted as if spread over countless tiny
    partners). Upper: the rest split into partners as big as the smallest named one. That upper
    bound assumes no unnamed partner is bigger than the smallest named one, which holds when a
    source lists its top partners (dpa, Tochka) but not for a list of selected partners (ifo).
    """
    low = hhi(named)
    rest = total - sum(float(s) for s in named)
    if rest <= 1e-9 or not named:
        return low, low
    cap = min(float(s) for s in named)
    if cap <= 0:
        return low, low
    whole = int(rest // cap)
    remainder = rest - whole * cap
    return low, low + whole * cap ** 2 + remainder ** 2


def band(index: float, guidelines: str = "2010") -> str:
    """'unconcentrated', 'moderately concentrated' or 'highly concentrated' (US DOJ/FTC bands)."""
    low, high = BANDS[guidelines]
    if index < low:
        return "unconcentrated"
    if index <= high:
        return "moderately concentrated"
    return "highly concentrated"


def band_range(low_index: float, high_index: float, guidelines: str = "2010") -> str:
    """The band, or 'between A and B' when the lower and upper bounds fall in different bands."""
    a, b = band(low_index, guidelines), band(high_index, guidelines)
    return a if a == b else f"between {a} and {b}"


def shares_table(period: str, coverage: str) -> list[tuple[str, float]]:
    """(partner, share) from the shipped dataset, largest first."""
    from coursekit.model import content

    rows = content.load_dataset(DATASET).filter(period=period, coverage=coverage).rows
    return sorted(((r["partner"], float(r["value"])) for r in rows), key=lambda t: (-t[1], t[0]))


def preset_shares(label: str) -> list[tuple[str, float]]:
    return shares_table(*PRESETS[label])


def shift(shares: dict[str, float], from_partner: str, points: float,
          to_partner: str | None = None) -> dict[str, float]:
    """Move `points` percentage points of imports from one partner to another (None: to the
    unnamed rest). Shares are in percent; the total is unchanged."""
    out = dict(shares)
    out[from_partner] = out[from_partner] - points
    if to_partner is not None:
        out[to_partner] = out.get(to_partner, 0.0) + points
    return out


def concentration(pairs: Sequence[tuple[str, float]]) -> dict[str, Any]:
    """Everything the calculator shows, for (partner, share) pairs."""
    partners = [p for p, _ in pairs]
    shares = [float(s) for _, s in pairs]
    named_total = sum(shares)
    valid = named_total <= 100.0 + 1e-9 and all(s >= 0 for s in shares)
    low, high = hhi_bounds(shares) if valid else (hhi(shares), hhi(shares))
    top = top_share(shares)
    top_partner = partners[shares.index(top)] if shares else ""
    return {
        "partners": partners, "shares": shares, "named_total": named_total,
        "rest": max(0.0, 100.0 - named_total), "valid": valid,
        "hhi": low, "hhi_max": high, "top_partner": top_partner, "top_share": top,
        "band_2010": band_range(low, high, "2010"), "band_2023": band_range(low, high, "2023"),
    }


def concentration_readout(r: dict[str, Any]) -> str:
    if not r["valid"]:
        return (f"The named shares add up to {r['named_total']:.1f}%, more than 100%. "
                "Lower one of them.")
    return (f"Largest supplier: {r['top_partner']} with {r['top_share']:.1f}%. "
            f"Index from the named partners: {r['hhi']:,.0f}; counting the unnamed "
            f"{r['rest']:.1f}%, at most {r['hhi_max']:,.0f} if no unnamed partner is bigger than "
            f"the smallest named one. "
            f"Band under the 2010 guidelines: {r['band_2010']}; under the 2023 guidelines: "
            f"{r['band_2023']}.")


# ----------------------------------------------------------------------------- the calculator

def _shares_control_class():
    import ipywidgets as widgets
    import traitlets

    class SharesControl(widgets.VBox):
        """A preset menu and one slider a named partner. `value` is ((partner, share), ...)."""

        value = traitlets.Tuple()

        def __init__(self, preset: str = DEFAULT_PRESET):
            super().__init__()
            self._syncing = False
            self.preset = widgets.Dropdown(options=list(PRESETS), value=preset,
                                           description="Start from", layout={"width": "32em"},
                                           style={"description_width": "6em"})
            self.sliders = [widgets.FloatSlider(min=0.0, max=100.0, step=0.5, readout_format=".1f",
                                                continuous_update=False,
                                                style={"description_width": "10em"},
                                                layout={"width": "32em"})
                            for _ in range(MAX_PARTNERS)]
            for s in self.sliders:
                s.observe(self._slider_moved, names="value")
            self.preset.observe(self._preset_chosen, names="value")
            self._load(preset_shares(preset))

        def _load(self, pairs: Sequence[tuple[str, float]]) -> None:
            pairs = list(pairs)[:MAX_PARTNERS]
            self._sync_sliders(pairs)
            self.value = tuple((name, float(share)) for name, share in pairs)

        def _sync_sliders(self, pairs: Sequence[tuple[str, float]]) -> None:
            """Show one slider per partner at its share, without firing _slider_moved."""
            self._syncing = True
            try:
                for slider, (name, share) in zip(self.sliders, pairs):
                    slider.description = f"{name} (%)"
                    slider.value = float(share)
            finally:
                self._syncing = False
            self._names = [name for name, _ in pairs]
            self.children = [self.preset, *self.sliders[:len(pairs)]]

        def _preset_chosen(self, change: dict[str, Any]) -> None:
            self._load(preset_shares(change["new"]))

        def _slider_moved(self, _change: dict[str, Any]) -> None:
            if self._syncing:
                return
            self.value = tuple((name, float(s.value))
                               for name, s in zip(self._names, self.sliders))

        @traitlets.observe("value")
        def _value_set(self, change: dict[str, Any]) -> None:
            pairs = change["new"]
            names = [name for name, _ in pairs]
            if names != getattr(self, "_names", None) or any(
                    abs(s.value - share) > 1e-9 for s, (_, share) in zip(self.sliders, pairs)):
                self._sync_sliders(pairs)

        def set_share(self, partner: str, share: float) -> None:
            self.value = tuple((name, float(share) if name == partner else s)
                               for name, s in self.value)

    return SharesControl


def _draw_shares(r: dict[str, Any]):
    from coursekit.display import charts as plots

    names = list(r["partners"]) + ["Unnamed rest"]
    values = list(r["shares"]) + [r["rest"]]
    fig, ax = plots.figure(figsize=(7.0, 3.4))
    y = list(range(len(names)))[::-1]
    colours = [plots.PALETTE["vermillion"] if n == r["top_partner"] else plots.PALETTE["blue"]
               for n in r["partners"]] + [plots.BACKGROUND]
    hatches = [""] * len(r["partners"]) + ["//"]
    bars = ax.barh(y, values, color=colours, edgecolor=plots.PALETTE["black"])
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    labels = [f"{v:.1f}%" + (" (largest)" if n == r["top_partner"] else "")
              for n, v in zip(names, values)]
    ax.bar_label(bars, labels=labels, padding=3)
    ax.set_yticks(y, names)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Share of imports covered (%)")
    ax.set_title(f"Index {r['hhi']:,.0f} to {r['hhi_max']:,.0f}: {r['band_2010']} (2010 bands)")
    alt = (f"Bar chart of import shares. The largest supplier, {r['top_partner']}, has "
           f"{r['top_share']:.1f}%; the named partners give an index of {r['hhi']:,.0f} (at most "
           f"{r['hhi_max']:,.0f} with the unnamed {r['rest']:.1f}%), {r['band_2010']} under the "
           f"2010 bands and {r['band_2023']} under the 2023 bands.")
    data = [{"partner": n, "share (%)": round(v, 1)} for n, v in zip(names, values)]
    return fig, alt, data


def hhi_explorer(preset: str = DEFAULT_PRESET):
    """The concentration calculator: move the shares, watch the index and its band."""
    from coursekit.display.explore import Exploration

    control = _shares_control_class()(preset)
    return Exploration(
        control=control,
        compute=lambda value: concentration(list(value)),
        readout=concentration_readout,
        render=lambda r: _draw_shares(r) if r["valid"] else None,
        source_ids=["X0602", "X0604", "X0605", "X0609", "X0606", "X0607"],
        name="l06-hhi",
    )


# ----------------------------------------------------------------------------- the risk matrix

@dataclass(frozen=True)
class Risk:
    id: str
    letter: str
    title: str
    likelihood: int  # the course's rating, 1 (rare) .. 5 (already happening)
    impact: int      # the course's rating, 1 (minor) .. 5 (severe) for Russia-China AI cooperation
    kind: str        # "observed", "inference" or "scenario"
    sources: tuple[str, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


#: The course's ratings: a judgement, explained with its evidence in the lesson's table.
COURSE_RATINGS: tuple[Risk, ...] = (
    Risk("payments", "A", "Chinese banks hold up or refuse payments", 5, 3, "observed",
         ("X0304", "X0610", "X0617", "X0613", "X1")),
    Risk("firms", "B", "Chinese tech firms keep away from Russian AI projects", 4, 4, "observed",
         ("S60", "S61", "X0306")),
    Risk("chips", "C", "US chip controls cap what China can pass on", 4, 5, "inference",
         ("X0201", "S91", "S56", "S17")),
    Risk("leverage", "D", "Dependence on one supplier gives China leverage", 3, 4, "observed",
         ("X0609", "S62", "S60")),
    Risk("bargain", "E", "A US-China bargain makes Russia a lower priority for China", 2, 4,
         "scenario", ()),
)
LEVELS = (1, 2, 3, 4, 5)


def _risk(risk_id: str) -> Risk:
    for r in COURSE_RATINGS:
        if r.id == risk_id:
            return r
    raise KeyError(risk_id)


def compare_ratings(value: Sequence[tuple[str, int, int]]) -> dict[str, Any]:
    """Compare the learner's (risk id, likelihood, impact) ratings with the course's."""
    rows = []
    for risk_id, likelihood, impact in value:
        course = _risk(risk_id)
        rows.append({
            "id": risk_id, "letter": course.letter, "title": course.title,
            "likelihood": int(likelihood), "impact": int(impact),
            "score": int(likelihood) * int(impact),
            "course_likelihood": course.likelihood, "course_impact": course.impact,
            "course_score": course.score, "kind": course.kind,
            "gap": abs(int(likelihood) - course.likelihood) + abs(int(impact) - course.impact),
        })
    order = {r.id: i for i, r in enumerate(COURSE_RATINGS)}
    mine = max(rows, key=lambda r: (r["score"], -order[r["id"]]))
    theirs = max(rows, key=lambda r: (r["course_score"], -order[r["id"]]))
    widest = max(rows, key=lambda r: (r["gap"], -order[r["id"]]))
    close = sum(1 for r in rows if abs(r["likelihood"] - r["course_likelihood"]) <= 1
                and abs(r["impact"] - r["course_impact"]) <= 1)
    return {"rows": rows, "top": mine["id"], "course_top": theirs["id"], "widest": widest["id"],
            "widest_gap": widest["gap"], "close": close, "total_score": sum(r["score"] for r in rows)}


def ratings_readout(r: dict[str, Any]) -> str:
    rows = {row["id"]: row for row in r["rows"]}
    mine, theirs, widest = rows[r["top"]], rows[r["course_top"]], rows[r["widest"]]
    text = (f"Your top risk: {mine['letter']}, {mine['title']} ({mine['likelihood']} x "
            f"{mine['impact']} = {mine['score']}). The course's top risk: {theirs['letter']}, "
            f"{theirs['title']} ({theirs['course_likelihood']} x {theirs['course_impact']} = "
            f"{theirs['course_score']}). ")
    if r["widest_gap"] == 0:
        return text + "Your ratings match the course's exactly."
    return text + (f"You differ most on {widest['letter']}: you gave likelihood "
                   f"{widest['likelihood']} and impact {widest['impact']}, the course gives "
                   f"{widest['course_likelihood']} and {widest['course_impact']}. Within one step "
                   f"of the course on both scales: {r['close']} of {len(r['rows'])} risks.")


def _spread(points: Sequence[tuple[int, int]], radius: float = 0.2) -> list[tuple[float, float]]:
    """Deterministic small offsets so that several ratings in one cell stay readable."""
    import math

    out = []
    for i, p in enumerate(points):
        same = [j for j, q in enumerate(points) if q == p]
        if len(same) == 1:
            out.append((float(p[0]), float(p[1])))
            continue
        k = same.index(i)
        angle = math.pi / 2 + 2 * math.pi * k / len(same)
        out.append((p[0] + radius * math.cos(angle), p[1] + radius * math.sin(angle)))
    return out


def _draw_matrix(r: dict[str, Any]):
    from coursekit.display import charts as plots

    fig, ax = plots.figure(figsize=(6.2, 4.6))
    mine = _spread([(row["likelihood"], row["impact"]) for row in r["rows"]])
    course = _spread([(row["course_likelihood"], row["course_impact"]) for row in r["rows"]])
    for row, (x0, y0), (x1, y1) in zip(r["rows"], mine, course):
        if (row["likelihood"], row["impact"]) != (row["course_likelihood"], row["course_impact"]):
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops={"arrowstyle": "->", "color": plots.PALETTE["grey"], "lw": 1,
                                    "shrinkA": 9, "shrinkB": 9})
    ax.scatter([x for x, _ in mine], [y for _, y in mine], s=220, marker="o",
               color=plots.PALETTE["blue"], edgecolor=plots.PALETTE["black"],
               label="Your rating (circle)", zorder=3)
    ax.scatter([x for x, _ in course], [y for _, y in course], s=220, marker="s",
               facecolor=plots.BACKGROUND, edgecolor=plots.PALETTE["vermillion"], linewidth=2,
               label="Course's rating (square)", zorder=3)
    for row, (x0, y0), (x1, y1) in zip(r["rows"], mine, course):
        ax.annotate(row["letter"], (x0, y0), ha="center", va="center", fontsize=8,
                    color=plots.BACKGROUND, fontweight="bold", zorder=4)
        ax.annotate(row["letter"], (x1, y1), ha="center", va="center", fontsize=8,
                    color=plots.PALETTE["vermillion"], fontweight="bold", zorder=4)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(LEVELS)
    ax.set_yticks(LEVELS)
    ax.set_xlabel("Likelihood (1 rare ... 5 already happening)")
    ax.set_ylabel("Impact on AI cooperation (1 minor ... 5 severe)")
    ax.set_title("Risk matrix: your ratings and the course's")
    ax.legend(loc="lower left", fontsize=8)
    rows = {row["id"]: row for row in r["rows"]}
    widest = rows[r["widest"]]
    alt = (f"Risk matrix of 5 risks. Your top risk is {rows[r['top']]['letter']} with a score of "
           f"{rows[r['top']]['score']}; the course's top risk is {rows[r['course_top']]['letter']} "
           f"with {rows[r['course_top']]['course_score']}. The widest gap is on "
           f"{widest['letter']}: {widest['gap']} steps in total. {r['close']} of "
           f"{len(r['rows'])} ratings are within one step of the course's on both scales.")
    data = [{"risk": f"{row['letter']}. {row['title']}", "your likelihood": row["likelihood"],
             "your impact": row["impact"], "course likelihood": row["course_likelihood"],
             "course impact": row["course_impact"], "course's basis": row["kind"]}
            for row in r["rows"]]
    return fig, alt, data


def _risk_control_class():
    import html

    import ipywidgets as widgets
    import traitlets

    from coursekit.display.a11y import live

    class RiskControl(widgets.VBox):
        """Two sliders a risk and a save button. `value` is ((risk id, likelihood, impact), ...)."""

        value = traitlets.Tuple()

        def __init__(self, start: int = 3):
            super().__init__()
            self._syncing = False
            self.sliders: dict[str, tuple[Any, Any]] = {}
            rows = []
            for risk in COURSE_RATINGS:
                # tooltip: the accessible name, so each slider says which risk it rates
                like = widgets.IntSlider(value=start, min=1, max=5, description="Likelihood",
                                         tooltip=f"Likelihood of {risk.letter}. {risk.title}",
                                         continuous_update=False, layout={"width": "22em"})
                imp = widgets.IntSlider(value=start, min=1, max=5, description="Impact",
                                        tooltip=f"Impact of {risk.letter}. {risk.title}",
                                        continuous_update=False, layout={"width": "22em"})
                like.observe(self._moved, names="value")
                imp.observe(self._moved, names="value")
                self.sliders[risk.id] = (like, imp)
                rows.append(widgets.HTML(f"<strong>{risk.letter}. {html.escape(risk.title)}</strong>"))
                rows.append(widgets.HBox([like, imp]))
            self.save_button = widgets.Button(description="Save my ratings",
                                              tooltip="Store these ratings in your progress record")
            self.status = live(widgets.HTML(""))
            self.save_button.on_click(lambda _b: self.save())
            self.children = [*rows, self.save_button, self.status]
            self.value = tuple((r.id, start, start) for r in COURSE_RATINGS)

        def _moved(self, _change: dict[str, Any]) -> None:
            if self._syncing:
                return
            self.value = tuple((rid, int(l.value), int(i.value))
                               for rid, (l, i) in self.sliders.items())

        @traitlets.observe("value")
        def _value_set(self, change: dict[str, Any]) -> None:
            self._syncing = True
            try:
                for rid, likelihood, impact in change["new"]:
                    like, imp = self.sliders[rid]
                    like.value, imp.value = int(likelihood), int(impact)
            finally:
                self._syncing = False

        def ratings(self) -> dict[str, dict[str, int]]:
            return {rid: {"likelihood": int(l), "impact": int(i)} for rid, l, i in self.value}

        def save(self) -> None:
            from coursekit.progress import recorder as events

            events.record("rating", LESSON, RISK_ITEM, answer=self.ratings())
            self.status.value = ('<p role="status">Saved to your progress record. Compare your '
                                 "ratings with the course's reasoning in the table below.</p>")

    return RiskControl


def risk_matrix(start: int = 3):
    """The risk matrix: rate five risks; save; compare with the course's ratings."""
    from coursekit.display.explore import Exploration

    control = _risk_control_class()(start)
    sources = sorted({s for r in COURSE_RATINGS for s in r.sources})
    return Exploration(control=control, compute=lambda value: compare_ratings(list(value)),
                       readout=ratings_readout, render=_draw_matrix, source_ids=sources,
                       name="l06-risks")
