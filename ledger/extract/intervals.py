"""The interval each qualifier allows around a stated figure: the one table ledger reads wording by.

`INTERVALS` maps a qualifier to a function of (value, step) -> (low, high), where `step` is the
unit of the figure's last stated digit ("12,000" -> 1000, "3.5" -> 0.1, "$1.5 billion" -> 1e8).
`ledger.yaml`'s `qualifiers:` may change the three relative margins (`configure`); keep every rule here and
nowhere else.

| wording                                   | qualifier   | interval                         |
|-------------------------------------------|-------------|----------------------------------|
| bare figure N                             | exact       | N ± min(step / 2, 2 % of N)       |
| about, around, roughly, some, an estimated| approx      | N ± 10 %                         |
| nearly, almost, just under, close to      | nearly      | [N − 10 %, N]                    |
| more than, over, above                    | more_than   | (N, ∞)                           |
| at least, or more                         | at_least    | [N, ∞)                           |
| up to, no more than, at most, as many as  | at_most     | [0, N]                           |
| less than, under, fewer than              | less_than   | [0, N)                           |
| between A and B, A to B, A-B              | range       | [A, B], value the midpoint       |

A bound below a temperature is open downwards: "up to 40C" is (−∞, 40].
"""

from __future__ import annotations

import math
from typing import Callable

INF = math.inf
DEFAULT_MARGINS: dict[str, float] = {"exact": 0.02, "approx": 0.10, "nearly": 0.10}
"""Relative margins: a bare figure is right to within 2 % (or half its last stated digit, if tighter);
"about N" allows N ± 10 %; "nearly N" allows the 10 % below N."""
MARGINS: dict[str, float] = dict(DEFAULT_MARGINS)


def configure(margins: dict[str, float] | None) -> None:
    """Replace the relative margins (from `ledger.yaml`'s `qualifiers:`); None restores the defaults."""
    unknown = set(margins or {}) - set(DEFAULT_MARGINS)
    if unknown:
        raise ValueError(f"unknown qualifier margin {sorted(unknown)[0]!r}; known: {', '.join(DEFAULT_MARGINS)}")
    MARGINS.clear()
    MARGINS.update({**DEFAULT_MARGINS, **(margins or {})})


def _exact(value: float, step: float) -> tuple[float, float]:
    margin = min(step / 2, MARGINS["exact"] * abs(value))
    return value - margin, value + margin


def _approx(value: float, step: float) -> tuple[float, float]:
    margin = MARGINS["approx"] * abs(value)
    return value - margin, value + margin


def _nearly(value: float, step: float) -> tuple[float, float]:
    return value - MARGINS["nearly"] * abs(value), value


def _above(value: float, step: float) -> tuple[float, float]:
    return value, INF


def _below(value: float, step: float) -> tuple[float, float]:
    return (0.0 if value >= 0 else -INF), value


INTERVALS: dict[str, Callable[[float, float], tuple[float, float]]] = {
    "exact": _exact,
    "approx": _approx,
    "nearly": _nearly,
    "more_than": _above,
    "at_least": _above,
    "at_most": _below,
    "less_than": _below,
}
"""Qualifier -> interval rule. "range" is not here: its bounds are the two stated ends."""


def interval(qualifier: str, value: float, step: float, signed: bool = False) -> tuple[float, float]:
    """(low, high) the wording allows; always low <= value <= high. `signed`: the measure may fall below zero
    whatever its stated value (a temperature: "up to 40C" is no promise of frost-free weather)."""
    low, high = INTERVALS[qualifier](value, step)
    if signed and low == 0.0 and qualifier in ("at_most", "less_than"):
        low = -INF
    return min(low, value), max(high, value)
