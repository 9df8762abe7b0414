"""Text that is always safe to store and to show, for any object a learner may produce.

Kept apart from the progress store (and free of imports beyond the standard library), so quizzes
and checks can make any text safe even when the store cannot be loaded.
- `clean_text`: lone surrogates, which UTF-8, SQLite and the notebook's messages cannot carry,
  become U+FFFD (a surrogate pair written as two code points is joined instead);
- `safe_str`: short printable text for any object; never raises.
"""
from __future__ import annotations

import math
from typing import Any

MAX_INT_BITS = 10_000  # about 3,000 digits: under Python's 4,300-digit limit for str(int)


def clean_text(text: str) -> str:
    """The text with every lone surrogate (which UTF-8, SQLite and the notebook's messages
    cannot carry) replaced by U+FFFD; a surrogate pair written as two code points is joined."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def safe_str(value: Any, limit: int = 200) -> str:
    """Short printable text for any object; never raises (a broken __str__ or __repr__, an
    object that contains itself, an integer too long to print)."""
    kind = type(value)
    if kind is int or (isinstance(kind, type) and issubclass(kind, int)
                       and not issubclass(kind, bool)):
        if int.bit_length(value) > MAX_INT_BITS:
            return big_int_words(value)
    for show in (str, repr):
        try:
            text = show(value)
            if isinstance(text, str):
                break
        except Exception:  # noqa: BLE001 - any failure: try the next form, then say what it is
            continue
    else:
        name = getattr(kind, "__name__", "object")
        text = f"<a {name} that cannot be shown as text>"
    text = clean_text(str.__str__(text))
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def big_int_words(value: int) -> str:
    """"<a whole number of about 5,001 digits>": the size of an integer too long to print."""
    digits = int(int.bit_length(value) * math.log10(2)) + 1
    sign = "a negative" if value < 0 else "a"
    return f"<{sign} whole number of about {digits:,} digits>"
