"""`make test-latest` and its weekly workflow (issue 24): wired up, read-only, and able to tell the
course's own deprecation warnings from third-party ones. The run itself downloads packages, so it
is not part of `make test`; its last result is in docs/DEPENDENCIES.md."""
from __future__ import annotations

import importlib.util
import re

import yaml

from coursekit.model.paths import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "latest-dependencies.yml"


def _script():
    spec = importlib.util.spec_from_file_location("test_latest", ROOT / ".ci" / "test_latest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_direct_dependency_is_upgraded_unpinned():
    script = _script()
    pins = script.pins()
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            m = re.match(r"^([A-Za-z0-9_.-]+)==", line.strip())
            if m:
                assert script.norm(m.group(1)) in pins, m.group(1)
    assert "jupyterlab" in pins and "nbval" in pins and "playwright" in pins


def test_warnings_are_sorted_into_ours_and_theirs():
    script = _script()
    assert script.ours(str(ROOT / "coursekit" / "display" / "charts.py"))
    assert script.ours(str(ROOT / "tests" / "browser" / "a11y.py"))
    assert script.ours("/tmp/ipykernel_123/456.py")  # a notebook cell
    assert not script.ours(str(ROOT / ".venv-latest" / "lib" / "python3.11" / "site-packages" / "x.py"))
    assert not script.ours("/usr/lib/python3/dist-packages/jupyter_client/session.py")


def test_the_make_target_and_the_weekly_workflow_exist_and_open_no_pull_requests():
    assert re.search(r"^test-latest:\n\t\$\(PYTHON\) \.ci/test_latest\.py", (ROOT / "Makefile").read_text(),
                     re.M)
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["schedule"][0]["cron"].split()[-1] in ("1", "MON", "mon")  # weekly
    assert flow["permissions"] == {"contents": "read"}
    text = WORKFLOW.read_text(encoding="utf-8")
    for forbidden in ("pull-requests: write", "contents: write", "create-pull-request", "git push"):
        assert forbidden not in text
    steps = flow["jobs"]["test-latest"]["steps"]
    assert any("make test-latest" in step.get("run", "") for step in steps)
