"""Quizzes with diagnostic feedback, on ipywidgets 8.

For lesson authors:

    from coursekit import quiz
    quiz("01")            # the whole bank of lesson 01, with a live score
    quiz("01", "q3")      # one question (exploration checks)

Banks are TOML files in assets/quizzes/ (format: assets/quizzes/README.md; loading and
validation: coursekit.quizzes.bank). The question widgets: coursekit.quizzes.question (what they
share), .choice (single choice, multiple select), .rows (put in order, sort into categories),
.typed (number, reflection); bank text as HTML: coursekit.quizzes.render. This module makes the
widget for a question and the Quiz of a whole bank; the names notebooks and tests use are
importable from here.

Keyboard: only controls that work with Tab, Space and Enter inside JupyterLab's command mode are
used (radio buttons, check boxes, buttons, text boxes). See "Keyboard access" in the README.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as W

from coursekit.display import a11y
from traitlets import Int

from coursekit.display.charts import NO_MATH
from coursekit.display.static import StaticViews
from coursekit.quizzes.bank import Bank, Question, load_bank, validate_all, validate_bank
from coursekit.quizzes.choice import MultipleSelect, SingleChoice
from coursekit.quizzes.question import QuestionWidget
from coursekit.quizzes.render import CORRECT, NOTICE, RUN_NOTE, WRONG, plain_text, render_text
from coursekit.quizzes.rows import CategoriesQuestion, OrderQuestion
from coursekit.quizzes.typed import NumericQuestion, Reflection

__all__ = ["quiz", "Quiz", "make_question", "SingleChoice", "MultipleSelect", "NumericQuestion",
           "OrderQuestion", "CategoriesQuestion", "Reflection", "QuestionWidget", "validate_bank",
           "validate_all", "render_text", "plain_text", "CORRECT", "WRONG", "NOTICE", "RUN_NOTE"]


_TYPES = {"single": SingleChoice, "multiple": MultipleSelect, "numeric": NumericQuestion,
          "order": OrderQuestion, "categories": CategoriesQuestion, "reflection": Reflection}


def make_question(question: Question, **kwargs: Any) -> QuestionWidget:
    """The widget for one question record."""
    return _TYPES[question.type](question, **kwargs)


# --------------------------------------------------------------------------------------------
# A whole bank
# --------------------------------------------------------------------------------------------
class Quiz(StaticViews, W.VBox):
    """A lesson's bank (plus its review items) with a live "Score: 3 of 6" summary."""

    score = Int(0)
    answered = Int(0)

    def __init__(self, bank: Bank, questions: list[Question] | None = None, *,
                 tries: int | None = None, **kwargs: Any):
        self.bank = bank
        own = list(questions) if questions is not None else list(bank.questions)
        review = [] if questions is not None else bank.review_questions()
        records = own + review
        self.review_from = len(own)
        total = len(records)
        self.questions = [make_question(q, number=i + 1, total=total, tries=tries,
                                        as_review=i >= self.review_from)
                          for i, q in enumerate(records)]
        self.graded = [w for w in self.questions if w.question.graded]
        self.header = W.HTML(self._header_html())
        self.summary = a11y.live(W.HTML(""))
        for w in self.questions:
            w.observe(self._update_score, names=["status", "tries"])
        children: list[W.Widget] = [self.header]
        for i, w in enumerate(self.questions):
            if i == self.review_from and review:
                children.append(W.HTML("<p><strong>Review from earlier lessons</strong></p>"))
            children.append(w)
        children.append(self.summary)
        super().__init__(children=children, **kwargs)
        self.add_class("cq-quiz")
        self._update_score()

    def _header_html(self) -> str:
        b = self.bank
        parts = [f"<p><strong>Check your understanding: {render_text(b.title)}</strong></p>"]
        if b.intro:
            parts.append(f"<p>{render_text(b.intro)}</p>")
        if b.objectives:
            items = "".join(f"<li>{render_text(o.text)}</li>" for o in b.objectives)
            parts.append(f"<p>These questions check that you can:</p><ul>{items}</ul>")
        return "".join(parts)

    def _score_line(self) -> str:
        n = len(self.graded)
        return f"Score: {self.score} of {n}"

    def _update_score(self, _change: Any = None) -> None:
        self.score = sum(1 for w in self.graded if w.status == "correct")
        self.answered = sum(1 for w in self.graded if w.status != "unanswered")
        n = len(self.graded)
        parts = [f'<p class="cq-score"><strong>{self._score_line()}</strong> \u00b7 '
                 f"answered: {self.answered} of {n}</p>"]
        if n and self.answered == n and all(w.finished for w in self.graded):
            todo = [w for w in self.graded if w.status != "correct"]
            if todo:
                objs: list[str] = []
                for w in todo:
                    for full in w.question.objectives:
                        o = self.bank.objective(full)
                        text = o.text if o else full
                        if text not in objs:
                            objs.append(text)
                items = "".join(f"<li>{render_text(t)}</li>" for t in objs)
                parts.append(f"<p>Done. Worth another look:</p><ul>{items}</ul>")
            else:
                parts.append("<p>Done: every question right. Well done.</p>")
        self.summary.value = "".join(parts)

    def static_html(self) -> str:
        body = "".join(w.static_html(note=False) for w in self.questions)
        n = len(self.graded)
        return (f'<div class="cq-static cq-quiz {NO_MATH}">{self._header_html()}{body}'
                f"<p><strong>Score: \u2013 of {n}</strong></p><p><em>{RUN_NOTE}</em></p></div>")

    def static_text(self) -> str:
        lines = [f"Check your understanding: {plain_text(self.bank.title)}"]
        for w in self.questions:
            lines += ["", w.static_text(note=False)]
        lines += ["", f"Score: - of {len(self.graded)}", RUN_NOTE]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------
def quiz(lesson: str | Path, item: str | None = None, *, tries: int | None = None) -> W.Widget:
    """The quiz for a lesson: `quiz("01")` or `quiz("01_reading_the_article")` gives the whole
    bank (with review items and a score); `quiz("01", "q3")` one question; an item from an
    earlier lesson's bank is named by its full id, `quiz("03", "01.q2")`.
    `tries` overrides the number of tries before the explanation is shown."""
    bank = load_bank(lesson)
    if item is None:
        return Quiz(bank, tries=tries)
    return make_question(bank.question(item), tries=tries)
