"""Parts must add up to their total.

Why it matters
~~~~~~~~~~~~~~
When a story breaks a figure down ("50,000 fighters, including 10,000 contractors and 40,000 inmates"),
readers check the arithmetic in their heads. Parts that do not add up (or that exceed the total) mean one
of the figures is wrong, or the breakdown leaves something out that the story should say.

Each figure is an interval (its own wording plus `tolerance`); the parts' sum is interval arithmetic.
`exhaustive: true` passes when the sum can equal the total (the intervals overlap); `exhaustive: false`
passes when the sum can be at most the total. Default `group_by: [article]`. When a role matches several
facts in a group, the facts closest together in the text are used.

Message placeholders: ``{parts}`` (the parts as written, joined with " + "), ``{parts_sum}`` (their sum's
interval), ``{total}`` (the total as written), ``{total_interval}``, ``{difference}`` (the sum's middle
minus the total's value), plus the common ``{rule}``, ``{articles}``, ``{facts}``, ``{expected}``,
``{actual}``, ``{unit}``, ``{group}``, ``{work}``.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: force
    ---
    Wagner has 50,000 fighters in Ukraine, including 10,000 contractors and 30,000 inmates.

.. code-block:: yaml

    id: example.sum
    kind: sum
    total: {subject: fighters}
    parts:
      - {subject: contractors}
      - {subject: inmates}

PASS
~~~~
.. code-block:: markdown

    ---
    id: force
    ---
    Wagner has 50,000 fighters in Ukraine, including 10,000 contractors and 40,000 inmates.

.. code-block:: yaml

    id: example.sum
    kind: sum
    total: {subject: fighters}
    parts:
      - {subject: contractors}
      - {subject: inmates}
"""

from __future__ import annotations

import functools
import operator
from typing import ClassVar, Iterator, Literal

from pydantic import Field

from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, show
from ledger.checks.interval import format_number
from ledger.model import Finding

KIND = "sum"


class Params(RuleParams):
    """Parts must add up to (or, not exhaustive, stay within) a total."""

    DEFAULT_GROUP_BY: ClassVar[tuple[str, ...]] = ("article",)

    kind: Literal["sum"]
    total: Selector
    """The figure the parts make up."""
    parts: list[Selector] = Field(min_length=1)
    """One selector per part; each picks one figure."""
    exhaustive: bool = True
    """True: parts must equal the total; False: parts may not exceed it."""

    def roles(self) -> dict[str, Selector]:
        return {"total": self.total, **{f"parts[{i}]": s for i, s in enumerate(self.parts)}}


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    candidates = {name: facts.select(s) for name, s in p.roles().items()}
    missing = facts.missing(candidates)
    if missing:
        yield missing
        return
    chosen = facts.choose(candidates)
    if chosen is None:
        yield facts.skipped("skipped: the parts and the total match the same facts; no distinct choice",
                            roles=candidates)
        return
    total = chosen["total"]
    parts = [chosen[f"parts[{i}]"] for i in range(len(p.parts))]
    selectors = [p.total, *p.parts]
    unit = facts.unit_for(selectors, [total, *parts])
    total_iv = facts.interval(total, unit)
    part_ivs = [facts.interval(f, unit) for f in parts]
    parts_sum = functools.reduce(operator.add, part_ivs)
    if p.exhaustive:
        ok = parts_sum.overlaps(total_iv)
        relation = "vs"
    else:
        ok = parts_sum.can_be_below(total_iv)
        relation = "≤"
    status = "pass" if ok else "fail"
    parts_text = " + ".join(facts.figure(f, unit) for f in parts)
    work = f"{parts_text} = {show(parts_sum, unit)} {relation} {facts.figure(total, unit)}: {status}"
    note = facts.chosen_note(candidates, chosen)
    if note:
        work += f" ({note})"
    difference = parts_sum.mid - facts.value(total, unit)
    parts_words = " + ".join(f.surface for f in parts)
    if ok:
        message = f"{parts_words} add up to {total.surface}" if p.exhaustive else \
            f"{parts_words} stay within {total.surface}"
    elif p.exhaustive:
        message = f"{parts_words} add up to {show(parts_sum, unit)}, but the total is {facts.figure(total, unit)}"
    else:
        message = f"{parts_words} add up to {show(parts_sum, unit)}, more than the total {facts.figure(total, unit)}"
    values = {"parts": parts_words, "parts_sum": show(parts_sum, unit), "total": total.surface,
              "total_interval": show(total_iv, unit), "difference": format_number(difference)}
    yield facts.finding(status, message, facts=[total, *parts],
                        roles={"total": [total], "parts": parts}, expected=total_iv, actual=parts_sum,
                        unit=unit, work=work, values=values)


__all__ = ["KIND", "Params", "check"]
