"""Quiz questions and their answers as plain records, for slides and the printed pack.

`coursekit.quizzes.widgets` shows questions as widgets; this module gives the same questions, in the same
display order (the bank's seeded shuffle), as text for paper and slides, and the answer key:
the right answer in words and the bank's explanation. It reads banks through
`coursekit.quizzes.bank` only (standard library), so it needs no widgets.
"""
from __future__ import annotations

from dataclasses import dataclass

from coursekit.quizzes.bank import LETTERS, Question, load_bank


@dataclass(frozen=True)
class Printed:
    """One question as a reader sees it, and its key."""

    id: str            # "03.q2"
    number: int        # 1-based position in the bank
    kind: str          # the bank's type name: "single choice", ...
    prompt: str
    lines: tuple[str, ...]  # lettered options or items, in display order
    extra: str         # e.g. "Categories: supports / complicates / neutral", "Answer: ___ %"
    answer: str        # the right answer in words ("" for a reflection)
    explanation: str   # the bank's explanation, or "" if it has none

    @property
    def graded(self) -> bool:
        return self.kind != "reflection"


def _clean(text: str) -> str:
    return " ".join(str(text).replace("`", "").split())


def _number(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _unit(q: Question) -> str:
    if q.unit_label:
        return _clean(q.unit_label)
    return "" if q.scale == "one" else ("%" if q.scale == "percent" else q.scale)


def printed(q: Question, number: int) -> Printed:
    """The question `q` (the `number`-th of its bank) as text, with its key."""
    lines: list[str] = []
    extra = ""
    answer = ""
    if q.type in ("single", "multiple"):
        lines = [f"{c.letter}. {_clean(c.text)}" for c in q.choices]
        right = [c for c in q.choices if c.correct]
        answer = "; ".join(f"{c.letter}. {_clean(c.text)}" for c in right)
        if q.type == "multiple":
            extra = "Choose every option that applies."
    elif q.type == "numeric":
        unit = _unit(q)
        extra = f"Answer: ________ {unit}".rstrip()
        tol = ""
        if q.abs_tol:
            tol = f" (within {_number(q.abs_tol)})"
        elif q.rel_tol:
            tol = f" (within {q.rel_tol * 100:g}%)"
        answer = f"{_number(q.answer)} {unit}".rstrip() + tol if q.answer is not None else ""
    elif q.type == "order":
        shown = [q.items[k - 1] for k in q.start] if q.start else list(q.items)
        lines = [f"{LETTERS[i]}. {_clean(t)}" for i, t in enumerate(shown)]
        extra = "Put these in order, first to last."
        letter_of = {t: LETTERS[i] for i, t in enumerate(shown)}
        answer = ", ".join(letter_of[t] for t in q.items)
    elif q.type == "categories":
        lines = [f"{it.letter}. {_clean(it.text)}" for it in q.sort_items]
        extra = "Categories: " + " / ".join(_clean(c) for c in q.categories)
        answer = "; ".join(f"{it.letter}: {_clean(it.category)}" for it in q.sort_items)
    return Printed(id=q.full_id, number=number, kind=q.type_name, prompt=_clean(q.prompt),
                   lines=tuple(lines), extra=extra, answer=answer,
                   explanation=_clean(q.explanation))


def bank_questions(lesson: str) -> tuple[str, list[Printed]]:
    """The bank's title and its own questions (review items from other lessons left out)."""
    bank = load_bank(lesson)
    return bank.title, [printed(q, n) for n, q in enumerate(bank.questions, start=1)]


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of `text`, cut at a word boundary near `limit` characters."""
    text = " ".join(text.split())
    for end in (". ", "? ", "! "):
        at = text.find(end)
        if 0 < at < limit:
            return text[:at + 1]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"
