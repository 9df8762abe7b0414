"""Choice questions: single choice (radio buttons) and multiple select (check boxes)."""
from __future__ import annotations

from typing import Any

import ipywidgets as W

from coursekit.quizzes.question import QuestionWidget
from coursekit.quizzes.render import diagnosis, plain_text, render_text


class _ChoiceQuestion(QuestionWidget):
    def _choice_label(self, c) -> str:
        return f"{c.letter}. {plain_text(c.text)}"

    def static_body_html(self) -> str:
        lines = "<br>".join(f"{c.letter}. {render_text(c.text)}" for c in self.question.choices)
        return f"<p>{lines}</p>"

    def static_body_text(self) -> list[str]:
        return [f"  {c.letter}. {plain_text(c.text)}" for c in self.question.choices]

    def _correct_feedback(self, chosen) -> str:
        return " ".join(diagnosis(c.feedback, "", c.sources) for c in chosen)


class SingleChoice(_ChoiceQuestion):
    """One correct choice; radio buttons (Tab to a choice, Space to pick it)."""

    def _build_control(self) -> W.Widget:
        control = W.RadioButtons(options=[(self._choice_label(c), c.letter) for c in self.question.choices],
                                 value=None, layout=W.Layout(width="auto"))
        return control

    def current_answer(self) -> str | None:
        return self.control.value

    def _evaluate(self, answer: str | None) -> tuple[str, Any]:
        if answer is None:
            return "empty", "Choose an answer first (Tab to a choice, then press Space)."
        choice = next(c for c in self.question.choices if c.letter == answer)
        if choice.correct:
            return "correct", self._correct_feedback([choice])
        return "wrong", (diagnosis(choice.feedback, choice.misconception, choice.sources),
                         choice.misconception)

    def answer_html(self) -> str:
        c = next(c for c in self.question.choices if c.correct)
        return f"{c.letter}. {render_text(c.text)}"


class MultipleSelect(_ChoiceQuestion):
    """Any number of correct choices; one check box each (Tab, then Space)."""

    def _build_control(self) -> W.Widget:
        self.boxes = [W.Checkbox(value=False, description=self._choice_label(c), indent=False,
                                 layout=W.Layout(width="auto")) for c in self.question.choices]
        return W.VBox(self.boxes)

    def _instructions_html(self) -> str:
        return "<p><em>Select every choice that applies.</em></p>"

    def current_answer(self) -> tuple[str, ...] | None:
        chosen = tuple(c.letter for c, box in zip(self.question.choices, self.boxes) if box.value)
        return chosen or None

    def _record_answer(self, answer: tuple[str, ...]) -> list[str]:
        return list(answer)

    def _evaluate(self, answer: tuple[str, ...] | None) -> tuple[str, Any]:
        if not answer:
            return "empty", "Select at least one choice first (Tab to a box, then press Space)."
        chosen = [c for c in self.question.choices if c.letter in answer]
        wrong = [c for c in chosen if not c.correct]
        missing = [c for c in self.question.choices if c.correct and c.letter not in answer]
        if not wrong and not missing:
            return "correct", self._correct_feedback(chosen)
        parts = [f"<br><strong>{c.letter}:</strong> " + diagnosis(c.feedback, c.misconception, c.sources)
                 for c in wrong]
        if missing:
            n = len([c for c in chosen if c.correct])
            if n:
                verb = "is" if n == 1 else "are"
                note = (f"{n} of your choices {verb} right, but at least one correct choice is "
                        f"not selected yet.")
            else:
                note = "None of the correct choices is selected yet."
            parts.insert(0, note)
        return "wrong", (" ".join(parts), wrong[0].misconception if wrong else "")

    def answer_html(self) -> str:
        right = [c for c in self.question.choices if c.correct]
        return "; ".join(f"{c.letter}. {render_text(c.text)}" for c in right)

