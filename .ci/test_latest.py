#!/usr/bin/env python3
"""`make test-latest`: the full test suite against the newest releases of the direct dependencies.

The course pins exact versions (requirements*.txt), which is right for a class this term. A learner
next year will have newer JupyterLab, ipywidgets, matplotlib, nbval... This canary shows, before
they do, what those releases break:

1. a separate venv (.venv-latest, created on first use, upgraded on every run) gets the newest
   release of every package named in requirements.txt and requirements-dev.txt, unpinned, plus
   postBuild's set-up, as `make test` does;
2. the full suite runs there (`pytest -n 2 --dist loadscope`), with deprecation warnings shown
   and recorded (`.ci/latest_warnings.py`);
3. every lesson and solution notebook is executed once more with deprecation warnings switched on
   inside the kernel (`.ci/latest_scan.py`), since notebook code warns there, not in pytest;
4. a short report, test-artifacts/latest/REPORT.md: the versions (pinned -> newest), what failed
   and why in one line each, and the deprecation warnings raised by the course's own code
   (coursekit/, tests/, notebook cells), apart from those raised inside third-party packages.

Only the standard library is used here, so any Python 3.11 can run it. Exit status: 1 when a test
failed (a scheduled CI run then shows red), 0 otherwise. Options: --pre also takes pre-releases
(alphas, betas: the release after next), in .venv-latest-pre with its report in
test-artifacts/latest-pre/; --no-upgrade reuses the venv as it is; --pytest-args passes extra
arguments (for example "-k lesson_01").
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-latest"
PY = VENV / "bin" / "python"
OUT = ROOT / "test-artifacts" / "latest"
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
#: Used directly by coursekit and the tests but arriving through jupyterlab: upgraded too.
ALSO_DIRECT = ("nbconvert",)


def pins() -> dict[str, str]:
    """{package: pinned version} from the requirements files (names normalised)."""
    found: dict[str, str] = {}
    for name in REQUIREMENTS:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;]+)", line)
            if m:
                found[norm(m.group(1))] = m.group(2)
            else:
                found[norm(re.split(r"[<>=!~;\s]", line, 1)[0])] = "(unpinned)"
    return found


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(shlex.quote(str(c)) for c in cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, **kw)


def use(pre: bool) -> None:
    """Point VENV, PY and OUT at the stable or the pre-release run."""
    global VENV, PY, OUT
    VENV = ROOT / (".venv-latest-pre" if pre else ".venv-latest")
    PY = VENV / "bin" / "python"
    OUT = ROOT / "test-artifacts" / ("latest-pre" if pre else "latest")


def setup(upgrade: bool, pre: bool = False) -> None:
    if not PY.exists():
        run([sys.executable, "-m", "venv", str(VENV)], check=True)
        upgrade = True
    if upgrade:
        names = sorted(set(pins()) | set(ALSO_DIRECT))
        run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", *(["--pre"] if pre else []),
             *names], check=True)
        env = dict(os.environ, PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
        run(["./postBuild"], check=True, env=env)


def installed() -> dict[str, str]:
    res = run([str(PY), "-m", "pip", "list", "--format=json"], check=True, capture_output=True,
              text=True)
    return {norm(p["name"]): p["version"] for p in json.loads(res.stdout)}


def axe_latest() -> str | None:
    """The newest axe-core from npm, when npm is there (the audit then runs with it)."""
    if not shutil.which("npm"):
        return None
    folder = OUT / "axe-core"
    folder.mkdir(parents=True, exist_ok=True)
    res = run(["npm", "pack", "axe-core@latest", "--pack-destination", str(folder)],
              capture_output=True, text=True)
    tgz = sorted(folder.glob("axe-core-*.tgz"))
    if res.returncode != 0 or not tgz:
        return None
    import tarfile

    with tarfile.open(tgz[-1]) as tar:
        member = tar.getmember("package/axe.min.js")
        (folder / "axe.min.js").write_bytes(tar.extractfile(member).read())
    return str(folder / "axe.min.js")


def run_tests(extra: list[str]) -> tuple[int, float]:
    warnings_dir = OUT / "warnings"
    shutil.rmtree(warnings_dir, ignore_errors=True)
    warnings_dir.mkdir(parents=True)
    env = dict(os.environ, COURSEKIT_WARNINGS_LOG=str(warnings_dir),
               PYTHONPATH=f"{ROOT / '.ci'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    axe = axe_latest()
    if axe:
        env["COURSEKIT_AXE_JS"] = axe
    started = dt.datetime.now()
    res = run([str(PY), "-m", "pytest", "-q", "-n", "2", "--dist", "loadscope",
               "-p", "latest_warnings", f"--junitxml={OUT / 'junit.xml'}",
               "-W", "always::DeprecationWarning", "-W", "always::PendingDeprecationWarning",
               "-W", "always::FutureWarning", *extra], env=env)
    return res.returncode, (dt.datetime.now() - started).total_seconds()


def junit() -> dict:
    path = OUT / "junit.xml"
    if not path.exists():
        return {"tests": 0, "failed": [], "skipped": []}
    root = ET.parse(path).getroot()
    failed, skipped, total = [], [], 0
    for case in root.iter("testcase"):
        total += 1
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        for tag in ("failure", "error"):
            node = case.find(tag)
            if node is not None:
                msg = (node.get("message") or node.text or "").strip().splitlines()
                failed.append((name, tag, msg[0][:240] if msg else ""))
        node = case.find("skipped")
        if node is not None:
            skipped.append((name, (node.get("message") or "")[:200]))
    return {"tests": total, "failed": failed, "skipped": skipped}


def warnings_found() -> list[dict]:
    """Every recorded warning once (xdist forwards each worker's warnings to the controller)."""
    lines: set[str] = set()
    for path in sorted((OUT / "warnings").glob("*.jsonl")):
        lines |= {line for line in path.read_text(encoding="utf-8").splitlines() if line}
    return [json.loads(line) for line in sorted(lines)]


def ours(filename: str) -> bool:
    """A warning attributed to the course's own code (not to a file inside a venv)."""
    try:
        rel = Path(filename).resolve().relative_to(ROOT)
    except ValueError:
        return "ipykernel_" in filename  # a notebook cell
    return not rel.parts[0].startswith(".venv")


def summarise_warnings(rows: list[dict]) -> tuple[dict, dict]:
    own: dict[tuple, int] = {}
    other: dict[tuple, int] = {}
    for r in rows:
        file = r["filename"]
        key = (r["category"], f"{_short(file)}:{r['lineno']}", r["message"].splitlines()[0][:200])
        bucket = own if ours(file) else other
        bucket[key] = bucket.get(key, 0) + 1
    return own, other


def _short(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        m = re.search(r"site-packages/(.+)$", path)
        return m.group(1) if m else path


def report(code: int, seconds: float, versions: dict[str, str], scan: dict, pre: bool = False) -> str:
    pinned = pins()
    results = junit()
    own, other = summarise_warnings(warnings_found())
    what = "the newest dependencies, pre-releases included" if pre else "the newest dependencies"
    lines = [f"# Test against {what}: {dt.date.today().isoformat()}", "",
             f"Python {subprocess.run([str(PY), '-c', 'import sys; print(sys.version.split()[0])'], capture_output=True, text=True).stdout.strip()}; "
             f"pytest exit code {code}; {results['tests']} tests in {seconds:.0f} s; "
             f"{len(results['failed'])} failed; {len(results['skipped'])} skipped.", "",
             "## Versions (direct dependencies)", "", "| package | pinned | newest |", "|---|---|---|"]
    for name in sorted(set(pinned) | set(ALSO_DIRECT)):
        new = versions.get(name, "not installed")
        old = pinned.get(name, "(not pinned: comes with jupyterlab)")
        mark = " **newer**" if old[:1].isdigit() and old != new else ""
        lines.append(f"| {name} | {old} | {new}{mark} |")
    axe = OUT / "axe-core" / "axe.min.js"
    if axe.exists():
        head = axe.read_text(encoding="utf-8", errors="replace")[:200]
        found = re.search(r"axe v([\d.]+)", head)
        lines += ["", f"The accessibility audit ran with the newest axe-core from npm "
                      f"({found.group(1) if found else 'version unknown'})."]
    lines += ["", "## What failed", ""]
    if not results["failed"]:
        lines.append("Nothing.")
    for name, tag, msg in results["failed"]:
        lines.append(f"- `{name}` ({tag}): {msg}")
    lines += ["", "## Deprecation warnings from the course's own code", ""]
    scan_own = scan.get("ours", [])
    if not own and not scan_own:
        lines.append("None (tests and notebooks).")
    for (cat, where, msg), n in sorted(own.items()):
        lines.append(f"- {cat} at `{where}` ({n}x, in tests): {msg}")
    for row in scan_own:
        lines.append(f"- {row['category']} in `{row['notebook']}` at `{row['where']}`: {row['message']}")
    lines += ["", "## Deprecation warnings raised inside third-party packages (for information)", ""]
    merged = dict(other)
    for row in scan.get("theirs", []):
        key = (row["category"], row["where"], row["message"])
        merged[key] = merged.get(key, 0) + 1
    if not merged:
        lines.append("None.")
    for (cat, where, msg), n in sorted(merged.items(), key=lambda kv: -kv[1])[:25]:
        lines.append(f"- {cat} at `{where}` ({n}x): {msg}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-upgrade", action="store_true", help="use .venv-latest as it is")
    parser.add_argument("--pytest-args", default="", help="extra pytest arguments")
    parser.add_argument("--no-scan", action="store_true", help="skip the notebook warning scan")
    parser.add_argument("--pre", action="store_true", help="take pre-releases too (.venv-latest-pre)")
    args = parser.parse_args(argv)
    use(args.pre)
    OUT.mkdir(parents=True, exist_ok=True)
    setup(upgrade=not args.no_upgrade, pre=args.pre)
    versions = installed()
    code, seconds = run_tests(shlex.split(args.pytest_args))
    scan: dict = {}
    if not args.no_scan:
        scan_file = OUT / "notebook-warnings.json"
        run([str(PY), str(ROOT / ".ci" / "latest_scan.py"), "--out", str(scan_file)])
        if scan_file.exists():
            scan = json.loads(scan_file.read_text(encoding="utf-8"))
    text = report(code, seconds, versions, scan, pre=args.pre)
    (OUT / "REPORT.md").write_text(text, encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(text)
    print(text)
    print(f"Report: {(OUT / 'REPORT.md').relative_to(ROOT)}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
