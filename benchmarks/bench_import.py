"""How much time `import coursekit` adds to a notebook's set-up cell. Target: at most 60 ms.

Compares a bare interpreter start with one that imports coursekit (medians of 15 runs each).
coursekit's public names are lazy, so the import should cost only the package's own __init__.
"""
from __future__ import annotations

import sys

from _util import ROOT, median_seconds, table

TARGET_MS = 60.0


def main() -> dict[str, float]:
    base = median_seconds([sys.executable, "-c", "import sys, pathlib"], runs=15, cwd=ROOT)
    with_ck = median_seconds([sys.executable, "-c", "import sys, pathlib, coursekit"], runs=15, cwd=ROOT)
    added = (with_ck - base) * 1000
    print(table(["measure", "value"], [
        ["interpreter start (median of 15)", f"{base * 1000:.0f} ms"],
        ["... plus import coursekit", f"{with_ck * 1000:.0f} ms"],
        ["time import coursekit adds", f"{added:.1f} ms (target <= {TARGET_MS:.0f} ms)"],
    ]))
    return {"import_added_ms": added}


if __name__ == "__main__":
    main()
