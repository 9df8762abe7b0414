"""Declared extra columns of a data table: course judgements kept beside the rows they judge.

A sidecar may declare columns beyond the standard ones, with the values each may take:

    extra_columns = ["kind"]                 # after the standard columns, before `note`
    cited_columns = ["reason"]               # optional: texts that must cite their sources
    [allowed]                                # optional: a column's fixed vocabulary (an extra
    kind = ["export controls", "anti-circumvention"]   # column or a dimension), in display order

Each declared column must be in the CSV; a cell outside its column's `allowed` list, or a cited
text with an unknown id or no citation, is a problem reported with the CSV's file and line. Rows
carry the extra columns as text. coursekit.model.content calls the three functions below.
"""
from __future__ import annotations

from typing import Any, Iterable

from coursekit.model.citations import citation_problems
from coursekit.model.tomllines import TomlDoc

SIDECAR_KEYS = ("extra_columns", "cited_columns", "allowed")


def _names(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key, [])
    return list(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else []


def check_sidecar(doc: TomlDoc, reserved: Iterable[str], dimensions: Iterable[str] = ()) -> list:
    """Problems in a sidecar's declaration of extra columns (and of its dimensions' vocabularies)."""
    meta, problems = doc.data, []
    extra = _names(meta, "extra_columns")
    for key in ("extra_columns", "cited_columns"):
        if key in meta and (not isinstance(meta[key], list) or _names(meta, key) != meta[key]
                            or not all(meta[key])):
            problems.append(doc.problem(f"sidecar: {key!r} must be a list of column names", key))
    if len(set(extra)) != len(extra):
        problems.append(doc.problem("sidecar: 'extra_columns' lists a name twice", "extra_columns"))
    taken = set(reserved)
    for name in extra:
        if name in taken:
            problems.append(doc.problem(f"sidecar: extra column {name!r} is already a column of "
                                        "this table", "extra_columns"))
    for name in _names(meta, "cited_columns"):
        if name not in extra:
            problems.append(doc.problem(f"sidecar: cited column {name!r} is not in 'extra_columns'",
                                        "cited_columns"))
    allowed = meta.get("allowed", {})
    if not isinstance(allowed, dict):
        problems.append(doc.problem("sidecar: [allowed] must map extra columns to lists of values",
                                    "allowed"))
        return problems
    for name, values in allowed.items():
        if name not in extra and name not in dimensions:
            problems.append(doc.problem(f"sidecar: [allowed] names {name!r}, which is neither in "
                                        "'extra_columns' nor a dimension", "allowed", name))
        elif not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            problems.append(doc.problem(f"sidecar: allowed values of {name!r} must be a non-empty "
                                        "list of strings", "allowed", name))
    return problems


def declared(meta: dict[str, Any]) -> list[str]:
    """The sidecar's extra columns, in order."""
    return _names(meta, "extra_columns")


def check_cells(cells: dict[str, str], meta: dict[str, Any],
                known: Iterable[str] | None) -> tuple[dict[str, str], list[str]]:
    """The row's extra-column values, and why any of them is wrong."""
    allowed = meta.get("allowed", {}) if isinstance(meta.get("allowed"), dict) else {}
    cited = set(_names(meta, "cited_columns"))
    values, reasons = {}, []
    for name, choices in allowed.items():
        if name in cells and isinstance(choices, list) and cells[name] not in choices:
            reasons.append(f"{name} {cells[name]!r} is not one of the allowed values "
                           f"({', '.join(repr(c) for c in choices)})")
    for name in declared(meta):
        if name not in cells:
            continue
        value = values[name] = cells[name]
        if name in cited:
            reasons += [f"{name}: {why}" for why in citation_problems(value, known, required=True)]
    return values, reasons
