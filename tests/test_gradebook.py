"""The gradebook files on hand-made results (no kernels): layouts, rosters, skipped sets, tally."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from coursekit.teacher import gradebook
from coursekit.teacher.grade import Graded, Item, mark_duplicates

from .test_grade import check_canvas, check_moodle

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fixture_specs(monkeypatch):
    monkeypatch.setenv("COURSEKIT_EXERCISE_SPECS", str(FIXTURES / "exercises"))


def _result(learner, file, points, *, set_name="99_fixture", error="", flags=()):
    r = Graded(path=Path(file), learner=learner, file=file, set=set_name, error=error,
               flags=list(flags))
    if not error:
        for n, p in enumerate(points, start=1):
            status = "correct" if p else "not yet"
            r.items[f"99.{n}"] = Item(status, p, "" if p else "a hint",
                                      "" if p else "correlation-as-cause" if n == 1 else "")
        r.items["99.6"] = Item("submitted (12 words)", None, words=12)
    return r


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_without_a_roster_the_learner_names_are_the_identifiers(tmp_path):
    results = [_result("Zoë Ångström", "Zoë Ångström/a.ipynb", [1, 1, 1, 1, 1]),
               _result("o'brien, k.", "o'brien, k./a.ipynb", [0, 1, 0, 1, 0]),
               _result("sam", "sam/a.ipynb", [], set_name="", error="the file is empty; ask the learner to ...")]
    mark_duplicates(results)
    written = gradebook.write_all(results, tmp_path / "g.csv")
    moodle = _rows(tmp_path / "g-moodle.csv")
    check_moodle(moodle, "Learner")
    assert [r[:2] for r in moodle[1:]] == [["Zoë Ångström", "100.0"], ["o'brien, k.", "40.0"],
                                           ["sam", "-"]]
    assert moodle[3][2] == "Not graded yet: the file is empty. Please send the notebook again."
    canvas = _rows(tmp_path / "g-canvas.csv")
    check_canvas(canvas)
    assert [r[3] for r in canvas[2:]] == ["Zoë Ångström", "o'brien, k.", "sam"]  # SIS Login ID
    assert written["left_out"] == []


def test_a_learner_who_skipped_a_set_gets_no_grade_for_it_not_zero(tmp_path):
    a = _result("ada", "ada/99.ipynb", [1, 1, 1, 1, 1])
    b = _result("ben", "ben/98.ipynb", [1, 0, 0, 0, 0], set_name="98_other")
    mark_duplicates([a, b])
    gradebook.write_moodle([a, b], tmp_path / "m.csv", None)
    rows = _rows(tmp_path / "m.csv")
    assert rows[0] == ["Learner", "98_other percent", "98_other feedback", "99_fixture percent",
                       "99_fixture feedback"]
    assert rows[1][1:3] == ["-", "No submission received."]
    assert rows[2][3:5] == ["-", "No submission received."]


def test_duplicates_use_the_better_unflagged_submission():
    worse = _result("hana", "hana/a.ipynb", [1, 0, 0, 0, 0])
    better = _result("hana", "hana/a (1).ipynb", [1, 1, 1, 1, 0])
    copied = _result("hana", "hana/a (2).ipynb", [1, 1, 1, 1, 1], flags=["copied solutions notebook"])
    broken = _result("hana", "hana/a (3).ipynb", [], set_name="", error="the file is cut off")
    mark_duplicates([worse, better, copied, broken])
    assert [r.used for r in (worse, better, copied, broken)] == [False, True, False, False]
    assert {r.duplicates for r in (worse, better, copied)} == {3}  # the unreadable file has no set
    assert "this one is used" in gradebook.teacher_notes(better)


def test_roster_problems_are_refused_with_a_reason(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("name,email\nAda,ada@x\n")
    with pytest.raises(ValueError, match="no 'learner' column"):
        gradebook.read_roster(bad)
    bad.write_text("learner,mail\nada,a@x\n")
    with pytest.raises(ValueError, match="unknown column"):
        gradebook.read_roster(bad)
    bad.write_text("learner,email\nada,a@x\nada,b@x\n")
    with pytest.raises(ValueError, match="appears twice"):
        gradebook.read_roster(bad)
    bad.write_text("\ufefflearner,email\nada,a@x\n", encoding="utf-8")  # Excel's byte-order mark
    assert gradebook.read_roster(bad) == {"ada": {"learner": "ada", "email": "a@x"}}


def test_tally_denominator_is_who_tried_the_exercises_that_reveal_it():
    results = [_result("a", "a", [0, 1, 1, 1, 1]), _result("b", "b", [1, 1, 1, 1, 1]),
               _result("c", "c", [1, 1, 1, 1, 1])]
    blank = _result("d", "d", [])
    blank.items = {f"99.{n}": Item("not attempted", 0) for n in range(1, 6)}
    results.append(blank)
    mark_duplicates(results)
    rows = gradebook.tally(results)
    top = rows[0]
    assert (top["id"], top["learners"], top["out_of"], top["share_percent"]) == (
        "correlation-as-cause", 1, 3, 33)
    ex1 = next(r for r in rows if r["id"] == "99.1")
    assert (ex1["learners"], ex1["out_of"], ex1["detail"]) == (2, 3, "2 correct, 1 not yet, 1 not attempted")
    assert os.environ["COURSEKIT_EXERCISE_SPECS"].endswith("exercises")
