"""The machinery every question widget shares: prompt, control, Check button, feedback,
explanation, tries, the record of each attempt, and the static views.

Every question widget keeps its state in traits (`status`, `tries`) and in ordinary child
widgets, so tests drive it with `.value = ...` and `.click()` without a kernel. Its MIME bundle
holds the live widget view *and* a deterministic static `text/html` and `text/plain`
(coursekit.display.static): the build strips only the widget view, so stored notebooks, GitHub
and a notebook opened before its kernel runs show the question instead of "Error displaying
widget". Each type (coursekit.quizzes.choice, .rows, .typed) adds its control and its judgement.
"""
from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from coursekit.display import a11y
from traitlets import Int, Unicode

from coursekit.display.charts import NO_MATH
from coursekit.display.static import StaticViews
from coursekit.model.safetext import clean_text
from coursekit.progress import recorder as events
from coursekit.quizzes.records import Question
from coursekit.quizzes.render import (
    CORRECT, CSS, FEEDBACK_OPEN, NOTICE, RUN_NOTE, WRONG, list_words, plain_text, render_text,
    sources_html,
)


class QuestionWidget(StaticViews, W.VBox):
    """Common machinery: prompt, control, Check button, feedback, explanation, attempts."""

    #: unanswered | wrong | correct | revealed (explanation shown after the last try) | saved
    status = Unicode("unanswered")
    tries = Int(0)

    check_label = "Check answer"

    def __init__(self, question: Question, *, number: int | None = None, total: int | None = None,
                 tries: int | None = None, as_review: bool = False, **kwargs: Any):
        self.question = question
        self.as_review = as_review or question.review
        self.number = number
        self.total = total
        self.max_tries = tries or question.tries
        self._last_answer: Any = None  # the last answer judged (its repr)
        self._last_outcome: events.Outcome | None = None  # and what became of its record
        self.prompt = W.HTML(CSS + self._prompt_html())
        self.control = self._build_control()
        self.check = W.Button(description=self.check_label,
                              tooltip=f"{self.check_label} ({self.heading_text()})")
        self.check.on_click(lambda _button: self.submit())
        self.feedback = a11y.live(W.HTML(""))
        self.explanation = W.HTML("")
        super().__init__(children=[self.prompt, self.control, self.check, self.feedback,
                                   self.explanation], **kwargs)
        self.add_class("cq-question")
        self.add_class(f"cq-type-{question.type}")
        self.add_class(f"cq-item-{question.lesson}-{question.id}")

    # -- text ----------------------------------------------------------------------------------
    def heading_text(self) -> str:
        q = self.question
        if self.number is not None and self.total is not None:
            head = f"Question {self.number} of {self.total}"
        else:
            head = "Question"
        return f"{head} ({q.type_name})"

    def _prompt_html(self) -> str:
        return (f'<div class="cq-prompt {NO_MATH}"><p><strong>{html.escape(self.heading_text())}</strong>'
                f"{self._review_note()}</p><p>{render_text(self.question.prompt)}</p>"
                f"{self._instructions_html()}</div>")

    def _review_note(self) -> str:
        if not self.as_review:
            return ""
        q = self.question
        lessons = sorted({o[:2] for o in q.objectives if o[:2] != q.lesson}) if q.review else []
        lessons = lessons or [q.lesson]
        word = "lesson" if len(lessons) == 1 else "lessons"
        return f" \u00b7 review of {word} {list_words(lessons)}"

    def _instructions_html(self) -> str:
        return ""

    def static_body_html(self) -> str:
        """The lettered choices (or items) for the static rendering."""
        return ""

    def static_body_text(self) -> list[str]:
        return []

    def static_html(self, *, note: bool = True) -> str:
        """Deterministic HTML of the question (no ids, no state): what GitHub and a notebook
        opened without a kernel show."""
        run = f'<p><em>{RUN_NOTE}</em></p>' if note else ""
        return (f'<div class="cq-static {NO_MATH}">'
                f'<p><strong>{html.escape(self.heading_text())}</strong>{self._review_note()}</p>'
                f"<p>{render_text(self.question.prompt)}</p>{self.static_body_html()}{run}</div>")

    def static_text(self, *, note: bool = True) -> str:
        lines = [f"{self.heading_text()}: {plain_text(self.question.prompt)}",
                 *self.static_body_text()]
        if note:
            lines.append(RUN_NOTE)
        return "\n".join(lines)

    # -- answering -------------------------------------------------------------------------------
    def _build_control(self) -> W.Widget:
        raise NotImplementedError

    def current_answer(self) -> Any:
        """The answer as entered (for the record), or None when nothing is entered."""
        raise NotImplementedError

    def _evaluate(self, answer: Any) -> tuple[str, Any]:
        """("empty" | "format" | "correct" | "wrong", detail). Detail for wrong: (html, misconception);
        for format/empty: a message."""
        raise NotImplementedError

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def finished(self) -> bool:
        return self.status in ("correct", "revealed")

    def _set_feedback(self, body: str, outcome: events.Outcome | None = None) -> None:
        """Show feedback for the answer now entered, then anything the session has not shown
        yet: an earlier answer that was not saved, a notice from opening the store."""
        notes = "".join(f'<p class="cq-store-note {NO_MATH}" role="note">{NOTICE} '
                        f"{html.escape(clean_text(n))}</p>" for n in events.notes(outcome))
        self.feedback.value = clean_text(body) + notes

    def submit(self) -> None:
        """Check the current answer (the Check button; Enter in a number box).

        The feedback always describes the answer entered now. The same answer checked again is
        not a new try and is not recorded again, unless its earlier record failed: then saving
        it is tried again. "✓ Correct" is shown only when the attempt is in the store; if it
        could not be saved, the feedback says so first, and why, and what to do."""
        answer = self.current_answer()
        kind, detail = self._evaluate(answer)
        if kind in ("empty", "format"):
            self._set_feedback(f'{FEEDBACK_OPEN}<strong>{NOTICE} Not checked yet.</strong> '
                               f"{html.escape(detail)}</p>")
            return
        key = repr(answer)
        repeat = key == self._last_answer
        right = kind == "correct"
        if repeat and self._last_outcome:
            outcome = self._last_outcome  # the same answer, already saved: no new record
        else:
            q = self.question
            misconception = None if right else (detail[1] or None)
            outcome = events.record("attempt", q.lesson, q.full_id, correct=right,
                                    misconception=misconception,
                                    answer=self._record_answer(answer))
        self._last_answer, self._last_outcome = key, outcome
        if not repeat:
            if not self.finished:
                self.tries += 1
            if right and self.status != "revealed":
                self.status = "correct"
            elif not right and not self.finished:
                self.status = "revealed" if self.tries >= self.max_tries else "wrong"
        unsaved = "" if outcome else (
            f'{FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
            f"{html.escape(getattr(outcome, 'problem', '') or 'The progress store gave no answer.')}</p>")
        if right:
            verdict = (f"<strong>{CORRECT}.</strong> {detail}" if outcome else
                       f"Your answer is right, but it is not in your progress record yet: "
                       f"press {html.escape(self.check_label)} again once that is fixed. {detail}")
            self._set_feedback(f"{unsaved}{FEEDBACK_OPEN}{verdict}</p>", outcome)
            self._show_explanation(revealed=False)
            return
        if self.finished:
            after = "The explanation is below."
        else:
            left = self.max_tries - self.tries
            after = f"Try again ({left} {'try' if left == 1 else 'tries'} before the explanation)."
        self._set_feedback(f'{unsaved}{FEEDBACK_OPEN}<strong>{WRONG}.</strong> {detail[0]}</p>'
                           f"<p>{after}</p>", outcome)
        if self.finished:
            self._show_explanation(revealed=self.status == "revealed")

    def _record_answer(self, answer: Any) -> Any:
        return answer

    def answer_html(self) -> str:
        """The correct answer in words (shown after the last try)."""
        return ""

    def _show_explanation(self, *, revealed: bool) -> None:
        q = self.question
        parts = [f'<div class="cq-explanation {NO_MATH}">']
        if revealed:
            parts.append(f"<p><strong>Answer:</strong> {self.answer_html()}</p>")
        if q.explanation:
            parts.append(f"<p><strong>Explanation:</strong> {render_text(q.explanation)}</p>")
        src = sources_html(q.sources)
        if src:
            parts.append(f"<p>{src}</p>")
        parts.append("</div>")
        self.explanation.value = "".join(parts)

