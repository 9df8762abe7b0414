"""The one place that decides whether a learner's event was stored.

Quizzes, exercise checks and the other widgets call `record(...)`. It returns an `Outcome`:
truthy only once the progress store has committed the event. Otherwise it holds, in plain
words, what was not saved, why, and what to do. Every widget and check reads that outcome, so
none says "saved" (or shows a verdict as if it were recorded) when it was not.

`record` itself never raises at a learner (a broken store must not break a lesson), but it
hides nothing either: every failure is kept for the rest of the session (this kernel).
`notes()` gives each widget the failures and store notices it has not shown yet, so that the
next interaction announces a failure that a silent caller ignored; `where()` and `dashboard()`
list all of them (`session_failures()`). Nothing is printed: stderr output would also break
nbval's comparison of stored outputs.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

KINDS = ("attempt", "reflection", "rating", "view")


@dataclass(frozen=True)
class Outcome:
    """What became of one event. Falsy unless the store committed it."""

    saved: bool
    event_id: str | None = None
    problem: str = ""  # plain words for the learner; empty when saved
    failure: int | None = None  # its number in this session's failures, when not saved
    value: Any = None  # what was stored, where the caller needs it (set_name: the name)

    def __bool__(self) -> bool:
        return self.saved


@dataclass(frozen=True)
class Failure:
    """One event this session could not store."""

    number: int
    when: str  # UTC, ISO 8601
    what: str  # "an answer to 01.q3"
    problem: str


_LOCK = threading.Lock()
_FAILURES: list[Failure] = []
_SHOWN: set[int] = set()  # failures a widget has already shown
_NOTICES_SHOWN: set[str] = set()  # store notices a widget has already shown


def _what(kind: str, item: Any) -> str:
    label = item if isinstance(item, str) and len(item) <= 70 else "this item"
    return {"attempt": f"your answer to {label}", "reflection": f"your text for {label}",
            "rating": f"your rating for {label}", "view": f"that you viewed {label}"
            }.get(kind, f"an event for {label}")


def record(
    kind: str,
    lesson: str,
    item: str,
    *,
    correct: bool | None = None,
    misconception: str | None = None,
    answer: Any = None,
    whole: bool = False,
) -> Outcome:
    """Store one learner event and say whether it was stored.

    whole=True: the answer is text the learner wrote (a reflection, a brief), kept whole or
    refused with its limit, never shortened. Otherwise any answer is stored as a bounded
    snapshot. Never raises (except KeyboardInterrupt and the like): a failure comes back as a
    falsy Outcome and is kept for `notes()`, `where()` and `dashboard()`."""
    what = _what(kind, item)
    try:
        from coursekit.progress import api as progress
        from coursekit.progress import store as progress_store
    except Exception as exc:  # noqa: BLE001 - reported to the learner through the Outcome
        return _failed(what, f"the progress store cannot be loaded in this copy of the course "
                             f"({type(exc).__name__}: {exc}). Tell your teacher.")
    try:
        event_id = progress.record_event(kind, lesson, item, correct=correct,
                                         misconception=misconception, answer=answer, whole=whole)
    except progress_store.TextTooLong as exc:
        return _failed(what, f"{exc}.")
    except progress_store.EventError as exc:
        return _failed(what, f"the course could not file it ({exc}). This is a fault in the "
                             "course, not in your answer: please tell your teacher.")
    except Exception as exc:  # noqa: BLE001 - storage failures become words, kept and shown
        return _failed(what, progress_store.describe_failure(exc, _store_path()))
    return Outcome(True, event_id)


def _store_path() -> str | None:
    try:
        from coursekit.progress import api as progress

        store = progress.get_store()
        return store.location_text()
    except Exception:  # noqa: BLE001 - only used to make a message more precise
        return None


def _failed(what: str, problem: str) -> Outcome:
    when = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    text = f"{what[:1].upper()}{what[1:]} was not saved: {problem}"
    with _LOCK:
        number = len(_FAILURES) + 1
        _FAILURES.append(Failure(number, when, what, text))
    return Outcome(False, None, text, number)


def session_failures() -> list[Failure]:
    """Every event this session (this kernel) could not store, oldest first."""
    with _LOCK:
        return list(_FAILURES)


def failures_text() -> str:
    """The session's failures in words, for where() and the dashboard ("" if none)."""
    failures = session_failures()
    if not failures:
        return ""
    n = len(failures)
    head = (f"Not saved in this session: {n} event{'s' if n != 1 else ''} could not be "
            "stored, so they are not in your progress record.")
    return f"{head} The latest: {failures[-1].problem}"


def notes(outcome: Outcome | None = None) -> list[str]:
    """Messages a widget should show now, each once per session: failures not shown yet
    (other than `outcome`'s own, which the widget shows itself) and notices from opening the
    store (a damaged file moved aside, a fallback location)."""
    out: list[str] = []
    with _LOCK:
        own = outcome.failure if outcome is not None else None
        pending = [f for f in _FAILURES if f.number not in _SHOWN and f.number != own]
        _SHOWN.update(f.number for f in _FAILURES)
    if pending:
        n = len(pending)
        if n == 1:
            out.append(f"Earlier in this session: {pending[0].problem}")
        else:
            out.append(f"Earlier in this session, {n} events were not saved. The latest: "
                       f"{pending[-1].problem}")
    notice = _store_notice()
    if notice:
        with _LOCK:
            fresh = notice not in _NOTICES_SHOWN
            _NOTICES_SHOWN.add(notice)
        if fresh:
            out.append(notice)
    return out


def _store_notice() -> str | None:
    try:
        from coursekit.progress import api as progress

        return progress.current_notice()
    except Exception:  # noqa: BLE001 - no store, no notice; record() reports real failures
        return None


def _forget_session() -> None:
    """Forget this session's failures and shown notices (tests use this between cases)."""
    with _LOCK:
        _FAILURES.clear()
        _SHOWN.clear()
        _NOTICES_SHOWN.clear()


def set_name(name: Any) -> Outcome:
    """Save the learner's name or pseudonym (progress.set_learner) and say whether it was
    stored: saved only when the store reads back the name just written."""
    try:
        from coursekit.progress import api as progress
        from coursekit.progress import store as progress_store
    except Exception as exc:  # noqa: BLE001 - reported through the Outcome
        return _failed("your name", f"the progress store cannot be loaded ({exc}).")
    try:
        chosen = progress.set_learner(name)
        stored = progress.learner()
    except ValueError as exc:  # the name itself cannot be used: the learner can fix it
        return Outcome(False, None, f"Your name was not saved: {exc}.")
    except Exception as exc:  # noqa: BLE001 - storage failures become words, kept and shown
        return _failed("your name", progress_store.describe_failure(exc, _store_path()))
    if stored != chosen:
        return _failed("your name", "the progress store did not keep it (it reads back as "
                                    f"{stored!r}). Restart the kernel and try again.")
    return Outcome(True, value=chosen)
