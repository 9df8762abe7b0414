"""`python -m coursekit timing`: the method, the counting, and the stated times (issue 22).

The rule: every lesson's stated `minutes` (course.toml: the core path, quiz included) lies within
15% of the estimate from its built notebook, and so does `optional_minutes` where a lesson gives
it. The rule holds for every lesson of course.toml: a new lesson is timed from its first build.
"""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from coursekit.model import course
from coursekit.model.paths import ROOT
from coursekit.tools import timing

#: Every lesson of the course: the rule is enforced for all of them.
CHECKED = list(course.lesson_ids())


@pytest.fixture(scope="module")
def timings():
    return {t.id: t for t in timing.course_timings()}


def _words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def _html(text: str):
    return nbformat.v4.new_output("display_data", data={"text/html": text, "text/plain": "x"})


def test_counting_on_a_notebook_of_known_size():
    quiz = ('<div class="cq-static cq-quiz"><p><strong>Check your understanding</strong></p>'
            + "".join(f'<div class="cq-static"><p><strong>Question {i} of 3 (single choice)'
                      f'</strong></p><p>{_words(80)}</p></div>' for i in (1, 2, 3)) + "</div>")
    chart = (f'<div class="ck-chart-note"><p><strong>Chart description:</strong> {_words(16)}</p>'
             f'<details><summary>Data table (9 rows)</summary><table><tr><td>{_words(500)}'
             "</td></tr></table></details></div>")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import coursekit"),
        nbformat.v4.new_markdown_cell(f"# Title\n\n{_words(160)} <!-- nocite: not read -->"),
        nbformat.v4.new_code_cell("chart", outputs=[_html(chart)]),  # 16 + 4 summary words
        nbformat.v4.new_markdown_cell("## Check your understanding"),
        nbformat.v4.new_code_cell("quiz('99')", outputs=[_html(quiz)]),
        nbformat.v4.new_code_cell("explore", outputs=[
            _html(f"<p><em>Interactive control: run the notebook to use it.</em> {_words(172)}</p>")]),
        nbformat.v4.new_markdown_cell(f"## Going further: depth\n\n{_words(180)}"),
        nbformat.v4.new_code_cell('check("99.1", x)', outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=_words(90))]),
        nbformat.v4.new_markdown_cell("## Further reading"),
        nbformat.v4.new_code_cell("refs", metadata={"jupyter": {"outputs_hidden": True}},
                                  outputs=[_html(f"<ul><li>{_words(360)}</li></ul>")]),
    ]
    est = timing.estimate_notebook(nb)
    titles = [(s.title, s.optional) for s in est.sections]
    assert titles == [("(before the first heading)", False), ("Title", False),
                      ("Check your understanding", False), ("Going further: depth", True),
                      ("Further reading", False)]
    core, extra = est.total("core"), est.total("extra")
    # Title: 1 + 160 prose words; chart: 16 + "Chart description:" (2) + summary "Data table
    # (9 rows)" (4); exploration: 8 note words + 172; headings "Check your understanding" (3)
    # and "Further reading" (2).
    assert core.prose_words == 1 + 160 + 3 + 2
    assert core.output_words == (2 + 16 + 4) + (8 + 172)
    assert (core.quiz_items, core.code_cells, core.explorations, core.exercises) == (3, 5, 1, 0)
    assert extra.prose_words == 3 + 180 and extra.output_words == 90 + 360
    assert (extra.code_cells, extra.exercises) == (1, 1)
    assert est.core_minutes == pytest.approx(
        (166 + 202) / timing.READING_WPM + 3 * timing.QUIZ_ITEM_MINUTES
        + 5 * timing.CODE_CELL_MINUTES + timing.EXPLORATION_MINUTES)
    assert est.optional_minutes == pytest.approx(
        (183 + 450) / timing.READING_WPM + timing.CODE_CELL_MINUTES + timing.EXERCISE_MINUTES)


def test_fits_is_within_15_percent_of_the_estimate():
    assert timing.TOLERANCE == 0.15
    assert timing.fits(40, 46.0) and timing.fits(40, 35.0)
    assert not timing.fits(40, 48.0) and not timing.fits(40, 34.0)


def test_small_times_fit_within_a_whole_minute():
    """course.toml states whole minutes: 1 minute fits 1.4, 0 does not fit 1.4 nor 5 fit 6.2."""
    assert timing.fits(1, 1.4) and timing.fits(2, 1.6) and timing.fits(5, 5.9)
    assert not timing.fits(0, 1.4) and not timing.fits(5, 6.2)


def test_the_command_prints_its_method_and_every_lesson():
    """`python -m coursekit timing` runs in make test: this is where."""
    done = subprocess.run([sys.executable, "-m", "coursekit", "timing"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for constant in (f"{timing.READING_WPM} words a minute", f"{timing.QUIZ_ITEM_MINUTES:g} min each",
                     f"{timing.CODE_CELL_MINUTES:g} min each", f"{timing.EXERCISE_MINUTES:g} min each",
                     "15%", "Going further"):
        assert constant in out, constant
    for lesson in course.lessons():
        assert f"{lesson.id} {lesson.title[:24]}" in out
        assert f"{lesson.id} {lesson.title}: lesson ({lesson.slug}.ipynb)" in out


def test_json_matches_the_table(timings):
    done = subprocess.run([sys.executable, "-m", "coursekit", "timing", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    data = json.loads(done.stdout)
    assert data["method"]["reading_wpm"] == timing.READING_WPM
    for row in data["lessons"]:
        assert row["core_minutes"] == pytest.approx(timings[row["id"]].core, abs=0.01)
        assert row["stated"] == course.lesson(row["id"]).minutes


def test_every_lesson_has_an_estimate_from_its_built_notebooks(timings):
    for lesson in course.lessons():
        t = timings[lesson.id]
        assert t.lesson is not None and t.core > 5, lesson.id
        assert (t.exercise_set is not None) == lesson.exercises, lesson.id
        if t.exercise_set is not None:
            assert t.exercise_set.total("core").exercises >= 4, lesson.id


@pytest.mark.parametrize("lesson_id", CHECKED)
def test_stated_minutes_fit_the_estimate(timings, lesson_id):
    t = timings[lesson_id]
    assert t.fits, (f"lesson {lesson_id} states {t.stated} min in course.toml; its core path "
                    f"measures {t.core:.1f} min (python -m coursekit timing --lesson {lesson_id})")
    if t.stated_optional is not None:
        assert t.optional_fits, (f"lesson {lesson_id} states {t.stated_optional} optional min; "
                                 f"its optional depth measures {t.optional:.1f} min")
