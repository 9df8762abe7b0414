"""Grade returned exercise notebooks: `python -m coursekit grade SUBMISSIONS... --out grades.csv`.

For each notebook (files, or folders searched for *.ipynb):
1. Identify the exercise set from the notebook's metadata (`coursekit.set`), not its file name, so
   a renamed file is graded correctly.
2. Run it on a temporary copy, in a fresh kernel with no network and a time limit per cell. The
   submission itself is never opened for writing.
3. Read each exercise's answer variable out of the kernel as JSON, and judge it here, in the
   grader's own process, with the course's own checks. Stored outputs and the notebook's check
   cells are never trusted: a check cell replaced by `print("correct")` scores nothing, and a
   learner who patches coursekit inside their kernel changes nothing either.
A notebook that is not valid JSON, an unknown set, a missing exercise, an infinite loop or an error
becomes a row (or a note) with its reason, and every other submission is still graded.

The learner is named by the folder holding the notebook when a folder was given (nbgrader-style
`submitted/<learner>/...`), otherwise by the file's name without its extension.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import sys
import threading
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import checks
from .paths import ROOT
from .problems import relpath

MARKER = "@@COURSEKIT-ANSWERS@@"
_MISSING = "__coursekit_missing__"
_EXTRACT = '''\
def __ck_extract():
    import json as _json
    names = {names!r}
    out = {{}}
    g = globals()
    for name in names:
        if name not in g:
            out[name] = "{missing}"
            continue
        value = g[name]
        if value is Ellipsis or value is None:
            out[name] = None
            continue
        try:
            if hasattr(value, "item") and callable(value.item):
                value = value.item()
            if isinstance(value, (set, frozenset, tuple)):
                value = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
            _json.dumps(value)
            out[name] = value
        except Exception:
            out[name] = {{"__unserialisable__": repr(value)[:200]}}
    print("{marker}" + _json.dumps(out))
__ck_extract()
'''


@dataclass
class Graded:
    """One submission's outcome."""

    path: Path
    learner: str
    set: str = ""
    scores: dict[str, int | str] = field(default_factory=dict)  # text: "submitted (N words)"
    notes: list[str] = field(default_factory=list)
    error: str = ""  # set when the notebook could not be graded at all


def find_submissions(args: Iterable[str]) -> list[tuple[Path, str]]:
    """(notebook, learner) pairs from files and folders, in a stable order."""
    found: list[tuple[Path, str]] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for nb in sorted(path.rglob("*.ipynb")):
                if ".ipynb_checkpoints" in nb.parts:
                    continue
                rel = nb.relative_to(path)
                learner = rel.parts[0] if len(rel.parts) > 1 else nb.stem
                found.append((nb, learner))
        else:
            found.append((path, path.stem))
    # Two different files under one name (e.g. two "homework.ipynb" given directly) stay apart.
    names = [learner for _, learner in found]
    return [(p, f"{p.parent.name}/{learner}" if names.count(learner) > 1 else learner)
            for p, learner in found]


def _course_copy(base: Path) -> Path:
    """A throwaway copy of the parts of the course a notebook imports."""
    course = base / "course"
    for name in ("coursekit", "assets"):
        shutil.copytree(ROOT / name, course / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "course.toml", course / "course.toml")  # the list of lessons
    (course / "exercises").mkdir()
    return course


def _answers_from_outputs(nb) -> dict[str, Any] | None:
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if output.get("output_type") == "stream" and MARKER in text:
            return json.loads(text.split(MARKER, 1)[1].strip().splitlines()[0])
    return None


_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL


def _signal(pid: int, sig: int, fired: list[str], what: str) -> None:
    fired.append(what)
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def run_notebook(nb, cwd: Path, variables: list[str], timeout: int) -> tuple[dict[str, Any] | None, list[str]]:
    """Execute `nb` cell by cell (errors and time-outs noted, not fatal), then read `variables`."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    from jupyter_client.manager import AsyncKernelManager

    notes: list[str] = []
    nb.cells.append(nbformat.v4.new_code_cell(
        _EXTRACT.format(names=variables, missing=_MISSING, marker=MARKER)))
    km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                       ip=str(Path(tempfile.mkdtemp(prefix="ck-grade-")) / "k"))
    # nbclient's own time-out waits forever for a kernel that ignores it, so a watchdog thread
    # sends SIGINT (KeyboardInterrupt in the learner's code) after `timeout` seconds, and
    # SIGKILL after twice that if the code swallowed the interrupt.
    client = NotebookClient(nb, km=km, timeout=None, kernel_name="python3", allow_errors=True,
                            record_timing=False, resources={"metadata": {"path": str(cwd)}})
    with client.setup_kernel():
        pid = km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            fired: list[str] = []
            timers = [threading.Timer(timeout, _signal, (pid, signal.SIGINT, fired, "interrupt")),
                      threading.Timer(2 * timeout, _signal, (pid, _KILL, fired, "kill"))]
            for timer in timers:
                timer.start()
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                if "kill" not in fired:
                    notes.append(f"the kernel died in cell {index}")
                    return None, notes
            finally:
                for timer in timers:
                    timer.cancel()
            if "kill" in fired:
                notes.append(f"cell {index} ran longer than {timeout} s and ignored the interrupt; "
                             "the kernel was stopped")
                return None, notes
            if fired:
                notes.append(f"cell {index} ran longer than {timeout} s and was stopped")
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors and index < len(nb.cells) - 1 and not fired:
                notes.append(f"cell {index} raised {errors[0].get('ename', 'an error')}")
    return _answers_from_outputs(nb), notes


def grade_one(path: Path, learner: str, course: Path, timeout: int) -> Graded:
    """Grade one submission; never raises (a problem becomes `error` or a note)."""
    import nbformat

    result = Graded(path=path, learner=learner)
    if not path.is_file():
        result.error = "no such file"
        return result
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a reason, not a crash
        result.error = f"not a valid notebook ({type(exc).__name__}: {str(exc)[:120]})"
        return result
    meta = nb.metadata.get("coursekit", {}) if isinstance(nb.metadata, dict) else {}
    set_name = meta.get("set", "") if isinstance(meta, dict) else ""
    specs, _ = checks.load_specs(checks.spec_folder())
    exercises = sorted((ex for ex in specs.values() if ex.set == set_name), key=lambda e: e.id)
    result.set = str(set_name)
    if not set_name:
        result.error = "no exercise set in the notebook's metadata (was it made by this course?)"
        return result
    if not exercises:
        result.error = f"unknown exercise set {set_name!r}"
        return result
    folder = Path(tempfile.mkdtemp(prefix="sub-", dir=course / "exercises"))
    try:
        answers, notes = run_notebook(nb, folder, [ex.variable for ex in exercises], timeout)
    except Exception as exc:  # noqa: BLE001 - e.g. the kernel would not start
        result.error = f"could not run the notebook ({type(exc).__name__}: {str(exc)[:120]})"
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.notes += notes
    if answers is None:
        result.error = "; ".join(notes) or "the notebook stopped before its answers could be read"
        return result
    for ex in exercises:
        value = answers.get(ex.variable, _MISSING)
        if value == _MISSING:
            result.scores[ex.id] = "not submitted" if ex.kind == "text" else 0
            result.notes.append(f"{ex.id}: missing (no variable {ex.variable!r})")
            continue
        if isinstance(value, dict) and "__unserialisable__" in value:
            value = value["__unserialisable__"]
        verdict = checks.evaluate(ex, None if value is None else value)
        if ex.kind == "text":  # free text is never judged: the teacher reads it
            result.scores[ex.id] = (f"submitted ({verdict.words} words)"
                                    if verdict.status == "submitted" else "not submitted")
        else:
            result.scores[ex.id] = ex.points if verdict.correct else 0
    return result


def write_csv(results: list[Graded], out: Path) -> list[str]:
    """One row per learner, one column per exercise, totals and notes; returns the columns."""
    specs, _ = checks.load_specs(checks.spec_folder())
    ids = sorted({i for r in results for i in r.scores}
                 | {ex.id for ex in specs.values() if ex.set in {r.set for r in results}})
    learners: dict[str, dict[str, Any]] = {}
    for r in results:
        row = learners.setdefault(r.learner, {"learner": r.learner, "sets": [], "notes": []})
        if r.set:
            row["sets"].append(r.set)
        row.update(r.scores)
        if r.error:
            row["notes"].append(f"{r.path.name}: {r.error}")
        row["notes"] += [f"{r.path.name}: {n}" for n in r.notes]
    columns = ["learner", "sets", *ids, "total", "max", "notes"]
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for name in sorted(learners):
            row = learners[name]
            sets = set(row["sets"])
            maximum = sum(ex.points for ex in specs.values()
                          if ex.set in sets and ex.kind != "text")
            total = sum(row.get(i, 0) for i in ids if isinstance(row.get(i), int))
            writer.writerow({**{i: row.get(i, "") for i in ids}, "learner": name,
                             "sets": ";".join(sorted(sets)), "total": total, "max": maximum,
                             "notes": " | ".join(row["notes"])})
    return columns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursekit grade",
                                     description="Grade returned exercise notebooks into a CSV.")
    parser.add_argument("submissions", nargs="+", help="notebooks, or folders to search for them")
    parser.add_argument("--out", default="grades.csv", help="the CSV to write (default grades.csv)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds allowed per cell (default 30)")
    args = parser.parse_args(argv)
    from . import kernelenv

    kernelenv.activate()
    found = find_submissions(args.submissions)
    if not found:
        print("No notebooks found in: " + ", ".join(args.submissions), file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="coursekit-grade-") as tmp:
        course = _course_copy(Path(tmp))
        for n, (path, learner) in enumerate(found, start=1):
            t0 = time.perf_counter()
            bar = "#" * int(20 * n / len(found))
            print(f"[{bar:<20}] {n}/{len(found)} {relpath(path)} ...", end="", file=sys.stderr,
                  flush=True)
            graded = grade_one(path, learner, course, args.timeout)
            results.append(graded)
            points = sum(v for v in graded.scores.values() if isinstance(v, int))
            status = graded.error or f"{points} point(s)"
            print(f" {time.perf_counter() - t0:.1f} s  {status}", file=sys.stderr, flush=True)
    out = Path(args.out)
    write_csv(results, out)
    failed = sum(1 for r in results if r.error)
    print(f"Graded {len(results) - failed} of {len(results)} notebook(s); "
          f"{failed} could not be graded (see the notes column). Wrote {out}.", file=sys.stderr)
    return 0
