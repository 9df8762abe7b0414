"""Quiz banks: one TOML file a lesson (assets/quizzes/NN_slug.toml), loaded and validated.

The format is documented for authors in assets/quizzes/README.md. This module only reads and
checks banks; the widgets live in coursekit.quizzes.widgets. It uses the standard library only, so
`python -m coursekit check` can validate banks without importing ipywidgets.

- `read_bank(path)` returns (Bank or None, problems) and never raises for content mistakes.
- `validate_bank(path)` and `validate_all()` return the problems (file, line, reason).
- `load_bank(ref)` returns a valid Bank or raises ContentError; `ref` is "01",
  "01_reading_the_article" or a path.

Display order. A bank lists each question's right answer wherever the author wrote it (often
first). Loading shuffles what the learner sees: the choices of single-choice and multiple-select
questions, the items of sort-into-categories questions, and (unless a `start` is given) the rows of
put-in-order questions. The shuffle is deterministic, seeded from the lesson and the question id
through SHA-256 (never Python's `hash()`, which varies between processes), so two builds give the
same bytes. Letters ("A", "B", ...) are given in display order, so the widgets and the static HTML
(coursekit.quizzes.widgets reads `question.choices` and `question.sort_items` in order) show the same thing.
`shuffle = false` (for a bank, or one question) keeps the file order, for options whose order
carries meaning.

Cue lints (`cue_problems`, run by `validate_all`): across the banks no letter may hold more than
35% of the single-choice keys, and within a bank the key may be the longest option in at most 40%
of the single-choice questions. A learner who notices either pattern can score without reading.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from coursekit.model import paths
from coursekit.model.content import MISCONCEPTION_ID, SOURCE_ID  # one definition of the id formats
from coursekit.quizzes.numbers import UNITS, canonical_units, parse_number, within
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.tomllines import TomlDoc, load as load_toml

TYPES = ("single", "multiple", "numeric", "order", "categories", "reflection")
GRADED_TYPES = TYPES[:-1]
TYPE_NAMES = {
    "single": "single choice",
    "multiple": "multiple select",
    "numeric": "number",
    "order": "put in order",
    "categories": "sort into categories",
    "reflection": "reflection",
}
DEFAULT_TRIES = 2
DEFAULT_REL_TOL = 0.01
SCALES = ("one", "thousand", "million", "billion", "trillion", "percent")
SCALE_FACTOR = {"one": 1.0, **{u: UNITS[u][0] for u in UNITS}}

#: Objectives must start with one of these (observable, checkable) verbs.
MEASURABLE_VERBS = frozenset("""
analyse analyze apply arrange assess calculate categorise categorize check choose cite classify
compare compute construct contrast convert critique decide define describe detect distinguish
estimate evaluate explain find give identify interpret judge justify label list locate match name
order outline place predict rank read recognise recognize relate select sort state summarise
summarize trace use verify weigh write
""".split())

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BANK_FILE = re.compile(r"^(\d{2})_[a-z0-9_]+\.toml$")
LOCAL_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
#: Question ids: the progress store counts "NN.q3"/"NN.q3b" as quiz items, "NN.pre1" as pretests.
QUESTION_ID = re.compile(r"^(?:q[0-9]+[a-z]?|pre[0-9]+)$")
FULL_ID = re.compile(r"^(\d{2})\.([a-z][a-z0-9_-]*)$")
EXERCISE_ID = re.compile(r"^\d{2}\.\d+$")

# Keys: name -> required?
_TOP_KEYS = {"lesson": True, "title": True, "intro": False, "tries": False, "objective": True,
             "question": True, "review": False, "shuffle": False}
_OBJECTIVE_KEYS = {"id": True, "text": True, "exercises": False}
_REVIEW_KEYS = {"items": True}
_COMMON_KEYS = {"id": True, "type": True, "prompt": True, "objectives": True, "explanation": True,
                "sources": False, "tries": False, "review": False, "shuffle": False}
_TYPE_KEYS: dict[str, dict[str, bool]] = {
    "single": {"choice": True},
    "multiple": {"choice": True},
    "numeric": {"answer": False, "rel_tol": False, "abs_tol": False, "scale": False, "units": False,
                "unit_label": False, "currency": False, "wrong": False, "misconception": False},
    "order": {"items": True, "start": False, "wrong": False, "misconception": False},
    "categories": {"categories": True, "item": True},
    "reflection": {},
}
_CHOICE_KEYS = {"text": True, "correct": False, "feedback": True, "misconception": False,
                "sources": False}
_NUMERIC_WRONG_KEYS = {"value": True, "feedback": True, "misconception": False, "sources": False,
                       "rel_tol": False, "abs_tol": False}
_ORDER_WRONG_KEYS = {"order": True, "feedback": True, "misconception": False, "sources": False}
_ITEM_KEYS = {"text": True, "category": True, "feedback": True, "misconception": False,
              "sources": False}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Objective:
    id: str
    text: str
    lesson: str
    exercises: tuple[str, ...] = ()
    line: int = 0

    @property
    def full_id(self) -> str:
        return f"{self.lesson}.{self.id}"


@dataclass(frozen=True)
class Choice:
    """A choice of a single-choice or multiple-select question; also a category item."""

    letter: str
    text: str
    correct: bool
    feedback: str
    misconception: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """An item of a sort-into-categories question."""

    letter: str
    text: str
    category: str
    feedback: str
    misconception: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wrong:
    """An anticipated wrong answer of a numeric (value) or order (order) question."""

    feedback: str
    misconception: str
    sources: tuple[str, ...] = ()
    value: float | None = None
    order: tuple[int, ...] = ()
    rel_tol: float | None = None
    abs_tol: float | None = None


@dataclass(frozen=True)
class Question:
    id: str
    lesson: str
    type: str
    prompt: str
    objectives: tuple[str, ...] = ()  # full ids, "00.o1"
    explanation: str = ""
    sources: tuple[str, ...] = ()
    tries: int = DEFAULT_TRIES
    review: bool = False
    choices: tuple[Choice, ...] = ()
    # numeric
    answer: float | None = None
    rel_tol: float | None = None
    abs_tol: float | None = None
    scale: str = "one"
    units: frozenset[str] = frozenset()
    unit_label: str = ""
    currency: bool = True
    wrongs: tuple[Wrong, ...] = ()
    misconception: str = ""
    # order: items in the correct order; start: 1-based item numbers in display order
    items: tuple[str, ...] = ()
    start: tuple[int, ...] = ()
    # categories
    categories: tuple[str, ...] = ()
    sort_items: tuple[Item, ...] = ()
    line: int = 0

    @property
    def full_id(self) -> str:
        return f"{self.lesson}.{self.id}"

    @property
    def graded(self) -> bool:
        return self.type != "reflection"

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.type]

    def distractors(self) -> list[Any]:
        if self.type in ("single", "multiple"):
            return [c for c in self.choices if not c.correct]
        if self.type == "categories":
            return list(self.sort_items)
        return list(self.wrongs)


@dataclass
class Bank:
    lesson: str
    slug: str
    title: str
    path: Path
    intro: str = ""
    tries: int = DEFAULT_TRIES
    objectives: list[Objective] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    review_items: tuple[str, ...] = ()
    #: the registries the bank was checked against (reused for review items of other banks)
    registries: dict[str, Any] = field(default_factory=dict, repr=False)

    def question(self, qid: str) -> Question:
        """A question of this bank by "q3" or "00.q3"; review items by their full id."""
        local = qid.split(".", 1)[1] if FULL_ID.match(qid) and qid[:2] == self.lesson else qid
        for q in self.questions:
            if q.id == local:
                return q
        if FULL_ID.match(qid):
            other, problems = read_bank(bank_path(qid[:2], self.path.parent), **self.registries)
            if problems or other is None:
                raise ContentError(problems)
            return other.question(qid)
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {qid!r} in {relpath(self.path)} (questions: {known})")

    def review_questions(self) -> list[Question]:
        return [self.question(rid) for rid in self.review_items]

    def objective(self, full_id: str) -> Objective | None:
        for o in self.objectives:
            if o.full_id == full_id:
                return o
        return None


# --------------------------------------------------------------------------------------------
# Finding banks
# --------------------------------------------------------------------------------------------
def bank_paths(folder: Path | None = None) -> list[Path]:
    folder = Path(folder) if folder else paths.QUIZZES
    return sorted(p for p in folder.glob("*.toml") if BANK_FILE.match(p.name))


def bank_path(ref: str | Path, folder: Path | None = None) -> Path:
    """The bank for "01", "01_reading_the_article" or a path. Raises ContentError if missing."""
    if isinstance(ref, Path) or str(ref).endswith(".toml"):
        p = Path(ref)
        if not p.exists():
            raise ContentError([Problem(relpath(p), 1, "quiz bank not found")])
        return p
    folder = Path(folder) if folder else paths.QUIZZES
    ref = str(ref).strip()
    if re.fullmatch(r"\d{2}", ref):
        found = [p for p in bank_paths(folder) if p.name.startswith(ref + "_")]
    else:
        found = [p for p in [folder / f"{ref}.toml"] if p.exists()]
    if len(found) != 1:
        names = ", ".join(p.stem for p in bank_paths(folder)) or "none"
        why = "no quiz bank" if not found else "more than one quiz bank"
        raise ContentError([Problem(relpath(folder), 1, f"{why} for {ref!r} (banks: {names})")])
    return found[0]


# --------------------------------------------------------------------------------------------
# Registries (misconceptions, sources)
# --------------------------------------------------------------------------------------------
def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return str(path), st.st_mtime_ns, st.st_size


@lru_cache(maxsize=8)
def _ids_cached(stamp: tuple[str, int, int], table: str) -> frozenset[str]:
    try:
        data = tomllib.loads(Path(stamp[0]).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset()
    tables = data.get(table)
    if not isinstance(tables, list):
        return frozenset()
    return frozenset(t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str))


def misconception_ids(path: Path | None = None) -> frozenset[str]:
    """Ids in the misconception registry (empty if the file is missing or unreadable)."""
    stamp = _stamp(Path(path) if path else paths.ASSETS / "misconceptions.toml")
    return _ids_cached(stamp, "misconception") if stamp else frozenset()


def source_ids(path: Path | None = None) -> frozenset[str] | None:
    """Ids in the bibliography, or None when sources.toml does not exist (check skipped)."""
    stamp = _stamp(Path(path) if path else paths.ASSETS / "sources.toml")
    return _ids_cached(stamp, "source") if stamp else None


# --------------------------------------------------------------------------------------------
# Reading and validating
# --------------------------------------------------------------------------------------------
class _Reader:
    """Collects problems while turning one bank's TOML into records."""

    def __init__(self, doc: TomlDoc, misconceptions: frozenset[str], sources: frozenset[str] | None):
        self.doc = doc
        self.misconceptions = misconceptions
        self.sources = sources
        self.problems: list[Problem] = []

    def add(self, reason: str, *where: Any) -> None:
        self.problems.append(self.doc.problem(reason, *where))

    def keys(self, record: dict[str, Any], spec: dict[str, bool], label: str, *where: Any) -> None:
        for key, required in spec.items():
            if required and key not in record:
                self.add(f"{label}: missing key {key!r}", *where)
        for key in record:
            if key not in spec:
                self.add(f"{label}: unknown key {key!r} (expected: {', '.join(spec)})", *where, key)

    def text(self, record: dict[str, Any], key: str, label: str, *where: Any) -> str:
        if key not in record:
            return ""
        value = record[key]
        if not isinstance(value, str):
            self.add(f"{label}: {key!r} must be a string", *where, key)
            return ""
        if not value.strip():
            self.add(f"{label}: {key!r} is empty", *where, key)
        return value.strip()

    def flag(self, record: dict[str, Any], key: str, label: str, *where: Any, default: bool = False) -> bool:
        value = record.get(key, default)
        if not isinstance(value, bool):
            self.add(f"{label}: {key!r} must be true or false", *where, key)
            return default
        return value

    def count(self, record: dict[str, Any], key: str, label: str, *where: Any, default: int) -> int:
        value = record.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(f"{label}: {key!r} must be a whole number of at least 1", *where, key)
            return default
        return value

    def strings(self, record: dict[str, Any], key: str, label: str, *where: Any) -> tuple[str, ...]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{label}: {key!r} must be a list of strings", *where, key)
            return ()
        return tuple(v.strip() for v in value)

    def tables(self, record: dict[str, Any], key: str, label: str, *where: Any) -> list[dict[str, Any]]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(f"{label}: write {key!r} entries as [[...{key}]] tables", *where, key)
            return []
        return value

    def source_list(self, record: dict[str, Any], label: str, *where: Any) -> tuple[str, ...]:
        ids = self.strings(record, "sources", label, *where)
        for sid in ids:
            if not SOURCE_ID.match(sid):
                self.add(f"{label}: malformed source id {sid!r} (expected \"S<n>\" or \"X<n>\")",
                         *where, "sources")
            elif self.sources is not None and sid not in self.sources:
                self.add(f"{label}: unknown source id {sid!r} (not in assets/sources.toml)",
                         *where, "sources")
        if len(set(ids)) != len(ids):
            self.add(f"{label}: a source id is listed twice", *where, "sources")
        return ids

    def misconception(self, record: dict[str, Any], label: str, *where: Any, required: bool) -> str:
        if "misconception" not in record:
            if required:
                self.add(f"{label}: a distractor must name a misconception id from "
                         f"assets/misconceptions.toml (key 'misconception')", *where)
            return ""
        mid = self.text(record, "misconception", label, *where)
        if not mid:
            return ""
        if not MISCONCEPTION_ID.match(mid):
            self.add(f"{label}: malformed misconception id {mid!r} (kebab-case)", *where, "misconception")
        elif mid not in self.misconceptions:
            self.add(f"{label}: unknown misconception id {mid!r} (not in assets/misconceptions.toml)",
                     *where, "misconception")
        return mid

    def number(self, record: dict[str, Any], key: str, label: str, *where: Any) -> float | None:
        value = record.get(key)
        if isinstance(value, bool):
            value = None
        elif isinstance(value, (int, float)):
            return float(value)
        elif isinstance(value, str):
            parsed = parse_number(value)
            if parsed.ok:
                return parsed.value
            self.add(f"{label}: {key} {value!r} is not a number the course can read: "
                     f"{parsed.message}", *where, key)
            return None
        self.add(f"{label}: {key} {value!r} is not a number", *where, key)
        return None

    def tolerance(self, record: dict[str, Any], label: str, *where: Any) -> tuple[float | None, float | None]:
        rel = abs_ = None
        if "rel_tol" in record and "abs_tol" in record:
            self.add(f"{label}: give either rel_tol or abs_tol, not both", *where, "abs_tol")
        if "rel_tol" in record:
            rel = self.number(record, "rel_tol", label, *where)
            if rel is not None and not 0 <= rel < 1:
                self.add(f"{label}: rel_tol must be a fraction from 0 to 1 (0.01 is 1 %)", *where, "rel_tol")
                rel = None
        if "abs_tol" in record:
            abs_ = self.number(record, "abs_tol", label, *where)
            if abs_ is not None and abs_ < 0:
                self.add(f"{label}: abs_tol must not be negative", *where, "abs_tol")
                abs_ = None
        return rel, abs_


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _first_word(text: str) -> str:
    match = re.match(r"[^\w]*([\w'-]+)", text)
    return match.group(1).casefold() if match else ""


@lru_cache(maxsize=32)
def _peek(stamp: tuple[str, int, int]) -> tuple[frozenset[str], frozenset[str]]:
    """Objective ids and question ids of a bank (for cross-bank references), without checks."""
    try:
        data = tomllib.loads(Path(stamp[0]).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset(), frozenset()

    def ids(name: str) -> frozenset[str]:
        tables = data.get(name, [])
        if not isinstance(tables, list):
            return frozenset()
        return frozenset(t["id"] for t in tables if isinstance(t, dict) and isinstance(t.get("id"), str))

    return ids("objective"), ids("question")


def _other_bank(folder: Path, lesson: str) -> tuple[frozenset[str], frozenset[str]] | None:
    found = [p for p in bank_paths(folder) if p.name.startswith(lesson + "_")]
    if len(found) != 1:
        return None
    stamp = _stamp(found[0])
    return _peek(stamp) if stamp else None


def read_bank(path: Path, *, misconceptions: Iterable[str] | None = None,
              sources: Iterable[str] | None | bool = True,
              shuffle: bool = True) -> tuple[Bank | None, list[Problem]]:
    """Read and check one bank. `misconceptions` and `sources` default to the course registries
    (assets/misconceptions.toml, assets/sources.toml); pass sets to check against others, or
    sources=None to skip the source check. `shuffle=False` keeps every question in file order
    (the tests use it to show what the cue lints catch)."""
    path = Path(path)
    try:
        doc = load_toml(path, facts=True)
    except ContentError as exc:
        return None, list(exc.problems)
    except OSError as exc:
        return None, [Problem(relpath(path), 1, f"cannot read quiz bank: {exc.strerror}")]
    mis = frozenset(misconceptions) if misconceptions is not None else misconception_ids()
    if sources is True:
        src: frozenset[str] | None = source_ids()
    else:
        src = frozenset(sources) if sources is not None and sources is not False else None
    r = _Reader(doc, mis, src)
    data = doc.data

    r.keys(data, _TOP_KEYS, "bank")
    match = BANK_FILE.match(path.name)
    if not match:
        r.add("file name must look like NN_slug.toml (two digits, then a lowercase slug)")
    lesson = data.get("lesson")
    if not isinstance(lesson, str) or not re.fullmatch(r"\d{2}", lesson or ""):
        if "lesson" in data:
            r.add(f"lesson {lesson!r} must be two digits in quotes, like \"01\"", "lesson")
        lesson = match.group(1) if match else "00"
    elif match and lesson != match.group(1):
        r.add(f"lesson {lesson!r} does not match the file name {path.name!r}", "lesson")
    title = r.text(data, "title", "bank", "title")
    intro = r.text(data, "intro", "bank", "intro")
    tries = r.count(data, "tries", "bank", "tries", default=DEFAULT_TRIES) if "tries" in data else DEFAULT_TRIES
    bank_shuffle = r.flag(data, "shuffle", "bank", default=True) and shuffle

    # Objectives -------------------------------------------------------------------------------
    objectives: list[Objective] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(r.tables(data, "objective", "bank")):
        where = ("objective", i)
        oid = rec.get("id")
        label = f"objective {oid if isinstance(oid, str) else '#' + str(i + 1)}"
        r.keys(rec, _OBJECTIVE_KEYS, label, *where)
        if "id" in rec and (not isinstance(oid, str) or not LOCAL_ID.match(oid)):
            r.add(f"{label}: malformed id {oid!r} (lowercase letters and digits, like \"o1\")", *where, "id")
            oid = None
        elif isinstance(oid, str) and oid in seen:
            r.add(f"duplicate objective id {oid!r} (first at line {seen[oid]})", *where, "id")
            oid = None
        elif isinstance(oid, str):
            seen[oid] = doc.line(*where, "id")
        text = r.text(rec, "text", label, *where)
        verb = _first_word(text)
        if text and verb not in MEASURABLE_VERBS:
            r.add(f"{label}: start with a measurable verb such as Explain, Identify, Compute or "
                  f"Compare (not {verb.capitalize()!r}), so that a question can show it was met",
                  *where, "text")
        exercises = r.strings(rec, "exercises", label, *where)
        for ex in exercises:
            if not EXERCISE_ID.match(ex):
                r.add(f"{label}: malformed exercise id {ex!r} (like \"05.2\")", *where, "exercises")
        if isinstance(oid, str) and oid:
            objectives.append(Objective(oid, text, lesson, exercises, doc.line(*where)))
    if isinstance(data.get("objective"), list) and not data["objective"]:
        r.add("bank: declare at least one [[objective]]", "objective")
    local_objectives = {o.id for o in objectives}

    # Questions --------------------------------------------------------------------------------
    questions: list[Question] = []
    qseen: dict[str, int] = {}
    assessed: set[str] = set()
    for i, rec in enumerate(r.tables(data, "question", "bank")):
        q = _read_question(r, rec, i, lesson, tries, local_objectives, path.parent, qseen, assessed,
                           bank_shuffle)
        if q is not None:
            questions.append(q)
    if "question" in data and not data.get("question"):
        r.add("bank: add at least one [[question]]", "question")

    for o in objectives:
        if o.full_id not in assessed and not o.exercises:
            r.add(f"objective {o.id}: no question assesses it (name it in a question's objectives, "
                  f"or list the exercises that do: exercises = [\"{lesson}.1\"])", "objective",
                  objectives.index(o))

    # Review items from earlier lessons ---------------------------------------------------------
    review: list[str] = []
    if "review" in data:
        rv = data["review"]
        if not isinstance(rv, dict):
            r.add("review: write it as a [review] table with items = [\"01.q2\"]", "review")
        else:
            r.keys(rv, _REVIEW_KEYS, "review", "review")
            for rid in r.strings(rv, "items", "review", "review"):
                m = FULL_ID.match(rid)
                if not m:
                    r.add(f"review: malformed item {rid!r} (lesson and question id, like \"01.q2\")",
                          "review", "items")
                    continue
                if m.group(1) >= lesson:
                    r.add(f"review: {rid!r} is not from an earlier lesson", "review", "items")
                    continue
                other = _other_bank(path.parent, m.group(1))
                if other is None:
                    r.add(f"review: no quiz bank for lesson {m.group(1)} (item {rid!r})", "review", "items")
                elif m.group(2) not in other[1]:
                    r.add(f"review: unknown question {rid!r} (not in lesson {m.group(1)}'s bank)",
                          "review", "items")
                elif rid in review:
                    r.add(f"review: {rid!r} is listed twice", "review", "items")
                else:
                    review.append(rid)

    bank = Bank(lesson=lesson, slug=path.stem, title=title, path=path, intro=intro, tries=tries,
                objectives=objectives, questions=questions, review_items=tuple(review),
                registries={"misconceptions": mis, "sources": src})
    return bank, sorted(set(r.problems))


def _read_question(r: _Reader, rec: dict[str, Any], i: int, lesson: str, bank_tries: int,
                   local_objectives: set[str], folder: Path, qseen: dict[str, int],
                   assessed: set[str], bank_shuffle: bool = True) -> Question | None:
    doc = r.doc
    where = ("question", i)
    qid = rec.get("id")
    label = f"question {qid if isinstance(qid, str) else '#' + str(i + 1)}"
    qtype = rec.get("type")
    if qtype not in TYPES:
        if "type" in rec:
            r.add(f"{label}: unknown type {qtype!r} (expected one of: {', '.join(TYPES)})", *where, "type")
        else:
            r.add(f"{label}: missing key 'type' (one of: {', '.join(TYPES)})", *where)
        return None
    spec = dict(_COMMON_KEYS)
    spec.update(_TYPE_KEYS[qtype])
    if qtype == "reflection":
        spec["objectives"] = spec["explanation"] = False
    r.keys(rec, spec, label, *where)
    ok = True
    if "id" in rec and (not isinstance(qid, str) or not QUESTION_ID.match(qid)):
        r.add(f"{label}: malformed id {qid!r} (like \"q1\", \"q2b\", or \"pre1\" for a pretest; "
              f"the progress store counts items by these ids)", *where, "id")
        ok = False
    elif isinstance(qid, str) and qid in qseen:
        r.add(f"duplicate question id {qid!r} (first at line {qseen[qid]})", *where, "id")
        ok = False
    elif isinstance(qid, str):
        qseen[qid] = doc.line(*where, "id")
    else:
        ok = False
    prompt = r.text(rec, "prompt", label, *where)
    explanation = r.text(rec, "explanation", label, *where)
    sources = r.source_list(rec, label, *where)
    tries = r.count(rec, "tries", label, *where, default=bank_tries) if "tries" in rec else bank_tries
    review = r.flag(rec, "review", label, *where)

    # objectives: local ids ("o1") or, in review questions, earlier lessons' full ids ("01.o2")
    objectives: list[str] = []
    earlier = False
    for ref in r.strings(rec, "objectives", label, *where):
        m = FULL_ID.match(ref)
        if LOCAL_ID.match(ref):
            if ref not in local_objectives:
                r.add(f"{label}: unknown objective {ref!r} (declared: {', '.join(sorted(local_objectives)) or 'none'})",
                      *where, "objectives")
                continue
            objectives.append(f"{lesson}.{ref}")
        elif m and m.group(1) == lesson:
            if m.group(2) not in local_objectives:
                r.add(f"{label}: unknown objective {ref!r}", *where, "objectives")
                continue
            objectives.append(ref)
        elif m:
            if m.group(1) > lesson:
                r.add(f"{label}: objective {ref!r} is from a later lesson", *where, "objectives")
                continue
            other = _other_bank(folder, m.group(1))
            if other is None or m.group(2) not in other[0]:
                r.add(f"{label}: unknown objective {ref!r} (not declared in lesson {m.group(1)}'s bank)",
                      *where, "objectives")
                continue
            if not review:
                r.add(f"{label}: objective {ref!r} is from an earlier lesson; mark the question "
                      f"review = true", *where, "objectives")
            earlier = True
            objectives.append(ref)
        else:
            r.add(f"{label}: malformed objective reference {ref!r} (like \"o1\" or \"01.o2\")",
                  *where, "objectives")
    if qtype != "reflection" and "objectives" in rec and not objectives and \
            not any(p.line == doc.line(*where, "objectives") for p in r.problems):
        r.add(f"{label}: name at least one objective this question assesses", *where, "objectives")
    if review and not earlier and objectives:
        r.add(f"{label}: a review question should name an objective of an earlier lesson, like \"01.o2\"",
              *where, "review")

    if qtype != "reflection":
        assessed.update(objectives)  # even if the question has other problems: no knock-on errors
    reader = {"single": _choices, "multiple": _choices, "numeric": _numeric, "order": _order,
              "categories": _categories, "reflection": lambda *a: {}}[qtype]
    fields = reader(r, rec, label, where, qtype)
    _check_distinct_feedback(r, rec, label, where, qtype)
    shuffle = r.flag(rec, "shuffle", label, *where, default=True) and bank_shuffle
    if not ok:
        return None
    if shuffle:
        fields = _shuffled(fields, qtype, lesson, qid, has_start="start" in rec)
    return Question(id=qid, lesson=lesson, type=qtype, prompt=prompt, objectives=tuple(objectives),
                    explanation=explanation, sources=sources, tries=tries, review=review,
                    line=doc.line(*where), **fields)


def _choices(r: _Reader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    choices: list[Choice] = []
    texts: dict[str, int] = {}
    tables = r.tables(rec, "choice", label, *where)
    if len(tables) > len(LETTERS):
        r.add(f"{label}: at most {len(LETTERS)} choices", *where, "choice")
        tables = tables[: len(LETTERS)]
    for j, c in enumerate(tables):
        cw = (*where, "choice", j)
        clabel = f"{label}, choice {LETTERS[j]}"
        r.keys(c, _CHOICE_KEYS, clabel, *cw)
        text = r.text(c, "text", clabel, *cw)
        correct = r.flag(c, "correct", clabel, *cw)
        feedback = r.text(c, "feedback", clabel, *cw)
        mis = r.misconception(c, clabel, *cw, required=not correct)
        srcs = r.source_list(c, clabel, *cw)
        if text and _norm(text) in texts:
            r.add(f"{clabel}: same text as choice {LETTERS[texts[_norm(text)]]}", *cw, "text")
        texts.setdefault(_norm(text), j)
        choices.append(Choice(LETTERS[j], text, correct, feedback, mis, srcs))
    n_correct = sum(c.correct for c in choices)
    if "choice" in rec:
        if len(choices) < 2:
            r.add(f"{label}: give at least two choices", *where, "choice")
        if n_correct == 0:
            r.add(f"{label}: no correct answer (mark one choice correct = true)", *where)
        elif qtype == "single" and n_correct > 1:
            r.add(f"{label}: {n_correct} choices are marked correct; a single-choice question has "
                  f"exactly one (use type = \"multiple\" for more)", *where)
        if qtype == "multiple" and choices and n_correct == len(choices):
            r.add(f"{label}: every choice is correct; add at least one distractor", *where)
    return {"choices": tuple(choices)}


def _numeric(r: _Reader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    answer = None
    if "answer" not in rec:
        r.add(f"{label}: no correct answer (key 'answer')", *where)
    else:
        answer = r.number(rec, "answer", label, *where)
    rel, abs_ = r.tolerance(rec, label, *where)
    if answer == 0 and abs_ is None:
        r.add(f"{label}: an answer of 0 needs an absolute tolerance (abs_tol)", *where, "answer")
    scale = rec.get("scale", "one")
    if scale not in SCALES:
        r.add(f"{label}: unknown scale {scale!r} (expected one of: {', '.join(SCALES)})", *where, "scale")
        scale = "one"
    units: frozenset[str] = frozenset()
    names = r.strings(rec, "units", label, *where)
    try:
        units = canonical_units(names)
    except ValueError as exc:
        r.add(f"{label}: {exc}", *where, "units")
    if "percent" in units and scale != "percent":
        r.add(f"{label}: the unit 'percent' only fits scale = \"percent\"", *where, "units")
    if scale == "percent" and units - {"percent"}:
        r.add(f"{label}: a percent question allows only the unit 'percent'", *where, "units")
    unit_label = r.text(rec, "unit_label", label, *where)
    currency = r.flag(rec, "currency", label, *where, default=True)
    mis = r.misconception(rec, label, *where, required=False)
    wrongs: list[Wrong] = []
    for j, w in enumerate(r.tables(rec, "wrong", label, *where)):
        ww = (*where, "wrong", j)
        wl = f"{label}, wrong answer {j + 1}"
        r.keys(w, _NUMERIC_WRONG_KEYS, wl, *ww)
        value = r.number(w, "value", wl, *ww) if "value" in w else None
        feedback = r.text(w, "feedback", wl, *ww)
        wmis = r.misconception(w, wl, *ww, required=True)
        srcs = r.source_list(w, wl, *ww)
        wrel, wabs = r.tolerance(w, wl, *ww)
        if value is not None and answer is not None and within(value, answer, rel_tol=rel, abs_tol=abs_):
            r.add(f"{wl}: {value:g} counts as correct within the answer's tolerance", *ww, "value")
        wrongs.append(Wrong(feedback, wmis, srcs, value=value, rel_tol=wrel, abs_tol=wabs))
    return {"answer": answer, "rel_tol": rel, "abs_tol": abs_, "scale": scale, "units": units,
            "unit_label": unit_label, "currency": currency, "wrongs": tuple(wrongs), "misconception": mis}


def _permutation(r: _Reader, value: Any, n: int, label: str, *where: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value) \
            or sorted(value) != list(range(1, n + 1)):
        r.add(f"{label}: must list each item number 1..{n} once, like {list(range(n, 0, -1))}", *where)
        return ()
    return tuple(value)


def display_order(lesson: str, qid: str, n: int) -> tuple[int, ...]:
    """A deterministic shuffle of range(n) for question `qid` of `lesson`: positions are sorted by
    the SHA-256 of "<lesson>.<qid>/<position>", so the order depends only on the lesson, the
    question id and the number of options (not on the Python process, nor on the options' text)."""
    def key(i: int) -> bytes:
        return hashlib.sha256(f"{lesson}.{qid}/{i}".encode("utf-8")).digest()
    return tuple(sorted(range(n), key=key))


def shuffled_start(lesson: str, qid: str, n: int) -> tuple[int, ...]:
    """Display order (1-based item numbers) of a put-in-order question: the seeded shuffle, never
    the correct order itself (turned by one place if the shuffle happens to give it)."""
    order = tuple(i + 1 for i in display_order(lesson, qid, n))
    if order == tuple(range(1, n + 1)) and n > 1:
        order = order[1:] + order[:1]
    return order


def _shuffled(fields: dict[str, Any], qtype: str, lesson: str, qid: str, *,
              has_start: bool) -> dict[str, Any]:
    """The question's options in display order, lettered A, B, ... in that order."""
    fields = dict(fields)
    if qtype in ("single", "multiple") and fields.get("choices"):
        choices = fields["choices"]
        order = display_order(lesson, qid, len(choices))
        fields["choices"] = tuple(replace(choices[i], letter=LETTERS[pos])
                                  for pos, i in enumerate(order))
    elif qtype == "categories" and fields.get("sort_items"):
        items = fields["sort_items"]
        order = display_order(lesson, qid, len(items))
        fields["sort_items"] = tuple(replace(items[i], letter=LETTERS[pos])
                                     for pos, i in enumerate(order))
    elif qtype == "order" and not has_start and len(fields.get("items", ())) >= 2:
        fields["start"] = shuffled_start(lesson, qid, len(fields["items"]))
    return fields


def default_start(items: tuple[str, ...]) -> tuple[int, ...]:
    """Display order when a bank gives none and does not shuffle (`shuffle = false`): alphabetical
    by text; reversed if alphabetical happens to be the correct order."""
    order = tuple(sorted(range(1, len(items) + 1), key=lambda k: (_norm(items[k - 1]), k)))
    if order == tuple(range(1, len(items) + 1)):
        order = order[::-1]
    return order


def _order(r: _Reader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    items = r.strings(rec, "items", label, *where)
    if "items" in rec and len(items) < 2:
        r.add(f"{label}: no correct answer: list at least two items, in the correct order", *where, "items")
    if any(not t for t in items):
        r.add(f"{label}: an item is empty", *where, "items")
    if len({_norm(t) for t in items}) != len(items):
        r.add(f"{label}: two items have the same text", *where, "items")
    n = len(items)
    identity = tuple(range(1, n + 1))
    start: tuple[int, ...] = ()
    if "start" in rec:
        start = _permutation(r, rec["start"], n, f"{label}: start", *where, "start")
        if start == identity and n > 1:
            r.add(f"{label}: start shows the items already in the correct order", *where, "start")
    elif n >= 2:
        start = default_start(items)
    mis = r.misconception(rec, label, *where, required=False)
    wrongs: list[Wrong] = []
    for j, w in enumerate(r.tables(rec, "wrong", label, *where)):
        ww = (*where, "wrong", j)
        wl = f"{label}, wrong order {j + 1}"
        r.keys(w, _ORDER_WRONG_KEYS, wl, *ww)
        order = _permutation(r, w.get("order"), n, f"{wl}: order", *ww, "order") if "order" in w else ()
        if order and order == identity:
            r.add(f"{wl}: this is the correct order", *ww, "order")
        feedback = r.text(w, "feedback", wl, *ww)
        wmis = r.misconception(w, wl, *ww, required=True)
        srcs = r.source_list(w, wl, *ww)
        wrongs.append(Wrong(feedback, wmis, srcs, order=order))
    return {"items": items, "start": start, "wrongs": tuple(wrongs), "misconception": mis}


def _categories(r: _Reader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    cats = r.strings(rec, "categories", label, *where)
    if "categories" in rec and len(cats) < 2:
        r.add(f"{label}: give at least two categories", *where, "categories")
    if len({_norm(c) for c in cats}) != len(cats):
        r.add(f"{label}: two categories have the same name", *where, "categories")
    items: list[Item] = []
    texts: dict[str, int] = {}
    tables = r.tables(rec, "item", label, *where)
    if len(tables) > len(LETTERS):
        r.add(f"{label}: at most {len(LETTERS)} items", *where, "item")
        tables = tables[: len(LETTERS)]
    for j, it in enumerate(tables):
        iw = (*where, "item", j)
        il = f"{label}, item {LETTERS[j]}"
        r.keys(it, _ITEM_KEYS, il, *iw)
        text = r.text(it, "text", il, *iw)
        cat = r.text(it, "category", il, *iw)
        if "category" in it and cat and cat not in cats:
            r.add(f"{il}: no correct answer: category {cat!r} is not one of {list(cats)}", *iw, "category")
        feedback = r.text(it, "feedback", il, *iw)
        mis = r.misconception(it, il, *iw, required=True)
        srcs = r.source_list(it, il, *iw)
        if text and _norm(text) in texts:
            r.add(f"{il}: same text as item {LETTERS[texts[_norm(text)]]}", *iw, "text")
        texts.setdefault(_norm(text), j)
        items.append(Item(LETTERS[j], text, cat, feedback, mis, srcs))
    if "item" in rec and len(items) < 2:
        r.add(f"{label}: give at least two items to sort", *where, "item")
    return {"categories": cats, "sort_items": tuple(items)}


def _check_distinct_feedback(r: _Reader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> None:
    """Two distractors of one question must not share their feedback: each diagnoses its own
    mistake."""
    key = {"single": "choice", "multiple": "choice", "numeric": "wrong", "order": "wrong",
           "categories": "item"}.get(qtype)
    if not key or not isinstance(rec.get(key), list):
        return
    seen: dict[str, int] = {}
    for j, t in enumerate(rec[key]):
        if not isinstance(t, dict) or t.get("correct") is True:
            continue
        fb = t.get("feedback")
        if not isinstance(fb, str) or not fb.strip():
            continue
        norm = _norm(fb)
        if norm in seen:
            r.add(f"{label}: two distractors share the same feedback (see line {seen[norm]}); "
                  f"each should explain its own mistake", *where, key, j, "feedback")
        else:
            seen[norm] = r.doc.line(*where, key, j, "feedback")


def validate_bank(path: Path, *, misconceptions: Iterable[str] | None = None,
                  sources: Iterable[str] | None | bool = True) -> list[Problem]:
    """Every problem in one bank, with file, line and reason (empty list: the bank is fine)."""
    return read_bank(path, misconceptions=misconceptions, sources=sources)[1]


# --------------------------------------------------------------------------------------------
# Cue lints: patterns that let a learner score without reading
# --------------------------------------------------------------------------------------------
MAX_KEY_LETTER_SHARE = 0.35   # no letter holds more than this share of single-choice keys
MIN_KEYS_FOR_BALANCE = 10     # fewer keys than this cannot show a pattern
MAX_LONGEST_KEY_SHARE = 0.40  # per bank: the key may be the longest option this often at most


def _length(text: str) -> int:
    return len(" ".join(text.replace("`", "").split()))


def key_is_longest(q: Question) -> bool:
    """True when a single-choice question's key is at least as long as every distractor."""
    key = [c for c in q.choices if c.correct]
    others = [_length(c.text) for c in q.choices if not c.correct]
    return bool(key and others) and _length(key[0].text) >= max(others)


def key_letters(banks: Iterable[Bank]) -> Counter:
    """How many single-choice keys each displayed letter holds, over the banks' own questions."""
    return Counter(c.letter for b in banks for q in b.questions if q.type == "single"
                   for c in q.choices if c.correct)


def key_length_problems(bank: Bank) -> list[Problem]:
    """One problem when the key is the longest option in more than 40% of the bank's
    single-choice questions; it names the questions."""
    singles = [q for q in bank.questions if q.type == "single"]
    longest = [q for q in singles if key_is_longest(q)]
    if not singles or len(longest) <= MAX_LONGEST_KEY_SHARE * len(singles):
        return []
    allowed = int(MAX_LONGEST_KEY_SHARE * len(singles))
    names = ", ".join(q.id for q in longest)
    return [Problem(relpath(bank.path), longest[0].line,
                    f"the key is the longest option in {len(longest)} of {len(singles)} single-choice "
                    f"questions ({len(longest) / len(singles):.0%}; at most "
                    f"{MAX_LONGEST_KEY_SHARE:.0%}, here {allowed}): {names}. Shorten the key, or "
                    f"make a distractor as full (a real mistake, with its reason)")]


def key_letter_problems(banks: list[Bank], where: Path) -> list[Problem]:
    """One problem when a letter holds more than 35% of the single-choice keys of `banks`."""
    counts = key_letters(banks)
    total = sum(counts.values())
    if total < MIN_KEYS_FOR_BALANCE:
        return []
    letter, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    if n <= MAX_KEY_LETTER_SHARE * total:
        return []
    spread = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return [Problem(relpath(where), 1,
                    f"letter {letter} holds {n} of {total} single-choice keys ({n / total:.0%}; at "
                    f"most {MAX_KEY_LETTER_SHARE:.0%}); keys by letter: {spread}. Keep the banks "
                    f"shuffled (no `shuffle = false`), and give questions three or more options")]


def cue_problems(banks: list[Bank], where: Path) -> list[Problem]:
    """The cue lints over loaded banks (`where`: the folder, named in a course-wide problem)."""
    problems = key_letter_problems(banks, where)
    for b in banks:
        problems += key_length_problems(b)
    return problems


def validate_all(folder: Path | None = None, *, cues: bool = True, **kw: Any) -> list[Problem]:
    """Problems in every bank under assets/quizzes (or `folder`), and (unless cues=False) the cue
    lints over the banks that load."""
    problems: list[Problem] = []
    banks: list[Bank] = []
    for p in bank_paths(folder):
        bank, found = read_bank(p, **kw)
        problems.extend(found)
        if bank is not None:
            banks.append(bank)
    folder = Path(folder) if folder else paths.QUIZZES
    if cues:
        problems.extend(cue_problems(banks, folder))
    for p in sorted(folder.glob("*.toml")):
        if not BANK_FILE.match(p.name):
            problems.append(Problem(relpath(p), 1, "file name must look like NN_slug.toml"))
    return sorted(set(problems))


def load_bank(ref: str | Path, *, folder: Path | None = None) -> Bank:
    """A valid bank for "01", "01_slug" or a path; raises ContentError listing every problem."""
    path = bank_path(ref, folder)
    bank, problems = read_bank(path)
    if problems or bank is None:
        raise ContentError(problems)
    return bank
