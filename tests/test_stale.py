"""`python -m coursekit stale` (issue 21): ages of claims, datasets and sources; check fails at 15.

The canary is tests/fixtures/stale/: a claim checked in May 2024, a dataset with one row last
checked in January 2026, and sources read 16, 10 and 0 months before 2026-12-06.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.model.paths import ROOT
from coursekit.tools import stale, validate

FIXTURE = Path(__file__).parent / "fixtures" / "stale"
DAY = dt.date(2026, 12, 6)


def test_months_are_whole_calendar_months():
    assert stale.months_between(dt.date(2026, 3, 6), DAY) == 9
    assert stale.months_between(dt.date(2026, 3, 7), DAY) == 8
    assert stale.months_between(dt.date(2025, 9, 6), DAY) == 15
    assert stale.months_between(dt.date(2027, 1, 1), DAY) == 0  # a future date is not old
    assert stale.parse("2026-02") == dt.date(2026, 2, 1) and stale.parse("n.d.") is None
    assert (stale.WARN_MONTHS, stale.FAIL_MONTHS) == (9, 15)


def test_the_canary_is_sorted_into_ok_warn_and_stale():
    items = {(i.kind, i.id): i for i in stale.collect(FIXTURE)}
    status = {key: item.status(DAY) for key, item in items.items()}
    assert status == {("claim", "C90"): "STALE", ("claim", "C91"): "ok",
                      ("dataset", "old_table"): "WARN",
                      ("source", "X9001"): "STALE", ("source", "X9002"): "WARN",
                      ("source", "S1"): "ok"}
    row = items[("dataset", "old_table")]  # the oldest row stands for the dataset, with its line
    assert (row.date, row.file.endswith("old_table.csv"), row.line) == ("2026-01-20", True, 3)
    assert items[("claim", "C90")].line == 5  # the line of its as_of


def test_check_reports_only_the_stale_items_with_file_and_line():
    problems = stale.check_problems(DAY, FIXTURE)
    assert [(Path(p.file).name, p.line) for p in problems] == [("claims.toml", 5), ("sources.toml", 5)]
    assert "C90" in problems[0].reason and "31 months old" in problems[0].reason
    assert "X9001" in problems[1].reason and "16 months old" in problems[1].reason


def test_the_command_lists_oldest_first_and_fails_on_stale(capsys):
    assert stale.main(["--assets", str(FIXTURE), "--today", "2026-12-06"]) == 1
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    listed = [(r[0], r[1], r[3]) for r in rows if r[1] in ("WARN", "STALE")]
    assert listed == [("31", "STALE", "C90"), ("16", "STALE", "X9001"),
                      ("10", "WARN", "old_table"), ("10", "WARN", "X9002")]
    assert "2 item(s) 15 months old or more" in out
    assert stale.main(["--assets", str(FIXTURE), "--today", "2024-06-01"]) == 0


def test_the_course_is_fresh_today_and_the_command_runs():
    """`python -m coursekit stale` runs in make test: this is where."""
    done = subprocess.run([sys.executable, "-m", "coursekit", "stale"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    for label in ("claims", "datasets", "sources"):
        assert f"{label} " in done.stdout
    kinds = {i.kind for i in stale.collect()}
    assert kinds == {"claim", "dataset", "source"}


def test_coursekit_check_fails_when_the_course_grows_stale(monkeypatch):
    """Eighteen months on, with nothing re-checked, `python -m coursekit check` fails."""
    later = max(stale.parse(i.date) for i in stale.collect()) + dt.timedelta(days=548)
    monkeypatch.setattr(stale, "_today", lambda today=None: today or later)
    found = [p for p in validate.all_problems() if "months old" in p.reason]
    assert len(found) == len(stale.collect())
    assert any(p.file == "assets/claims.toml" for p in found)
