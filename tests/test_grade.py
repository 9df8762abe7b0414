"""The grader on a messy class folder: each case gives the row written here by hand.

One run of `python -m coursekit grade` over fixture submissions of the 99_fixture set (six
exercises, the sixth free text): complete, partial, blank, broken, cut off, empty, renamed,
tampered, looping, raising, a lesson sent by mistake, a copied solutions notebook, two files
from one learner. The Moodle and Canvas files are checked against the rules of each platform's
importer (see docs/teacher-tools.md for the sources).
"""
from __future__ import annotations

import copy
import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.tools import build
from coursekit.model.paths import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow

SOLVED = {"growth": "1.9", "claim_type": '"statistic"', "ordered": '["2014", "2022", "2023"]',
          "labels": '{"C1": "fact", "C2": "forecast"}', "picked": '{"S24", "S36"}',
          "note": '"A think-tank paper published by SWP in Berlin"'}
IDS = ["99.1", "99.2", "99.3", "99.4", "99.5", "99.6"]
ENV = {**os.environ, "COURSEKIT_EXERCISE_SPECS": str(FIXTURES / "exercises")}


def _solution_notebook():
    src = build.Source(FIXTURES / "grade" / "99_fixture.md", "solution")
    return build.prepare(build.read_source(src), "99_fixture", "solution")


def _exercise_notebook():
    return build.make_exercise(_solution_notebook())


def _answer(nb, variable: str, value: str):
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(f"{variable} = "):
            cell.source = f"{variable} = {value}"
            return nb
    raise AssertionError(f"no placeholder for {variable}")


def _write(folder: Path, learner: str, name: str, nb) -> None:
    (folder / learner).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / learner / name)


def _solved(blank):
    nb = copy.deepcopy(blank)
    for var, value in SOLVED.items():
        _answer(nb, var, value)
    return nb


ROSTER = """learner,name,email,sis_login_id,section
ada,Ada Lovelace,ada@school.example,ada01,7B
ben,Ben Okafor,ben@school.example,ben02,7B
hana,Hana Sato,hana@school.example,hana03,7B
pat,Pat Quinn,pat@school.example,pat04,7B
"""


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "submitted"
    blank = _exercise_notebook()
    correct = _solved(blank)
    _write(subs, "ada", "01_fixture.ipynb", correct)

    partial = copy.deepcopy(blank)
    _answer(partial, "growth", "4.71")          # a known mistake, with a misconception id
    _answer(partial, "claim_type", "'Statistic'")  # right, in other case
    _write(subs, "ben", "01_fixture.ipynb", partial)

    _write(subs, "cai", "01_fixture.ipynb", blank)  # untouched: not attempted, not "wrong"

    (subs / "dee").mkdir()
    (subs / "dee" / "01_fixture.ipynb").write_text('{"cells": [ this is not json')

    _write(subs, "eve", "my homework FINAL (2).ipynb", correct)  # renamed

    tampered = copy.deepcopy(blank)
    _answer(tampered, "growth", "99")
    for cell in tampered.cells:
        if cell.source.startswith('check("99.1"'):
            cell.source = 'print("correct")'
    tampered.cells.insert(2, nbformat.v4.new_code_cell(
        "import coursekit.quizzes.checks as c\nc.evaluate = lambda ex, a: c.Result('correct', 'correct')"))
    _write(subs, "fay", "01_fixture.ipynb", tampered)

    looping = copy.deepcopy(correct)
    looping.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))
    _write(subs, "gus", "01_fixture.ipynb", looping)

    stubborn = copy.deepcopy(correct)
    stubborn.cells.insert(3, nbformat.v4.new_code_cell(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"))
    _write(subs, "jon", "01_fixture.ipynb", stubborn)

    raising = copy.deepcopy(correct)
    raising.cells.insert(5, nbformat.v4.new_code_cell("1 / 0"))
    _answer(raising, "note", "undefined_name")  # NameError: this answer never gets defined
    _write(subs, "hal", "01_fixture.ipynb", raising)

    unknown = copy.deepcopy(correct)
    unknown.metadata["coursekit"]["set"] = "42_nonexistent"
    _write(subs, "ivy", "01_fixture.ipynb", unknown)

    # Two files from one learner: the better one must not be lost, nor the name mangled.
    one = copy.deepcopy(blank)
    _answer(one, "growth", "1.9")
    _write(subs, "hana", "99_fixture.ipynb", one)
    _write(subs, "hana", "99_fixture (1).ipynb", correct)

    text = nbformat.writes(correct)
    (subs / "kim").mkdir()
    (subs / "kim" / "99_fixture.ipynb").write_text(text[: len(text) // 2])  # cut off in transit
    (subs / "lee").mkdir()
    (subs / "lee" / "99_fixture.ipynb").write_text("")                     # empty
    lesson = copy.deepcopy(correct)
    lesson.metadata["coursekit"]["kind"] = "lesson"
    _write(subs, "max", "99_fixture.ipynb", lesson)                          # the lesson, not the set
    _write(subs, "sol", "99_fixture.ipynb", _solution_notebook())            # copied solutions

    roster = base / "roster.csv"
    roster.write_text(ROSTER)
    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    out = base / "grades.csv"
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(subs), "--out", str(out),
                          "--roster", str(roster), "--timeout", "4"], cwd=ROOT, capture_output=True,
                         text=True, env=ENV, timeout=600)
    assert run.returncode == 0, run.stderr
    after = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    with out.open(encoding="utf-8") as fh:
        rows = {(r["learner"], r["file"].split("/")[-1]): r for r in csv.DictReader(fh)}
    return {"rows": rows, "stderr": run.stderr, "unchanged": before == after, "base": base,
            "by_learner": {k[0]: v for k, v in rows.items()}}


def _scores(row):
    return [row[i] for i in IDS] + [row["total"], row["max"]]


# The expected gradebook, written by hand: five scored exercises of one point, free text not scored.
EXPECTED = {
    "ada": ["1", "1", "1", "1", "1", "", "5", "5"],
    "ben": ["0", "1", "0", "0", "0", "", "1", "5"],
    "cai": ["0", "0", "0", "0", "0", "", "0", "5"],
    "eve": ["1", "1", "1", "1", "1", "", "5", "5"],
    "fay": ["0", "0", "0", "0", "0", "", "0", "5"],
    "gus": ["1", "1", "1", "1", "1", "", "5", "5"],
    "hal": ["1", "1", "1", "1", "1", "", "5", "5"],
    "sol": ["1", "1", "1", "1", "1", "", "5", "5"],
}
STATUS = {
    "ada": ["correct"] * 5 + ["submitted (8 words)"],
    "ben": ["not yet", "correct", "not attempted", "not attempted", "not attempted", "not attempted"],
    "cai": ["not attempted"] * 6,
    "fay": ["not yet"] + ["not attempted"] * 5,
    "hal": ["correct"] * 5 + ["error"],
}


@pytest.mark.parametrize("learner", sorted(EXPECTED))
def test_row_matches_the_hand_written_gradebook(gradebook, learner):
    assert _scores(gradebook["by_learner"][learner]) == EXPECTED[learner]


@pytest.mark.parametrize("learner", sorted(STATUS))
def test_each_exercise_has_its_status(gradebook, learner):
    row = gradebook["by_learner"][learner]
    assert [row[f"{i} status"] for i in IDS] == STATUS[learner]


def test_blank_and_wrong_are_told_apart_with_the_checkers_hint(gradebook):
    ben, cai = gradebook["by_learner"]["ben"], gradebook["by_learner"]["cai"]
    assert ben["misconceptions"] == "correlation-as-cause"
    assert "99.1 not yet: That is the change in billions of dollars" in ben["feedback"]
    assert "[correlation-as-cause]" in ben["feedback"] and "99.3 not attempted" in ben["feedback"]
    assert cai["misconceptions"] == "" and "not yet" not in cai["feedback"]


def test_every_submission_gets_its_own_row_and_names_are_never_mangled(gradebook):
    rows = gradebook["rows"]
    assert len(rows) == 16
    assert sorted({k[0] for k in rows}) == ["ada", "ben", "cai", "dee", "eve", "fay", "gus", "hal",
                                            "hana", "ivy", "jon", "kim", "lee", "max", "sol"]
    assert not any("/" in learner for learner, _ in rows)


def test_the_better_of_two_submissions_is_kept_and_both_are_flagged(gradebook):
    rows = gradebook["rows"]
    worse, better = rows[("hana", "99_fixture.ipynb")], rows[("hana", "99_fixture (1).ipynb")]
    assert (worse["total"], better["total"]) == ("1", "5")
    assert worse["submissions"] == better["submissions"] == "2"
    assert (worse["used"], better["used"]) == ("no", "yes")
    assert "2 submissions of 99_fixture by hana: this one is used" in better["notes"]
    assert "hana sent 99_fixture 2 times" in gradebook["stderr"]


def test_copied_solutions_notebook_is_flagged_and_held_back_from_the_lms(gradebook):
    sol = gradebook["by_learner"]["sol"]
    assert "copied solutions notebook" in sol["flags"] and "metadata" in sol["flags"]
    assert sol["feedback"] == "Held for your teacher to review."
    assert "flagged: sol" in gradebook["stderr"]
    canvas = _canvas(gradebook)
    assert "sol" in {r[0] for r in canvas[2:]} and canvas_cell(canvas, "sol") == ""


UNGRADABLE = {
    "dee": "the file is damaged",
    "kim": "the file is cut off",
    "lee": "the file is empty",
    "ivy": "unknown exercise set '42_nonexistent'",
    "max": "this is the lesson notebook lessons/99_fixture.ipynb, not its exercise set",
    "jon": "ignored the interrupt; the kernel was stopped",
}


@pytest.mark.parametrize("learner", sorted(UNGRADABLE))
def test_a_file_that_cannot_be_graded_has_a_blank_total_and_a_plain_reason(gradebook, learner):
    row = gradebook["by_learner"][learner]
    assert (row["total"], row["max"], row["percent"]) == ("", "", "")
    assert UNGRADABLE[learner] in row["notes"]
    assert "Traceback" not in row["notes"]
    assert row["feedback"].startswith("Not graded yet:")


def test_cut_off_file_says_what_to_do(gradebook):
    assert "ask the learner to download the notebook again" in gradebook["by_learner"]["kim"]["notes"]


def test_renamed_file_is_identified_by_metadata(gradebook):
    assert gradebook["by_learner"]["eve"]["set"] == "99_fixture"


def test_infinite_loop_is_stopped_and_the_rest_graded(gradebook):
    assert "ran longer than 4 s" in gradebook["by_learner"]["gus"]["notes"]


def test_error_is_noted_and_the_rest_still_graded(gradebook):
    hal = gradebook["by_learner"]["hal"]
    assert "raised ZeroDivisionError" in hal["notes"] and "raised NameError" in hal["notes"]
    assert "99.6 could not be read" in hal["feedback"]


def test_submissions_are_never_changed(gradebook):
    assert gradebook["unchanged"]


def test_progress_bar_is_shown(gradebook):
    assert "[####################] 16/16" in gradebook["stderr"]


# ----------------------------------------------------------------------------- LMS layouts

def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _canvas(gradebook):
    return _read(gradebook["base"] / "grades-canvas.csv")


def canvas_cell(rows, student):
    return next(r for r in rows[2:] if r[0] == student)[5]


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def check_canvas(rows: list[list[str]]) -> None:
    """Canvas's gradebook importer (GradebookImporter in canvas-lms): the header's first cell
    holds "Student" and the second "ID"; "SIS User ID" and "SIS Login ID" follow in that order;
    the last student column holds "Section"; an optional row starting "Points Possible"; then
    one row per student, a grade being a number, "EX" or empty (no change)."""
    head = rows[0]
    assert len(head) > 3 and "Student" in head[0] and "ID" in head[1]
    assert re.match(r"SIS\s+User\s+ID", head[2]) and re.match(r"SIS\s+Login\s+ID", head[3])
    assert "Section" in head[4]
    assert "Points Possible" in rows[1][0]
    assert all(NUMBER.match(v) for v in rows[1][5:])
    for row in rows[2:]:
        assert len(row) == len(head)
        assert all(v == "" or NUMBER.match(v) for v in row[5:]), row
    students = [tuple(r[:4]) for r in rows[2:]]
    assert len(students) == len(set(students)), "a student appears twice"


def check_moodle(rows: list[list[str]], id_header: str) -> None:
    """Moodle's CSV grade import (grade/import/csv/classes/load_data.php): one column maps to a
    user field (id, idnumber, email or username) and every row must match a user, or the whole
    import stops; a grade is a number, or "" or "-" for no grade; each grade column may be paired
    with a feedback column; grades over 100 are refused unless the site allows them."""
    head = rows[0]
    assert head[0] == id_header and len(head) == len(set(head))
    grade_cols = [i for i, h in enumerate(head) if h.endswith(" percent")]
    assert grade_cols and all(head[i + 1] == head[i].replace(" percent", " feedback") for i in grade_cols)
    idents = [r[0] for r in rows[1:]]
    assert all(idents) and len(idents) == len(set(idents))
    for row in rows[1:]:
        assert len(row) == len(head)
        for i in grade_cols:
            assert row[i] == "-" or (NUMBER.match(row[i]) and 0 <= float(row[i]) <= 100), row


def test_canvas_file_follows_the_canvas_importer(gradebook):
    rows = _canvas(gradebook)
    check_canvas(rows)
    assert rows[0][5:] == ["99_fixture"] and rows[1][5] == "5"
    ada = next(r for r in rows[2:] if r[0] == "Ada Lovelace")
    assert ada[1:5] == ["", "", "ada01", "7B"] and ada[5] == "5"
    assert next(r for r in rows[2:] if r[0] == "Hana Sato")[5] == "5"   # the better submission
    assert canvas_cell(rows, "kim") == "" and canvas_cell(rows, "Pat Quinn") == ""  # no grade, not 0
    assert canvas_cell(rows, "cai") == "0"  # a blank notebook that was graded scores 0


def test_moodle_file_follows_the_moodle_importer(gradebook):
    rows = _read(gradebook["base"] / "grades-moodle.csv")
    check_moodle(rows, "Email address")
    assert rows[0] == ["Email address", "99_fixture percent", "99_fixture feedback"]
    by = {r[0]: r for r in rows[1:]}
    assert set(by) == {"ada@school.example", "ben@school.example", "hana@school.example",
                       "pat@school.example"}  # learners the roster does not know are left out
    assert by["hana@school.example"][1] == "100.0"
    assert by["hana@school.example"][2].startswith("(The better of your 2 submissions.)")
    assert by["ben@school.example"][1] == "20.0" and "not yet" in by["ben@school.example"][2]
    assert by["pat@school.example"][1:] == ["-", "No submission received."]
    assert "left out of the Moodle file" in gradebook["stderr"] and "cai" in gradebook["stderr"]


def test_class_tally_of_mistakes_from_the_submissions(gradebook):
    with (gradebook["base"] / "grades-mistakes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first = rows[0]
    # ben is the only learner whose used submission shows it; 99.1 was tried by ada, ben, eve,
    # fay, gus, hal and hana (the copied solution, cai's blank and ungraded files do not count).
    assert (first["kind"], first["id"], first["learners"], first["out_of"]) == (
        "misconception", "correlation-as-cause", "1", "7")
    assert first["summary"] and first["remedy"]
    ex1 = next(r for r in rows if r["id"] == "99.1")
    assert (ex1["learners"], ex1["out_of"]) == ("5", "7")
    assert ex1["detail"] == "5 correct, 2 not yet, 1 not attempted"
    assert "Reteach first" in gradebook["stderr"]
