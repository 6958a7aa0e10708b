"""The built-in `auto.*` rules document themselves (`ledger.checks.builtin`), and their examples run as
`ledger check` runs them."""

from __future__ import annotations

import pytest

from ledger.checks.auto import RULES
from ledger.checks.builtin import BUILTIN_RULES
from ledger.checks.loader import RuleSet
from ledger.cli import build_report
from ledger.config import Config
from ledger.pipeline import article_facts
from tests.checks.helpers import article


def findings_of(rule_id: str, texts: tuple[str, ...]):
    articles = [article(text, f"article-{i}") for i, text in enumerate(texts, start=1)]
    facts = [fact for a in articles for fact in article_facts(a)]
    report, _ = build_report(RuleSet(rules=[]), Config(), articles, facts, [])
    return [f for f in report.findings if f.rule == rule_id]


def test_every_builtin_rule_is_documented():
    assert list(BUILTIN_RULES) == list(RULES)
    for rule in BUILTIN_RULES.values():
        assert rule.description.endswith(".") and rule.checks.endswith(".")
        assert rule.failing and rule.passing


@pytest.mark.parametrize("rule_id", list(BUILTIN_RULES))
def test_failing_example_fails_as_an_error(rule_id):
    findings = findings_of(rule_id, BUILTIN_RULES[rule_id].failing)
    assert [f.severity for f in findings if f.status == "fail"] == ["error"], [f.message for f in findings]


@pytest.mark.parametrize("rule_id", list(BUILTIN_RULES))
def test_passing_example_passes(rule_id):
    statuses = [f.status for f in findings_of(rule_id, BUILTIN_RULES[rule_id].passing)]
    assert "pass" in statuses and "fail" not in statuses
