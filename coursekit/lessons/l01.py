"""Lesson 01 (reading the article): the claim ledger as lesson 01 sees it, the argument-map
explorer, and the exchange rate behind the first worked trace.

    l01.ledger_table()        every claim, grouped by theme and by the lesson that judges it
    l01.argument_map().show() pick a claim; see its type, theme, lesson and (once judged) verdict
    l01.yuan_per_dollar()     the rate implied by People's Daily's conversion of the 2030 target

No spoilers: lesson 01 comes before the lessons that judge most claims, so everything is shown "as
seen from" a lesson (`seen_from`, default "01"): a later lesson's claim shows "judged in lesson NN"
in place of its verdict, and its reason is left out. `seen_from=None` shows the whole ledger.
Everything is computed from claims.toml and sources.toml.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit.display import tables
from coursekit.display.explore import Exploration
from coursekit.display.tables import THEME_NAMES, TYPE_NAMES, judged_later, shown_verdict
from coursekit.model import content

LESSON = "01"
NO_SOURCES = "none listed yet"


# --------------------------------------------------------------------------------------------
# The ledger
# --------------------------------------------------------------------------------------------
def claims() -> dict[str, content.Claim]:
    """The claim ledger, keyed by id, in id order."""
    ledger = content.load_claims()
    return {cid: ledger[cid] for cid in sorted(ledger)}


def ledger_rows(ledger: dict[str, content.Claim] | None = None, *,
                seen_from: str | None = LESSON) -> list[dict[str, str]]:
    """One dict a claim, sorted by theme (in the ledger's theme order), then lesson, then id.
    "verdict" is the claim's verdict, or "judged in lesson NN" for a later lesson's claim."""
    ledger = claims() if ledger is None else ledger
    rows = [{"claim": c.id, "theme": c.theme, "lesson": c.lesson, "type": c.type,
             "verdict": shown_verdict(c, seen_from), "quote": c.quote} for c in ledger.values()]
    return sorted(rows, key=lambda r: (content.THEMES.index(r["theme"]), r["lesson"], r["claim"]))


def type_counts(ledger: dict[str, content.Claim] | None = None) -> dict[str, int]:
    """How many claims of each type the ledger holds (every type listed, zeros included)."""
    ledger = claims() if ledger is None else ledger
    counts = {t: 0 for t in content.CLAIM_TYPES}
    for c in ledger.values():
        counts[c.type] += 1
    return counts


def ledger_table(*, seen_from: str | None = LESSON) -> tables.ClaimsTable:
    """A theme-by-lesson map of every claim, then one table a theme (ledger order)."""
    ledger = claims()
    order = [r["claim"] for r in ledger_rows(ledger, seen_from=seen_from)]
    return tables.claims_table(only=order, claims=ledger, seen_from=seen_from, by_theme=True,
                               with_map=True, columns=("claim", "quote", "type", "lesson", "verdict"))


# --------------------------------------------------------------------------------------------
# The argument-map explorer
# --------------------------------------------------------------------------------------------
def _theme_phrase(theme: str) -> str:
    name = THEME_NAMES.get(theme, theme).split(":")[0]
    return name if name.startswith("AI") else name[0].lower() + name[1:]


def claim_summary(claim_id: str, ledger: dict[str, content.Claim] | None = None,
                  sources: dict[str, content.Source] | None = None, *,
                  seen_from: str | None = LESSON) -> dict[str, Any]:
    """Everything the explorer shows about one claim: its type, theme and lesson; its verdict and
    reason once judged (and not by a lesson after `seen_from`); and a profile of the sources it
    cites (how many, of what quality, how many primary, how many state media)."""
    ledger = claims() if ledger is None else ledger
    sources = content.load_sources() if sources is None else sources
    c = ledger[claim_id]
    cited = [sources[s] for s in c.evidence if s in sources]
    later = judged_later(c, seen_from)
    return {
        "claim": c.id, "quote": c.quote, "type": c.type, "type_name": TYPE_NAMES[c.type],
        "theme": c.theme, "theme_name": THEME_NAMES[c.theme], "lesson": c.lesson,
        "lesson_name": tables.lesson_name(c.lesson), "verdict": shown_verdict(c, seen_from),
        "judged": not later and c.verdict != "pending", "later": later,
        "reason": "" if later else c.reason, "evidence": list(c.evidence), "as_of": c.as_of,
        "n_sources": len(cited),
        "by_quality": {q: sum(1 for s in cited if s.quality == q) for q in content.QUALITIES},
        "n_primary": sum(1 for s in cited if s.kind == "primary"),
        "n_state_media": sum(1 for s in cited if s.publisher_type == "state media"),
        "n_relays": sum(1 for s in cited if s.relay_of),
    }


def claim_readout(r: dict[str, Any]) -> str:
    """One line for screen readers and sighted readers alike."""
    where = (f"{r['claim']} is a {r['type_name']} about {_theme_phrase(r['theme'])}, examined in "
             f"lesson {r['lesson']}.")
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
    counts = [q[k] for k in content.QUALITIES]
    fig, ax = plots.figure(figsize=(6.4, 2.6))
    colours = [plots.PALETTE["blue"], plots.PALETTE["green"], plots.PALETTE["vermillion"]]
    bars = ax.barh(list(content.QUALITIES), counts, color=colours, hatch=None, edgecolor="#1A1A1A")
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
    return fig, alt, [{"quality": k, "sources": q[k]} for k in content.QUALITIES]


class ClaimExplorer(Exploration):
    """The argument-map explorer: a drop-down of claims, a live one-line readout, the claim's
    details (quote, verdict, reason, evidence) and a chart of the sources it cites, whose source
    line names the chosen claim's own evidence."""

    def __init__(self, control, ledger: dict[str, content.Claim], sources: dict[str, content.Source],
                 *, seen_from: str | None = LESSON):
        import ipywidgets as widgets

        self.ledger, self.sources, self.seen_from = ledger, sources, seen_from
        super().__init__(control, compute=lambda cid: claim_summary(cid, ledger, sources,
                                                                    seen_from=seen_from),
                         readout=claim_readout, render=evidence_chart, name="l01-argument-map")
        self.details = widgets.HTML(claim_details_html(self.result))
        control.observe(lambda _c: setattr(self.details, "value", claim_details_html(self.result)),
                        names="value")

    def widgets(self) -> list[Any]:
        return [*super().widgets(), self.details]

    def static_html(self) -> str:
        return super().static_html() + claim_details_html(self.result)

    def _draw(self, update: bool) -> None:
        self.source_ids = list(self.result["evidence"]) or [NO_SOURCES]
        super()._draw(update)


def claim_label(c: content.Claim, seen_from: str | None = LESSON) -> str:
    where = f"judged in lesson {c.lesson}" if judged_later(c, seen_from) else f"lesson {c.lesson} · {c.verdict}"
    return f"{c.id} · {TYPE_NAMES[c.type]} · {c.theme} · {where}"


def argument_map(start: str = "C08", *, seen_from: str | None = LESSON) -> ClaimExplorer:
    """The explorer, starting at claim `start` (C08, a value judgement this lesson judges)."""
    import ipywidgets as widgets

    ledger = claims()
    options = [(claim_label(c, seen_from), c.id) for c in ledger.values()]
    control = widgets.Dropdown(options=options, value=start if start in ledger else options[0][1],
                               description="Claim:", layout={"width": "max-content"},
                               style={"description_width": "initial"})
    return ClaimExplorer(control, ledger, content.load_sources(), seen_from=seen_from)


# --------------------------------------------------------------------------------------------
# Worked trace 1: the "$150 billion"
# --------------------------------------------------------------------------------------------
def yuan_per_dollar(plan: content.Dataset | None = None) -> float:
    """The exchange rate implied by People's Daily's 2017 conversion of the plan's 2030 target
    (billions of yuan over billions of US dollars)."""
    plan = content.load_dataset("china_ai_plan_targets") if plan is None else plan
    rmb = plan.value(year=2030, series="target", measure="core_ai_industry")
    usd = plan.value(year=2030, series="target", measure="core_ai_industry_in_usd")
    return rmb / usd
