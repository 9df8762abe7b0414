"""The numeric answer parser: worked examples, then Hypothesis properties.

The properties count the examples they actually run (a counter incremented in each test body)
and the last test checks that at least 10,000 ran in total.
"""
from __future__ import annotations

import math
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coursekit.quizzes.numbers import ALIASES, UNITS, ParseResult, canonical_units, parse_number, within

EXAMPLES: Counter[str] = Counter()
QUOTAS = {"grouped": 2500, "scientific": 2000, "units": 2000, "arbitrary": 3000, "comma": 500}
PROPERTY = settings(deadline=None, derandomize=bool(os.environ.get("CI")), database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def runs(name: str) -> settings:
    return settings(PROPERTY, max_examples=QUOTAS[name])
ALL_UNITS = frozenset(UNITS)


# --------------------------------------------------------------------------------------------
# Worked examples
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("1,000", 1000.0),
    ("12,345.6", 12345.6),
    ("1,234,567", 1234567.0),
    ("244.81", 244.81),
    ("  244.81  ", 244.81),
    ("+3", 3.0),
    ("-3.5", -3.5),
    ("\u22123.5", -3.5),
    (".5", 0.5),
    ("5.", 5.0),
    ("1.5e11", 1.5e11),
    ("1.5E+11", 1.5e11),
    ("2e-3", 0.002),
    ("$5", 5.0),
    ("-$5", -5.0),
    ("$-5", -5.0),
    ("US$ 244.81", 244.81),
    ("1\u00a0000.5".replace("\u00a0", ""), 1000.5),
])
def test_reads_plain_numbers(text, value):
    result = parse_number(text)
    assert result.ok and result.value == value and result.unit is None and result.message == ""
    assert bool(result)


@pytest.mark.parametrize("text, allowed, value, unit", [
    ("244.81bn", {"billion"}, 244.81e9, "billion"),
    ("244.81 bn", {"bn"}, 244.81e9, "billion"),
    ("244.81 billion", {"billion"}, 244.81e9, "billion"),
    ("$1.5B", {"billion"}, 1.5e9, "billion"),
    ("3k", {"thousand"}, 3000.0, "thousand"),
    ("3 K", {"k"}, 3000.0, "thousand"),
    ("2.5 million", {"million"}, 2.5e6, "million"),
    ("2.5m", {"million"}, 2.5e6, "million"),
    ("13 trillion", {"trillion"}, 13e12, "trillion"),
    ("13tn", {"tn"}, 13e12, "trillion"),
    ("1.9%", {"%"}, 1.9, "percent"),
    ("1.9 per cent", {"percent"}, 1.9, "percent"),
    ("1,500 thousand", {"thousand"}, 1.5e6, "thousand"),
    ("1.5e3 k", {"thousand"}, 1.5e6, "thousand"),
])
def test_reads_allowed_units(text, allowed, value, unit):
    result = parse_number(text, allowed)
    assert result.ok, result.message
    assert result.value == pytest.approx(value, rel=1e-12) and result.unit == unit


@pytest.mark.parametrize("text, allowed, words", [
    ("1,5", (), "decimal point"),
    ("1234,5", (), "type 1234.5 rather than 1234,5"),
    ("12,34", (), "decimal point"),
    ("1,0000", (), "groups of three digits"),
    ("1,234,56", (), "groups of three digits"),
    ("12 345", (), "Remove the spaces"),
    ("1.2.3", (), "at most one decimal point"),
    ("", (), "Type a number first"),
    ("   ", (), "Type a number first"),
    ("abc", (), "could not find a number"),
    ("nan", (), "could not find a number"),
    ("inf", (), "could not find a number"),
    ("1e400", (), "too large"),
    ("244.81bn", (), "No unit is needed here"),
    ("5%", (), "No unit is needed here"),
    ("244.81bn", {"trillion"}, "Units allowed here: trillion (tn)"),
    ("244 apples", {"billion"}, "Units allowed here: billion (bn)"),
    ("244 apples", (), "no unit is needed here"),
    ("1.5 e3", (), "scientific notation without spaces"),
    ("about 245", (), "could not read"),
    ("--5", (), "could not read"),
    ("x" * 500, (), "too long"),
])
def test_explains_what_it_cannot_read(text, allowed, words):
    result = parse_number(text, allowed)
    assert not result.ok and result.value is None
    assert words in result.message


def test_currency_can_be_turned_off():
    assert not parse_number("$5", allow_currency=False).ok
    assert "currency" in parse_number("$5", allow_currency=False).message
    assert parse_number("5", allow_currency=False).value == 5


def test_messages_name_what_was_expected():
    message = parse_number("twelve", {"billion", "trillion"}).message
    assert "Type a number using digits" in message and "billion (bn) or trillion (tn)" in message


def test_non_strings_and_bad_unit_lists_never_raise():
    assert parse_number(None).message == "Type a number first."
    assert parse_number(12).value == 12.0  # type: ignore[arg-type]
    assert parse_number("5bn", ["no-such-unit"]).ok is False  # bad list: treated as no units
    with pytest.raises(ValueError, match="unknown unit"):
        canonical_units(["furlongs"])
    assert canonical_units(["bn", "%", "Million"]) == {"billion", "percent", "million"}


@pytest.mark.parametrize("value, target, kw, ok", [
    (244.0, 244.81, {}, True),            # default relative tolerance 1 %
    (242.0, 244.81, {}, False),
    (244.0, 244.81, {"rel_tol": 0.001}, False),
    (1.95, 1.9, {"abs_tol": 0.05}, True),  # the edge counts
    (1.96, 1.9, {"abs_tol": 0.05}, False),
    (0.0, 0.0, {"abs_tol": 0}, True),
    (1e-9, 0.0, {}, False),                # relative tolerance of 0 is 0
    (math.inf, 1.0, {}, False),
    (math.nan, 1.0, {"abs_tol": 1e9}, False),
])
def test_within(value, target, kw, ok):
    assert within(value, target, **kw) is ok


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
signs = st.sampled_from(["", "+", "-"])
pads = st.sampled_from(["", " ", "  ", "\t"])


@runs("grouped")
@given(x=st.floats(min_value=0, max_value=1e15, allow_nan=False), places=st.integers(0, 4),
       sign=signs, pad=pads, dollar=st.booleans())
@example(x=1000, places=0, sign="", pad="", dollar=False)
def test_grouped_numbers_round_trip(x, places, sign, pad, dollar):
    EXAMPLES["grouped"] += 1
    text = f"{x:,.{places}f}"
    typed = f"{pad}{'$' if dollar else ''}{sign}{text}{pad}"
    result = parse_number(typed)
    assert result.ok, (typed, result.message)
    expected = float(text.replace(",", ""))
    assert result.value == (-expected if sign == "-" else expected)


@runs("scientific")
@given(mantissa=st.floats(min_value=0, max_value=1000, allow_nan=False), places=st.integers(0, 6),
       exponent=st.integers(-300, 300), e=st.sampled_from(["e", "E"]),
       exp_sign=st.sampled_from(["", "+", "-"]), sign=signs)
@example(mantissa=1.5, places=1, exponent=11, e="E", exp_sign="+", sign="")
def test_scientific_notation_round_trips(mantissa, places, exponent, e, exp_sign, sign):
    EXAMPLES["scientific"] += 1
    exp_text = f"{exp_sign}{abs(exponent)}" if exp_sign else str(abs(exponent))
    text = f"{sign}{mantissa:.{places}f}{e}{exp_text}"
    result = parse_number(text)
    expected = float(text)
    if math.isfinite(expected):
        assert result.ok and result.value == expected, (text, result)
    else:
        assert not result.ok and "too large" in result.message


UNIT_NAMES = sorted(UNITS)
SPELLINGS = sorted(ALIASES)


@runs("units")
@given(whole=st.integers(-10**6, 10**6), frac=st.integers(0, 999),
       spelling=st.integers(0, len(SPELLINGS) - 1), upper=st.booleans(), space=st.booleans(),
       mask=st.integers(0, 2 ** len(UNIT_NAMES) - 1))
def test_units_multiply_only_where_allowed(whole, frac, spelling, upper, space, mask):
    EXAMPLES["units"] += 1
    allowed = {u for i, u in enumerate(UNIT_NAMES) if mask >> i & 1}
    number = f"{whole}.{frac:03d}"
    spelled = SPELLINGS[spelling]
    unit = ALIASES[spelled]
    word = spelled.upper() if upper else spelled
    text = f"{number}{' ' if space else ''}{word}"
    result = parse_number(text, allowed)
    if unit in allowed:
        assert result.ok, (text, result.message)
        assert result.unit == unit
        assert result.value == pytest.approx(float(number) * UNITS[unit][0], rel=1e-12, abs=1e-9)
    else:
        assert not result.ok and result.value is None
        assert ("No unit is needed" in result.message) or ("Units allowed here" in result.message)


@runs("arbitrary")
@given(text=st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                               st.sampled_from("\x00\u202e\u200f\ufeff 1.5$")), max_size=20),
    st.text(alphabet=" \t$+-\u2212.,0123456789eEkKmMbBtn%az", max_size=20),
    st.lists(st.sampled_from(["1", "0", ",", ".", "e", "-", "+", "$", " ", "bn", "%", "k", "9"]),
             max_size=12).map("".join),
), allowed=st.sets(st.sampled_from(sorted(ALIASES) + ["bogus"]), max_size=3))
def test_never_raises_and_always_answers(text, allowed):
    EXAMPLES["arbitrary"] += 1
    result = parse_number(text, allowed)
    assert isinstance(result, ParseResult)
    if result.ok:
        assert result.value is not None and math.isfinite(result.value) and result.message == ""
    else:
        assert result.value is None and result.message
        if "Traceback" not in text and "Error" not in text:  # messages may quote the input
            assert "Traceback" not in result.message and "Error" not in result.message
        result.message.encode("utf-8")  # a lone surrogate never reaches the learner's screen


@runs("comma")
@given(whole=st.integers(1, 999_999), decimals=st.integers(0, 99), two=st.booleans(), sign=signs)
def test_decimal_commas_get_a_decimal_point_message(whole, decimals, two, sign):
    EXAMPLES["comma"] += 1
    text = f"{whole},{decimals:02d}" if two else f"{whole},{decimals % 10}"
    result = parse_number(sign + text)
    assert not result.ok and "decimal point" in result.message
    assert text.replace(",", ".") in result.message


def test_padding_never_makes_a_number_out_of_a_megabyte_of_spaces():
    result = parse_number("$" + " " * 1_000_001 + "244.81", ["billion"])
    assert not result.ok and "too long to be a number (1,000,008 characters)" in result.message
    assert parse_number("$  244.81 bn", ["billion"]).value == pytest.approx(244.81e9)


def test_messages_quote_lone_surrogates_safely():
    result = parse_number("abc\ud800")
    assert not result.ok and "abc\ufffd" in result.message


def test_properties_ran_at_least_10000_examples():
    """Runs last in this file (pytest keeps file order; xdist --dist loadscope keeps a file on
    one worker). Skips when the property tests were deselected."""
    if set(EXAMPLES) != set(QUOTAS):
        pytest.skip("run the whole file to count the property examples")
    for name, quota in QUOTAS.items():
        assert EXAMPLES[name] >= quota, (name, EXAMPLES[name])
    assert sum(EXAMPLES.values()) >= 10_000, EXAMPLES
