"""Print the accessibility audit's counts per page as Markdown tables (issue 24).

The browser tests write one JSON file a page into test-artifacts/a11y/ (tests/browser/a11y.py);
run them first, then this:

    python -m pytest tests/browser/test_course.py tests/browser/test_a11y.py
    python benchmarks/a11y_report.py [--dir test-artifacts/a11y]

Two tables: the course's own content (what the target of 0 serious/critical applies to), and the
renderer's findings (JupyterLab, nbconvert's template, reveal.js), kept apart, never counted as ours.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"lab": "JupyterLab, after Run All", "static": "static HTML (nbconvert)",
         "slides": "slide deck", "pack": "printable pack"}
ORDER = ("critical", "serious", "moderate", "minor")


def _cells(counts: dict) -> str:
    return " | ".join(str(counts.get(k, 0)) for k in ORDER)


def _rules(rules: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in rules.items()) or "none"


def load(folder: Path) -> list[dict]:
    rows = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    rank = {k: i for i, k in enumerate(KINDS)}
    return sorted(rows, key=lambda r: (rank.get(r["kind"], 9), r["page"]))


def report(rows: list[dict]) -> str:
    if not rows:
        return "No audit results: run the browser tests first.\n"
    out = [f"axe-core {rows[0].get('axe')}; counts are elements (nodes), by impact.", ""]
    out += ["### The course's content", "",
            "| page | where | critical | serious | moderate | minor | rules | needs review | axe s |",
            "|---|---|---:|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        ours = r["ours"]
        review = sum(ours["needs_review"].values())
        out.append(f"| {r['page']} | {KINDS.get(r['kind'], r['kind'])} | {_cells(ours['violations'])} "
                   f"| {_rules(ours['rules'])} | {review} | {r['seconds']} |")
    out += ["", "### The renderer's own findings (not the course's)", "",
            "| page | where | critical | serious | moderate | minor | rules |",
            "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        theirs = r["renderer"]
        out.append(f"| {r['page']} | {KINDS.get(r['kind'], r['kind'])} | "
                   f"{_cells(theirs['violations'])} | {_rules(theirs['rules'])} |")
    blocking = sum(len(r["blocking"]) for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    out += ["", f"{len(rows)} pages; serious or critical in the course's content: {blocking}; "
                f"axe time in total: {seconds:.1f} s."]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "test-artifacts" / "a11y")
    args = parser.parse_args(argv)
    sys.stdout.write(report(load(args.dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
