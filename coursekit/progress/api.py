"""The learner's progress: what the course records, and the notebook helpers to see, keep and
delete it.

Quizzes and checks record through coursekit.progress.recorder.record(), which calls
record_event() here. Storage lives in coursekit.progress.store (SQLite, stdlib only); the widgets
and the chart live in coursekit.progress.ui, imported only when a helper is called, so
`import coursekit.progress.api` stays cheap (no ipywidgets, IPython or matplotlib).

One Store is kept per process and location: the location is looked up on every call
(COURSEKIT_PROGRESS_DB, else the XDG data folder), so a build or a test that sets the variable
gets its own throwaway record.
"""
from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

from coursekit.progress.database import ENV_LEARNER
from coursekit.progress.exchange import ImportRefused, ImportResult, parse_export
from coursekit.progress.fields import (
    APP, APPLICATION_ID, KINDS, LESSONS, SCHEMA, EventError, item_type,
)
from coursekit.progress.locations import ENV_DB, default_path, fallback_path
from coursekit.progress.store import ResetNotConfirmed, Store
from coursekit.progress.tally import summarise

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "APP", "APPLICATION_ID", "ENV_DB", "ENV_LEARNER", "KINDS", "LESSONS", "SCHEMA",
    "EventError", "ImportRefused", "ImportResult", "ResetNotConfirmed", "Store",
    "default_path", "fallback_path", "get_store", "record_event", "events", "summary",
    "export_json", "import_json", "reset", "learner", "set_learner", "where", "review",
    "dashboard", "dashboard_data", "download_link", "upload", "reset_button", "pretest",
    "reveal", "parse_export", "name_field", "current_notice",
]

T = TypeVar("T")

_STORES: dict[tuple[int, str], Store] = {}
_STORES_LOCK = threading.Lock()


def get_store() -> Store:
    """The store for the current location, opened once per process (reopened after a fork)."""
    path = default_path()
    key = (os.getpid(), str(path))
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = _STORES[key] = Store(path)
        return store


def _forget_stores() -> None:
    """Close and drop every cached store (tests use this between cases)."""
    with _STORES_LOCK:
        for store in _STORES.values():
            store.close()
        _STORES.clear()


# --- the API the rest of the course uses ----------------------------------------------------


def record_event(kind: str, lesson: str, item: str, *, correct: bool | None = None,
                 misconception: str | None = None, answer: Any = None,
                 whole: bool = False) -> str:
    """Append one event ("attempt", "reflection", "rating" or "view"); return its id once
    committed. Raises on failure: widgets and checks go through coursekit.progress.recorder.record, which
    turns a failure into words for the learner. whole=True keeps free text whole or refuses it."""
    return get_store().record(kind, lesson, item, correct=correct, misconception=misconception,
                              answer=answer, whole=whole)


def current_notice() -> str | None:
    """The notice of the store already open for the current location (None if none is open
    yet): a damaged file moved aside, a fallback location."""
    key = (os.getpid(), str(default_path()))
    with _STORES_LOCK:
        store = _STORES.get(key)
    return store.notice if store is not None else None


def events(lesson: str | None = None) -> list[dict[str, Any]]:
    """The recorded events, oldest first, optionally of one lesson."""
    return get_store().events(lesson)


def summary() -> dict[str, dict[str, int]]:
    """Per lesson of course.toml: quiz_correct (items whose latest answer was right),
    quiz_total_items_seen, quiz_first_try_correct, exercises_correct, exercises_attempted,
    pretests, reflections."""
    return summarise(get_store().events())


def export_json(path: str | os.PathLike[str] | None = None) -> str | Path:
    """The whole record as export JSON text, or written to `path` (returned as a Path)."""
    return get_store().export_json(path)


def import_json(path_or_text: str | bytes | os.PathLike[str]) -> ImportResult:
    """Merge an export by event id. A bad file is refused with its reason; nothing changes."""
    return get_store().import_json(path_or_text)


def reset(confirm: bool = False) -> int:
    """Delete all events and return how many. Without confirm=True it deletes nothing and
    raises ResetNotConfirmed, whose message says how to confirm."""
    return get_store().reset(confirm=confirm)


def learner() -> str:
    """The pseudonymous learner id put on new events."""
    return get_store().learner


def set_learner(name: str) -> str:
    """Choose the name or pseudonym a teacher's report shows for your new events (1 to 64
    characters); earlier events keep theirs. Raises ValueError, in plain words, for a name
    that cannot be used."""
    return get_store().set_learner(name)


def name_field() -> Any:
    """Lesson 00's optional name-or-pseudonym box, saved with set_learner."""
    from coursekit.progress.ui import name_field as _name_field

    return _name_field(get_store())


class PlainText(str):
    """A str that a notebook displays as its plain words rather than as a quoted repr."""

    def __repr__(self) -> str:
        return str(self)


def where() -> PlainText:
    """Plain words on what is stored, where, and how to keep or delete it."""
    store = get_store()
    count = store.count()
    from coursekit.progress import recorder as events

    lines = []
    if store.notice:
        lines.append(f"Note: {store.notice}")
    failures = events.failures_text()
    if failures:
        lines.append(f"Note: {failures}")
    if store.path is None:
        lines.append("Your progress is kept in memory only, not in a file.")
    else:
        lines.append(f"Your progress is stored in one file on this computer: {store.path}")
    lines += [
        f"It holds {count} event{'s' if count != 1 else ''}: your quiz answers and exercise "
        "checks, pretest guesses, reflections and ratings. Each has the lesson, the question id, "
        "whether the answer was right, the answer you gave, a misconception tag, the time (UTC) "
        f"and your pseudonymous learner id, {store.learner!r}.",
        "Nothing is sent anywhere. To put a name or a pseudonym on your answers for a "
        "teacher's report: name_field() (or set_learner('your-name')). To keep a copy: "
        "download_link(). To bring a copy back: upload(). To delete it all: reset_button().",
    ]
    return PlainText("\n".join(lines))


def review(n: int = 3, *, lesson: str | None = None, candidates: Iterable[str] | None = None,
           build: Callable[[str], T] | None = None) -> list[str] | list[T]:
    """Quiz items worth re-asking: the ones last answered wrong, then the ones unseen longest.

    lesson: only items from lessons before it (review at the start of lesson 03: 00-02).
    candidates: the item ids to choose from (e.g. one lesson's bank, or all banks); items
    never answered count as unseen for longest and come after the wrong ones.
    build: called with each id (e.g. a quiz widget factory); its results are returned instead.
    Ties are broken by item id, so the choice is deterministic.
    """
    last_seen: dict[str, str] = {}
    last_ok: dict[str, bool | None] = {}
    for ev in get_store().events():
        if ev["kind"] == "attempt" and item_type(ev["item"]) == "quiz":
            last_seen[ev["item"]] = ev["ts"]
            last_ok[ev["item"]] = ev["correct"]

    allowed = set(candidates) if candidates is not None else None

    def eligible(item: str) -> bool:
        return (lesson is None or item[:2] < lesson) and (allowed is None or item in allowed)

    wrong = sorted((ts, item) for item, ts in last_seen.items()
                   if eligible(item) and last_ok[item] is not True)
    unseen = sorted({c for c in (allowed or ()) if c not in last_seen and eligible(c)})
    right = sorted((ts, item) for item, ts in last_seen.items()
                   if eligible(item) and last_ok[item] is True)
    chosen = ([item for _, item in wrong] + unseen + [item for _, item in right])[:max(n, 0)]
    if build is None:
        return chosen
    return [build(item) for item in chosen]


# --- notebook helpers (ipywidgets, IPython and matplotlib are imported only here) -----------


def dashboard_data() -> list[dict[str, Any]]:
    """The numbers the dashboard draws, one row a lesson (tested without matplotlib)."""
    from coursekit.progress.ui import dashboard_rows

    return dashboard_rows(summary())


def dashboard() -> Any:
    """Each lesson's quiz score and exercises solved as a bar chart, via coursekit.display.charts.show."""
    from coursekit.progress.ui import dashboard as _dashboard

    return _dashboard(get_store())


def download_link() -> Any:
    """An HTML link that downloads progress.json from a data URI (no server round trip)."""
    from coursekit.progress.ui import download_link as _download_link

    return _download_link(get_store())


def upload() -> Any:
    """A file picker that imports an export and says, in words, what happened."""
    from coursekit.progress.ui import upload as _upload

    return _upload(get_store())


def reset_button() -> Any:
    """A two-step "Reset… / Yes, delete my progress" control."""
    from coursekit.progress.ui import reset_button as _reset_button

    return _reset_button(get_store())


def pretest(item: str) -> Any:
    """Ask the lesson's opening question `item` ("NN.preK", a [[pretest]] of the lesson's quiz
    bank) and save the guess; reveal() answers it later in the lesson."""
    from coursekit.progress.ui import pretest as _pretest

    return _pretest(item)


def reveal(item: str, answer: str, explanation: str = "") -> Any:
    """Show a pretest's answer beside the learner's earlier guess."""
    from coursekit.progress.ui import reveal as _reveal

    return _reveal(get_store(), item, answer, explanation)
