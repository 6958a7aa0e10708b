"""Running rules over facts: group the facts each rule looks at, call the kind's `check()` per group, and
keep going when a check raises (the crash becomes a failing finding). Findings come out sorted by rule id,
then group.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ledger.checks.base import Aliases
from ledger.checks.facts import Context, FactSet, UnitMismatch
from ledger.checks.registry import KINDS
from ledger.model import Article, Fact, Finding, share_values


def _group_sort_key(group: dict[str, Any]) -> str:
    return json.dumps(group, sort_keys=True, default=str)


def crash_finding(rule: Any, group: dict[str, Any], error: BaseException) -> Finding:
    text = str(error).splitlines()[0] if str(error) else ""
    return Finding(rule=rule.id, kind=rule.kind, severity=rule.severity, status="fail",
                   message=f"engine crash: {type(error).__name__}{': ' + text if text else ''}", group=dict(group))


def groups_for(rule: Any, context: Context) -> list[tuple[dict[str, Any], list[Fact]]]:
    """The groups (by the rule's `group_by`) of the facts any of its roles matches; one empty group when none."""
    relevant: set[str] = set()
    for selector in rule.roles().values():
        relevant.update(fact.id for fact in context.select(selector))
    keys = rule.grouping()
    grouped: dict[tuple[Any, ...], list[Fact]] = {}
    for fact in [f for f in context.facts if f.id in relevant]:
        key = context.group_key(fact, keys)
        if key is None:
            continue
        grouped.setdefault(key, []).append(fact)
    if not grouped:
        return [({}, [])]
    return [(dict(key), facts) for key, facts in grouped.items()]


def run_rule(rule: Any, context: Context) -> list[Finding]:
    module = KINDS[rule.kind]
    try:
        groups = groups_for(rule, context)
    except Exception as e:  # noqa: BLE001 - a broken rule must not stop the others
        return [crash_finding(rule, {}, e)]
    findings: list[Finding] = []
    for group, facts in sorted(groups, key=lambda g: _group_sort_key(g[0])):
        fact_set = FactSet(rule=rule, group=group, facts=facts, context=context)
        try:
            findings.extend(module.check(rule, fact_set))
        except UnitMismatch as e:
            findings.append(fact_set.skipped(f"skipped: units do not convert: {e}",
                                             roles={"facts": facts}))
        except Exception as e:  # noqa: BLE001
            findings.append(crash_finding(rule, group, e))
    return findings


def run_rules(ruleset: Any, facts: Iterable[Fact], articles: Iterable[Article], aliases: Aliases | None = None) -> list[Finding]:
    """Every rule's findings over the facts, sorted by rule id and group (stable within a group)."""
    ordered = sorted(facts, key=lambda f: (f.article, f.start, f.end, f.id))
    context = Context(facts=ordered, articles={a.id: a for a in articles},
                      aliases=aliases if aliases is not None else getattr(ruleset, "aliases", None) or Aliases())
    findings: list[Finding] = []
    for rule in sorted(ruleset.rules, key=lambda r: r.id):
        findings.extend(share_values(run_rule(rule, context), {}))  # a rule may find once per fact: keep them small
    return findings
