"""Lesson 00's quiz answered with the keyboard alone, in real JupyterLab.

No mouse calls: focus moves only with Tab (the test reads document.activeElement to know when
it has arrived), and answers are given with Space, Enter and typing. JupyterLab's command-mode
shortcuts must not steal these keys (see "Keyboard access" in assets/quizzes/README.md): typed
letters would otherwise insert cells ('a', 'b') or move between them ('j', 'k').

Accessible names come from the browser's accessibility tree (Playwright's ARIA snapshot): every
radio group, check-box group, text box and button of each question type has a name that says
what it is for (an order row's group is named by its item, not "1st, 2nd"), and every question
has a live status region, which reads the feedback once it is given. Every control the keyboard
reaches shows a focus ring (coursekit/display/a11y.py) of at least 2 px at 3:1 contrast.
"""
from __future__ import annotations

import json
import re

import pytest
import yaml

from coursekit.quizzes import bank as quizbank
from coursekit.quizzes.render import number, plain_text

from . import a11y, labkit

LESSON = "lessons/00_start_here.ipynb"
MAX_TABS = 400


def _lesson_has_quiz() -> bool:
    nb = json.loads((labkit.ROOT / LESSON).read_text(encoding="utf-8"))
    return any('quiz("00")' in "".join(c.get("source", "")) for c in nb["cells"])


def _item(q: quizbank.Question) -> str:
    return f".cq-item-{q.lesson}-{q.id}"


RINGS: list[tuple[str, dict]] = []  # (control, its focus indicator) for each control Tab reached


def tab_to(page, js_element: str) -> None:
    """Press Tab until the element found by `js_element` has the keyboard focus."""
    for _ in range(MAX_TABS):
        if page.evaluate(f"() => document.activeElement === ({js_element})"):
            RINGS.append((js_element, a11y.focus_ring(page)))
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {js_element}")


# ------------------------------------------------------------------------------------------------
# The accessibility tree, as Playwright's ARIA snapshot gives it
# ------------------------------------------------------------------------------------------------
_NODE = re.compile(r'^(?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?:\s*\[.*\])?$')


def aria_nodes(snapshot: str) -> list[tuple[str, str, str]]:
    """(role, name, text) for every node of an ARIA snapshot, in document order."""
    out: list[tuple[str, str, str]] = []

    def walk(items) -> None:
        for item in items or []:
            if isinstance(item, dict):
                for key, value in item.items():
                    node(str(key), value)
            else:
                node(str(item), None)

    def node(key: str, value) -> None:
        if key.startswith("/"):  # a property such as /placeholder
            return
        m = _NODE.match(key.strip())
        role = m.group("role") if m else key.split(":")[0]
        name = json.loads(f'"{m.group("name")}"') if m and m.group("name") is not None else ""
        out.append((role, name, value if isinstance(value, str) else ""))
        if isinstance(value, list):
            walk(value)

    walk(yaml.safe_load(snapshot))
    return out


def check_names(page, q) -> list[str]:
    """What is wrong with the accessible names of question `q`'s controls (an empty list)."""
    nodes = aria_nodes(page.locator(_item(q)).aria_snapshot())
    roles = [r for r, _, _ in nodes]
    problems = [f"{q.full_id}: a {r} has no accessible name" for r, n, _ in nodes
                if r in ("radiogroup", "group", "radio", "checkbox", "textbox", "button", "slider")
                and not n.strip()]
    problems += [f"{q.full_id}: a {r} is named {n!r}" for r, n, _ in nodes if n.strip() == "null"]
    prompt = plain_text(q.prompt)[:40]
    groups = [n for r, n, _ in nodes if r in ("radiogroup", "group")]
    if q.type in ("single", "multiple"):
        if not any(prompt in n for n in groups):
            problems.append(f"{q.full_id}: no choice group named by the question ({groups})")
        kind = "radio" if q.type == "single" else "checkbox"
        names = [n for r, n, _ in nodes if r == kind]
        want = [f"{c.letter}. {plain_text(c.text)}" for c in q.choices]
        if names != want:
            problems.append(f"{q.full_id}: {kind} names {names} != {want}")
    elif q.type in ("order", "categories"):
        texts = [q.items[k - 1] for k in q.start] if q.type == "order" else \
            [it.text for it in q.sort_items]
        want = [f"{letter}. {plain_text(t)}" for letter, t in zip(quizbank.LETTERS, texts)]
        if groups != want:
            problems.append(f"{q.full_id}: the rows' groups are named {groups}, not by their items {want}")
    elif q.type in ("numeric", "reflection"):
        boxes = [n for r, n, _ in nodes if r == "textbox"]
        if len(boxes) != 1 or not boxes[0].strip():
            problems.append(f"{q.full_id}: text boxes {boxes}")
    if "button" not in roles:
        problems.append(f"{q.full_id}: no button")
    if "status" not in roles:
        problems.append(f"{q.full_id}: no live status region for the feedback")
    return problems


def status_text(page, q) -> str:
    """What the question's status regions (found by their ARIA role) hold in the tree."""
    regions = page.locator(_item(q)).get_by_role("status")
    return " ".join(f"{n} {t}" for i in range(regions.count())
                    for _, n, t in aria_nodes(regions.nth(i).aria_snapshot()))


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
    # coursekit.display.a11y names the groups once the widgets are drawn: wait for the last question's.
    page.wait_for_function("() => [...document.querySelectorAll('.cq-quiz .widget-radio-box')]"
                           ".every(b => b.getAttribute('role') === 'radiogroup' && "
                           "(b.hasAttribute('aria-label') || b.hasAttribute('aria-labelledby')))",
                           timeout=15000)
    names = [p for q in first.values() for p in check_names(page, q)]
    assert not names, "\n".join(names)
    cells = cell_count(page)
    page.keyboard.press("Escape")  # command mode, as a learner would be after Run All
    RINGS.clear()
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

        # The feedback is in each question's status region, where a screen reader reads it.
        for q in first.values():
            said = status_text(page, q)
            assert ("\u2713 Correct" if q.graded else "\u2713 Saved") in said, (q.full_id, said)
        # Every control reached by Tab showed a visible focus ring.
        assert len(RINGS) >= 2 * len(first), RINGS
        weak = [(el[-70:], r) for el, r in RINGS if not r["ok"]]
        assert not weak, f"controls without a visible focus indicator: {weak[:5]}"
        assert cell_count(page) == cells, "a key reached JupyterLab's command mode"
        assert labkit.error_texts(page) == []
    finally:
        labkit.screenshot(page, f"quiz-keyboard-00-{where}")
