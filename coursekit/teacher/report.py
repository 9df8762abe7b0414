"""What to reteach tomorrow, and what to read: `python -m coursekit report EXPORTS... --out report.csv`.

Reads learners' progress exports (the progress.json files from lesson 00's download link), checks
each one exactly as an import would, and writes:
- `report.csv`, ordered as "what to reteach tomorrow":
  - each misconception learners showed, with its plain summary and remedy from
    assets/misconceptions.toml: how many learners showed it, out of the learners who answered an
    item that can reveal it (both numbers, and the share); most learners first;
  - each quiz item and exercise: how many learners got it right on their first attempt, out of
    the learners who attempted it (both numbers); the hardest first;
- a folder of what learners wrote (coursekit.teacher.writing): briefs, reflections, lesson 06's risk
  ratings, pretest guesses, as CSV and one readable HTML page per lesson.
A learner is one person's exports: files that share events, or a learner id, are merged, so a
learner who chose a name in lesson 00 halfway through is still one learner. No learner is named
unless --show-learners is given, and then by the name or pseudonym the learner chose (the one on
their latest answer). A malformed export is listed with its reason and the rest are still counted.
"""
from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from coursekit.progress.store import ImportRefused, item_type, parse_export


@dataclass
class Row:
    kind: str        # "misconception" | "item"
    id: str
    count: int       # learners who showed it / got it right first time
    out_of: int      # learners who could have: attempted a revealing item / attempted the item
    detail: str
    who: list[str] = field(default_factory=list)
    summary: str = ""
    remedy: str = ""

    @property
    def share(self) -> float:
        return self.count / self.out_of if self.out_of else 0.0


def read_exports(paths: Iterable[Path]) -> tuple[dict[str, dict[str, Any]], list[tuple[Path, str]]]:
    """Learners (key -> {"label", "ids", "files", "events"}) and refused files with reasons.

    Files are joined into one learner when they share an event id or a learner id (union-find)."""
    files: list[tuple[Path, list[dict[str, Any]]]] = []
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
        if parsed.events:
            files.append((path, parsed.events))
    parent = list(range(len(files)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (_path, events) in enumerate(files):
        for ev in events:
            for key in (f"id:{ev['id']}", f"learner:{ev.get('learner')}"):
                if key in owner:
                    parent[find(i)] = find(owner[key])
                else:
                    owner[key] = i
    groups: dict[int, dict[str, Any]] = {}
    for i, (path, events) in enumerate(files):
        g = groups.setdefault(find(i), {"files": [], "events": {}, "ids": set()})
        g["files"].append(path)
        for ev in events:
            g["events"][ev["id"]] = ev
            g["ids"].add(str(ev.get("learner") or path.stem))
    learners: dict[str, dict[str, Any]] = {}
    for g in groups.values():
        events = sorted(g["events"].values(), key=lambda e: (e["ts"], e["id"]))
        name = str(events[-1].get("learner") or g["files"][0].stem)
        key = name if name not in learners else f"{name} ({g['files'][0].name})"
        learners[key] = {"name": name, "ids": sorted(g["ids"]), "files": g["files"], "events": events}
    return learners, refused


def _revealing_items() -> dict[str, set[str]]:
    """misconception -> the quiz items and exercises whose wrong answers are tagged with it."""
    out: dict[str, set[str]] = defaultdict(set)
    try:
        from coursekit.quizzes.bank import bank_paths, load_bank
        for path in bank_paths():
            for q in load_bank(path).questions:
                for d in q.distractors():
                    if getattr(d, "misconception", ""):
                        out[d.misconception].add(q.full_id)
                if q.misconception:
                    out[q.misconception].add(q.full_id)
    except Exception:  # noqa: BLE001 - without banks, the items seen in the exports still count
        pass
    try:
        from coursekit.quizzes import checks
        specs, _ = checks.load_specs(checks.spec_folder())
        for ex in specs.values():
            for m in ex.mistakes:
                if m.misconception:
                    out[m.misconception].add(ex.id)
    except Exception:  # noqa: BLE001
        pass
    return out


def analyse(learners: dict[str, dict[str, Any]]) -> list[Row]:
    """Misconception rows (most learners first), then item rows (hardest first)."""
    first: dict[str, dict[str, bool]] = defaultdict(dict)   # item -> learner -> right first time
    tried: dict[str, set[str]] = defaultdict(set)           # item -> learners who answered it
    holders: dict[str, set[str]] = defaultdict(set)
    seen_in: dict[str, set[str]] = defaultdict(set)
    for key, learner in learners.items():
        for event in learner["events"]:
            if event["kind"] != "attempt" or item_type(event["item"]) not in ("quiz", "exercise"):
                continue
            item = event["item"]
            tried[item].add(key)
            if key not in first[item] and event["correct"] is not None:
                first[item][key] = bool(event["correct"])
            if event.get("misconception"):
                holders[event["misconception"]].add(key)
                seen_in[event["misconception"]].add(item)
    try:
        from coursekit.model.content import load_misconceptions
        registry = load_misconceptions()
    except Exception:  # noqa: BLE001 - the report still counts ids without their text
        registry = {}
    revealing = _revealing_items()
    rows = []
    for mid, who in holders.items():
        items = revealing.get(mid, set()) | seen_in[mid]
        out_of = set().union(*(tried[i] for i in items))
        entry = registry.get(mid)
        rows.append(Row("misconception", mid, len(who), len(out_of),
                        "shown in " + ", ".join(sorted(seen_in[mid])), sorted(who),
                        getattr(entry, "summary", ""), getattr(entry, "remedy", "")))
    rows.sort(key=lambda r: (-r.count, -r.share, r.id))
    items = [Row("item", item, sum(res.values()), len(res),
                 f"{item_type(item)}; {sum(res.values())} of {len(res)} right first time",
                 sorted(res)) for item, res in first.items() if res]
    items.sort(key=lambda r: (r.share, -r.out_of, r.id))
    return rows + items


def write_csv(rows: list[Row], out: Path, labels: dict[str, str] | None) -> None:
    columns = ["rank", "kind", "id", "learners", "out_of", "share_percent", "detail", "summary", "remedy"]
    if labels is not None:
        columns.append("learner_names")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for rank, row in enumerate(rows, start=1):
            line = [rank, row.kind, row.id, row.count, row.out_of, f"{100 * row.share:.0f}",
                    row.detail, row.summary, row.remedy]
            if labels is not None:
                line.append(";".join(labels[w] for w in row.who))
            writer.writerow(line)


def summary(rows: list[Row], learners: dict[str, dict[str, Any]], refused: list[tuple[Path, str]]) -> str:
    per_lesson: dict[str, set[str]] = defaultdict(set)
    for key, learner in learners.items():
        for ev in learner["events"]:
            if ev["kind"] == "attempt":
                per_lesson[ev["lesson"]].add(key)
    lines = [f"{len(learners)} learner(s) counted; {len(refused)} file(s) refused."]
    for path, reason in refused:
        lines.append(f"  refused {path.name}: {reason}")
    if per_lesson:
        lines.append("Learners who answered something in each lesson: " + ", ".join(
            f"{lesson}: {len(who)}" for lesson, who in sorted(per_lesson.items())))
    mis = [r for r in rows if r.kind == "misconception"][:5]
    items = [r for r in rows if r.kind == "item"][:5]
    if mis:
        lines.append("What to reteach tomorrow (learners who showed it, of those who answered an "
                     "item that can reveal it):")
        for r in mis:
            lines.append(f"  {r.id}: {r.count} of {r.out_of} ({100 * r.share:.0f}%), {r.detail}.")
            if r.summary:
                lines.append(f"    They think: {r.summary}")
            if r.remedy:
                lines.append(f"    Remedy: {r.remedy}")
    if items:
        lines.append("Hardest items (right on the first attempt, of the learners who tried them):")
        lines += [f"  {r.id}: {r.count} of {r.out_of} ({100 * r.share:.0f}%)" for r in items]
    if not mis and not items:
        lines.append("No answers recorded in these exports yet.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit report",
        description="What to reteach, and what learners wrote, from their progress exports.")
    parser.add_argument("exports", nargs="+", help="progress.json files, or folders holding them")
    parser.add_argument("--out", default="report.csv", help="the CSV to write (default report.csv)")
    parser.add_argument("--writing", help="folder for what learners wrote (default: beside --out, "
                                          "named after it: report-writing/)")
    parser.add_argument("--show-learners", action="store_true",
                        help="name learners by the name or pseudonym they chose (off by default: "
                             "Learner 1, Learner 2, ...)")
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for arg in args.exports:
        p = Path(arg)
        paths += sorted(p.rglob("*.json")) if p.is_dir() else [p]
    learners, refused = read_exports(paths)
    labels = {key: (learners[key]["name"] if args.show_learners else f"Learner {n}")
              for n, key in enumerate(sorted(learners), start=1)}
    rows = analyse(learners)
    out = Path(args.out)
    write_csv(rows, out, labels if args.show_learners else None)
    from coursekit.teacher import writing

    records = writing.collect({k: {"label": labels[k], "events": v["events"]} for k, v in learners.items()})
    folder = Path(args.writing) if args.writing else out.with_name(f"{out.stem}-writing")
    written = writing.write_writing(records, folder) if records else []
    print(summary(rows, learners, refused))
    print(f"Wrote {out}." + (f" What learners wrote: {len(records)} answer(s) in {folder}/ "
                             f"({len(written) - 1} lesson page(s) and writing.csv). It holds their own "
                             "words: keep it private and delete it when you are done." if records else
                             " No briefs, reflections, ratings or pretest guesses in these exports."))
    return 0
