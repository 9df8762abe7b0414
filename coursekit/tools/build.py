"""Build the notebooks learners open from the MyST Markdown sources in content/.

    content/lessons/NN_slug.md    -> lessons/NN_slug.ipynb     executed, outputs stored
    content/solutions/NN_slug.md  -> solutions/NN_slug.ipynb   executed, outputs stored
                                  -> exercises/NN_slug.ipynb   solutions replaced, no outputs

for every lesson of course.toml (an exercise set where it has `exercises = true`).

The solution markers of content/solutions (what the learner's notebook keeps and what it
replaces), and the marker mistakes the build refuses, are described in coursekit.tools.markers.

Stored outputs are normalised so that building twice changes no byte: widget views and widget
state removed (the static HTML beside each widget stays), no timing metadata, fixed kernel and
language metadata, cell ids derived from position. `--check` exits non-zero where any generated
file would change.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from coursekit.model import course, facts
from coursekit.model.paths import CONTENT, EXERCISES, LESSONS, SOLUTIONS
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.tools.mdscan import bold_glossary_links, protect_dollars
from coursekit.tools.markers import (FENCE_OPEN, make_exercise, marker_problems,
                                     solution_block_problems, strip_solution_code)

__all__ = ["build", "build_one", "discover", "make_exercise", "marker_problems", "normalise",
           "prepare", "read_source", "solution_block_problems", "strip_solution_code"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
SETUP_TAG = "coursekit-setup"
SETUP_SOURCE = '''\
# Set-up: run this cell first. Why it is here: the course's toolkit, coursekit, is not installed
# as a package on Binder, on a JupyterHub (nbgitpuller copies files only) or in a grader's copy,
# so this cell finds the course folder above this notebook and puts it on Python's path.
import sys
from pathlib import Path

_course = next((p for p in (Path.cwd(), *Path.cwd().parents) if (p / "coursekit").is_dir()), None)
if _course is None:
    print("This notebook must stay inside the course folder, next to 'coursekit'. Move it back and re-run.")
elif str(_course) not in sys.path:
    sys.path.insert(0, str(_course))
import coursekit'''

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11",
}


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str  # "lesson" | "solution"

    @property
    def slug(self) -> str:
        return self.path.stem

    def targets(self) -> list[tuple[str, Path]]:
        if self.kind == "lesson":
            return [("lesson", LESSONS / f"{self.slug}.ipynb")]
        return [("solution", SOLUTIONS / f"{self.slug}.ipynb"),
                ("exercise", EXERCISES / f"{self.slug}.ipynb")]


def discover(content: Path = CONTENT) -> list[Source]:
    """The sources of the lessons in course.toml: each lesson, then each exercise set."""
    lessons = course.lessons()
    found = [Source(content / "lessons" / f"{e.slug}.md", "lesson") for e in lessons]
    found += [Source(content / "solutions" / f"{e.slug}.md", "solution")
              for e in lessons if e.exercises]
    return [s for s in found if s.path.exists()]  # a missing one: `coursekit check` says so


# ----------------------------------------------------------------------------- reading sources

def code_cell_lines(text: str) -> list[int]:
    """1-based line of each ```{code-cell} fence, in order (to map a cell back to its source)."""
    return [i for i, line in enumerate(text.splitlines(), start=1) if FENCE_OPEN.match(line)]

def read_source(src: Source):
    """The source as an (unexecuted) notebook; raises ContentError on malformed markers or on a
    solution block that swallows a heading or a prompt."""
    import jupytext

    text = src.path.read_text(encoding="utf-8")
    problems = marker_problems(text, relpath(src.path), allow=src.kind == "solution")
    if src.kind == "solution":
        problems += solution_block_problems(text, relpath(src.path))
    problems += facts.reference_problems(text, relpath(src.path))
    if problems:
        raise ContentError(problems)
    nb = jupytext.reads(text, fmt="md:myst")
    for cell in nb.cells:  # named facts fill prose only; code reads the data itself
        if cell.cell_type == "markdown":
            cell.source = facts.fill(cell.source, file=relpath(src.path), markdown=True)
    return nb


# ----------------------------------------------------------------------------- transforming

def prepare(nb, slug: str, kind: str):
    """Insert the set-up cell, set fixed metadata, and record which set this notebook is."""
    import nbformat

    setup = nbformat.v4.new_code_cell(SETUP_SOURCE, metadata={"tags": [SETUP_TAG]})
    nb.cells.insert(0, setup)
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
        "coursekit": {"set": slug, "kind": kind, "lesson": slug[:2],
                      "source": f"content/{'lessons' if kind == 'lesson' else 'solutions'}/{slug}.md"},
    }
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = bold_glossary_links(protect_dollars(cell.source))
    return nb


def normalise(nb, name: str) -> list[Problem]:
    """Make stored outputs deterministic; returns problems (a widget with no static HTML)."""
    from coursekit.tools import depth  # optional depth: "Going further" sections, reference outputs

    problems: list[Problem] = []
    depth.split(nb)  # a "Going further" heading opens its own cell (before ids are given)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata.pop("execution", None)
        for key in ("collapsed", "scrolled", "jupyter"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data or WIDGET_VIEW not in data:
                continue
            del data[WIDGET_VIEW]
            output.get("metadata", {}).pop(WIDGET_VIEW, None)
            if "text/html" not in data:
                problems.append(Problem(name, index, f"cell {index} shows a widget with no static "
                                                     "text/html fallback"))
    depth.mark(nb)  # collapsed in JupyterLab: "Going further" headings, reference outputs
    return problems


def execute(nb, cwd: Path, timeout: int = 180):
    """Run `nb` in a fresh kernel, in-process (the nbconvert CLI costs ~3.7 s more per notebook)."""
    import tempfile

    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    # IPC transport: no TCP ports to find, and no "running over TCP without encryption" warning.
    km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                       ip=str(Path(tempfile.mkdtemp(prefix="ck-kernel-")) / "k"))
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3", record_timing=False,
                            store_widget_state=False, coalesce_streams=True,
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def render(nb) -> str:
    import nbformat

    return nbformat.writes(nb, version=4) + "\n"


# ----------------------------------------------------------------------------- the command

def _execution_problem(nb, src: Source, exc: Exception) -> Problem:
    lines = code_cell_lines(src.path.read_text(encoding="utf-8"))
    code_index = -1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_index += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            break
    line = lines[code_index - 1] if 0 < code_index <= len(lines) else 1
    last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return Problem(relpath(src.path), line, f"a cell raised an error while building: {last}")


def build_one(src: Source) -> tuple[dict[Path, str], list[Problem]]:
    """Rendered text of every notebook generated from `src`, and any problems."""
    out: dict[Path, str] = {}
    try:
        base = read_source(src)
    except ContentError as exc:
        return out, exc.problems
    name = relpath(src.path)
    kind = "lesson" if src.kind == "lesson" else "solution"
    nb = prepare(base, src.slug, kind)
    exercise = make_exercise(nb) if src.kind == "solution" else None
    folder = LESSONS if src.kind == "lesson" else SOLUTIONS
    from coursekit.tools import kernelenv

    kernelenv.fresh_store()
    folder.mkdir(parents=True, exist_ok=True)  # the kernel runs in it (a fresh copy may lack it)
    try:
        execute(nb, folder)
    except Exception as exc:  # noqa: BLE001 - reported with the source line
        return out, [_execution_problem(nb, src, exc)]
    problems = normalise(nb, name)
    if src.kind == "lesson":  # reveal.js slide types for `python -m coursekit slides`
        from coursekit.teacher.slides import slide_metadata
        slide_metadata(nb)
    out[folder / f"{src.slug}.ipynb"] = render(nb)
    if exercise is not None:
        problems += normalise(exercise, name)
        out[EXERCISES / f"{src.slug}.ipynb"] = render(exercise)
    return out, problems


def _stale(expected: set[Path]) -> list[Path]:
    stale = []
    for folder in (LESSONS, SOLUTIONS, EXERCISES):
        for path in sorted(folder.glob("*.ipynb")):
            if path not in expected:
                stale.append(path)
    return stale


_LOCK: list = []


def _hold_build_lock(base: Path) -> None:
    """One build at a time per machine: builds share the fixed sandbox path (so stored outputs
    name the same path), and a second build would wipe the first one's progress store."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds there are one person's, one at a time
        return
    base.mkdir(parents=True, exist_ok=True)
    handle = open(base.parent / f"{base.name}.lock", "w")
    fcntl.flock(handle, fcntl.LOCK_EX)
    _LOCK.append(handle)  # held until the process ends


def build(*, check: bool = False, only: str | None = None, stream=sys.stderr) -> int:
    """Build every notebook (or those whose slug contains `only`). Returns an exit code."""
    from coursekit.tools import kernelenv

    _hold_build_lock(kernelenv.BUILD_BASE)
    kernelenv.activate(kernelenv.BUILD_BASE)  # a fixed path, so stored outputs never vary
    sources = [s for s in discover() if not only or only in s.slug]
    if not sources:
        print("No lesson of course.toml matches: nothing to build.", file=stream)
        return 1
    problems: list[Problem] = []
    changed: list[Path] = []
    expected: set[Path] = set()
    started = time.perf_counter()
    for n, src in enumerate(sources, start=1):
        t0 = time.perf_counter()
        print(f"[{n}/{len(sources)}] {relpath(src.path)} ...", end="", file=stream, flush=True)
        rendered, found = build_one(src)
        problems += found
        for target, text in rendered.items():
            expected.add(target)
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                changed.append(target)
                if not check:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
        status = "FAILED" if found else ", ".join(relpath(t) for t in rendered)
        print(f" {time.perf_counter() - t0:.1f} s  {status}", file=stream, flush=True)
    if not only:
        for path in _stale({t for s in sources for _, t in s.targets()}):
            changed.append(path)
            if not check:
                path.unlink()
    for problem in problems:
        print(problem, file=stream)
    elapsed = time.perf_counter() - started
    if check:
        for path in changed:
            print(f"would change: {relpath(path)}", file=stream)
        print(f"build --check: {len(changed)} file(s) would change, {len(problems)} problem(s), "
              f"{elapsed:.1f} s", file=stream)
        return 1 if changed or problems else 0
    print(f"build: {len(changed)} file(s) written, {len(problems)} problem(s), {elapsed:.1f} s",
          file=stream)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m coursekit build",
                                     description="Build lessons/, solutions/ and exercises/ from content/.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if any generated file would change")
    parser.add_argument("--only", help="build only sources whose slug contains this text")
    args = parser.parse_args(argv)
    return build(check=args.check, only=args.only)
