"""course.toml, the course's one list of lessons, and its loader coursekit.model.course."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.model import course

from coursekit.tools import validate
from coursekit.model.paths import CONTENT, ROOT

ENTRY = '''[[lesson]]
id = "{id}"
slug = "{slug}"
title = "{title}"
summary = "a summary"
minutes = {minutes}
optional_minutes = {optional}
exercises = {exercises}
helper = "{helper}"
datasets = {datasets}
'''


def write_course(folder: Path, *entries: dict, head: str = "") -> Path:
    defaults = {"title": "T", "minutes": 30, "optional": 0, "exercises": "true", "helper": "",
                "datasets": "[]"}
    text = head + "\n".join(ENTRY.format(**{**defaults, **e}) for e in entries)
    path = folder / "course.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_course_lists_every_lesson_source_and_the_readme_maps_them():
    lessons = course.lessons()
    assert [entry.slug for entry in lessons] == sorted(p.stem for p in
                                                       (CONTENT / "lessons").glob("*.md"))
    assert lessons[0].id == "00" and not lessons[0].exercises  # Start here has no exercise set
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for entry in lessons:
        row = re.search(rf"^\| \[{entry.id} ([^\]]+)\]\(lessons/{entry.slug}\.ipynb\) \| "
                        rf"(.+?) \| (\d+) min(?: \+ \d+ min optional)? \|$", readme, re.M)
        assert row, f"lesson {entry.id} is missing from the README's lesson map"
        assert (row[1], row[2], int(row[3])) == (entry.title, entry.summary, entry.minutes)
    assert course.lesson(lessons[1].id).title == lessons[1].title


def test_the_course_file_keeps_its_documented_shape():
    text = (ROOT / "course.toml").read_text(encoding="utf-8")
    assert text.startswith("# The course's one list of lessons")
    keys = re.findall(r"^(\w+) = ", text, re.M)
    assert keys == list(course.FIELDS) * len(course.lessons())
    for field in course.FIELDS:  # the header says what each key means
        assert field in text.split("[[lesson]]")[0], field


def test_every_lesson_owns_its_files_and_every_table_has_one_owner():
    owned = [rel for entry in course.lessons() for rel in entry.files.values()]
    assert len(owned) == len(set(owned))
    for rel in owned:
        assert (ROOT / rel).exists(), rel
    tables = sorted(p.stem for p in (ROOT / "assets" / "data").glob("*.csv"))
    assert sorted(d for entry in course.lessons() for d in entry.datasets) == tables


def test_an_unknown_lesson_id_is_a_clear_key_error():
    with pytest.raises(KeyError, match="no lesson '99' in course.toml .lessons: 00, 01"):
        course.lesson("99")


@pytest.mark.parametrize("entry, line, reason", [
    ({"id": "3", "slug": "03_x"}, 2, "id must be two digits"),
    ({"id": "03", "slug": "04_x"}, 3, "must start with its id"),
    ({"id": "03", "slug": "03 X"}, 3, "slug must look like"),
    ({"id": "03", "slug": "03_x", "minutes": '"forty"'}, 6, "minutes must be a whole number"),
    ({"id": "03", "slug": "03_x", "optional": "-5"}, 7, "optional_minutes must be a whole number"),
    ({"id": "03", "slug": "03_x", "exercises": '"yes"'}, 8, "exercises must be true or false"),
    ({"id": "03", "slug": "03_x", "helper": "lesson3"}, 9, "helper must name a module"),
    ({"id": "03", "slug": "03_x", "datasets": '"trade"'}, 10, "datasets must be a list"),
])
def test_a_malformed_entry_is_named_by_file_and_line(tmp_path, entry, line, reason):
    path = write_course(tmp_path, entry)
    with pytest.raises(course.CourseError) as info:
        course.lessons(path)
    [problem] = info.value.problems
    assert problem.file.endswith("course.toml") and problem.line == line
    assert reason in problem.reason and "lesson entry 1" in problem.reason


def test_duplicates_missing_keys_and_disorder_are_refused(tmp_path):
    path = write_course(tmp_path, {"id": "01", "slug": "01_a"}, {"id": "01", "slug": "01_b"},
                        {"id": "00", "slug": "00_c"})
    text = path.read_text() + '[[lesson]]\nid = "05"\ncolour = "red"\n'
    path.write_text(text)
    with pytest.raises(course.CourseError) as info:
        course.lessons(path)
    reasons = [(p.line, p.reason) for p in info.value.problems]
    assert (13, "lesson entry 2: id '01' is already used by lesson entry 1") in reasons
    assert (24, "lesson entry 3: id '00' comes after '01': list the lessons in course order") \
        in reasons
    assert any(r.startswith("lesson entry 4: unknown key 'colour'") for _, r in reasons)
    assert any(r.startswith("lesson entry 4: is missing slug, title") for _, r in reasons)


def test_syntax_errors_and_a_missing_file_are_course_errors(tmp_path):
    bad = tmp_path / "course.toml"
    bad.write_text('[[lesson]]\nid = "00\n')
    with pytest.raises(course.CourseError, match=r"course.toml:2: TOML syntax error"):
        course.lessons(bad)
    with pytest.raises(course.CourseError, match="missing"):
        course.lessons(tmp_path / "nothing.toml")


def _tree(tmp_path: Path) -> Path:
    for folder in ("content/lessons", "content/solutions", "content/instructor", "assets/quizzes",
                   "assets/exercises", "assets/data", "coursekit/lessons"):
        (tmp_path / folder).mkdir(parents=True)
    write_course(tmp_path, {"id": "00", "slug": "00_start", "exercises": "false"},
                 {"id": "01", "slug": "01_first", "helper": "l01", "datasets": '["trade"]'})
    for name in ("content/lessons/00_start.md", "content/lessons/01_first.md",
                 "content/solutions/01_first.md", "assets/quizzes/00_start.toml",
                 "assets/quizzes/01_first.toml", "content/instructor/00_start.md",
                 "content/instructor/01_first.md", "coursekit/lessons/l01.py",
                 "assets/data/trade.csv"):
        (tmp_path / name).write_text("")
    (tmp_path / "assets/exercises/01_first.toml").write_text(
        'set = "01_first"\n[[exercise]]\nid = "01.1"\n')
    return tmp_path


def test_a_consistent_course_has_no_problems(tmp_path):
    assert course.validate(_tree(tmp_path)) == []
    assert course.validate() == []  # and the real course is consistent


def test_an_unlisted_lesson_is_refused_where_the_course_is_checked(tmp_path):
    root = _tree(tmp_path)
    (root / "content/lessons/08_extra.md").write_text("")
    (root / "assets/quizzes/08_extra.toml").write_text("")
    (root / "assets/exercises/01_first.toml").write_text(
        'set = "01_first"\n[[exercise]]\nid = "01.1"\n[[exercise]]\nid = "08.2"\n')
    problems = course.validate(root)
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.reason.split(":")[0]) for p in problems}
    assert ("08_extra.md", 1, "the lesson source '08_extra' is not a lesson in course.toml") \
        in found
    assert ("08_extra.toml", 1, "the quiz bank '08_extra' is not a lesson in course.toml") in found
    assert any(p.line == 5 and "exercise '08.2' belongs to lesson '08'" in p.reason
               for p in problems)
    assert all("progress store records answers only for listed lessons" in p.reason
               for p in problems if "is not a lesson" in p.reason)


def test_missing_sources_and_exercise_flags_are_checked(tmp_path):
    root = _tree(tmp_path)
    (root / "content/solutions/01_first.md").unlink()
    (root / "content/solutions/00_start.md").write_text("")
    (root / "content/lessons/00_start.md").unlink()
    reasons = [p.reason for p in course.validate(root)]
    assert "lesson 00: its lesson content/lessons/00_start.md does not exist" in reasons
    assert "lesson 01: its exercise set content/solutions/01_first.md does not exist" in reasons
    assert "lesson 00: exercises = false but content/solutions/00_start.md exists" in reasons


def test_every_owned_file_and_table_is_checked(tmp_path):
    root = _tree(tmp_path)
    for name in ("content/instructor/01_first.md", "coursekit/lessons/l01.py",
                 "assets/quizzes/01_first.toml", "assets/data/trade.csv"):
        (root / name).unlink()
    (root / "assets/data/orphan.csv").write_text("")
    problems = course.validate(root)
    reasons = {p.reason for p in problems}
    assert "lesson 01: its teacher's page content/instructor/01_first.md does not exist" in reasons
    assert "lesson 01: its helper coursekit/lessons/l01.py does not exist" in reasons
    assert "lesson 01: its quiz bank assets/quizzes/01_first.toml does not exist" in reasons
    assert "lesson 01: its dataset trade assets/data/trade.csv does not exist" in reasons
    orphan = next(p for p in problems if p.file.endswith("orphan.csv"))
    assert orphan.line == 1 and "owned by no lesson" in orphan.reason
    lines = {p.reason: p.line for p in problems}
    assert lines["lesson 01: its helper coursekit/lessons/l01.py does not exist"] == 20


def test_coursekit_check_runs_the_course_validator(monkeypatch):
    from coursekit.model.problems import Problem

    sentinel = Problem("course.toml", 7, "sentinel from the course validator")
    monkeypatch.setattr(course, "validate", lambda: [sentinel])
    assert sentinel in validate.all_problems()


def test_importing_the_course_list_is_cheap():
    code = ("import sys, coursekit.model.course as c; c.lesson_ids(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'ipywidgets', 'matplotlib', 'IPython', 'pandas', 'sqlite3'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_a_copy_without_the_list_still_checks_answers_and_says_nothing_was_saved(tmp_path):
    """A partial copy of the course (no course.toml): checks and quizzes still answer, and say
    plainly that nothing could be saved, instead of failing at import."""
    import shutil

    for name in ("coursekit", "assets"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    code = ("from coursekit import check, quiz\n"
            "r = check('01.2', 3)\n"
            "print(r.status, r.saved)\n"
            "print(r)\n"
            "w = quiz('00', 'q3'); w.box.value = '244.81'\n"
            "print(w.feedback.value)\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path),
           "COURSEKIT_PROGRESS_DB": str(tmp_path / "p.sqlite3"), "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    status, text, feedback = run.stdout.split("\n", 2)[0], run.stdout, run.stdout
    assert status == "wrong False"
    assert "not yet: " in text and "was not saved: the progress store cannot be loaded" in text
    assert "course.toml" in text and "Tell your teacher" in text
    assert "\u2713 Correct" not in feedback and "Not saved" in feedback
    assert not (tmp_path / "p.sqlite3").exists()
