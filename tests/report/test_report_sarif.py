"""SARIF 2.1.0: valid against the vendored schema (see SARIF_SCHEMA.md), rules declared, results located."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from ledger.model import Report
from ledger.report import render

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


@pytest.fixture
def sarif(report) -> dict:
    return json.loads(render("sarif", report))


def test_vendored_schema_is_the_sarif_2_1_0_schema():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(SCHEMA["definitions"]) == 52


def test_validates_against_the_schema(sarif):
    errors = sorted(validator().iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_empty_report_validates():
    assert not list(validator().iter_errors(json.loads(render("sarif", Report()))))


def test_the_schema_check_is_not_vacuous(sarif):
    broken = copy.deepcopy(sarif)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(validator().iter_errors(broken))) >= 2


def test_every_rule_declared_with_its_description(report, sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rules]
    agrees = rules[1]
    assert agrees["shortDescription"]["text"] == "Reports of Wagner's spending agree."
    assert agrees["defaultConfiguration"]["level"] == "error"
    assert rules[2]["defaultConfiguration"]["level"] == "warning"
    assert rules[3]["defaultConfiguration"]["level"] == "note"
    for result in sarif["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_are_failures_and_waivers_located_at_the_figure(sarif):
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("hostile.bounds", "note"), ("wagner.spending.agrees", "error"), ("wagner.force.composition", "error"),
        ("quake.toll.rises", "warning")]
    agrees = results[1]
    region = agrees["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "corpus/spend-high.md"
    assert region["region"] == {"startLine": 3, "startColumn": 38, "endLine": 3, "endColumn": 55,
                                "snippet": {"text": "$3 billion a year"}}
    waived = results[2]
    assert waived["suppressions"][0]["justification"].startswith("Known gap")


def test_related_locations_for_the_other_articles(sarif):
    toll = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "quake.toll.rises")
    assert toll["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "corpus/toll-3.md"
    related = toll["relatedLocations"]
    assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == ["corpus/toll-2.md"]
    assert related[0]["physicalLocation"]["region"]["startLine"] == 5
    assert related[0]["id"] == 1


def test_fingerprints_are_stable_and_distinct(report, sarif):
    prints = [r["partialFingerprints"]["ledgerFinding/v1"] for r in sarif["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    again = json.loads(render("sarif", report))
    assert [r["partialFingerprints"]["ledgerFinding/v1"] for r in again["runs"][0]["results"]] == prints


def test_uris_are_relative_and_encoded():
    from ledger.report.sarif import uri
    assert uri("seeds/my article #1.md") == "seeds/my%20article%20%231.md"
    assert uri("seeds\\x.md") == "seeds/x.md"


def test_input_errors_are_tool_notifications(sarif):
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "error", "message": {"text": "corpus/broken.md: not valid UTF-8 text (byte 12)"}}]
