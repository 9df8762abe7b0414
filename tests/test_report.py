"""The class misconception report on fixture exports, against shares counted by hand."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from coursekit.paths import ROOT
from coursekit.progress_store import render_export

_n = 0


def ev(learner, item, correct, misconception=None, minute=0):
    global _n
    _n += 1
    return {"id": f"{_n:032x}", "kind": "attempt", "lesson": item[:2], "item": item,
            "correct": correct, "misconception": misconception, "answer": "x",
            "learner": learner, "ts": f"2026-11-20T10:{minute:02d}:00+00:00"}


@pytest.fixture
def exports(tmp_path):
    files = {
        "l1.json": [ev("L1", "01.q1", False, "target-as-pledge", 1), ev("L1", "01.q1", True, None, 2),
                    ev("L1", "01.q2", True, None, 3)],
        "l2.json": [ev("L2", "01.q1", True, None, 1), ev("L2", "01.q2", False, "limit-means-cut-off", 2)],
        "l3.json": [ev("L3", "01.q1", False, "target-as-pledge", 5)],
        "l4.json": [ev("L4", "01.q2", True, None, 1), ev("L4", "01.q1", False, "statement-as-outcome", 2)],
    }
    for name, events in files.items():
        (tmp_path / name).write_text(render_export(events))
    good = render_export(files["l3.json"])
    (tmp_path / "truncated.json").write_text(good[: len(good) // 2])
    (tmp_path / "other_app.json").write_text(good.replace('"ai-under-sanctions"', '"another-app"'))
    return tmp_path


def run(exports, *extra):
    out = exports / "report.csv"
    result = subprocess.run([sys.executable, "-m", "coursekit", "report", str(exports), "--out",
                             str(out), *extra], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with out.open() as fh:
        return list(csv.DictReader(fh)), result.stdout


def test_shares_match_hand_counts(exports):
    rows, _ = run(exports)
    got = [(r["kind"], r["id"], r["share_percent"], r["learners"]) for r in rows]
    assert got == [
        ("misconception", "target-as-pledge", "50", "4"),      # L1, L3 of 4
        ("misconception", "limit-means-cut-off", "25", "4"),   # L2
        ("misconception", "statement-as-outcome", "25", "4"),  # L4
        ("item", "01.q1", "25", "4"),                          # only L2 right first time
        ("item", "01.q2", "67", "3"),                          # L1, L4 of L1, L2, L4
    ]
    assert rows[0]["detail"] == "revealed by 01.q1"


def test_malformed_exports_are_listed_and_the_rest_counted(exports):
    _, stdout = run(exports)
    assert "4 learner(s) counted; 2 file(s) refused." in stdout
    assert "refused truncated.json:" in stdout and "refused other_app.json:" in stdout


def test_no_identity_unless_asked(exports):
    rows, stdout = run(exports)
    assert "learner_ids" not in rows[0]
    assert not any(name in stdout for name in ("L1", "L2", "L3", "L4"))
    rows, _ = run(exports, "--show-learners")
    assert rows[0]["learner_ids"] == "L1;L3"
