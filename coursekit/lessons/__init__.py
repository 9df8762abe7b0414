"""Per-lesson computations and explorations (one module a lesson: l01.py ... l07.py), and two
scaffolds that the exercise sets share, so that a learner writes values, never Python structure:

    answers(keys, values)   pairs the keys, written into the cell, with the learner's list of
                            values, in the same order: {"F1": "cut off", "F2": "limited", ...}
    text_answer(text)       the learner's free text, between the triple quotes the cell supplies

Both give back `...` while the learner has not answered, so the check under the cell says "not
attempted yet". A list of the wrong length, or a value that is not a list, gets a plain note in
the cell's output (never a traceback); the check then says what is wrong.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

_MARKER = re.compile(r"^\s*#\s*(BEGIN|END) SOLUTION\s*$")


def answers(keys: Iterable[str], values: Any) -> Any:
    """A dictionary pairing `keys` with the learner's `values`, in order; `...` while unanswered."""
    keys = list(keys)
    if values is Ellipsis or values is None:
        return Ellipsis
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        print(f"Give your answers as a list in square brackets, one for each of {', '.join(keys)}, "
              f"in that order: for example [\"...\", \"...\"].")
        return {keys[0]: values} if keys else {}
    if len(values) != len(keys):
        print(f"You gave {len(values)} answer{'s' if len(values) != 1 else ''} for {len(keys)} items "
              f"({', '.join(keys)}): give one for each, in that order.")
    return dict(zip(keys, values))


def text_answer(text: Any) -> Any:
    """The learner's text with surrounding blank lines removed; `...` while it is still the
    placeholder. (In the solution notebook the text sits between solution markers, which are not
    part of it.)"""
    if text is Ellipsis or text is None or not isinstance(text, str):
        return Ellipsis if text is None else text
    body = "\n".join(line for line in text.split("\n") if not _MARKER.match(line)).strip()
    if body in ("", "..."):
        return Ellipsis
    return body
