"""`make lab` as a newcomer meets it: it starts (as root too), opens lesson 00, and no pop-up covers it.

Containers, cloud VMs and CI images often run as root, where `jupyter lab` refuses to start without
`--allow-root`; this test runs `make lab` itself, so under CI (root) it proves the flag is added.
The "official Jupyter news" pop-up is switched off by config/jupyterlab-overrides.json, the one
settings file that Binder's postBuild and `make lab` both apply. A control run without those
settings shows the pop-up, so the test would notice if the pop-up's wording or the setting changed.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from coursekit.model.paths import ROOT

from . import labkit

NEWS = "official Jupyter news"
LESSON_00 = "00_start_here.ipynb"


def _isolated_env(tmp: Path) -> dict[str, str]:
    """No user settings, workspaces or config of the machine's own user leak into the run."""
    env = dict(os.environ)
    for name in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_RUNTIME_DIR",
                 "JUPYTER_CONFIG_DIR"):
        folder = tmp / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def _server_args(port: int, token: str) -> list[str]:
    return ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/api/status", timeout=5)  # loopback only
            return
        except urllib.error.HTTPError:
            return  # 403 without a token: the server answers
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    pytest.fail(f"the server did not answer within 120 s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _news_shown(page, wait_s: float) -> bool:
    try:
        page.get_by_text(NEWS).first.wait_for(state="visible", timeout=wait_s * 1000)
        return True
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the text never appeared
        return False


def test_make_lab_serves_lesson_00_without_a_pop_up(lab, browser, tmp_path):
    # lab: the shared fixture, used here only for its availability check (browser present).
    del lab
    token = secrets.token_hex(16)

    # Control: plain JupyterLab with no course settings shows the news pop-up.
    port = labkit.free_port()
    control_env = _isolated_env(tmp_path / "control")
    empty = tmp_path / "no-app-settings"
    empty.mkdir()
    control = _start([sys.executable, "-m", "jupyterlab", "--allow-root",
                      f"--LabApp.app_settings_dir={empty}", *_server_args(port, token)],
                     control_env, tmp_path / "control.log")
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, control, tmp_path / "control.log")
        page = browser.new_page()
        page.goto(f"{url}/lab?token={token}")
        page.wait_for_selector(".jp-LabShell", timeout=60_000)
        assert _news_shown(page, 30), "control: without the course's settings the pop-up should show"
        page.close()
    finally:
        _stop(control)

    # `make lab`, exactly as the README says, plus options that keep it off the display.
    port = labkit.free_port()
    env = _isolated_env(tmp_path / "make")
    args = " ".join(_server_args(port, token))
    log = tmp_path / "make-lab.log"
    process = _start(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], env, log)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, log)
        page = browser.new_page()
        page.goto(f"{url}/?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").first.inner_text()
        assert LESSON_00 in tab, f"make lab opened {tab!r}, not lesson 00"
        assert not _news_shown(page, 15), "make lab: the news pop-up covers lesson 00"
        labkit.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(labkit.ARTIFACTS / "make-lab-lesson-00.png"))
        page.close()
        if os.geteuid() == 0:
            assert "--allow-root" in log.read_text(encoding="utf-8", errors="replace")
    finally:
        _stop(process)
