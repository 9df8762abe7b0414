"""Quizzes with diagnostic feedback, on ipywidgets 8.

For lesson authors:

    from coursekit import quiz
    quiz("01")            # the whole bank of lesson 01, with a live score
    quiz("01", "q3")      # one question (pretests, exploration checks)

Banks are TOML files in assets/quizzes/ (format: assets/quizzes/README.md; loading and
validation: coursekit.quizzes.bank). Every question widget keeps its state in traits (`status`,
`tries`) and in ordinary child widgets, so tests drive it with `.value = ...` and `.click()`
without a kernel.

Display: `_repr_mimebundle_` returns the live widget view *and* a deterministic static
`text/html` and `text/plain` (question text, lettered choices, "Run the notebook to answer
interactively."). The build strips only the widget view, so stored notebooks, GitHub and a
notebook opened before its kernel runs show the question instead of "Error displaying widget".

Keyboard: only controls that work with Tab, Space and Enter inside JupyterLab's command mode are
used (radio buttons, check boxes, buttons, text boxes). See "Keyboard access" in the README.

Text from banks is escaped; the only markup allowed is `code` in backticks.
"""
from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import ipywidgets as W
from traitlets import Int, Unicode

from coursekit.display import a11y
from coursekit.progress import recorder as events

from coursekit.model import paths
from coursekit.quizzes.numbers import describe_units, parse_number, within
from coursekit.display.charts import NO_MATH
from coursekit.model.safetext import clean_text
from coursekit.quizzes.bank import (
    DEFAULT_REL_TOL, LETTERS, SCALE_FACTOR, Bank, Question, load_bank, validate_all, validate_bank,
)

# Feedback is said in words inside a live region, so screen readers announce it.
_FEEDBACK_OPEN = f'<p class="cq-feedback {NO_MATH}" role="status" aria-live="polite">'

__all__ = ["quiz", "Quiz", "make_question", "SingleChoice", "MultipleSelect", "NumericQuestion",
           "OrderQuestion", "CategoriesQuestion", "Reflection", "validate_bank", "validate_all",
           "render_text"]

RUN_NOTE = "Run the notebook to answer interactively."
CORRECT = "\u2713 Correct"     # ✓
WRONG = "\u2717 Not quite"     # ✗
NOTICE = "\u26a0"              # ⚠ (format problems: neither right nor wrong)
DASH = "\u2014"

# Scoped to .cq-question: lets long choice labels wrap (ipywidgets gives radio labels a fixed
# height and check-box labels an ellipsis). Live view only; static HTML does not depend on it.
_CSS = """<style>
.cq-question .widget-radio-box label{height:auto;line-height:1.35;white-space:normal;display:flex;align-items:flex-start;gap:.45em;margin:.2em 0}
.cq-question .widget-radio-box input{float:none;flex:none;order:-1;height:auto;margin:.2em 0 0 1px}
.cq-question .widget-radio-box-horizontal{flex-wrap:wrap}
.cq-question .widget-radio-box-horizontal label{margin-right:1.4em}
.cq-question .widget-checkbox{height:auto;width:auto}
.cq-question .widget-checkbox .widget-label-basic{white-space:normal;overflow:visible;height:auto;line-height:1.35;display:flex;align-items:flex-start;gap:.45em}
.cq-question .widget-checkbox input[type=checkbox]{flex-grow:0;align-self:flex-start;margin-top:.2em}
.cq-question .widget-html-content{line-height:1.45}
.cq-question a{color:var(--jp-content-link-color,#0d47a1);text-decoration:underline}
</style>"""


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------
def render_text(text: str) -> str:
    """Bank text as safe HTML: everything escaped; `code` in backticks becomes <code>; a blank
    line starts a new paragraph. An unmatched backtick is shown as it is."""
    paragraphs = [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n")]
    out = []
    for para in paragraphs:
        if not para:
            continue
        para = " ".join(para.split())
        parts = para.split("`")
        if len(parts) % 2 == 0:  # unmatched backtick: no markup at all
            out.append(html.escape(para))
            continue
        out.append("".join(html.escape(p) if i % 2 == 0 else f"<code>{html.escape(p)}</code>"
                           for i, p in enumerate(parts)))
    return "<br><br>".join(out)


def plain_text(text: str) -> str:
    """Bank text for widget labels and text/plain (widgets show labels as plain text)."""
    return " ".join(str(text).replace("`", "").split())


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(x: float) -> str:
    return format(x, ",.10g")


def _list_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------------------------
# Registries, for feedback (tolerant: a missing file only means less detail)
# --------------------------------------------------------------------------------------------
def _stamp(path: Path) -> tuple[str, int] | None:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=4)
def _misconceptions(stamp: tuple[str, int] | None) -> dict[str, Any]:
    if stamp is None:
        return {}
    from coursekit.model.content import read_misconceptions
    return read_misconceptions(Path(stamp[0]))[0]


@lru_cache(maxsize=4)
def _sources(stamp: tuple[str, int] | None) -> dict[str, Any]:
    if stamp is None:
        return {}
    from coursekit.model.content import read_sources
    return read_sources(Path(stamp[0]))[0]


def misconception_html(mid: str) -> str:
    if not mid:
        return ""
    found = _misconceptions(_stamp(paths.ASSETS / "misconceptions.toml")).get(mid)
    summary = f" {html.escape(found.summary)}" if found is not None else ""
    return (f'<span class="cq-misconception">Common mix-up{":" if summary else ""}{summary} '
            f"(misconception <code>{html.escape(mid)}</code>)</span>")


def sources_html(ids: Iterable[str]) -> str:
    ids = list(ids)
    if not ids:
        return ""
    known = _sources(_stamp(paths.ASSETS / "sources.toml"))
    parts = []
    for sid in ids:
        s = known.get(sid)
        if s is None or not getattr(s, "urls", None):
            parts.append(html.escape(sid))
            continue
        when = "" if s.date == "n.d." else f", {html.escape(s.year)}"
        parts.append(f'<a href="{html.escape(s.url, quote=True)}" target="_blank" '
                     f'style="text-decoration:underline" '
                     f'rel="noopener noreferrer">{html.escape(sid)}</a> '
                     f"({html.escape(s.label)}{when})")
    word = "Source" if len(ids) == 1 else "Sources"
    return f'<span class="cq-sources">{word}: {"; ".join(parts)}.</span>'


def _diagnosis(feedback: str, misconception: str = "", sources: Iterable[str] = ()) -> str:
    """One distractor's feedback: its text, the misconception it names, its source link."""
    bits = [render_text(feedback)]
    if misconception:
        bits.append(misconception_html(misconception))
    src = sources_html(sources)
    if src:
        bits.append(src)
    return " ".join(b for b in bits if b)


# --------------------------------------------------------------------------------------------
# Question widgets
# --------------------------------------------------------------------------------------------
class _StaticViews:
    """Adds a deterministic text/html and text/plain beside the widget view, so a stored output
    shows the question on GitHub and before the kernel runs (the build strips only the view)."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        a11y.attach(self)  # group names, live feedback, focus ring (coursekit/display/a11y.py)
        data = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        data["text/plain"] = self.static_text()  # type: ignore[attr-defined]
        data["text/html"] = self.static_html()  # type: ignore[attr-defined]
        return data


class _Question(_StaticViews, W.VBox):
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
        self.prompt = W.HTML(_CSS + self._prompt_html())
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
        return f" \u00b7 review of {word} {_list_words(lessons)}"

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
            self._set_feedback(f'{_FEEDBACK_OPEN}<strong>{NOTICE} Not checked yet.</strong> '
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
            f'{_FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
            f"{html.escape(getattr(outcome, 'problem', '') or 'The progress store gave no answer.')}</p>")
        if right:
            verdict = (f"<strong>{CORRECT}.</strong> {detail}" if outcome else
                       f"Your answer is right, but it is not in your progress record yet: "
                       f"press {html.escape(self.check_label)} again once that is fixed. {detail}")
            self._set_feedback(f"{unsaved}{_FEEDBACK_OPEN}{verdict}</p>", outcome)
            self._show_explanation(revealed=False)
            return
        if self.finished:
            after = "The explanation is below."
        else:
            left = self.max_tries - self.tries
            after = f"Try again ({left} {'try' if left == 1 else 'tries'} before the explanation)."
        self._set_feedback(f'{unsaved}{_FEEDBACK_OPEN}<strong>{WRONG}.</strong> {detail[0]}</p>'
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


class _ChoiceQuestion(_Question):
    def _choice_label(self, c) -> str:
        return f"{c.letter}. {plain_text(c.text)}"

    def static_body_html(self) -> str:
        lines = "<br>".join(f"{c.letter}. {render_text(c.text)}" for c in self.question.choices)
        return f"<p>{lines}</p>"

    def static_body_text(self) -> list[str]:
        return [f"  {c.letter}. {plain_text(c.text)}" for c in self.question.choices]

    def _correct_feedback(self, chosen) -> str:
        return " ".join(_diagnosis(c.feedback, "", c.sources) for c in chosen)


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
        return "wrong", (_diagnosis(choice.feedback, choice.misconception, choice.sources),
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
        parts = [f"<br><strong>{c.letter}:</strong> " + _diagnosis(c.feedback, c.misconception, c.sources)
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


class NumericQuestion(_Question):
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
            return "correct", f"{html.escape(_number(value))} {html.escape(unit)} is right.".replace("  ", " ")
        if factor > 1 and parse_number(answer, q.units).unit is None and \
                within(value / factor, q.answer, rel_tol=q.rel_tol, abs_tol=q.abs_tol):
            return "format", (f"It looks like you typed the full number. This question asks for it "
                              f"in {q.scale}s: for example, 12.5 {q.scale} is typed as 12.5.")
        for w in q.wrongs:
            rel = w.rel_tol if (w.rel_tol is not None or w.abs_tol is not None) else q.rel_tol
            abs_ = w.abs_tol if (w.rel_tol is not None or w.abs_tol is not None) else q.abs_tol
            if w.value is not None and within(value, w.value, rel_tol=rel, abs_tol=abs_):
                return "wrong", (_diagnosis(w.feedback, w.misconception, w.sources), w.misconception)
        generic = (f"{html.escape(_number(value))} is not the value asked for. Check which year "
                   f"and which series you read, and the unit.")
        return "wrong", (_diagnosis_generic(generic, q.misconception), q.misconception)

    def answer_html(self) -> str:
        q = self.question
        tol = f"within {_number(q.abs_tol)}" if q.abs_tol is not None else \
            f"within {_number(100 * (q.rel_tol if q.rel_tol is not None else DEFAULT_REL_TOL))} %"
        unit = self.unit_words()
        return f"{html.escape(_number(q.answer))} {html.escape(unit)} (answers {tol} count as correct)."


def _diagnosis_generic(text_html: str, misconception: str) -> str:
    return text_html + (" " + misconception_html(misconception) if misconception else "")


class _RowsQuestion(_Question):
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
                return "wrong", (_diagnosis(w.feedback, w.misconception, w.sources), w.misconception)
        right = sum(1 for i, k in enumerate(order, start=1) if i == k)
        generic = f"{right} of {n} items are in the right place."
        return "wrong", (_diagnosis_generic(generic, q.misconception), q.misconception)

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
        parts += [f"<br><strong>{it.letter}:</strong> " + _diagnosis(it.feedback, it.misconception, it.sources)
                  for it in wrong]
        return "wrong", (" ".join(parts), wrong[0].misconception)

    def answer_html(self) -> str:
        return "; ".join(f"{it.letter} \u2192 {render_text(it.category)}" for it in self.question.sort_items)


class Reflection(_Question):
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
            self._set_feedback(f'{_FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
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
            self._set_feedback(f'{_FEEDBACK_OPEN}<strong>{NOTICE} Not saved.</strong> '
                               f"{html.escape(problem)}</p>", outcome)
            return
        self.status = "saved"
        shown = clean_text(text)
        if len(shown) > 300:
            shown = shown[:299] + "\u2026"
        self._set_feedback(f'{_FEEDBACK_OPEN}<strong>\u2713 Saved.</strong> Not graded. '
                           f"You wrote: \u201c{html.escape(shown)}\u201d</p>", outcome)
        if q.explanation:
            self.explanation.value = (f'<div class="cq-explanation {NO_MATH}"><p><strong>One way to think about '
                                      f"it:</strong> {render_text(q.explanation)}</p>"
                                      f"{sources_html(q.sources)}</div>")


_TYPES = {"single": SingleChoice, "multiple": MultipleSelect, "numeric": NumericQuestion,
          "order": OrderQuestion, "categories": CategoriesQuestion, "reflection": Reflection}


def make_question(question: Question, **kwargs: Any) -> _Question:
    """The widget for one question record."""
    return _TYPES[question.type](question, **kwargs)


# --------------------------------------------------------------------------------------------
# A whole bank
# --------------------------------------------------------------------------------------------
class Quiz(_StaticViews, W.VBox):
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
