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


def test_no_progress_submodule_shadows_a_function_of_the_api():
    """Importing coursekit.progress.X sets the package's attribute X to that module, so a
    submodule named like an API function (`summary`, `events`) would replace the function."""
    import pkgutil

    import coursekit.progress as package
    from coursekit.progress import api

    submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
    assert not submodules & set(api.__all__)
