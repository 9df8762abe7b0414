"""pytest plugin for `make test-latest` (.ci/test_latest.py): records every deprecation warning.

Loaded with `-p latest_warnings` (PYTHONPATH=.ci). Each process (the controller and each xdist
worker) appends one JSON line a warning to COURSEKIT_WARNINGS_LOG/<pid>.jsonl; the report merges
them and drops the copies that xdist forwards to the controller.
"""
from __future__ import annotations

import json
import os

KEPT = ("DeprecationWarning", "PendingDeprecationWarning", "FutureWarning")


def pytest_warning_recorded(warning_message, when, nodeid, location):
    folder = os.environ.get("COURSEKIT_WARNINGS_LOG")
    category = warning_message.category.__name__
    if not folder or category not in KEPT:
        return
    row = {"category": category, "message": str(warning_message.message),
           "filename": str(warning_message.filename), "lineno": warning_message.lineno,
           "nodeid": nodeid, "when": when}
    with open(os.path.join(folder, f"{os.getpid()}.jsonl"), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
