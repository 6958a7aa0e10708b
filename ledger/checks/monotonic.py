"""A figure must only move one way over time.

Why it matters
~~~~~~~~~~~~~~
Some figures only grow: a cumulative death toll, money spent to date, people displaced since the war
began. When a later report gives a smaller cumulative figure than an earlier one, either a report is wrong
or the figure is not the same measure, and the story should say so.

The figures the selector matches are ordered by `order_by` (default `published`, the article's date;
`as_of` is the fact's own date, falling back to `published`; or `meta.KEY`). Figures without an order
value are left out (the work says how many). Figures that share an order value are alternatives: the rule
passes when some choice of one figure per value can move in `direction` (`increasing`, `decreasing`,
`non_decreasing` (default), `non_increasing`), each figure being an interval widened by `tolerance`. One
finding per group (default `group_by: []`); a failing one names the figures, and so the articles, that
break the order. Skipped when fewer than two order values have figures.

Message placeholders: ``{series}`` (the ordered figures), ``{breaks}`` (each break, "X then Y"),
``{direction}``, ``{order_by}``, plus the common ones.

FAIL
~~~~
.. code-block:: markdown

    ---
    id: toll-1
    published: 2023-01-02
    ---
    The death toll has risen to 300 people, officials said.

.. code-block:: markdown

    ---
    id: toll-2
    published: 2023-01-05
    ---
    The death toll stands at 250 people, officials said.

.. code-block:: yaml

    id: example.monotonic
    kind: monotonic
    select: {text: death toll}
    direction: non_decreasing

PASS
~~~~
.. code-block:: markdown

    ---
    id: toll-1
    published: 2023-01-02
    ---
    The death toll has risen to 300 people, officials said.

.. code-block:: markdown

    ---
    id: toll-2
    published: 2023-01-05
    ---
    The death toll stands at 420 people, officials said.

.. code-block:: yaml

    id: example.monotonic
    kind: monotonic
    select: {text: death toll}
    direction: non_decreasing
"""

from __future__ import annotations

import functools
import math
from datetime import date
from typing import Any, Iterator, Literal

import difflib

from pydantic import field_validator

from ledger.checks.base import RuleParams, Selector
from ledger.checks.facts import FactSet, article_value, commonest_dimension
from ledger.checks.interval import Interval, le, lt
from ledger.model import Fact, Finding

KIND = "monotonic"
Direction = Literal["increasing", "decreasing", "non_decreasing", "non_increasing"]
SYMBOL = {"increasing": "<", "decreasing": ">", "non_decreasing": "≤", "non_increasing": "≥"}


class Params(RuleParams):
    """Figures ordered by date (or another key) must move in one direction."""

    kind: Literal["monotonic"]
    select: Selector
    """The figures in the series."""
    order_by: str = "published"
    """published (the article's date), as_of (the fact's date, else published) or meta.KEY."""
    direction: Direction = "non_decreasing"
    """increasing, decreasing, non_decreasing or non_increasing."""

    @field_validator("order_by")
    @classmethod
    def _order_key(cls, v: str) -> str:
        if v in ("published", "as_of") or (v.startswith("meta.") and len(v) > 5):
            return v
        close = difflib.get_close_matches(v, ["published", "as_of"], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"cannot order by {v!r}; use published, as_of or meta.KEY{hint}")

    def roles(self) -> dict[str, Selector]:
        return {"select": self.select}


def _order_value(p: Params, facts: FactSet, fact: Fact) -> Any:
    article = facts.article(fact.article)
    if p.order_by == "as_of":
        value: Any = fact.as_of or (article.published if article else None)
    elif p.order_by == "published":
        value = article.published if article else None
    else:
        value = article_value(article, p.order_by[5:])
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return (1, value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value))
    return (1, str(value))


def _show(key: Any) -> str:
    value = key[1]
    return str(int(value)) if isinstance(value, float) and value == int(value) else str(value)


def check(p: Params, facts: FactSet) -> Iterator[Finding]:
    selected = facts.select(p.select)
    other_units: list[Fact] = []
    if p.select.unit is None:
        selected, other_units = commonest_dimension(selected)
    keyed: dict[Any, list[Fact]] = {}
    undated: list[Fact] = []
    for fact in selected:
        key = _order_value(p, facts, fact)
        if key is None:
            undated.append(fact)
        else:
            keyed.setdefault(key, []).append(fact)
    if not selected and not other_units:
        yield facts.missing({"select": selected})  # names the selector, to show what to loosen
        return
    if len(keyed) < 2:
        note = f" ({len(undated)} without {p.order_by})" if undated else ""
        yield facts.skipped(f"skipped: figures at {len(keyed)} {p.order_by} value(s){note}; "
                            "monotonic needs two or more", roles={"select": selected})
        return
    keys = sorted(keyed)
    unit = facts.unit_for([p.select], [keyed[keys[0]][0]])
    falling = p.direction in ("decreasing", "non_increasing")
    strict = p.direction in ("increasing", "decreasing")

    def interval(fact: Fact) -> Interval:
        iv = facts.interval(fact, unit)
        return -iv if falling else iv

    current = -math.inf
    current_fact: Fact | None = None
    breaks: list[tuple[Fact, list[Fact], Interval, Interval]] = []
    used: list[Fact] = []
    for key in keys:
        options = sorted(keyed[key], key=lambda f: (f.article, f.start, f.id))
        feasible = []
        for fact in options:
            iv = interval(fact)
            if current_fact is None or (lt(current, iv.high) if strict else le(current, iv.high)):
                feasible.append((max(iv.low, current), fact))
        if feasible:
            value, fact = min(feasible, key=lambda t: (t[0], t[1].article, t[1].start))
            if current_fact is None or value > current:
                current_fact = fact
            current = max(current, value)
            used.append(fact)
        else:
            assert current_fact is not None
            expected = Interval(current, math.inf)
            actual = functools.reduce(Interval.hull, (interval(f) for f in options))
            breaks.append((current_fact, options, -expected if falling else expected, -actual if falling else actual))
            value, fact = min(((interval(f).low, f) for f in options), key=lambda t: (t[0], t[1].article, t[1].start))
            current, current_fact = value, fact
            used.append(fact)
    symbol = SYMBOL[p.direction]
    series = f" {symbol} ".join(f"{facts.figure(f, unit)} ({f.article}, {_show(_order_value(p, facts, f))})"
                                for f in used)
    left_out = f" ({len(undated)} figure(s) without {p.order_by} left out)" if undated else ""
    if other_units:
        left_out += f" ({len(other_units)} figure(s) in other units left out)"
    if not breaks:
        yield facts.finding("pass", f"{len(used)} figures move {p.direction.replace('_', '-')} by {p.order_by}",
                            facts=used, roles={"series": used}, unit=unit, work=f"{series}: pass{left_out}")
        return
    breaking: list[Fact] = []
    break_texts = []
    for before, after, _, _ in breaks:
        breaking.extend(x for x in [before, *after] if x not in breaking)
        after_text = " / ".join(f"{f.surface} ({f.article})" for f in after)
        break_texts.append(f"{before.surface} ({before.article}) then {after_text}")
    breaks_text = "; ".join(break_texts)
    message = f"not {p.direction.replace('_', '-')} by {p.order_by}: {breaks_text}"
    _, _, expected, actual = breaks[0]
    yield facts.finding("fail", message, facts=breaking, roles={"series": used, "breaks": breaking},
                        expected=expected, actual=actual, unit=unit,
                        work=f"{series}: fail at {breaks_text}{left_out}",
                        values={"series": series, "breaks": breaks_text, "direction": p.direction,
                                "order_by": p.order_by})


__all__ = ["KIND", "Params", "check"]
