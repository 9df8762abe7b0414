"""Row questions: items lettered A, B, ... each with a row of radio buttons, to put them in
order (positions 1st, 2nd, ...) or to sort them into categories."""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from coursekit.display import a11y

from coursekit.quizzes.question import QuestionWidget
from coursekit.quizzes.records import LETTERS, Question
from coursekit.quizzes.render import (
    DASH, diagnosis, diagnosis_generic, ordinal, plain_text, render_text,
)


class _RowsQuestion(QuestionWidget):
    """Items lettered A, B, ... each with a row of radio buttons (positions or categories)."""

    def row_texts(self) -> list[str]:
        raise NotImplementedError

    def row_options(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _build_control(self) -> W.Widget:
        self.rows: list[W.RadioButtons] = []
        boxes = []
        for letter, text in zip(LETTERS, self.row_texts()):
            label = W.HTML(f"<strong>{letter}.</strong> {render_text(text)}")
            # No tooltip: the group takes its name from the row's label just above it ("A. ...").
            radios = W.RadioButtons(options=self.row_options(), value=None, orientation="horizontal",
                                    layout=W.Layout(width="auto"))
            self.rows.append(radios)
            boxes.append(W.VBox([label, radios], layout=W.Layout(margin="0 0 .4em 0")))
        return W.VBox(boxes)

    def static_body_html(self) -> str:
        lines = "<br>".join(f"{letter}. {render_text(t)}" for letter, t in zip(LETTERS, self.row_texts()))
        return f"<p>{lines}</p>"

    def static_body_text(self) -> list[str]:
        return [f"  {letter}. {plain_text(t)}" for letter, t in zip(LETTERS, self.row_texts())]


class OrderQuestion(_RowsQuestion):
    """Put items in order: give each item its position (1st, 2nd, ...) with radio buttons.

    Rows are shown in the bank's `start` order; `row_items[i]` is the item number (its position in
    the correct order, from 1) shown in row i. A live line shows the order chosen so far."""

    def __init__(self, question: Question, **kwargs: Any):
        self.row_items = list(question.start)
        super().__init__(question, **kwargs)
        self.order_view = a11y.live(W.HTML(self._order_html()))
        for radios in self.rows:
            radios.observe(lambda _change: setattr(self.order_view, "value", self._order_html()), "value")
        self.children = [self.prompt, self.control, self.order_view, self.check, self.feedback,
                         self.explanation]

    def row_texts(self) -> list[str]:
        return [self.question.items[k - 1] for k in self.row_items]

    def row_options(self) -> list[tuple[str, int]]:
        n = len(self.question.items)
        return [(ordinal(i), i) for i in range(1, n + 1)]

    def _instructions_html(self) -> str:
        return ("<p><em>Give each item its place in the order: Tab to a position (1st, 2nd, ...) "
                "and press Space.</em></p>")

    def _order_html(self) -> str:
        n = len(self.row_items)
        slots = []
        for pos in range(1, n + 1):
            letters = [LETTERS[i] for i, r in enumerate(self.rows) if r.value == pos]
            slots.append(f"{pos}. " + ("/".join(letters) if letters else DASH))
        shown = html.escape(" \u00b7 ".join(slots))
        return f'<p class="cq-order">Your order so far: {shown}</p>'

    def current_answer(self) -> tuple[int | None, ...] | None:
        positions = tuple(r.value for r in self.rows)
        return None if all(p is None for p in positions) else positions

    def learner_order(self, positions: tuple[int, ...]) -> tuple[int, ...]:
        """Item numbers (1 = first in the correct order) in the order the learner chose."""
        by_pos = {pos: self.row_items[i] for i, pos in enumerate(positions)}
        return tuple(by_pos[p] for p in sorted(by_pos))

    def _record_answer(self, answer: tuple[int, ...]) -> list[int]:
        return list(self.learner_order(answer))

    def _evaluate(self, answer: tuple[int | None, ...] | None) -> tuple[str, Any]:
        if answer is None:
            return "empty", "Give each item a position first (Tab to 1st, 2nd, ... and press Space)."
        missing = [LETTERS[i] for i, p in enumerate(answer) if p is None]
        if missing:
            return "format", f"Give every item a position: {', '.join(missing)} still need one."
        dupes = sorted({p for p in answer if answer.count(p) > 1})
        if dupes:
            used = ", ".join(ordinal(p) for p in dupes)
            return "format", f"Each position can be used only once: {used} is given to more than one item."
        order = self.learner_order(answer)
        n = len(order)
        if order == tuple(range(1, n + 1)):
            return "correct", "All in the right order."
        q = self.question
        for w in q.wrongs:
            if w.order == order:
                return "wrong", (diagnosis(w.feedback, w.misconception, w.sources), w.misconception)
        right = sum(1 for i, k in enumerate(order, start=1) if i == k)
        generic = f"{right} of {n} items are in the right place."
        return "wrong", (diagnosis_generic(generic, q.misconception), q.misconception)

    def answer_html(self) -> str:
        letter_of = {k: LETTERS[i] for i, k in enumerate(self.row_items)}
        return " \u2192 ".join(f"{letter_of[k]}. {render_text(t)}"
                               for k, t in enumerate(self.question.items, start=1))


class CategoriesQuestion(_RowsQuestion):
    """Sort items into categories: one row of radio buttons (the categories) per item."""

    def row_texts(self) -> list[str]:
        return [it.text for it in self.question.sort_items]

    def row_options(self) -> list[tuple[str, str]]:
        return [(plain_text(c), c) for c in self.question.categories]

    def _instructions_html(self) -> str:
        cats = ", ".join(plain_text(c) for c in self.question.categories)
        return (f"<p><em>Choose a category for each item ({html.escape(cats)}): Tab to it and press "
                f"Space.</em></p>")

    def static_body_html(self) -> str:
        cats = " / ".join(render_text(c) for c in self.question.categories)
        return f"<p>Categories: {cats}</p>" + super().static_body_html()

    def static_body_text(self) -> list[str]:
        cats = " / ".join(plain_text(c) for c in self.question.categories)
        return [f"  Categories: {cats}", *super().static_body_text()]

    def current_answer(self) -> tuple[str | None, ...] | None:
        chosen = tuple(r.value for r in self.rows)
        return None if all(c is None for c in chosen) else chosen

    def _record_answer(self, answer: tuple[str, ...]) -> dict[str, str]:
        return {LETTERS[i]: c for i, c in enumerate(answer)}

    def _evaluate(self, answer: tuple[str | None, ...] | None) -> tuple[str, Any]:
        if answer is None:
            return "empty", "Choose a category for each item first (Tab to it and press Space)."
        missing = [LETTERS[i] for i, c in enumerate(answer) if c is None]
        if missing:
            return "format", f"Choose a category for every item: {', '.join(missing)} still need one."
        items = self.question.sort_items
        wrong = [it for it, c in zip(items, answer) if c != it.category]
        if not wrong:
            return "correct", "Every item is in the right category."
        n = len(items)
        parts = [f"{n - len(wrong)} of {n} items are in the right category."]
        parts += [f"<br><strong>{it.letter}:</strong> " + diagnosis(it.feedback, it.misconception, it.sources)
                  for it in wrong]
        return "wrong", (" ".join(parts), wrong[0].misconception)

    def answer_html(self) -> str:
        return "; ".join(f"{it.letter} \u2192 {render_text(it.category)}" for it in self.question.sort_items)

