"""Corpora with one planted inconsistency per kind (`cases/<kind>.yml`): the planted finding fails with the
right rule, articles and facts, and nothing else fails. Run with the stand-in extractor, and end to end
with the real one when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ledger.checks import KINDS, load_text, run_rules
from tests.checks.helpers import article, mini_extract, real_extract

CASES = Path(__file__).parent / "cases"


def load_case(kind: str):
    return yaml.safe_load((CASES / f"{kind}.yml").read_text(encoding="utf-8"))


def check_case(kind: str, extract) -> None:
    case = load_case(kind)
    arts = [article(text, f"case-{i}") for i, text in enumerate(case["articles"])]
    facts = [f for a in arts for f in extract(a)]
    by_id = {f.id: f for f in facts}
    findings = run_rules(load_text(case["rules"], f"cases/{kind}.yml"), facts, arts)
    assert {f.kind for f in findings} == {kind}
    expected_failures = 0
    for expect in case["expect"]:
        matching = [f for f in findings if f.rule == expect["rule"] and f.status == expect["status"]
                    and set(f.articles) == set(expect["articles"])]
        assert matching, (expect, [(f.status, f.articles, f.message) for f in findings])
        if "facts" in expect:
            surfaces = {by_id[i].surface for i in matching[0].facts}
            assert surfaces == set(expect["facts"]), (surfaces, matching[0].work)
        expected_failures += expect["status"] == "fail"
    failures = [f for f in findings if f.status == "fail"]
    assert len(failures) == expected_failures, [f.message for f in failures]


def test_every_kind_has_a_planted_case():
    assert sorted(p.stem for p in CASES.glob("*.yml")) == sorted(KINDS)


@pytest.mark.parametrize("kind", list(KINDS))
def test_planted_with_stand_in_extractor(kind):
    check_case(kind, mini_extract)


@pytest.mark.parametrize("kind", list(KINDS))
def test_planted_end_to_end(kind):
    extract = real_extract()
    if extract is None:
        pytest.skip("ledger.extract is not ready")
    check_case(kind, extract)
