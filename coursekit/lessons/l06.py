"""Lesson 06 (risks): how concentrated Russia's imports are, three charts, and a risk matrix.

Computations are plain functions of numbers, so tests and exercises can call them without widgets:
`hhi(shares)` (the Herfindahl-Hirschman index, the sum of squared percentage shares), `hhi_bounds`
(the index from the partners a source names, and the most the unnamed rest could add), `band`
(the US merger guidelines' bands, assets/data/risks_hhi_bands.csv) and `shift` (a scenario).

Explorations: `hhi_explorer()` (start from a sourced table of shares, move them, watch the index)
and `risk_matrix()` (rate five risks, save the ratings, compare them with the course's own, which
are a judgement kept in assets/judgements.toml).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Sequence

from coursekit import calc
from coursekit.display.explore import Exploration
from coursekit.lessons.riskmatrix import (LEVELS, RISK_ITEM, compare_ratings,  # noqa: F401
                                          ratings_readout, ratings_table, risk_matrix, risks,
                                          save_ratings)
from coursekit.model import content

DATASET = "risks_russia_imports_by_partner"
BANDS = "risks_hhi_bands"
ASYMMETRY = "risks_dependence_asymmetry"
MEASURES = "risks_secondary_sanctions_timeline"
LESSON = "06"
MAX_PARTNERS = 5


# ----------------------------------------------------------------------------- computations
def hhi(shares: Iterable[float]) -> float:
    """Sum of the squared percentage shares: 100% from one partner gives 10,000."""
    return float(sum(float(s) ** 2 for s in shares))


def hhi_bounds(named: Sequence[float], total: float = 100.0) -> tuple[float, float]:
    """(lower, upper) for the index when only the largest partners are named. Lower: the named
    partners alone. Upper: the unnamed rest split into partners as big as the smallest named one,
    which holds when a source lists its top partners, not for a list of selected partners."""
    low = hhi(named)
    rest = total - sum(float(s) for s in named)
    cap = min((float(s) for s in named), default=0.0)
    if rest <= 1e-9 or cap <= 0:
        return low, low
    whole = int(rest // cap)
    return low, low + whole * cap ** 2 + (rest - whole * cap) ** 2


def customs_share(year: int = 2022) -> dict[str, Any]:
    """China's share of Russia's imports from two customs totals: China's exports to Russia
    (China customs, trade_russia_china) over Russia's total imports (Russian customs, its revised
    figure in partnership_asymmetry), beside the IIF's estimate (risks_dependence_asymmetry). A
    cross-check: the two services value goods differently, so the result is approximate."""
    trade = content.load_dataset("trade_russia_china")
    exports = trade.value(year=int(year), reporter="China customs", measure="china_exports_to_russia")
    totals = content.load_dataset("partnership_asymmetry")
    row = totals.one(year=int(year), economy="Russia", measure="total_goods_imports_revised")
    total, total_ids = row["value"], row["source_ids"]
    asym = content.load_dataset(ASYMMETRY)
    iif = asym.value(period=str(year), indicator="china_share_of_russia_imports")
    china_trade_share = asym.value(period=str(year), indicator="russia_share_of_china_trade")
    share = exports / total * 100
    return {"year": int(year), "china_exports": exports, "russia_imports": total, "share": share,
            "iif_share": iif, "ratio_customs": share / china_trade_share,
            "ratio_iif": iif / china_trade_share, "russia_share_of_china_trade": china_trade_share,
            "source_ids": list(dict.fromkeys(trade.source_ids() + list(total_ids) + ["S41"]))}


def customs_share_text(year: int = 2022) -> str:
    r = customs_share(year)
    return (f"China's exports to Russia in {r['year']}, US${r['china_exports']:.1f}bn (China customs), "
            f"divided by Russia's imports from all countries, US${r['russia_imports']:.1f}bn (Russian "
            f"customs), give {r['share']:.1f}%: about {r['share']:.0f}%, against the IIF's estimate of "
            f"over {r['iif_share']:g}%. With Russia at {r['russia_share_of_china_trade']:g}% of China's "
            f"trade, China weighs about {r['ratio_customs']:.0f} times as much in Russia's imports as "
            f"Russia does in China's trade by customs totals, about {r['ratio_iif']:.0f} times by the "
            "IIF's figure.")


def hong_kong_choice(period: str = "2023-H1", coverage: str = "all goods (one bank's study)") -> dict[str, Any]:
    """The index of a table with Hong Kong counted as its own partner, and with Hong Kong merged
    into mainland China (one supplier): lower bounds and upper bounds from `hhi_bounds`."""
    pairs = dict(shares_table(period, coverage))
    separate = hhi_bounds(list(pairs.values()))
    merged_pairs = dict(pairs)
    merged_pairs["China"] = merged_pairs.get("China", 0.0) + merged_pairs.pop("Hong Kong", 0.0)
    merged = hhi_bounds(list(merged_pairs.values()))
    return {"period": period, "china": pairs.get("China", 0.0), "hong_kong": pairs.get("Hong Kong", 0.0),
            "separate": separate, "merged": merged,
            "separate_band": (band_range(*separate, "2010"), band_range(*separate, "2023")),
            "merged_band": (band_range(*merged, "2010"), band_range(*merged, "2023"))}


def hong_kong_text(period: str = "2023-H1") -> str:
    r = hong_kong_choice(period)
    (s_lo, s_hi), (m_lo, m_hi) = r["separate"], r["merged"]
    return (f"Hong Kong counted as its own partner (as the study lists it): index at least {s_lo:,.0f}, "
            f"at most {s_hi:,.0f}; {r['separate_band'][0]} under the 2010 bands, {r['separate_band'][1]} "
            f"under the 2023 bands.\nHong Kong merged with mainland China "
            f"({r['china']:g}% + {r['hong_kong']:g}% = {r['china'] + r['hong_kong']:g}%): at least "
            f"{m_lo:,.0f}, at most {m_hi:,.0f}; {r['merged_band'][0]} under the 2010 bands, "
            f"{r['merged_band'][1]} under the 2023 bands.")


def bands(guidelines: str) -> tuple[float, float]:
    """(where "moderately concentrated" begins, where it ends) under the given guidelines."""
    d = content.load_dataset(BANDS)
    return d.value(guidelines=guidelines, bound="lower"), d.value(guidelines=guidelines, bound="upper")


def band(index: float, guidelines: str = "2010") -> str:
    """'unconcentrated', 'moderately concentrated' or 'highly concentrated' (US DOJ/FTC bands)."""
    low, high = bands(guidelines)
    if index < low:
        return "unconcentrated"
    return "moderately concentrated" if index <= high else "highly concentrated"


def band_range(low_index: float, high_index: float, guidelines: str = "2010") -> str:
    """The band, or 'between A and B' when the lower and upper bounds fall in different bands."""
    a, b = band(low_index, guidelines), band(high_index, guidelines)
    return a if a == b else f"between {a} and {b}"


def shares_table(period: str, coverage: str) -> list[tuple[str, float]]:
    """(partner, share) from the shipped dataset, largest first."""
    rows = content.load_dataset(DATASET).filter(period=period, coverage=coverage).rows
    return sorted(((r["partner"], r["value"]) for r in rows), key=lambda t: (-t[1], t[0]))


def _tables(min_partners: int = 3) -> dict[str, list[dict[str, Any]]]:
    """The sourced tables of shares: every (period, coverage) that names at least `min_partners`
    partners, labelled "period: coverage, estimator", in file order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in content.load_dataset(DATASET).rows:
        groups.setdefault((r["period"], r["coverage"]), []).append(r)
    return {f"{p}: {c}, {rows[0]['attributed_to']}": rows for (p, c), rows in groups.items()
            if len(rows) >= min_partners}


def presets() -> dict[str, tuple[str, str]]:
    """The tables the calculator starts from: label -> (period, coverage)."""
    return {label: (rows[0]["period"], rows[0]["coverage"]) for label, rows in _tables().items()}


def _ids(rows: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(sid for r in rows for sid in r["source_ids"]))


def default_preset() -> str:
    """The most recent table of all goods (the last in the file)."""
    return [label for label, (_p, c) in presets().items() if c.startswith("all goods")][-1]


def preset_shares(label: str) -> list[tuple[str, float]]:
    return shares_table(*presets()[label])


def shift(shares: dict[str, float], from_partner: str, points: float,
          to_partner: str | None = None) -> dict[str, float]:
    """Move `points` percentage points of imports from one partner to another (None: to the
    unnamed rest). Shares are in percent; the total is unchanged."""
    out = dict(shares)
    out[from_partner] -= points
    if to_partner is not None:
        out[to_partner] = out.get(to_partner, 0.0) + points
    return out


def concentration(pairs: Sequence[tuple[str, float]]) -> dict[str, Any]:
    """Everything the calculator shows, for (partner, share) pairs."""
    shares = [float(s) for _, s in pairs]
    named = sum(shares)
    valid = named <= 100.0 + 1e-9 and all(s >= 0 for s in shares)
    low, high = hhi_bounds(shares) if valid else (hhi(shares), hhi(shares))
    top = max(shares, default=0.0)
    return {"partners": [p for p, _ in pairs], "shares": shares, "named_total": named,
            "rest": max(0.0, 100.0 - named), "valid": valid, "hhi": low, "hhi_max": high,
            "top_partner": pairs[shares.index(top)][0] if shares else "", "top_share": top,
            "band_2010": band_range(low, high, "2010"), "band_2023": band_range(low, high, "2023")}


def concentration_readout(r: dict[str, Any]) -> str:
    if not r["valid"]:
        return f"The named shares add up to {r['named_total']:.1f}%, more than 100%. Lower one of them."
    return (f"Largest supplier: {r['top_partner']} with {r['top_share']:.1f}%. "
            f"Index from the named partners: {r['hhi']:,.0f}; counting the unnamed "
            f"{r['rest']:.1f}%, at most {r['hhi_max']:,.0f} if no unnamed partner is bigger than "
            f"the smallest named one. Band under the 2010 guidelines: {r['band_2010']}; under the "
            f"2023 guidelines: {r['band_2023']}.")


# ----------------------------------------------------------------------------- the calculator
def _draw_shares(r: dict[str, Any]):
    from coursekit.display import charts as plots

    names, values = [*r["partners"], "Unnamed rest"], [*r["shares"], r["rest"]]
    fig, ax = plots.figure(figsize=(7.0, 3.4))
    y = list(range(len(names)))[::-1]
    colours = [plots.PALETTE["vermillion" if n == r["top_partner"] else "blue"] for n in r["partners"]]
    bars = ax.barh(y, values, color=colours + [plots.BACKGROUND], edgecolor=plots.PALETTE["black"])
    bars[-1].set_hatch("//")
    ax.bar_label(bars, padding=3, labels=[f"{v:.1f}%" + (" (largest)" if n == r["top_partner"] else "")
                                          for n, v in zip(names, values)])
    ax.set_yticks(y, names)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Share of imports covered (%)")
    ax.set_title(f"Index {r['hhi']:,.0f} to {r['hhi_max']:,.0f}: {r['band_2010']} (2010 bands)")
    alt = (f"Bar chart of import shares. The largest supplier, {r['top_partner']}, has "
           f"{r['top_share']:.1f}%; the named partners give an index of {r['hhi']:,.0f} (at most "
           f"{r['hhi_max']:,.0f} with the unnamed {r['rest']:.1f}%), {r['band_2010']} under the "
           f"2010 bands and {r['band_2023']} under the 2023 bands.")
    return fig, alt, [{"partner": n, "share (%)": round(v, 1)} for n, v in zip(names, values)]


def hhi_explorer(preset: str | None = None) -> Exploration:
    """The concentration calculator: move the shares, watch the index and its band."""
    from coursekit.display.controls import PresetSliders

    rows = [r for table in _tables().values() for r in table]
    control = PresetSliders(list(presets()), preset_shares, preset or default_preset(), MAX_PARTNERS,
                            min=0.0, max=100.0, step=0.5, readout_format=".1f")
    return Exploration(control=control,
                       compute=lambda value: concentration(list(value)), readout=concentration_readout,
                       render=lambda r: _draw_shares(r) if r["valid"] else None, name="l06-hhi",
                       source_ids=_ids(rows) + content.load_dataset(BANDS).source_ids())


# ----------------------------------------------------------------------------- charts
def shares_chart():
    """(fig, alt, data, source ids): one panel a sourced table of all goods, largest partners."""
    from coursekit.display import charts as plots

    tables = {label: rows for label, rows in _tables().items() if rows[0]["coverage"].startswith("all goods")}
    panels = [(label, rows[0]["period"], rows[0]["coverage"]) for label, rows in tables.items()]
    fig, axes = plots.figure(ncols=len(panels), figsize=(10.5, 3.6), sharex=True)
    data, said, indexes = [], [], []
    for ax, (label, period, coverage) in zip(axes, panels):
        pairs = shares_table(period, coverage)
        indexes.append(hhi(s for _, s in pairs))
        names, shares = [p for p, _ in pairs][::-1], [s for _, s in pairs][::-1]
        bars = ax.barh(names, shares, edgecolor=plots.PALETTE["black"],
                       color=[plots.PALETTE["vermillion" if n == "China" else "blue"] for n in names])
        ax.bar_label(bars, labels=[f"{s:g}%" for s in shares], padding=2)
        kind = coverage.partition("(")[2].rstrip(")") or coverage
        ax.set_title(f"{period}: {kind}\n({tables[label][0]['attributed_to']}), index at least "
                     f"{indexes[-1]:,.0f}", fontsize=10)
        ax.set_xlim(0, 55)
        data += [{"period": period, "coverage": coverage, "partner": p, "share (%)": s} for p, s in pairs]
        said.append(f"{dict(pairs)['China']:g}% in {period} ({tables[label][0]['attributed_to']})")
    axes[len(axes) // 2].set_xlabel("Share of imports covered (%)")
    alt = (f"{len(panels)} bar charts of Russia's largest suppliers. China's share: {', '.join(said)}; "
           f"the index from the named partners: {', '.join(f'{i:,.0f}' for i in indexes)}.")
    return fig, alt, data, _ids(r for rows in tables.values() for r in rows)


def dependence_chart():
    """(fig, alt, data): each side's share of the other's trade, as the sources give them."""
    from coursekit.display import charts as plots

    rows = content.load_dataset(ASYMMETRY).rows
    fig, ax = plots.figure(figsize=(7.0, 2.8))
    said = [f"{r['label']}, {r['period']}: {r['qualifier'] + ' ' if r['qualifier'] else ''}{r['value']:g}%"
            for r in rows]
    bars = ax.barh([s.split(":")[0] for s in said][::-1], [r["value"] for r in rows][::-1],
                   color=[plots.PALETTE["blue" if r["indicator"].startswith("russia") else "vermillion"]
                          for r in rows][::-1], edgecolor=plots.PALETTE["black"])
    ax.bar_label(bars, labels=[s.split(": ")[1] for s in said][::-1], padding=3)
    ax.set_xlim(0, max(r["value"] for r in rows) * 1.25)
    ax.set_xlabel("Percent")
    ax.set_title("The same trade, seen from each side")
    data = [{"period": r["period"], "indicator": r["label"], "value (%)": r["value"],
             "qualifier": r["qualifier"], "estimate by": r["attributed_to"]} for r in rows]
    return fig, "Bar chart. " + "; ".join(said) + ".", data


def trade_chart():
    """(fig, alt, data, source ids): yearly trade growth, and the measures that reach Chinese banks."""
    from coursekit.display import charts as plots

    trade = content.load_dataset("trade_russia_china").filter(reporter="China customs",
                                                              measure="total_trade_yoy_change")
    events = content.load_dataset(MEASURES)
    growth = {int(r["year"]): r["value"] for r in trade.rows}
    years = sorted(growth)
    fig, (ax, ax2) = plots.figure(nrows=2, figsize=(7.5, 5.0), sharex=True,
                                  gridspec_kw={"height_ratios": [2.2, 1]})
    bars = ax.bar([y + 0.5 for y in years], [growth[y] for y in years], width=0.8,
                  color=plots.PALETTE["blue"], edgecolor=plots.PALETTE["black"])
    ax.bar_label(bars, labels=[f"{growth[y]:+.1f}%" for y in years], padding=2)
    ax.axhline(0, color=plots.PALETTE["black"], linewidth=0.8)
    ax.set_ylabel("Change on previous year (%)")
    ax.set_ylim(min(-12, min(growth.values()) * 1.5), max(growth.values()) * 1.25)
    ax.set_title("Russia–China trade growth, and measures that reach Chinese banks")
    marks = []
    for k, ev in enumerate(events.rows, start=1):
        x, level = calc.decimal_year(ev["date"]), 1 + (k % 3) * 0.6
        ax2.vlines(x, 0, level, color=plots.PALETTE["grey"], linewidth=1)
        ax2.scatter([x], [level], marker="v", s=60, color=plots.PALETTE["vermillion"], zorder=3)
        ax2.annotate(str(k), (x, level), xytext=(0, 6), textcoords="offset points", ha="center")
        marks.append({"number": k, "date": ev["date"], "actor": ev["actor"], "measure": ev["measure"]})
    for boundary in years[1:]:
        for axis in (ax, ax2):
            axis.axvline(boundary, color=plots.PALETTE["grey"], linewidth=0.6, linestyle=":")
    ax2.set_ylim(0, 3.0)
    ax2.set_yticks([])
    ax2.set_xlim(years[0], years[-1] + 1)
    ax2.set_xticks([y + 0.5 for y in years], [str(y) for y in years])
    ax2.set_xlabel("Each bar covers one calendar year; numbered markers are dated events (see the data table)")
    first = _dt.date.fromisoformat(min(r["date"] for r in events.rows)[:7] + "-01")
    after = [y for y in years if y > first.year]
    alt = (f"Bar chart with a timeline. Growth of Russia–China trade went from "
           f"{' to '.join(f'{growth[y]:.1f}% in {y}' for y in after)}, as {len(marks)} measures and "
           f"reported bank pull-backs accumulated from {first:%B %Y}; the timing matches, but the "
           "chart cannot show cause.")
    data = [{"year": y, "trade growth (%)": growth[y]} for y in years] + marks
    return fig, alt, data, trade.source_ids() + events.source_ids()


# The risk matrix lives in coursekit/lessons/riskmatrix.py; the lesson calls it through l06.
