"""Typed answers: a number (checked with its tolerance, scale and units) and a reflection
(free text, saved and never judged)."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from coursekit.display.charts import NO_MATH
from coursekit.model.safetext import clean_text
from coursekit.progress import recorder as events
from coursekit.quizzes.numbers import describe_units, parse_number, within
from coursekit.quizzes.question import QuestionWidget
from coursekit.quizzes.records import DEFAULT_REL_TOL, SCALE_FACTOR
from coursekit.quizzes.render import (
    FEEDBACK_OPEN, NOTICE, diagnosis, diagnosis_generic, number, plain_text, render_text,
    sources_html,
)


class NumericQuestion(QuestionWidget):
    """A number typed into a text box; Enter (or the Check button) checks it."""

    def _build_control(self) -> W.Widget:
        q = self.question
        self.box = W.Text(value="", placeholder="Type a number", continuous_update=False,
                          description="Answer:", style={"description_width": "initial"},
                          layout=W.Layout(width="16em"))
        self.unit = W.HTML(html.escape(self.unit_words()))
        self.box.observe(lambda _change: self.submit(), "value")
        return W.HBox([self.box, self.unit])

    def unit_words(self) -> str:
        q = self.question
        if q.unit_label:
            return plain_text(q.unit_label)
        return "" if q.scale == "one" else ("%" if q.scale == "percent" else q.scale)

    def _instructions_html(self) -> str:
        q = self.question
        bits = ["Type a number, then press Enter."]
        if q.scale not in ("one", "percent"):
            bits.append(f"Give it in {q.scale}s (for example 12.5 means 12.5 {q.scale}).")
        if q.units:
            bits.append(f"You may add a unit: {describe_units(q.units)}.")
        return f"<p><em>{html.escape(' '.join(bits))}</em></p>"

    def current_answer(self) -> str | None:
        text = self.box.value
        return text.strip() if text and text.strip() else None

    def static_body_html(self) -> str:
        unit = self.unit_words()
        return f"<p>Answer: ________ {html.escape(unit)}</p>"

    def static_body_text(self) -> list[str]:
        unit = self.unit_words()
        return [f"  Answer: ________ {unit}".rstrip()]

    def in_scale(self, text: str) -> tuple[float | None, str]:
        """The typed value in the question's scale, or (None, message)."""
        q = self.question
        parsed = parse_number(text, q.units, allow_currency=q.currency)
        if not parsed.ok:
            return None, parsed.message
        if parsed.unit is None or parsed.unit == "percent":
            return parsed.value, ""
        return parsed.value / SCALE_FACTOR[q.scale], ""

    def _evaluate(self, answer: str | None) -> tuple[str, Any]:
        q = self.question
        if answer is None:
            return "empty", "Type a number first, then press Enter."
        value, message = self.in_scale(answer)
        if value is None:
            return "format", message
        factor = SCALE_FACTOR[q.scale]
        if within(value, q.answer, rel_tol=q.rel_tol, abs_tol=q.abs_tol):
            unit = self.unit_words()
            return "correct", f"{html.escape(number(value))} {html.escape(unit)} is right.".replace("  ", " ")
        if factor > 1 and parse_number(answer, q.units).unit is None and \
                within(value / factor, q.answer, rel_tol=q.rel_tol, abs_tol=q.abs_tol):
            return "format", (f"It looks like you typed the full number. This question asks for it "
                              f"in {q.scale}s: for example, 12.5 {q.scale} is typed as 12.5.")
        for w in q.wrongs:
            rel = w.rel_tol if (w.rel_tol is not None or w.abs_tol is not None) else q.rel_tol
            abs_ = w.abs_tol if (w.rel_tol is not None or w.abs_tol is not None) else q.abs_tol
            if w.value is not None and within(value, w.value, rel_tol=rel, abs_tol=abs_):
                return "wrong", (diagnosis(w.feedback, w.misconception, w.sources), w.misconception)
        generic = (f"{html.escape(number(value))} is not the value asked for. Check which year "
                   f"and which series you read, and the unit.")
        return "wrong", (diagnosis_generic(generic, q.misconception), q.misconception)

    def answer_html(self) -> str:
        q = self.question
        tol = f"within {number(q.abs_tol)}" if q.abs_tol is not None else \
            f"within {number(100 * (q.rel_tol if q.rel_tol is not None else DEFAULT_REL_TOL))} %"
        unit = self.unit_words()
        return f"{html.escape(number(q.answer))} {html.escape(unit)} (answers {tol} count as correct)."


class Reflection(QuestionWidget):
    """Free text, saved to the progress store (kind "reflection"), never graded."""

    check_label = "Save"

    def _build_control(self) -> W.Widget:
        # description: an accessible name (ipywidgets' hidden empty label would otherwise win
        # over the placeholder); continuous_update=False: the text reaches Python when focus
        # leaves the box, before a Save click, so a fast Save never stores half the text.
        return W.Textarea(value="", placeholder="Write a few sentences.", rows=4,
                          description="Your answer:", continuous_update=False,
                          layout=W.Layout(width="100%"))

    def _instructions_html(self) -> str:
        return "<p><em>Not graded: your answer is saved on this computer for you to look back on.</em></p>"

    def static_body_html(self) -> str:
        return "<p>(A short written reflection; not graded.)</p>"

    def static_body_text(self) -> list[str]:
        return ["  (A short written reflection; not graded.)"]

    def current_answer(self) -> str | None:
        text = self.control.value
        return text.strip() if text and text.strip() else None

    def submit(self) -> None:
        """Save the text (kind "reflection"). "✓ Saved." only once the store committed it;
        otherwise the learner reads what was not saved, why, and what to do. Never judged."""
        text = self.current_answer()
        if text is None:
            self._set_feedback(f'{FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
                               f"Write something first.</p>")
            return
        q = self.question
        if text == self._last_answer and self._last_outcome:
            outcome = self._last_outcome  # saved already: not stored twice
        else:
            outcome = events.record("reflection", q.lesson, q.full_id, answer=text, whole=True)
            if outcome:
                self.tries += 1
        self._last_answer, self._last_outcome = text, outcome
        if not outcome:
            problem = getattr(outcome, "problem", "") or "The progress store gave no answer."
            self._set_feedback(f'{FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
                               f"{html.escape(problem)}</p>", outcome)
            return
        self.status = "saved"
        shown = clean_text(text)
        if len(shown) > 300:
            shown = shown[:299] + "\u2026"
        self._set_feedback(f'{FEEDBACK_OPEN}<strong>\u2713 Saved.</strong> Not graded. '
                           f"You wrote: \u201c{html.escape(shown)}\u201d</p>", outcome)
        if q.explanation:
            self.explanation.value = (f'<div class="cq-explanation {NO_MATH}"><p><strong>One way to think about '
                                      f"it:</strong> {render_text(q.explanation)}</p>"
                                      f"{sources_html(q.sources)}</div>")

