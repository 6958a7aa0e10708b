"""The unit registry as news reads it: what counts as a share, an angle, a decade."""

from __future__ import annotations

import pytest

from ledger.checks import load_text, run_rules
from ledger.checks.facts import unit_matches
from ledger.units import dimensionality, factor
from tests.checks.helpers import article, make_fact


@pytest.mark.parametrize("unit, dimension", [
    ("percent", "percent"), ("ppm", "percent"), ("fraction", "percent"), ("percentage_point", "percent"),
    ("degree", "angle"), ("radian", "angle"), ("decade", "[time]"), (None, "count"),
])
def test_dimensions(unit, dimension):
    assert dimensionality(unit) == dimension


def test_a_decade_is_ten_years_and_an_angle_is_no_share():
    assert factor("decade", "year") == 10.0
    assert not unit_matches("percent", "degree") and not unit_matches("percent", "decade")


def test_a_share_rule_leaves_angles_and_decades_alone():
    a = article("---\nid: a\n---\nA fragment made a 90 degree turn, two decades after 120 percent of voters came.\n", "a")
    facts = [make_fact(a, "90 degree", 90, unit="degree"), make_fact(a, "two decades", 2, unit="decade"),
             make_fact(a, "120 percent", 120, unit="percent")]
    rules = load_text("rules:\n  - id: share\n    kind: bounds\n    select: {unit: percent}\n    min: 0\n    max: 100\n")
    [finding] = run_rules(rules, facts, [a])
    assert finding.status == "fail" and finding.facts == (facts[2].id,)
