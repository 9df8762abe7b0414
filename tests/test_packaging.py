"""`pip install .` (Binder runs it) ships every subpackage of coursekit and the vendored files."""
from __future__ import annotations

import tomllib

from setuptools import find_packages

from coursekit.model.paths import ROOT


def test_every_subpackage_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert isinstance(config["packages"], dict), "list packages with packages.find, not by hand"
    found = set(find_packages(where=str(ROOT), **config["packages"]["find"]))
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "coursekit").rglob("__init__.py")}
    assert on_disk <= found, f"not installed: {sorted(on_disk - found)}"
    assert "vendor/reveal/*" in config["package-data"]["coursekit"]
