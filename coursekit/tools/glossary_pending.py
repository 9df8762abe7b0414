"""Glossary lint findings still waiting for the editorial pass (issue 22), listed so that
`python -m coursekit check` stays usable meanwhile; `python -m coursekit glossary --lint` shows
them all. Each is (kind, file, entry id): see coursekit/tools/glossary_lint.py. Fix one (link the
first use, or correct the entry's lesson), then delete its line: tests/test_glossary.py fails
while a listed finding no longer occurs, so this list only shrinks. Never add to it to silence
a new finding.
"""
from __future__ import annotations

PENDING: frozenset[tuple[str, str, str]] = frozenset({
})
