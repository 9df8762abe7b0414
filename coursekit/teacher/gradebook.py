"""The grader's files: a plain gradebook, Moodle and Canvas import layouts, a class tally.

`python -m coursekit grade ... --out grades.csv` writes, side by side:
- `grades.csv`: every submission its own row (never merged, names as given), each exercise's
  points and status, total, max, percent, misconception ids, feedback and the teacher's notes;
- `grades-moodle.csv`: one row per learner, an identifier column, and for each exercise set a
  percent column and a feedback column, for Moodle's "Import grades from CSV";
- `grades-canvas.csv`: Canvas's gradebook layout (Student, ID, SIS User ID, SIS Login ID,
  Section, then one points column per set, with a "Points Possible" row);
- `grades-mistakes.csv`: the class tally of mistakes from the submissions themselves.
The exact columns, and the platforms' rules they follow, are in docs/teacher-tools.md.

The LMS layouts use one submission per learner and set: the better one when a learner sent two,
never a copied solutions notebook. A grade that cannot be given is left empty ("-" for Moodle),
so the LMS records "no grade" rather than 0.
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROSTER_FIELDS = ("learner", "name", "email", "username", "idnumber", "canvas_id", "sis_user_id",
                 "sis_login_id", "section")
MOODLE_ID = (("email", "Email address"), ("username", "Username"), ("idnumber", "ID number"))
CANVAS_HEAD = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def read_roster(path: Path) -> dict[str, dict[str, str]]:
    """learner -> row; raises ValueError with the reason."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read it ({exc})") from None
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip() for f in (reader.fieldnames or [])]
    if "learner" not in fields:
        raise ValueError("it has no 'learner' column (the folder or file name of each learner's "
                         "submissions)")
    unknown = [f for f in fields if f not in ROSTER_FIELDS]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(unknown)}; use {', '.join(ROSTER_FIELDS)}")
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not row.get("learner"):
            raise ValueError(f"line {n} has no learner")
        if row["learner"] in out:
            raise ValueError(f"learner {row['learner']!r} appears twice (line {n})")
        out[row["learner"]] = row
    return out


def _ids(results) -> list[str]:
    from coursekit.teacher.grade import exercises_of

    ids: list[str] = []
    for set_name in sorted({r.set for r in results if r.set and not r.error}):
        ids += [ex.id for ex in exercises_of(set_name)]
    return ids


def _what(error: str) -> str:
    """The reason a file was not graded, without the advice meant for the teacher."""
    return error.split("; ask the learner")[0].split("; run it yourself")[0]


def feedback(r) -> str:
    """What the learner is told about one submission."""
    if r.error:
        return f"Not graded yet: {_what(r.error)}. Please send the notebook again."
    if r.flags:
        return "Held for your teacher to review."
    parts = []
    for ex_id, item in r.items.items():
        if item.status == "not yet":
            mis = f" [{item.misconception}]" if item.misconception else ""
            parts.append(f"{ex_id} not yet: {item.hint}{mis}")
        elif item.status.startswith("submitted"):
            extra = f" ({item.hint})" if item.hint else ""
            parts.append(f"{ex_id} {item.status}: read by your teacher{extra}")
        elif item.status == "error":
            parts.append(f"{ex_id} could not be read: {item.hint}")
        else:
            parts.append(f"{ex_id} {item.status}")
    return " | ".join(parts)


def teacher_notes(r) -> str:
    notes = []
    if r.error:
        notes.append(f"not graded: {r.error}")
    notes += r.flags
    if r.duplicates > 1:
        notes.append(f"{r.duplicates} submissions of {r.set} by {r.learner}: "
                     + ("this one is used" if r.used else "another one is used"))
    notes += r.notes
    return " | ".join(notes)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def write_plain(results, out: Path) -> list[str]:
    ids = _ids(results)
    columns = ["learner", "file", "set", "submissions", "used", "flags"]
    for i in ids:
        columns += [i, f"{i} status"]
    columns += ["total", "max", "percent", "misconceptions", "feedback", "notes"]
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for r in results:
            row = {"learner": r.learner, "file": r.file, "set": r.set, "submissions": r.duplicates,
                   "used": "yes" if r.used else "no", "flags": " | ".join(r.flags),
                   "total": _blank(r.total), "max": _blank(r.maximum),
                   "percent": _blank(r.percent),
                   "misconceptions": ";".join(it.misconception for it in r.items.values()
                                              if it.misconception),
                   "feedback": feedback(r), "notes": teacher_notes(r)}
            for i, item in r.items.items():
                row[i] = _blank(item.points)
                row[f"{i} status"] = item.status
            writer.writerow(row)
    return columns


def _chosen(results) -> dict[tuple[str, str], Any]:
    """(learner, set) -> the submission the LMS layouts use. When the batch holds one set only, a
    learner's unreadable file (whose set cannot be known) stands for it, so the learner is told
    why there is no grade instead of "no submission received"."""
    chosen = {(r.learner, r.set): r for r in results if r.used and r.set}
    sets = {r.set for r in results if r.set and not r.error}
    if len(sets) == 1:
        only = next(iter(sets))
        for r in results:
            if not r.set and r.error:
                chosen.setdefault((r.learner, only), r)
    return chosen


def _learners(results, roster) -> list[str]:
    seen = list(dict.fromkeys(r.learner for r in results))
    return list(roster) + [l for l in seen if l not in roster] if roster else seen


def write_moodle(results, out: Path, roster) -> tuple[list[str], list[str]]:
    """Returns (columns, learners left out because the roster does not know them)."""
    roster = roster or {}
    field, header = next(((f, h) for f, h in MOODLE_ID
                          if roster and all(row.get(f) for row in roster.values())), ("learner", "Learner"))
    sets = sorted({r.set for r in results if r.set and not r.error})
    columns = [header] + [c for s in sets for c in (f"{s} percent", f"{s} feedback")]
    chosen = _chosen(results)
    left_out = []
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for learner in _learners(results, roster):
            if roster and learner not in roster:
                left_out.append(learner)
                continue
            ident = roster[learner][field] if roster else learner
            line = [ident]
            for s in sets:
                r = chosen.get((learner, s))
                if r is None:
                    line += ["-", "No submission received."]
                    continue
                grade = "-" if (r.percent is None or r.flags) else f"{r.percent:.1f}"
                note = feedback(r)
                if r.duplicates > 1 and not r.error and not r.flags:
                    note = f"(The better of your {r.duplicates} submissions.) " + note
                line += [grade, note]
            writer.writerow(line)
    return columns, left_out


def write_canvas(results, out: Path, roster) -> list[str]:
    from coursekit.teacher.grade import exercises_of

    roster = roster or {}
    sets = sorted({r.set for r in results if r.set and not r.error})
    columns = CANVAS_HEAD + sets
    chosen = _chosen(results)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerow(["    Points Possible", "", "", "", ""]
                        + [sum(ex.points for ex in exercises_of(s) if ex.kind != "text") for s in sets])
        for learner in _learners(results, roster):
            info = roster.get(learner, {})
            line = [info.get("name") or learner, info.get("canvas_id", ""),
                    info.get("sis_user_id", ""), info.get("sis_login_id") or ("" if info else learner),
                    info.get("section", "")]
            for s in sets:
                r = chosen.get((learner, s))
                line.append("" if r is None or r.total is None or r.flags else r.total)
            writer.writerow(line)
    return columns


def tally(results) -> list[dict[str, Any]]:
    """The class tally from the submissions the gradebook uses: misconceptions first (most
    learners first), then each exercise's statuses."""
    from coursekit.teacher.grade import exercises_of

    chosen = [r for r in _chosen(results).values() if not r.error and not r.flags]
    try:
        from coursekit.model.content import load_misconceptions
        registry = load_misconceptions()
    except Exception:  # noqa: BLE001 - the tally still counts ids without their text
        registry = {}
    revealers: dict[str, set[str]] = defaultdict(set)
    for s in {r.set for r in chosen}:
        for ex in exercises_of(s):
            for m in ex.mistakes:
                if m.misconception:
                    revealers[m.misconception].add(ex.id)
    holders: dict[str, set[str]] = defaultdict(set)
    seen_in: dict[str, set[str]] = defaultdict(set)
    tried: dict[str, set[str]] = defaultdict(set)
    statuses: dict[str, Counter] = defaultdict(Counter)
    for r in chosen:
        for ex_id, item in r.items.items():
            kind = "submitted" if item.status.startswith("submitted") else item.status
            statuses[ex_id][kind] += 1
            if item.status not in ("not attempted", "error"):
                tried[ex_id].add(r.learner)
            if item.misconception:
                holders[item.misconception].add(r.learner)
                seen_in[item.misconception].add(ex_id)
    rows = []
    for mid, who in holders.items():
        out_of = set().union(*(tried[e] for e in revealers.get(mid, set()) | seen_in[mid]))
        entry = registry.get(mid)
        rows.append({"kind": "misconception", "id": mid, "learners": len(who),
                     "out_of": len(out_of), "share_percent": round(100 * len(who) / max(len(out_of), 1)),
                     "detail": "shown in " + ", ".join(sorted(seen_in[mid])),
                     "summary": getattr(entry, "summary", ""), "remedy": getattr(entry, "remedy", "")})
    rows.sort(key=lambda r: (-r["learners"], -r["share_percent"], r["id"]))
    for ex_id in sorted(statuses, key=lambda i: [int(p) for p in i.split(".")]):
        c = statuses[ex_id]
        detail = ", ".join(f"{c[k]} {k}" for k in ("correct", "not yet", "not attempted",
                                                   "submitted", "error") if c[k])
        attempted = sum(c.values()) - c["not attempted"]
        if c["submitted"] and not c["correct"] + c["not yet"]:  # free text: read, not scored
            rows.append({"kind": "exercise", "id": ex_id, "learners": c["submitted"],
                         "out_of": sum(c.values()), "share_percent": "",
                         "detail": detail + " (free text: read it)", "summary": "", "remedy": ""})
            continue
        rows.append({"kind": "exercise", "id": ex_id, "learners": c["correct"], "out_of": attempted,
                     "share_percent": round(100 * c["correct"] / attempted) if attempted else "",
                     "detail": detail, "summary": "", "remedy": ""})
    return rows


def write_tally(results, out: Path) -> list[dict[str, Any]]:
    rows = tally(results)
    columns = ["rank", "kind", "id", "learners", "out_of", "share_percent", "detail", "summary", "remedy"]
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for rank, row in enumerate(rows, start=1):
            writer.writerow({"rank": rank, **row})
    return rows


def write_all(results, out: Path, roster=None) -> dict[str, Any]:
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("")
    paths = {"plain": out, "moodle": Path(f"{stem}-moodle.csv"),
             "canvas": Path(f"{stem}-canvas.csv"), "mistakes": Path(f"{stem}-mistakes.csv")}
    write_plain(results, paths["plain"])
    _, left_out = write_moodle(results, paths["moodle"], roster)
    write_canvas(results, paths["canvas"], roster)
    rows = write_tally(results, paths["mistakes"])
    return {"paths": paths, "left_out": left_out, "tally": rows, "roster": roster}


def summary(results, written: dict[str, Any]) -> str:
    failed = [r for r in results if r.error]
    learners = {r.learner for r in results}
    lines = [f"Graded {len(results) - len(failed)} of {len(results)} notebook(s) from "
             f"{len(learners)} learner(s)."]
    for r in failed:
        lines.append(f"  not graded: {r.learner}: {r.file}: {r.error}")
    for r in results:
        if r.flags:
            lines.append(f"  flagged: {r.learner}: {r.file}: {'; '.join(r.flags)}")
    dupes = sorted({(r.learner, r.set) for r in results if r.duplicates > 1})
    for learner, set_name in dupes:
        used = next(r for r in results if r.learner == learner and r.set == set_name and r.used)
        lines.append(f"  {learner} sent {set_name} {used.duplicates} times: all kept in the "
                     f"gradebook; the LMS files use {used.file} ({_blank(used.total)} of "
                     f"{_blank(used.maximum)})")
    if written["left_out"]:
        lines.append("  not in the roster, so left out of the Moodle file (Moodle stops the whole "
                     "import at an unknown user): " + ", ".join(written["left_out"]))
    mis = [row for row in written["tally"] if row["kind"] == "misconception"][:3]
    if mis:
        lines.append("Reteach first (from the submissions):")
        for m in mis:
            line = f"  {m['id']}: {m['learners']} of {m['out_of']} learners who tried it."
            line += f" {m['summary']}" if m["summary"] else ""
            line += f" Remedy: {m['remedy']}" if m["remedy"] else ""
            lines.append(line)
    names = ", ".join(str(p) for p in written["paths"].values())
    lines.append(f"Wrote {names}.")
    return "\n".join(lines)
