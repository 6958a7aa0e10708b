"""How figures are written back for people: "12,000", "1.5 billion", "45,800–54,200"."""

from __future__ import annotations

import math


def format_number(x: float | None) -> str:
    """A value as a newsroom writes it: thousands separators, at most 4 significant decimals, ∞ for open."""
    if x is None or (isinstance(x, float) and math.isinf(x)):
        return "∞" if x is None or x > 0 else "−∞"
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_interval(low: float | None, high: float | None) -> str:
    if low is not None and high is not None and low == high:
        return format_number(low)
    return f"{format_number(low)}–{format_number(high)}"
