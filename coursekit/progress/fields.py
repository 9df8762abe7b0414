"""What one progress event is: its fields, the kinds and items it may name, and their checks.

Standard library only (plus the course's list of lessons), so the store, the export files and the
report all check events by the same rules.
- The lessons are the course's one list (course.toml, via coursekit.model.course): an event of any
  other lesson is refused, and `python -m coursekit check` refuses course files of an unlisted
  lesson, so a new lesson cannot silently record nothing.
- An item id says what it is: "01.q3" a quiz question, "01.2" an exercise, "01.pre1" a pretest.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from typing import Any

from coursekit.model import course
from coursekit.model.safetext import clean_text, safe_str
from coursekit.quizzes.records import PRETEST_LOCAL, QUESTION_LOCAL

APP = "ai-under-sanctions"
SCHEMA = 2  # schema version of both the database (user_version) and the export files
APPLICATION_ID = 0x41495553  # "AIUS": tells our file from any other SQLite file
KINDS = ("attempt", "reflection", "rating", "view")  # the kinds of event, in the database too
LESSONS = course.lesson_ids()  # the course's one list of lessons (course.toml)
FIELDS = ("id", "kind", "lesson", "item", "correct", "misconception", "answer", "learner", "ts")

MAX_ANSWER_CHARS = 1_000_000  # the stored JSON text of one answer (and of one imported answer)
MAX_TEXT_CHARS = 100_000  # free text kept whole (a reflection, a brief): about 15,000 words
MAX_SNAPSHOT_CHARS = 20_000  # any other answer is kept as a snapshot of at most about this size
MAX_SNAPSHOT_DEPTH = 20

ID_RE = re.compile(r"[0-9a-f]{32}")
_ITEM_RE = re.compile(r"[0-9]{2}\.[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
QUIZ_ITEM_RE = re.compile(rf"[0-9]{{2}}\.{QUESTION_LOCAL}")  # the bank's question ids
EXERCISE_ITEM_RE = re.compile(r"[0-9]{2}\.[0-9]+([a-z]|\.[0-9]+)?")
PRETEST_ITEM_RE = re.compile(rf"[0-9]{{2}}\.{PRETEST_LOCAL}")  # the bank's pretest ids


class EventError(ValueError):
    """An event field is missing or wrong; the message says which and why."""


class TextTooLong(EventError):
    """Free text to be kept whole is over MAX_TEXT_CHARS; the message says so in plain words."""

    def __init__(self, length: int):
        self.length = length
        super().__init__(f"the text is {length:,} characters long, over the limit of "
                         f"{MAX_TEXT_CHARS:,} characters (about 15,000 words): shorten it and "
                         "save again")


def item_type(item: str) -> str:
    """'quiz' (01.q3), 'exercise' (01.2), 'pretest' (01.pre1) or 'other'."""
    if QUIZ_ITEM_RE.fullmatch(item):
        return "quiz"
    if EXERCISE_ITEM_RE.fullmatch(item):
        return "exercise"
    if PRETEST_ITEM_RE.fullmatch(item):
        return "pretest"
    return "other"


# ---------------------------------------------------------------------------------------------
# Time


def now_utc() -> str:
    """UTC time as ISO 8601 with microseconds and a Z, so string order is time order."""
    return _iso_z(datetime.now(timezone.utc))


def _iso_z(moment: datetime) -> str:
    """isoformat, not strftime: strftime('%Y') drops the zero padding of years before 1000."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace(
        "+00:00", "Z")


def normalise_ts(value: Any) -> str:
    """An ISO 8601 time with a time zone, as UTC in the stored spelling; raises EventError."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        raise EventError("'ts' must be an ISO 8601 time such as 2026-05-01T12:00:00Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise EventError(f"'ts' is not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise EventError(f"'ts' has no time zone (expected UTC, ending in Z): {value!r}")
    try:
        return _iso_z(moment)
    except (OverflowError, ValueError):
        raise EventError(f"'ts' is out of range: {value!r}") from None


# ---------------------------------------------------------------------------------------------
# Fields


def check_text(name: str, value: Any, max_len: int, *, allow_none: bool) -> str | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise EventError(f"'{name}' must be text, not {type(value).__name__}")
    if not 1 <= len(value) <= max_len:
        raise EventError(f"'{name}' must be 1 to {max_len} characters long")
    if _CONTROL_RE.search(value):
        raise EventError(f"'{name}' contains control characters")
    return value


def check_learner(value: Any) -> str:
    """A pseudonymous learner id: printable text, 1 to 64 characters."""
    if isinstance(value, str):
        value = value.strip()
    return check_text("learner", value, 64, allow_none=False)  # type: ignore[return-value]


_FORMULA_STARTS = ("=", "+", "-", "@")


def check_new_name(value: Any) -> str:
    """A name or pseudonym a learner chooses for the teacher's report, in normal form; raises
    EventError in plain words. Stricter than check_learner (which also reads exports):
    no invisible control or text-direction characters (they can make one name look like
    another in a report), and no leading = + - @ (a spreadsheet would run it as a formula)."""
    if not isinstance(value, str):
        raise EventError(f"a name must be text, not {type(value).__name__}")
    text = unicodedata.normalize("NFC", " ".join(clean_text(str.__str__(value)).split()))
    if not text:
        raise EventError("the name is empty: type a name or a pseudonym")
    if len(text) > 64:
        raise EventError(f"the name is {len(text):,} characters long; use at most 64")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") for ch in text):
        raise EventError("the name contains invisible control or text-direction characters; "
                         "use letters, digits, spaces and punctuation")
    if text.startswith(_FORMULA_STARTS):
        raise EventError("a name cannot start with =, +, - or @, because a spreadsheet would "
                         "read it as a formula; start it with a letter or a digit")
    return text


def check_common(kind: Any, lesson: Any, item: Any, misconception: Any) -> None:
    """The fields every event has, whether recorded now or read from an export."""
    if kind not in KINDS or not isinstance(kind, str):
        raise EventError(f"'kind' must be one of {', '.join(KINDS)}; got {kind!r}")
    if not isinstance(lesson, str) or lesson not in LESSONS:
        raise EventError(f"'lesson' must be one of the course's lessons in course.toml "
                         f"({', '.join(LESSONS)}); got {safe_str(lesson, 40)!r}")
    if not isinstance(item, str) or not _ITEM_RE.fullmatch(item):
        raise EventError(f"'item' must look like 01.q3 or 01.2; got {item!r}")
    check_text("misconception", misconception, 200, allow_none=True)


def check_correct(correct: Any) -> bool | None:
    """True, False or None (not judged); raises EventError for anything else."""
    if correct is None:
        return None
    if type(correct) not in (bool, int) or correct not in (True, False):
        raise EventError(f"'correct' must be true, false or empty (None, null); got "
                         f"{safe_str(correct, 40)!r}")
    return bool(correct)
