"""Lesson 01 (reading the article): the claim ledger as a table, the argument-map explorer, and the
small computations behind the two worked traces.

The lesson calls:
    l01.ledger_table()        every claim in assets/claims.toml, grouped by theme and lesson
    l01.argument_map().show() pick a claim; see its type, theme, lesson and (once judged) verdict
and the exercise set uses `yuan_per_dollar()` and `to_usd_bn()`.

No spoilers: lesson 01 comes before the lessons that judge most claims, so everything here is
shown "as seen from" a lesson (`seen_from`, default "01"). A claim judged in a later lesson shows
"judged in lesson NN" in place of its verdict, and its reason is left out; the claims this lesson
judges show theirs. `seen_from=None` shows the completed ledger (lesson 07 has its own views).

Everything is computed from the shipped files (claims.toml, sources.toml, data/*.csv), so a test can
move the explorer's control and assert that a value computed from the data changes. matplotlib and
ipywidgets are imported only inside the functions that draw (keep `import coursekit` cheap).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Iterable

from coursekit.model import content
from coursekit.display.charts import NO_MATH
from coursekit.display.explore import Exploration

LESSON = "01"

TYPE_NAMES: dict[str, str] = {
    "fact": "fact",
    "statistic": "statistic",
    "forecast": "forecast",
    "causal": "causal claim",
    "value": "value judgement",
}
THEME_NAMES: dict[str, str] = {
    "sanctions": "Sanctions and export controls",
    "partnership": "The Russia–China partnership",
    "governance": "AI governance and regulation",
    "economics": "Economics",
    "risks": "Risks",
    "framing": "Framing: the article's own judgements",
}
LESSON_NAMES: dict[str, str] = {
    "01": "01 Reading the article",
    "02": "02 Sanctions",
    "03": "03 The partnership",
    "04": "04 Governance",
    "05": "05 Economics",
    "06": "06 Risks",
    "07": "07 Synthesis",
}
THEME_SHORT: dict[str, str] = {
    "sanctions": "sanctions",
    "partnership": "the partnership",
    "governance": "governance",
    "economics": "economics",
    "risks": "risks",
    "framing": "the article's framing",
}
QUALITIES = ("strong", "fair", "weak")
NO_SOURCES = "none listed yet"


# --------------------------------------------------------------------------------------------
# The ledger as rows and as a table
# --------------------------------------------------------------------------------------------
def claims() -> dict[str, content.Claim]:
    """The claim ledger, keyed by id, in id order."""
    ledger = content.load_claims()
    return {cid: ledger[cid] for cid in sorted(ledger)}


def _theme_rank(theme: str) -> int:
    order = list(content.THEMES)
    return order.index(theme) if theme in order else len(order)


def judged_later(c: content.Claim, seen_from: str | None = LESSON) -> bool:
    """True when claim `c` is judged in a lesson after `seen_from` (None: nothing is later)."""
    return seen_from is not None and c.lesson > seen_from


def shown_verdict(c: content.Claim, seen_from: str | None = LESSON) -> str:
    """The verdict as a learner in lesson `seen_from` may see it."""
    return f"judged in lesson {c.lesson}" if judged_later(c, seen_from) else c.verdict


def ledger_rows(ledger: dict[str, content.Claim] | None = None, *,
                seen_from: str | None = LESSON) -> list[dict[str, str]]:
    """One dict a claim, sorted by theme (in the ledger's theme order), then lesson, then id.
    "verdict" is the claim's verdict, or "judged in lesson NN" for a later lesson's claim."""
    ledger = claims() if ledger is None else ledger
    rows = [{"claim": c.id, "theme": c.theme, "lesson": c.lesson, "type": c.type,
             "verdict": shown_verdict(c, seen_from), "quote": c.quote} for c in ledger.values()]
    return sorted(rows, key=lambda r: (_theme_rank(r["theme"]), r["lesson"], r["claim"]))


def type_counts(ledger: dict[str, content.Claim] | None = None) -> dict[str, int]:
    """How many claims of each type the ledger holds (every type listed, zeros included)."""
    ledger = claims() if ledger is None else ledger
    counts = {t: 0 for t in content.CLAIM_TYPES}
    for c in ledger.values():
        counts[c.type] = counts.get(c.type, 0) + 1
    return counts


def theme_lesson_map(ledger: dict[str, content.Claim] | None = None) -> dict[str, dict[str, list[str]]]:
    """theme -> lesson -> claim ids: where each claim of the article is examined."""
    ledger = claims() if ledger is None else ledger
    out: dict[str, dict[str, list[str]]] = {}
    for r in ledger_rows(ledger):
        out.setdefault(r["theme"], {}).setdefault(r["lesson"], []).append(r["claim"])
    return out


@dataclass
class LedgerTable:
    """Display object: a theme-by-lesson map of the claims, then one table a theme.

    Renders as deterministic HTML in notebooks (safe to store) and as text elsewhere."""

    rows: list[dict[str, str]]

    def _map_html(self) -> str:
        e = html.escape
        themes = [t for t in content.THEMES if any(r["theme"] == t for r in self.rows)]
        lessons = sorted({r["lesson"] for r in self.rows})
        head = "".join(f'<th scope="col">{e(LESSON_NAMES.get(ls, ls))}</th>' for ls in lessons)
        body = []
        for t in themes:
            cells = []
            for ls in lessons:
                ids = [r["claim"] for r in self.rows if r["theme"] == t and r["lesson"] == ls]
                cells.append(f'<td style="text-align:left">{e(", ".join(ids))}</td>')
            body.append(f'<tr><th scope="row">{e(THEME_NAMES.get(t, t))}</th>{"".join(cells)}</tr>')
        return ('<table class="ck-ledger-map" style="text-align:left"><caption>Where each claim is examined: theme (rows) '
                'by lesson (columns)</caption><thead><tr><th scope="col">Theme</th>'
                f'{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')

    def _theme_html(self, theme: str) -> str:
        e = html.escape
        rows = [r for r in self.rows if r["theme"] == theme]
        body = "".join(
            f'<tr><th scope="row">{e(r["claim"])}</th><td style="text-align:left">“{e(r["quote"])}”</td>'
            f'<td>{e(TYPE_NAMES.get(r["type"], r["type"]))}</td>'
            f'<td>{e(LESSON_NAMES.get(r["lesson"], r["lesson"]))}</td><td>{e(r["verdict"])}</td></tr>'
            for r in rows)
        n = len(rows)
        return (f'<table class="ck-ledger" style="text-align:left"><caption>{e(THEME_NAMES.get(theme, theme))}: {n} '
                f'claim{"s" if n != 1 else ""}</caption><thead><tr><th scope="col">Claim</th>'
                '<th scope="col">Words quoted from the article</th><th scope="col">Type</th>'
                '<th scope="col">Judged in lesson</th><th scope="col">Verdict</th></tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _repr_html_(self) -> str:
        themes = [t for t in content.THEMES if any(r["theme"] == t for r in self.rows)]
        parts = [self._map_html()] + [self._theme_html(t) for t in themes]
        return f'<div class="ck-ledger-tables {NO_MATH}">' + "\n".join(parts) + "</div>"

    def __repr__(self) -> str:
        lines = []
        for t in [t for t in content.THEMES if any(r["theme"] == t for r in self.rows)]:
            lines.append(THEME_NAMES.get(t, t))
            for r in (r for r in self.rows if r["theme"] == t):
                lines.append(f"  {r['claim']}  {TYPE_NAMES.get(r['type'], r['type']):<15} "
                             f"lesson {r['lesson']}  {r['verdict']}")
        return "\n".join(lines)


def ledger_table(*, seen_from: str | None = LESSON) -> LedgerTable:
    """The whole claim ledger, grouped by theme and by the lesson that judges each claim; the
    verdicts of later lessons' claims read "judged in lesson NN"."""
    return LedgerTable(ledger_rows(seen_from=seen_from))


# --------------------------------------------------------------------------------------------
# The argument-map explorer
# --------------------------------------------------------------------------------------------
def claim_summary(claim_id: str, ledger: dict[str, content.Claim] | None = None,
                  sources: dict[str, content.Source] | None = None, *,
                  seen_from: str | None = LESSON) -> dict[str, Any]:
    """Everything the explorer shows about one claim, computed from claims.toml and sources.toml:
    its type, theme and lesson; its verdict and reason once judged (and not by a lesson after
    `seen_from`); and a profile of the sources it cites (how many, of what quality, how many
    primary, how many state media)."""
    ledger = claims() if ledger is None else ledger
    sources = content.load_sources() if sources is None else sources
    c = ledger[claim_id]
    cited = [sources[s] for s in c.evidence if s in sources]
    by_quality = {q: sum(1 for s in cited if s.quality == q) for q in QUALITIES}
    later = judged_later(c, seen_from)
    return {
        "claim": c.id,
        "quote": c.quote,
        "type": c.type,
        "type_name": TYPE_NAMES.get(c.type, c.type),
        "theme": c.theme,
        "theme_name": THEME_NAMES.get(c.theme, c.theme),
        "lesson": c.lesson,
        "lesson_name": LESSON_NAMES.get(c.lesson, c.lesson),
        "verdict": shown_verdict(c, seen_from),
        "judged": not later and c.verdict != "pending",
        "later": later,
        "reason": "" if later else c.reason,
        "evidence": list(c.evidence),
        "n_sources": len(cited),
        "by_quality": by_quality,
        "n_primary": sum(1 for s in cited if s.kind == "primary"),
        "n_state_media": sum(1 for s in cited if s.publisher_type == "state media"),
        "n_relays": sum(1 for s in cited if s.relay_of),
        "as_of": c.as_of,
    }


def claim_readout(r: dict[str, Any]) -> str:
    """One line for screen readers and sighted readers alike."""
    where = f"{r['claim']} is a {r['type_name']} about {THEME_SHORT.get(r['theme'], r['theme'])}, examined in lesson {r['lesson']}."
    if r.get("later"):
        verdict = f" Its verdict comes in lesson {r['lesson']}."
    elif r["judged"]:
        verdict = f" Verdict: {r['verdict']} (as of {r['as_of']})."
    else:
        verdict = f" Verdict: pending until lesson {r['lesson']} judges it."
    q = r["by_quality"]
    sources = (f" It cites {r['n_sources']} source{'s' if r['n_sources'] != 1 else ''}: "
               f"{q['strong']} strong, {q['fair']} fair, {q['weak']} weak; "
               f"{r['n_primary']} primary, {r['n_state_media']} state media.")
    return where + verdict + sources


def claim_details_html(r: dict[str, Any]) -> str:
    """The quote, and the reason and evidence once the claim is judged (escaped HTML)."""
    e = html.escape
    parts = [f"<p><strong>{e(r['claim'])}</strong>: “{e(r['quote'])}” (the article)</p>"]
    if r.get("later"):
        parts.append(f"<p><strong>Judged in lesson {e(r['lesson'])}.</strong> That lesson weighs "
                     "the evidence and gives the verdict and its reason; until then, ask what "
                     "kind of source could settle it.</p>")
        label = "Sources to weigh"
    elif r["judged"]:
        parts.append(f"<p><strong>Verdict: {e(r['verdict'])}.</strong> {e(r['reason'])}</p>")
        label = "Evidence"
    else:
        parts.append(f"<p><strong>Not judged yet.</strong> Lesson {e(r['lesson'])} weighs it. "
                     f"What to weigh: {e(r['reason'])}</p>")
        label = "Sources to weigh"
    if r["evidence"]:
        parts.append(f"<p>{label}: {e(', '.join(r['evidence']))} (see the course bibliography, "
                     "assets/sources.toml).</p>")
    return "".join(parts)


def evidence_chart(r: dict[str, Any]):
    """(fig, alt, data): the claim's cited sources by quality, with direct labels and hatching so
    that colour never carries the meaning alone."""
    from coursekit.display import charts as plots

    q = r["by_quality"]
    counts = [q[k] for k in QUALITIES]
    fig, ax = plots.figure(figsize=(6.4, 2.6))
    colours = [plots.PALETTE["blue"], plots.PALETTE["green"], plots.PALETTE["vermillion"]]
    bars = ax.barh(list(QUALITIES), counts, color=colours, hatch=None, edgecolor="#1A1A1A")
    for bar, hatch in zip(bars, plots.HATCHES):
        bar.set_hatch(hatch)
    for y, n in enumerate(counts):
        ax.text(n + 0.1, y, f"{n} source{'s' if n != 1 else ''}", va="center")
    ax.invert_yaxis()
    ax.set_xlim(0, max(counts + [1]) + 2)
    ax.set_xlabel("number of cited sources")
    ax.set_title(f"Sources cited for claim {r['claim']}, by quality")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)
    n, p, sm = r["n_sources"], r["n_primary"], r["n_state_media"]
    alt = (f"Claim {r['claim']} cites {n} source{'s' if n != 1 else ''}: {q['strong']} strong, "
           f"{q['fair']} fair and {q['weak']} weak; {p} {'is' if p == 1 else 'are'} primary and "
           f"{sm} {'is' if sm == 1 else 'are'} state media.")
    data = [{"quality": k, "sources": q[k]} for k in QUALITIES]
    return fig, alt, data


class ClaimExplorer(Exploration):
    """The argument-map explorer: a drop-down of claims, a live one-line readout, the claim's
    details (quote, verdict, reason, evidence) and a chart of the sources it cites.

    The chart's source line names the chosen claim's own evidence, so it changes with the claim."""

    def __init__(self, control, ledger: dict[str, content.Claim], sources: dict[str, content.Source],
                 *, seen_from: str | None = LESSON):
        import ipywidgets as widgets

        self.ledger = ledger
        self.sources = sources
        self.seen_from = seen_from
        super().__init__(control, compute=lambda cid: claim_summary(cid, ledger, sources,
                                                                    seen_from=seen_from),
                         readout=claim_readout, render=evidence_chart,
                         source_ids=[], name="l01-argument-map")
        self.details = widgets.HTML(claim_details_html(self.result))
        control.observe(self._details_changed, names="value")

    def _details_changed(self, _change: dict[str, Any]) -> None:
        self.details.value = claim_details_html(self.result)

    def _draw(self, update: bool) -> None:
        # The source line names the chosen claim's own evidence (or says that none is listed).
        self.source_ids = list(self.result["evidence"]) or [NO_SOURCES]
        super()._draw(update)

    def show(self) -> None:
        from IPython.display import display

        import ipywidgets as widgets

        from coursekit.display.explore import _StaticBox

        box = widgets.VBox([self.control, self.readout, self.details])
        static = _StaticBox(box, self.readout_fn(self.result))
        display(_DetailedStatic(static, claim_details_html(self.result)))
        self._draw(update=False)
        self._shown = True


class _DetailedStatic:
    """Adds the claim's details to the static fallback of the explorer's widget box."""

    def __init__(self, inner, details_html: str):
        self.inner = inner
        self.details_html = details_html

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = self.inner._repr_mimebundle_(**kwargs)
        data["text/html"] = data["text/html"] + self.details_html
        return data


def claim_label(c: content.Claim, seen_from: str | None = LESSON) -> str:
    if judged_later(c, seen_from):
        return f"{c.id} · {TYPE_NAMES.get(c.type, c.type)} · {c.theme} · judged in lesson {c.lesson}"
    return f"{c.id} · {TYPE_NAMES.get(c.type, c.type)} · {c.theme} · lesson {c.lesson} · {c.verdict}"


def argument_map(start: str = "C08", *, seen_from: str | None = LESSON) -> ClaimExplorer:
    """The explorer, starting at claim `start` (C08, a value judgement this lesson judges)."""
    import ipywidgets as widgets

    ledger = claims()
    sources = content.load_sources()
    options = [(claim_label(c, seen_from), c.id) for c in ledger.values()]
    value = start if start in ledger else options[0][1]
    control = widgets.Dropdown(options=options, value=value, description="Claim:",
                               layout={"width": "max-content"},
                               style={"description_width": "initial"})
    return ClaimExplorer(control, ledger, sources, seen_from=seen_from)


# --------------------------------------------------------------------------------------------
# Worked trace 1: the "$150 billion"
# --------------------------------------------------------------------------------------------
def yuan_per_dollar(plan: content.Dataset | None = None) -> float:
    """The exchange rate implied by People's Daily's 2017 conversion of the plan's 2030 target:
    1,000 billion yuan = 147.9 billion US dollars, so about 6.76 yuan to the dollar."""
    plan = content.load_dataset("china_ai_plan_targets") if plan is None else plan
    rmb = plan.value(year=2030, series="target", measure="core_ai_industry")
    usd = plan.value(year=2030, series="target", measure="core_ai_industry_in_usd")
    return rmb / usd


def to_usd_bn(rmb_bn: float, rate: float) -> float:
    """Billions of yuan to billions of US dollars at `rate` yuan per dollar."""
    return rmb_bn / rate


def table_rows(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> list[dict[str, Any]]:
    """Rows for a chart's data table: the chosen columns, with source ids joined by '; '."""
    cols = list(columns)
    out = []
    for r in rows:
        row = {}
        for c in cols:
            v = r.get(c)
            row[c] = "; ".join(v) if isinstance(v, tuple) else v
        out.append(row)
    return out
