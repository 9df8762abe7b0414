"""Wall time of `make test` (the whole suite, as CI runs it), in an existing .venv."""
from __future__ import annotations

import subprocess
import time

from _util import ROOT, table


def main() -> dict[str, float]:
    t0 = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    tail = [line for line in result.stdout.splitlines() if " passed" in line or " failed" in line]
    print(table(["measure", "value"], [
        ["make test wall time", f"{seconds:.0f} s"],
        ["result", tail[-1].strip("= ") if tail else f"exit {result.returncode}"],
    ]))
    return {"make_test_s": seconds}


if __name__ == "__main__":
    main()
