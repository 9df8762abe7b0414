"""The build: markers, exercise generation, normalisation, and that stored notebooks are current."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.tools import build
from coursekit.model.paths import EXERCISES, LESSONS, ROOT, SOLUTIONS

FIXTURES = Path(__file__).parent / "fixtures" / "build"


def test_malformed_markers_are_reported_with_lines():
    text = (FIXTURES / "bad_markers.md").read_text()
    problems = build.marker_problems(text, "bad_markers.md", allow=True)
    found = [(p.line, p.reason.split(" (")[0].split(";")[0]) for p in problems]
    assert found == [
        (3, "solution marker outside a code cell"),
        (8, "nested BEGIN SOLUTION"),
        (14, "END SOLUTION without a BEGIN SOLUTION"),
        (19, "BEGIN SOLUTION has no matching END SOLUTION before the code cell ends"),
    ]


def test_markers_in_a_lesson_are_refused():
    text = (FIXTURES / "good_solution.md").read_text()
    problems = build.marker_problems(text, "lesson.md", allow=False)
    assert problems and all("marker in a lesson" in p.reason for p in problems)


def test_good_solution_has_no_marker_problems():
    assert build.marker_problems((FIXTURES / "good_solution.md").read_text(), "x", allow=True) == []


def _fixture_notebook():
    src = build.Source(FIXTURES / "good_solution.md", "solution")
    return build.prepare(build.read_source(src), "99_fixture", "solution")


def test_exercise_replaces_solutions_with_runnable_placeholders():
    exercise = build.make_exercise(_fixture_notebook())
    code = "\n\n".join(c.source for c in exercise.cells if c.cell_type == "code")
    assert "growth = ...  # YOUR ANSWER HERE" in code
    assert "return part / whole" not in code and "SOLUTION" not in code
    assert "    ...  # YOUR CODE HERE" in code
    compile(code, "exercise", "exec")  # placeholders are valid Python
    solution_md = [c.source for c in _fixture_notebook().cells
                   if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])]
    assert solution_md, "the fixture has a Markdown model answer"
    shown = "\n".join(c.source for c in exercise.cells if c.cell_type == "markdown")
    assert not any(answer in shown for answer in solution_md), "a model answer reached the learner"
    assert "Write your answer here" not in shown
    assert exercise.metadata["coursekit"]["kind"] == "exercise"
    assert all(c.outputs == [] and c.execution_count is None
               for c in exercise.cells if c.cell_type == "code")


def test_setup_cell_comes_first_and_finds_the_course(tmp_path):
    nb = _fixture_notebook()
    assert nb.cells[0].metadata["tags"] == [build.SETUP_TAG]
    nested = tmp_path / "course" / "lessons"
    (tmp_path / "course" / "coursekit").mkdir(parents=True)
    nested.mkdir()
    code = nb.cells[0].source.replace("import coursekit", "")
    out = subprocess.run([sys.executable, "-c", code + "\nprint(sys.path[0])"], cwd=nested,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path / "course")


def test_normalise_strips_widget_views_and_fixes_ids():
    nb = _fixture_notebook()
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[2].outputs = [{"output_type": "display_data", "metadata": {},
                            "data": {build.WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "x"}}]
    problems = build.normalise(nb, "fixture")
    assert "widgets" not in nb.metadata
    assert build.WIDGET_VIEW not in nb.cells[2].outputs[0]["data"]
    assert [p.reason for p in problems] == [
        "cell 2 shows a widget with no static text/html fallback"]
    assert [c.id for c in nb.cells][:3] == ["cell-000", "cell-001", "cell-002"]


def _generated():
    return sorted([*LESSONS.glob("*.ipynb"), *SOLUTIONS.glob("*.ipynb"), *EXERCISES.glob("*.ipynb")])


def test_exercises_are_stored_without_outputs():
    for path in EXERCISES.glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_stored_notebooks_have_no_widget_state_or_timings():
    for path in _generated():
        text = path.read_text()
        assert build.WIDGET_VIEW not in text, path.name
        nb = json.loads(text)
        assert "widgets" not in nb["metadata"]
        assert nb["metadata"]["language_info"]["version"] == "3.11"
        assert not any("execution" in c["metadata"] for c in nb["cells"]), path.name
        assert "image/svg+xml" not in text, path.name


@pytest.mark.slow
def test_build_check_passes():
    """Fails when a source in content/ changed without `python -m coursekit build`."""
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "coursekit", "build", "--check"], cwd=ROOT,
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-3000:]


# ----------------------------------------------------------------------------- solution blocks
def test_unclosed_solution_block_is_refused_with_file_line_and_fix():
    """Canary: a Markdown solution block left open swallows the next exercise's heading (and a
    prompt inside a block would vanish too); the build refuses both, naming the line and the fix."""
    src = build.Source(FIXTURES / "bad_unclosed_solution.md", "solution")
    with pytest.raises(build.ContentError) as info:
        build.read_source(src)
    found = [(p.file, p.line, p.reason) for p in info.value.problems]
    name = "tests/fixtures/build/bad_unclosed_solution.md"
    assert found == [
        (name, 13, "the solution block opened at line 9 runs into a heading ('## Exercise 99.2: the "
                   "second exercise'), which the learner's notebook would hide; end the block with a "
                   "line '+++' before line 13, so that everything after the model answer stays in "
                   "the exercise"),
        (name, 25, "the solution block opened at line 21 runs into an exercise prompt ('Now assign "
                   "the total of both to `z`.'), which the learner's notebook would hide; end the "
                   "block with a line '+++' before line 25, so that everything after the model answer "
                   "stays in the exercise"),
    ]
    rendered, problems = build.build_one(src)  # the build stops before executing anything
    assert rendered == {} and [p.line for p in problems] == [13, 25]


def test_course_solution_blocks_are_closed():
    for src in build.discover():
        if src.kind == "solution":
            text = src.path.read_text(encoding="utf-8")
            assert build.solution_block_problems(text, src.path.name) == [], src.path.name


def test_free_text_block_inside_the_scaffold_quotes_becomes_a_bare_placeholder():
    nb = build.make_exercise(_fixture_notebook())
    cell = next(c for c in nb.cells if "text_answer" in c.source)
    assert cell.source.endswith('note = text_answer("""\n...\n""")')
    assert "model answer" not in cell.source.lower()
    ns: dict = {}
    exec(compile(cell.source, "exercise", "exec"), ns)  # noqa: S102 - our own fixture
    assert ns["note"] is Ellipsis  # so the check says "not attempted yet"
    solution = next(c for c in _fixture_notebook().cells if "text_answer" in c.source)
    exec(compile(solution.source, "solution", "exec"), ns)  # noqa: S102
    assert ns["note"] == "A model answer over\ntwo lines."
