"""Quiz bank validation: every kind of mistake is reported with its file, line and reason.

Fixture banks under tests/fixtures/quizzes/<case>/ mark each expected problem on its line with
`# EXPECT: <part of the reason>`; a case passes when the problems match the marks exactly.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit import quizbank
from coursekit.paths import QUIZZES
from coursekit.problems import ContentError, Problem

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
FIXTURE_MISCONCEPTIONS = {"m-one", "m-two", "target-as-pledge", "limit-means-cut-off",
                          "statement-as-outcome", "correlation-as-cause"}
FIXTURE_SOURCES = {"S1", "S4", "S67"}
REGISTRIES = {"misconceptions": FIXTURE_MISCONCEPTIONS, "sources": FIXTURE_SOURCES}
ERROR_CASES = sorted(p.name for p in FIXTURES.iterdir()
                     if p.is_dir() and p.name not in ("valid", "escape"))


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
    problems = quizbank.validate_all(folder, **REGISTRIES)
    extra, missing = match(problems, marks)
    assert not missing, f"expected problems not reported: {missing}\nreported: {problems}"
    assert not extra, f"unexpected problems: {extra}"


def test_problems_name_the_file_relative_to_the_course_root():
    problems = quizbank.validate_bank(FIXTURES / "unknown_key" / "01_demo.toml", **REGISTRIES)
    assert problems and all(p.file == "tests/fixtures/quizzes/unknown_key/01_demo.toml" for p in problems)
    assert str(problems[0]).startswith("tests/fixtures/quizzes/unknown_key/01_demo.toml:3: ")


@pytest.mark.parametrize("folder", ["valid", "escape"])
def test_valid_banks_have_no_problems(folder):
    assert quizbank.validate_all(FIXTURES / folder, **REGISTRIES) == []


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
