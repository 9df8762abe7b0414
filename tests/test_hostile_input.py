"""Property tests: hostile learner input never loses an answer, raises, or misleads.

Strategies (reusable, defined once below):
- `hostile_text`: lone surrogates, NUL and other control characters, right-to-left marks and
  overrides, byte-order marks, astral characters, and huge strings (over the store's limits);
- `hostile_objects`: self-referencing lists and dicts, lists nested thousands deep, integers
  of thousands of digits, NaN and infinities, sets, tuples, objects whose repr, str or eq fail,
  and plain data made of all of these;
- `answer_sequences`: what a learner types into a number box, one entry after another (enter,
  change, re-enter), mixing right, wrong, malformed and hostile answers.

Properties:
1. `snapshot` turns any object into bounded plain JSON, deterministically, that the store and
   an export round trip carry;
2. `check()` gives any object a verdict in plain words (never a traceback), records every
   checked answer, and says "correct" or "Saved" only for an answer that is in the store;
3. a reflection says "✓ Saved." exactly when its text is in the store (and only then);
4. a number box's feedback always describes the answer now in it, and "✓ Correct" appears only
   when that attempt is in the store: as a sequence property and as a stateful machine driving
   four question types (the feedback-matches-current-answer rule).
"""
from __future__ import annotations

import json
import math
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from coursekit.quizzes import checks

from coursekit.progress import recorder as events

from coursekit.progress import api as progress

from coursekit import quiz
from coursekit.progress import store as ps
from coursekit.quizzes.widgets import CORRECT, WRONG

CI = bool(os.environ.get("CI"))


def profile(n: int, **kwargs: Any) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=CI, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.large_base_example],
                    print_blob=CI, **kwargs)


# --- strategies ------------------------------------------------------------------------------

SPECIAL_CHARS = ["\x00", "\x07", "\x1b", "\x7f", "\u202e", "\u202d", "\u2067", "\u200f",
                 "\u061c", "\ufeff", "\ufffe", "\u0301", "\U0001f600", "\u4e2d", "\u0627",
                 "\n", "\r", "\t", "\u00a0", "\u2028"]
hostile_char = st.one_of(
    st.characters(),  # any code point Hypothesis offers (no surrogates by default)
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.sampled_from(SPECIAL_CHARS),
)
huge_text = st.builds(lambda chunk, n: chunk * n,
                      st.sampled_from(["x", " ", "\u202e", "\x00", "\ud800", "\u00e9 ", "9"]),
                      st.sampled_from([ps.MAX_TEXT_CHARS + 1, ps.MAX_SNAPSHOT_CHARS + 1,
                                       1_000_001, 1_200_000]))
hostile_text = st.one_of(st.text(hostile_char, max_size=60), huge_text)


class BrokenRepr:
    def __repr__(self) -> str:
        raise ValueError("no repr")


class BrokenEverything:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")

    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq")

    def __hash__(self) -> int:
        raise RuntimeError("no hash")

    def __iter__(self):
        raise RuntimeError("no iter")

    def __len__(self) -> int:
        raise RuntimeError("no len")


def _cycle(inner: Any) -> list[Any]:
    a: list[Any] = [inner]
    a.append(a)
    return a


def _dict_cycle(inner: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"inner": inner}
    d["self"] = d
    return d


def _nested(depth: int, leaf: Any) -> list[Any]:
    outer: list[Any] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]
    inner.append(leaf)
    return outer


leaf = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.builds(lambda k, sign: sign * 10 ** k, st.integers(4_000, 6_000), st.sampled_from([1, -1])),
    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
    st.sampled_from([Ellipsis, 1 + 2j, b"\xff\x00bytes"]),
    st.builds(BrokenRepr), st.builds(BrokenEverything),  # built: Hypothesis hashes samples
)
plain = st.recursive(
    leaf,
    lambda kids: st.one_of(st.lists(kids, max_size=4), st.tuples(kids, kids),
                           st.dictionaries(st.one_of(st.text(hostile_char, max_size=5),
                                                     st.integers()), kids, max_size=3),
                           st.frozensets(st.one_of(st.integers(), st.text(max_size=4)),
                                         max_size=3)),
    max_leaves=12)
hostile_objects = st.one_of(
    plain,
    st.builds(_cycle, plain),
    st.builds(_dict_cycle, plain),
    st.builds(_nested, st.integers(1, 5_000), leaf),
)
NUMBER_ENTRIES = ["244.81", "244,81", "abc", "", "   ", "245", "$244.81bn", "244.81 bn",
                  "1e999", "-0", "244.81e0", "2,448.1", "$" + " " * 1_001 + "244.81"]
answer_sequences = st.lists(st.one_of(st.sampled_from(NUMBER_ENTRIES), hostile_text),
                            min_size=1, max_size=8)


def utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# --- 1. snapshot -------------------------------------------------------------------------------


@profile(400)
@given(hostile_objects)
def test_any_object_becomes_bounded_plain_json(value):
    shot = ps.snapshot(value)
    text = ps.answer_text(shot)
    assert text is None or (utf8_ok(text) and len(text) <= 6 * ps.MAX_SNAPSHOT_CHARS + 200)
    assert ps.snapshot(value) == shot or _has_nan(shot)  # deterministic
    if text is not None:
        assert json.loads(text) == shot


def _has_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


# --- 2. check() ------------------------------------------------------------------------------

EXERCISES = ["01.2", "02.2", "02.3", "02.4", "03.4", "07.6"]  # number, order, mapping,
                                                              # choices, choice, text


@pytest.fixture
def course_specs(monkeypatch):
    monkeypatch.delenv("COURSEKIT_EXERCISE_SPECS", raising=False)
    checks._specs_cached.cache_clear()
    yield
    checks._specs_cached.cache_clear()


def test_the_sample_covers_every_kind_of_exercise(course_specs):
    kinds = {checks.get_exercise(i).kind for i in EXERCISES}
    assert kinds == set(checks.KINDS)


@profile(150)
@given(exercise_id=st.sampled_from(EXERCISES), answer=hostile_objects)
@example(exercise_id="07.6", answer="x" * 1_200_000)
@example(exercise_id="07.6", answer="caf\u00e9 \ud800" * 60)
@example(exercise_id="01.2", answer=10 ** 5000)
@example(exercise_id="01.2", answer="x" * 100_001)  # a graded answer: stored as a bounded snapshot
@example(exercise_id="02.3", answer=_dict_cycle(1))
def test_check_gives_any_object_a_verdict_and_records_it(db, course_specs, exercise_id, answer):
    before = progress.get_store().count()
    result = checks.check(exercise_id, answer)
    text = str(result)
    assert utf8_ok(text) and utf8_ok(result._repr_html_()) and "Traceback" not in text
    after = progress.get_store().count()
    if answer is Ellipsis or answer is None:
        assert text == checks.NOT_ATTEMPTED and after == before
        return
    if result.status == "wrong" and checks.get_exercise(exercise_id).kind == "text":
        assert text.startswith("not yet: ") and after == before  # no text to save
        return
    free_text = checks.get_exercise(exercise_id).kind == "text"
    if free_text and isinstance(answer, str) and len(ps.clean_text(answer)) > ps.MAX_TEXT_CHARS:
        assert result.saved is False and after == before  # free text is kept whole or refused
        assert text.startswith("Not saved (") and f"{ps.MAX_TEXT_CHARS:,} characters" in text
        return
    assert result.saved is True and after == before + 1, text  # every verdict is recorded
    if result.correct:
        assert text == "correct"
    elif result.status == "submitted":
        assert text.startswith("Saved (") and "correct" not in text.split("rubric")[0]
    else:
        assert text.startswith("not yet: ") and result.status == "wrong"
    last = progress.events()[-1]
    assert last["item"] == exercise_id and last["correct"] == (
        None if result.status == "submitted" else result.correct)
    if result.status == "submitted":  # free text is kept whole
        assert last["answer"] == ps.clean_text(answer)


# --- 3. reflections --------------------------------------------------------------------------


@profile(120)
@given(texts=st.lists(hostile_text, min_size=1, max_size=3))
def test_a_reflection_says_saved_exactly_when_its_text_is_stored(db, texts):
    from coursekit.quizzes.bank import load_bank

    item = next(q.id for q in load_bank("00").questions if q.type == "reflection")
    w = quiz("00", item)
    for text in texts:
        before = progress.events()
        w.control.value = text
        w.check.click()
        after = progress.events()
        feedback = w.feedback.value
        assert utf8_ok(feedback)
        entered = text.strip()
        if not entered:
            assert "Not saved" in feedback and after == before
            continue
        stored = [e["answer"] for e in after if e["item"] == f"00.{item}"]
        if "\u2713 Saved." in feedback:
            assert stored and stored[-1] == ps.clean_text(entered)
        else:
            assert "Not saved" in feedback and len(after) == len(before)
            assert len(ps.clean_text(entered)) > ps.MAX_TEXT_CHARS
            assert f"{ps.MAX_TEXT_CHARS:,} characters" in feedback


# --- 4. feedback matches the answer now entered -------------------------------------------------


def assert_feedback_matches(w) -> None:
    """The rule: the feedback describes the answer now entered, and a verdict is shown only
    for an attempt in the store (the latest event of this question is exactly this answer)."""
    answer = w.current_answer()
    kind, _detail = w._evaluate(answer)
    feedback = w.feedback.value
    assert utf8_ok(feedback)
    if kind in ("empty", "format"):
        assert "Not checked yet" in feedback and CORRECT not in feedback and WRONG not in feedback
        return
    assert "Not checked yet" not in feedback
    if kind == "correct":
        assert CORRECT in feedback and WRONG not in feedback
    else:
        assert WRONG in feedback and CORRECT not in feedback
    mine = [e for e in progress.events() if e["item"] == w.question.full_id]
    assert mine and mine[-1]["correct"] is (kind == "correct")
    assert mine[-1]["answer"] == ps.snapshot(w._record_answer(answer))


@profile(80)
@given(entries=answer_sequences)
def test_a_number_box_feedback_follows_every_entry(db, entries):
    w = quiz("00", "q3")
    for entry in entries:
        changed = entry != w.box.value
        w.box.value = entry
        if changed:  # the box reacts to a change, as in JupyterLab; Enter on the same text too
            assert_feedback_matches(w)
        w.check.click()
        assert_feedback_matches(w)


class FeedbackMachine(RuleBasedStateMachine):
    """Four question types of lesson 00 answered in any order (enter, change, re-enter):
    after every check, the question's feedback describes the answer now entered in it."""

    def __init__(self) -> None:
        super().__init__()
        self.numeric = quiz("00", "q3")
        self.multi = quiz("00", "q2")
        self.order = quiz("00", "q4")
        self.single = quiz("00", "q1")
        self.typed = False

    @rule(entry=st.sampled_from(NUMBER_ENTRIES))
    def type_a_number(self, entry):
        self.numeric.box.value = entry  # a change checks it at once
        self.typed = self.typed or entry != ""

    @rule(i=st.integers(0, 5))
    def toggle_a_box(self, i):
        box = self.multi.boxes[i % len(self.multi.boxes)]
        box.value = not box.value

    @rule()
    def tick_the_right_boxes(self):
        for box, choice in zip(self.multi.boxes, self.multi.question.choices):
            box.value = choice.correct

    @rule()
    def clear_the_boxes(self):
        for box in self.multi.boxes:
            box.value = False

    @rule(row=st.integers(0, 5), position=st.integers(1, 6))
    def place_an_item(self, row, position):
        rows = self.order.rows
        rows[row % len(rows)].value = 1 + (position - 1) % len(rows)

    @rule()
    def put_items_in_the_right_order(self):
        for radios, item in zip(self.order.rows, self.order.row_items):
            radios.value = item

    @rule(i=st.integers(0, 5))
    def choose(self, i):
        choices = self.single.question.choices
        self.single.control.value = choices[i % len(choices)].letter

    @rule(which=st.sampled_from(["numeric", "multi", "order", "single"]))
    def check(self, which):
        w = getattr(self, which)
        w.check.click()
        assert_feedback_matches(w)

    @precondition(lambda self: self.typed)
    @invariant()
    def the_number_box_always_describes_its_text(self):
        assert_feedback_matches(self.numeric)


def test_feedback_matches_the_current_answer_stateful(db):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(FeedbackMachine, settings=profile(40, stateful_step_count=25))
