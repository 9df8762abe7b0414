"""Every exercise of the course, driven by the exercise specs (assets/exercises/*.toml), run from
its notebook source the way a learner meets it. This is the one exercise test: a lesson's tests
hold no copy of it, and a new lesson's exercises are tested with no new test code.

For each exercise set in content/solutions/, the code cells are run twice in-process: as written
(the solution) and as the build turns them into the learner's notebook (placeholders). Then, for
every exercise in the specs:
- the source checks it once, with the variable the spec names, and the spec is valid (its
  misconceptions are in the registry);
- the solution's variable passes its check;
- the placeholder's variable is `...`, and the check says "not attempted yet" (so does None);
- every known wrong answer, typed where the learner types (the `...` line the build leaves),
  reaches the check through the cell's scaffold and gets that mistake's own hint;
- answers of the wrong shape get a verdict in words, never an error; free text that is too
  short is saved with a word-count hint;
- the built solution notebook shows "correct" (free text: "Saved") under every check.
The scaffolds themselves (coursekit.lessons.answers and text_answer) are tested at the end.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coursekit.quizzes import checks

from coursekit.progress import recorder as events

from coursekit.model import course, paths
from coursekit.tools.build import strip_solution_code
from coursekit.lessons import answers, text_answer

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)
SETS = [paths.CONTENT / "solutions" / f"{e.slug}.md" for e in course.lessons() if e.exercises]
LEARNER_LINE = re.compile(r"^(?P<name>\w+) = \.\.\.  # YOUR ANSWER HERE$", re.M)
CHECK_CELL = re.compile(r"^check\(\"(?P<id>[0-9]{2}\.[0-9]+)\", (?P<variable>\w+)\)\s*$", re.M)


@pytest.fixture(autouse=True)
def no_recording(monkeypatch):
    """Checks and the brief's save cell record nothing anywhere."""
    monkeypatch.setattr(events, "record", lambda *a, **k: events.Outcome(True))  # "stored"
    checks._specs_cached.cache_clear()
    yield
    checks._specs_cached.cache_clear()


def code_cells(path: Path) -> list[str]:
    cells = []
    for source in CELL.findall(path.read_text(encoding="utf-8")):
        lines = [line for line in source.splitlines() if not line.startswith(":")]
        if lines and lines[0].strip() == "---":  # a YAML options block
            end = next(j for j in range(1, len(lines)) if lines[j].strip() == "---")
            lines = lines[end + 1:]
        text = "\n".join(lines)
        if not text.lstrip().startswith("check("):  # the checks are called by the tests
            cells.append(text)
    return cells


def run(cells: list[str], name: str) -> dict:
    ns: dict = {}
    for source in cells:
        exec(compile(source, name, "exec"), ns)  # noqa: S102 - the course's own notebook source
    return ns


def specs_for(path: Path) -> list[checks.Exercise]:
    found, problems = checks.load_specs(paths.EXERCISES_SPEC)
    assert not [p for p in problems if path.stem in p.file], problems
    return sorted((ex for ex in found.values() if ex.set == path.stem), key=lambda e: e.id)


def _ok(ex: checks.Exercise, result: checks.Result) -> bool:
    if ex.kind == "text":  # free text is saved, not judged: it only must not be refused
        return result.status != "unattempted" and not str(result).startswith("not yet")
    return str(result) == checks.CORRECT


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_solution_is_correct_and_placeholder_not_attempted(path):
    cells = code_cells(path)
    solution = run(cells, str(path))
    exercise = run([strip_solution_code(c) for c in cells], f"{path} (exercise)")
    specs = specs_for(path)
    assert specs, f"no exercises for {path.stem}"
    for ex in specs:
        assert ex.variable in solution, f"{ex.id}: the solution never assigns {ex.variable}"
        assert _ok(ex, checks.check(ex.id, solution[ex.variable])), (ex.id, solution[ex.variable])
        assert exercise[ex.variable] is Ellipsis, f"{ex.id}: {ex.variable} is not `...` in the exercise"
        assert str(checks.check(ex.id, exercise[ex.variable])) == checks.NOT_ATTEMPTED, ex.id


def _typed(value) -> str:
    """A mistake as the learner would type it (a range of numbers: its middle)."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        return repr((value[0] + value[1]) / 2)
    return repr(value)


def _wrong_cases():
    for path in SETS:
        for ex in specs_for(path):
            for j, mistake in enumerate(ex.mistakes):
                yield pytest.param(path, ex.id, j, id=f"{ex.id}-mistake{j + 1}")


@pytest.mark.parametrize("path, exercise_id, j", list(_wrong_cases()))
def test_a_known_mistake_typed_into_the_cell_gets_its_own_hint(path, exercise_id, j):
    ex = checks.get_exercise(exercise_id)
    mistake = ex.mistakes[j]
    cells = [strip_solution_code(c) for c in code_cells(path)]
    target = next(k for k, c in enumerate(cells)
                  if re.search(rf"^{ex.variable} = ", c, re.M))
    cell = cells[target]
    learner = [m["name"] for m in LEARNER_LINE.finditer(cell)]
    assert learner, f"{ex.id}: no line for the learner in the cell that assigns {ex.variable}"
    if ex.variable in learner:  # the learner types the answer itself
        name, typed = ex.variable, _typed(mistake.answer)
    else:  # the learner types the values; the cell pairs them with keys (answers())
        assert ex.kind == "mapping", ex.id
        name = learner[-1]
        wrong = {**ex.answer, **mistake.answer}
        typed = repr([wrong[k] for k in ex.answer])
    cells[target] = re.sub(rf"^{name} = \.\.\.  # YOUR ANSWER HERE$", f"{name} = {typed}", cell, flags=re.M)
    ns = run(cells[: target + 1], f"{path} (exercise, wrong answer)")
    result = checks.check(ex.id, ns[ex.variable])
    assert str(result) == f"not yet: {mistake.hint}", (ex.id, typed, str(result))
    assert result.misconception == mistake.misconception


def test_every_spec_is_valid_and_names_registered_misconceptions():
    assert checks.validate_specs() == []


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_the_source_checks_each_exercise_of_its_spec_once(path):
    calls = [(m["id"], m["variable"]) for m in CHECK_CELL.finditer(path.read_text(encoding="utf-8"))]
    specs = specs_for(path)
    assert sorted(calls) == sorted((ex.id, ex.variable) for ex in specs), (
        f"{path.stem}: the check cells and assets/exercises/{path.stem}.toml disagree")


def _all_exercises():
    return [ex for path in SETS for ex in specs_for(path)]


@pytest.mark.parametrize("ex", _all_exercises(), ids=lambda ex: ex.id)
def test_a_wrong_shape_gets_a_verdict_in_words_never_an_error(ex):
    assert str(checks.check(ex.id, None)) == checks.NOT_ATTEMPTED
    for strange in ("", 3, [1, 2], {"x": 1}, object(), float("nan"), "x" * 10_000):
        result = checks.check(ex.id, strange)
        text = str(result)
        assert result.status in {"wrong", "submitted", "unattempted"}, (ex.id, strange)
        assert text and "Traceback" not in text and not result.correct


@pytest.mark.parametrize("ex", [ex for ex in _all_exercises() if ex.kind == "text" and ex.min_words],
                         ids=lambda ex: ex.id)
def test_short_free_text_is_saved_with_a_word_count_hint(ex):
    result = checks.check(ex.id, "Too short to count.")
    assert result.status == "submitted" and "asks for" in str(result), str(result)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_the_built_solution_notebook_shows_correct_under_every_check(path):
    nb = nbformat.read(paths.SOLUTIONS / f"{path.stem}.ipynb", as_version=4)
    shown = {}
    for cell in nb.cells:
        m = CHECK_CELL.match(cell.source.strip()) if cell.cell_type == "code" else None
        if m:
            shown[m["id"]] = "".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                                     for o in cell.get("outputs", []))
    for ex in specs_for(path):
        if ex.kind == "text":
            assert shown[ex.id].startswith("Saved ("), (ex.id, shown[ex.id][:80])
        else:
            assert shown[ex.id] == checks.CORRECT, (ex.id, shown[ex.id][:80])


# ----------------------------------------------------------------------------- the scaffolds
def test_answers_pairs_keys_with_values_in_order():
    assert answers(["F1", "F2"], ["cut off", "limited"]) == {"F1": "cut off", "F2": "limited"}
    assert answers(["F1", "F2"], ("a", "b")) == {"F1": "a", "F2": "b"}
    assert answers(["F1"], ...) is Ellipsis
    assert answers(["F1"], None) is Ellipsis


def test_answers_explains_a_wrong_shape_without_raising(capsys):
    assert answers(["F1", "F2", "F3"], ["a", "b"]) == {"F1": "a", "F2": "b"}
    assert "You gave 2 answers for 3 items (F1, F2, F3)" in capsys.readouterr().out
    assert answers(["F1", "F2"], "cut off") == {"F1": "cut off"}
    assert "as a list in square brackets" in capsys.readouterr().out
    result = checks.evaluate(checks.Exercise("9.1", "x", "v", "mapping", {"F1": "a", "F2": "b"}, "Hint."),
                             answers(["F1", "F2"], "a"))
    assert str(result) == "not yet: Hint."


def test_text_answer_is_the_text_or_not_attempted():
    assert text_answer("\n...\n") is Ellipsis
    assert text_answer("\n   \n") is Ellipsis
    assert text_answer(...) is Ellipsis
    assert text_answer("\nMy brief,\nover two lines.\n") == "My brief,\nover two lines."
    assert text_answer("\n# BEGIN SOLUTION\nModel.\n# END SOLUTION\n") == "Model."
    assert text_answer(42) == 42  # the check then names the expected shape
