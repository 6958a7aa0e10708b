"""Figures must satisfy an arithmetic statement you write.

Why it matters
~~~~~~~~~~~~~~
Not every relation is a plain sum or share: money received from two sources and a stated total, a
before-and-after pair and the stated change, a per-person figure and the totals it comes from. `expr`
names the figures and states the relation, e.g. ``government + donors == total``.

`facts` maps names (letters, digits, `_`) to selectors; `assert` is arithmetic over the names and numbers
(``+ - * /``, parentheses) with comparisons (``== != < <= > >=``; chains like ``a < b < c`` need every
step). It is parsed, never evaluated as Python. Each name's figure is converted to its selector's `unit`
(without one, its value is taken as stated) and widened by `tolerance`; the comparison passes when some
values in the intervals make it true. Default `group_by: [article]`.

Message placeholders: ``{assert}``, ``{left}`` and ``{right}`` (the intervals of the first comparison's
two sides), and each name (the figure as written), plus the common ones.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: fund
    ---
    The fund received $2 billion from the government and $1.5 billion from private donors, bringing its total to $4.5 billion.

.. code-block:: yaml

    id: example.expr
    kind: expr
    facts:
      government: {near: government, unit: USD}
      donors: {near: donors, unit: USD}
      total: {near: total, unit: USD}
    assert: government + donors == total

PASS
~~~~
.. code-block:: markdown

    ---
    id: fund
    ---
    The fund received $2 billion from the government and $1.5 billion from private donors, bringing its total to $3.5 billion.

.. code-block:: yaml

    id: example.expr
    kind: expr
    facts:
      government: {near: government, unit: USD}
      donors: {near: donors, unit: USD}
      total: {near: total, unit: USD}
    assert: government + donors == total
"""

from __future__ import annotations

import difflib
from typing import ClassVar, Iterator, Literal

from pydantic import Field, ValidationInfo, field_validator

from ledger.checks import arith
from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, show, target_unit
from ledger.checks.interval import format_interval
from ledger.model import Fact, Finding
from ledger.units import compatible

KIND = "expr"
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"


class Params(RuleParams):
    """Named figures must satisfy an arithmetic comparison."""

    DEFAULT_GROUP_BY: ClassVar[tuple[str, ...]] = ("article",)

    kind: Literal["expr"]
    facts: dict[str, Selector] = Field(min_length=1)
    """Name -> selector; each name picks one figure."""
    assertion: str = Field(alias="assert")
    """e.g. "government + donors == total"."""

    model_config = RuleParams.model_config | {"populate_by_name": True}

    @field_validator("facts")
    @classmethod
    def _names(cls, v: dict[str, Selector]) -> dict[str, Selector]:
        import re

        for name in v:
            if not re.match(NAME_PATTERN, name):
                raise ValueError(f"{name!r} is not a usable name: use letters, digits and _ (not first)")
        return v

    @field_validator("assertion")
    @classmethod
    def _parses(cls, v: str, info: ValidationInfo) -> str:
        comparison = arith.parse(v)
        names = info.data.get("facts")
        if names is None:
            return v  # facts is itself invalid; that error is reported
        for name in comparison.names():
            if name.name not in names:
                close = difflib.get_close_matches(name.name, list(names), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"{name.name!r} is not one of the names in facts ({', '.join(names)}){hint}")
        return v

    def parsed(self) -> arith.Comparison:
        return arith.parse(self.assertion)

    def roles(self) -> dict[str, Selector]:
        return dict(self.facts)


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    comparison = p.parsed()
    used_names = list(dict.fromkeys(n.name for n in comparison.names()))
    candidates = {name: facts.select(p.facts[name]) for name in used_names}
    missing = facts.missing(candidates)
    if missing:
        yield missing
        return
    chosen = facts.choose(candidates)
    if chosen is None:
        yield facts.skipped("skipped: the names match the same facts; no distinct choice", roles=candidates)
        return
    units = _units(p, used_names, chosen)
    env = {name: facts.interval(chosen[name], units[name]) for name in used_names}
    try:
        ok, sides = arith.holds(comparison, env)
    except ZeroDivisionError as e:
        yield facts.skipped(f"skipped: {e} is 0, and a division by 0 has no value",
                            roles={name: [chosen[name]] for name in used_names})
        return
    status = "pass" if ok else "fail"
    figures = ", ".join(f"{name} = {facts.figure(chosen[name], units[name])}" for name in used_names)
    distinct_units = {u for u in units.values()}
    unit = distinct_units.pop() if len(distinct_units) == 1 else None
    sides_text = f" {comparison.ops[0]} ".join(show(s, unit) for s in sides[:2])
    for op, side in zip(comparison.ops[1:], sides[2:]):
        sides_text += f" {op} {show(side, unit)}"
    work = f"{figures}; {p.assertion}: {sides_text}: {status}"
    note = facts.chosen_note(candidates, chosen)
    if note:
        work += f" ({note})"
    if ok:
        message = f"{p.assertion} holds: {sides_text}"
    else:
        message = f"{p.assertion} does not hold: {sides_text} (" + ", ".join(
            f"{name} = {chosen[name].surface}" for name in used_names) + ")"
    values = {"assert": p.assertion, "left": format_interval(sides[0]), "right": format_interval(sides[1]),
              **{name: chosen[name].surface for name in used_names}}
    yield facts.finding(status, message, facts=[chosen[n] for n in used_names],
                        roles={name: [chosen[name]] for name in used_names}, expected=sides[1], actual=sides[0],
                        unit=unit, work=work, values=values)


def _compatible(a: str | None, b: str | None) -> bool:
    try:
        return compatible(a, b)
    except Exception:  # noqa: BLE001
        return False


def _units(p: Params, names: list[str], chosen: dict[str, Fact]) -> dict[str, str | None]:
    """Each name's unit: its selector's; else, so that "$100 million a month" and "$1.2 billion a year"
    compare, the first unit already in use with the same dimension; else the figure's own unit."""
    units: dict[str, str | None] = {}
    ordered = sorted(names, key=lambda n: p.facts[n].unit is None)
    for name in ordered:
        selector_unit = p.facts[name].unit
        if selector_unit is not None:
            units[name] = target_unit(selector_unit)
            continue
        own = chosen[name].unit
        units[name] = next((u for u in units.values() if _compatible(u, own)), own)
    return {name: units[name] for name in names}


__all__ = ["KIND", "Params", "check"]
