"""Quiz bank records: what a loaded bank holds (objectives, questions, pretests) and the
constants of the format (assets/quizzes/README.md). Plain frozen data, standard library only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit.model.problems import ContentError, relpath
from coursekit.quizzes.numbers import UNITS

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
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

BANK_FILE = re.compile(r"^(\d{2})_[a-z0-9_]+\.toml$")
LOCAL_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
#: Item ids: the progress store counts "NN.q3"/"NN.q3b" as quiz items, "NN.pre1" as pretests
#: (coursekit.progress.fields builds its item patterns from these two).
QUESTION_LOCAL = r"q[0-9]+[a-z]?"
PRETEST_LOCAL = r"pre[0-9]+"
QUESTION_ID = re.compile(rf"^{QUESTION_LOCAL}$")
PRETEST_ID = re.compile(rf"^{PRETEST_LOCAL}$")
FULL_ID = re.compile(r"^(\d{2})\.([a-z][a-z0-9_-]*)$")
EXERCISE_ID = re.compile(r"^\d{2}\.\d+$")


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



@dataclass(frozen=True)
class Pretest:
    """An opening question, asked before the lesson teaches its answer (item "NN.preK").
    The learner's guess is saved, never graded; `options` empty means a free-text guess."""

    id: str
    lesson: str
    prompt: str
    options: tuple[str, ...] = ()
    line: int = 0

    @property
    def full_id(self) -> str:
        return f"{self.lesson}.{self.id}"


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
    pretests: list[Pretest] = field(default_factory=list)
    #: the registries the bank was checked against (reused for review items of other banks)
    registries: dict[str, Any] = field(default_factory=dict, repr=False)

    def question(self, qid: str) -> Question:
        """A question of this bank by "q3" or "00.q3"; review items by their full id."""
        local = qid.split(".", 1)[1] if FULL_ID.match(qid) and qid[:2] == self.lesson else qid
        for q in self.questions:
            if q.id == local:
                return q
        if FULL_ID.match(qid):
            from coursekit.quizzes.bank import bank_path, read_bank

            other, problems = read_bank(bank_path(qid[:2], self.path.parent), **self.registries)
            if problems or other is None:
                raise ContentError(problems)
            return other.question(qid)
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {qid!r} in {relpath(self.path)} (questions: {known})")

    def pretest(self, pid: str) -> Pretest:
        """A pretest of this bank by "pre1" or "02.pre1"."""
        local = pid.split(".", 1)[1] if FULL_ID.match(pid) and pid[:2] == self.lesson else pid
        for p in self.pretests:
            if p.id == local:
                return p
        known = ", ".join(p.id for p in self.pretests) or "none"
        raise KeyError(f"no pretest {pid!r} in {relpath(self.path)} (pretests: {known})")

    def review_questions(self) -> list[Question]:
        return [self.question(rid) for rid in self.review_items]

    def objective(self, full_id: str) -> Objective | None:
        for o in self.objectives:
            if o.full_id == full_id:
                return o
        return None
