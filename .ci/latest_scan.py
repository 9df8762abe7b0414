"""Part of `make test-latest` (.ci/test_latest.py): deprecation warnings raised by notebook code.

Run by .venv-latest's Python. Executes every built lesson and solution notebook (copies in their
own folders, as the build does) with DeprecationWarning, PendingDeprecationWarning and
FutureWarning switched on inside the kernel, and sorts what the cells print to stderr into the
course's own code (coursekit/, a notebook cell) and third-party packages. Writes JSON to --out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WARNING = re.compile(r"^(?P<file>\S.*?):(?P<line>\d+): (?P<cat>\w*Warning): (?P<msg>.*)$", re.M)


def where(path: str, line: str) -> tuple[str, bool]:
    if "ipykernel_" in path:
        return f"notebook cell (line {line})", True
    try:
        rel = Path(path).resolve().relative_to(ROOT)
        return f"{rel}:{line}", not rel.parts[0].startswith(".venv")
    except ValueError:
        m = re.search(r"site-packages/(.+)$", path)
        return f"{m.group(1) if m else path}:{line}", False


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    import nbformat

    from coursekit.tools import kernelenv
    from coursekit.tools.build import execute

    kernelenv.activate(Path(tempfile.mkdtemp(prefix="coursekit-latest-")))
    os.environ["PYTHONWARNINGS"] = ("always::DeprecationWarning,always::PendingDeprecationWarning,"
                                    "always::FutureWarning")
    result: dict = {"ours": [], "theirs": [], "errors": []}
    for folder in ("lessons", "solutions"):
        for path in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            kernelenv.fresh_store()
            try:
                execute(nb, path.parent)
            except Exception as exc:  # noqa: BLE001 - reported, the scan goes on
                result["errors"].append({"notebook": f"{folder}/{path.name}",
                                         "error": str(exc).strip().splitlines()[-1][:300]})
            for cell in nb.cells:
                for out in cell.get("outputs", []):
                    if out.get("output_type") != "stream" or out.get("name") != "stderr":
                        continue
                    for m in WARNING.finditer(out.get("text", "")):
                        place, own = where(m["file"], m["line"])
                        result["ours" if own else "theirs"].append(
                            {"notebook": f"{folder}/{path.name}", "category": m["cat"],
                             "where": place, "message": m["msg"][:200]})
            print(f"scanned {folder}/{path.name}", flush=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
