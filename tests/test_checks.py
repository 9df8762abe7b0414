"""coursekit.quizzes.checks against a fixture exercise set: solution, placeholder, and known wrong answers."""
from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.quizzes import checks

from .conftest import saved_outcome

FIXTURE = Path(__file__).parent / "fixtures" / "exercises"


@pytest.fixture(autouse=True)
def fixture_specs(monkeypatch):
    monkeypatch.setenv("COURSEKIT_EXERCISE_SPECS", str(FIXTURE))
    recorded = []
    monkeypatch.setattr(checks.events, "record", lambda *a, **k: saved_outcome(recorded, *a, **k))
    checks._specs_cached.cache_clear()
    yield recorded
    checks._specs_cached.cache_clear()


def test_fixture_specs_are_valid():
    specs, problems = checks.load_specs(FIXTURE)
    assert problems == []
    assert sorted(specs) == ["99.1", "99.2", "99.3", "99.4", "99.5", "99.6"]


SOLUTIONS = {
    "99.1": 1.9, "99.2": "Statistic", "99.3": ["2014", "2022", "2023"],
    "99.4": {"C1": "fact", "C2": "Forecast"}, "99.5": ["S36", "S24"],
    "99.6": "A think-tank report published by SWP",
}


@pytest.mark.parametrize("exercise_id", sorted(set(SOLUTIONS) - {"99.6"}))
def test_solution_is_correct(exercise_id):
    assert str(checks.check(exercise_id, SOLUTIONS[exercise_id])) == "correct"


def test_free_text_is_saved_never_judged(fixture_specs):
    result = checks.check("99.6", SOLUTIONS["99.6"])
    assert result.status == "submitted" and not result.correct and result.saved is True
    assert str(result) == ("Saved (6 words). Compare it with the rubric:\n"
                           "- Kind: says what kind of source it is.\n"
                           "- Publisher: names who published it.")
    assert "correct" not in str(result)
    html = result._repr_html_()
    assert '<ul class="ck-rubric"><li>Kind: says what kind of source it is.</li>' in html
    (args, kwargs), = fixture_specs
    assert args == ("attempt", "99", "99.6") and kwargs["correct"] is None
    assert kwargs["answer"] == SOLUTIONS["99.6"] and kwargs["whole"] is True


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
@pytest.mark.parametrize("placeholder", [..., None])
def test_placeholder_is_not_attempted(exercise_id, placeholder, fixture_specs):
    assert str(checks.check(exercise_id, placeholder)) == "not attempted yet"
    assert fixture_specs == []  # nothing recorded for an untouched placeholder


@pytest.mark.parametrize("exercise_id, wrong, hint", [
    ("99.1", 4.71, "change in billions"),
    ("99.1", 0.019, "multiply by 100"),
    ("99.2", "forecast", "about the future"),
    ("99.3", ["2023", "2022", "2014"], "reversed"),
    ("99.4", {"C1": "fact", "C2": "fact"}, "cannot yet be a fact"),
])
def test_known_mistake_gets_its_specific_hint(exercise_id, wrong, hint):
    result = checks.check(exercise_id, wrong)
    assert str(result).startswith("not yet: ")
    assert hint in str(result)


def test_unknown_mistake_gets_generic_hint():
    assert str(checks.check("99.1", 50)) == (
        "not yet: Divide the change by the earlier year's total, then multiply by 100.")


@pytest.mark.parametrize("exercise_id, bad", [
    ("99.1", "about two"), ("99.1", [1.9]), ("99.1", True), ("99.2", 3.5),
    ("99.3", "2014, 2022"), ("99.4", ["fact"]), ("99.5", "S24"), ("99.6", 42),
])
def test_wrong_shape_never_raises_and_names_what_was_expected(exercise_id, bad):
    result = checks.check(exercise_id, bad)
    assert str(result).startswith("not yet: ")
    assert result.status == "wrong"


def test_numeric_string_is_accepted():
    assert checks.check("99.1", " 1.9 ") == "correct"


def test_text_outside_its_word_range_is_saved_with_a_hint():
    short = checks.check("99.6", "too short")
    assert str(short).startswith("Saved (2 words). The exercise asks for 5 to 40 words: about 3 "
                                 "more would reach 5. Say what the source is")
    long = checks.check("99.6", "word " * 45)
    assert str(long).startswith("Saved (45 words). The exercise asks for 5 to 40 words: cut "
                                "about 5.")
    inside = checks.check("99.6", "word " * 20)
    assert str(inside).startswith("Saved (20 words). Compare it with the rubric:")
    for result in (short, long, inside):
        assert result.status == "submitted" and not result.correct


def test_free_text_checked_without_recording_never_says_saved():
    result = checks.check("99.6", "A think-tank report published by SWP", record=False)
    assert result.saved is None and str(result).startswith("Not saved: checked only (6 words).")


@pytest.mark.parametrize("bad", ["", "   ", 42, ["a", "b"]])
def test_free_text_that_is_not_text_is_not_saved(bad, fixture_specs):
    result = checks.check("99.6", bad)
    assert str(result) == "not yet: write your answer as some text in quotes."
    assert fixture_specs == []


def test_unknown_exercise_id_is_a_message_not_an_error():
    assert "no exercise '42.1'" in str(checks.check("42.1", 3))


def test_attempts_are_recorded_with_misconception(fixture_specs):
    checks.check("99.1", 4.71)
    (args, kwargs), = fixture_specs
    assert args == ("attempt", "99", "99.1")
    assert kwargs["correct"] is False and kwargs["misconception"] == "correlation-as-cause"


def test_result_html_uses_words_and_a_symbol():
    html = checks.check("99.1", 1.9)._repr_html_()
    assert "✓" in html and "correct" in html


def test_bad_spec_is_reported_with_line(tmp_path):
    (tmp_path / "bad.toml").write_text(
        'set = "bad"\n\n[[exercise]]\nid = "01.1"\nvariable = "x"\nkind = "numbr"\n'
        'answer = 1\nhint = "h"\n\n[[exercise]]\nid = "01.2"\nvariable = "y"\nkind = "number"\n'
        'answer = 2\nhint = "h"\ncolour = "red"\n[[exercise.mistake]]\nanswer = 2.0\nhint = "same"\n')
    _, problems = checks.load_specs(tmp_path)
    reasons = {(p.line, p.reason.split(";")[0]) for p in problems}
    assert (6, "unknown kind 'numbr'") in reasons
    assert (16, "unknown key 'colour' in exercise") in reasons
    assert (18, "01.2: a listed mistake would count as correct") in reasons
