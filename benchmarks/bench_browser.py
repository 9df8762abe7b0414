"""Wall time of the whole browser suite (tests/browser), per test and per notebook phase.

Budget (issue 15): the whole suite under 5 minutes on 2 cores. Run:

    .venv/bin/python benchmarks/bench_browser.py          # one run of the suite
    .venv/bin/python benchmarks/bench_browser.py --runs 2 # twice, to catch flakes as well

It runs `pytest tests/browser` under COURSEKIT_STRICT_BROWSER=1 (a missing Chromium fails instead
of skipping, so a skipped suite cannot look fast), reads `--durations=0` for setup + call +
teardown of every test, and the per-phase times that tests/browser/test_course.py writes to
test-artifacts/browser-phases.json (open, stored outputs, run all, ... for each notebook).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict

from _util import ROOT, table

BUDGET_S = 300.0
DURATION = re.compile(r"^\s*([\d.]+)s\s+(setup|call|teardown)\s+(\S+)")
SUMMARY = re.compile(r"=+ (.*\d+ (?:passed|failed|xfailed|error).*) in [\d.]+s")


def run_suite() -> dict:
    env = dict(os.environ, COURSEKIT_STRICT_BROWSER="1")
    cmd = [sys.executable, "-m", "pytest", "tests/browser", "-q", "-o",
           "addopts=-p no:cacheprovider", "--durations=0", "-rfExX", "--tb=line"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    per_test: dict[str, float] = defaultdict(float)
    for line in proc.stdout.splitlines():
        m = DURATION.match(line)
        if m:
            per_test[m.group(3)] += float(m.group(1))
    summary = next((m.group(1) for m in map(SUMMARY.search, proc.stdout.splitlines()) if m),
                   proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "no output")
    return {"wall_s": wall, "returncode": proc.returncode, "summary": summary,
            "per_test": dict(per_test), "stdout": proc.stdout, "stderr": proc.stderr}


def _short(test_id: str) -> str:
    return test_id.replace("tests/browser/", "").replace("test_notebook_as_a_learner_meets_it", "course") \
        .replace("test_stored_lesson_reads_well_as_static_html", "static")


def report(result: dict) -> None:
    rows = sorted(result["per_test"].items(), key=lambda kv: -kv[1])
    print(table(["test (setup + call + teardown)", "seconds"],
                [[_short(k), f"{v:.1f}"] for k, v in rows]))
    phases_file = ROOT / "test-artifacts" / "browser-phases.json"
    if phases_file.exists():
        phases = json.loads(phases_file.read_text())
        names = ["open", "stored outputs", "run all", "after run", "exploration", "quiz",
                 "progress", "exercise", "screenshot", "total"]
        print()
        print(table(["notebook", *names],
                    [[nb, *(f"{p[n]:.1f}" if n in p else "" for n in names)]
                     for nb, p in sorted(phases.items())]))
    verdict = "within" if result["wall_s"] <= BUDGET_S else "OVER"
    print(f"\nsuite: {result['summary']} (exit {result['returncode']}); wall time "
          f"{result['wall_s']:.1f} s, {verdict} the {BUDGET_S:.0f} s budget")


def main(runs: int = 1) -> dict:
    results = []
    for i in range(runs):
        if runs > 1:
            print(f"\n## run {i + 1} of {runs}\n")
        result = run_suite()
        report(result)
        if result["returncode"] != 0:
            out = result["stdout"]
            failures = out[out.find("= FAILURES ="):out.find("slowest")] if "= FAILURES =" in out else ""
            summary = out[out.find("short test summary"):] if "short test summary" in out else out[-3000:]
            print(f"\n--- pytest failures ---\n{failures[:4000]}\n{summary[:4000]}\n"
                  f"{result['stderr'][-2000:]}")
        results.append(result)
    return {"wall_s": [r["wall_s"] for r in results], "budget_s": BUDGET_S,
            "returncodes": [r["returncode"] for r in results]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    out = main(parser.parse_args().runs)
    sys.exit(0 if all(rc == 0 for rc in out["returncodes"])
             and all(w <= BUDGET_S for w in out["wall_s"]) else 1)
