"""The grader on fixture submissions: each case gives the row written here by hand."""
from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit import build
from coursekit.paths import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.slow

SOLVED = {"growth": "1.9", "claim_type": '"statistic"', "ordered": '["2014", "2022", "2023"]',
          "labels": '{"C1": "fact", "C2": "forecast"}', "picked": '{"S24", "S36"}',
          "note": '"A think-tank paper published by SWP in Berlin"'}
IDS = ["99.1", "99.2", "99.3", "99.4", "99.5", "99.6"]


def _exercise_notebook():
    src = build.Source(FIXTURES / "grade" / "99_fixture.md", "solution")
    return build.make_exercise(build.prepare(build.read_source(src), "99_fixture", "solution"))


def _answer(nb, variable: str, value: str):
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(f"{variable} = "):
            cell.source = f"{variable} = {value}"
            return nb
    raise AssertionError(f"no placeholder for {variable}")


def _write(folder: Path, learner: str, name: str, nb) -> None:
    (folder / learner).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / learner / name)


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submitted")
    blank = _exercise_notebook()

    correct = copy.deepcopy(blank)
    for var, value in SOLVED.items():
        _answer(correct, var, value)
    _write(subs, "ada", "01_fixture.ipynb", correct)

    partial = copy.deepcopy(blank)
    _answer(partial, "growth", "4.71")          # a known mistake
    _answer(partial, "claim_type", "'Statistic'")  # right, in other case
    _write(subs, "ben", "01_fixture.ipynb", partial)

    _write(subs, "cai", "01_fixture.ipynb", blank)

    (subs / "dee").mkdir()
    (subs / "dee" / "01_fixture.ipynb").write_text('{"cells": [ this is not json')

    _write(subs, "eve", "my homework FINAL (2).ipynb", correct)  # renamed

    tampered = copy.deepcopy(blank)
    _answer(tampered, "growth", "99")
    for cell in tampered.cells:
        if cell.source.startswith('check("99.1"'):
            cell.source = 'print("correct")'
    tampered.cells.insert(2, nbformat.v4.new_code_cell(
        "import coursekit.checks as c\nc.evaluate = lambda ex, a: c.Result('correct', 'correct')"))
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

    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    out = subs.parent / "grades.csv"
    env = {**__import__("os").environ, "COURSEKIT_EXERCISE_SPECS": str(FIXTURES / "exercises")}
    run = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(subs), "--out", str(out),
                          "--timeout", "4"], cwd=ROOT, capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    after = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    with out.open() as fh:
        rows = {r["learner"]: r for r in csv.DictReader(fh)}
    return rows, run.stderr, before == after


def _scores(row):
    return [row[i] for i in IDS] + [row["total"], row["max"]]


# The expected gradebook, written by hand: five exercises, one point each, and one free text
# (99.6), which is never judged: it is reported as submitted, with its word count, for the
# teacher to read, and counts towards no points.
SUBMITTED, NOT_SUBMITTED = "submitted (8 words)", "not submitted"
EXPECTED = {
    "ada": ["1", "1", "1", "1", "1", SUBMITTED, "5", "5"],
    "ben": ["0", "1", "0", "0", "0", NOT_SUBMITTED, "1", "5"],
    "cai": ["0", "0", "0", "0", "0", NOT_SUBMITTED, "0", "5"],
    "eve": ["1", "1", "1", "1", "1", SUBMITTED, "5", "5"],
    "fay": ["0", "0", "0", "0", "0", NOT_SUBMITTED, "0", "5"],
    "gus": ["1", "1", "1", "1", "1", SUBMITTED, "5", "5"],
    "hal": ["1", "1", "1", "1", "1", NOT_SUBMITTED, "5", "5"],
}


@pytest.mark.parametrize("learner", sorted(EXPECTED))
def test_row_matches_the_hand_written_gradebook(gradebook, learner):
    rows, _, _ = gradebook
    assert _scores(rows[learner]) == EXPECTED[learner]


def test_every_submission_gets_a_row(gradebook):
    rows, _, _ = gradebook
    assert sorted(rows) == ["ada", "ben", "cai", "dee", "eve", "fay", "gus", "hal", "ivy", "jon"]


def test_broken_json_is_a_row_with_its_reason(gradebook):
    rows, _, _ = gradebook
    assert "not a valid notebook" in rows["dee"]["notes"] and rows["dee"]["total"] == "0"


def test_unknown_set_is_a_row_with_its_reason(gradebook):
    rows, _, _ = gradebook
    assert "unknown exercise set '42_nonexistent'" in rows["ivy"]["notes"]


def test_infinite_loop_is_stopped_and_noted(gradebook):
    rows, _, _ = gradebook
    assert "ran longer than 4 s" in rows["gus"]["notes"]


def test_error_is_noted_and_the_rest_still_graded(gradebook):
    rows, _, _ = gradebook
    assert "raised ZeroDivisionError" in rows["hal"]["notes"]
    assert "raised NameError" in rows["hal"]["notes"]


def test_renamed_file_is_identified_by_metadata(gradebook):
    rows, _, _ = gradebook
    assert rows["eve"]["sets"] == "99_fixture"


def test_submissions_are_never_changed(gradebook):
    _, _, unchanged = gradebook
    assert unchanged


def test_progress_bar_is_shown(gradebook):
    _, stderr, _ = gradebook
    assert "[####################] 10/10" in stderr


def test_loop_that_ignores_the_interrupt_is_stopped(gradebook):
    rows, _, _ = gradebook
    assert "ignored the interrupt; the kernel was stopped" in rows["jon"]["notes"]
    assert rows["jon"]["total"] == "0"
