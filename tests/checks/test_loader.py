"""Rule files: every malformed case stops with file:line:column of the offending key or value."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ledger.checks import RuleFileErrors, load_rules, load_text, schema
from ledger.errors import LedgerError

GOOD = """\
version: 1
defaults:
  severity: warning
aliases:
  subjects: {inmate: [prisoner, convict]}
rules:
  - id: wagner.force.composition
    kind: sum
    total: {subject: [fighters, people], text: Wagner}
    parts:
      - {subject: contractors}
      - {subject: [inmates, prisoners, convicts]}
    tolerance: {rel: 0.01}
  - id: wagner.spending.agrees
    kind: agreement
    severity: error
    select: {unit: USD/year, text: "spend|spending|costs?"}
"""


def error_lines(text: str) -> list[str]:
    with pytest.raises(LedgerError) as info:
        load_text(text, "r.yaml")
    return str(info.value).splitlines()


def test_a_good_file_loads_with_defaults_locations_and_aliases():
    rules = load_text(GOOD, "rules/wagner.yaml")
    first, second = rules.rules
    assert (first.kind, first.severity, second.severity) == ("sum", "warning", "error")
    assert first.grouping() == ("article",) and second.grouping() == ()
    info = rules.infos()[0]
    assert (info.file, info.line, info.column, info.kind) == ("rules/wagner.yaml", 7, 5, "sum")
    assert rules.aliases.subjects == {"inmate": ["prisoner", "convict"]}


@pytest.mark.parametrize("text, expected", [
    ("rules:\n  - id: a\n    kind: sum\n    total: {subject: x\n", "r.yaml:5:1: YAML syntax error"),
    ("rules:\n\t- id: a\n", "r.yaml:2:1: YAML syntax error: a tab character"),
    ("rules:\n  - id: a\n    kind: bounds\n    kind: sum\n", "r.yaml:4:5: rules[0].kind: duplicate key 'kind' (first on line 3)"),
    ("rules:\n  - id: a\n    kind: summ\n", "r.yaml:3:11: rules[0].kind: unknown kind 'summ'; valid kinds: sum, agreement, "
     "ratio, bounds, monotonic, expr; did you mean 'sum'?"),
    ("rules:\n  - id: a\n    kind: sum\n    total: {subject: x}\n    partz:\n      - {subject: y}\n",
     "r.yaml:5:5: rules[0].partz: unknown key 'partz'; did you mean 'parts'?"),
    ("rules:\n  - id: a\n    kind: sum\n    total: {subjct: x}\n    parts: [{subject: y}]\n",
     "r.yaml:4:13: rules[0].total.subjct: unknown key 'subjct'; did you mean 'subject'?"),
    ("rules:\n  - id: a\n    kind: sum\n    total: {subject: x}\n    parts: [{subject: y}]\n    exhaustive: maybe\n",
     "r.yaml:6:17: rules[0].exhaustive: Input should be a valid boolean"),
    ("rules:\n  - id: a\n    kind: sum\n    total: {subject: x}\n    parts: [{subject: y}]\n    tolerance: {rel: lots}\n",
     "r.yaml:6:22: rules[0].tolerance.rel: Input should be a valid number"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {unit: USDD/year}\n    max: 5\n",
     "r.yaml:4:20: rules[0].select.unit: unknown unit 'USDD/year'"),
    ("rules:\n  - id: a\n    kind: expr\n    facts: {a: {subject: x}, b: {subject: y}}\n    assert: a + = b\n",
     "r.yaml:5:13: rules[0].assert: unexpected character '='"),
    ("rules:\n  - id: a\n    kind: expr\n    facts: {total: {subject: x}, b: {subject: y}}\n    assert: totl == b\n",
     "r.yaml:5:13: rules[0].assert: 'totl' is not one of the names in facts (total, b); did you mean 'total'?"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {text: 'spend(ing'}\n    max: 5\n",
     "r.yaml:4:20: rules[0].select.text: regular expression does not compile"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {near: '(a+)+b'}\n    max: 5\n",
     "r.yaml:4:20: rules[0].select.near: regular expression nests repeats"),
    ("", "r.yaml:1:1: empty rule file"),
    ("# only a comment\n", "r.yaml:1:1: empty rule file"),
    ("- a\n", "r.yaml:1:1: (top level): a rule file is a mapping"),
    ("rules:\n  - id: a\n    total: {}\n", "r.yaml:2:5: rules[0]: missing required key 'kind'"),
    ("rules:\n  - id: a\n    kind: sum\n    parts: [{subject: y}]\n", "r.yaml:2:5: rules[0]: missing required key 'total'"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n",
     "r.yaml:6:9: rules[1].id: duplicate rule id 'a' (first in r.yaml:2)"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n    group_by: [artcle]\n",
     "r.yaml:6:15: rules[0].group_by: unknown group key 'artcle'"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n    severity: fatal\n",
     "r.yaml:6:15: rules[0].severity: Input should be 'error', 'warning' or 'info' (got 'fatal')"),
    ("version: 1\nrulez: []\n", "r.yaml:2:1: rulez: unknown key 'rulez'; did you mean 'rules'?"),
    ("version: 2\nrules: []\n", "r.yaml:1:10: version: Input should be 1"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {}\n", "r.yaml:2:5: rules[0]: give min, max or both"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {qualifier: aprox}\n    max: 1\n",
     "r.yaml:4:25: rules[0].select.qualifier[0]: Input should be 'exact'"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {meta: {outlet: [a, {x: 1}]}}\n    max: 1\n",
     "r.yaml:4:33: rules[0].select.meta.outlet[1]: Input should be a valid string"),
    ("rules:\n  - id: a\n    kind: monotonic\n    select: {}\n    order_by: publshed\n",
     "r.yaml:5:15: rules[0].order_by: cannot order by 'publshed'; use published, as_of or meta.KEY; did you mean 'published'?"),
    ("defaults: {severity: loud}\nrules: []\n", "r.yaml:1:22: defaults.severity: Input should be"),
    ("rules: []\n---\nrules: []\n", "r.yaml:2:1: YAML syntax error"),
    ("rules:\n  - id: a\n    kind: bounds\n    select:\n    max: 1\n",
     "r.yaml:4:12: rules[0].select: Input should be a mapping (key: value) (got None)"),
    ("rules:\n  - a.b\n", "r.yaml:2:5: rules[0]: Input should be a mapping (key: value) (got 'a.b')"),
    ("aliases:\n  subjects: {inmate: [prisoner]}\n  entity:\n    Wagner: [Wagner Group]\nrules: []\n",
     "r.yaml:3:3: aliases.entity: unknown key 'entity'; did you mean 'entities'?"),
    ("a: &a [*a]\nrules: []\n", "r.yaml:1:4: a[0]: an alias refers to the mapping or list that holds it"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n    min: 2\n", "r.yaml:2:5: rules[0]: min (2.0) is above max (1.0)"),
    ("rules:\n  - id: a\n    kind: bounds\n    select: {unit: per 100,000 people}\n    max: 50\n",
     "r.yaml:4:28: rules[0].select.000 people: unknown key '000 people': inside {...} a comma separates keys; quote a "
     "value that has a comma in it: 'per 100,000 people'"),
    ("rules:\n  - id: a\n    kind: agreement\n    select: {text: killed, injured}\n",
     "r.yaml:4:28: rules[0].select.injured: unknown key 'injured': inside {...} a comma separates keys; quote a value "
     "that has a comma in it: 'killed, injured'"),
])
def test_malformed_rule_files(text, expected):
    lines = error_lines(text)
    assert lines[0].startswith(expected), lines


def test_a_value_like_an_impossible_date_is_text_not_a_crash():
    rules = load_text("rules:\n  - id: a\n    kind: bounds\n    select: {}\n    max: 1\n    tags: 2024-13-01\n", "r.yaml")
    assert rules.rules[0].tags == ["2024-13-01"]


def test_misspelled_key_is_not_also_reported_missing():
    lines = error_lines("rules:\n  - id: a\n    kind: sum\n    total: {subject: x}\n    partz:\n      - {subject: y}\n")
    assert len(lines) == 1


def test_a_key_named_like_the_kind_is_an_unknown_key_not_a_missing_one():
    lines = error_lines("version: 1\nrules:\n  - id: a\n    kind: expr\n    expr: a + b == c\n")
    assert lines == ["r.yaml:3:5: rules[0]: missing required key 'facts'",
                     "r.yaml:3:5: rules[0]: missing required key 'assert'",
                     "r.yaml:5:5: rules[0].expr: unknown key 'expr'; expected one of: id, kind, severity, description, "
                     "message, tags, group_by, tolerance, facts, assert"]


def test_money_units_may_be_written_with_their_signs():
    rules = load_text("version: 1\nrules:\n  - id: a\n    kind: agreement\n    select: {unit: $/year}\n"
                      "  - id: b\n    kind: bounds\n    select: {unit: €}\n    min: 0\n", "r.yaml")
    from ledger.units import factor

    assert [r.id for r in rules.rules] == ["a", "b"]
    assert factor("USD/month", "$/year") == pytest.approx(12) and factor("EUR", "€") == 1


def test_all_errors_are_collected_one_line_each():
    text = "rules:\n  - id: a\n    kind: sum\n    totl: {}\n    parts: []\n  - id: b\n    kind: ratoi\n"
    with pytest.raises(RuleFileErrors) as info:
        load_text(text, "r.yaml")
    assert len(info.value.errors) >= 2
    assert all("\n" not in str(e) for e in info.value.errors)
    assert [e.line for e in info.value.errors] == sorted(e.line for e in info.value.errors)


def test_alias_expansion_bomb_is_refused_quickly():
    lines = ["a: &a [1,1,1,1,1,1,1,1,1,1]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    lines.append("rules: []")
    assert "anchors and aliases expand to more than" in error_lines("\n".join(lines) + "\n")[0]


def test_anchors_and_merge_keys_within_limits_work():
    text = ("x-base: &base {kind: bounds, select: {unit: percent}, max: 100}\n"
            "rules:\n  - <<: *base\n    id: share.max\n  - <<: *base\n    id: share.max2\n    max: 50\n")
    rules = load_text(text, "r.yaml").rules
    assert [(r.id, r.max) for r in rules] == [("share.max", 100), ("share.max2", 50)]


def test_folder_is_read_recursively_sorted_and_skips_rule_tests(tmp_path: Path):
    (tmp_path / "b.yaml").write_text("rules:\n  - {id: b, kind: bounds, select: {}, max: 1}\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.yml").write_text("rules:\n  - {id: a, kind: bounds, select: {}, max: 1}\n")
    (tmp_path / "b.test.yaml").write_text("this: is not a rule file: at all\n")
    (tmp_path / "notes.txt").write_text("ignored")
    rules = load_rules(tmp_path)
    assert [r.id for r in rules.rules] == ["b", "a"]
    assert [Path(f).name for f in rules.files] == ["b.yaml", "a.yml"]


def test_duplicate_ids_across_files(tmp_path: Path):
    (tmp_path / "a.yaml").write_text("rules:\n  - id: same\n    kind: bounds\n    select: {}\n    max: 1\n")
    (tmp_path / "b.yaml").write_text("rules:\n  - kind: bounds\n    id: same\n    select: {}\n    max: 1\n")
    with pytest.raises(LedgerError) as info:
        load_rules(tmp_path)
    assert str(info.value) == (f"{tmp_path.as_posix()}/b.yaml:3:9: rules[0].id: duplicate rule id 'same' "
                               f"(first in {tmp_path.as_posix()}/a.yaml:2)")


def test_rules_folder_missing_or_a_file(tmp_path: Path):
    with pytest.raises(LedgerError, match="rules folder not found"):
        load_rules(tmp_path / "nope")
    (tmp_path / "file.yaml").write_text("rules: []\n")
    with pytest.raises(LedgerError, match="is a file"):
        load_rules(tmp_path / "file.yaml")


def test_not_utf8(tmp_path: Path):
    (tmp_path / "a.yaml").write_bytes(b"rules: []\n# \xff\xfe\n")
    with pytest.raises(LedgerError, match="not UTF-8"):
        load_rules(tmp_path)


@pytest.mark.parametrize("data, where, message", [
    ("rules:\n  - id: café.b\n".encode("latin-1"), "a.yaml:2:12", "rule file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    ("rules: []\n".encode("utf-16"), "a.yaml:1:1", "rule file is UTF-16 text; save it as UTF-8"),
])
def test_a_rule_file_in_another_encoding_is_one_line_with_its_position(tmp_path: Path, monkeypatch, data, where,
                                                                       message):
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_bytes(data)
    with pytest.raises(LedgerError) as info:
        load_rules(".")
    assert str(info.value) == f"{where}: {message}"


def test_schema_is_json_schema_and_accepts_the_shipped_rules():
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    json.dumps(s)
    validator = jsonschema.Draft202012Validator(s)
    for file in sorted(Path(__file__).parents[2].joinpath("rules").glob("*.yaml")):
        if file.name.endswith(".test.yaml"):
            continue
        data = yaml.safe_load(file.read_text())
        errors = list(validator.iter_errors(json.loads(json.dumps(data, default=str))))
        assert not errors, (file, errors[0].message)
    assert "sum" in json.dumps(s) and "assert" in json.dumps(s)


def test_schema_rejects_an_unknown_key():
    validator = jsonschema.Draft202012Validator(schema())
    assert list(validator.iter_errors({"rules": [{"id": "a", "kind": "bounds", "select": {}, "max": 1, "mx": 2}]}))
