"""The learner's brief in lesson 07: its rubric and word limits (from exercise 07.6's spec), a
live word count, and saving it as a reflection, which says "Saved" only once the store committed.
"""
from __future__ import annotations

import html
from typing import Any

from coursekit.display.charts import NO_MATH
from coursekit.display.static import WithStatic
from coursekit.display.tables import Table, rubric_table

LESSON = "07"
BRIEF = "07.6"
BRIEF_ITEM = "07.brief"


def _brief() -> Any:
    from coursekit.quizzes import checks

    return checks.get_exercise(BRIEF)


def rubric() -> Table:
    """The brief's rubric, from exercise 07.6's spec."""
    return rubric_table(_brief().rubric, "A strong brief", "Rubric for the brief: each line is worth one point.")


def word_count(text: Any) -> int:
    return len(text.split()) if isinstance(text, str) else 0


def brief_status(text: str | None) -> str:
    n, low, high = word_count(text), _brief().min_words, _brief().max_words
    if n == 0:
        return f"0 words. Aim for {low} to {high}."
    if n < low:
        return f"{n} words: {low - n} more to reach {low}."
    if n > high:
        return f"{n} words: {n - high} over the limit of {high}; cut to the evidence that decides your verdict."
    return f"{n} words: within {low} to {high}."


def save_brief(text: str | None) -> str:
    """Save the brief to the progress record as a reflection (item "07.brief"); say what
    happened. Never raises: a storage problem is reported in the returned text."""
    from coursekit.progress import recorder as events

    if not isinstance(text, str) or not text.strip():
        return "Not saved: write your brief first, between the triple quotes."
    saved = events.record("reflection", LESSON, BRIEF_ITEM, answer=text.strip(), whole=True)
    if not saved:  # say so, in the store's plain words; the text stays in the learner's cell
        return f"{saved.problem} Your brief is still in this cell: keep it there and try again."
    return f"Saved to your progress record as a reflection. {brief_status(text)}"


def saved_briefs() -> list[str]:
    """The learner's saved briefs, oldest first."""
    from coursekit.progress import api as progress

    return [ev["answer"] for ev in progress.events(LESSON)
            if ev["kind"] == "reflection" and ev["item"] == BRIEF_ITEM]


def brief_editor() -> WithStatic:
    """A text area with a live word count and a Save button (saves a reflection)."""
    from coursekit.display.controls import TextEditor

    low, high = _brief().min_words, _brief().max_words
    editor = TextEditor(brief_status, save_brief, f"Write your brief here ({low} to {high} words).",
                        button="Save my brief", css=NO_MATH)
    note = f"Brief editor: run the notebook to write and save your brief ({low} to {high} words)."
    panel = WithStatic(editor, html=f"<p><em>{html.escape(note)}</em></p>", text=note)
    for part in ("textarea", "count", "save", "status"):  # the live parts, for tests and callers
        setattr(panel, part, getattr(editor, part))
    return panel
