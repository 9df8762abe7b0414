"""The environment in which the build, the tests and the grader run notebooks.

Three things make runs repeatable and safe:
- no network: an IPython startup file blocks sockets *inside the kernel*, so a notebook that tries
  to fetch something fails loudly with a message naming this sandbox;
- a throwaway progress store, so no maintainer's or learner's history leaks into stored outputs;
- a writable matplotlib config folder with a warm font cache (a cold cache prints to stderr in the
  first chart cell, and nbval compares stderr).
Kernels inherit os.environ, so `activate()` sets variables in the current process.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

NO_NETWORK_MESSAGE = "coursekit no-network sandbox: notebooks must not use the network"

_STARTUP = f'''# Installed by coursekit.tools.kernelenv: block network access inside this kernel.
import socket as _ck_socket

_CK_LOCAL = ("127.0.0.1", "::1", "localhost", "")


def _ck_is_local(address):
    if not isinstance(address, tuple):
        return True  # unix sockets
    return str(address[0]) in _CK_LOCAL or str(address[0]).startswith("127.")


def _ck_refuse(*_args, **_kwargs):
    raise ConnectionRefusedError({NO_NETWORK_MESSAGE!r})


_ck_connect = _ck_socket.socket.connect
_ck_connect_ex = _ck_socket.socket.connect_ex
_ck_getaddrinfo = _ck_socket.getaddrinfo


def _ck_guard_connect(self, address):
    if not _ck_is_local(address):
        _ck_refuse()
    return _ck_connect(self, address)


def _ck_guard_connect_ex(self, address):
    if not _ck_is_local(address):
        _ck_refuse()
    return _ck_connect_ex(self, address)


def _ck_guard_getaddrinfo(host, *args, **kwargs):
    if host is not None and str(host) not in _CK_LOCAL and not str(host).startswith("127."):
        _ck_refuse()
    return _ck_getaddrinfo(host, *args, **kwargs)


_ck_socket.socket.connect = _ck_guard_connect
_ck_socket.socket.connect_ex = _ck_guard_connect_ex
_ck_socket.getaddrinfo = _ck_guard_getaddrinfo
'''


def make_ipython_dir(base: Path) -> Path:
    """An IPYTHONDIR whose default profile blocks the network at kernel start."""
    startup = base / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-coursekit-no-network.py").write_text(_STARTUP, encoding="utf-8")
    return base


def warm_matplotlib() -> None:
    """Build matplotlib's font cache for MPLCONFIGDIR now, not in a kernel's first chart."""
    import subprocess
    import sys

    if "matplotlib" not in sys.modules:
        import matplotlib.font_manager  # noqa: F401 - importing builds the cache
        return
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False,
                   capture_output=True)


BUILD_BASE = Path(tempfile.gettempdir()) / "coursekit-build-sandbox"


def fresh_store() -> None:
    """Delete the sandbox progress store, so the next notebook starts from an empty record."""
    db = os.environ.get("COURSEKIT_PROGRESS_DB")
    if db:
        for suffix in ("", "-journal"):
            Path(db + suffix).unlink(missing_ok=True)


def activate(base: Path | None = None, *, network: bool = False) -> Path:
    """Point this process (and kernels it starts) at a sandbox under `base`; returns `base`."""
    base = Path(base or tempfile.mkdtemp(prefix="coursekit-run-"))
    base.mkdir(parents=True, exist_ok=True)
    if not network:
        os.environ["IPYTHONDIR"] = str(make_ipython_dir(base / "ipython"))
    os.environ["COURSEKIT_PROGRESS_DB"] = str(base / "progress.sqlite3")
    os.environ["COURSEKIT_LEARNER"] = "sandbox-learner"  # a fixed pseudonym: outputs stay stable
    mpl = base / "mpl"
    mpl.mkdir(exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(mpl)
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # debugpy's frozen-modules warning on stderr
    warm_matplotlib()
    return base
