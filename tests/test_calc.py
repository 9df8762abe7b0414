"""coursekit.calc: one tested meaning for each of the course's computations."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursekit import calc


def test_growth_and_share():
    assert calc.growth_pct(200, 500) == pytest.approx(150.0)
    assert calc.growth_pct(240.1, 244.81) == pytest.approx(1.96, abs=0.01)
    assert calc.share_pct(42, 100) == 42
    with pytest.raises(ValueError, match="zero"):
        calc.growth_pct(0, 5)
    with pytest.raises(ValueError, match="zero"):
        calc.share_pct(1, 0)


def test_compound_growth_round_trips():
    # China's plan: RMB 150bn (2020) to 1,000bn (2030) is about 20.9% a year.
    assert calc.cagr_pct(150, 1000, 10) == pytest.approx(20.89, abs=0.01)
    # 1.2% a year for 12 years is about 15.4% in all; 16% in all is about 1.24% a year.
    assert calc.compound_pct(1.2, 12) == pytest.approx(15.39, abs=0.01)
    assert calc.rate_for_total_pct(16, 12) == pytest.approx(1.24, abs=0.005)
    with pytest.raises(ValueError):
        calc.cagr_pct(100, 200, 0)
    with pytest.raises(ValueError):
        calc.cagr_pct(0, 200, 3)


@given(st.floats(0.1, 1e6), st.floats(0.1, 1e6), st.integers(1, 40))
def test_cagr_compounds_back_to_the_end_value(start, end, years):
    rate = calc.cagr_pct(start, end, years)
    assert start * (1 + rate / 100) ** years == pytest.approx(end, rel=1e-6)
    assert calc.compound_pct(rate, years) == pytest.approx(calc.growth_pct(start, end), rel=1e-6,
                                                           abs=1e-6)


def test_conversion():
    assert calc.to_usd(1000, 6.7518) == pytest.approx(148.11, abs=0.01)
    with pytest.raises(ValueError):
        calc.to_usd(1000, 0)


def test_dates():
    assert calc.days_between("2023-07-13", "2023-08-15") == 33
    assert calc.days_between("2024-08-15", "2024-08-01") == -14
    assert calc.add_days("2024-07-12", 1) == "2024-07-13"
    assert calc.add_days("2024-07-12", 20) == "2024-08-01"
    for partial in ("2024", "2024-07", "July 2024", ""):
        with pytest.raises(ValueError, match="full date"):
            calc.days_between(partial, "2024-08-01")


def test_decimal_year_one_rule_for_partial_dates():
    assert calc.decimal_year("2024-01-01") == 2024.0
    assert calc.decimal_year("2023-07-02") == pytest.approx(2023 + 182 / 365)
    # a month without a day sits on the 15th; a year without a month on 1 July
    assert calc.decimal_year("2022-02") == calc.decimal_year("2022-02-15")
    assert calc.decimal_year("2022") == calc.decimal_year("2022-07-01")
    assert math.floor(calc.decimal_year("2024-12-31")) == 2024
    with pytest.raises(ValueError):
        calc.decimal_year("24 Feb 2022")


@given(st.dates(), st.integers(-3000, 3000))
def test_add_days_and_days_between_agree(day, n):
    start = day.isoformat()
    try:
        end = calc.add_days(start, n)
    except OverflowError:
        return
    assert calc.days_between(start, end) == n
