"""Install size and time of requirements.txt in a fresh venv, and a check that it holds nothing
the four named packages (jupyterlab, ipywidgets, matplotlib, nbval) and pytest do not need.

Also measures the rfc3987-syntax trap: `import jsonschema` with and without that package.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, median_seconds, table

NAMED = ["jupyterlab", "ipywidgets", "matplotlib", "nbval", "pytest"]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _closure(python: str, roots: list[str]) -> set[str]:
    code = f"""
import importlib.metadata as md, re
todo, seen = {roots!r}, set()
while todo:
    name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
    if name in seen: continue
    try: dist = md.distribution(name)
    except md.PackageNotFoundError: continue
    seen.add(name)
    for req in dist.requires or []:
        if "extra ==" in req: continue
        todo.append(re.split(r"[ ;<>=!~\\[(]", req, maxsplit=1)[0])
print("\\n".join(sorted(seen)))
"""
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def main() -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-venv-"))
    subprocess.run([sys.executable, "-m", "venv", str(tmp)], check=True)
    py = str(tmp / "bin" / "python")
    t0 = time.perf_counter()
    subprocess.run([py, "-m", "pip", "install", "-q", "-r", str(ROOT / "requirements.txt")], check=True)
    seconds = time.perf_counter() - t0
    size_mb = _dir_size(tmp) / 1e6
    subprocess.run([py, "-m", "pip", "install", "-q", "nbval==0.11.0", "pytest==9.2.0"], check=True)
    needed = _closure(py, NAMED)
    listed = {re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
              for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    extra = sorted(listed - needed)
    with_rfc = median_seconds([py, "-c", "import jsonschema"], runs=5)
    without = median_seconds([py, "-c", "import sys; sys.modules['rfc3987_syntax'] = None; import jsonschema"], runs=5)
    print(table(["measure", "value"], [
        ["pip install -r requirements.txt (fresh venv, no cache)", f"{seconds:.0f} s"],
        ["venv size after install", f"{size_mb:.0f} MB"],
        ["requirements.txt entries not needed by " + ", ".join(NAMED), ", ".join(extra) or "none"],
        ["import jsonschema (with rfc3987-syntax)", f"{with_rfc:.2f} s"],
        ["import jsonschema (rfc3987-syntax hidden)", f"{without:.2f} s"],
    ]))
    return {"install_s": seconds, "venv_mb": size_mb, "extra": len(extra),
            "jsonschema_with_s": with_rfc, "jsonschema_without_s": without}


if __name__ == "__main__":
    main()
