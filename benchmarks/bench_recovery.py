"""How long does recovering a damaged progress file take, with 1 and with 3 kernels?

Run: .venv/bin/python benchmarks/bench_recovery.py [--runs 7]

Each run writes 8 KB of random bytes where the progress file should be, starts the kernels
(separate Python processes that have already imported coursekit.progress.api, as notebook kernels
would have), and releases them together. Each then records 30 answers from 30 threads at once,
the first of which opens the store: one kernel moves the damaged file aside and starts a new one
under the recovery lock, the others wait for it and use the new file. Times are measured from
the release (time.monotonic, shared by all processes on one machine) to:
- "first answer saved": the moment the slowest kernel has its first answer committed;
- "all answers saved": the moment the slowest kernel has all 30 committed.
The same runs on a healthy file (500 earlier answers) give the baseline, so the difference is
the cost of recovery.
Medians of --runs runs; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, table

from coursekit.progress.store import Store  # noqa: E402


def _healthy_export(n: int = 500) -> str:
    store = Store.memory()
    for i in range(n):
        store.record("attempt", f"0{i % 8}", f"0{i % 8}.q{i % 9}", correct=i % 3 > 0, answer=i)
    return store.export_text()


HEALTHY = _healthy_export()

KERNEL = r"""
import json, sys, threading, time
from coursekit.progress import api as progress
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()
done = []
lock = threading.Lock()
def answer(i):
    progress.record_event("attempt", "01", f"01.q{i % 7}", correct=True, answer=i)
    with lock:
        done.append(time.monotonic())
threads = [threading.Thread(target=answer, args=(i,)) for i in range(30)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"first": min(done), "last": max(done),
                  "moved": bool(progress.get_store().notice)}))
"""


def one_run(kernels: int, damaged: bool, seed: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory(prefix="bench-recovery-") as tmp:
        path = Path(tmp) / "progress.sqlite3"
        if damaged:
            path.write_bytes(random.Random(seed).randbytes(8192))
        else:  # the baseline: a healthy record a learner has used for a while
            Store(path).import_json(HEALTHY)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COURSEKIT_PROGRESS_DB": str(path)}
        env.pop("COURSEKIT_LEARNER", None)
        procs = [subprocess.Popen([sys.executable, "-c", KERNEL], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
                 for _ in range(kernels)]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        start = time.monotonic()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        reports = [json.loads(proc.communicate(timeout=120)[0]) for proc in procs]
        moved = len(list(Path(tmp).glob("*.corrupt-*")))
        assert moved == (1 if damaged else 0), moved
        assert sum(r["moved"] for r in reports) == (1 if damaged else 0)
        first = max(r["first"] for r in reports) - start
        last = max(r["last"] for r in reports) - start
        return first, last, moved


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    rows = []
    for kernels in (1, 3):
        results = {}
        for damaged in (False, True):
            runs = [one_run(kernels, damaged, seed=n) for n in range(args.runs)]
            results[damaged] = (statistics.median(r[0] for r in runs),
                                statistics.median(r[1] for r in runs))
        (h_first, h_last), (d_first, d_last) = results[False], results[True]
        rows.append([kernels, ms(h_first), ms(d_first), ms(d_first - h_first),
                     ms(h_last), ms(d_last)])
    print(table(["kernels", "first answer saved, healthy file",
                 "first answer saved, damaged file", "recovery adds",
                 "all 30 a kernel saved, healthy", "all 30 a kernel saved, damaged"], rows))
    print(f"\nmedians of {args.runs} runs; each damaged run moved the file aside exactly once "
          "and lost no answer\n")
    print(table(["opening the store in one process (no contention)", "median of 21"],
                [[what, ms(open_time(what))] for what in ("no file yet", "healthy file",
                                                          "damaged file")]))


def open_time(what: str, runs: int = 21) -> float:
    """Store(path) alone: create, open (quick_check), or detect, move aside and start anew."""
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-recovery-") as tmp:
        for n in range(runs):
            path = Path(tmp) / f"p{n}.sqlite3"
            if what == "healthy file":
                Store(path).import_json(HEALTHY)
            elif what == "damaged file":
                path.write_bytes(random.Random(n).randbytes(8192))
            start = time.perf_counter()
            Store(path).close()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
