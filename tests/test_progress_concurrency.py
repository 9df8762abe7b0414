"""coursekit.progress.api under real processes: concurrent writers, and writers killed mid-write.

Children are separate Python interpreters (subprocess), as two notebook kernels would be. Each
child writes an event id to its stdout pipe only after the commit returned, so the parent knows
exactly which events were promised durable.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coursekit.model.paths import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WRITER = r"""
import os, sys
from coursekit.progress.store import Store
path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = Store(path, fallback=False)
os.write(1, b"ready\n")
if count >= 0:
    sys.stdin.readline()  # wait for "go", so both writers start together
i = 0
while count < 0 or i < count:
    event_id = store.record("attempt", "01", f"01.q{i % 7}", correct=i % 2 == 0,
                            answer={"writer": tag, "i": i, "pad": "x" * (i % 50)})
    os.write(1, (event_id + "\n").encode())  # reported only after COMMIT returned
    i += 1
"""


def start_writer(path: Path, count: int, tag: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    # bufsize=0: readline() of "ready" must not pull ids into a Python buffer, because
    # communicate() later reads the raw pipe and would never see them.
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(count), tag],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT, bufsize=0)


def read_ids(data: bytes) -> list[str]:
    return [line for line in data.decode().split("\n") if len(line) == 32]


def db_state(path: Path) -> tuple[list[tuple[str]], set[str]]:
    conn = sqlite3.connect(path)  # the first read rolls back a hot journal, as any opener would
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        ids = {row[0] for row in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()
    return check, ids


def test_two_processes_write_concurrently_without_loss(tmp_path):
    path = tmp_path / "progress.sqlite3"
    writers = [start_writer(path, 300, tag) for tag in ("a", "b")]
    for proc in writers:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    for proc in writers:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.flush()
    reported: list[str] = []
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert err == b""
        ids = read_ids(out)
        assert len(ids) == 300
        reported += ids
    check, stored = db_state(path)
    assert check == [("ok",)]
    assert len(set(reported)) == 600 and stored == set(reported)
    conn = sqlite3.connect(path)
    writers_seen = dict(conn.execute(
        "SELECT json_extract(answer, '$.writer'), count(*) FROM events GROUP BY 1").fetchall())
    conn.close()
    assert writers_seen == {"a": 300, "b": 300}


KILLS = 50


def test_sigkill_mid_write_loses_at_most_the_event_in_flight(tmp_path):
    path = tmp_path / "progress.sqlite3"
    rng = random.Random(20260501)
    known: set[str] = set()
    written = hot_journals = unreported_total = 0
    started = time.monotonic()
    for round_no in range(KILLS):
        proc = start_writer(path, -1, f"k{round_no}")
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready == b"ready\n", proc.stderr.read().decode() if proc.stderr else ""
        first = proc.stdout.readline()  # the loop is running: kill it somewhere inside
        assert len(first.strip()) == 32
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(proc.pid, signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        hot_journals += Path(f"{path}-journal").exists()
        reported = set(read_ids(first + out))
        check, stored = db_state(path)
        assert check == [("ok",)], f"round {round_no}: {check}"
        new = stored - known
        assert reported <= stored, f"round {round_no}: committed events lost"
        assert known <= stored, f"round {round_no}: earlier events lost"
        unreported = new - reported
        assert len(unreported) <= 1, f"round {round_no}: {len(unreported)} unreported events"
        unreported_total += len(unreported)
        written += len(reported)
        known = stored
    assert written >= KILLS  # every child committed (and reported) at least one event
    assert len(known) == written + unreported_total
    assert hot_journals >= 1  # at least one kill landed inside a write transaction
    assert not list(tmp_path.glob("*.corrupt-*"))  # a rolled-back file is never mistaken for junk
    assert time.monotonic() - started < 120
