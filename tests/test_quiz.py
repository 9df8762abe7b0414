"""Quiz widgets, driven without a kernel: `.value = ...` and `.click()`.

Every type gets a right, a wrong, an empty and a malformed answer. Attempts are captured by
replacing coursekit.progress.recorder.record. The static rendering must be deterministic and escaped.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets import TraitError

import coursekit
from coursekit.progress import recorder as events
from coursekit.quizzes import bank as quizbank
from coursekit.quizzes import widgets as quiz_module
from coursekit.model.paths import ROOT
from coursekit.model.problems import ContentError
from coursekit.quizzes.widgets import (
    CORRECT, RUN_NOTE, WRONG, CategoriesQuestion, MultipleSelect, NumericQuestion, OrderQuestion,
    Quiz, Reflection, SingleChoice, make_question, render_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
REGISTRIES = {"misconceptions": {"m-one", "m-two", "target-as-pledge", "limit-means-cut-off",
                                 "statement-as-outcome", "correlation-as-cause"},
              "sources": {"S1", "S4", "S67"}}
VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def recorded(monkeypatch):
    """Every test: attempts are captured here, never written to a progress store."""
    calls: list[tuple] = []

    def record(kind, lesson, item, *, correct=None, misconception=None, answer=None,
               whole=False):
        calls.append((kind, lesson, item, correct, misconception, answer))
        return events.Outcome(True, f"{len(calls):032x}")

    monkeypatch.setattr(events, "record", record)
    return calls


def read(name: str = "valid/01_basics.toml") -> quizbank.Bank:
    bank, problems = quizbank.read_bank(FIXTURES / name, **REGISTRIES)
    assert problems == [] and bank is not None
    return bank


def widget(qid: str, name: str = "valid/01_basics.toml", **kw):
    return make_question(read(name).question(qid), **kw)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --------------------------------------------------------------------------------------------
# Single choice
# --------------------------------------------------------------------------------------------
def test_single_choice_empty_wrong_then_revealed(recorded):
    w = widget("q1")
    assert isinstance(w, SingleChoice)
    assert [label for label, _ in w.control.options] == [
        "A. A target for the size of the core AI industry.", "B. A budget of 150 billion dollars.",
        "C. Nothing at all."]
    w.check.click()  # empty
    assert "Not checked yet" in w.feedback.value and "Choose an answer first" in w.feedback.value
    assert (w.status, w.tries, recorded) == ("unanswered", 0, [])

    w.control.value = "B"
    w.check.click()
    fb = w.feedback.value
    assert f"{WRONG}." in fb and "A target is not money spent." in fb
    assert "target-as-pledge" in fb and "S4" in fb
    assert "Try again (1 try before the explanation)" in fb
    assert (w.status, w.tries) == ("wrong", 1) and w.explanation.value == ""
    assert recorded == [("attempt", "01", "01.q1", False, "target-as-pledge", "B")]

    w.check.click()  # the same answer again is not a new try
    assert w.tries == 1 and len(recorded) == 1

    w.control.value = "C"
    w.check.click()
    assert (w.status, w.tries) == ("revealed", 2)
    assert "The explanation is below." in w.feedback.value
    assert "Answer:" in w.explanation.value and "A. A target for the size" in w.explanation.value
    assert "It set a target for the size of an industry." in w.explanation.value
    assert "S1" in w.explanation.value  # the question's source

    w.control.value = "A"  # right after the reveal: feedback, but it does not count
    w.check.click()
    assert CORRECT in w.feedback.value and w.status == "revealed" and not w.correct
    assert recorded[-1] == ("attempt", "01", "01.q1", True, None, "A")


def test_single_choice_right_first_time(recorded):
    w = widget("q1")
    w.control.value = "A"
    w.check.click()
    assert f"{CORRECT}." in w.feedback.value and "Yes: a size target." in w.feedback.value
    assert w.correct and w.finished and w.tries == 1
    assert "Explanation:" in w.explanation.value and "Answer:" not in w.explanation.value
    assert recorded == [("attempt", "01", "01.q1", True, None, "A")]


def test_single_choice_malformed_value_is_refused(recorded):
    w = widget("q1")
    with pytest.raises(TraitError):
        w.control.value = "Z"
    w.check.click()
    assert w.status == "unanswered" and recorded == []


def test_tries_are_configurable():
    w = widget("q1", tries=1)
    w.control.value = "B"
    w.check.click()
    assert w.status == "revealed" and "Answer:" in w.explanation.value
    assert widget("q1", name="valid/02_review.toml").max_tries == 3  # bank-level tries = 3


# --------------------------------------------------------------------------------------------
# Multiple select
# --------------------------------------------------------------------------------------------
def test_multiple_select(recorded):
    w = widget("q2")
    assert isinstance(w, MultipleSelect) and len(w.boxes) == 3
    w.check.click()
    assert "Select at least one choice first" in w.feedback.value and w.tries == 0

    w.boxes[0].value = True  # right but incomplete
    w.check.click()
    assert WRONG in w.feedback.value and "at least one correct choice is not selected" in w.feedback.value
    assert recorded[-1] == ("attempt", "01", "01.q2", False, None, ["A"])

    w.boxes[1].value = True  # adds a distractor
    w.check.click()
    assert "B mixes up a limit with a cut-off." in w.feedback.value
    assert "limit-means-cut-off" in w.feedback.value
    assert recorded[-1][3:] == (False, "limit-means-cut-off", ["A", "B"])
    assert w.status == "revealed" and "A. First true statement.; C. Second true statement." in w.explanation.value


def test_multiple_select_right(recorded):
    w = widget("q2")
    w.boxes[0].value = True
    w.boxes[2].value = True
    w.check.click()
    assert CORRECT in w.feedback.value and "Yes, A is true." in w.feedback.value and w.correct
    assert recorded == [("attempt", "01", "01.q2", True, None, ["A", "C"])]


def test_multiple_select_malformed_value_is_refused():
    w = widget("q2")
    with pytest.raises(TraitError):
        w.boxes[0].value = "yes please"


# --------------------------------------------------------------------------------------------
# Numeric
# --------------------------------------------------------------------------------------------
def test_numeric_enter_checks_and_formats_are_explained(recorded):
    w = widget("q3")
    assert isinstance(w, NumericQuestion) and w.box.continuous_update is False
    w.check.click()  # empty
    assert "Type a number first" in w.feedback.value
    for typed, words in [("1,5", "decimal point"), ("twelve", "could not find a number"),
                         ("244.81 k", "Units allowed here: billion (bn) or trillion (tn)"),
                         ("244810000000", "typed the full number"), ("$ 1e999", "too large")]:
        w.box.value = typed  # Enter (or leaving the box) sets the value: that checks it
        assert words in w.feedback.value, typed
        assert "Not checked yet" in w.feedback.value
    assert (w.status, w.tries, recorded) == ("unanswered", 0, [])

    w.box.value = "240.1"
    assert WRONG in w.feedback.value and "That is 2023." in w.feedback.value
    assert recorded == [("attempt", "01", "01.q3", False, "limit-means-cut-off", "240.1")]
    w.check.click()  # same answer: no new try
    assert w.tries == 1 and len(recorded) == 1

    w.box.value = " 0.24481 trillion "
    assert f"{CORRECT}." in w.feedback.value and w.correct and w.tries == 2
    assert "244.81 billion." in w.explanation.value
    assert recorded[-1] == ("attempt", "01", "01.q3", True, None, "0.24481 trillion")


@pytest.mark.parametrize("typed", ["244.81", "245", "US$244.81bn", "2.4481e2", "244.81 billion",
                                   "244,810 million".replace(" million", "")])
def test_numeric_right_answers(typed):
    w = widget("q3")
    w.box.value = typed
    if typed == "244,810":  # read as 244,810 billion: a slip of scale, which is simply wrong
        assert w.status == "wrong"
        return
    assert w.correct, (typed, w.feedback.value)


def test_numeric_full_number_gets_a_hint_not_a_wrong_mark():
    w = widget("q3")
    w.box.value = "244,810,000,000"
    assert "typed the full number" in w.feedback.value and w.tries == 0


def test_numeric_generic_wrong_names_the_question_misconception(recorded):
    w = widget("q3")
    w.box.value = "300"
    assert "300 is not the value asked for" in w.feedback.value
    assert "correlation-as-cause" in w.feedback.value
    assert recorded[-1][4] == "correlation-as-cause"


def test_numeric_percent_with_absolute_tolerance():
    w = widget("q7")
    w.box.value = "$1.9"
    assert "No currency sign is needed" in w.feedback.value
    w.box.value = "1.93%"
    assert w.correct
    w2 = widget("q7")
    w2.box.value = "2"
    assert w2.status == "wrong"


# --------------------------------------------------------------------------------------------
# Put in order
# --------------------------------------------------------------------------------------------
def set_order(w: OrderQuestion, positions: list[int | None]) -> None:
    for radios, pos in zip(w.rows, positions):
        radios.value = pos


def test_order_question(recorded):
    w = widget("q4")
    assert isinstance(w, OrderQuestion)
    assert w.row_items == [3, 1, 2]  # the bank's start order
    assert [r.options for r in w.rows][0] == (("1st", 1), ("2nd", 2), ("3rd", 3))
    w.check.click()
    assert "Give each item a position first" in w.feedback.value

    set_order(w, [3, None, None])
    assert "Your order so far: 1. \u2014 \u00b7 2. \u2014 \u00b7 3. A" in w.order_view.value
    w.check.click()
    assert "B, C still need one" in w.feedback.value

    set_order(w, [3, 3, 1])
    w.check.click()
    assert "3rd is given to more than one item" in w.feedback.value
    assert w.tries == 0 and recorded == []

    set_order(w, [3, 2, 1])  # learner's order: item 2, item 1, item 3 -> the known wrong order
    w.check.click()
    assert "The first two are swapped." in w.feedback.value and "correlation-as-cause" in w.feedback.value
    assert recorded[-1] == ("attempt", "01", "01.q4", False, "correlation-as-cause", [2, 1, 3])

    set_order(w, [1, 2, 3])  # item 3, item 1, item 2: no anticipated feedback
    w.check.click()
    assert "0 of 3 items are in the right place." in w.feedback.value
    assert w.status == "revealed"
    assert "B. First event \u2192 C. Second event \u2192 A. Third event" in w.explanation.value


def test_order_question_right(recorded):
    w = widget("q4")
    set_order(w, [3, 1, 2])
    assert "Your order so far: 1. B \u00b7 2. C \u00b7 3. A" in w.order_view.value
    w.check.click()
    assert w.correct and recorded == [("attempt", "01", "01.q4", True, None, [1, 2, 3])]


def test_order_malformed_position_is_refused():
    w = widget("q4")
    with pytest.raises(TraitError):
        w.rows[0].value = 9


# --------------------------------------------------------------------------------------------
# Sort into categories
# --------------------------------------------------------------------------------------------
def test_categories_question(recorded):
    w = widget("q5")
    assert isinstance(w, CategoriesQuestion) and len(w.rows) == 2
    w.check.click()
    assert "Choose a category for each item first" in w.feedback.value
    w.rows[0].value = "Claim"
    w.check.click()
    assert "B still need one" in w.feedback.value and w.tries == 0

    w.rows[1].value = "Claim"
    w.check.click()
    fb = w.feedback.value
    assert WRONG in fb and "1 of 2 items are in the right category." in fb
    assert "The document itself is evidence." in fb and "target-as-pledge" in fb
    assert recorded[-1] == ("attempt", "01", "01.q5", False, "target-as-pledge",
                            {"A": "Claim", "B": "Claim"})

    w.rows[1].value = "Evidence"
    w.check.click()
    assert w.correct and CORRECT in w.feedback.value


def test_categories_malformed_value_is_refused():
    w = widget("q5")
    with pytest.raises(TraitError):
        w.rows[0].value = "Neither"


# --------------------------------------------------------------------------------------------
# Reflection
# --------------------------------------------------------------------------------------------
def test_reflection_is_saved_not_graded(recorded):
    w = widget("q6")
    assert isinstance(w, Reflection) and w.check.description == "Save"
    w.check.click()
    assert "Not saved" in w.feedback.value and recorded == []
    w.control.value = "   \n  "
    w.check.click()
    assert "Write something first" in w.feedback.value and recorded == []

    w.control.value = "It was <script>alert(1)</script> surprising."
    w.check.click()
    assert "\u2713 Saved." in w.feedback.value and "Not graded" in w.feedback.value
    assert "&lt;script&gt;" in w.feedback.value and "<script>" not in w.feedback.value
    assert recorded == [("reflection", "01", "01.q6", None, None,
                         "It was <script>alert(1)</script> surprising.")]
    assert w.status == "saved" and "Compare with a friend." in w.explanation.value
    w.check.click()
    assert len(recorded) == 1  # unchanged text is not saved twice


# --------------------------------------------------------------------------------------------
# A whole bank: score summary, review items
# --------------------------------------------------------------------------------------------
def test_quiz_score_updates_live(recorded):
    q = Quiz(read())
    assert len(q.questions) == 7 and len(q.graded) == 6
    assert "Score: 0 of 6" in q.summary.value and "answered: 0 of 6" in q.summary.value
    q1, q2, q3, q4, q5, q6, q7 = q.questions
    q1.control.value = "A"
    q1.check.click()
    q3.box.value = "240.1"
    assert "Score: 1 of 6" in q.summary.value and "answered: 2 of 6" in q.summary.value
    q3.box.value = "244.8"
    q7.box.value = "1.9"
    assert q.score == 3 and "Score: 3 of 6" in q.summary.value
    # finish the rest, one of them revealed after two wrong tries
    q2.boxes[1].value = True
    q2.check.click()
    q2.boxes[0].value = True
    q2.check.click()
    set_order(q4, [3, 1, 2])
    q4.check.click()
    q5.rows[0].value, q5.rows[1].value = "Claim", "Evidence"
    q5.check.click()
    summary = q.summary.value
    assert "Score: 5 of 6" in summary and "answered: 6 of 6" in summary
    assert "Worth another look" in summary and "Explain the difference between a target" in summary
    assert q6.status == "unanswered"  # the reflection is not scored


def test_quiz_all_right_says_so():
    q = Quiz(read("valid/02_review.toml"))
    for w in q.questions:
        if w.question.type == "single":
            w.control.value = next(c.letter for c in w.question.choices if c.correct)
            w.check.click()
        elif w.question.type == "order":
            set_order(w, list(w.row_items))  # row i shows item row_items[i]: that is its place
            w.check.click()
    assert q.score == len(q.graded) == 4
    assert "Done: every question right." in q.summary.value


def test_review_items_are_appended_with_a_note():
    q = Quiz(read("valid/02_review.toml"))
    ids = [w.question.full_id for w in q.questions]
    assert ids == ["02.q1", "02.q2", "01.q1", "01.q4"]
    assert any("Review from earlier lessons" in getattr(c, "value", "") for c in q.children)
    assert "review of lesson 01" in q.questions[2].prompt.value
    assert "review of lesson 01" in q.questions[1].prompt.value  # marked review = true
    assert "review" not in q.questions[0].static_html()


# --------------------------------------------------------------------------------------------
# Static rendering
# --------------------------------------------------------------------------------------------
RANDOM = [re.compile(r"0x[0-9a-fA-F]{6,}"), re.compile(r"[0-9a-f]{32}"),
          re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}")]


def test_mimebundle_has_widget_view_and_deterministic_static_views():
    one, two = Quiz(read()), Quiz(read())
    b1, b2 = one._repr_mimebundle_(), two._repr_mimebundle_()
    assert set(b1) == {"text/plain", "text/html", VIEW}
    assert b1[VIEW]["model_id"] == one.model_id != two.model_id
    assert b1["text/html"] == b2["text/html"] and b1["text/plain"] == b2["text/plain"]
    for data in (b1["text/html"], b1["text/plain"]):
        assert one.model_id not in data
        for pattern in RANDOM:
            assert not pattern.search(data), pattern
    html = b1["text/html"]
    assert RUN_NOTE in html and "Score: \u2013 of 6" in html
    assert "<ol" not in html and "<script" not in html and "<style" not in html
    assert "A. A target for the size of the core AI industry.<br>B. A budget of 150 billion dollars." in html
    assert "Question 4 of 7 (put in order)" in html and "A. Third event<br>B. First event" in html
    assert "Categories: Claim / Evidence" in html
    plain = b1["text/plain"]
    assert plain.startswith("Check your understanding: Basics\n")
    assert "  B. A budget of 150 billion dollars." in plain and plain.endswith(RUN_NOTE)


def test_static_views_do_not_change_when_answered():
    q = Quiz(read())
    before = q._repr_mimebundle_()
    q.questions[0].control.value = "B"
    q.questions[0].check.click()
    after = q._repr_mimebundle_()
    assert before["text/html"] == after["text/html"]


@pytest.mark.parametrize("qid", ["q1", "q2", "q3", "q4", "q5", "q6", "q7"])
def test_each_question_has_its_own_static_views(qid):
    a, b = widget(qid), widget(qid)
    ba, bb = a._repr_mimebundle_(), b._repr_mimebundle_()
    assert set(ba) == {"text/plain", "text/html", VIEW}
    assert ba["text/html"] == bb["text/html"] and ba["text/plain"] == bb["text/plain"]
    assert RUN_NOTE in ba["text/html"] and ba["text/plain"].endswith(RUN_NOTE)
    assert ba["text/html"].startswith('<div class="cq-static')


def test_static_build_is_identical_across_processes():
    code = ("import json; from coursekit import quiz; b = quiz('00')._repr_mimebundle_(); "
            "print(json.dumps([b['text/html'], b['text/plain']]))")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout
    here = quiz_module.quiz("00")._repr_mimebundle_()
    assert json.loads(other) == [here["text/html"], here["text/plain"]]
    assert "Question 1 of 7" in here["text/html"]


def test_bank_text_is_escaped_everywhere(recorded):
    q = Quiz(read("escape/01_escape.toml"))
    html = q._repr_mimebundle_()["text/html"]
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "Escaping &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "What does &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; do here?" in html
    assert "See <code>&lt;code&gt;</code> too." in html  # the one markup allowed
    assert "&amp; ampersands" in html
    live = [q.header.value] + [c.value for w in q.questions for c in (w.prompt, w.feedback, w.explanation)]
    w = q.questions[0]
    assert w.control.options[0][0] == "A. Runs <script>alert('choice')</script>"  # a text label
    w.control.value = "A"
    w.check.click()
    live += [w.feedback.value, w.explanation.value]
    w.control.value = "B"
    w.check.click()
    live += [w.feedback.value, w.explanation.value]
    joined = "".join(live)
    assert "<script" not in joined and "<img" not in joined and "<em>escaped" not in joined
    assert "&lt;script&gt;alert(&#x27;feedback&#x27;)&lt;/script&gt;" in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined


@pytest.mark.parametrize("text, html", [
    ("plain & <b>", "plain &amp; &lt;b&gt;"),
    ("use `x < 1` here", "use <code>x &lt; 1</code> here"),
    ("odd ` backtick <i>", "odd ` backtick &lt;i&gt;"),
    ("one\ntwo\n\nthree", "one two<br><br>three"),
])
def test_render_text(text, html):
    assert render_text(text) == html


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def test_public_api_for_lesson_authors():
    from coursekit import quiz

    whole = quiz("00")
    assert isinstance(whole, Quiz) and len(whole.questions) == 7
    assert isinstance(quiz("00_start_here"), Quiz)
    assert isinstance(quiz("00", "q3"), NumericQuestion)
    assert isinstance(quiz("00", "00.q1"), SingleChoice)
    assert quiz("00", "q1", tries=1).max_tries == 1
    assert coursekit.Quiz is Quiz
    # `quiz` is a function of the package: no module shadows it (the quiz widgets live in
    # coursekit.quizzes.widgets), so `from coursekit import quiz` always gives the function.
    assert coursekit.quiz is quiz_module.quiz and isinstance(coursekit.quiz("00", "q7"), Reflection)
    assert quiz_module.quiz("00", "q4").question.full_id == "00.q4"
    with pytest.raises(KeyError, match="no question 'q99'"):
        quiz("00", "q99")
    with pytest.raises(ContentError, match="no quiz bank for '09'"):
        quiz("09")


def test_single_question_has_no_number_but_keeps_its_type():
    w = quiz_module.quiz("00", "q3")
    assert w.heading_text() == "Question (number)"
    assert w._repr_mimebundle_()["text/plain"].startswith("Question (number): In the course's chart")


def test_lesson_00_bank_all_right_scores_full_marks(recorded):
    q = quiz_module.quiz("00")
    by_type = {}
    for w in q.questions:
        qq = w.question
        by_type.setdefault(qq.type, w)
        if qq.type == "single":
            w.control.value = next(c.letter for c in qq.choices if c.correct)
        elif qq.type == "multiple":
            for c, box in zip(qq.choices, w.boxes):
                box.value = c.correct
        elif qq.type == "numeric":
            w.box.value = "244.81 bn"
            continue
        elif qq.type == "order":
            set_order(w, list(w.row_items))
        elif qq.type == "categories":
            for radios, item in zip(w.rows, qq.sort_items):
                radios.value = item.category
        elif qq.type == "reflection":
            w.control.value = "The trade claim."
        w.check.click()
    assert "Score: 6 of 6" in q.summary.value and "Done: every question right." in q.summary.value
    assert [r[0] for r in recorded].count("attempt") == 6 and recorded[-1][0] == "reflection"
    assert all(r[2].startswith("00.q") for r in recorded)


def test_importing_coursekit_does_not_load_ipywidgets():
    code = ("import sys, coursekit, coursekit.quizzes.bank, coursekit.quizzes.numbers; "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets loaded'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
