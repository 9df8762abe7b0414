"""`python -m coursekit sync`: every map, table and teacher's page derived from course.toml, the
quiz banks and content/instructor/ is up to date, and each is what its sources say."""
from __future__ import annotations

import dataclasses
import io
import shutil

import pytest

from coursekit.model import course, facts, paths
from coursekit.model.problems import ContentError
from coursekit.tools import sync


def test_every_derived_file_is_up_to_date():
    out = io.StringIO()
    code = sync.sync(check=True, stream=out)
    assert code == 0, f"derived files are stale; run `python -m coursekit sync`:\n{out.getvalue()}"
    assert "0 derived file(s) out of date, 0 problem(s)" in out.getvalue()


def test_the_command_is_registered_with_check():
    from coursekit.__main__ import COMMANDS

    assert COMMANDS["sync"][0] == "coursekit.tools.sync"
    assert sync.main(["--check"]) == 0


def test_a_stale_map_is_found_and_rewritten(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    text = sync.README.read_text(encoding="utf-8")
    first = course.lessons()[1]
    extra = f" + {first.optional_minutes} min optional" if first.optional_minutes else ""
    cell = f"| {first.minutes} min{extra} |"
    readme.write_text(text.replace(cell, "| 99 min |", 1), encoding="utf-8")
    monkeypatch.setattr(sync, "README", readme)
    out = io.StringIO()
    assert sync.sync(check=True, stream=out) == 1
    assert f"stale: {readme}" in out.getvalue()
    assert "99 min" in readme.read_text(encoding="utf-8")  # --check changes nothing
    # Writing it would put the right time back (computed, not written to the real files here).
    wanted, problems = sync.expected()
    assert problems == [] and "| 99 min |" not in wanted[readme]
    assert cell in wanted[readme]


def test_a_block_without_its_markers_is_a_problem_with_its_file():
    with pytest.raises(ContentError) as info:
        sync.replace_block("# Title\n\nno markers here\n", "lesson-map", "course.toml", "x",
                           file="README.md")
    [problem] = info.value.problems
    assert problem.file == "README.md" and "lost its markers" in problem.reason


def test_block_replacement_keeps_the_rest_of_the_page():
    text = "before\n<!-- BEGIN m (old note) -->\nold\n<!-- END m -->\nafter\n"
    new = sync.replace_block(text, "m", "course.toml", "new body", file="x.md")
    assert new.startswith("before\n<!-- BEGIN m (generated from course.toml by ")
    assert new.endswith("-->\nnew body\n<!-- END m -->\nafter\n")
    assert sync.replace_block(new, "m", "course.toml", "new body", file="x.md") == new


def test_lesson_times_follow_course_toml_including_optional_minutes():
    entry = dataclasses.replace(course.lesson("02"), minutes=35, optional_minutes=10)
    page = ("**Lesson:** `x`, 40 minutes.\n**Estimated time:** 40 minutes for the lesson.\n"
            "## Timing (40 minutes)\n")
    once = sync.set_minutes(page, entry)
    assert once == ("**Lesson:** `x`, 35 minutes (plus 10 minutes optional).\n"
                    "**Estimated time:** 35 minutes (plus 10 minutes optional) for the lesson.\n"
                    "## Timing (35 minutes + 10 optional)\n")
    assert sync.set_minutes(once, entry) == once
    back = dataclasses.replace(entry, minutes=40, optional_minutes=0)
    assert sync.set_minutes(once, back) == page
    row = sync.readme_map((entry,)).splitlines()[-1]
    assert row.endswith("| 35 min + 10 min optional |")


def test_maps_list_every_lesson_in_course_order():
    lessons = course.lessons()
    readme = sync.README.read_text(encoding="utf-8")
    start = (paths.CONTENT / "lessons" / f"{lessons[0].slug}.md").read_text(encoding="utf-8")
    guide = sync.GUIDE.read_text(encoding="utf-8")
    positions = [readme.index(f"[{e.id} {e.title}](lessons/{e.slug}.ipynb)") for e in lessons]
    assert positions == sorted(positions)
    for e in lessons[1:]:
        assert f"| [Lesson {e.id}: {e.title}]({e.slug}.ipynb) | {e.summary} |" in start
        extra = f" + {e.optional_minutes} optional" if e.optional_minutes else ""
        assert f"| {e.id} {e.title} | {e.minutes}{extra} | [{e.slug}.md]({e.slug}.md) |" in guide
    assert f"| Lesson {lessons[0].id}: {lessons[0].title} (this notebook) |" in start


def test_teacher_pages_are_their_sources_with_facts_filled():
    for entry in course.lessons():
        source = (sync.PAGES / f"{entry.slug}.md").read_text(encoding="utf-8")
        page = (paths.INSTRUCTOR / f"{entry.slug}.md").read_text(encoding="utf-8")
        assert page == sync.teacher_page(entry, source)
        assert "{{" not in page
    risks = (paths.INSTRUCTOR / "06_risks.md").read_text(encoding="utf-8")
    assert f"from a {facts.all_facts()['china_share_2023h1'].text} top share alone" in risks


def test_one_data_edit_changes_the_teacher_page(tmp_path, monkeypatch):
    """The acceptance test of named facts, for the teacher's page: China's first-half-2023 share
    edited in its CSV shows on instructor/06_risks.md after sync, with no other edit."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    csv = data / "risks_russia_imports_by_partner.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = [line.replace(",42,", ",43,") if line.startswith("2023-H1,") and ",China," in line
              else line for line in lines]
    assert edited != lines
    csv.write_text("".join(edited), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", data)
    entry = course.lesson("06")
    page = sync.teacher_page(entry, (sync.PAGES / f"{entry.slug}.md").read_text(encoding="utf-8"))
    assert "from a 43% top share alone" in page and "42%" not in page
