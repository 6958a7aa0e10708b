"""consistency.json: the versioned contract, checked against the schema the package ships."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema

from ledger.model import Article, Finding, Report, RuleInfo
from ledger.report import render
from ledger.report.data import COMPUTED_FINDING_KEYS, UNREPORTED_FINDING_KEYS


def schema() -> dict:
    text = resources.files("ledger").joinpath("data/consistency.schema.json").read_text(encoding="utf-8")
    document = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(document)
    return document


def test_validates_against_the_shipped_schema(report):
    document = json.loads(render("json", report))
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert not list(jsonschema.Draft202012Validator(schema()).iter_errors(json.loads(render("json", Report()))))


def test_schema_names_every_model_field():
    defs = schema()["$defs"]
    assert set(defs["finding"]["properties"]) == set(Finding.model_fields) - UNREPORTED_FINDING_KEYS | set(COMPUTED_FINDING_KEYS)
    assert set(defs["rule"]["properties"]) == set(RuleInfo.model_fields)
    assert set(defs["article"]["properties"]) == set(Article.model_fields) - {"text"}


def test_shape_and_summary(report):
    document = json.loads(render("json", report))
    assert list(document) == ["version", "summary", "findings", "rules", "articles", "relations", "errors"]
    assert document["version"] == 1
    summary = document["summary"]
    assert summary["by_status"] == {"fail": 3, "pass": 2, "skipped": 1, "waived": 1}
    assert summary["failures_by_severity"] == {"error": 1, "info": 1, "warning": 1}
    assert (summary["articles"], summary["facts"], summary["rules"], summary["findings"]) == (7, 11, 6, 7)
    assert all("text" not in a for a in document["articles"])
    first = document["findings"][0]
    assert first["location"] == {"path": "corpus/hostile.md", "line": 4, "column": 1}
    assert first["status"] == "skipped"
    assert list(first)[:10] == ["rule", "kind", "severity", "status", "message", "group", "articles", "facts",
                                "expected", "actual"]


def test_findings_sorted_by_file_line_column_rule(report):
    document = json.loads(render("json", report))
    keys = [(f["location"]["path"], f["location"]["line"], f["location"]["column"], f["rule"])
            for f in document["findings"]]
    assert keys == sorted(keys)


def test_text_is_utf8_not_escaped(report):
    text = render("json", report)
    assert "45,800–54,200" in text and "\\u2013" not in text
