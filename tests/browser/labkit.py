"""Drive real JupyterLab in Debian Chromium, without flakes.

One server and one browser serve the whole test run (about 13 s a notebook otherwise). The server
serves a *copy* of the course, so autosave never touches the stored notebooks. The flake-free
recipe from ENVIRONMENT-NOTES: the toolbar shows a kernel as idle before it is connected, and Run
All clicked then does nothing; so wait for the kernel to be idle *and* connected through the REST
API, wait for "Idle" in the page, and retry Run All if no cell starts.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from coursekit.model.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COPIED = ("coursekit", "lessons", "solutions", "exercises", "assets")
COPIED_FILES = ("course.toml",)  # the course's list of lessons, read by the progress store
ARTIFACTS = ROOT / "test-artifacts"

# User settings: no news pop-up, no update check, no autosave, widget state kept on save.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    process: subprocess.Popen

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:  # loopback only
            body = resp.read()
            return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """End every session and kernel, so each test starts from a clean server."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")
        for kernel in self.api("/api/kernels"):
            self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def copy_course(dest: Path) -> Path:
    for name in COPIED:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, dest / name)
    return dest


def start_lab(workdir: Path) -> Lab:
    root = copy_course(workdir / "course")
    settings = workdir / "user-settings"
    for rel, value in SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = dict(os.environ)
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "JUPYTER_CONFIG_DIR": str(workdir / "config"),
    })
    token = secrets.token_hex(16)
    port = free_port()
    log = open(workdir / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.port_retries=0"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, process)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {(workdir / 'server.log').read_text()[-2000:]}")
        try:
            lab.api("/api/status")
            return lab
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    lab.stop()
    raise RuntimeError("JupyterLab did not start within 90 s")


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


def _kernel_ready(lab: Lab) -> bool:
    try:
        kernels = lab.api("/api/kernels")
    except Exception:  # noqa: BLE001 - the API sometimes answers 500 while a kernel starts
        return False
    return any(k.get("execution_state") == "idle" and k.get("connections", 0) >= 1 for k in kernels)


def open_notebook(page, lab: Lab, relpath: str, timeout: float = 90) -> None:
    """Open a notebook and return once its kernel is idle and connected."""
    page.goto(f"{lab.url}/lab/tree/{relpath}?reset&token={lab.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while not _kernel_ready(lab):
        if time.monotonic() > deadline:
            raise TimeoutError(f"kernel for {relpath} never became idle and connected")
        time.sleep(0.25)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-StatusBar-TextItem, .jp-Toolbar-kernelStatus')]"
        ".some(e => /Idle/.test(e.textContent || e.getAttribute('title') || ''))",
        timeout=timeout * 1000)


_PROMPTS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
  .map(e => e.textContent.trim())"""


def expand_all(page) -> None:
    """Open every collapsed heading of the current notebook, as a learner who wants the
    optional "Going further" sections does (they open collapsed: coursekit/tools/depth.py)."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:expand-all-headings')")


def run_all(page, lab: Lab, timeout: float = 180) -> None:
    """Run All, retrying if no cell starts, and wait until every code cell has run.

    Outputs are cleared first, so "started" (a prompt other than "[ ]:") cannot be confused with
    the stored execution counts. Check stored outputs before calling this.
    """
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    for attempt in range(3):
        page.evaluate("() => window.jupyterapp.commands.execute('runmenu:run-all')")
        started = time.monotonic()
        while time.monotonic() - started < 10:
            prompts = page.evaluate(_PROMPTS_JS)
            if any(p not in ("[ ]:", "") for p in prompts):
                break
            time.sleep(0.2)
        else:
            continue  # nothing started: the kernel was not really ready; try again
        break
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompts = page.evaluate(_PROMPTS_JS)
        if prompts and all(p.startswith("[") and p[1:-2].strip().isdigit() for p in prompts) \
                and _kernel_ready(lab):
            return
        time.sleep(0.3)
    raise TimeoutError(f"Run All did not finish: prompts {page.evaluate(_PROMPTS_JS)}")


def error_texts(page) -> list[str]:
    """Texts of error outputs, stderr outputs and dead widgets visible in the notebook."""
    return page.evaluate("""() => {
        const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document;
        const bad = [...panel.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.textContent.slice(0, 300));
        const all = panel.textContent || '';
        for (const marker of ['Error displaying widget', 'Traceback (most recent call last)',
                              'Model not found']) {
            if (all.includes(marker)) bad.push(marker);
        }
        return bad;
    }""")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
