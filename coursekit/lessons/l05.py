"""Lesson 05 (economics): the computations, charts and explorations of the lesson and its exercises.

Everything here reads the shipped data (assets/data) through coursekit.model.content, so a number shown in
the lesson can be traced to a CSV row and its sources:
- economics_rmb_usd_rates   yearly average yuan per US dollar (US Federal Reserve, G.5A)
- economics_mgi_estimate    the headline figures of McKinsey's 2018 simulation
- china_ai_plan_targets, russia_ai_strategy_targets, private_ai_investment, genai_patents,
  notable_ai_models         shared tables (read only)

Explorations (coursekit.display.explore.Exploration):
- headline_explorer(): a target year and an exchange-rate year -> the dollar headline;
- growth_explorer(): an annual rate -> compounded growth over 2018-2030, against McKinsey's ~16%.
Matplotlib and ipywidgets are imported inside functions, so importing this module stays cheap.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit.model import content

#: McKinsey's paper dates from September 2018 [S9]; its horizon is 2030.
MGI_START = 2018
MGI_END = 2030
#: The article's headline figure, in billions of US dollars (“over $150 billion”).
ARTICLE_USD_BN = 150.0
TARGET_YEARS = (2020, 2025, 2030)

# ----------------------------------------------------------------------------------- data access


def rates() -> dict[int, float]:
    """Yearly average yuan per US dollar, by year."""
    ds = content.load_dataset("economics_rmb_usd_rates").filter(series="annual_average")
    return {int(r["year"]): float(r["value"]) for r in ds.rows}


def core_targets() -> dict[int, float]:
    """The 2017 plan's targets for the core AI industry, billions of yuan, by target year."""
    ds = content.load_dataset("china_ai_plan_targets").filter(series="target", measure="core_ai_industry")
    return {int(r["year"]): float(r["value"]) for r in ds.rows}


def mgi() -> dict[str, float]:
    """McKinsey's 2018 headline figures, by measure."""
    return {r["measure"]: float(r["value"]) for r in content.load_dataset("economics_mgi_estimate").rows}


def private_investment(year: int) -> dict[str, float]:
    """Private AI investment in billions of US dollars, by country, for one year."""
    ds = content.load_dataset("private_ai_investment").filter(year=year)
    return {r["country"]: float(r["value"]) for r in ds.rows}


# ----------------------------------------------------------------------------------- arithmetic


def to_usd_bn(rmb_bn: float, rmb_per_usd: float) -> float:
    """Yuan to dollars: divide by the number of yuan that one dollar buys."""
    return rmb_bn / rmb_per_usd


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate, in percent, that takes `start` to `end` in `years` years."""
    return ((end / start) ** (1 / years) - 1) * 100


def compound_pct(rate_pct: float, years: float) -> float:
    """Total growth, in percent, from `rate_pct` a year compounded over `years` years."""
    return ((1 + rate_pct / 100) ** years - 1) * 100


def rate_for_total_pct(total_pct: float, years: float) -> float:
    """The annual rate, in percent, that compounds to `total_pct` over `years` years."""
    return ((1 + total_pct / 100) ** (1 / years) - 1) * 100


def _bn(x: float) -> str:
    return f"{x:,.1f}"


# ----------------------------------------------------------------------------------- charts


def target_path(year: float) -> float:
    """The target size (billion yuan) in any year between 2020 and 2030, assuming steady compound
    growth between the plan's steps (150 -> 400 -> 1,000 billion yuan)."""
    t = core_targets()
    steps = sorted(t)
    for a, b in zip(steps, steps[1:]):
        if a <= year <= b:
            return t[a] * (t[b] / t[a]) ** ((year - a) / (b - a))
    raise ValueError(f"{year} is outside {steps[0]}-{steps[-1]}")


def targets_figure():
    """China's core-AI-industry targets, the path they imply, and the sizes reported later.
    Returns (fig, alt, rows)."""
    from coursekit.display import charts as plots

    ds = content.load_dataset("china_ai_plan_targets")
    targets = ds.filter(series="target", measure="core_ai_industry").rows
    reported = ds.filter(series="reported").rows
    fig, ax = plots.figure()
    ax.set_axisbelow(True)
    path_years = list(range(2020, 2031))
    ax.plot(path_years, [target_path(y) for y in path_years], color=plots.PALETTE["blue"],
            linestyle="--", marker="none", label="Path implied by the targets (computed)")
    ax.plot([r["year"] for r in targets], [r["value"] for r in targets], color=plots.PALETTE["blue"],
            linestyle="none", marker="s", markersize=8, label="Target in the 2017 plan")
    offsets = {2020: (8, -4, "left"), 2025: (8, -14, "left"), 2030: (-10, 4, "right")}
    for r in targets:
        word = "over " if r["qualifier"] == "over" else ""
        dx, dy, ha = offsets.get(r["year"], (8, 0, "left"))
        ax.annotate(f"target: {word}{r['value']:,.0f}", (r["year"], r["value"]),
                    textcoords="offset points", xytext=(dx, dy), ha=ha, fontsize=9)
    who = {"core_ai_industry": "MIIT official, 'core AI industry'",
           "ai_industry_market_scale": "CAICT, 'market scale'"}
    ax.plot([r["year"] for r in reported], [r["value"] for r in reported], linestyle="none",
            marker="^", markersize=9, color=plots.PALETTE["vermillion"],
            label="Reported size (other sources and definitions)")
    rows = [{"year": r["year"], "what": "target", "billion yuan": r["value"], "qualifier": r["qualifier"],
             "sources": "; ".join(r["source_ids"])} for r in targets]
    for r in reported:
        on_path = target_path(r["year"])
        ax.annotate(f"over {r['value']:,.0f}\n({who.get(r['measure'], r['measure'])})",
                    (r["year"], r["value"]), textcoords="offset points", xytext=(8, 2), fontsize=8)
        ax.plot([r["year"], r["year"]], [on_path, r["value"]], color="#595959", linestyle=":",
                linewidth=1, marker="none")
        ax.annotate(f"path: {on_path:,.0f}", (r["year"], on_path), textcoords="offset points",
                    xytext=(6, -12), fontsize=8, color="#333333")
        rows.append({"year": r["year"], "what": f"reported ({r['measure']})", "billion yuan": r["value"],
                     "qualifier": r["qualifier"], "sources": "; ".join(r["source_ids"])})
        rows.append({"year": r["year"], "what": "path implied by the targets (computed)",
                     "billion yuan": round(on_path, 1), "qualifier": "", "sources": "S1; S2"})
    ax.set_xticks([2020, 2022, 2024, 2025, 2030])
    ax.set_xlim(2019, 2031)
    ax.set_ylim(0, 1150)
    ax.set_ylabel("billion yuan")
    ax.set_title("China's core AI industry: targets, implied path, reported sizes")
    ax.legend(loc="lower right", fontsize=8)
    p22, p24 = target_path(2022), target_path(2024)
    alt = (f"The 2017 plan's targets (150 billion yuan in 2020, 400 billion in 2025, over 1,000 billion "
           f"in 2030) imply about {p22:,.0f} billion in 2022 and {p24:,.0f} billion in 2024; the sizes "
           "reported for those years, over 500 and over 900 billion yuan, are far higher, which suggests "
           "broader definitions as much as faster growth.")
    rows.sort(key=lambda r: (r["year"], r["what"]))
    return fig, alt, rows


_KIND_STYLE = {  # hatch and colour by kind of figure; the kind is also written in each label
    "budget": ("", "blue"),
    "baseline": ("..", "grey"),
    "estimate": ("..", "green"),
    "target": ("//", "vermillion"),
    "forecast": ("xx", "purple"),
}


def russia_rows() -> list[dict[str, Any]]:
    """Russia's AI money figures (billions of rubles), each labelled with what kind of figure it is."""
    ds = content.load_dataset("russia_ai_strategy_targets")
    picks = [
        ("federal_ai_budget", 2024, "budget", "Federal AI budget, 2024"),
        ("ai_services_volume", 2022, "baseline", "AI services sold, 2022"),
        ("ai_services_volume", 2030, "target", "AI services sold a year, 2030"),
        ("ai_market_size", 2022, "estimate", "AI market, 2022"),
        ("annual_ai_spending", 2030, "target", "AI spending a year, 2030"),
        ("additional_gdp_from_ai", 2030, "forecast", "Extra GDP from AI, total to 2030"),
    ]
    out = []
    for indicator, year, series, label in picks:
        r = ds.one(indicator=indicator, year=year, series=series)
        out.append({"figure": label, "kind": series, "billion rubles": r["value"],
                    "qualifier": r["qualifier"], "sources": "; ".join(r["source_ids"])})
    return out


def russia_figure():
    """Russia's AI figures on one logarithmic scale. Returns (fig, alt, rows)."""
    from coursekit.display import charts as plots

    rows = russia_rows()
    fig, ax = plots.figure(figsize=(7.5, 3.8))
    labels = [f"{r['figure']} ({r['kind']})" for r in rows]
    for i, r in enumerate(rows):
        hatch, colour = _KIND_STYLE[r["kind"]]
        ax.barh(i, r["billion rubles"], color=plots.PALETTE[colour], hatch=hatch,
                edgecolor="#1A1A1A", linewidth=0.6)
        ax.text(r["billion rubles"] * 1.15, i, f"{r['billion rubles']:,.1f}".rstrip("0").rstrip("."),
                va="center", fontsize=9)
    ax.set_axisbelow(True)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(1, 60000)
    ax.set_xlabel("billion rubles (logarithmic scale: each step is ten times the last)")
    ax.set_title("Russia's AI figures are of different kinds")
    budget = rows[0]["billion rubles"]
    market = rows[3]["billion rubles"]
    alt = (f"Russia's federal AI budget for 2024, {budget:g} billion rubles, is under 1% of the AI "
           f"market of about {market:,.0f} billion rubles estimated for 2022 and of the 850 billion a "
           "year the 2030 target calls for; the 11,200 billion is a forecast total to 2030, not a yearly sum.")
    return fig, alt, rows


def indicators_figure():
    """Private investment, generative-AI patents and notable models side by side, with Russia's gap.
    Returns (fig, alt, rows)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from coursekit.display import charts as plots

    inv = content.load_dataset("private_ai_investment").filter(year=2024).rows
    pat = content.load_dataset("genai_patents").rows
    mod = content.load_dataset("notable_ai_models").filter(year=2024).rows
    panels = [
        ("Private AI investment, 2024\n(billion US dollars)", [(r["country"], r["value"]) for r in inv]),
        ("Generative-AI patent families,\n2014-2023 (by inventor location)", [(r["location"], r["value"]) for r in pat]),
        ("Notable AI models, 2024\n(by producer location)", [(r["region"], r["value"]) for r in mod]),
    ]
    fig, axes = plots.figure(ncols=3, figsize=(10.5, 4.2))
    rows: list[dict[str, Any]] = []
    for ax, (title, pairs) in zip(axes, panels):
        pairs = sorted(pairs, key=lambda p: -p[1]) + [("Russia", None)]
        names = [p[0] for p in pairs]
        top = max(v for _, v in pairs if v is not None)
        for i, (name, v) in enumerate(pairs):
            if v is None:
                ax.text(top * 0.02, i, "not in the source", va="center", fontsize=8, style="italic")
                continue
            ax.barh(i, v, color=plots.PALETTE["blue"])
            ax.text(v + top * 0.02, i, f"{v:,.1f}".rstrip("0").rstrip("."), va="center", fontsize=8)
            rows.append({"indicator": title.replace("\n", " "), "place": name, "value": v})
        ax.set_axisbelow(True)
        ax.set_yticks(range(len(names)), names, fontsize=8)
        ax.set_ylim(len(names) - 0.3, -0.7)
        ax.set_xlim(0, top * 1.3)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    rows.append({"indicator": "all three", "place": "Russia", "value": "not in the sources"})
    fig.subplots_adjust(wspace=0.75)
    alt = ("Who leads depends on the measure: China-based inventors filed 38,210 generative-AI patent "
           "families against 6,276 in the US, but US private AI investment was 109.1 billion dollars in "
           "2024 against China's 9.3 billion, and the US produced 40 notable models to China's 15. "
           "Russia is in none of the three sources.")
    return fig, alt, rows


# ----------------------------------------------------------------------------------- explorations


def _pair_control(target_years: tuple[int, ...], rate_years: list[int], start: tuple[int, int]):
    """Two sliders acting as one control whose `value` is (target year, exchange-rate year)."""
    import ipywidgets as widgets
    from traitlets import Tuple, observe

    class PairControl(widgets.VBox):
        value = Tuple()

        def __init__(self) -> None:
            self.target = widgets.SelectionSlider(options=list(target_years), value=start[0],
                                                  description="Target year",
                                                  style={"description_width": "initial"})
            self.rate_year = widgets.SelectionSlider(options=rate_years, value=start[1],
                                                     description="Exchange rate of year",
                                                     style={"description_width": "initial"})
            super().__init__(children=[self.target, self.rate_year])
            self.value = start
            self.target.observe(self._from_children, names="value")
            self.rate_year.observe(self._from_children, names="value")

        def _from_children(self, _change: Any) -> None:
            self.value = (self.target.value, self.rate_year.value)

        @observe("value")
        def _to_children(self, change: Any) -> None:
            t, y = change["new"]
            if self.target.value != t:
                self.target.value = t
            if self.rate_year.value != y:
                self.rate_year.value = y

    return PairControl()


def headline_result(target_year: int, rate_year: int) -> dict[str, Any]:
    """The dollar value of one of the plan's targets at one year's average exchange rate."""
    table = rates()
    target = core_targets()[int(target_year)]
    by_year = {y: to_usd_bn(target, r) for y, r in table.items()}
    return {"target_year": int(target_year), "rate_year": int(rate_year),
            "target_rmb_bn": target, "rate": table[int(rate_year)],
            "usd_bn": by_year[int(rate_year)], "by_year": by_year,
            "low_year": min(by_year, key=by_year.get), "high_year": max(by_year, key=by_year.get)}


def _headline_text(res: dict[str, Any]) -> str:
    word = "over " if res["target_year"] == 2030 else ""
    by = res["by_year"]
    return (f"Target for {res['target_year']}: {word}{res['target_rmb_bn']:,.0f} billion yuan. "
            f"At the {res['rate_year']} average rate ({res['rate']:.4f} yuan per dollar) that is "
            f"{word}{_bn(res['usd_bn'])} billion US dollars. With the other years' rates it ranges "
            f"from {_bn(by[res['low_year']])} billion ({res['low_year']}) to "
            f"{_bn(by[res['high_year']])} billion ({res['high_year']}).")


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
        ax.text(y, by[y] * 0.5, f"{by[y]:.1f}", ha="center", va="center", fontsize=9,
                color="#FFFFFF", fontweight="bold",
                bbox={"facecolor": "#1A1A1A", "edgecolor": "none", "pad": 2})
    top = max(by.values())
    if res["target_year"] == 2030:
        ax.axhline(ARTICLE_USD_BN, color="#1A1A1A", linestyle=":", linewidth=1.5)
        ax.text(years[-1] + 0.45, ARTICLE_USD_BN * 1.04, "the article: over 150 billion", fontsize=8,
                ha="right", va="bottom", bbox={"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 1})
        top = max(top, ARTICLE_USD_BN)
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(years, [f"{y}\n(chosen)" if y == res["rate_year"] else str(y) for y in years])
    ax.set_xlabel("year whose average exchange rate is used")
    ax.set_ylabel("billion US dollars")
    ax.set_title(f"The {res['target_year']} target in dollars, year by year")
    alt = (f"At the {res['rate_year']} average rate of {res['rate']:.4f} yuan per dollar the "
           f"{res['target_year']} target of {res['target_rmb_bn']:,.0f} billion yuan is "
           f"{_bn(res['usd_bn'])} billion dollars; with the 2017-2023 rates it ranges from "
           f"{_bn(min(by.values()))} to {_bn(max(by.values()))} billion dollars.")
    table = rates()
    data = [{"exchange-rate year": y, "yuan per dollar": f"{table[y]:.4f}",
             "billion US dollars": f"{by[y]:.1f}"} for y in years]
    return fig, alt, data


def headline_explorer():
    """Exploration: pick a target year and an exchange-rate year; see the dollar headline."""
    from coursekit.display.explore import Exploration

    years = sorted(rates())
    control = _pair_control(TARGET_YEARS, years, (2030, years[0]))
    return Exploration(control=control, compute=lambda v: headline_result(*v),
                       readout=_headline_text, render=_headline_render,
                       source_ids=["S1", "X0502", "X0501"], name="l05-headline")


def growth_result(rate_pct: float) -> dict[str, Any]:
    """Compounding `rate_pct` a year from 2018 to 2030, against McKinsey's stated total."""
    figures = mgi()
    rate_pct = round(float(rate_pct), 2)
    years = MGI_END - MGI_START
    stated = figures["cumulative_output_uplift_2030"]
    path = {MGI_START + k: compound_pct(rate_pct, k) for k in range(years + 1)}
    return {"rate_pct": rate_pct, "years": years, "compound_pct": path[MGI_END],
            "linear_pct": rate_pct * years, "stated_pct": stated,
            "stated_rate_pct": figures["annual_gdp_growth_contribution"],
            "rate_for_stated_pct": rate_for_total_pct(stated, years), "path": path}


def _growth_text(res: dict[str, Any]) -> str:
    return (f"{res['rate_pct']:.1f}% a year for {res['years']} years ({MGI_START}-{MGI_END}) compounds to "
            f"{res['compound_pct']:.1f}% more output (adding without compounding gives "
            f"{res['linear_pct']:.1f}%). McKinsey states about {res['stated_pct']:.0f}%; the rate "
            f"that compounds to exactly {res['stated_pct']:.0f}% is {res['rate_for_stated_pct']:.2f}% a year.")


def _growth_render(res: dict[str, Any]):
    from coursekit.display import charts as plots

    years = sorted(res["path"])
    fig, ax = plots.figure()
    ax.set_axisbelow(True)
    ax.plot(years, [res["path"][y] for y in years], marker="o", linestyle="-",
            color=plots.PALETTE["blue"], label=f"{res['rate_pct']:.1f}% a year, compounded")
    ax.plot(years, [res["rate_pct"] * (y - MGI_START) for y in years], marker="s", linestyle="--",
            color=plots.PALETTE["vermillion"], label=f"{res['rate_pct']:.1f}% a year, just added up")
    ax.axhline(res["stated_pct"], color="#1A1A1A", linestyle=":", linewidth=1.5)
    ax.text(MGI_START, res["stated_pct"] + 0.6, f"McKinsey: about {res['stated_pct']:.0f}% by {MGI_END}",
            fontsize=8)
    ax.set_ylim(0, max(32, res["compound_pct"] * 1.1))
    ax.set_xlabel("year")
    ax.set_ylabel("output above the no-AI path (%)")
    ax.set_title("Compounding a yearly rate up to 2030")
    ax.legend(loc="upper left")
    alt = (f"At {res['rate_pct']:.1f}% a year from {MGI_START} to {MGI_END}, output ends "
           f"{res['compound_pct']:.1f}% higher when compounded and {res['linear_pct']:.1f}% when simply "
           f"added, against McKinsey's stated figure of about {res['stated_pct']:.0f}%.")
    data = [{"year": y, "compounded (%)": round(res["path"][y], 2),
             "added up (%)": round(res["rate_pct"] * (y - MGI_START), 2)} for y in years]
    return fig, alt, data


def growth_explorer():
    """Exploration: an annual growth rate compounded over 2018-2030, against McKinsey's ~16%."""
    import ipywidgets as widgets

    from coursekit.display.explore import Exploration

    start = mgi()["annual_gdp_growth_contribution"]
    control = widgets.FloatSlider(value=start, min=0.4, max=2.4, step=0.1, readout_format=".1f",
                                  description="Growth a year (%)", style={"description_width": "initial"})
    return Exploration(control=control, compute=growth_result, readout=_growth_text,
                       render=_growth_render, source_ids=["S9", "S10"], name="l05-growth")


# ----------------------------------------------------------------------------------- claim ledger


class ClaimTable:
    """The claim ledger's verdicts for one lesson, as an HTML table (deterministic output)."""

    def __init__(self, lesson: str):
        self.claims = [c for c in content.load_claims().values() if c.lesson == lesson]

    def _repr_html_(self) -> str:
        e = html.escape

        def money(text: str) -> str:
            # JupyterLab typesets text between two '$' signs as maths (jupyterlab/jupyterlab#8645),
            # so the reasons, which may hold several amounts, spell the currency out. A quote keeps
            # its words exactly; each sits in its own cell with at most one '$'.
            return e(text.replace("US$", "USD ").replace("$", "USD "))

        body = "".join(
            f"<tr><td>{e(c.id)}</td><td>“{e(c.quote)}”</td><td><strong>{e(c.verdict)}</strong></td>"
            f"<td>{money(c.reason)}</td></tr>" for c in self.claims)
        from coursekit.display.charts import NO_MATH

        return (f'<table class="{NO_MATH}"><thead><tr><th scope="col">Claim</th>'
                '<th scope="col">The article says</th>'
                '<th scope="col">Verdict</th><th scope="col">Why, with sources</th></tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        return "\n".join(f"{c.id} [{c.verdict}] {c.quote}" for c in self.claims)


def claim_table(lesson: str = "05") -> ClaimTable:
    return ClaimTable(lesson)
