"""Consistency rules: YAML rule files, one module per rule kind, interval arithmetic and the engine.

    ruleset = load_rules("rules")                 # LedgerError / RuleFileErrors on a bad rule file
    findings = run_rules(ruleset, facts, articles)
    schema()                                       # JSON Schema of rule files
"""

from __future__ import annotations

from typing import Any

from ledger.checks.engine import run_rules
from ledger.checks.loader import RuleFileErrors, RuleSet, load_rules, load_text
from ledger.checks.registry import KINDS, RuleFile

SCHEMA_ID = "https://ledger.invalid/schemas/rules-v1.json"


def schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a rule file, generated from the pydantic models."""
    out = RuleFile.model_json_schema(by_alias=True)
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
           "title": "ledger rule file", **{k: v for k, v in out.items() if k != "title"}}
    return out


__all__ = ["KINDS", "RuleFileErrors", "RuleSet", "load_rules", "load_text", "run_rules", "schema"]
