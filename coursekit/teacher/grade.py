"""Grade returned exercise notebooks: `python -m coursekit grade SUBMISSIONS... --out grades.csv`.

For each notebook (files, or folders searched for *.ipynb):
1. Read it and say plainly when it cannot be graded: an empty, cut-off or damaged file, a file that
   is not a notebook, a lesson notebook sent instead of the exercise set, an unknown set. Such a
   row keeps its total blank (an LMS then records "no grade", not 0) and gives the reason.
2. Identify the exercise set from the notebook's metadata (`coursekit.set`), not its file name.
   A notebook whose metadata says it is the course's worked solution, or that carries the
   solution's model-answer cells, is flagged as a copied solutions notebook.
3. Run it on a temporary copy, in a fresh kernel with no network and a time limit per cell. The
   submission itself is never opened for writing.
4. Read each exercise's answer variable out of the kernel as JSON and judge it here, in the
   grader's own process, with the course's own checks (a notebook's check cells and outputs are
   never trusted). Each exercise gets a status: `correct`, `not yet` (with the checker's hint and
   misconception id), `not attempted`, `submitted (N words)` for free text (never scored: the
   teacher reads it) or `error` (the answer could not be read).
Every submission is its own row, under the learner's name exactly as given. Two submissions of
one set by one learner are both kept and flagged; the gradebook layouts for Moodle and Canvas
(coursekit.teacher.gradebook) use the better one. The learner is the folder holding the notebook when a
folder was given (`submitted/<learner>/...`), otherwise the file's name without its extension.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from coursekit.model.paths import ROOT
from coursekit.model.problems import relpath
from coursekit.quizzes import checks
from coursekit.teacher.runner import MISSING, read_notebook, run_notebook

CORRECT, NOT_YET, NOT_ATTEMPTED, ERROR = "correct", "not yet", "not attempted", "error"


@dataclass
class Item:
    """One exercise of one submission."""

    status: str                # correct | not yet | not attempted | submitted (N words) | error
    points: int | None = None  # None for free text (read by the teacher) and for errors of reading
    hint: str = ""             # the checker's message for "not yet", or why "error"
    misconception: str = ""
    words: int | None = None


@dataclass
class Graded:
    """One submission's outcome."""

    path: Path
    learner: str
    file: str = ""                   # the path shown in the gradebook (relative to its folder)
    set: str = ""
    items: dict[str, Item] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str = ""                  # set when the notebook could not be graded at all
    flags: list[str] = field(default_factory=list)  # e.g. copied solutions notebook
    duplicates: int = 1              # submissions of this set by this learner
    used: bool = True                # the one the LMS layouts use

    @property
    def scores(self) -> dict[str, int]:
        return {i: it.points for i, it in self.items.items() if it.points is not None}

    @property
    def total(self) -> int | None:
        return None if self.error else sum(self.scores.values())

    @property
    def maximum(self) -> int | None:
        if self.error:
            return None
        specs = exercises_of(self.set)
        return sum(ex.points for ex in specs if ex.kind != "text")

    @property
    def percent(self) -> float | None:
        if self.total is None or not self.maximum:
            return None
        return round(100 * self.total / self.maximum, 1)


def exercises_of(set_name: str) -> list[checks.Exercise]:
    specs, _ = checks.load_specs(checks.spec_folder())
    return sorted((ex for ex in specs.values() if ex.set == set_name),
                  key=lambda e: [int(p) for p in e.id.split(".")])


def find_submissions(args: Iterable[str]) -> list[tuple[Path, str, str]]:
    """(notebook, learner, shown path) triples from files and folders, in a stable order.

    Learner names are kept exactly as given: two files of one learner stay two rows of that
    learner, flagged as duplicates once their sets are known."""
    found: list[tuple[Path, str, str]] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for nb in sorted(path.rglob("*.ipynb")):
                rel = nb.relative_to(path)
                if ".ipynb_checkpoints" in rel.parts or any(p.startswith(".") for p in rel.parts):
                    continue
                learner = rel.parts[0] if len(rel.parts) > 1 else nb.stem
                found.append((nb, learner, rel.as_posix()))
        else:
            found.append((path, path.stem, path.name))
    return found


def _course_copy(base: Path) -> Path:
    """A throwaway copy of the parts of the course a notebook imports."""
    course = base / "course"
    for name in ("coursekit", "assets"):
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "course.toml", course / "course.toml")  # the list of lessons
    (course / "exercises").mkdir()
    return course


def _judge(ex: checks.Exercise, value: Any) -> Item:
    if value == MISSING:
        return Item(ERROR, 0 if ex.kind != "text" else None,
                    f"no answer could be read: the variable {ex.variable!r} was never set (its "
                    "cell was deleted, renamed or raised an error)")
    if isinstance(value, dict) and "__unserialisable__" in value:
        value = value["__unserialisable__"]
    if ex.kind == "text":  # free text is never judged here: the teacher reads it
        if value is None or (isinstance(value, str) and not value.strip()):
            return Item(NOT_ATTEMPTED)
        if not isinstance(value, str):
            return Item(ERROR, None, f"the answer should be text in quotes; it is a {type(value).__name__}")
        words = len(value.split())
        wanted = ""
        top = getattr(ex, "max_words", None)
        if ex.min_words and words < ex.min_words or top and words > top:
            wanted = f"; the exercise asks for {ex.min_words} to {top} words" if top else \
                f"; the exercise asks for at least {ex.min_words} words"
        return Item(f"submitted ({words} word{'s' if words != 1 else ''})", None, wanted.lstrip("; "),
                    words=words)
    if value is None:
        return Item(NOT_ATTEMPTED, 0)
    try:
        verdict = checks.evaluate(ex, value)
    except Exception as exc:  # noqa: BLE001 - a strange value must not stop the class's grading
        return Item(ERROR, 0, f"the answer could not be compared ({type(exc).__name__})")
    if verdict.status == "unattempted":
        return Item(NOT_ATTEMPTED, 0)
    if verdict.correct:
        return Item(CORRECT, ex.points)
    hint = str(getattr(verdict, "message", verdict))
    return Item(NOT_YET, 0, hint.removeprefix("not yet: "), verdict.misconception or "")


def _copied_solution(nb, meta: dict) -> str:
    if meta.get("kind") == "solution":
        return "copied solutions notebook: its metadata says it is the course's worked solution"
    tagged = sum(1 for c in nb.cells if "solution" in (c.get("metadata", {}).get("tags") or []))
    if tagged:
        return (f"copied solutions notebook: it holds {tagged} of the published solution's "
                "model-answer cells")
    return ""


def grade_one(path: Path, learner: str, course: Path, timeout: int, shown: str = "") -> Graded:
    """Grade one submission; never raises (a problem becomes `error` or a note)."""
    result = Graded(path=path, learner=learner, file=shown or path.name)
    if not path.is_file():
        result.error = "no such file"
        return result
    nb, reason = read_notebook(path)
    if nb is None:
        result.error = reason
        return result
    meta = nb.metadata.get("coursekit", {}) if isinstance(nb.metadata, dict) else {}
    meta = meta if isinstance(meta, dict) else {}
    set_name = str(meta.get("set", "") or "")
    result.set = set_name
    if not set_name:
        result.error = ("this notebook was not made by the course (no exercise set in its "
                        "metadata); ask the learner for their exercise notebook, exercises/NN_slug.ipynb")
        return result
    if meta.get("kind") == "lesson":
        result.error = (f"this is the lesson notebook lessons/{set_name}.ipynb, not its exercise "
                        f"set; ask the learner for exercises/{set_name}.ipynb")
        return result
    exercises = exercises_of(set_name)
    if not exercises:
        result.error = f"unknown exercise set {set_name!r}"
        return result
    flag = _copied_solution(nb, meta)
    if flag:
        result.flags.append(flag)
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
        result.error = ("; ".join(notes) or "the notebook stopped before its answers could be read") + \
            "; run it yourself to see where it stops"
        return result
    for ex in exercises:
        result.items[ex.id] = _judge(ex, answers.get(ex.variable, MISSING))
    return result


def mark_duplicates(results: list[Graded]) -> None:
    """Flag every learner's repeated submissions of one set and choose the one to use: the highest
    total among those not flagged as copies, then the one graded first."""
    groups: dict[tuple[str, str], list[Graded]] = {}
    for r in results:
        groups.setdefault((r.learner, r.set or f"?{r.file}"), []).append(r)
    for (_learner, set_name), group in groups.items():
        if set_name.startswith("?"):  # no set known (an unreadable file): not in the LMS files
            for r in group:
                r.used = False
            continue
        for r in group:
            r.duplicates = len(group)
            r.used = False
        ranked = sorted(group, key=lambda r: (r.total is None, bool(r.flags), -(r.total or 0)))
        ranked[0].used = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit grade",
        description="Grade returned exercise notebooks into a gradebook CSV, with Moodle and "
                    "Canvas import files and a class tally of mistakes.")
    parser.add_argument("submissions", nargs="+", help="notebooks, or folders to search for them")
    parser.add_argument("--out", default="grades.csv",
                        help="the plain CSV to write (default grades.csv); the Moodle, Canvas and "
                             "mistakes files are written beside it")
    parser.add_argument("--roster", help="CSV that maps each learner to their LMS identity "
                                         "(columns: learner, and any of name, email, username, "
                                         "idnumber, canvas_id, sis_user_id, sis_login_id, section)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds allowed per cell (default 30)")
    args = parser.parse_args(argv)
    from coursekit.teacher import gradebook
    from coursekit.tools import kernelenv

    roster = None
    if args.roster:
        try:
            roster = gradebook.read_roster(Path(args.roster))
        except ValueError as exc:
            print(f"The roster {args.roster} cannot be used: {exc}", file=sys.stderr)
            return 2
    kernelenv.activate()
    found = find_submissions(args.submissions)
    if not found:
        print("No notebooks found in: " + ", ".join(args.submissions), file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory(prefix="coursekit-grade-") as tmp:
        course = _course_copy(Path(tmp))
        for n, (path, learner, shown) in enumerate(found, start=1):
            t0 = time.perf_counter()
            bar = "#" * int(20 * n / len(found))
            print(f"[{bar:<20}] {n}/{len(found)} {relpath(path)} ...", end="", file=sys.stderr,
                  flush=True)
            graded = grade_one(path, learner, course, args.timeout, shown)
            results.append(graded)
            status = "not graded" if graded.error else f"{graded.total} point(s)"
            print(f" {time.perf_counter() - t0:.1f} s  {status}", file=sys.stderr, flush=True)
    mark_duplicates(results)
    written = gradebook.write_all(results, Path(args.out), roster)
    print(gradebook.summary(results, written), file=sys.stderr)
    return 0
