"""Lesson 00's quiz answered with the keyboard alone, in real JupyterLab.

No mouse calls: focus moves only with Tab (the test reads document.activeElement to know when
it has arrived), and answers are given with Space, Enter and typing. JupyterLab's command-mode
shortcuts must not steal these keys (see "Keyboard access" in assets/quizzes/README.md): typed
letters would otherwise insert cells ('a', 'b') or move between them ('j', 'k').
"""
from __future__ import annotations

import json

import pytest

from coursekit.quizzes import bank as quizbank
from coursekit.quizzes.render import number

from . import labkit

LESSON = "lessons/00_start_here.ipynb"
MAX_TABS = 400


def _lesson_has_quiz() -> bool:
    nb = json.loads((labkit.ROOT / LESSON).read_text(encoding="utf-8"))
    return any('quiz("00")' in "".join(c.get("source", "")) for c in nb["cells"])


def _item(q: quizbank.Question) -> str:
    return f".cq-item-{q.lesson}-{q.id}"


def tab_to(page, js_element: str) -> None:
    """Press Tab until the element found by `js_element` has the keyboard focus."""
    for _ in range(MAX_TABS):
        if page.evaluate(f"() => document.activeElement === ({js_element})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {js_element}")


def radio(q, row: int, index: int) -> str:
    return (f"document.querySelector('{_item(q)}').querySelectorAll('.widget-radio-box')[{row}]"
            f".querySelectorAll('input[type=radio]')[{index}]")


def control(q, selector: str, index: int = 0) -> str:
    return f"document.querySelector('{_item(q)}').querySelectorAll('{selector}')[{index}]"


def check_button(q) -> str:
    return control(q, "button.widget-button")


def wait_feedback(page, q, words: str) -> str:
    js = (f"() => {{ const f = document.querySelector('{_item(q)} .cq-feedback');"
          f" return f && f.innerText.includes({json.dumps(words)}); }}")
    page.wait_for_function(js, timeout=15000)
    return page.evaluate(f"() => document.querySelector('{_item(q)} .cq-feedback').innerText")


def press_on(page, js_element: str, key: str = "Space") -> None:
    tab_to(page, js_element)
    page.keyboard.press(key)


def cell_count(page) -> int:
    return page.evaluate("() => document.querySelectorAll("
                         "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length")


def _isolated_copy(lab) -> str:
    """lessons/_quiz_keyboard.ipynb in the server's copy of the course: the lesson's set-up cell
    and its quiz cell only, so a problem elsewhere in the lesson cannot hide a keyboard problem."""
    nb = json.loads((labkit.ROOT / LESSON).read_text(encoding="utf-8"))
    setup = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cells = [
        {"cell_type": "code", "id": "setup", "metadata": {}, "execution_count": None,
         "outputs": [], "source": setup["source"]},
        {"cell_type": "code", "id": "quiz", "metadata": {}, "execution_count": None,
         "outputs": [], "source": 'from coursekit import quiz\n\nquiz("00")'},
    ]
    copy = {"cells": cells, "metadata": nb["metadata"], "nbformat": 4, "nbformat_minor": 5}
    rel = "lessons/_quiz_keyboard.ipynb"
    (lab.root / rel).write_text(json.dumps(copy), encoding="utf-8")
    return rel


@pytest.mark.parametrize("where", ["lesson", "isolated"])
def test_every_question_type_answered_with_the_keyboard_only(page, lab, where):
    if not _lesson_has_quiz():
        pytest.skip(f'{LESSON} has no quiz("00") cell yet')
    notebook = LESSON if where == "lesson" else _isolated_copy(lab)
    bank = quizbank.load_bank("00")
    first = {}
    for q in bank.questions:
        first.setdefault(q.type, q)
    assert set(first) == set(quizbank.TYPES)

    labkit.open_notebook(page, lab, notebook)
    labkit.run_all(page, lab)
    page.wait_for_selector(".cq-quiz .cq-question", timeout=30000)
    cells = cell_count(page)
    page.keyboard.press("Escape")  # command mode, as a learner would be after Run All
    try:
        # Single choice: a distractor first (its own feedback), then the right answer.
        q = first["single"]
        wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        press_on(page, control(q, "input[type=radio]", wrong))
        press_on(page, check_button(q), "Enter")
        text = wait_feedback(page, q, "\u2717 Not quite")
        assert q.choices[wrong].feedback.split(".")[0] in text
        press_on(page, control(q, "input[type=radio]", right))
        press_on(page, check_button(q), "Space")
        wait_feedback(page, q, "\u2713 Correct")

        # Multiple select: Space on every correct box.
        q = first["multiple"]
        for i, c in enumerate(q.choices):
            if c.correct:
                press_on(page, control(q, "input[type=checkbox]", i))
        press_on(page, check_button(q), "Enter")
        wait_feedback(page, q, "\u2713 Correct")

        # Numeric: letters typed into the box must reach it (not insert cells); Enter checks.
        q = first["numeric"]
        tab_to(page, control(q, "input[type=text]"))
        page.keyboard.type("ab jk")
        page.keyboard.press("Enter")
        wait_feedback(page, q, "Not checked yet")
        page.keyboard.press("Control+a")
        page.keyboard.type(number(q.answer))
        page.keyboard.press("Enter")
        wait_feedback(page, q, "\u2713 Correct")

        # Put in order: each row's radio for its place.
        q = first["order"]
        for row, item in enumerate(q.start):
            press_on(page, radio(q, row, item - 1))
        press_on(page, check_button(q), "Enter")
        wait_feedback(page, q, "\u2713 Correct")

        # Sort into categories.
        q = first["categories"]
        for row, it in enumerate(q.sort_items):
            press_on(page, radio(q, row, q.categories.index(it.category)))
        press_on(page, check_button(q), "Enter")
        wait_feedback(page, q, "\u2713 Correct")

        # Reflection: type (with letters JupyterLab binds in command mode), then Save.
        q = first["reflection"]
        tab_to(page, control(q, "textarea"))
        page.keyboard.type("a b j k: the trade claim.")
        press_on(page, check_button(q), "Enter")
        text = wait_feedback(page, q, "\u2713 Saved")
        assert "a b j k: the trade claim." in text

        score = page.evaluate("() => document.querySelector('.cq-quiz .cq-score').innerText")
        assert score.startswith(f"Score: 5 of {sum(q.graded for q in bank.questions)}"), score
        assert cell_count(page) == cells, "a key reached JupyterLab's command mode"
        assert labkit.error_texts(page) == []
    finally:
        labkit.screenshot(page, f"quiz-keyboard-00-{where}")
