"""How an answer is stored: any Python object becomes bounded plain JSON data.

Any answer can be recorded: `snapshot()` turns any Python object (self-referencing, nested
thousands deep, a 5,000-digit integer, text with lone surrogates) into bounded JSON data; free
text that must be kept whole (a reflection, a brief) is refused, with its limit in words, when it
is longer than MAX_TEXT_CHARS, never cut short silently. `canonical_json` is the one JSON spelling
of answers and of the export checksum.
"""
from __future__ import annotations

import json
import math
from typing import Any

from coursekit.model.safetext import MAX_INT_BITS, big_int_words, clean_text, safe_str
from coursekit.progress.fields import (
    MAX_ANSWER_CHARS,
    MAX_SNAPSHOT_CHARS,
    MAX_SNAPSHOT_DEPTH,
    MAX_TEXT_CHARS,
    EventError,
    TextTooLong,
)


def canonical_json(value: Any) -> str:
    """The one JSON spelling used for answers and checksums: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


class _Budget:
    """Characters still allowed in a snapshot; once spent, the rest is summarised."""

    def __init__(self, chars: int):
        self.left = chars

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def snapshot(value: Any, limit: int = MAX_SNAPSHOT_CHARS) -> Any:
    """Bounded plain JSON data for any answer, so that every attempt can be recorded.

    Plain data (None, bool, numbers, text, lists, dicts) stays as it is while it fits; a tuple
    becomes a list, a set a sorted list, a numpy value its Python value, anything else its text.
    A value that contains itself shows "<refers to itself>", nesting deeper than
    MAX_SNAPSHOT_DEPTH "<nested too deeply>", an integer of thousands of digits its size in
    words, and lone surrogates U+FFFD. Past about `limit` characters, text is cut with "…" and
    the remaining items are counted, not copied. Never raises (except KeyboardInterrupt)."""
    return _snap(value, _Budget(limit), 0, set())


def _cut(text: str, budget: _Budget) -> str:
    text = clean_text(text)
    room = max(budget.left, 0)
    if len(text) + 2 <= room:
        budget.take(len(text) + 2)
        return text
    budget.take(room + 1)
    keep = max(room - 40, 0)
    return f"{text[:keep]}\u2026 [cut: {len(text):,} characters in all]"


def _snap(value: Any, budget: _Budget, depth: int, active: set[int]) -> Any:
    kind = type(value)
    if value is None or kind is bool:
        budget.take(5)
        return value
    if issubclass(kind, bool):
        budget.take(5)
        return bool(value)
    if issubclass(kind, int):
        if int.bit_length(value) > MAX_INT_BITS:
            return _cut(big_int_words(value), budget)
        number = int.__int__(value)
        budget.take(len(str(number)))
        return number
    if issubclass(kind, float):
        number = float.__float__(value)
        budget.take(24)
        return number if math.isfinite(number) else repr(number)
    if issubclass(kind, str):
        return _cut(str.__str__(value), budget)
    if depth >= MAX_SNAPSHOT_DEPTH:
        return _cut("<nested too deeply>", budget)
    module = getattr(kind, "__module__", "") or ""
    if module.split(".")[0] in ("numpy", "pandas"):
        try:
            if getattr(value, "ndim", None) == 0 and callable(getattr(value, "item", None)):
                return _snap(value.item(), budget, depth + 1, active)
            size = getattr(value, "size", None)
            if isinstance(size, int) and size <= 10_000 and callable(getattr(value, "tolist", None)):
                return _snap(value.tolist(), budget, depth + 1, active)
        except Exception:  # noqa: BLE001 - fall back to the object's text
            pass
        return _cut(safe_str(value, limit=2_000), budget)
    if not issubclass(kind, (list, tuple, dict, set, frozenset)):
        return _cut(safe_str(value, limit=2_000), budget)
    if id(value) in active:
        return _cut("<refers to itself>", budget)
    active.add(id(value))
    try:
        if issubclass(kind, dict):
            return _snap_dict(value, budget, depth, active)
        items = list.__iter__(value) if issubclass(kind, list) else iter(
            tuple.__iter__(value) if issubclass(kind, tuple) else value)
        out: list[Any] = []
        for position, item in enumerate(items):
            if budget.left <= 0:
                total = _length(value)
                rest = f"{total - position:,} more" if total is not None else "more"
                out.append(f"\u2026 [{rest} not kept]")
                break
            budget.take(1)
            out.append(_snap(item, budget, depth + 1, active))
        if issubclass(kind, (set, frozenset)):
            out.sort(key=canonical_json)
        return out
    except Exception:  # noqa: BLE001 - e.g. a set whose members fail to hash: keep its text
        return _cut(safe_str(value, limit=2_000), budget)
    finally:
        active.discard(id(value))


def _snap_dict(value: dict[Any, Any], budget: _Budget, depth: int, active: set[int]) -> Any:
    out: dict[str, Any] = {}
    for position, (key, item) in enumerate(dict.items(value)):
        if budget.left <= 0:
            out["\u2026"] = f"[{len(value) - position:,} more not kept]"
            break
        if type(key) is str:
            name = _cut(key, budget)
        elif key is None or type(key) is bool:
            name = json.dumps(key)
        else:
            name = _cut(safe_str(key), budget)
        out[name] = _snap(item, budget, depth + 1, active)
    return out


def _length(value: Any) -> int | None:
    try:
        return len(value)
    except Exception:  # noqa: BLE001
        return None


def stored_answer(answer: Any, *, whole: bool = False) -> str | None:
    """The JSON text stored for an answer. With whole=True, text the learner wrote is kept whole
    (only lone surrogates are replaced) or refused with EventError stating the limit."""
    if answer is None:
        return None
    if whole and isinstance(answer, str):
        text = clean_text(str.__str__(answer))
        if len(text) > MAX_TEXT_CHARS:
            raise TextTooLong(len(text))
        value: Any = text
    else:
        value = snapshot(answer)
    return answer_text(value)


def answer_text(answer: Any) -> str | None:
    """Plain JSON data as canonical JSON text (what the database stores). Import checks use it
    too: a value that is not plain data raises EventError."""
    if answer is None:
        return None
    try:
        text = canonical_json(answer)
        text.encode("utf-8")
    except (ValueError, TypeError, RecursionError) as exc:
        raise EventError(f"'answer' is not plain JSON data ({safe_str(exc, 80)})") from None
    if len(text) > MAX_ANSWER_CHARS:
        raise EventError(f"'answer' is longer than {MAX_ANSWER_CHARS:,} characters")
    return text
