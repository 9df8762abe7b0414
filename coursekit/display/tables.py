"""Tables the lessons show, one implementation each: a plain table of rows, and the claim ledger.

    Table(rows, columns, caption=...)       any rows of dicts, as an accessible HTML table
    claims_table(lesson="02")               the ledger's claims for a lesson (or `only=[...]`,
                                            or all), with the columns a lesson asks for
    claims_table(by_theme=True, with_map=True, seen_from="01")
                                            lesson 01's view: a theme-by-lesson map, then one
                                            table a theme; later lessons' verdicts hidden

Both render as deterministic HTML (safe to store in notebooks: JupyterLab, nbconvert and GitHub
show it without a kernel) and as plain text. Every table sits in a block that MathJax leaves alone,
so "$150bn ... $13tn" in a reason stays money, not maths.
"""
from __future__ import annotations

import html
from typing import Any, Iterable, Sequence

from coursekit.display.charts import NO_MATH

#: How the ledger's vocabularies read in a table.
TYPE_NAMES = {"fact": "fact", "statistic": "statistic", "forecast": "forecast",
              "causal": "causal claim", "value": "value judgement"}
THEME_NAMES = {"sanctions": "Sanctions and export controls",
               "partnership": "The Russia–China partnership",
               "governance": "AI governance and regulation", "economics": "Economics",
               "risks": "Risks", "framing": "Framing: the article's own judgements"}
#: Claim columns: header, and whether the cell heads its row.
CLAIM_COLUMNS = {
    "claim": "Claim", "quote": "The article says", "type": "Type", "theme": "Theme",
    "lesson": "Judged in", "verdict": "Verdict", "reason": "Why, with sources",
    "evidence": "Evidence", "details": "Reason and evidence", "as_of": "As of",
}
_LEFT = ' style="text-align:left;vertical-align:top"'


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


class Table:
    """Rows of dicts as an HTML table: a caption, header cells with scope, and optionally the
    first column as row headers. `headers` renames columns for display; `html_cells` names
    columns whose values are already HTML."""

    def __init__(self, rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *,
                 caption: str = "", row_headers: bool = False, html_cells: Iterable[str] = (),
                 headers: dict[str, str] | None = None, css: str = "ck-table"):
        self.rows = list(rows)
        self.columns = list(columns or (self.rows[0].keys() if self.rows else []))
        self.caption, self.row_headers, self.css = caption, row_headers, css
        self.html_cells = set(html_cells)
        self.headers = headers or {}

    def _cell(self, row: dict[str, Any], col: str, first: bool) -> str:
        value = row.get(col)
        text = value if col in self.html_cells else _e(value)
        tag = "th" if first and self.row_headers else "td"
        scope = ' scope="row"' if tag == "th" else ""
        return f"<{tag}{scope}{_LEFT}>{text}</{tag}>"

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col"{_LEFT}>{_e(self.headers.get(c, c))}</th>'
                       for c in self.columns)
        body = "".join("<tr>" + "".join(self._cell(r, c, i == 0) for i, c in enumerate(self.columns))
                       + "</tr>" for r in self.rows)
        caption = f"<caption>{_e(self.caption)}</caption>" if self.caption else ""
        return (f'<div class="{NO_MATH}"><table class="{self.css}">{caption}<thead><tr>{head}'
                f"</tr></thead><tbody>{body}</tbody></table></div>")

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [" | ".join(str(r.get(c, "")) for c in self.columns) for r in self.rows]
        return "\n".join(lines)


def rubric_table(lines: Sequence[str], column: str, caption: str) -> Table:
    """An exercise's rubric (lines "Criterion: what a good answer does") as a two-column table."""
    pairs = [line.split(": ", 1) for line in lines]
    return Table([{"Criterion": c, column: d[:1].upper() + d[1:]} for c, d in pairs], row_headers=True,
                 caption=caption)


# --------------------------------------------------------------------------------------------
# The claim ledger
# --------------------------------------------------------------------------------------------
def lesson_name(lesson_id: str) -> str:
    """"03 Partnership": the lesson's id and its title in course.toml."""
    from coursekit.model import course

    try:
        return f"{lesson_id} {course.lesson(lesson_id).title}"
    except (KeyError, LookupError):
        return lesson_id


def judged_later(claim: Any, seen_from: str | None) -> bool:
    """True when `claim` is judged in a lesson after `seen_from` (None: nothing is later)."""
    return seen_from is not None and claim.lesson > seen_from


def shown_verdict(claim: Any, seen_from: str | None) -> str:
    """The verdict as a learner in lesson `seen_from` may see it."""
    return f"judged in lesson {claim.lesson}" if judged_later(claim, seen_from) else claim.verdict


def _claim_cell(claim: Any, col: str, seen_from: str | None) -> str:
    later = judged_later(claim, seen_from)
    if col == "quote":
        return f"“{_e(claim.quote)}”"
    if col == "type":
        return _e(TYPE_NAMES.get(claim.type, claim.type))
    if col == "theme":
        return _e(THEME_NAMES.get(claim.theme, claim.theme))
    if col == "lesson":
        return _e(lesson_name(claim.lesson))
    if col == "verdict":
        return _e(shown_verdict(claim, seen_from)) if later else f"<strong>{_e(claim.verdict)}</strong>"
    if col == "reason":
        return "" if later else _e(claim.reason)
    if col == "evidence":
        return _e("; ".join(claim.evidence))
    if col == "details":
        return "" if later else (
            f"<details><summary>Reason ({len(claim.evidence)} sources)</summary>"
            f"<p>{_e(claim.reason)}</p><p>Evidence: {_e('; '.join(claim.evidence))}</p></details>")
    return _e(getattr(claim, "as_of" if col == "as_of" else "id"))


class ClaimsTable:
    """Claims of the ledger as one table (or a map and one table a theme, for lesson 01)."""

    def __init__(self, claims: Sequence[Any], columns: Sequence[str], *, caption: str = "",
                 seen_from: str | None = None, by_theme: bool = False, with_map: bool = False):
        unknown = [c for c in columns if c not in CLAIM_COLUMNS]
        if unknown:
            raise ValueError(f"unknown claim column(s) {unknown}; choose from {list(CLAIM_COLUMNS)}")
        self.claims, self.columns, self.caption = list(claims), list(columns), caption
        self.seen_from, self.by_theme, self.with_map = seen_from, by_theme, with_map

    def _themes(self) -> list[str]:
        from coursekit.model.content import THEMES

        return [t for t in THEMES if any(c.theme == t for c in self.claims)]

    def _table(self, claims: Sequence[Any], caption: str) -> str:
        rows = [{col: _claim_cell(c, col, self.seen_from) for col in self.columns} for c in claims]
        return Table(rows, self.columns, caption=caption, row_headers=True, html_cells=self.columns,
                     headers=CLAIM_COLUMNS, css="ck-ledger")._repr_html_()

    def _map(self) -> str:
        lessons = sorted({c.lesson for c in self.claims})
        rows = [{"Theme": _e(THEME_NAMES.get(t, t)),
                 **{lesson_name(ls): _e(", ".join(c.id for c in self.claims
                                                  if c.theme == t and c.lesson == ls))
                    for ls in lessons}} for t in self._themes()]
        return Table(rows, ["Theme"] + [lesson_name(ls) for ls in lessons], row_headers=True,
                     html_cells=["Theme"] + [lesson_name(ls) for ls in lessons], css="ck-ledger-map",
                     caption="Where each claim is examined: theme (rows) by lesson (columns)")._repr_html_()

    def _repr_html_(self) -> str:
        if not self.by_theme:
            return self._table(self.claims, self.caption)
        parts = [self._map()] if self.with_map else []
        for t in self._themes():
            mine = [c for c in self.claims if c.theme == t]
            parts.append(self._table(mine, f"{THEME_NAMES.get(t, t)}: {len(mine)} "
                                           f"claim{'s' if len(mine) != 1 else ''}"))
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = []
        for c in self.claims:
            lines.append(f"{c.id} [{shown_verdict(c, self.seen_from)}] “{c.quote}” (the article)")
            if "reason" in self.columns and not judged_later(c, self.seen_from):
                lines.append(f"    {c.reason}")
        return "\n".join(lines)


def claims_table(*, lesson: str | None = None, only: Iterable[str] | None = None,
                 columns: Sequence[str] = ("claim", "quote", "verdict", "reason"),
                 caption: str = "", seen_from: str | None = None, by_theme: bool = False,
                 with_map: bool = False, claims: dict[str, Any] | None = None) -> ClaimsTable:
    """The ledger's claims as a table: those `lesson` judges, those listed in `only` (in that
    order), or all. `seen_from` hides the verdicts and reasons of later lessons' claims."""
    from coursekit.model import content

    ledger = content.load_claims() if claims is None else claims
    if only is not None:
        chosen = [ledger[cid] for cid in only]
    else:
        chosen = [ledger[cid] for cid in sorted(ledger) if lesson is None or ledger[cid].lesson == lesson]
    return ClaimsTable(chosen, columns, caption=caption, seen_from=seen_from, by_theme=by_theme,
                       with_map=with_map)
