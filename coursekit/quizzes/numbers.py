"""Read a number that a learner typed, or say kindly why it cannot be read.

`parse_number(text, allow_units)` never raises. It returns a `ParseResult` that holds either the
value or a message meant for the learner. The rules (also in assets/quizzes/README.md):

- Spaces around the answer are ignored; so is one leading "+" or "-" ("−" counts as "-").
- English thousands separators are read: "1,000", "12,345.6". A comma that does not separate
  groups of three digits ("1,5", "12,34") gets a message asking for a decimal point.
- Scientific notation is read: "1.5e11", "1.5E+11", "2e-3".
- A leading "$" or "US$" is accepted (before or after the sign) unless the question turns
  currency off.
- Unit words and suffixes are read only where the question allows them: thousand (k),
  million (m, mn, mln), billion (bn, b, bln), trillion (tn, trn), percent (%). Elsewhere the
  message says that no unit is needed, or which units are allowed. A unit multiplies the number
  (k ×1e3, m ×1e6, bn ×1e9, tn ×1e12); "%" keeps the number as it is, in percent.
- Anything else gets a message naming what was expected.

`within(value, target, rel_tol=..., abs_tol=...)` compares with a relative tolerance by default,
or an absolute one when asked.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable

from coursekit.model.safetext import clean_text

#: Canonical unit -> (multiplier, spellings). Spellings are matched case-insensitively, except
#: that single letters are matched as written in this table or upper case ("k"/"K", "m"/"M",
#: "b"/"B"), which is how people write them.
UNITS: dict[str, tuple[float, tuple[str, ...]]] = {
    "thousand": (1e3, ("k", "thousand", "thousands")),
    "million": (1e6, ("m", "mn", "mln", "million", "millions")),
    "billion": (1e9, ("bn", "b", "bln", "billion", "billions")),
    "trillion": (1e12, ("tn", "trn", "trillion", "trillions")),
    "percent": (1.0, ("%", "percent", "per cent", "pct")),
}

#: Spelling (lower case) -> canonical unit.
ALIASES: dict[str, str] = {
    spelling: unit for unit, (_, spellings) in UNITS.items() for spelling in spellings
}

#: How the unit is shown in messages: "billion (bn)".
_SHOWN = {
    "thousand": "thousand (k)",
    "million": "million (m)",
    "billion": "billion (bn)",
    "trillion": "trillion (tn)",
    "percent": "percent (%)",
}

MAX_LENGTH = 100  # longer input is not a number anyone meant to type
MAX_INPUT = 1_000  # nor is input this long before its runs of spaces are collapsed

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_PLAIN = r"(?:\d+(?:\.\d*)?|\.\d+)"
_GROUPED = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?)"
_EXPONENT = r"(?:[eE][+-]?\d+)"
_NUMBER = re.compile(rf"^(?P<mant>{_GROUPED}|{_PLAIN})(?P<exp>{_EXPONENT})?")
_HAS_DIGIT = re.compile(r"\d")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_BAD_GROUPS = re.compile(r"^[\d,]*\d,\d[\d,]*(?:\.\d*)?$")
_SPACED_GROUPS = re.compile(r"^\d{1,3}(?: \d{3})+(?:\.\d*)?$")


@dataclass(frozen=True)
class ParseResult:
    """Either `ok` with `value` (and the canonical `unit` that was typed, if any), or a
    `message` for the learner."""

    ok: bool
    value: float | None = None
    unit: str | None = None
    message: str = ""

    def __bool__(self) -> bool:
        return self.ok


def canonical_units(names: Iterable[str]) -> frozenset[str]:
    """Canonical unit names for any mix of names and spellings ("bn" -> "billion").
    Unknown names raise ValueError (a bank author's mistake, reported by validation)."""
    out = set()
    for name in names:
        key = str(name).strip().lower()
        if key in UNITS:
            out.add(key)
        elif key in ALIASES:
            out.add(ALIASES[key])
        else:
            raise ValueError(f"unknown unit {name!r} (known: {', '.join(UNITS)})")
    return frozenset(out)


def describe_units(units: Iterable[str]) -> str:
    """"billion (bn) or trillion (tn)" in the table's order."""
    shown = [_SHOWN[u] for u in UNITS if u in set(units)]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _fail(message: str) -> ParseResult:
    return ParseResult(ok=False, message=message)


def _expected(allowed: frozenset[str]) -> str:
    hint = "Type a number using digits, such as 1234.5, 12,345 or 1.5e3"
    if allowed:
        hint += f"; you may add a unit: {describe_units(allowed)}"
    return hint + "."


def _quote(text: str) -> str:
    shown = text if len(text) <= 30 else text[:27] + "..."
    return f"\u201c{clean_text(shown)}\u201d"  # a lone surrogate cannot reach the front end


def _read_unit(rest: str) -> tuple[str | None, str]:
    """Match a unit spelling at the start of `rest` (after optional spaces).
    Returns (canonical unit or None, remaining text)."""
    stripped = rest.lstrip()
    low = stripped.lower()
    best: tuple[int, str] | None = None
    for spelling, unit in ALIASES.items():
        if low.startswith(spelling):
            end = len(spelling)
            # a word must end here: "bn" but not "bnx"; "m" but not "meters"
            if end < len(low) and (low[end].isalnum()):
                continue
            if best is None or end > best[0]:
                best = (end, unit)
    if best is None:
        return None, rest
    return best[1], stripped[best[0]:]


def parse_number(text: object, allow_units: Iterable[str] = (), *,
                 allow_currency: bool = True) -> ParseResult:
    """Read `text` as a number; never raises. See the module docstring for the rules.

    allow_units: canonical unit names or spellings the question accepts ("billion", "bn", "%").
    """
    try:
        allowed = canonical_units(allow_units)
    except ValueError:
        allowed = frozenset()
    try:
        return _parse(text, allowed, allow_currency)
    except Exception:  # noqa: BLE001 - a learner must never see a traceback
        return _fail(_expected(allowed))


def _parse(text: object, allowed: frozenset[str], allow_currency: bool) -> ParseResult:
    if text is None:
        return _fail("Type a number first.")
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_INPUT:
        return _fail(f"That is too long to be a number ({len(text):,} characters). "
                     + _expected(allowed))
    raw = _SPACES.sub(" ", text).strip()
    if not raw:
        return _fail("Type a number first.")
    if len(raw) > MAX_LENGTH:
        return _fail("That is too long to be a number. " + _expected(allowed))
    s = raw.replace("\u2212", "-").replace("\u2013", "-")

    sign = 1.0
    currency = False

    def take_currency(s: str) -> tuple[bool, str]:
        for mark in ("US$", "us$", "$"):
            if s.startswith(mark):
                return True, s[len(mark):].lstrip()
        return False, s

    took, s = take_currency(s)
    currency |= took
    if s[:1] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:].lstrip()
        took, s = take_currency(s)
        currency = currency or took
    if currency and not allow_currency:
        return _fail("No currency sign is needed here: type just the number.")

    match = _NUMBER.match(s)
    if not match:
        return _fail(_unreadable(raw, s, allowed))
    body = s[match.end():]
    # A number glued to more digits or separators was not fully read: explain what went wrong.
    if body[:1] in (",", ".") or body.lstrip()[:1].isdigit():
        return _fail(_unreadable(raw, s, allowed))
    mantissa = match.group("mant").replace(",", "")
    try:
        value = float(mantissa + (match.group("exp") or ""))
    except ValueError:
        return _fail(_expected(allowed))
    value *= sign

    unit, rest = _read_unit(body)
    if rest.strip():
        word = rest.strip() if unit else body.strip()
        if re.match(r"^[eE][+-]?\d+$", word):
            return _fail("Write scientific notation without spaces, as in 1.5e3.")
        if allowed:
            return _fail(f"I can read the number but not {_quote(word)}. Units allowed here: "
                         f"{describe_units(allowed)}.")
        return _fail(f"I can read the number but not {_quote(word)}. Type only the number "
                     f"(no unit is needed here).")
    if unit is not None:
        if unit not in allowed:
            if allowed:
                return _fail(f"The unit {_quote(body.strip())} is not used here. Units allowed "
                             f"here: {describe_units(allowed)}.")
            return _fail(f"No unit is needed here: the question already gives it. Type just the "
                         f"number, without {_quote(body.strip())}.")
        value *= UNITS[unit][0]
    if not math.isfinite(value):
        return _fail("That number is too large to work with. Check the exponent.")
    return ParseResult(ok=True, value=value, unit=unit)


def _unreadable(raw: str, s: str, allowed: frozenset[str]) -> str:
    """The friendliest message for text that does not start with a readable number."""
    head = s.split()[0] if s.split() else s
    core = head.rstrip("%").rstrip(".")
    if _DECIMAL_COMMA.match(core):
        point = core.replace(",", ".")
        return (f"Use a decimal point, not a comma: type {point} rather than {core}. "
                f"(A comma is read as a thousands separator, as in 12,345.)")
    if _BAD_GROUPS.match(core):
        return ("Commas must separate groups of three digits, as in 1,234,567 (or leave them "
                "out). For decimals use a point: 1234.5.")
    if _SPACED_GROUPS.match(s.strip()) or re.match(r"^\d+ \d", s.strip()):
        return "Remove the spaces inside the number, or use commas: 12,345 rather than 12 345."
    if re.match(r"^\d+(\.\d+){2,}", core):
        return "A number has at most one decimal point, as in 1234.5."
    if not _HAS_DIGIT.search(raw):
        return f"I could not find a number in {_quote(raw)}. " + _expected(allowed)
    return f"I could not read {_quote(raw)} as a number. " + _expected(allowed)


def within(value: float, target: float, *, rel_tol: float | None = None,
           abs_tol: float | None = None) -> bool:
    """True when `value` is close enough to `target`: |value - target| <= abs_tol if an absolute
    tolerance is given, else <= rel_tol * |target| (default rel_tol 0.01, i.e. 1 %)."""
    if not (math.isfinite(value) and math.isfinite(target)):
        return False
    diff = abs(value - target)
    if abs_tol is not None:
        return diff <= abs_tol * (1 + 1e-12) + 1e-300
    tol = 0.01 if rel_tol is None else rel_tol
    return diff <= tol * abs(target) * (1 + 1e-12)
