"""The class report on fixture exports, against counts made by hand.

Item ids 01.q91 ... are not in any bank, so each count below depends only on the fixture; the
misconception ids are real, so their summary and remedy come from assets/misconceptions.toml.
"""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from coursekit.model.content import load_misconceptions
from coursekit.model.paths import ROOT
from coursekit.progress.store import render_export

_n = 0


def ev(learner, item, correct, misconception=None, minute=0, kind="attempt", answer="x"):
    global _n
    _n += 1
    return {"id": f"{_n:032x}", "kind": kind, "lesson": item[:2], "item": item,
            "correct": correct, "misconception": misconception, "answer": answer,
            "learner": learner, "ts": f"2026-11-20T10:{minute:02d}:00+00:00"}


@pytest.fixture
def exports(tmp_path):
    files = {
        "l1.json": [ev("L1", "01.q91", False, "target-as-pledge", 1), ev("L1", "01.q91", True, None, 2),
                    ev("L1", "01.q92", True, None, 3)],
        "l2.json": [ev("L2", "01.q91", True, None, 1), ev("L2", "01.q92", False, "limit-means-cut-off", 2)],
        "l3.json": [ev("L3", "01.q91", False, "target-as-pledge", 5)],
        "l4.json": [ev("L4", "01.q92", True, None, 1), ev("L4", "01.q91", False, "statement-as-outcome", 2)],
    }
    for name, events in files.items():
        (tmp_path / name).write_text(render_export(events))
    good = render_export(files["l3.json"])
    (tmp_path / "truncated.json").write_text(good[: len(good) // 2])
    (tmp_path / "other_app.json").write_text(good.replace('"ai-under-sanctions"', '"another-app"'))
    return tmp_path


def run(folder, *extra):
    out = folder / "report.csv"
    result = subprocess.run([sys.executable, "-m", "coursekit", "report", str(folder), "--out",
                             str(out), *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), result.stdout


def test_counts_match_hand_counts_with_both_numbers(exports):
    rows, _ = run(exports)
    got = [(r["kind"], r["id"], r["learners"], r["out_of"], r["share_percent"]) for r in rows]
    assert got == [
        ("misconception", "target-as-pledge", "2", "4", "50"),     # L1, L3 of the 4 who did 01.q91
        ("misconception", "limit-means-cut-off", "1", "3", "33"),  # L2 of L1, L2, L4 (01.q92)
        ("misconception", "statement-as-outcome", "1", "4", "25"),  # L4 of the 4 who did 01.q91
        ("item", "01.q91", "1", "4", "25"),                         # only L2 right first time
        ("item", "01.q92", "2", "3", "67"),                         # L1, L4 of L1, L2, L4
    ]
    assert rows[0]["detail"] == "shown in 01.q91"


def test_denominator_is_the_learners_who_attempted_not_the_class(tmp_path):
    """The issue's case: 5 learners did lesson 03, 5 never opened it; 3 of the 5 hold a
    misconception. That is 60%, not 30%."""
    for i in range(1, 6):
        wrong = i <= 3
        events = [ev(f"A{i}", "03.q91", not wrong, "statement-as-outcome" if wrong else None, i)]
        (tmp_path / f"a{i}.json").write_text(render_export(events))
    for i in range(1, 6):
        (tmp_path / f"b{i}.json").write_text(render_export([ev(f"B{i}", "01.q91", True, None, i)]))
    rows, stdout = run(tmp_path)
    top = rows[0]
    assert (top["id"], top["learners"], top["out_of"], top["share_percent"]) == (
        "statement-as-outcome", "3", "5", "60")
    assert "statement-as-outcome: 3 of 5 (60%)" in stdout
    assert "03: 5" in stdout and "01: 5" in stdout


def test_misconceptions_come_with_summary_and_remedy_in_reteach_order(exports):
    rows, stdout = run(exports)
    registry = load_misconceptions()
    for row in rows:
        if row["kind"] == "misconception":
            assert row["summary"] == registry[row["id"]].summary
            assert row["remedy"] == registry[row["id"]].remedy
    assert [r["id"] for r in rows if r["kind"] == "misconception"][0] == "target-as-pledge"
    assert "What to reteach tomorrow" in stdout
    assert f"Remedy: {registry['target-as-pledge'].remedy}" in stdout


def test_malformed_exports_are_listed_and_the_rest_counted(exports):
    _, stdout = run(exports)
    assert "4 learner(s) counted; 2 file(s) refused." in stdout
    assert "refused truncated.json:" in stdout and "refused other_app.json:" in stdout


def test_no_identity_unless_asked_and_then_the_chosen_name(tmp_path):
    # Hana exported twice (overlapping events); halfway through she chose a name in lesson 00.
    early = [ev("learner-1a2b3c4d", "01.q91", False, "target-as-pledge", 1)]
    late = early + [ev("Hana (7B)", "01.q92", True, None, 9)]
    (tmp_path / "hana-monday.json").write_text(render_export(early))
    (tmp_path / "hana-friday.json").write_text(render_export(late))
    (tmp_path / "other.json").write_text(render_export([ev("learner-99", "01.q91", True, None, 3)]))
    rows, stdout = run(tmp_path)
    assert "2 learner(s) counted" in stdout
    assert "learner_names" not in rows[0]
    assert "Hana" not in stdout and "learner-1a2b3c4d" not in stdout
    rows, _ = run(tmp_path, "--show-learners")
    assert rows[0]["learner_names"] == "Hana (7B)"  # one learner, under the name she chose


BRIEF = "The article <b>overstates</b> the partnership: " + "evidence " * 40


def test_what_learners_wrote_is_collected_per_lesson(tmp_path):
    ratings = {"payments": {"likelihood": 5, "impact": 3}, "firms": {"likelihood": 4, "impact": 4}}
    other = {"payments": {"likelihood": 3, "impact": 3}, "firms": {"likelihood": 4, "impact": 5}}
    (tmp_path / "a.json").write_text(render_export([
        ev("Ana", "07.brief", None, kind="reflection", answer="first draft", minute=1),
        ev("Ana", "07.brief", None, kind="reflection", answer=BRIEF, minute=5),
        ev("Ana", "06.risk-matrix", None, kind="rating", answer=ratings, minute=2),
        ev("Ana", "03.pre1", None, answer="about 10%", minute=3),
        ev("Ana", "03.q9", None, kind="reflection", answer="<script>alert(1)</script> trade", minute=4)]))
    (tmp_path / "b.json").write_text(render_export([
        ev("Bo", "06.risk-matrix", None, kind="rating", answer=other, minute=2),
        ev("Bo", "03.pre1", None, answer="about 3%", minute=3)]))
    _, stdout = run(tmp_path)
    folder = tmp_path / "report-writing"
    assert "What learners wrote: 6 answer(s)" in stdout and "keep it private" in stdout
    with (folder / "writing.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["item"], r["kind"]) for r in rows} == {
        ("07.brief", "brief"), ("06.risk-matrix", "rating"), ("03.pre1", "pretest"),
        ("03.q9", "reflection")}
    brief = next(r for r in rows if r["item"] == "07.brief")
    assert brief["answer"] == BRIEF and brief["words"] == str(len(BRIEF.split()))  # the latest, whole
    assert {r["learner"] for r in rows} == {"Learner 1", "Learner 2"}  # no names by default
    assert sorted(p.name for p in folder.glob("*.html")) == [
        "03_partnership.html", "06_risks.html", "07_synthesis.html"]
    page3 = (folder / "03_partnership.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page3 and "<script>" not in page3
    assert "roughly what share of CHINA" in page3           # the pretest's own question
    assert "<td>about 3%</td><td>1</td>" in page3 and "<td>about 10%</td><td>1</td>" in page3
    page6 = (folder / "06_risks.html").read_text(encoding="utf-8")
    assert "A. Chinese banks hold up or refuse payments" in page6
    assert "<td>0 0 1 0 1</td><td>4</td>" in page6   # payments likelihood: one 3, one 5; median 4
    assert "<td>5 / 3</td>" in page6                   # the course's own rating beside it
    assert "Ana" not in (folder / "07_synthesis.html").read_text(encoding="utf-8")
    run(tmp_path, "--show-learners")
    assert "Ana" in (folder / "07_synthesis.html").read_text(encoding="utf-8")
