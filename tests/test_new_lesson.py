"""`python -m coursekit new-lesson`: a scaffolded lesson is a lesson of the course, with no other
Python edit. In a temporary copy of the course, lesson 08 is scaffolded; then `check`, `sync
--check` and the build pass, the maps list it, and its quiz answer and exercise check are
recorded by the progress store."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.model import course
from coursekit.model.paths import ROOT
from coursekit.tools import newlesson

COPIED = ("coursekit", "content", "assets", "instructor", "course.toml", "README.md")


def _run(copy: Path, *args: str, env: dict | None = None, timeout: int = 300) -> str:
    done = subprocess.run([sys.executable, *args], cwd=copy, capture_output=True, text=True,
                          env=env, timeout=timeout)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the course with lesson 08 scaffolded, checked, synced and built."""
    root = tmp_path_factory.mktemp("course")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    env = {k: v for k, v in os.environ.items() if k != "COURSEKIT_ARTICLE"}
    out = _run(root, "-m", "coursekit", "new-lesson", "08", "media", "Media and the message",
               "--summary", "weigh how the story was told", "--minutes", "30", env=env)
    assert "wrote content/lessons/08_media.md" in out and "sync: 4 file(s) written" in out
    _run(root, "-m", "coursekit", "check", env=env)
    _run(root, "-m", "coursekit", "sync", "--check", env=env)
    _run(root, "-m", "coursekit", "build", "--only", "08_", env=env)
    return root


def test_the_lesson_owns_its_files_and_needs_no_other_python_edit(copy):
    text = (copy / "course.toml").read_text(encoding="utf-8")
    assert text.rstrip().endswith('helper = "l08"\ndatasets = []')
    changed = [p.relative_to(copy) for p in (copy / "coursekit").rglob("*.py")
               if not (ROOT / p.relative_to(copy)).exists()
               or (ROOT / p.relative_to(copy)).read_bytes() != p.read_bytes()]
    assert changed == [Path("coursekit/lessons/l08.py")]
    entry = course.lesson("08", copy / "course.toml")
    assert (entry.slug, entry.minutes, entry.exercises) == ("08_media", 30, True)
    for rel in entry.files.values():
        assert (copy / rel).is_file(), rel


def test_its_maps_are_generated(copy):
    readme = (copy / "README.md").read_text(encoding="utf-8")
    assert ("| [08 Media and the message](lessons/08_media.ipynb) | weigh how the story was told "
            "| 30 min |") in readme
    start = (copy / "content/lessons/00_start_here.md").read_text(encoding="utf-8")
    assert "| [Lesson 08: Media and the message](08_media.ipynb) | weigh how the story was told" in start
    guide = (copy / "instructor/README.md").read_text(encoding="utf-8")
    assert "| 08 Media and the message | 30 | [08_media.md](08_media.md) |" in guide
    assert "<b>08 Media and the message</b>: 1 objective" in guide
    assert "- `08.o1` Identify what this lesson asks of you" in guide
    page = (copy / "instructor/08_media.md").read_text(encoding="utf-8")
    assert page.startswith("<!-- Generated from content/instructor/08_media.md")
    assert "**Estimated time:** 30 minutes for the lesson." in page


def test_it_builds_into_notebooks_a_learner_can_use(copy):
    lesson = nbformat.read(copy / "lessons/08_media.ipynb", as_version=4)
    shown = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                      for c in lesson.cells if c.cell_type == "code" for o in c.outputs)
    assert "Lesson 08: Media and the message, about 30 minutes." in shown
    assert "How many learning objectives does this lesson list?" in shown
    exercise = nbformat.read(copy / "exercises/08_media.ipynb", as_version=4)
    sources = [c.source for c in exercise.cells if c.cell_type == "code"]
    assert "objectives_listed = ...  # YOUR ANSWER HERE" in sources
    solution = nbformat.read(copy / "solutions/08_media.ipynb", as_version=4)
    checks = [o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
              for c in solution.cells if c.source.startswith("check(") for o in c.outputs]
    assert [c.strip() for c in checks] == ["correct"]


def test_its_quiz_answer_and_exercise_check_are_recorded(copy, tmp_path):
    code = ("import json\n"
            "from coursekit import check, progress, quiz\n"
            "w = quiz('08', 'q1'); w.box.value = '1'\n"
            "print(json.dumps({'feedback': w.feedback.value, 'check': str(check('08.1', 1)),\n"
            "                  'events': progress.events('08'), 'summary': progress.summary()}))\n")
    env = dict(os.environ, COURSEKIT_PROGRESS_DB=str(tmp_path / "progress.sqlite3"))
    result = json.loads(_run(copy, "-c", code, env=env).strip().splitlines()[-1])
    assert "Correct" in result["feedback"] and result["check"] == "correct"
    assert {(e["item"], e["correct"]) for e in result["events"]} >= {("08.q1", 1), ("08.1", 1)}
    assert result["summary"]["08"]["quiz_correct"] == 1
    assert result["summary"]["08"]["exercises_correct"] == 1


@pytest.mark.parametrize("args, reason", [
    (("03", "again", "Again"), r"lesson 03 already exists \(03_partnership\)"),
    (("8", "media", "Media"), "the lesson id is two digits"),
    (("08", "Media Coverage", "Media"), "the slug is lower-case words"),
    (("08", "media", ""), "give the lesson a title"),
])
def test_a_taken_or_malformed_lesson_is_refused_in_words(args, reason):
    with pytest.raises(ValueError, match=reason):
        newlesson.plan(*args, summary="s", minutes=30, exercises=True)


def test_an_existing_file_is_never_overwritten(tmp_path):
    shutil.copy2(ROOT / "course.toml", tmp_path / "course.toml")
    (tmp_path / "content/lessons").mkdir(parents=True)
    (tmp_path / "content/lessons/08_media.md").write_text("mine")
    with pytest.raises(ValueError, match="content/lessons/08_media.md already exists"):
        newlesson.plan("08", "media", "Media", summary="s", minutes=30, exercises=True,
                       root=tmp_path)


def test_the_entry_goes_in_course_order(tmp_path):
    shutil.copy2(ROOT / "course.toml", tmp_path / "course.toml")
    text = (tmp_path / "course.toml").read_text(encoding="utf-8")
    without = text.replace(text[text.index('[[lesson]]\nid = "05"'):
                                text.index('[[lesson]]\nid = "06"')], "")
    (tmp_path / "course.toml").write_text(without, encoding="utf-8")
    files = newlesson.plan("05", "economy", "Economy", summary="s", minutes=40, exercises=False,
                           root=tmp_path)
    (tmp_path / "course.toml").write_text(files[tmp_path / "course.toml"], encoding="utf-8")
    ids = course.lesson_ids(tmp_path / "course.toml")
    assert ids == tuple(sorted(ids)) and "05" in ids
    assert not any("solutions" in str(p) or "exercises" in str(p) for p in files)
