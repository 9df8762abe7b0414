"""Running a returned notebook safely, and reading what it holds, for the grader.

- `read_notebook(path)` opens a submission or says in plain words why it cannot be graded (an
  empty, cut-off or damaged file, a PDF, a web page, a zip archive, JSON that is not a notebook);
- `run_notebook(nb, cwd, variables, timeout)` executes it cell by cell in a fresh kernel, with a
  watchdog per cell, and reads the answer variables out of the kernel as JSON. Errors and
  time-outs become notes, never exceptions: one learner's notebook never stops a class's grading.
"""
from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

MARKER = "@@COURSEKIT-ANSWERS@@"
MISSING = "__coursekit_missing__"
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
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    notes: list[str] = []
    nb.cells.append(nbformat.v4.new_code_cell(
        _EXTRACT.format(names=variables, missing=MISSING, marker=MARKER)))
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


def read_notebook(path: Path) -> tuple[Any, str]:
    """(notebook, "") or (None, the reason in plain words, with what to do)."""
    import nbformat

    again = "ask the learner to download the notebook again (File > Download) and resend it"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"the file cannot be read ({exc.strerror or exc}); {again}"
    if not raw.strip():
        return None, f"the file is empty; {again}"
    head = raw.lstrip()[:16]
    if head.startswith(b"%PDF"):
        return None, "this is a PDF, not a notebook; ask the learner for the .ipynb file itself"
    if head[:1] == b"<":
        return None, ("this is a web page (HTML), not a notebook; ask the learner to download "
                      "the .ipynb file itself (File > Download), not to save the page")
    if head.startswith(b"PK"):
        return None, "this is a zip archive, not a notebook; unzip it and grade the .ipynb inside"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"the file is not text (damaged or not a notebook); {again}"
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            return None, f"the file is cut off (it ends part-way through the notebook); {again}"
        return None, f"the file is damaged (not valid notebook JSON near character {exc.pos}); {again}"
    try:
        return nbformat.reads(text, as_version=4), ""
    except Exception as exc:  # noqa: BLE001 - valid JSON that is not a notebook
        return None, (f"this is not a Jupyter notebook ({type(exc).__name__}); ask the learner "
                      "for the exercise notebook (exercises/NN_slug.ipynb)")
