"""A stated share must match the figures it is a share of.

Why it matters
~~~~~~~~~~~~~~
"2,000 jobs, or about 8 % of its 25,000 workers" gives the reader three numbers and a claim about how
they relate. If 2,000 is not about 8 % of 25,000, one of the three is wrong.

The numerator is divided by the denominator (interval division, after converting the numerator to the
denominator's unit) and compared with the share, converted to percent (fractions such as "a third" count).
The share role only takes percentages and fractions, stated in the same sentence as a numerator or a
denominator (a percentage elsewhere is about something else; the group is then skipped). Passes when the
intervals overlap. Default `group_by: [article]`.

Message placeholders: ``{numerator}``, ``{denominator}``, ``{share}`` (as written), ``{computed}``
(numerator / denominator, in percent), ``{stated}`` (the share's interval, in percent), plus the common ones.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: layoffs
    ---
    The company will cut 2,000 jobs, or 20% of its 25,000 workers.

.. code-block:: yaml

    id: example.ratio
    kind: ratio
    numerator: {subject: jobs}
    denominator: {subject: workers}
    share: {unit: percent}

PASS
~~~~
.. code-block:: markdown

    ---
    id: layoffs
    ---
    The company will cut 2,000 jobs, or 8% of its 25,000 workers.

.. code-block:: yaml

    id: example.ratio
    kind: ratio
    numerator: {subject: jobs}
    denominator: {subject: workers}
    share: {unit: percent}
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Literal

from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, UnitMismatch, show, unit_matches
from ledger.errors import LedgerError
from ledger.model import Finding
from ledger.units import factor

KIND = "ratio"


class Params(RuleParams):
    """numerator / denominator must match the stated share."""

    DEFAULT_GROUP_BY: ClassVar[tuple[str, ...]] = ("article",)

    kind: Literal["ratio"]
    numerator: Selector
    """The part ("2,000 jobs")."""
    denominator: Selector
    """The whole ("25,000 workers")."""
    share: Selector
    """The stated percentage or fraction ("8 %"); only percentages and fractions match."""

    def roles(self) -> dict[str, Selector]:
        return {"numerator": self.numerator, "denominator": self.denominator, "share": self.share}


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    candidates = {
        "numerator": facts.select(p.numerator),
        "denominator": facts.select(p.denominator),
        "share": [f for f in facts.select(p.share) if unit_matches("percent", f.unit)],
    }
    # a percentage is never the numerator or denominator unless the selector asks for one
    for role, selector in (("numerator", p.numerator), ("denominator", p.denominator)):
        if selector.unit is None:
            candidates[role] = [f for f in candidates[role] if not unit_matches("percent", f.unit)]
    missing = facts.missing(candidates)
    if missing:
        yield missing
        return
    # a share is stated next to what it is a share of: a percentage in another sentence is another story
    sentences = {(f.article, f.sentence) for f in candidates["numerator"] + candidates["denominator"]}
    stated = [f for f in candidates["share"] if (f.article, f.sentence) in sentences]
    if not stated:
        yield facts.skipped("skipped: no share matched in the same sentence as a numerator or denominator",
                            roles=candidates)
        return
    candidates["share"] = stated
    chosen = facts.choose(candidates)
    if chosen is None:
        yield facts.skipped("skipped: the roles match the same facts; no distinct choice", roles=candidates)
        return
    numerator, denominator, share = chosen["numerator"], chosen["denominator"], chosen["share"]
    denominator_unit = facts.unit_for([p.denominator, p.numerator], [denominator])
    numerator_unit = denominator_unit
    num_iv = facts.interval(numerator, numerator_unit)
    den_iv = facts.interval(denominator, denominator_unit)
    if p.share.unit is not None and p.share.unit != "count":
        share_unit = p.share.unit
    else:
        share_unit = "percent"
    share_iv = facts.interval(share, share_unit)
    try:
        to_share_unit = factor("fraction", share_unit)
    except LedgerError as e:
        raise UnitMismatch(e.message) from None
    if den_iv.low == den_iv.high == 0:  # a share of nothing has no value; any stated share would "match"
        yield facts.skipped(f"skipped: the denominator {denominator.surface} is 0", roles=candidates)
        return
    computed = (num_iv / den_iv).scale(to_share_unit)
    ok = computed.overlaps(share_iv)
    status = "pass" if ok else "fail"
    work = (f"{facts.figure(numerator, numerator_unit)} / {facts.figure(denominator, denominator_unit)} = "
            f"{show(computed, share_unit)} vs {facts.figure(share, share_unit)}: {status}")
    note = facts.chosen_note(candidates, chosen)
    if note:
        work += f" ({note})"
    if ok:
        message = f"{numerator.surface} is {share.surface} of {denominator.surface}"
    else:
        message = (f"{numerator.surface} is {show(computed, share_unit)} of {denominator.surface}, "
                   f"not {share.surface}")
    values = {"numerator": numerator.surface, "denominator": denominator.surface, "share": share.surface,
              "computed": show(computed, share_unit), "stated": show(share_iv, share_unit)}
    yield facts.finding(status, message, facts=[numerator, denominator, share],
                        roles={"numerator": [numerator], "denominator": [denominator], "share": [share]},
                        expected=share_iv, actual=computed, unit=share_unit, work=work, values=values)


__all__ = ["KIND", "Params", "check"]
