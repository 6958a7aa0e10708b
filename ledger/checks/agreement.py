"""Figures for the same thing must agree with each other.

Why it matters
~~~~~~~~~~~~~~
The same quantity reported twice (in one story or across a newsroom's stories) should not come out as two
different numbers. When it does, readers cannot tell which is right, and usually one of them is a typo,
a stale figure or a misread unit.

Every figure the selector matches in a group is converted to the selector's `unit` (`USD/month` figures
count ×12 against `USD/year`) and widened by `tolerance`. The group's consensus is the largest set of
figures that can all be equal (their intervals share a point). When more than half the figures form a
single consensus, each figure outside it is an outlier; with no majority, every figure that disagrees
with another is. A failing finding's `facts` and `articles` are the outliers'. Default `group_by: []`
(the whole corpus). A group with a single figure is skipped.

Message placeholders: ``{outliers}`` (the outliers as written, with their articles), ``{consensus}``
(the consensus interval, or "none"), ``{count}`` (how many figures), ``{figures}`` (all of them), plus the
common ones.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: early
    ---
    Wagner is spending $100 million a month in Ukraine.

.. code-block:: markdown

    ---
    id: late
    ---
    Wagner spends $2.5 billion a year on the war.

.. code-block:: yaml

    id: example.agreement
    kind: agreement
    select: {unit: USD/year, text: spend}

PASS
~~~~
.. code-block:: markdown

    ---
    id: early
    ---
    Wagner is spending $100 million a month in Ukraine.

.. code-block:: markdown

    ---
    id: late
    ---
    Wagner spends $1.2 billion a year on the war.

.. code-block:: yaml

    id: example.agreement
    kind: agreement
    select: {unit: USD/year, text: spend}
"""

from __future__ import annotations

import bisect
import functools
import math
from typing import Iterator, Literal

from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, UnitMismatch, commonest_dimension, show
from ledger.checks.interval import Interval, le
from ledger.model import Fact, Finding

KIND = "agreement"


class Params(RuleParams):
    """Every figure in a group must agree with the group's consensus."""

    kind: Literal["agreement"]
    select: Selector
    """The figures that must agree."""

    def roles(self) -> dict[str, Selector]:
        return {"select": self.select}


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    selected = facts.select(p.select)
    left_out: list[Fact] = []
    if p.select.unit is None:
        # without a unit, compare the figures of the commonest dimension and leave the rest out
        selected, left_out = commonest_dimension(selected)
    if not selected:
        yield facts.missing({"select": selected})  # names the selector, to show what to loosen
        return
    if len(selected) < 2:
        yield facts.skipped("skipped: 1 figure matched select; agreement needs two or more", roles={"select": selected})
        return
    unit = facts.unit_for([p.select], selected)
    figures: list[tuple[Fact, Interval]] = []
    for f in selected:
        try:
            figures.append((f, facts.interval(f, unit)))
        except UnitMismatch:
            left_out.append(f)
    if len(figures) < 2:
        yield facts.skipped("skipped: fewer than two figures convert to one unit", roles={"select": selected})
        return
    n = len(figures)
    best, maximal = _max_cover([iv for _, iv in figures])
    figures_text = "; ".join(f"{facts.figure(f, unit)} ({f.article})" for f, _ in figures)
    all_facts = [f for f, _ in figures]
    if best == n:
        region = functools.reduce(_intersect, (iv for _, iv in figures))
        work = f"{n} figures agree on {show(region, unit)}: {figures_text}: pass"
        yield facts.finding("pass", f"{n} figures agree ({show(region, unit)})", facts=all_facts,
                            roles={"consensus": all_facts}, expected=region, actual=region, unit=unit, work=work)
        return
    if best * 2 > n and len(maximal) == 1:
        members = maximal[0]
        consensus: Interval | None = functools.reduce(_intersect, (figures[i][1] for i in sorted(members)))
        outliers = [i for i in range(n) if i not in members]
    else:
        consensus = None
        outliers = _disagreeing([iv for _, iv in figures])
        members = frozenset(i for i in range(n) if i not in outliers)
    outlier_facts = [figures[i][0] for i in outliers]
    actual = functools.reduce(Interval.hull, (figures[i][1] for i in outliers))
    consensus_text = show(consensus, unit) if consensus is not None else "none"
    outliers_text = ", ".join(f"{f.surface} ({f.article})" for f in outlier_facts)
    if consensus is not None:
        message = (f"{outliers_text} disagree{'s' if len(outliers) == 1 else ''} with the consensus of "
                   f"{len(members)} of {n} figures ({consensus_text})")
    else:
        message = f"no majority among {n} figures; these disagree with others: {outliers_text}"
    work = f"{figures_text}; consensus {consensus_text}; outliers: {outliers_text}: fail"
    if left_out:
        work += f" ({len(left_out)} figure(s) in other units left out)"
    yield facts.finding("fail", message, facts=outlier_facts,
                        roles={"consensus": [figures[i][0] for i in sorted(members)], "outliers": outlier_facts},
                        expected=consensus, actual=actual, unit=unit, work=work,
                        values={"outliers": outliers_text, "consensus": consensus_text, "count": str(n),
                                "figures": figures_text})


def _max_cover(ivs: list[Interval], limit: int = 200) -> tuple[int, list[frozenset[int]]]:
    """The most intervals sharing one point, and the distinct sets of them that do (at most `limit`)."""
    lows = sorted(iv.low for iv in ivs)
    highs = sorted(iv.high for iv in ivs)
    # the most-covered points include a low end (or, when all lows are -inf, a high end)
    points = sorted({iv.low for iv in ivs if not math.isinf(iv.low)} | {iv.high for iv in ivs if not math.isinf(iv.high)})
    if not points:
        return len(ivs), [frozenset(range(len(ivs)))]
    counts = [bisect.bisect_right(lows, x) - bisect.bisect_left(highs, x) for x in points]
    best = max(counts)
    sets: list[frozenset[int]] = []
    for x, count in zip(points, counts):
        if count != best:
            continue
        members = frozenset(i for i, iv in enumerate(ivs) if iv.low <= x <= iv.high)
        if members not in sets:
            sets.append(members)
        if len(sets) >= limit:
            break
    # float slack can make an exact count miss a touching pair; recount with slack on the winners
    slack_sets = []
    for x in [p for p, c in zip(points, counts) if c == best][:limit]:
        members = frozenset(i for i, iv in enumerate(ivs) if iv.contains(x))
        if members not in slack_sets:
            slack_sets.append(members)
    top = max(len(m) for m in slack_sets)
    return top, sorted({m for m in slack_sets if len(m) == top}, key=sorted)


def _disagreeing(ivs: list[Interval]) -> list[int]:
    """Indexes of the intervals that fail to overlap at least one other."""
    out = []
    by_high = sorted(range(len(ivs)), key=lambda i: ivs[i].high)
    by_low = sorted(range(len(ivs)), key=lambda i: ivs[i].low, reverse=True)
    for i, iv in enumerate(ivs):
        lowest_high = next(ivs[j].high for j in by_high if j != i)
        highest_low = next(ivs[j].low for j in by_low if j != i)
        if not le(iv.low, lowest_high) or not le(highest_low, iv.high):
            out.append(i)
    return out


def _intersect(a: Interval, b: Interval) -> Interval:
    low, high = max(a.low, b.low), min(a.high, b.high)
    return Interval(min(low, high), max(low, high))


__all__ = ["KIND", "Params", "check"]
