"""`python -m coursekit stale`: claims, datasets and sources by the age of their date.

    python -m coursekit stale                 a summary, then every item 9 months old or more
    python -m coursekit stale --all           every item, oldest first
    python -m coursekit stale --today 2027-09-01   as it will look on that day

The topic moves monthly, so every dated item is re-checked within a year or so:
- a claim's `as_of` (assets/claims.toml): when its verdict and reason were last checked;
- a dataset's `as_of` (the sidecar assets/data/<name>.toml, and each row's `as_of` in the CSV):
  the oldest of them stands for the dataset;
- a source's `accessed` (assets/sources.toml): when the stored copy was last read.
An item WARN_MONTHS (9) months old or more is listed as a warning; FAIL_MONTHS (15) or more is
stale, and `python -m coursekit check` reports it as a problem (file, line, reason), so the
check fails until the item is re-checked and its date moved on. Malformed dates are left to the
validators of those files.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from coursekit.model import paths, tomllines
from coursekit.model.problems import ContentError, Problem, relpath

WARN_MONTHS = 9
FAIL_MONTHS = 15

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$")


def parse(text: object) -> dt.date | None:
    """An ISO date ("2026-11-25", or "2026-11" / "2026" taken as the first day); None if not."""
    m = _DATE.match(text) if isinstance(text, str) else None
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def months_between(then: dt.date, today: dt.date) -> int:
    """Whole months from `then` to `today` (0 for a date in the future)."""
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    return max(months, 0)


@dataclass(frozen=True)
class Dated:
    kind: str   # claim | dataset | source
    id: str
    field: str  # as_of | accessed
    date: str
    file: str
    line: int

    def months(self, today: dt.date) -> int:
        parsed = parse(self.date)
        return months_between(parsed, today) if parsed else 0

    def status(self, today: dt.date) -> str:
        months = self.months(today)
        return "STALE" if months >= FAIL_MONTHS else "WARN" if months >= WARN_MONTHS else "ok"


def _toml_items(path: Path, table: str, kind: str, key: str) -> list[Dated]:
    try:
        doc = tomllines.load(path)
    except (ContentError, OSError):
        return []  # missing or unreadable: reported by the file's own validator
    records = doc.data.get(table)
    out = []
    for i, rec in enumerate(records if isinstance(records, list) else []):
        if isinstance(rec, dict) and parse(rec.get(key)) and isinstance(rec.get("id"), str):
            out.append(Dated(kind, rec["id"], key, rec[key], doc.name, doc.line(table, i, key)))
    return out


def _dataset(sidecar: Path) -> Dated | None:
    """The oldest `as_of` of a dataset: its sidecar's, or an older one on a row of its CSV."""
    dates: list[tuple[dt.date, str, str, int]] = []
    try:
        doc = tomllines.load(sidecar)
        if parse(doc.data.get("as_of")):
            dates.append((parse(doc.data["as_of"]), doc.data["as_of"], doc.name, doc.line("as_of")))
    except (ContentError, OSError):
        pass
    table = sidecar.with_suffix(".csv")
    if table.exists():
        with table.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                value = (row.get("as_of") or "").strip()
                if parse(value):
                    dates.append((parse(value), value, relpath(table), line))
    if not dates:
        return None
    _, text, file, line = min(dates, key=lambda d: (d[0], d[2], d[3]))
    return Dated("dataset", sidecar.stem, "as_of", text, file, line)


def collect(assets: Path | None = None) -> list[Dated]:
    """Every dated claim, dataset and source under `assets`."""
    base = assets or paths.ASSETS
    items = _toml_items(base / "claims.toml", "claim", "claim", "as_of")
    for sidecar in sorted((base / "data").glob("*.toml")):
        found = _dataset(sidecar)
        if found:
            items.append(found)
    items += _toml_items(base / "sources.toml", "source", "source", "accessed")
    return items


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def check_problems(today: dt.date | None = None, assets: Path | None = None) -> list[Problem]:
    """One problem for each item FAIL_MONTHS old or more: `python -m coursekit check` runs this."""
    day = _today(today)
    out = []
    for item in collect(assets):
        months = item.months(day)
        if months >= FAIL_MONTHS:
            out.append(Problem(item.file, item.line, (
                f"{item.kind} {item.id}: {item.field} {item.date} is {months} months old "
                f"({FAIL_MONTHS} or more): check it against its sources again and update "
                f"{item.field} (python -m coursekit stale lists everything by age)")))
    return out


def report(items: list[Dated], today: dt.date, *, show_all: bool = False) -> str:
    lines = [f"Ages on {today.isoformat()}: WARN at {WARN_MONTHS} months, STALE (fails "
             f"python -m coursekit check) at {FAIL_MONTHS} months.", ""]
    for kind, label in (("claim", "claims"), ("dataset", "datasets"), ("source", "sources")):
        mine = [i for i in items if i.kind == kind]
        if not mine:
            lines.append(f"{label:<9} none found")
            continue
        oldest = max(mine, key=lambda i: i.months(today))
        counts = {s: sum(i.status(today) == s for i in mine) for s in ("ok", "WARN", "STALE")}
        lines.append(f"{label:<9} {len(mine):>4}: {counts['ok']} ok, {counts['WARN']} warn, "
                     f"{counts['STALE']} stale; oldest {oldest.id} ({oldest.field} {oldest.date}, "
                     f"{oldest.months(today)} months)")
    shown = sorted((i for i in items if show_all or i.status(today) != "ok"),
                   key=lambda i: (-i.months(today), i.kind, i.id))
    lines.append("")
    if not shown:
        lines.append(f"Nothing is {WARN_MONTHS} months old or more.")
        return "\n".join(lines)
    lines.append(f"{'months':>6}  {'status':<6} {'kind':<8} {'id':<34} {'date':<11} where")
    for i in shown:
        lines.append(f"{i.months(today):>6}  {i.status(today):<6} {i.kind:<8} {i.id:<34} "
                     f"{i.date:<11} {i.file}:{i.line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit stale",
        description=f"List claims, datasets and sources by the age of their as_of or accessed "
                    f"date: a warning at {WARN_MONTHS} months, a failure at {FAIL_MONTHS}.")
    parser.add_argument("--all", action="store_true", help="list every item, not only old ones")
    parser.add_argument("--today", type=parse, metavar="YYYY-MM-DD",
                        help="measure ages as on this day (default: today)")
    parser.add_argument("--assets", type=Path, help=argparse.SUPPRESS)  # tests: a fixture folder
    args = parser.parse_args(argv)
    today = _today(args.today)
    items = collect(args.assets)
    print(report(items, today, show_all=args.all))
    stale = [i for i in items if i.status(today) == "STALE"]
    if stale:
        print(f"\n{len(stale)} item(s) {FAIL_MONTHS} months old or more: "
              "python -m coursekit check fails until they are re-checked.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
