"""Figures must stay within plausible bounds.

Why it matters
~~~~~~~~~~~~~~
Some numbers cannot be right: a share above 100 %, a negative headcount, a country's army larger than
its population. A bound catches the slipped decimal point or the "billion" that should be "million"
before a reader does.

Each figure the selector matches gets its own finding. `min` and `max` are in the selector's `unit`
(without one, in the figure's own unit); a figure passes when its interval, widened by `tolerance`, can
lie within [min, max]. Give `min`, `max` or both. Default `group_by: []`.

Message placeholders: ``{value}`` (the figure as written), ``{min}``, ``{max}``, ``{interval}``,
``{article}``, plus the common ones.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: poll
    ---
    The poll found that 120% of voters back the plan.

.. code-block:: yaml

    id: example.bounds
    kind: bounds
    select: {unit: percent}
    min: 0
    max: 100

PASS
~~~~
.. code-block:: markdown

    ---
    id: poll
    ---
    The poll found that 62% of voters back the plan.

.. code-block:: yaml

    id: example.bounds
    kind: bounds
    select: {unit: percent}
    min: 0
    max: 100
"""

from __future__ import annotations

import math
from typing import Iterator, Literal

from pydantic import model_validator

from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, UnitMismatch, show
from ledger.checks.interval import Interval, format_interval, format_number
from ledger.model import Finding

KIND = "bounds"
PER_FACT = True
"""Each figure is judged on its own: the rule can be run article by article (`engine.separable`)."""


class Params(RuleParams):
    """Each matching figure must lie within [min, max]."""

    kind: Literal["bounds"]
    select: Selector
    """The figures to check."""
    min: float | None = None
    """The lowest allowed value, in the selector's unit."""
    max: float | None = None
    """The highest allowed value, in the selector's unit."""

    @model_validator(mode="after")
    def _a_bound(self) -> "Params":
        if any(x is not None and math.isnan(x) for x in (self.min, self.max)):
            raise ValueError("min and max must be numbers, not NaN")
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self

    def roles(self) -> dict[str, Selector]:
        return {"select": self.select}


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    selected = facts.select(p.select)
    if not selected:
        yield facts.missing({"select": selected})  # names the selector, to show what to loosen
        return
    low = -math.inf if p.min is None else p.min
    high = math.inf if p.max is None else p.max
    allowed = Interval(low, high)
    for fact in sorted(selected, key=lambda f: (f.article, f.start, f.id)):
        unit = facts.unit_for([p.select], [fact])
        try:
            iv = facts.interval(fact, unit)
        except UnitMismatch as e:
            yield facts.finding("skipped", f"skipped: {e}", facts=[fact], roles={"select": [fact]})
            continue
        ok = iv.overlaps(allowed)
        status = "pass" if ok else "fail"
        work = f"{facts.figure(fact, unit)} within {show(allowed, unit)}: {status}"
        if ok:
            message = f"{fact.surface} is within {show(allowed, unit)}"
        else:
            message = f"{fact.surface} ({show(iv, unit)}) is outside {show(allowed, unit)}"
        values = {"value": fact.surface, "min": format_number(low), "max": format_number(high),
                  "interval": format_interval(iv), "article": fact.article}
        yield facts.finding(status, message, facts=[fact], roles={"select": [fact]}, expected=allowed, actual=iv,
                            unit=unit, work=work, values=values)


__all__ = ["KIND", "Params", "check"]
