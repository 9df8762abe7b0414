"""Data tables: assets/data/NAME.csv, each with a sidecar assets/data/NAME.toml.

- `read_dataset(path)` returns (dataset or None, problems) and never raises for a content
  mistake; `load_dataset(name)` returns the Dataset or raises ContentError.
- Only the standard library is used (csv, re): notebooks load data in their first cells.

A data CSV has one measured value a row ("long" format):
    dimension columns (as listed in the sidecar's `dimensions`), then
    value, unit, qualifier, source_ids, as_of[, note]
- value: a plain number ("40", "-6.9", "146.887"); never "~40%" or "1,000".
- qualifier: "" | about | over | at least | under | up to | around | nearly.
- source_ids: bibliography ids separated by ";" ("S37;S38").
- as_of: ISO date (YYYY-MM-DD).
A sidecar with `kind = "events"` describes a timeline instead, with columns
    date, actor, measure, source_ids, as_of[, note]
where date is ISO ("YYYY-MM-DD", or "YYYY-MM" when only the month is known).
CSV line numbers count the header as line 1.

The sidecar data/NAME.toml:
    title = "..."                  required
    licence = "..."                required, e.g. "Facts from the cited sources; this table CC BY 4.0"
    as_of = "YYYY-MM-DD"           required
    dimensions = ["year", ...]     required for values tables: the columns before `value`
    units = ["USD bn", ...]        required for values tables: every row's unit must be listed
    kind = "values" | "events"     optional, default "values"
    integer_dimensions = ["year"]  optional: dimensions read as int (so filter(year=2024) works)
    notes = '''...'''              optional: caveats shown with the data
    description = "..."            optional
    [columns]                      optional: column name = "what it means"
    extra_columns = ["kind"]       optional: course judgements beside each row, with their
    cited_columns, [allowed]       vocabularies and citation rules (coursekit/model/extracols.py)
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from coursekit.model import extracols, paths
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.records import DATE_YEAR, SOURCE_ID, is_iso_date, one_of, read_toml
from coursekit.model.sources import cite, load_sources

QUALIFIERS = ("", "about", "over", "at least", "under", "up to", "around", "nearly")
DATASET_KINDS = ("values", "events")
VALUE_COLUMNS = ("value", "unit", "qualifier", "source_ids", "as_of")
EVENT_COLUMNS = ("date", "actor", "measure", "source_ids", "as_of")
OPTIONAL_COLUMN = "note"
DATASET_NAME = re.compile(r"^[a-z0-9_]+$")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_INTEGER = re.compile(r"^-?[0-9]+$")


@dataclass
class Dataset:
    """One data table. `rows` are dicts: dimension values (str, or int for the sidecar's
    `integer_dimensions`), "value" as float, "unit", "qualifier", "source_ids" (a tuple),
    "as_of" and "note". Event tables have date, actor, measure, source_ids, as_of, note."""

    name: str
    meta: dict[str, Any]
    rows: list[dict[str, Any]]
    columns: list[str] = field(default_factory=list)
    path: Path | None = None

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "values")

    @property
    def title(self) -> str:
        return self.meta.get("title", self.name)

    @property
    def as_of(self) -> str:
        return self.meta.get("as_of", "")

    @property
    def dimensions(self) -> list[str]:
        return list(self.meta.get("dimensions", []))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def filter(self, **criteria: Any) -> "Dataset":
        """Rows whose columns equal the given values (compared as text, so year=2024 and
        year="2024" both work). A list or tuple value matches any of its items."""
        for key in criteria:
            if key not in self.columns:
                raise KeyError(f"dataset {self.name!r} has no column {key!r}; columns: {self.columns}")

        def wanted(value: Any) -> set[str]:
            if isinstance(value, (list, tuple, set, frozenset)):
                return {str(v) for v in value}
            return {str(value)}

        tests = {k: wanted(v) for k, v in criteria.items()}
        rows = [r for r in self.rows if all(str(r.get(k)) in ok for k, ok in tests.items())]
        return Dataset(self.name, self.meta, rows, self.columns, self.path)

    def column(self, name: str) -> list[Any]:
        if name not in self.columns:
            raise KeyError(f"dataset {self.name!r} has no column {name!r}; columns: {self.columns}")
        return [r.get(name) for r in self.rows]

    def one(self, **criteria: Any) -> dict[str, Any]:
        """The single row matching `criteria`; KeyError if none or several match."""
        found = self.filter(**criteria).rows
        if len(found) != 1:
            raise KeyError(f"{len(found)} rows of {self.name!r} match {criteria}; expected exactly 1")
        return found[0]

    def value(self, **criteria: Any) -> float:
        """The value of the single row matching `criteria`."""
        return self.one(**criteria)["value"]

    def source_ids(self) -> list[str]:
        """Every source id used by these rows, in order of first use."""
        seen: dict[str, None] = {}
        for r in self.rows:
            for sid in r.get("source_ids", ()):
                seen.setdefault(sid, None)
        return list(seen)

    def cite(self) -> str:
        """A source line for these rows (see `cite`)."""
        return cite(*self.source_ids())


_SIDECAR_KEYS = {
    "title": True, "units": False, "notes": False, "licence": True, "as_of": True,
    "dimensions": False, "kind": False, "integer_dimensions": False, "columns": False,
    "description": False, "facts": False,  # facts: named values, see coursekit/model/facts.py
    **{key: False for key in extracols.SIDECAR_KEYS},  # declared extra columns: see extracols.py
}


def _read_sidecar(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    doc, found = read_toml(path)
    problems.extend(found)
    if doc is None:
        return None
    meta = doc.data
    before = len(problems)
    for key, required in _SIDECAR_KEYS.items():
        if required and key not in meta:
            problems.append(doc.problem(f"sidecar: missing key {key!r}"))
    for key in meta:
        if key not in _SIDECAR_KEYS:
            problems.append(doc.problem(f"sidecar: unknown key {key!r} (expected: {', '.join(_SIDECAR_KEYS)})", key))
    kind = meta.get("kind", "values")
    if kind not in DATASET_KINDS:
        problems.append(doc.problem(f"sidecar: unknown kind {kind!r} (expected one of: {one_of(DATASET_KINDS)})", "kind"))
    if kind == "values":
        for key in ("dimensions", "units"):
            if key not in meta:
                problems.append(doc.problem(f"sidecar: missing key {key!r}"))
    for key in ("title", "licence", "notes", "description"):
        if key in meta and (not isinstance(meta[key], str) or not meta[key].strip()):
            problems.append(doc.problem(f"sidecar: {key!r} must be a non-empty string", key))
    for key in ("dimensions", "units", "integer_dimensions"):
        if key in meta:
            v = meta[key]
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                problems.append(doc.problem(f"sidecar: {key!r} must be a list of strings", key))
            elif len(set(v)) != len(v):
                problems.append(doc.problem(f"sidecar: {key!r} lists a name twice", key))
    if kind == "values" and isinstance(meta.get("dimensions"), list) and not meta["dimensions"]:
        problems.append(doc.problem("sidecar: 'dimensions' must name at least one column", "dimensions"))
    dims = meta.get("dimensions") if isinstance(meta.get("dimensions"), list) else []
    reserved = set(VALUE_COLUMNS) | {OPTIONAL_COLUMN}
    if kind == "values":
        for d in dims:
            if d in reserved:
                problems.append(doc.problem(f"sidecar: {d!r} cannot be a dimension (reserved column)", "dimensions"))
    standard = (dims + list(VALUE_COLUMNS)) if kind == "values" else list(EVENT_COLUMNS)
    problems.extend(extracols.check_sidecar(doc, standard + [OPTIONAL_COLUMN],
                                            dims if kind == "values" else ()))
    for d in meta.get("integer_dimensions", []) if isinstance(meta.get("integer_dimensions"), list) else []:
        if d not in dims:
            problems.append(doc.problem(f"sidecar: integer dimension {d!r} is not in 'dimensions'", "integer_dimensions"))
    if "as_of" in meta and not is_iso_date(meta["as_of"]):
        problems.append(doc.problem(f"sidecar: malformed as_of {meta['as_of']!r} (expected YYYY-MM-DD)", "as_of"))
    if "columns" in meta:
        cols = meta["columns"]
        if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
            problems.append(doc.problem("sidecar: [columns] must map column names to descriptions", "columns"))
    return meta if len(problems) == before else None


def read_dataset(csv_path: Path, *, source_ids: Iterable[str] | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Read data/NAME.csv with its sidecar data/NAME.toml. Returns (dataset or None, problems)."""
    csv_path = Path(csv_path)
    name = csv_path.stem
    file = relpath(csv_path)
    problems: list[Problem] = []
    if not DATASET_NAME.match(name):
        problems.append(Problem(file, 1, f"dataset name {name!r} must be lower-case letters, digits and _"))
    sidecar = csv_path.with_suffix(".toml")
    if not sidecar.exists():
        problems.append(Problem(file, 1, f"no sidecar {sidecar.name} beside the CSV"))
        return None, problems
    meta = _read_sidecar(sidecar, problems)
    if not csv_path.exists():
        problems.append(Problem(file, 1, "file not found"))
        return None, problems
    if meta is None:
        return None, problems
    known = set(source_ids) if source_ids is not None else None
    kind = meta.get("kind", "values")
    dims = list(meta.get("dimensions", []))
    int_dims = set(meta.get("integer_dimensions", []))
    units = set(meta.get("units", []))
    if kind == "values":
        required = dims + list(VALUE_COLUMNS)
    else:
        required = list(EVENT_COLUMNS)
        for d in dims:
            if d not in required:
                problems.append(Problem(relpath(sidecar), 1, f"sidecar: dimension {d!r} is not a column of an events table"))

    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            problems.append(Problem(file, 1, "empty file: no header row"))
            return None, problems
        except csv.Error as exc:
            problems.append(Problem(file, 1, f"CSV syntax error: {exc}"))
            return None, problems
        header = [h.strip() for h in header]
        required += extracols.declared(meta)
        allowed = required + [OPTIONAL_COLUMN]
        for col in required:
            if col not in header:
                problems.append(Problem(file, 1, f"missing column {col!r}"))
        for col in header:
            if col not in allowed:
                problems.append(Problem(file, 1, f"unexpected column {col!r} (expected: {', '.join(allowed)})"))
        if len(set(header)) != len(header):
            problems.append(Problem(file, 1, "a column name appears twice in the header"))
        present = [c for c in allowed if c in header]
        if not problems and header != present:
            problems.append(Problem(file, 1, f"columns out of order: expected {', '.join(present)}"))
        header_ok = not any(p.file == file and p.line == 1 for p in problems)

        rows: list[dict[str, Any]] = []
        keys: dict[tuple[str, ...], int] = {}
        line = 1
        while True:
            start = reader.line_num + 1
            try:
                raw = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(Problem(file, start, f"CSV syntax error: {exc}"))
                break
            line = start
            if not raw or all(not c.strip() for c in raw):
                continue
            if len(raw) != len(header):
                problems.append(Problem(file, line, f"row has {len(raw)} fields; the header has {len(header)}"))
                continue
            cells = {h: c.strip() for h, c in zip(header, raw)}
            row, row_problems = _check_row(cells, file, line, kind, dims, int_dims, units, known)
            extra, reasons = extracols.check_cells(cells, meta, known)
            row_problems += [Problem(file, line, reason) for reason in reasons]
            row = {**row, **extra} if row is not None and not reasons else None
            problems.extend(row_problems)
            if kind == "values" and all(d in cells for d in dims):
                key = tuple(cells[d] for d in dims)
                if key in keys:
                    where = ", ".join(f"{d}={v}" for d, v in zip(dims, key))
                    problems.append(Problem(file, line, f"duplicate row for {where} (first at line {keys[key]})"))
                else:
                    keys[key] = line
            if row is not None:
                rows.append(row)
        if header_ok and not rows and not any(p.file == file for p in problems):
            problems.append(Problem(file, 1, "no data rows"))
    if any(p.file in (file, relpath(sidecar)) for p in problems):
        return None, problems
    columns = present if header_ok else header
    if OPTIONAL_COLUMN not in columns:
        columns = columns + [OPTIONAL_COLUMN]
    return Dataset(name=name, meta=meta, rows=rows, columns=columns, path=csv_path), problems


def _check_row(cells: dict[str, str], file: str, line: int, kind: str, dims: list[str], int_dims: set[str],
               units: set[str], known: set[str] | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    problems: list[Problem] = []
    row: dict[str, Any] = {}

    def bad(reason: str) -> None:
        problems.append(Problem(file, line, reason))

    if kind == "values":
        for d in dims:
            if d not in cells:
                continue
            v = cells[d]
            if not v:
                bad(f"empty dimension {d!r}")
            elif d in int_dims:
                if not _INTEGER.match(v):
                    bad(f"{d} {v!r} is not a whole number")
                else:
                    row[d] = int(v)
                    continue
            row[d] = v
        if "value" in cells:
            v = cells["value"]
            if not _NUMBER.match(v):
                bad(f"value {v!r} is not a number (write digits only, e.g. 40 or -6.9; put words such as "
                    "'about' in qualifier and the unit in unit)")
            else:
                row["value"] = float(v)
        if "unit" in cells:
            u = cells["unit"]
            if not u:
                bad("empty unit")
            elif units and u not in units:
                bad(f"unit {u!r} is not listed in the sidecar's units ({', '.join(sorted(units))})")
            row["unit"] = u
        if "qualifier" in cells:
            q = cells["qualifier"]
            if q not in QUALIFIERS:
                bad(f"unknown qualifier {q!r} (expected one of: {one_of(QUALIFIERS)})")
            row["qualifier"] = q
    else:
        if "date" in cells:
            d = cells["date"]
            if not is_iso_date(d, partial=True) or DATE_YEAR.match(d):
                bad(f"malformed date {d!r} (expected YYYY-MM-DD, or YYYY-MM when the day is unknown)")
            row["date"] = d
        for col in ("actor", "measure"):
            if col in cells:
                if not cells[col]:
                    bad(f"empty {col}")
                row[col] = cells[col]
    if "source_ids" in cells:
        raw = cells["source_ids"]
        ids = tuple(s.strip() for s in raw.split(";")) if raw else ()
        if not raw:
            bad("empty source_ids: every row needs a source")
        elif re.search(r"[/,|]", raw):
            bad(f"source_ids {raw!r} must be separated by ';' (e.g. S37;S38)")
        else:
            for sid in ids:
                if not SOURCE_ID.match(sid):
                    bad(f"malformed source id {sid!r} in source_ids")
                elif known is not None and sid not in known:
                    bad(f"unknown source id {sid!r} in source_ids")
        row["source_ids"] = ids
    if "as_of" in cells:
        a = cells["as_of"]
        if not is_iso_date(a):
            bad(f"malformed as_of {a!r} (expected YYYY-MM-DD)")
        row["as_of"] = a
    row["note"] = cells.get(OPTIONAL_COLUMN, "")
    return (None if problems else row), problems


def dataset_paths(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else paths.DATA
    return sorted(folder.glob("*.csv"))


def dataset_names(folder: Path | None = None) -> list[str]:
    return [p.stem for p in dataset_paths(folder)]


def load_dataset(name: str) -> Dataset:
    """assets/data/NAME.csv with its sidecar, validated; values are floats."""
    csv_path = paths.DATA / f"{name}.csv"
    if not csv_path.exists():
        raise ContentError([Problem(relpath(csv_path), 1,
                                    f"no dataset {name!r}; available: {', '.join(dataset_names())}")])
    dataset, problems = read_dataset(csv_path, source_ids=load_sources())
    if problems or dataset is None:
        raise ContentError(problems)
    return dataset

