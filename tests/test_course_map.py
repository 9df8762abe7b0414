"""The lesson map agrees everywhere: course.toml, each lesson's own estimate, lesson 00's map and
the README's (the maps are written by `python -m coursekit sync`; tests/test_sync.py checks they
are up to date, and this checks what they say).

Also the section 8 bar that can be checked mechanically per lesson: 25-45 minutes, at least two
charts, an exploration, a quiz bank with 6+ items of 3+ types, an exercise set with 4+ exercises.
"""
from __future__ import annotations

import re

import pytest

from coursekit.model import course
from coursekit.model.paths import CONTENT, ROOT
from coursekit.quizzes import bank as quizbank
from coursekit.quizzes import checks

LESSONS = [entry.slug for entry in course.lessons()]
NUMBERED = [entry.slug for entry in course.lessons() if entry.exercises]
IDS = "|".join(entry.id for entry in course.lessons())


def estimate(slug: str) -> int:
    text = (CONTENT / "lessons" / f"{slug}.md").read_text(encoding="utf-8")
    match = re.search(r"\*\*Estimated time:\*\*\s*(\d+)\s*minutes", text)
    assert match, f"{slug}: no '**Estimated time:** N minutes' line at the top"
    return int(match.group(1))


def map_times(text: str) -> dict[str, int]:
    """Lesson number -> minutes, from a Markdown table row like '| ... 02 ... | ... | 40 min |'."""
    times = {}
    for line in text.splitlines():
        m = re.match(rf"^\|.*?\b({IDS})\b.*\|\s*(\d+)\s*min(?:\s*\+\s*\d+\s*min optional)?\s*\|\s*$", line)
        if m:
            times[m.group(1)] = int(m.group(2))
    return times


@pytest.mark.parametrize("slug", LESSONS)
def test_readme_and_lesson_00_maps_match_the_lesson(slug):
    minutes = estimate(slug)
    assert minutes == course.lesson(slug[:2]).minutes, "course.toml and the lesson disagree"
    readme = map_times((ROOT / "README.md").read_text(encoding="utf-8"))
    start = map_times((CONTENT / "lessons" / "00_start_here.md").read_text(encoding="utf-8"))
    assert readme.get(slug[:2]) == minutes, f"README's lesson map says {readme.get(slug[:2])}"
    assert start.get(slug[:2]) == minutes, f"lesson 00's course map says {start.get(slug[:2])}"


@pytest.mark.parametrize("slug", NUMBERED)
def test_lesson_meets_the_mechanical_part_of_done(slug):
    assert 25 <= estimate(slug) <= 45
    text = (CONTENT / "lessons" / f"{slug}.md").read_text(encoding="utf-8")
    assert len(re.findall(r"\bshow\(", text)) + text.count("_chart(") + text.count("chart()") >= 2 \
        or len(re.findall(r"plots\.show|\.show\(\)", text)) >= 2, f"{slug}: fewer than two charts"
    bank, problems = quizbank.read_bank(quizbank.bank_path(slug))
    assert problems == []
    graded = [q for q in bank.questions if q.graded]
    assert len(graded) >= 6, f"{slug}: fewer than 6 graded quiz items"
    assert len({q.type for q in graded}) >= 3, f"{slug}: fewer than 3 question types"
    assessed = {o for q in graded for o in q.objectives} | {
        o.full_id for o in bank.objectives if o.exercises}
    assert {o.full_id for o in bank.objectives} <= assessed, f"{slug}: an objective is not assessed"
    for q in graded:
        for d in q.distractors():
            assert d.misconception, f"{slug} {q.id}: a distractor names no misconception"
    specs, problems = checks.load_specs()
    assert problems == []
    assert len([e for e in specs.values() if e.set == slug]) >= 4, f"{slug}: fewer than 4 exercises"
