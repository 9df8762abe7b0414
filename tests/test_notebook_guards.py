"""Canaries that prove the notebook tests can fail: a changed output and a network call."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from coursekit.tools.kernelenv import NO_NETWORK_MESSAGE
from coursekit.model.paths import LESSONS, ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
pytestmark = pytest.mark.slow


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    """Run strict nbval on one notebook, in a fresh pytest process with the project's conftest."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"), "-q", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def scratch():
    """A folder inside the course (so the set-up cell finds coursekit), removed afterwards."""
    base = ROOT / "test-artifacts"
    base.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="canary-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _first_text_output(nb: dict) -> tuple[int, int]:
    for i, cell in enumerate(nb["cells"]):
        for j, out in enumerate(cell.get("outputs", [])):
            if "text/plain" in out.get("data", {}) or out.get("output_type") == "stream":
                return i, j
    raise AssertionError("lesson 00 has no text output to alter")


def test_nbval_fails_when_a_stored_output_changes(scratch):
    original = LESSONS / "00_start_here.ipynb"
    good = scratch / "unchanged.ipynb"
    shutil.copy(original, good)
    assert run_nbval(good).returncode == 0, "the unchanged copy must pass, or the canary proves nothing"

    nb = json.loads(original.read_text())
    i, j = _first_text_output(nb)
    out = nb["cells"][i]["outputs"][j]
    if out.get("output_type") == "stream":
        out["text"] = ["a different output\n"]
    else:
        out["data"]["text/plain"] = ["a different output"]
    bad = scratch / "changed.ipynb"
    bad.write_text(json.dumps(nb))
    result = run_nbval(bad)
    assert result.returncode == 1, result.stdout[-2000:]


def test_network_is_blocked_inside_the_kernel():
    result = run_nbval(FIXTURES / "no_network_canary.ipynb")
    assert result.returncode == 1
    assert NO_NETWORK_MESSAGE in result.stdout, result.stdout[-3000:]
