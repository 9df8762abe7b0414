"""Execute every generated lesson and solution notebook in-process, beside the kernel floor.

The floor is the same kernel running an empty notebook that imports only matplotlib and
ipywidgets, measured in the same run. Target: the whole course executes in at most
1.3 x (number of notebooks x floor).
"""
from __future__ import annotations

import statistics
import time

from _util import ROOT, table

TARGET_RATIO = 1.3


def _run(nb, cwd) -> float:
    from coursekit.tools import build

    t0 = time.perf_counter()
    build.execute(nb, cwd)
    return time.perf_counter() - t0


def main() -> dict[str, float]:
    import nbformat

    from coursekit.tools import kernelenv

    kernelenv.activate()
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nimport ipywidgets")])
    floors = [_run(nbformat.from_dict(floor_nb), ROOT) for _ in range(3)]
    floor = statistics.median(floors)
    rows = []
    total = 0.0
    paths = sorted((ROOT / "lessons").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        kernelenv.fresh_store()
        seconds = _run(nb, path.parent)
        total += seconds
        rows.append([path.relative_to(ROOT), f"{seconds:.2f} s", f"{seconds / floor:.2f}x"])
    budget = TARGET_RATIO * len(paths) * floor
    rows.append(["kernel floor (median of 3)", f"{floor:.2f} s", "1.00x"])
    rows.append([f"course total ({len(paths)} notebooks)", f"{total:.2f} s",
                 f"{total / (len(paths) * floor):.2f}x (target <= {TARGET_RATIO}x, budget {budget:.1f} s)"])
    print(table(["notebook", "seconds", "vs floor"], rows))
    return {"floor_s": floor, "course_s": total, "notebooks": len(paths),
            "ratio": total / (len(paths) * floor) if paths else 0.0}


if __name__ == "__main__":
    main()
