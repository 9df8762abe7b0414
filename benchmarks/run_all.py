"""Run every benchmark and print its table. `make bench` calls this; the README quotes the numbers
from benchmarks/RESULTS.md, which records one run with the date and machine."""
from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_browser  # noqa: E402
import bench_import  # noqa: E402
import bench_install  # noqa: E402
import bench_make_test  # noqa: E402
import bench_notebooks  # noqa: E402
import bench_recovery  # noqa: E402

if __name__ == "__main__":
    print(f"# machine: {platform.machine()}, {platform.python_version()}\n")
    for module in (bench_import, bench_notebooks, bench_install, bench_browser, bench_make_test,
                   bench_recovery):
        print(f"\n## {module.__name__}\n")
        module.main()
