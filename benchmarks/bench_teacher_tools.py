"""A class of 30, as messy as a real one, through every teacher command; times and counts.

    .venv/bin/python benchmarks/bench_teacher_tools.py [--keep FOLDER]

Builds, in a temporary folder (or FOLDER, kept for a look), 30 learners' returns of exercise sets
02 and 03 and their progress exports, with what a teacher really receives: complete and partial
work, untouched notebooks, wrong answers with known mistakes, a learner who skipped set 03, two
learners who sent a set twice, a copied solutions notebook, a lesson notebook sent by mistake, a
file cut off in transit, an empty file, a PDF named .ipynb, names with spaces and accents, a
macOS zip's `__MACOSX/._*` shadow files and Jupyter checkpoints; exports with a learner who chose a
name halfway through, one exported twice, one cut off. Then it runs grade, report, pack (HTML) and
slides, checks what a teacher would check, and prints the times.
"""
from __future__ import annotations

import argparse
import copy
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, table

import nbformat  # noqa: E402

from coursekit.progress.store import render_export  # noqa: E402

ANSWERS = {
    "02_sanctions": {"growth_pct": "150.0", "event_order": '["C", "A", "B", "D", "E"]',
                     "relay_errors": '["A", "C", "D"]'},
    "03_partnership": {"cagr_2021_2024": "((end / start) ** (1 / years) - 1) * 100",
                       "russia_share": "china_trade_with_russia / china_total_trade * 100",
                       "asymmetry_ratio": "china_share / russia_share",
                       "gap_2023_pct": "(china - russia) / china * 100",
                       "best_use": '"B"', "sco_reading": '"neutral"'},
}
MISTAKES = {"03_partnership": {"cagr_2021_2024": ["19.2", "22.22", "66.67", "13.62"]},
            "02_sanctions": {"growth_pct": ["2.5", "300.0", "60.0"]}}
NAMES = ["amina", "ben", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal",
         "lena", "mo", "nadia", "omar", "pia", "quinn", "rosa", "sam", "tariq", "uma", "vic",
         "wen", "xavi", "yara", "zoe", "Zoë Ångström", "o'brien k", "li wei", "ana maría"]


def _answer(nb, var: str, value: str) -> bool:
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                if line.startswith(f"{var} = "):
                    lines[i] = f"{var} = {value}"
                    cell.source = "\n".join(lines)
                    return True
    return False


def build_class(base: Path) -> dict[str, int]:
    subs = base / "submitted"
    counts = {"files": 0}

    def save(learner: str, name: str, nb=None, raw: bytes | None = None) -> None:
        folder = subs / learner
        folder.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            (folder / name).write_bytes(raw)
        else:
            nbformat.write(nb, folder / name)
        counts["files"] += 1

    blank = {s: nbformat.read(ROOT / "exercises" / f"{s}.ipynb", as_version=4) for s in ANSWERS}
    for n, learner in enumerate(NAMES):
        for set_name, answers in ANSWERS.items():
            if set_name == "03_partnership" and learner == "gus":
                continue  # skipped the lesson
            nb = copy.deepcopy(blank[set_name])
            if n % 5 != 4:  # one in five hands in an untouched notebook
                for k, (var, value) in enumerate(answers.items()):
                    if (n + k) % 3 == 0 and set_name in MISTAKES and var in MISTAKES[set_name]:
                        options = MISTAKES[set_name][var]
                        value = options[n % len(options)]
                    if k <= n % 7:
                        _answer(nb, var, value)
            save(learner, f"{set_name}.ipynb", nb)
    # Two learners send a set twice: the better file must not be lost.
    for learner in ("hana", "omar"):
        nb = copy.deepcopy(blank["03_partnership"])
        for var, value in ANSWERS["03_partnership"].items():
            _answer(nb, var, value)
        save(learner, "03_partnership (1).ipynb", nb)
    save("pia", "03_partnership copy.ipynb",
         nbformat.read(ROOT / "solutions" / "03_partnership.ipynb", as_version=4))       # copied solutions
    save("quinn", "homework.ipynb", nbformat.read(ROOT / "lessons" / "03_partnership.ipynb", as_version=4))
    text = nbformat.writes(blank["02_sanctions"]).encode()
    save("rosa", "02_sanctions (2).ipynb", raw=text[: len(text) // 3])              # cut off
    save("sam", "03 final.ipynb", raw=b"")                                           # empty
    save("tariq", "03_partnership.pdf.ipynb", raw=b"%PDF-1.7\n%binary...")            # a PDF
    (subs / "__MACOSX" / "uma").mkdir(parents=True)
    (subs / "__MACOSX" / "uma" / "._03_partnership.ipynb").write_bytes(b"\x00\x05\x16\x07")
    (subs / "vic" / ".ipynb_checkpoints").mkdir(parents=True)
    shutil.copy(subs / "vic" / "03_partnership.ipynb",
                subs / "vic" / ".ipynb_checkpoints" / "03_partnership-checkpoint.ipynb")
    return counts


def build_exports(base: Path) -> None:
    from coursekit.quizzes.bank import load_bank

    out = base / "exports"
    out.mkdir()
    q2 = load_bank("03").question("q2")
    tags = [c.misconception for c in q2.choices if not c.correct]
    serial = 0

    def ev(learner, item, correct, mis=None, minute=0, kind="attempt", answer="x"):
        nonlocal serial
        serial += 1
        return {"id": f"{serial:032x}", "kind": kind, "lesson": item[:2], "item": item,
                "correct": correct, "misconception": mis, "answer": answer, "learner": learner,
                "ts": f"2026-11-20T{10 + minute // 60:02d}:{minute % 60:02d}:00+00:00"}

    for n, name in enumerate(NAMES):
        anon = f"learner-{n:08x}"
        events = [ev(anon, "03.pre1", None, answer=["about 3%", "about 10%", "about 36%"][n % 3], minute=1)]
        if n % 4 != 3:  # a quarter never opened lesson 03's quiz
            wrong = n % 3 == 0
            events.append(ev(anon, "03.q2", not wrong, tags[n % len(tags)] if wrong else None, minute=2))
        events.append(ev(name, "01.q1", n % 2 == 0, minute=3))  # chose a name in lesson 00 here
        if n % 6 == 0:
            events.append(ev(name, "07.brief", None, kind="reflection", minute=4,
                             answer="The article is right that the two governments talk more about AI, "
                                    "but it overstates what has been built. " * 3))
        if n % 5 == 0:
            events.append(ev(name, "06.risk-matrix", None, kind="rating", minute=5,
                             answer={"payments": {"likelihood": 3 + n % 3, "impact": 3},
                                     "chips": {"likelihood": 4, "impact": 2 + n % 4}}))
        (out / f"{name}.json").write_text(render_export(events), encoding="utf-8")
        if n == 7:  # exported twice, the second time with everything
            (out / f"{name} (1).json").write_text(render_export(events), encoding="utf-8")
    text = (out / "zoe.json").read_text(encoding="utf-8")
    (out / "zoe-again.json").write_text(text[: len(text) // 2], encoding="utf-8")


def run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coursekit", *cmd], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - t0, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the class here and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="ck-class-"))
    if args.keep:
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
    counts = build_class(base)
    build_exports(base)
    rows = []
    t, out = run(["grade", str(base / "submitted"), "--out", str(base / "grades.csv")])
    with (base / "grades.csv").open(encoding="utf-8") as fh:
        graded = list(csv.DictReader(fh))
    blank_total = sum(1 for r in graded if r["total"] == "")
    rows.append(["grade", f"{t:.1f}", f"{len(graded)} rows from {counts['files']} files "
                 f"(30 learners); {blank_total} not graded, each with a reason; "
                 f"{sum(1 for r in graded if r['flags'])} flagged; "
                 f"{sum(1 for r in graded if r['submissions'] != '1')} rows in duplicate pairs"])
    assert len({r["learner"] for r in graded}) == 30 and not any("/" in r["learner"] for r in graded)
    assert all(r["notes"] for r in graded if r["total"] == "")
    t, out = run(["report", str(base / "exports"), "--out", str(base / "report.csv")])
    first = out.splitlines()[0]
    rows.append(["report", f"{t:.1f}", first + " " + next(
        (line.strip() for line in out.splitlines() if line.startswith("  ") and "of" in line and "%" in line), "")])
    t, _ = run(["pack", "--out", str(base / "pack"), "--no-pdf"])
    rows.append(["pack (HTML)", f"{t:.1f}", f"{len(list((base / 'pack').glob('*.html')))} HTML files"])
    t, _ = run(["slides", "--out", str(base / "slides")])
    rows.append(["slides", f"{t:.1f}", f"{len(list((base / 'slides').glob('*.html')))} decks"])
    print(table(["command", "seconds", "result"], rows))
    print(f"\nEverything is in {base}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
