"""How fast is the progress store? Prints a small table; asserts nothing.

Run: .venv/bin/python benchmarks/bench_progress.py [--events 10000]

Each recorded event is its own `BEGIN IMMEDIATE` transaction with a synchronous commit (the
default for journal_mode=DELETE), so the write rate is bounded by fsync on this disk. A learner
produces a few events a minute, so anything above ~50 events/s is more than enough; the export
and import numbers matter more (a whole course's record is a few thousand events).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coursekit.progress.store import Store, parse_export, summarise  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(fn: Callable[[], object]) -> str:
    return f"{timed(fn) * 1000:,.0f} ms"


def fill(store: Store, n: int) -> None:
    for i in range(n):
        store.record("attempt", f"0{i % 8}", f"0{i % 8}.q{i % 12}", correct=i % 3 != 0,
                     misconception=None if i % 3 else "target-as-pledge",
                     answer={"choice": "abcd"[i % 4], "i": i})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=300, help="events for the write-rate rows")
    args = parser.parse_args()
    n = args.events
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as tmp:
        base = Path(tmp)

        disk = Store(base / "write.sqlite3")
        seconds = timed(lambda: fill(disk, args.writes), repeat=1)
        rows.append((f"record() to a file, {args.writes} events",
                     f"{args.writes / seconds:,.0f} events/s"))

        memory = Store.memory()
        seconds = timed(lambda: fill(memory, args.writes), repeat=1)
        rows.append((f"record() in memory, {args.writes} events",
                     f"{args.writes / seconds:,.0f} events/s"))

        source = Store.memory()
        fill(source, n)
        text = source.export_text()
        rows.append((f"export size, {n:,} events", f"{len(text.encode()) / 2**20:.2f} MB"))
        rows.append((f"export_json(), {n:,} events", ms(source.export_text)))
        rows.append((f"validate export, {n:,} events", ms(lambda: parse_export(text))))

        def fresh_import() -> None:
            target = Store(base / f"import-{time.perf_counter_ns()}.sqlite3")
            result = target.import_json(text)
            assert result.added == n
            target.close()

        rows.append((f"import_json() into a new file, {n:,} added", ms(fresh_import)))
        full = Store(base / "full.sqlite3")
        full.import_json(text)
        rows.append((f"import_json() again, {n:,} skipped", ms(lambda: full.import_json(text))))
        full.close()
        rows.append((f"open a {n:,}-event file (quick_check)",
                     ms(lambda: Store(base / "full.sqlite3").close())))
        rows.append((f"summary() of {n:,} events", ms(lambda: summarise(source.events()))))

    width = max(len(name) for name, _ in rows)
    print(f"{'progress store':<{width}}  result")
    print(f"{'-' * width}  {'-' * 14}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
