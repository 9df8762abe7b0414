"""The course's content files, loaded into typed records and validated.

Files (all under assets/):
- sources.toml          the bibliography: [[source]] tables (see the comment at its top)
- claims.toml           the article's claim ledger: [[claim]] tables
- misconceptions.toml   the misconception registry: [[misconception]] tables
- data/NAME.csv         long-format tables, each with a sidecar data/NAME.toml

Two layers:
- `read_*` functions return (records, problems) and never raise for content mistakes. The
  validator (`validate_all`, used by `python -m coursekit check` and the tests) reports every
  problem with its file, line and reason.
- `load_*` functions return the records and raise ContentError (listing every problem) when the
  file is wrong. Lessons use these, so a broken file stops the build instead of showing wrong data.

Import cost matters (the first cell of every notebook imports coursekit): only the standard
library is used here (csv, tomllib, re, datetime, html).

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
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from coursekit.model import extracols, paths
from coursekit.model.citations import citation_problems
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.tomllines import TomlDoc, load as _load_toml

# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------
KINDS = ("primary", "secondary")
QUALITIES = ("strong", "fair", "weak")
PUBLISHER_TYPES = (
    "government", "state media", "wire", "think tank", "law firm", "company", "academic",
    "news", "other",
)
#: Whose account a source gives (sources.toml `voice`): the party whose words, data or estimate it
#: records, which may differ from its publisher (a wire relaying a minister speaks for the minister).
VOICES = (
    "Russian government", "Chinese government", "Russian and Chinese governments jointly",
    "US government", "EU or European government", "Ukrainian government",
    "other government or group of governments", "state media (Russia)", "state media (China)",
    "company", "industry body", "advocacy group", "government-funded research",
    "international organisation", "independent research", "news media", "law firm or consultancy",
    "reference work", "blog or unknown website",
)
#: Voices that record no party's own account of its actions, positions or products.
INDEPENDENT_VOICES = ("international organisation", "independent research", "news media",
                      "law firm or consultancy", "reference work")
CLAIM_TYPES = ("fact", "statistic", "forecast", "causal", "value")
THEMES = ("sanctions", "partnership", "governance", "economics", "risks", "framing")
VERDICTS = (
    "supported", "needs context", "misleading", "not supported", "cannot be checked", "pending",
)
CLAIM_LESSONS = ("01", "02", "03", "04", "05", "06", "07")
LESSONS = ("00",) + CLAIM_LESSONS
QUALIFIERS = ("", "about", "over", "at least", "under", "up to", "around", "nearly")
DATASET_KINDS = ("values", "events")
VALUE_COLUMNS = ("value", "unit", "qualifier", "source_ids", "as_of")
EVENT_COLUMNS = ("date", "actor", "measure", "source_ids", "as_of")
OPTIONAL_COLUMN = "note"
#: Article quotes must be under this many words.
MAX_QUOTE_WORDS = 25

SOURCE_ID = re.compile(r"^(?:S[1-9][0-9]*|X[0-9]+)$")
CLAIM_ID = re.compile(r"^C[0-9]{2,}$")
MISCONCEPTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATASET_NAME = re.compile(r"^[a-z0-9_]+$")
_NUMBER = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_INTEGER = re.compile(r"^-?[0-9]+$")
_DATE_FULL = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DATE_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DATE_YEAR = re.compile(r"^([0-9]{4})$")


def is_iso_date(text: Any, *, partial: bool = False) -> bool:
    """True for a real calendar date "YYYY-MM-DD"; with partial=True also "YYYY-MM" and "YYYY"."""
    if not isinstance(text, str):
        return False
    m = _DATE_FULL.match(text)
    if m:
        try:
            _dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return False
        return True
    if not partial:
        return False
    m = _DATE_MONTH.match(text)
    if m:
        return 1 <= int(m[2]) <= 12
    return bool(_DATE_YEAR.match(text))


def _one_of(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str
    urls: tuple[str, ...]
    kind: str
    quality: str
    publisher_type: str
    relay_of: str
    accessed: str
    stance: str = ""
    notes: str = ""
    line: int = 0
    voice: str = ""
    funding: str = ""

    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def year(self) -> str:
        return self.date[:4] if self.date != "n.d." else "n.d."

    @property
    def label(self) -> str:
        """Short attribution for source lines: "Reuters via Business Recorder"."""
        if self.relay_of:
            return f"{self.relay_of} via {self.publisher}"
        return self.publisher


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    type: str
    theme: str
    lesson: str
    verdict: str
    reason: str
    evidence: tuple[str, ...]
    as_of: str
    line: int = 0


@dataclass(frozen=True)
class Misconception:
    id: str
    summary: str
    lesson: str
    remedy: str
    line: int = 0


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


# --------------------------------------------------------------------------------------------
# Helpers for TOML records
# --------------------------------------------------------------------------------------------
_SOURCE_KEYS = {
    "id": True, "title": True, "publisher": True, "date": True, "urls": True, "kind": True,
    "quality": True, "publisher_type": True, "relay_of": True, "accessed": True,
    "stance": False, "notes": False, "voice": True, "funding": False,
}
_CLAIM_KEYS = {
    "id": True, "quote": True, "type": True, "theme": True, "lesson": True, "verdict": True,
    "reason": True, "evidence": True, "as_of": True,
}
_MISCONCEPTION_KEYS = {"id": True, "summary": True, "lesson": True, "remedy": True}


def _toml(path: Path, *, facts: bool = False) -> tuple[TomlDoc | None, list[Problem]]:
    if not path.exists():
        return None, [Problem(relpath(path), 1, "file not found")]
    try:
        return _load_toml(path, facts=facts), []
    except ContentError as exc:
        return None, list(exc.problems)


def _tables(doc: TomlDoc, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    tables = doc.data.get(name)
    if tables is None:
        problems.append(doc.problem(f"no [[{name}]] tables"))
        return []
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(doc.problem(f"'{name}' must be written as [[{name}]] tables", name))
        return []
    for key in doc.data:
        if key != name:
            problems.append(doc.problem(f"unexpected top-level key {key!r}", key))
    return tables


def _check_keys(doc: TomlDoc, table: str, i: int, record: dict[str, Any], spec: dict[str, bool],
                label: str, problems: list[Problem]) -> None:
    for key, required in spec.items():
        if required and key not in record:
            problems.append(doc.problem(f"{label}: missing key {key!r}", table, i))
    for key in record:
        if key not in spec:
            problems.append(doc.problem(
                f"{label}: unknown key {key!r} (expected: {', '.join(spec)})", table, i, key))


def _str(doc: TomlDoc, table: str, i: int, record: dict[str, Any], key: str, label: str,
         problems: list[Problem], *, empty_ok: bool = False) -> str:
    value = record.get(key, "")
    if not isinstance(value, str):
        problems.append(doc.problem(f"{label}: {key!r} must be a string", table, i, key))
        return ""
    if key in record and not empty_ok and not value.strip():
        problems.append(doc.problem(f"{label}: {key!r} is empty", table, i, key))
    return value


def _enum(doc: TomlDoc, table: str, i: int, record: dict[str, Any], key: str, allowed: tuple[str, ...],
          label: str, problems: list[Problem]) -> str:
    value = record.get(key)
    if key not in record:
        return ""
    if value not in allowed:
        problems.append(doc.problem(
            f"{label}: unknown {key} {value!r} (expected one of: {_one_of(allowed)})", table, i, key))
        return ""
    return value


def _record_id(doc: TomlDoc, table: str, i: int, record: dict[str, Any], pattern: re.Pattern[str],
               form: str, seen: dict[str, int], problems: list[Problem]) -> str:
    rid = record.get("id")
    where = f"{table} #{i + 1}"
    if not isinstance(rid, str) or not pattern.match(rid):
        if "id" in record:
            problems.append(doc.problem(f"{where}: malformed id {rid!r} (expected {form})", table, i, "id"))
        return ""
    line = doc.line(table, i, "id")
    if rid in seen:
        problems.append(doc.problem(f"duplicate {table} id {rid!r} (first at line {seen[rid]})", table, i, "id"))
        return ""
    seen[rid] = line
    return rid


def _label(table: str, record: dict[str, Any], i: int) -> str:
    rid = record.get("id")
    return f"{table} {rid}" if isinstance(rid, str) and rid.strip() else f"{table} #{i + 1}"


def _id_list(doc: TomlDoc, table: str, i: int, record: dict[str, Any], key: str, label: str,
             known: Iterable[str] | None, problems: list[Problem]) -> tuple[str, ...]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(doc.problem(f"{label}: {key!r} must be a list of source ids", table, i, key))
        return ()
    known_set = set(known) if known is not None else None
    for sid in value:
        if not SOURCE_ID.match(sid):
            problems.append(doc.problem(f"{label}: malformed source id {sid!r} in {key}", table, i, key))
        elif known_set is not None and sid not in known_set:
            problems.append(doc.problem(f"{label}: unknown source id {sid!r} in {key}", table, i, key))
    if len(set(value)) != len(value):
        problems.append(doc.problem(f"{label}: repeated source id in {key}", table, i, key))
    return tuple(value)


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------
def read_sources(path: Path | None = None) -> tuple[dict[str, Source], list[Problem]]:
    path = Path(path) if path else paths.ASSETS / "sources.toml"
    doc, problems = _toml(path)
    if doc is None:
        return {}, problems
    out: dict[str, Source] = {}
    seen: dict[str, int] = {}
    tables = _tables(doc, "source", problems)
    known_ids = {t.get("id") for t in tables}
    for i, rec in enumerate(tables):
        rid = _record_id(doc, "source", i, rec, SOURCE_ID, '"S<n>" or "X<n>"', seen, problems)
        label = _label("source", rec, i)
        n_before = len(problems)
        _check_keys(doc, "source", i, rec, _SOURCE_KEYS, label, problems)
        s = {k: _str(doc, "source", i, rec, k, label, problems) for k in ("title", "publisher")}
        relay = _str(doc, "source", i, rec, "relay_of", label, problems, empty_ok=True)
        stance = _str(doc, "source", i, rec, "stance", label, problems, empty_ok=True)
        notes = _str(doc, "source", i, rec, "notes", label, problems, empty_ok=True)
        date = rec.get("date")
        if "date" in rec and not (date == "n.d." or is_iso_date(date, partial=True)):
            problems.append(doc.problem(
                f"{label}: malformed date {date!r} (expected YYYY, YYYY-MM, YYYY-MM-DD or 'n.d.')",
                "source", i, "date"))
        accessed = rec.get("accessed")
        if "accessed" in rec and not is_iso_date(accessed):
            problems.append(doc.problem(
                f"{label}: malformed accessed date {accessed!r} (expected YYYY-MM-DD)", "source", i, "accessed"))
        urls = rec.get("urls", [])
        if "urls" in rec:
            if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
                problems.append(doc.problem(f"{label}: 'urls' must be a non-empty list of strings", "source", i, "urls"))
                urls = []
            else:
                for u in urls:
                    if not re.match(r"^https?://\S+$", u):
                        problems.append(doc.problem(f"{label}: malformed URL {u!r}", "source", i, "urls"))
        kind = _enum(doc, "source", i, rec, "kind", KINDS, label, problems)
        quality = _enum(doc, "source", i, rec, "quality", QUALITIES, label, problems)
        ptype = _enum(doc, "source", i, rec, "publisher_type", PUBLISHER_TYPES, label, problems)
        voice = _enum(doc, "source", i, rec, "voice", VOICES, label, problems)
        funding = _str(doc, "source", i, rec, "funding", label, problems)
        problems += [doc.problem(f"{label}: funding {why}", "source", i, "funding")
                     for why in citation_problems(funding, known_ids, required=True) if funding]
        if rid and len(problems) == n_before:
            out[rid] = Source(
                id=rid, title=s["title"], publisher=s["publisher"], date=date, urls=tuple(urls),
                kind=kind, quality=quality, publisher_type=ptype, relay_of=relay, accessed=accessed,
                stance=stance, notes=notes, line=doc.line("source", i), voice=voice, funding=funding)
    return out, problems


# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------
_UNSET: Any = object()


def read_article(path: Path | None = None) -> str | None:
    """The article's text, or None where it is absent (learners' copies never include it)."""
    path = Path(path) if path else paths.article_path()
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None


def normalise_quote(text: str) -> str:
    """What "exact" means for quotes: whitespace runs count as one space, and typographic
    apostrophes equal straight ones, and a Markdown-escaped dollar sign (\\$) is a dollar sign.
    Nothing else is forgiven."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\\$", "$")
    return re.sub(r"\s+", " ", text).strip()


def quote_problem(quote: str, article: str | None) -> str | None:
    """Why `quote` is not an acceptable article quote, or None when it is."""
    words = len(quote.split())
    if words >= MAX_QUOTE_WORDS:
        return f"quote has {words} words; article quotes must be under {MAX_QUOTE_WORDS} words"
    if article is not None and normalise_quote(quote) not in normalise_quote(article):
        return "quote is not an exact substring of the article"
    return None


def read_claims(path: Path | None = None, *, source_ids: Iterable[str] | None = None,
                article: str | None = _UNSET) -> tuple[dict[str, Claim], list[Problem]]:
    """`source_ids`: known bibliography ids (None: don't check). `article`: its text; by default
    read from paths.article_path(); None skips the substring check."""
    path = Path(path) if path else paths.ASSETS / "claims.toml"
    if article is _UNSET:
        article = read_article()
    doc, problems = _toml(path, facts=True)
    if doc is None:
        return {}, problems
    out: dict[str, Claim] = {}
    seen: dict[str, int] = {}
    for i, rec in enumerate(_tables(doc, "claim", problems)):
        rid = _record_id(doc, "claim", i, rec, CLAIM_ID, '"C01", "C02", ...', seen, problems)
        label = _label("claim", rec, i)
        n_before = len(problems)
        _check_keys(doc, "claim", i, rec, _CLAIM_KEYS, label, problems)
        quote = _str(doc, "claim", i, rec, "quote", label, problems)
        if quote.strip():
            why = quote_problem(quote, article)
            if why:
                problems.append(doc.problem(f"{label}: {why}", "claim", i, "quote"))
        ctype = _enum(doc, "claim", i, rec, "type", CLAIM_TYPES, label, problems)
        theme = _enum(doc, "claim", i, rec, "theme", THEMES, label, problems)
        lesson = _enum(doc, "claim", i, rec, "lesson", CLAIM_LESSONS, label, problems)
        verdict = _enum(doc, "claim", i, rec, "verdict", VERDICTS, label, problems)
        reason = _str(doc, "claim", i, rec, "reason", label, problems, empty_ok=True)
        evidence = _id_list(doc, "claim", i, rec, "evidence", label, source_ids, problems)
        if verdict and verdict != "pending":
            if not reason.strip():
                problems.append(doc.problem(f"{label}: verdict {verdict!r} needs a reason", "claim", i, "reason"))
            if "evidence" in rec and not evidence:
                problems.append(doc.problem(f"{label}: verdict {verdict!r} needs evidence", "claim", i, "evidence"))
        as_of = rec.get("as_of")
        if "as_of" in rec and not is_iso_date(as_of):
            problems.append(doc.problem(f"{label}: malformed as_of {as_of!r} (expected YYYY-MM-DD)", "claim", i, "as_of"))
        if rid and len(problems) == n_before:
            out[rid] = Claim(id=rid, quote=quote, type=ctype, theme=theme, lesson=lesson,
                             verdict=verdict, reason=reason, evidence=evidence, as_of=as_of,
                             line=doc.line("claim", i))
    return out, problems


# --------------------------------------------------------------------------------------------
# Misconceptions
# --------------------------------------------------------------------------------------------
def read_misconceptions(path: Path | None = None) -> tuple[dict[str, Misconception], list[Problem]]:
    path = Path(path) if path else paths.ASSETS / "misconceptions.toml"
    doc, problems = _toml(path, facts=True)
    if doc is None:
        return {}, problems
    out: dict[str, Misconception] = {}
    seen: dict[str, int] = {}
    for i, rec in enumerate(_tables(doc, "misconception", problems)):
        rid = _record_id(doc, "misconception", i, rec, MISCONCEPTION_ID, "kebab-case like 'target-as-pledge'",
                         seen, problems)
        label = _label("misconception", rec, i)
        n_before = len(problems)
        _check_keys(doc, "misconception", i, rec, _MISCONCEPTION_KEYS, label, problems)
        summary = _str(doc, "misconception", i, rec, "summary", label, problems)
        remedy = _str(doc, "misconception", i, rec, "remedy", label, problems)
        lesson = _enum(doc, "misconception", i, rec, "lesson", LESSONS, label, problems)
        if rid and len(problems) == n_before:
            out[rid] = Misconception(id=rid, summary=summary, lesson=lesson, remedy=remedy,
                                     line=doc.line("misconception", i))
    return out, problems


# --------------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------------
_SIDECAR_KEYS = {
    "title": True, "units": False, "notes": False, "licence": True, "as_of": True,
    "dimensions": False, "kind": False, "integer_dimensions": False, "columns": False,
    "description": False, "facts": False,  # facts: named values, see coursekit/facts.py
    **{key: False for key in extracols.SIDECAR_KEYS},  # declared extra columns: see extracols.py
}


def _read_sidecar(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    doc, found = _toml(path)
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
        problems.append(doc.problem(f"sidecar: unknown kind {kind!r} (expected one of: {_one_of(DATASET_KINDS)})", "kind"))
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
                bad(f"unknown qualifier {q!r} (expected one of: {_one_of(QUALIFIERS)})")
            row["qualifier"] = q
    else:
        if "date" in cells:
            d = cells["date"]
            if not is_iso_date(d, partial=True) or _DATE_YEAR.match(d):
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


# --------------------------------------------------------------------------------------------
# Whole-course validation
# --------------------------------------------------------------------------------------------
def validate_all(assets: Path | None = None, *, article: str | None = _UNSET) -> list[Problem]:
    """Every problem in sources.toml, claims.toml, misconceptions.toml, judgements.toml and
    data/*.csv(+toml)."""
    assets = Path(assets) if assets else paths.ASSETS
    problems: list[Problem] = []
    sources, found = read_sources(assets / "sources.toml")
    problems += found
    # If the bibliography itself cannot be read, don't flood every reference with "unknown id".
    known: set[str] | None = _ids_in(assets / "sources.toml")
    _, found = read_claims(assets / "claims.toml", source_ids=known, article=article)
    problems += found
    _, found = read_misconceptions(assets / "misconceptions.toml")
    problems += found
    from coursekit.model import judgements  # the course's judgements: verdicts, readings, ratings

    problems += judgements.validate(assets, known)
    data = assets / "data"
    for csv_path in dataset_paths(data):
        _, found = read_dataset(csv_path, source_ids=known)
        problems += found
    for sidecar in sorted(data.glob("*.toml")):
        if not sidecar.with_suffix(".csv").exists():
            problems.append(Problem(relpath(sidecar), 1, f"sidecar without a data file {sidecar.stem}.csv"))
    return sorted(set(problems))


def _ids_in(sources_path: Path) -> set[str] | None:
    """Ids declared in sources.toml, even where other fields are wrong; None if unreadable."""
    doc, problems = _toml(sources_path)
    if doc is None:
        return None
    tables = doc.data.get("source")
    if not isinstance(tables, list):
        return None
    return {t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str)}


# --------------------------------------------------------------------------------------------
# Loading for lessons (raise on problems; cached)
# --------------------------------------------------------------------------------------------
def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=8)
def _sources_cached(stamp: tuple[str, int, int]) -> dict[str, Source]:
    sources, problems = read_sources(Path(stamp[0]))
    if problems:
        raise ContentError(problems)
    return sources


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """The bibliography, keyed by id. Raises ContentError when sources.toml has problems."""
    path = Path(path) if path else paths.ASSETS / "sources.toml"
    if not path.exists():
        raise ContentError([Problem(relpath(path), 1, "file not found")])
    return dict(_sources_cached(_stamp(path)))


def load_claims(path: Path | None = None) -> dict[str, Claim]:
    """The claim ledger, keyed by id (C01, ...). Checks evidence ids against the bibliography and,
    where the article is present, that each quote is an exact substring of it."""
    sources = load_sources()
    claims, problems = read_claims(path, source_ids=sources)
    if problems:
        raise ContentError(problems)
    return claims


def load_misconceptions(path: Path | None = None) -> dict[str, Misconception]:
    """The misconception registry, keyed by id."""
    items, problems = read_misconceptions(path)
    if problems:
        raise ContentError(problems)
    return items


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


# --------------------------------------------------------------------------------------------
# Citing
# --------------------------------------------------------------------------------------------
def _flatten_ids(ids: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in ids:
        if isinstance(item, str):
            parts = [p.strip() for p in item.split(";")]
        else:
            parts = [str(p).strip() for p in item]
        for p in parts:
            if p and p not in out:
                out.append(p)
    return out


def _lookup(ids: Iterable[Any]) -> list[Source]:
    sources = load_sources()
    wanted = _flatten_ids(ids)
    missing = [i for i in wanted if i not in sources]
    if missing:
        raise KeyError(f"unknown source id(s): {', '.join(missing)}")
    return [sources[i] for i in wanted]


def cite(*ids: Any) -> str:
    """A one-line source credit, e.g.
    "Sources: bne IntelliNews, 2025 (S67); Reuters via China Economic Review, 2024 (S65)."
    Accepts ids, "S37;S38" strings, or lists/tuples of ids (such as a row's source_ids).
    Raises KeyError for an unknown id."""
    found = _lookup(ids)
    if not found:
        raise ValueError("cite() needs at least one source id")
    parts = []
    for s in found:
        when = "" if s.date == "n.d." else f", {s.year}"
        parts.append(f"{s.label}{when} ({s.id})")
    word = "Source" if len(parts) == 1 else "Sources"
    return f"{word}: {'; '.join(parts)}."


def _entry_text(s: Source) -> str:
    bits = [f"{s.publisher} ({'n.d.' if s.date == 'n.d.' else s.date})."]
    bits.append(f"{s.title}.")
    if s.relay_of:
        bits.append(f"Relays {s.relay_of}.")
    if s.stance:
        bits.append(f"Note: {s.stance}.")
    if s.funding:
        bits.append(f"Who is behind it: {s.funding}")
    bits.append(f"[{s.id}; {s.kind}, {s.quality}]")
    return " ".join(bits)


def bibliography_markdown(ids: Iterable[Any]) -> str:
    """A Markdown list of bibliography entries, linked by title, in the order given."""
    lines = []
    for s in _lookup(ids):
        when = "n.d." if s.date == "n.d." else s.date
        line = f"- {s.publisher} ({when}). [{s.title}]({s.url})."
        if s.relay_of:
            line += f" Relays {s.relay_of}."
        if s.stance:
            line += f" Note: {s.stance}."
        if s.funding:
            line += f" Who is behind it: {s.funding}"
        line += f" [{s.id}; {s.kind}, {s.quality}; accessed {s.accessed}]"
        lines.append(line)
    return "\n".join(lines)


def bibliography_html(ids: Iterable[Any]) -> str:
    """An HTML list of bibliography entries (deterministic; safe to store in notebooks)."""
    import html

    items = []
    for s in _lookup(ids):
        e = html.escape
        when = "n.d." if s.date == "n.d." else s.date
        extra = ""
        if s.relay_of:
            extra += f" Relays {e(s.relay_of)}."
        if s.stance:
            extra += f" Note: {e(s.stance)}."
        if s.funding:
            extra += f" Who is behind it: {e(s.funding)}"
        items.append(
            f'<li id="src-{e(s.id)}">{e(s.publisher)} ({e(when)}). '
            f'<a href="{e(s.url, quote=True)}" style="text-decoration:underline">'
            f'{e(s.title)}</a>.{extra} '
            f'<span class="ck-source-meta">[{e(s.id)}; {e(s.kind)}, {e(s.quality)}; accessed {e(s.accessed)}]</span></li>'
        )
    # MathJax classes: a title may hold a "$" (JupyterLab pairs two of them up as maths)
    return ('<ul class="ck-bibliography mathjax_ignore tex2jax_ignore">\n' + "\n".join(items)
            + "\n</ul>")


class FurtherReading:
    """Display object for a lesson's "Further reading": shows as HTML in notebooks (one
    deterministic text/html output), as text elsewhere. `further_reading("S1", "S4")` as the last line of a code cell."""

    def __init__(self, ids: Iterable[Any]):
        self.ids = _flatten_ids(ids)
        _lookup(self.ids)  # fail early on unknown ids

    def _repr_html_(self) -> str:
        return bibliography_html(self.ids)

    def __repr__(self) -> str:
        return "\n".join(_entry_text(s) for s in _lookup(self.ids))


def further_reading(*ids: Any) -> FurtherReading:
    return FurtherReading(ids)
