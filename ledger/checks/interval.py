"""Interval arithmetic over approximate figures: every figure is a closed interval [low, high].

"about 50,000" is not one number but a range of numbers the wording allows, so every rule compares
intervals: sums, products, quotients and unit conversions give the interval of every value the inputs
allow, and a comparison passes when the intervals *can* agree (they overlap). Bounds may be infinite
("more than 10,000" is [10,000, +inf]). Comparisons allow a relative float slack of 1e-9, so a unit
conversion there and back never turns an exact match into a mismatch.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

INF = math.inf
REL_EPSILON = 1e-9


def _mul(a: float, b: float) -> float:
    # 0 × inf is 0 here: an exact zero times an unbounded figure is still zero.
    if a == 0 or b == 0:
        return 0.0
    return a * b


def _inverse(x: float) -> float:
    """1/x for x != 0; 0 for an infinite x, and the largest float (not inf) when 1/x overflows."""
    if math.isinf(x):
        return 0.0
    try:
        y = 1 / x
    except OverflowError:  # pragma: no cover - float division overflows to inf, never raises
        y = math.copysign(INF, x)
    if math.isinf(y):
        return math.copysign(sys.float_info.max, x)
    return y


def le(a: float, b: float) -> bool:
    """a <= b, allowing float slack (relative 1e-9)."""
    if a <= b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    return a - b <= REL_EPSILON * max(abs(a), abs(b), 1e-300)


def lt(a: float, b: float) -> bool:
    """a < b for interval ends; equal ends (within slack) do not count as strictly less."""
    return a < b and not le(b, a)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __post_init__(self) -> None:
        if math.isnan(self.low) or math.isnan(self.high):
            raise ValueError("an interval end is NaN")
        if self.low > self.high:
            raise ValueError(f"interval low {self.low} is above high {self.high}")

    @classmethod
    def point(cls, x: float) -> Interval:
        return cls(x, x)

    @classmethod
    def everything(cls) -> Interval:
        return cls(-INF, INF)

    # arithmetic -----------------------------------------------------------------------------------------
    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:
        ends = [_mul(a, b) for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(ends), max(ends))

    def __truediv__(self, other: Interval) -> Interval:
        return self * other.reciprocal()

    def reciprocal(self) -> Interval:
        """1/x over the interval; when it holds 0 the quotient can be anything (or a half-line)."""
        low, high = self.low, self.high
        if low > 0 or high < 0:
            return Interval(_inverse(high), _inverse(low))
        if low == 0 and high > 0:
            return Interval(_inverse(high), INF)
        if high == 0 and low < 0:
            return Interval(-INF, _inverse(low))
        return Interval.everything()

    def scale(self, k: float) -> Interval:
        """Multiply by a constant (a unit conversion factor)."""
        a, b = _mul(self.low, k), _mul(self.high, k)
        return Interval(min(a, b), max(a, b))

    def shift(self, offset: float) -> Interval:
        """Add a constant (the offset between temperature scales)."""
        return self if offset == 0 else Interval(self.low + offset, self.high + offset)

    def widen(self, rel: float = 0.0, absolute: float = 0.0) -> Interval:
        """Widen both ends by `rel` of their own size plus `absolute`; infinite ends stay infinite."""
        return Interval(self.low - rel * abs(self.low) - absolute, self.high + rel * abs(self.high) + absolute)

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.low, other.low), max(self.high, other.high))

    # comparison -----------------------------------------------------------------------------------------
    def overlaps(self, other: Interval) -> bool:
        """True when some value is in both (they can be equal)."""
        return le(self.low, other.high) and le(other.low, self.high)

    def contains(self, x: float) -> bool:
        return le(self.low, x) and le(x, self.high)

    def can_be_below(self, other: Interval, strict: bool = False) -> bool:
        """Some x in self and y in other with x < y (x <= y when not strict)."""
        return lt(self.low, other.high) if strict else le(self.low, other.high)

    def is_point(self) -> bool:
        return self.low == self.high

    @property
    def mid(self) -> float:
        if math.isinf(self.low) and math.isinf(self.high):
            return 0.0
        if math.isinf(self.low):
            return self.high
        if math.isinf(self.high):
            return self.low
        return (self.low + self.high) / 2

    def as_json(self) -> tuple[float | None, float | None]:
        return (None if math.isinf(self.low) else self.low, None if math.isinf(self.high) else self.high)

    def __str__(self) -> str:
        return format_interval(self)


def compare(op: str, left: Interval, right: Interval) -> bool:
    """Can `left op right` hold for some values in the intervals?"""
    if op == "==":
        return left.overlaps(right)
    if op == "!=":
        return not (left.is_point() and right.is_point() and le(left.low, right.low) and le(right.low, left.low))
    if op == "<":
        return lt(left.low, right.high)
    if op == "<=":
        return le(left.low, right.high)
    if op == ">":
        return lt(right.low, left.high)
    if op == ">=":
        return le(right.low, left.high)
    raise ValueError(f"unknown comparison {op!r}")


def format_number(x: float) -> str:
    """News style: thousands separators, at most 4 significant decimals, no trailing zeros."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    magnitude = abs(x)
    if magnitude >= 1e6:
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if magnitude >= size:
                return f"{x / size:.6g} {word}"
    if x == int(x):
        return f"{int(x):,}"
    if magnitude >= 100:
        text = f"{x:,.1f}"
    elif magnitude >= 1:
        text = f"{x:,.3f}"
    else:
        text = f"{x:.4g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_interval(iv: Interval) -> str:
    if iv.is_point():
        return format_number(iv.low)
    if math.isinf(iv.high) and not math.isinf(iv.low):
        return f"≥{format_number(iv.low)}"
    if math.isinf(iv.low) and not math.isinf(iv.high):
        return f"≤{format_number(iv.high)}"
    return f"{format_number(iv.low)}–{format_number(iv.high)}"
