"""Quiz bank validation: every kind of mistake is reported with its file, line and reason.

Fixture banks under tests/fixtures/quizzes/<case>/ mark each expected problem on its line with
`# EXPECT: <part of the reason>`; a case passes when the problems match the marks exactly.
The cue lints (a letter holding too many keys, a key that is usually the longest option) have
their own canary folders, cue_*, tested below; `shuffled/` shows the seeded display order.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.quizzes import bank as quizbank
from coursekit.model.paths import QUIZZES, ROOT
from coursekit.model.problems import ContentError, Problem

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
FIXTURE_MISCONCEPTIONS = {"m-one", "m-two", "target-as-pledge", "limit-means-cut-off",
                          "statement-as-outcome", "correlation-as-cause"}
FIXTURE_SOURCES = {"S1", "S4", "S67"}
REGISTRIES = {"misconceptions": FIXTURE_MISCONCEPTIONS, "sources": FIXTURE_SOURCES}
ERROR_CASES = sorted(p.name for p in FIXTURES.iterdir()
                     if p.is_dir() and p.name not in ("valid", "escape", "shuffled")
                     and not p.name.startswith("cue_"))


def expected_marks(folder: Path) -> list[tuple[str, int, str]]:
    marks = []
    for path in sorted(folder.glob("*.toml")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for text in re.findall(r"# EXPECT: (.*?)\s*(?=# EXPECT:|$)", line):
                marks.append((path.name, lineno, text.strip()))
    return marks


def match(problems: list[Problem], marks: list[tuple[str, int, str]]) -> tuple[list, list]:
    """Pair problems with marks; return (unmatched problems, unmatched marks)."""
    left = list(problems)
    missing = []
    for name, line, text in marks:
        hit = next((p for p in left if Path(p.file).name == name and p.line == line
                    and text in p.reason), None)
        if hit is None:
            missing.append((name, line, text))
        else:
            left.remove(hit)
    return left, missing


def test_error_cases_cover_every_required_kind():
    required = {"unknown_key", "no_correct_answer", "choice_without_feedback", "duplicate_id",
                "unknown_objective", "unknown_misconception", "unknown_source", "shared_feedback",
                "numeric_unparseable"}
    assert required <= set(ERROR_CASES)


@pytest.mark.parametrize("case", ERROR_CASES)
def test_each_mistake_is_reported_on_its_line(case):
    folder = FIXTURES / case
    marks = expected_marks(folder)
    assert marks, f"fixture {case} has no EXPECT marks"
    problems = quizbank.validate_all(folder, cues=False, **REGISTRIES)  # cue lints: see below
    extra, missing = match(problems, marks)
    assert not missing, f"expected problems not reported: {missing}\nreported: {problems}"
    assert not extra, f"unexpected problems: {extra}"


def test_problems_name_the_file_relative_to_the_course_root():
    problems = quizbank.validate_bank(FIXTURES / "unknown_key" / "01_demo.toml", **REGISTRIES)
    assert problems and all(p.file == "tests/fixtures/quizzes/unknown_key/01_demo.toml" for p in problems)
    assert str(problems[0]).startswith("tests/fixtures/quizzes/unknown_key/01_demo.toml:3: ")


@pytest.mark.parametrize("folder", ["valid", "escape", "shuffled"])
def test_valid_banks_have_no_problems(folder):
    # valid/ and escape/ keep a single question whose key is its longest option (the widget tests
    # pin those texts), so the cue lints are checked on the course's banks and the canaries only.
    assert quizbank.validate_all(FIXTURES / folder, cues=folder == "shuffled", **REGISTRIES) == []


def test_valid_bank_is_read_into_records():
    bank, problems = quizbank.read_bank(FIXTURES / "valid" / "01_basics.toml", **REGISTRIES)
    assert problems == [] and bank is not None
    assert bank.lesson == "01" and bank.slug == "01_basics" and bank.tries == 2
    assert [q.type for q in bank.questions] == ["single", "multiple", "numeric", "order",
                                                "categories", "reflection", "numeric"]
    q1, q2, q3, q4, q5, q6, q7 = bank.questions
    assert q1.full_id == "01.q1" and q1.objectives == ("01.o1",)
    assert [c.letter for c in q1.choices] == ["A", "B", "C"]
    assert [c.correct for c in q1.choices] == [True, False, False]
    assert q1.choices[1].misconception == "target-as-pledge" and q1.choices[1].sources == ("S4",)
    assert q3.answer == 244.81 and q3.scale == "billion" and q3.units == {"billion", "trillion"}
    assert [w.value for w in q3.wrongs] == [240.1, 129.32]  # "129.32" in the file is parsed
    assert q4.items == ("First event", "Second event", "Third event") and q4.start == (3, 1, 2)
    assert q4.wrongs[0].order == (2, 1, 3)
    assert q5.categories == ("Claim", "Evidence") and q5.sort_items[1].category == "Evidence"
    assert not q6.graded and q6.objectives == ()
    assert q7.abs_tol == 0.05 and q7.units == {"percent"} and q7.currency is False
    assert bank.objective("01.o4").exercises == ("01.1",)


def test_review_items_come_from_earlier_banks():
    bank, problems = quizbank.read_bank(FIXTURES / "valid" / "02_review.toml", **REGISTRIES)
    assert problems == []
    assert bank.review_items == ("01.q1", "01.q4")
    assert [q.full_id for q in bank.review_questions()] == ["01.q1", "01.q4"]
    assert bank.questions[1].review and bank.questions[1].objectives == ("01.o1",)
    assert bank.question("02.q1") is bank.questions[0]
    assert bank.question("01.q4").type == "order"
    with pytest.raises(KeyError, match="no question 'q9'"):
        bank.question("q9")


def test_default_start_order_is_deterministic_and_never_the_answer():
    assert quizbank.default_start(("b", "c", "a")) == (3, 1, 2)
    assert quizbank.default_start(("a", "b", "c")) == (3, 2, 1)  # alphabetical = correct: reversed


def test_missing_sources_file_skips_the_source_check(tmp_path, monkeypatch):
    monkeypatch.setattr(quizbank.paths, "ASSETS", tmp_path)  # no sources.toml there
    assert quizbank.source_ids() is None
    problems = quizbank.validate_bank(FIXTURES / "unknown_source" / "01_demo.toml",
                                      misconceptions=FIXTURE_MISCONCEPTIONS)
    # S999 is no longer reported as unknown; the malformed id still is.
    assert [p.line for p in problems] == [25]


def test_bank_lookup_by_number_slug_and_path():
    assert quizbank.bank_path("00") == QUIZZES / "00_start_here.toml"
    assert quizbank.bank_path("00_start_here") == QUIZZES / "00_start_here.toml"
    path = FIXTURES / "valid" / "01_basics.toml"
    assert quizbank.bank_path(path) == path
    assert quizbank.bank_path("02", FIXTURES / "valid").name == "02_review.toml"
    with pytest.raises(ContentError, match="no quiz bank for '09'"):
        quizbank.bank_path("09")
    with pytest.raises(ContentError, match="quiz bank not found"):
        quizbank.bank_path(FIXTURES / "nope.toml")


def test_load_bank_raises_with_every_problem():
    with pytest.raises(ContentError) as info:
        quizbank.load_bank(FIXTURES / "unknown_key" / "01_demo.toml")
    assert len(info.value.problems) >= 4


def test_lesson_00_bank_is_valid():
    """The sample bank passes validation against the course's own registries. (All banks are
    checked by `python -m coursekit check` through quizbank.validate_all.)"""
    assert quizbank.validate_bank(QUIZZES / "00_start_here.toml") == []


def test_lesson_00_bank_has_one_item_of_each_type_and_covers_its_objectives():
    bank = quizbank.load_bank("00")
    assert {q.type for q in bank.questions} == set(quizbank.TYPES)
    assessed = {o for q in bank.questions if q.graded for o in q.objectives}
    assert assessed == {o.full_id for o in bank.objectives}
    for q in bank.questions:
        for d in q.distractors():
            assert d.misconception, (q.id, d)


# --------------------------------------------------------------------------------------------
# Display order: a deterministic shuffle per question
# --------------------------------------------------------------------------------------------
def _shuffled_bank(**kw) -> quizbank.Bank:
    bank, problems = quizbank.read_bank(FIXTURES / "shuffled" / "01_shuffled.toml", **REGISTRIES, **kw)
    assert problems == [] and bank is not None
    return bank


def test_display_order_is_seeded_from_lesson_and_question_id():
    order = quizbank.display_order("01", "q1", 4)
    assert sorted(order) == [0, 1, 2, 3]
    assert order == quizbank.display_order("01", "q1", 4)  # no randomness
    # other ids give other orders (over a handful of ids, not every one may differ)
    others = {quizbank.display_order("01", f"q{i}", 4) for i in range(1, 9)}
    assert len(others) > 3
    assert quizbank.display_order("02", "q1", 4) != order or quizbank.display_order("03", "q1", 4) != order


def test_display_order_is_the_same_in_another_process():
    code = ("from coursekit.quizzes import bank as quizbank; "
            "print([quizbank.display_order('0' + str(n), 'q' + str(i), 4) for n in range(8) for i in range(1, 12)])")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1
    here = [quizbank.display_order("0" + str(n), "q" + str(i), 4) for n in range(8) for i in range(1, 12)]
    assert runs.pop().strip() == str(here)


def test_loading_shuffles_choices_items_and_order_rows_and_letters_follow():
    file_order = _shuffled_bank(shuffle=False)
    shown = _shuffled_bank()
    for q_file, q_shown in zip(file_order.questions, shown.questions):
        if q_file.type in ("single", "multiple") and q_file.id != "q5":
            # the same choices, in another order, lettered A, B, ... in display order
            assert sorted(c.text for c in q_shown.choices) == sorted(c.text for c in q_file.choices)
            assert [c.letter for c in q_shown.choices] == list("ABCD")
            assert [c.text for c in q_shown.choices] != [c.text for c in q_file.choices]
            order = quizbank.display_order("01", q_file.id, len(q_file.choices))
            assert [c.text for c in q_shown.choices] == [q_file.choices[i].text for i in order]
    q1 = shown.question("q1")
    assert [c.letter for c in q1.choices if c.correct] != ["A"]  # written first, shown elsewhere
    q3_file, q3 = file_order.question("q3"), shown.question("q3")
    assert [i.text for i in q3.sort_items] != [i.text for i in q3_file.sort_items]
    assert [i.letter for i in q3.sort_items] == list("ABCD")
    assert {(i.text, i.category) for i in q3.sort_items} == {(i.text, i.category) for i in q3_file.sort_items}
    q4 = shown.question("q4")
    assert q4.start == quizbank.shuffled_start("01", "q4", 5) and q4.start != (1, 2, 3, 4, 5)
    assert sorted(q4.start) == [1, 2, 3, 4, 5]
    # shuffle = false on one question keeps its ascending options in file order
    assert [c.text for c in shown.question("q5").choices] == ["Under 10 percent.", "About 20%.",
                                                               "Over 50 percent."]


def test_shuffled_start_is_never_the_correct_order():
    for n in range(2, 7):
        for i in range(1, 40):
            start = quizbank.shuffled_start("05", f"q{i}", n)
            assert sorted(start) == list(range(1, n + 1)) and start != tuple(range(1, n + 1))


def test_the_widgets_and_the_static_html_follow_the_display_order():
    """coursekit.quizzes.widgets reads question.choices and question.sort_items in order: the live labels,
    the static HTML and the answer check all use the shuffled letters."""
    from coursekit.quizzes.widgets import make_question

    q1 = _shuffled_bank().question("q1")
    w = make_question(q1)
    assert [label for label, _ in w.control.options] == [f"{c.letter}. {c.text}" for c in q1.choices]
    html = w._repr_mimebundle_()["text/html"]
    assert "<br>".join(f"{c.letter}. {c.text}" for c in q1.choices) in html
    key = next(c.letter for c in q1.choices if c.correct)
    assert w._evaluate(key)[0] == "correct"
    assert all(w._evaluate(c.letter)[0] == "wrong" for c in q1.choices if not c.correct)
    q3 = _shuffled_bank().question("q3")
    rows = make_question(q3)
    assert f"A. {q3.sort_items[0].text}" in rows._repr_mimebundle_()["text/html"]


# --------------------------------------------------------------------------------------------
# Cue lints: canaries fail as intended, the course's banks pass
# --------------------------------------------------------------------------------------------
def test_key_order_canary_keys_written_first_fail_without_the_shuffle():
    folder = FIXTURES / "cue_key_order"
    problems = quizbank.validate_all(folder, shuffle=False, **REGISTRIES)
    assert problems == [Problem("tests/fixtures/quizzes/cue_key_order", 1,
                                "letter A holds 10 of 10 single-choice keys (100%; at most 35%); "
                                "keys by letter: A 10. Keep the banks shuffled (no `shuffle = false`), "
                                "and give questions three or more options")]


def test_key_order_canary_two_options_fail_even_shuffled():
    problems = quizbank.validate_all(FIXTURES / "cue_two_options", **REGISTRIES)
    assert len(problems) == 1 and problems[0].file == "tests/fixtures/quizzes/cue_two_options"
    assert problems[0].reason.startswith("letter ") and "of 10 single-choice keys" in problems[0].reason


def test_longest_key_canary_names_its_questions():
    problems = quizbank.validate_all(FIXTURES / "cue_longest_key", **REGISTRIES)
    assert [(p.file, p.line) for p in problems] == [("tests/fixtures/quizzes/cue_longest_key/01_demo.toml", 9)]
    assert problems[0].reason.startswith(
        "the key is the longest option in 3 of 5 single-choice questions (60%; at most 40%, here 2): "
        "q1, q2, q4.")


def test_fewer_than_ten_keys_show_no_letter_pattern():
    bank = _shuffled_bank(shuffle=False)
    assert quizbank.key_letter_problems([bank], FIXTURES) == []


def _course_banks() -> list[quizbank.Bank]:
    return [quizbank.load_bank(p) for p in quizbank.bank_paths()]


def test_course_single_choice_keys_are_spread_over_the_letters():
    counts = quizbank.key_letters(_course_banks())
    total = sum(counts.values())
    assert total >= quizbank.MIN_KEYS_FOR_BALANCE
    worst, n = counts.most_common(1)[0]
    assert n <= 0.35 * total, f"letter {worst} holds {n} of {total} keys: {dict(counts)}"


@pytest.mark.parametrize("path", quizbank.bank_paths(), ids=lambda p: p.stem)
def test_course_key_is_rarely_the_longest_option(path):
    bank = quizbank.load_bank(path)
    singles = [q for q in bank.questions if q.type == "single"]
    longest = [q.id for q in singles if quizbank.key_is_longest(q)]
    assert len(longest) <= 0.40 * len(singles), f"{path.name}: key longest in {longest} of {len(singles)}"


def test_course_banks_pass_the_cue_lints():
    assert quizbank.cue_problems(_course_banks(), QUIZZES) == []


def test_course_questions_are_all_shuffled():
    """No course bank or question keeps its file order: the file order is the author's, and
    authors tend to write the right answer first."""
    for path in quizbank.bank_paths():
        text = path.read_text(encoding="utf-8")
        assert "shuffle" not in text, f"{path.name} turns the shuffle off"
        assert "\nstart = " not in text, f"{path.name} fixes an order question's display order"
