"""Lesson 05 (economics): the computations, charts and explorations of the lesson and its exercises.

Everything reads the shipped data (assets/data), so a number shown can be traced to a CSV row:
- economics_rmb_usd_rates   yearly average yuan per US dollar (US Federal Reserve, G.5A)
- economics_mgi_estimate    the headline figures of McKinsey's 2018 simulation, and its years
- china_ai_plan_targets, russia_ai_strategy_targets (with a `money_label` for the rows the lesson
  compares), private_ai_investment, genai_patents, notable_ai_models

Charts return (fig, alt, rows, source_ids). Explorations:
- headline_explorer(): a target year and an exchange-rate year -> the dollar headline;
- growth_explorer(): an annual rate -> compounded growth over McKinsey's years, against its total.
"""
from __future__ import annotations

import math
import re
from typing import Any

from coursekit import calc
from coursekit.display.explore import Exploration
from coursekit.model import content

PLAN = "china_ai_plan_targets"
RATES = "economics_rmb_usd_rates"
MGI = "economics_mgi_estimate"
RUSSIA = "russia_ai_strategy_targets"


def _ids(*row_sets: Any) -> list[str]:
    """The rows' source ids, in bibliography order (S1, S2, ..., S10, ..., X1, ...)."""
    ids = {sid for rows in row_sets for r in rows for sid in r["source_ids"]}
    return sorted(ids, key=lambda sid: (sid[0], int(sid[1:])))


# ----------------------------------------------------------------------------------- data access
def rates() -> dict[int, float]:
    """Yearly average yuan per US dollar, by year."""
    return {int(r["year"]): r["value"] for r in content.load_dataset(RATES).filter(series="annual_average").rows}


def core_targets() -> dict[int, float]:
    """The 2017 plan's targets for the core AI industry, billions of yuan, by target year."""
    ds = content.load_dataset(PLAN).filter(series="target", measure="core_ai_industry")
    return {int(r["year"]): r["value"] for r in ds.rows}


def mgi() -> dict[str, float]:
    """McKinsey's 2018 figures, by measure (its base and horizon years included)."""
    return {r["measure"]: r["value"] for r in content.load_dataset(MGI).rows}


def private_investment(year: int) -> dict[str, float]:
    """Private AI investment in billions of US dollars, by country, for one year."""
    return {r["country"]: r["value"] for r in content.load_dataset("private_ai_investment").filter(year=year).rows}


def article_usd_bn() -> float:
    """The article's headline figure in billions of dollars, read from its own words (claim C11)."""
    return float(re.search(r"\$([0-9.,]+) billion", content.load_claims()["C11"].quote)[1].replace(",", ""))


# ----------------------------------------------------------------------------------- charts
def target_path(year: float) -> float:
    """The target size (billion yuan) in any year between the plan's first and last targets,
    assuming steady compound growth between its steps."""
    t = core_targets()
    steps = sorted(t)
    for a, b in zip(steps, steps[1:]):
        if a <= year <= b:
            return t[a] * (t[b] / t[a]) ** ((year - a) / (b - a))
    raise ValueError(f"{year} is outside {steps[0]}-{steps[-1]}")


def _over(r: dict[str, Any]) -> str:
    return "over " if r["qualifier"] == "over" else ""


def targets_figure():
    """China's core-AI-industry targets, the path they imply, and the sizes reported later."""
    from coursekit.display import charts as plots

    ds = content.load_dataset(PLAN)
    targets = ds.filter(series="target", measure="core_ai_industry").rows
    reported = ds.filter(series="reported").rows
    fig, ax = plots.figure()
    ax.set_axisbelow(True)
    path_years = list(range(targets[0]["year"], targets[-1]["year"] + 1))
    ax.plot(path_years, [target_path(y) for y in path_years], color=plots.PALETTE["blue"],
            linestyle="--", marker="none", label="Path implied by the targets (computed)")
    ax.plot([r["year"] for r in targets], [r["value"] for r in targets], color=plots.PALETTE["blue"],
            linestyle="none", marker="s", markersize=8, label="Target in the 2017 plan")
    offsets = [(8, -4, "left"), (8, -14, "left"), (-10, 4, "right")]
    for r, (dx, dy, ha) in zip(targets, offsets):
        ax.annotate(f"target: {_over(r)}{r['value']:,.0f}", (r["year"], r["value"]),
                    textcoords="offset points", xytext=(dx, dy), ha=ha, fontsize=9)
    ax.plot([r["year"] for r in reported], [r["value"] for r in reported], linestyle="none",
            marker="^", markersize=9, color=plots.PALETTE["vermillion"],
            label="Reported size (other sources and definitions)")
    rows = [{"year": r["year"], "what": "target", "billion yuan": r["value"], "qualifier": r["qualifier"],
             "sources": "; ".join(r["source_ids"])} for r in targets]
    for r in reported:
        on_path = target_path(r["year"])
        ax.annotate(f"{_over(r)}{r['value']:,.0f}\n({r['reported_by']})", (r["year"], r["value"]),
                    textcoords="offset points", xytext=(8, 2), fontsize=8)
        ax.plot([r["year"], r["year"]], [on_path, r["value"]], color="#595959", linestyle=":",
                linewidth=1, marker="none")
        ax.annotate(f"path: {on_path:,.0f}", (r["year"], on_path), textcoords="offset points",
                    xytext=(6, -12), fontsize=8, color="#333333")
        rows.append({"year": r["year"], "what": f"reported ({r['measure']})", "billion yuan": r["value"],
                     "qualifier": r["qualifier"], "sources": "; ".join(r["source_ids"])})
        rows.append({"year": r["year"], "what": "path implied by the targets (computed)",
                     "billion yuan": round(on_path, 1), "qualifier": "", "sources": "; ".join(_ids(targets))})
    ax.set_xticks(sorted({r["year"] for r in targets + reported}))
    ax.set_xlim(targets[0]["year"] - 1, targets[-1]["year"] + 1)
    ax.set_ylim(0, max(r["value"] for r in targets + reported) * 1.15)
    ax.set_ylabel("billion yuan")
    ax.set_title("China's core AI industry: targets, implied path, reported sizes")
    ax.legend(loc="lower right", fontsize=8)
    said = ", ".join(f"{_over(r)}{r['value']:,.0f} billion{' yuan' if i == 0 else ''} in {r['year']}"
                     for i, r in enumerate(targets))
    implied = " and ".join(f"{target_path(r['year']):,.0f} billion in {r['year']}" for r in reported)
    sizes = " and ".join(f"{_over(r)}{r['value']:,.0f}" for r in reported)
    higher = all(r["value"] > target_path(r["year"]) for r in reported)
    alt = (f"The 2017 plan's targets ({said}) imply about {implied}; the sizes reported for those "
           f"years, {sizes} billion yuan, are far {'higher' if higher else 'lower'}, which suggests "
           "broader definitions as much as faster growth.")
    rows.sort(key=lambda r: (r["year"], r["what"]))
    return fig, alt, rows, _ids(targets, reported)


_KIND_STYLE = {  # hatch and colour by kind of figure; the kind is also written in each label
    "budget": ("", "blue"), "baseline": ("..", "grey"), "estimate": ("..", "green"),
    "target": ("//", "vermillion"), "forecast": ("xx", "purple"),
}


def russia_rows() -> list[dict[str, Any]]:
    """Russia's AI money figures (billions of rubles) that the lesson compares, smallest first,
    each labelled with what kind of figure it is."""
    rows = [r for r in content.load_dataset(RUSSIA).rows if r["money_label"]]
    return [{"figure": r["money_label"], "kind": r["series"], "indicator": r["indicator"],
             "billion rubles": r["value"], "qualifier": r["qualifier"],
             "sources": "; ".join(r["source_ids"])} for r in sorted(rows, key=lambda r: r["value"])]


def russia_figure():
    """Russia's AI figures on one logarithmic scale."""
    from coursekit.display import charts as plots

    rows = russia_rows()
    fig, ax = plots.figure(figsize=(7.5, 3.8))
    for i, r in enumerate(rows):
        hatch, colour = _KIND_STYLE[r["kind"]]
        ax.barh(i, r["billion rubles"], color=plots.PALETTE[colour], hatch=hatch,
                edgecolor="#1A1A1A", linewidth=0.6)
        ax.text(r["billion rubles"] * 1.15, i, f"{r['billion rubles']:,.1f}".rstrip("0").rstrip("."),
                va="center", fontsize=9)
    ax.set_axisbelow(True)
    ax.set_yticks(range(len(rows)), [f"{r['figure']} ({r['kind']})" for r in rows])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(1, 60000)
    ax.set_xlabel("billion rubles (logarithmic scale: each step is ten times the last)")
    ax.set_title("Russia's AI figures are of different kinds")
    by = {r["kind"] if r["kind"] != "target" else r["indicator"]: r["billion rubles"] for r in rows}
    budget, market, spending, forecast = (by["budget"], by["estimate"], by["annual_ai_spending"],
                                          by["forecast"])
    share = math.ceil(max(budget / market, budget / spending) * 100)
    alt = (f"Russia's federal AI budget for 2024, {budget:g} billion rubles, is under {share}% of the AI "
           f"market of about {market:,.0f} billion rubles estimated for 2022 and of the {spending:,.0f} "
           f"billion a year the 2030 target calls for; the {forecast:,.0f} billion is a forecast total to "
           "2030, not a yearly sum.")
    return fig, alt, rows, _ids({"source_ids": r["sources"].split("; ")} for r in rows)


def indicators_figure():
    """Private investment, generative-AI patents and notable models side by side, with Russia's gap."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from coursekit.display import charts as plots

    year = max(r["year"] for r in content.load_dataset("private_ai_investment").rows)
    inv = content.load_dataset("private_ai_investment").filter(year=year).rows
    pat = content.load_dataset("genai_patents").rows
    mod = content.load_dataset("notable_ai_models").filter(year=year).rows
    panels = [
        (f"Private AI investment, {year}\n(billion US dollars)", [(r["country"], r["value"]) for r in inv]),
        (f"Generative-AI patent families,\n{pat[0]['period']} (by inventor location)",
         [(r["location"], r["value"]) for r in pat]),
        (f"Notable AI models, {year}\n(by producer location)", [(r["region"], r["value"]) for r in mod]),
    ]
    fig, axes = plots.figure(ncols=3, figsize=(10.5, 4.2))
    rows: list[dict[str, Any]] = []
    for ax, (title, pairs) in zip(axes, panels):
        pairs = sorted(pairs, key=lambda p: -p[1]) + [("Russia", None)]
        top = max(v for _, v in pairs if v is not None)
        for i, (name, v) in enumerate(pairs):
            if v is None:
                ax.text(top * 0.02, i, "not in the source", va="center", fontsize=8, style="italic")
                continue
            ax.barh(i, v, color=plots.PALETTE["blue"])
            ax.text(v + top * 0.02, i, f"{v:,.1f}".rstrip("0").rstrip("."), va="center", fontsize=8)
            rows.append({"indicator": title.replace("\n", " "), "place": name, "value": v})
        ax.set_axisbelow(True)
        ax.set_yticks(range(len(pairs)), [p[0] for p in pairs], fontsize=8)
        ax.set_ylim(len(pairs) - 0.3, -0.7)
        ax.set_xlim(0, top * 1.3)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    rows.append({"indicator": "all three", "place": "Russia", "value": "not in the sources"})
    fig.subplots_adjust(wspace=0.75)
    i = {r["country"]: r["value"] for r in inv}
    p = {r["location"]: r["value"] for r in pat}
    m = {r["region"]: r["value"] for r in mod}
    alt = (f"Who leads depends on the measure: China-based inventors filed {p['China']:,.0f} generative-AI "
           f"patent families against {p['United States']:,.0f} in the US, but US private AI investment was "
           f"{i['United States']:g} billion dollars in {year} against China's {i['China']:g} billion, and the "
           f"US produced {m['United States']:g} notable models to China's {m['China']:g}. Russia is in none "
           "of the three sources.")
    return fig, alt, rows, _ids(inv, pat, mod)


# ----------------------------------------------------------------------------------- explorations
def headline_result(target_year: int, rate_year: int) -> dict[str, Any]:
    """The dollar value of one of the plan's targets at each year's average exchange rate."""
    table = rates()
    target = core_targets()[int(target_year)]
    by_year = {y: calc.to_usd(target, r) for y, r in table.items()}
    return {"target_year": int(target_year), "rate_year": int(rate_year), "target_rmb_bn": target,
            "rate": table[int(rate_year)], "usd_bn": by_year[int(rate_year)], "by_year": by_year,
            "low_year": min(by_year, key=by_year.get), "high_year": max(by_year, key=by_year.get),
            "over": int(target_year) == max(core_targets())}


def _headline_text(res: dict[str, Any]) -> str:
    word, by = "over " if res["over"] else "", res["by_year"]
    return (f"Target for {res['target_year']}: {word}{res['target_rmb_bn']:,.0f} billion yuan. "
            f"At the {res['rate_year']} average rate ({res['rate']:.4f} yuan per dollar) that is "
            f"{word}{res['usd_bn']:,.1f} billion US dollars. With the other years' rates it ranges "
            f"from {by[res['low_year']]:,.1f} billion ({res['low_year']}) to "
            f"{by[res['high_year']]:,.1f} billion ({res['high_year']}).")


def _headline_render(res: dict[str, Any]):
    from coursekit.display import charts as plots

    by = res["by_year"]
    years = sorted(by)
    fig, ax = plots.figure()
    ax.set_axisbelow(True)
    for y in years:
        chosen = y == res["rate_year"]
        ax.bar(y, by[y], color=plots.PALETTE["vermillion" if chosen else "blue"],
               hatch="//" if chosen else "", edgecolor="#1A1A1A", linewidth=1.5 if chosen else 0.4)
        ax.text(y, by[y] * 0.5, f"{by[y]:.1f}", ha="center", va="center", fontsize=9, color="#FFFFFF",
                fontweight="bold", bbox={"facecolor": "#1A1A1A", "edgecolor": "none", "pad": 2})
    top = max(by.values())
    if res["over"]:
        claimed = article_usd_bn()
        ax.axhline(claimed, color="#1A1A1A", linestyle=":", linewidth=1.5)
        ax.text(years[-1] + 0.45, claimed * 1.04, f"the article: over {claimed:g} billion", fontsize=8,
                ha="right", va="bottom", bbox={"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 1})
        top = max(top, claimed)
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(years, [f"{y}\n(chosen)" if y == res["rate_year"] else str(y) for y in years])
    ax.set_xlabel("year whose average exchange rate is used")
    ax.set_ylabel("billion US dollars")
    ax.set_title(f"The {res['target_year']} target in dollars, year by year")
    alt = (f"At the {res['rate_year']} average rate of {res['rate']:.4f} yuan per dollar the "
           f"{res['target_year']} target of {res['target_rmb_bn']:,.0f} billion yuan is "
           f"{res['usd_bn']:,.1f} billion dollars; with the {years[0]}-{years[-1]} rates it ranges from "
           f"{min(by.values()):,.1f} to {max(by.values()):,.1f} billion dollars.")
    table = rates()
    data = [{"exchange-rate year": y, "yuan per dollar": f"{table[y]:.4f}",
             "billion US dollars": f"{by[y]:.1f}"} for y in years]
    return fig, alt, data


def headline_explorer() -> Exploration:
    """Exploration: pick a target year and an exchange-rate year; see the dollar headline."""
    years = sorted(rates())
    targets = content.load_dataset(PLAN).filter(series="target", measure="core_ai_industry").rows
    import ipywidgets as widgets

    from coursekit.display.controls import SliderPair

    style = {"description_width": "initial"}
    control = SliderPair(widgets.SelectionSlider(options=sorted(core_targets()), value=max(core_targets()),
                                                 description="Target year", style=style),
                         widgets.SelectionSlider(options=years, value=years[0],
                                                 description="Exchange rate of year", style=style))
    control.target, control.rate_year = control.first, control.second
    return Exploration(control=control, compute=lambda v: headline_result(*v), readout=_headline_text,
                       render=_headline_render, name="l05-headline",
                       source_ids=_ids(targets, content.load_dataset(RATES).rows))


def growth_result(rate_pct: float) -> dict[str, Any]:
    """Compounding `rate_pct` a year over McKinsey's years, against its stated total."""
    figures = mgi()
    start, end = int(figures["simulation_base_year"]), int(figures["simulation_horizon_year"])
    rate_pct, stated = round(float(rate_pct), 2), figures["cumulative_output_uplift_2030"]
    path = {start + k: calc.compound_pct(rate_pct, k) for k in range(end - start + 1)}
    return {"rate_pct": rate_pct, "start": start, "end": end, "years": end - start,
            "compound_pct": path[end], "linear_pct": rate_pct * (end - start), "stated_pct": stated,
            "stated_rate_pct": figures["annual_gdp_growth_contribution"],
            "rate_for_stated_pct": calc.rate_for_total_pct(stated, end - start), "path": path}


def _growth_text(res: dict[str, Any]) -> str:
    return (f"{res['rate_pct']:.1f}% a year for {res['years']} years ({res['start']}-{res['end']}) "
            f"compounds to {res['compound_pct']:.1f}% more output (adding without compounding gives "
            f"{res['linear_pct']:.1f}%). McKinsey states about {res['stated_pct']:.0f}%; the rate "
            f"that compounds to exactly {res['stated_pct']:.0f}% is {res['rate_for_stated_pct']:.2f}% a year.")


def _growth_render(res: dict[str, Any]):
    from coursekit.display import charts as plots

    years = sorted(res["path"])
    added = {y: res["rate_pct"] * (y - res["start"]) for y in years}
    fig, ax = plots.figure()
    ax.set_axisbelow(True)
    ax.plot(years, [res["path"][y] for y in years], marker="o", linestyle="-",
            color=plots.PALETTE["blue"], label=f"{res['rate_pct']:.1f}% a year, compounded")
    ax.plot(years, [added[y] for y in years], marker="s", linestyle="--",
            color=plots.PALETTE["vermillion"], label=f"{res['rate_pct']:.1f}% a year, just added up")
    ax.axhline(res["stated_pct"], color="#1A1A1A", linestyle=":", linewidth=1.5)
    ax.text(res["start"], res["stated_pct"] + 0.6, f"McKinsey: about {res['stated_pct']:.0f}% by {res['end']}",
            fontsize=8)
    ax.set_ylim(0, max(32, res["compound_pct"] * 1.1))
    ax.set_xlabel("year")
    ax.set_ylabel("output above the no-AI path (%)")
    ax.set_title(f"Compounding a yearly rate up to {res['end']}")
    ax.legend(loc="upper left")
    alt = (f"At {res['rate_pct']:.1f}% a year from {res['start']} to {res['end']}, output ends "
           f"{res['compound_pct']:.1f}% higher when compounded and {res['linear_pct']:.1f}% when simply "
           f"added, against McKinsey's stated figure of about {res['stated_pct']:.0f}%.")
    data = [{"year": y, "compounded (%)": round(res["path"][y], 2), "added up (%)": round(added[y], 2)}
            for y in years]
    return fig, alt, data


def growth_explorer() -> Exploration:
    """Exploration: an annual growth rate compounded over McKinsey's years, against its total."""
    import ipywidgets as widgets

    control = widgets.FloatSlider(value=mgi()["annual_gdp_growth_contribution"], min=0.4, max=2.4,
                                  step=0.1, readout_format=".1f", description="Growth a year (%)",
                                  style={"description_width": "initial"})
    return Exploration(control=control, compute=growth_result, readout=_growth_text,
                       render=_growth_render, name="l05-growth",
                       source_ids=_ids(content.load_dataset(MGI).filter(
                           measure=["cumulative_output_uplift_2030", "annual_gdp_growth_contribution",
                                    "simulation_base_year", "simulation_horizon_year"]).rows))
