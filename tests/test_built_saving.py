"""The built notebooks, read as a learner meets them: lesson 00's name field, and free-text
checks that say "Saved" (with the rubric) rather than "correct"."""
from __future__ import annotations

import json
import re

import pytest

from coursekit.quizzes import checks

from coursekit.progress import api as progress
from coursekit.model.paths import EXERCISES, EXERCISES_SPEC, LESSONS, SOLUTIONS


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell) -> str:
    return "".join(cell["source"])


def outputs_text(cell, mime: str) -> str:
    return "".join("".join(out.get("data", {}).get(mime, "")) for out in cell.get("outputs", []))


def test_lesson_00_offers_the_name_field_in_its_progress_section():
    nb = cells(LESSONS / "00_start_here.ipynb")
    sources = [source(c) for c in nb]
    progress_at = next(i for i, s in enumerate(sources) if s.startswith("## Your progress record"))
    heading_at = next(i for i, s in enumerate(sources)
                      if s.startswith("### A name for your teacher's report (optional)"))
    field_at = next(i for i, s in enumerate(sources) if s.strip() == "progress.name_field()")
    download_at = next(i for i, s in enumerate(sources) if "progress.download_link()" in s)
    assert progress_at < heading_at < field_at < download_at and field_at == heading_at + 1
    intro = sources[heading_at]
    assert "optional" in intro.lower() and "report" in intro and "Save" in intro
    cell = nb[field_at]
    assert cell["cell_type"] == "code" and cell["execution_count"]
    shown = outputs_text(cell, "text/html")  # what GitHub and an unrun notebook show
    assert "used only to match your row in a teacher&#x27;s report" in shown
    assert "A pseudonym is fine" in shown
    assert "[Run this cell to type a name or a pseudonym and press Save.]" in shown
    assert "application/vnd.jupyter.widget-view+json" not in json.dumps(cell)
    assert outputs_text(cell, "text/plain").startswith("Your name, or a pseudonym")


def test_the_name_field_a_learner_runs_has_a_labelled_box_and_a_save_button(db):
    panel = progress.name_field()
    assert panel.box.description == "Name:" and panel.box.placeholder
    assert panel.save.description == "Save"
    assert progress.learner() in panel.status.value


def _text_exercises():
    specs, problems = checks.load_specs(EXERCISES_SPEC)
    assert not problems
    return sorted((ex.id, ex.set) for ex in specs.values() if ex.kind == "text")


def test_every_free_text_exercise_has_a_rubric_and_the_brief_a_word_range():
    specs, _ = checks.load_specs(EXERCISES_SPEC)
    texts = [ex for ex in specs.values() if ex.kind == "text"]
    assert len(texts) >= 4 and all(len(ex.rubric) >= 3 for ex in texts)
    brief = specs["07.6"]
    assert (brief.min_words, brief.max_words) == (200, 300)


@pytest.mark.parametrize("exercise_id, set_name", _text_exercises())
def test_built_solutions_save_free_text_and_never_call_it_correct(exercise_id, set_name):
    spec = checks.get_exercise(exercise_id, EXERCISES_SPEC)
    [cell] = [c for c in cells(SOLUTIONS / f"{set_name}.ipynb")
              if source(c).startswith(f'check("{exercise_id}"')]
    text = outputs_text(cell, "text/plain")
    assert re.match(r"Saved \(\d+ words\)\. Compare it with the rubric:\n- ", text), text
    assert "correct" not in text.split("rubric")[0]
    for line in spec.rubric:
        assert f"- {line}" in text
    html = outputs_text(cell, "text/html")
    assert 'class="ck-check ck-submitted"' in html and '<ul class="ck-rubric">' in html
    [learner_cell] = [c for c in cells(EXERCISES / f"{set_name}.ipynb")
                      if source(c).startswith(f'check("{exercise_id}"')]
    assert learner_cell["outputs"] == []  # exercises keep no outputs
