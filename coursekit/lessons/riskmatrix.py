"""Lesson 06's risk matrix: the learner rates five risks (likelihood and impact, 1 to 5), saves
the ratings, and compares them with the course's, a judgement kept in assets/judgements.toml.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from coursekit.display.explore import Exploration
from coursekit.display.tables import Table
from coursekit.model import judgements

LESSON = "06"
RISK_ITEM = "06.risk-matrix"
LEVELS = (1, 2, 3, 4, 5)


def risks() -> tuple[judgements.Risk, ...]:
    """The five risks with the course's ratings (assets/judgements.toml)."""
    return judgements.load().risks


def compare_ratings(value: Sequence[tuple[str, int, int]]) -> dict[str, Any]:
    """Compare the learner's (risk id, likelihood, impact) ratings with the course's."""
    course = {r.id: r for r in risks()}
    order = list(course)
    rows = []
    for risk_id, likelihood, impact in value:
        c, like, imp = course[risk_id], int(likelihood), int(impact)
        rows.append({"id": risk_id, "letter": c.letter, "title": c.title, "likelihood": like,
                     "impact": imp, "score": like * imp, "course_likelihood": c.likelihood,
                     "course_impact": c.impact, "course_score": c.score, "kind": c.basis,
                     "gap": abs(like - c.likelihood) + abs(imp - c.impact)})

    def top(key: str) -> dict[str, Any]:
        return max(rows, key=lambda r: (r[key], -order.index(r["id"])))

    close = sum(1 for r in rows if abs(r["likelihood"] - r["course_likelihood"]) <= 1
                and abs(r["impact"] - r["course_impact"]) <= 1)
    return {"rows": rows, "top": top("score")["id"], "course_top": top("course_score")["id"],
            "widest": top("gap")["id"], "widest_gap": top("gap")["gap"], "close": close,
            "total_score": sum(r["score"] for r in rows)}


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
    out = []
    for i, p in enumerate(points):
        same = [j for j, q in enumerate(points) if q == p]
        angle = math.pi / 2 + 2 * math.pi * same.index(i) / len(same)
        r = radius if len(same) > 1 else 0.0
        out.append((p[0] + r * math.cos(angle), p[1] + r * math.sin(angle)))
    return out


def _draw_matrix(r: dict[str, Any]):
    from coursekit.display import charts as plots

    fig, ax = plots.figure(figsize=(6.2, 4.6))
    mine = _spread([(row["likelihood"], row["impact"]) for row in r["rows"]])
    course = _spread([(row["course_likelihood"], row["course_impact"]) for row in r["rows"]])
    for row, a, b in zip(r["rows"], mine, course):
        if (row["likelihood"], row["impact"]) != (row["course_likelihood"], row["course_impact"]):
            ax.annotate("", xy=b, xytext=a, arrowprops={"arrowstyle": "->", "color": plots.PALETTE["grey"],
                                                        "lw": 1, "shrinkA": 9, "shrinkB": 9})
    ax.scatter(*zip(*mine), s=220, marker="o", color=plots.PALETTE["blue"], edgecolor=plots.PALETTE["black"],
               label="Your rating (circle)", zorder=3)
    ax.scatter(*zip(*course), s=220, marker="s", facecolor=plots.BACKGROUND, linewidth=2, zorder=3,
               edgecolor=plots.PALETTE["vermillion"], label="Course's rating (square)")
    for row, a, b in zip(r["rows"], mine, course):
        ax.annotate(row["letter"], a, ha="center", va="center", fontsize=8, color=plots.BACKGROUND,
                    fontweight="bold", zorder=4)
        ax.annotate(row["letter"], b, ha="center", va="center", fontsize=8,
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
    top, theirs, widest = rows[r["top"]], rows[r["course_top"]], rows[r["widest"]]
    alt = (f"Risk matrix of {len(rows)} risks. Your top risk is {top['letter']} with a score of "
           f"{top['score']}; the course's top risk is {theirs['letter']} with {theirs['course_score']}. "
           f"The widest gap is on {widest['letter']}: {widest['gap']} steps in total. {r['close']} of "
           f"{len(rows)} ratings are within one step of the course's on both scales.")
    data = [{"risk": f"{row['letter']}. {row['title']}", "your likelihood": row["likelihood"],
             "your impact": row["impact"], "course likelihood": row["course_likelihood"],
             "course impact": row["course_impact"], "course's basis": row["kind"]} for row in r["rows"]]
    return fig, alt, data


def save_ratings(control: Any) -> None:
    """Store the learner's ratings in the progress record (kind "rating"), and say whether they
    were stored: "Saved" only once the store committed them."""
    import html

    from coursekit.progress import recorder as events

    saved = events.record("rating", LESSON, RISK_ITEM,
                          answer={rid: {"likelihood": a, "impact": b} for rid, a, b in control.value})
    if saved:
        control.status.value = ('<p role="status">Saved to your progress record. Compare your '
                                "ratings with the course's reasoning in the table below.</p>")
    else:
        control.status.value = (f'<p role="status">{html.escape(saved.problem)} Your ratings are '
                                "still on the sliders: try Save again.</p>")


def risk_matrix(start: int = 3) -> Exploration:
    """The risk matrix: rate five risks; save; compare with the course's ratings."""
    import html

    import ipywidgets as widgets

    from coursekit.display.a11y import live
    from coursekit.display.controls import RatingRows

    save = widgets.Button(description="Save my ratings", tooltip="Store these ratings in your progress record")
    items = [(r.id, f"<strong>{r.letter}. {html.escape(r.title)}</strong>", f"{r.letter}. {r.title}")
             for r in risks()]
    control = RatingRows(items, ("Likelihood", "Impact"), start, footer=[save, live(widgets.HTML(""))])
    control.save_button, control.status = save, control.children[-1]
    control.save = lambda: save_ratings(control)
    save.on_click(lambda _b: control.save())
    return Exploration(control=control, compute=lambda value: compare_ratings(list(value)),
                       readout=ratings_readout, render=_draw_matrix, name="l06-risks",
                       source_ids=sorted({s for r in risks() for s in r.sources}))


def ratings_table() -> Table:
    """The course's ratings and the reasons for them, as the lesson shows them."""
    rows = [{"Risk": f"{r.letter}. {r.title}", "Likelihood": r.likelihood, "Impact": r.impact,
             "Basis": r.basis, "Why": r.why} for r in risks()]
    return Table(rows, row_headers=True, caption="The course's ratings: a judgement, with the "
                 "evidence for each rating cited in its row.")
