"""Several kernels recovering one damaged progress file lose nothing (issue: cause 5).

Each trial writes 8 KB of random bytes at the store's path, then starts several real Python
processes (as several notebook kernels of one learner would be) with COURSEKIT_PROGRESS_DB
pointing at it. Released together, each calls progress.record_event from 30 threads at once and
prints the id of every event record_event reported as saved. Then, in the file at the path (the
learner's record; a moved-aside copy does not count), every reported event must be there; no
kernel may fail or fall back to another location; the damaged bytes are moved aside exactly
once, unchanged, and exactly one kernel announces it.

Before the recovery lock, most trials lost a kernel's 30 answers (moved aside with a file that
another kernel had just created, or written after its journal was moved) or hit "attempt to
write a readonly database"; one trial in five at most passed.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.model.paths import ROOT

KERNEL = r"""
import json, sys, threading
from coursekit.progress import api as progress
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()  # released together with the other kernels
saved, errors = [], []
def answer(i):
    try:
        saved.append(progress.record_event("attempt", "01", f"01.q{i % 7}", correct=i % 2 == 0,
                                           answer={"kernel": sys.argv[1], "i": i}))
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
threads = [threading.Thread(target=answer, args=(i,)) for i in range(30)]
for t in threads: t.start()
for t in threads: t.join()
store = progress.get_store()
print(json.dumps({"saved": saved, "errors": errors, "path": str(store.path),
                  "notice": store.notice}))
"""

# About half the trials failed before the fix, so twelve of them leave no doubt.
TRIALS = [(3, n) for n in range(8)] + [(2, n) for n in range(4)]


def run_trial(folder: Path, kernels: int, seed: int) -> tuple[Path, bytes, list[dict]]:
    path = folder / "progress.sqlite3"
    damaged = random.Random(seed).randbytes(8192)
    path.write_bytes(damaged)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
           "COURSEKIT_PROGRESS_DB": str(path)}
    env.pop("COURSEKIT_LEARNER", None)
    procs = [subprocess.Popen([sys.executable, "-c", KERNEL, f"k{n}"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                              text=True)
             for n in range(kernels)]
    for proc in procs:  # every kernel has imported the course before any opens the store
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and err == "", err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return path, damaged, reports


def stored_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()


@pytest.mark.parametrize("kernels, trial", TRIALS)
def test_several_kernels_recover_one_damaged_file_without_losing_answers(tmp_path, kernels,
                                                                         trial):
    path, damaged, reports = run_trial(tmp_path, kernels, seed=20261206 + 10 * kernels + trial)
    assert [r["errors"] for r in reports] == [[]] * kernels
    assert [r["path"] for r in reports] == [str(path)] * kernels  # no kernel fell back
    reported = [i for r in reports for i in r["saved"]]
    assert len(reported) == len(set(reported)) == 30 * kernels
    lost = set(reported) - stored_ids(path)
    assert not lost, f"{len(lost)} events reported as saved are not in the learner's record"
    moved = sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert moved == ["progress.sqlite3.corrupt-1"]
    assert (tmp_path / moved[0]).read_bytes() == damaged
    announced = [r["notice"] for r in reports if r["notice"]]
    assert len(announced) == 1 and "moved aside" in announced[0]
