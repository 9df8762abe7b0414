"""The course's arithmetic, one meaning each: growth, compound growth, shares, conversion, dates.

Lessons, exercises, checks and tests all call these, so "growth" or "days between" means the same
thing everywhere. Each function reads like the formula a learner meets in the lesson, and refuses
input that has no meaning (growth from zero, a partial date where whole days are counted) with a
ValueError that says why.
"""
from __future__ import annotations

import datetime as _dt
import re

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def growth_pct(old: float, new: float) -> float:
    """Percentage change from `old` to `new`: (new - old) / old x 100."""
    if old == 0:
        raise ValueError("growth from zero is undefined")
    return (new - old) / old * 100


def share_pct(part: float, whole: float) -> float:
    """`part` as a percentage of `whole`."""
    if whole == 0:
        raise ValueError("a share of zero is undefined")
    return part / whole * 100


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent: (end / start)^(1 / years) - 1, x 100."""
    if years <= 0:
        raise ValueError("the end must come after the start (years > 0)")
    if start <= 0 or end < 0:
        raise ValueError("compound growth needs a positive start value")
    return ((end / start) ** (1 / years) - 1) * 100


def compound_pct(rate_pct: float, years: float) -> float:
    """Total growth in percent from `rate_pct` a year, compounded over `years` years."""
    return ((1 + rate_pct / 100) ** years - 1) * 100


def rate_for_total_pct(total_pct: float, years: float) -> float:
    """The yearly rate in percent that compounds to `total_pct` over `years` years."""
    if years <= 0:
        raise ValueError("years must be positive")
    return ((1 + total_pct / 100) ** (1 / years) - 1) * 100


def to_usd(amount_rmb: float, rmb_per_usd: float) -> float:
    """Yuan to US dollars: divide by the number of yuan one dollar buys (same unit in and out,
    so billions of yuan give billions of dollars)."""
    if rmb_per_usd <= 0:
        raise ValueError("an exchange rate must be positive")
    return amount_rmb / rmb_per_usd


def parse_date(text: str) -> _dt.date:
    """A full ISO date, "YYYY-MM-DD". Partial dates are refused: counting days needs the day."""
    m = _ISO.match(text.strip())
    if not m or not m.group(3):
        raise ValueError(f"{text!r} is not a full date (YYYY-MM-DD)")
    return _dt.date.fromisoformat(text.strip())


def days_between(start: str, end: str) -> int:
    """Whole days from `start` to `end` (full ISO dates): 2023-07-13 to 2023-08-15 is 33."""
    return (parse_date(end) - parse_date(start)).days


def add_days(start: str, days: int) -> str:
    """The ISO date `days` days after `start`: add_days("2024-07-12", 1) is "2024-07-13"."""
    return (parse_date(start) + _dt.timedelta(days=days)).isoformat()


def decimal_year(text: str) -> float:
    """A date as a decimal year, for placing it on a time axis.

    "YYYY-MM-DD" is exact; "YYYY-MM" (day unknown) sits mid-month, on the 15th; "YYYY" (month
    unknown) sits mid-year, on 1 July. The day of the year is counted from 1 January, so
    2024-01-01 is 2024.0.
    """
    m = _ISO.match(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else 7
    day = int(m.group(3)) if m.group(3) else (15 if m.group(2) else 1)
    start = _dt.date(year, 1, 1).toordinal()
    length = _dt.date(year + 1, 1, 1).toordinal() - start
    return year + (_dt.date(year, month, day).toordinal() - start) / length
