"""What the class misunderstands: `python -m coursekit report EXPORTS... --out report.csv`.

Reads learners' progress exports (the progress.json files from lesson 00's download link), checks
each one exactly as an import would, and counts:
- per quiz item or exercise: the share of learners who answered correctly on their *first* attempt;
- per misconception: the share of learners who chose an answer tagged with it at least once, and
  which items revealed it.
Rows are sorted by what to re-teach first: misconceptions held by the largest share, then the
items with the lowest first-attempt success. No learner identity appears unless --show-learners
is given. A malformed export is listed with its reason and the rest are still counted.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .progress_store import ImportRefused, item_type, parse_export


@dataclass
class Row:
    kind: str  # "misconception" | "item"
    id: str
    share: float  # misconception: share of learners holding it; item: first-attempt success
    learners: int  # learners counted in the denominator (misconception: all; item: attempted)
    detail: str
    who: list[str]


def read_exports(paths: Iterable[Path]) -> tuple[dict[str, dict[str, dict[str, Any]]], list[tuple[Path, str]]]:
    """Events by learner (merged by event id across files), and the files refused with reasons."""
    by_learner: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    refused: list[tuple[Path, str]] = []
    for path in paths:
        try:
            parsed = parse_export(path.read_bytes())
        except ImportRefused as exc:
            refused.append((path, str(exc)))
            continue
        except OSError as exc:
            refused.append((path, f"cannot read the file ({exc.strerror})"))
            continue
        for event in parsed.events:
            by_learner[str(event.get("learner") or path.stem)][event["id"]] = event
    return dict(by_learner), refused


def analyse(by_learner: dict[str, dict[str, dict[str, Any]]]) -> list[Row]:
    """Misconception and item rows, sorted with what to re-teach first."""
    n = len(by_learner)
    first: dict[str, dict[str, bool]] = defaultdict(dict)  # item -> learner -> first attempt right
    holders: dict[str, set[str]] = defaultdict(set)
    revealed_by: dict[str, set[str]] = defaultdict(set)
    for learner, events in by_learner.items():
        attempts = sorted((e for e in events.values() if e["kind"] == "attempt"),
                          key=lambda e: (e["ts"], e["id"]))
        for event in attempts:
            item = event["item"]
            if learner not in first[item] and event["correct"] is not None:
                first[item][learner] = bool(event["correct"])
            if event.get("misconception"):
                holders[event["misconception"]].add(learner)
                revealed_by[event["misconception"]].add(item)
    rows = [Row("misconception", m, len(who) / n if n else 0.0, n,
                "revealed by " + ", ".join(sorted(revealed_by[m])), sorted(who))
            for m, who in holders.items()]
    rows.sort(key=lambda r: (-r.share, r.id))
    items = [Row("item", item, sum(res.values()) / len(res), len(res),
                 f"{item_type(item)}; {sum(res.values())} of {len(res)} right first time",
                 sorted(res))
             for item, res in first.items() if res]
    items.sort(key=lambda r: (r.share, -r.learners, r.id))
    return rows + items


def write_csv(rows: list[Row], out: Path, show_learners: bool) -> None:
    columns = ["rank", "kind", "id", "share_percent", "learners", "detail"]
    if show_learners:
        columns.append("learner_ids")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for rank, row in enumerate(rows, start=1):
            line = [rank, row.kind, row.id, f"{100 * row.share:.0f}", row.learners, row.detail]
            if show_learners:
                line.append(";".join(row.who))
            writer.writerow(line)


def summary(rows: list[Row], learners: int, refused: list[tuple[Path, str]]) -> str:
    lines = [f"{learners} learner(s) counted; {len(refused)} file(s) refused."]
    for path, reason in refused:
        lines.append(f"  refused {path.name}: {reason}")
    mis = [r for r in rows if r.kind == "misconception"][:3]
    items = [r for r in rows if r.kind == "item"][:3]
    if mis:
        lines.append("Re-teach first (share of learners who chose each misconception):")
        lines += [f"  {r.id}: {100 * r.share:.0f}% ({r.detail})" for r in mis]
    if items:
        lines.append("Hardest items (share right on the first attempt):")
        lines += [f"  {r.id}: {100 * r.share:.0f}% of {r.learners}" for r in items]
    if not mis and not items:
        lines.append("No answers recorded in these exports yet.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit report",
                                     description="Misconception report from learners' progress exports.")
    parser.add_argument("exports", nargs="+", help="progress.json files, or folders holding them")
    parser.add_argument("--out", default="report.csv", help="the CSV to write (default report.csv)")
    parser.add_argument("--show-learners", action="store_true",
                        help="add the learners' pseudonymous ids to each row (off by default)")
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for arg in args.exports:
        p = Path(arg)
        paths += sorted(p.rglob("*.json")) if p.is_dir() else [p]
    by_learner, refused = read_exports(paths)
    rows = analyse(by_learner)
    write_csv(rows, Path(args.out), args.show_learners)
    print(summary(rows, len(by_learner), refused))
    print(f"Wrote {args.out}.")
    return 0
