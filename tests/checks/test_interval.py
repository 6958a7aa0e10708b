"""Interval arithmetic: hypothesis properties and a few exact cases."""

from __future__ import annotations

import functools
import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.checks.interval import Interval, compare, format_interval, format_number
from ledger.units import factor

# news figures: zero, or magnitudes from a millionth to a trillion (no subnormal floats)
finite = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e12), st.floats(min_value=-1e12, max_value=-1e-6))
positive = st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw, values=finite):
    a, b = draw(values), draw(values)
    return Interval(min(a, b), max(a, b))


@st.composite
def interval_with_member(draw, values=finite):
    iv = draw(intervals(values))
    t = draw(st.floats(min_value=0, max_value=1))
    return iv, min(max(iv.low + (iv.high - iv.low) * t, iv.low), iv.high)


@settings(max_examples=200, deadline=None)
@given(st.lists(interval_with_member(), min_size=1, max_size=6))
def test_a_sum_of_intervals_contains_every_sum_of_members(items):
    total = functools.reduce(operator.add, (iv for iv, _ in items))
    assert total.contains(math.fsum(x for _, x in items))


@settings(max_examples=200, deadline=None)
@given(interval_with_member(), interval_with_member())
def test_products_and_quotients_contain_member_results(a, b):
    (ia, xa), (ib, xb) = a, b
    assert (ia * ib).contains(xa * xb)
    if xb != 0:
        assert (ia / ib).contains(xa / xb)


@settings(max_examples=200, deadline=None)
@given(intervals(positive), st.sampled_from([("USD/month", "USD/year"), ("km", "mile"), ("fraction", "percent"),
                                             ("USD", "US_cent"), ("hour", "day")]))
def test_conversion_there_and_back_is_identity(iv, units):
    there = iv.scale(factor(*units))
    back = there.scale(factor(units[1], units[0]))
    assert math.isclose(back.low, iv.low, rel_tol=1e-9) and math.isclose(back.high, iv.high, rel_tol=1e-9)
    assert back.overlaps(iv) and compare("==", back, iv)


@settings(max_examples=300, deadline=None)
@given(intervals(), intervals(), st.floats(0, 2), st.floats(0, 1e6), st.sampled_from(["==", "<", "<=", ">", ">="]))
def test_widening_never_turns_a_pass_into_a_fail(a, b, rel, absolute, op):
    if compare(op, a, b):
        assert compare(op, a.widen(rel, absolute), b.widen(rel, absolute))
        assert compare(op, a.widen(rel, absolute), b)


@settings(max_examples=200, deadline=None)
@given(st.lists(intervals(), min_size=2, max_size=5), st.randoms())
def test_sum_does_not_depend_on_order(ivs, rnd):
    shuffled = list(ivs)
    rnd.shuffle(shuffled)
    x = functools.reduce(operator.add, ivs)
    y = functools.reduce(operator.add, shuffled)
    assert x.overlaps(y) and y.overlaps(x)


def test_infinite_ends():
    more_than = Interval(50_000, math.inf)
    assert (more_than + Interval(1, 2)).high == math.inf
    assert more_than.overlaps(Interval(60_000, 60_000))
    assert not more_than.overlaps(Interval(10, 20))
    assert more_than.as_json() == (50_000, None)
    assert (Interval(0, 0) * Interval(-math.inf, math.inf)) == Interval(0, 0)


def test_division_by_an_interval_holding_zero_can_be_anything():
    assert Interval(1, 2) / Interval(-1, 1) == Interval(-math.inf, math.inf)
    assert (Interval(1, 2) / Interval(0, 4)).low == 0.25
    assert (Interval(1, 2) / Interval(0, 4)).high == math.inf


def test_float_slack_in_comparisons():
    assert compare("==", Interval.point(0.1 + 0.2), Interval.point(0.3))
    assert not compare("<", Interval.point(0.3), Interval.point(0.1 + 0.2))
    assert compare("!=", Interval.point(1), Interval.point(2))
    assert not compare("!=", Interval.point(1), Interval.point(1))
    assert compare("!=", Interval(1, 2), Interval.point(1))


def test_rejects_backwards_or_nan():
    with pytest.raises(ValueError):
        Interval(2, 1)
    with pytest.raises(ValueError):
        Interval(math.nan, 1)


@pytest.mark.parametrize("value, text", [(50_000, "50,000"), (45_800.0, "45,800"), (1.2e9, "1.2 billion"),
                                         (100e6, "100 million"), (0.083333333, "0.08333"), (12.5, "12.5"),
                                         (math.inf, "∞")])
def test_format_number(value, text):
    assert format_number(value) == text


def test_format_interval():
    assert format_interval(Interval(45_800, 54_200)) == "45,800–54,200"
    assert format_interval(Interval(5, math.inf)) == "≥5"
    assert format_interval(Interval(-math.inf, 5)) == "≤5"
    assert format_interval(Interval.point(3)) == "3"


@settings(max_examples=200, deadline=None)
@given(st.lists(intervals(st.integers(-20, 20).map(float)), min_size=2, max_size=8))
def test_agreement_consensus_matches_brute_force(ivs):
    from ledger.checks.agreement import _disagreeing, _max_cover

    best, sets = _max_cover(ivs)
    points = sorted({x for iv in ivs for x in (iv.low, iv.high)})
    brute = max(sum(iv.contains(x) for iv in ivs) for x in points)
    assert best == brute and all(len(s) == best for s in sets)
    assert all(all(ivs[i].overlaps(ivs[j]) for i in s for j in s) for s in sets)
    expected = [i for i in range(len(ivs)) if any(not ivs[i].overlaps(ivs[j]) for j in range(len(ivs)) if j != i)]
    assert _disagreeing(ivs) == expected
