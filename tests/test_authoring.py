"""The rule author's commands: `ledger rules test | validate | list | explain` and `ledger config schema`.

Each command's exit codes (0 clean, 1 failing case or lint warning, 2 invalid file), every malformed rule or
test file named at file:line:column in one line, and the shipped rules passing their own tests.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from ledger.authoring import COMMON_PLACEHOLDERS, config_schema, kind_placeholders, lint_rules
from ledger.checks import KINDS, load_rules, load_text, run_rules
from ledger.checks.docs import examples
from ledger.cli import build_parser, main
from ledger.ruletests import run_folder

ROOT = Path(__file__).resolve().parents[1]

SUM_RULE = """\
version: 1
rules:
  - id: demo.force
    kind: sum
    total: {subject: fighters}
    parts:
      - {subject: contractors}
      - {subject: inmates}
"""

SUM_TESTS = """\
version: 1
tests:
  - name: parts add up
    given: "Wagner has 50,000 fighters in Ukraine, including 10,000 contractors and 40,000 inmates."
    expect:
      pass: [demo.force]
  - name: parts do not add up
    given: "Wagner has 50,000 fighters in Ukraine, including 10,000 contractors and 90,000 inmates."
    expect:
      fail: [demo.force]
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty project (no ledger.yaml above it is picked up) with a `rules/` folder to fill."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_CONFIG", raising=False)
    (tmp_path / "rules").mkdir()
    return tmp_path / "rules"


def ledger(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


# -- ledger rules test --------------------------------------------------------------------------------------


def test_shipped_rules_pass_their_tests(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = ledger(capsys, "rules", "test", "rules")
    assert code == 0, out + err
    assert "FAILED" not in out and "no failing test case" not in out


def test_every_shipped_rule_has_a_failing_and_a_passing_case():
    outcome = run_folder(ROOT / "rules")
    ruleset = load_rules(ROOT / "rules")
    met = {(c.rule, c.expected) for c in outcome.checks if c.ok}
    for rule in ruleset.rules:
        assert (rule.id, "fail") in met, f"{rule.id} has no failing case"
        assert (rule.id, "pass") in met, f"{rule.id} has no passing case"
    assert not outcome.failed and not outcome.untested and not outcome.never_pass


def test_rules_test_exit_0_and_table(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "demo.test.yaml", SUM_TESTS)
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0, out
    assert "rules/demo.test.yaml:3" in out and "parts add up" in out and "demo.force" in out
    assert "2 of 2 expectations met in 2 cases (1 test file)" in out


def test_rules_test_exit_1_shows_the_findings(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "demo.test.yaml", SUM_TESTS.replace("fail: [demo.force]", "pass: [demo.force]"))
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 1
    assert "rules/demo.test.yaml:7:5: parts do not add up: demo.force was expected to pass but gave fail" in out
    assert "10,000 + 90,000" in out  # the finding's work
    assert "facts extracted:" in out
    assert "rule demo.force has no failing test case" in out


def test_rules_test_expected_skip(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "demo.test.yaml", SUM_TESTS + """\
  - name: no total
    given: "Wagner has 10,000 contractors."
    expect: {skip: demo.force}
""")
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0, out


def test_rules_test_several_articles_as_text_and_mappings(folder, capsys):
    write(folder, "spend.yaml", """\
        version: 1
        rules:
          - id: demo.spend
            kind: agreement
            select: {unit: USD/year, text: spend}
        """)
    write(folder, "spend.test.yaml", """\
        version: 1
        tests:
          - given:
              - {id: monthly, published: 2022-12-22, text: "Wagner is spending $100 million a month in Ukraine."}
              - |
                ---
                id: yearly
                published: 2023-01-12
                ---
                Wagner spends $2.5 billion a year on the war.
            expect: {fail: [demo.spend]}
        """)
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0, out


def test_untested_rule_is_reported_and_strict_fails(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "demo.test.yaml", SUM_TESTS.split("  - name: parts do not")[0])
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0
    assert "rules/demo.yaml:3:9: warning: rule demo.force has no failing test case" in out
    code, out, _ = ledger(capsys, "rules", "test", "--strict")
    assert code == 1


def test_rules_test_sees_entities_and_dates_as_check_does(folder, capsys):
    """A case's articles are annotated like `ledger check`'s: `entity` and `order_by: as_of` work in tests."""
    write(folder, "acme.yaml", """\
        version: 1
        rules:
          - id: acme.headcount
            kind: agreement
            select: {entity: Acme, subject: workers}
          - id: acme.cuts
            kind: monotonic
            select: {subject: people}
            order_by: as_of
        """)
    write(folder, "acme.test.yaml", """\
        version: 1
        tests:
          - given:
              - {id: a, published: 2024-01-01, text: "Acme employs 15,000 workers."}
              - {id: b, published: 2024-02-01, text: "Acme employs 25,000 workers."}
            expect: {fail: [acme.headcount]}
          - given: "By March 2023 the toll was 300 people. By May 2023 it was 250 people."
            expect: {fail: [acme.cuts]}
        """)
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0, out


def test_rules_test_uses_the_settings_of_ledger_yaml(folder, capsys):
    """The interval margins and aliases of ledger.yaml apply to rule tests as they do to `ledger check`."""
    write(folder, "force.yaml", """\
        version: 1
        rules:
          - id: demo.force
            kind: agreement
            select: {subject: fighters}
        """)
    write(folder, "force.test.yaml", """\
        version: 1
        tests:
          - given: "Wagner has about 50,000 fighters. Later, officials counted 56,000 fighters."
            expect: {fail: [demo.force]}
          - given: "Wagner has 50,000 fighters and 40,000 troops."
            expect: {fail: [demo.force]}
        """)
    (folder.parent / "ledger.yaml").write_text("version: 1\nqualifiers: {approx: 0.05}\n"
                                               "aliases:\n  subjects:\n    fighter: [troops]\n")
    try:
        code, out, _ = ledger(capsys, "rules", "test")
    finally:
        from ledger.extract.intervals import configure

        configure(None)
    assert code == 0, out


def test_rules_test_expects_builtin_rules_as_check_runs_them(folder, capsys):
    """A case may name an `auto.*` rule; ledger.yaml's `rules:` switch it off or change it as for `ledger check`."""
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "demo.test.yaml", SUM_TESTS + """\
  - name: the share is wrong
    given: "Acme will cut 3,000 jobs, or about 8 percent of its 25,000 workers."
    expect: {fail: [auto.share]}
  - name: the change is right
    given: "Sales rose 5% to $2 billion from $1.9 billion."
    expect: {pass: [auto.change]}
""")
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0, out
    assert "4 of 4 expectations met" in out
    (folder.parent / "ledger.yaml").write_text("version: 1\nrules: {auto.share: off}\n")
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 1 and "auto.share was expected to fail but gave skip" in out


@pytest.mark.parametrize("kind, extra", [("agreement", ""), ("bounds", "\n            max: 10"),
                                         ("monotonic", "")])
def test_a_rule_that_matched_nothing_names_its_selector(folder, capsys, kind, extra):
    """As with sum and ratio, the skipped finding of a one-selector kind says which selector to loosen."""
    write(folder, "demo.yaml", f"""\
        version: 1
        rules:
          - id: demo.rule
            kind: {kind}
            select: {{subject: employees, entity: Acme}}{extra}
        """)
    write(folder, "demo.test.yaml", """\
        version: 1
        tests:
          - given: "Acme employs 15,000 workers."
            expect: {pass: [demo.rule]}
        """)
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 1
    assert "skipped: no fact matched select {subject: employees, entity: Acme}" in out, out


def test_rules_test_without_test_files(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    code, out, _ = ledger(capsys, "rules", "test")
    assert code == 0 and "no rule tests in rules" in out and "demo.force has no failing test case" in out


def test_rules_test_invalid_rule_file_exits_2(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE.replace("kind: sum", "kind: summ"))
    write(folder, "demo.test.yaml", SUM_TESTS)
    code, out, err = ledger(capsys, "rules", "test")
    assert code == 2
    assert err.startswith("ledger: error: rules/demo.yaml:4:11: rules[0].kind: unknown kind 'summ'")
    assert "did you mean 'sum'?" in err


MALFORMED_TESTS = [
    pytest.param("version: 1\ntests:\n  - given: x\n    expect:\n      fial: [demo.force]\n",
                 "5:7", "tests[0].expect.fial: unknown key 'fial'; did you mean 'fail'?", id="misspelled-key"),
    pytest.param("version: 1\ntests:\n  - given: x\n    expect: {fail: [demo.forc]}\n",
                 "4:21", "no rule 'demo.forc' in the rules folder; did you mean 'demo.force'?", id="unknown-rule-id"),
    pytest.param("version: 1\ntests:\n  - given: 5\n    expect: {fail: [demo.force]}\n",
                 "3:12", "tests[0].given: expected article text", id="given-not-text"),
    pytest.param("version: 1\ntests:\n  - given: [{text: hi, publshed: 2020-01-01}]\n    expect: {fail: demo.force}\n",
                 "3:24", "unknown key 'publshed'; did you mean 'published'?", id="article-key"),
    pytest.param("version: 1\ntests:\n  - given: [{text: hi, published: someday}]\n    expect: {fail: demo.force}\n",
                 "3:35", "tests[0].given[0].published: Input should be a valid date", id="bad-date"),
    pytest.param("version: 1\ntests:\n  - given: x\n  bad: [\n", "4:3", "YAML syntax error", id="yaml-syntax"),
    pytest.param("version: 1\ntests:\n  - given: x\n    expect: {}\n", "4:13", "expect names no rule", id="empty-expect"),
    pytest.param("version: 1\ntests:\n  - given: x\n    expect: {fail: [demo.force], pass: [demo.force]}\n",
                 "4:13", "expected both to fail and to pass", id="fail-and-pass"),
    pytest.param("version: 1\ntests:\n  - expect: {fail: [demo.force]}\n", "3:5",
                 "tests[0]: missing required key 'given'", id="missing-given"),
    pytest.param("version: 1\ntests:\n  - given: x\n    given: y\n    expect: {fail: [demo.force]}\n", "4:5",
                 "duplicate key 'given' (first on line 3)", id="duplicate-key"),
    pytest.param("version: 1\ntests: []\n", "2:8", "give at least one case", id="no-cases"),
    pytest.param("- 1\n", "1:1", "a rule test file is a mapping with a 'tests:' list", id="not-a-mapping"),
    pytest.param("version: 1\ntests:\n  - given: \"---\\nid: [\\n---\\ntext\"\n    expect: {fail: [demo.force]}\n",
                 "3:12", "broken front matter", id="broken-front-matter"),
    pytest.param("version: 1\ntests:\n  - given: [a, b]\n    expect: {fail: [demo.force]}\n", "3:18",
                 "", id="two-articles-without-ids-are-fine"),
    pytest.param('version: 1\ntests:\n  - given: ["---\\nid: a\\n---\\nx", "---\\nid: a\\n---\\ny"]\n'
                 '    expect: {fail: [demo.force]}\n', "3:35", "two articles have the id 'a'", id="duplicate-article-id"),
    pytest.param("version: 2\ntests:\n  - given: x\n    expect: {fail: [demo.force]}\n", "1:10",
                 "version: Input should be 1", id="version"),
    pytest.param("version: 1\ntests:\n  - given: [{text: hi, published: 2024-13-01}]\n    expect: {fail: demo.force}\n",
                 "3:35", "tests[0].given[0].published: Input should be a valid date", id="impossible-date"),
    pytest.param("version: 1\ntests:\n  - given: {text: hi, published: someday}\n    expect: {fail: demo.force}\n",
                 "3:34", "tests[0].given.published: Input should be a valid date", id="one-article-mapping"),
    pytest.param("version: 1\ntests:\n  - given: x\n    expect: {fail: [demo.force, demo.force]}\n",
                 "4:13", "rule 'demo.force' is listed twice under fail", id="listed-twice"),
]


@pytest.mark.parametrize("text, where, message", MALFORMED_TESTS)
def test_malformed_test_file_is_one_line_with_position(folder, capsys, text, where, message):
    write(folder, "demo.yaml", SUM_RULE)
    (folder / "demo.test.yaml").write_text(text, encoding="utf-8")
    code, out, err = ledger(capsys, "rules", "test")
    if not message:  # a valid file, for contrast: two articles without ids get distinct ones
        assert code in (0, 1), err
        return
    assert code == 2, out + err
    assert err.startswith(f"ledger: error: rules/demo.test.yaml:{where}: "), err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    # `validate` checks test files too, with the same message
    code, _, err2 = ledger(capsys, "rules", "validate")
    assert code == 2 and err2 == err


def test_all_problems_in_all_test_files_are_listed(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    write(folder, "a.test.yaml", "version: 1\ntests:\n  - given: x\n    expect: {fail: [nope]}\n")
    write(folder, "b.test.yml", "version: 1\ntests:\n  - given: x\n    expect: {pass: [nope]}\n")
    code, _, err = ledger(capsys, "rules", "test")
    assert code == 2
    assert "rules/a.test.yaml:4:21:" in err and "rules/b.test.yml:4:21:" in err


# -- ledger rules validate ----------------------------------------------------------------------------------


def test_validate_shipped_rules_is_clean(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = ledger(capsys, "rules", "validate", "rules")
    assert code == 0, out + err
    assert out.strip().endswith(": valid")


LINTS = [
    pytest.param("""\
        version: 1
        defaults:
          severity: warning
        rules:
          - id: a
            kind: bounds
            severity: error
            select: {unit: percent}
            max: 100
        """, "3:3", "lint.unused_default defaults.severity is never used", id="unused-default"),
    pytest.param("""\
        version: 1
        defaults: {tags: [x]}
        rules: []
        """, "2:12", "lint.unused_default defaults.tags is never used: the file has no rules", id="default-no-rules"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: sum
            message: "{parts} vs {totl}"
            total: {subject: fighters}
            parts: [{subject: contractors}]
        """, "5:14", "lint.unknown_placeholder message placeholder {totl} does not exist for kind sum; "
                     "did you mean {total}?", id="unknown-placeholder"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: bounds
            message: "{} is too big"
            select: {unit: percent}
            max: 100
        """, "5:14", "lint.unknown_placeholder message has a positional placeholder {}", id="positional"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: bounds
            message: "{value is too big"
            select: {unit: percent}
            max: 100
        """, "5:14", "lint.bad_template message is not a valid template", id="broken-template"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: agreement
            select: {subject: people}
            tolerance: {rel: 20}
        """, "6:22", "lint.tolerance_too_wide tolerance.rel 20 lets each figure be 2000% off; rel is a fraction "
                     "of the figure: write 0.2 for 20 %", id="tolerance-in-percent"),
    pytest.param("""\
        version: 1
        defaults:
          tolerance: {rel: 5}
        rules:
          - id: a
            kind: agreement
            select: {subject: people}
          - id: b
            kind: agreement
            select: {subject: jobs}
        """, "3:20", "lint.tolerance_too_wide defaults.tolerance.rel 5 lets each figure be 500% off", id="default-tolerance"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: bounds
            select: {subject: [people, euros], unit: count}
            max: 100
        """, "5:32", "lint.subject_is_unit select: subject 'euros' is a unit (currency EUR)", id="subject-is-unit"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: expr
            facts:
              spent: {subject: dollars}
              total: {near: total}
            assert: spent <= total
        """, "6:24", "lint.subject_is_unit facts.spent: subject 'dollars' is a unit (currency USD)", id="expr-subject"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: sum
            total: {subject: fighters, unit: count}
            parts:
              - {subject: contractors, unit: USD}
        """, "7:38", "lint.units_never_convert parts[0] has `unit: USD`, which never converts to total's "
                     "`unit: count`", id="units-never-convert"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: ratio
            numerator: {subject: inmates}
            denominator: {subject: fighters}
            share: {unit: USD}
        """, "7:19", "lint.units_never_convert share has `unit: USD`, but a share is a percentage", id="share-unit"),
    pytest.param("""\
        version: 1
        rules:
          - id: a
            kind: bounds
            select: {unit: count, text: "\\\\$"}
            max: 100
        """, "5:20", "lint.unit_never_matches select: `unit: count` with a `text` that only matches", id="count-money"),
]


@pytest.mark.parametrize("text, where, message", LINTS)
def test_validate_lint_warnings_exit_1(folder, capsys, text, where, message):
    write(folder, "lint.yaml", text)
    code, out, err = ledger(capsys, "rules", "validate")
    assert code == 1, out + err
    assert f"rules/lint.yaml:{where}: warning {message}" in out, out


def test_expr_placeholders_include_fact_names(folder, capsys):
    write(folder, "fund.yaml", """\
        version: 1
        rules:
          - id: fund
            kind: expr
            message: "{government} + {donors} is not {total} ({left} vs {right}: {assert})"
            facts:
              government: {near: government, unit: USD}
              donors: {near: donors, unit: USD}
              total: {near: total, unit: USD}
            assert: government + donors == total
        """)
    code, out, _ = ledger(capsys, "rules", "validate")
    assert code == 0, out


@pytest.mark.parametrize("text, where, message", [
    pytest.param(SUM_RULE + SUM_RULE.split("rules:\n")[1], "9:9", "duplicate rule id 'demo.force'", id="duplicate-id"),
    pytest.param(SUM_RULE.replace("parts:", "partz:"), "6:5", "unknown key 'partz'; did you mean 'parts'?",
                 id="misspelled-key"),
    pytest.param(SUM_RULE.replace("{subject: fighters}", "{subject: fighters, unit: furlongs/fortnite}"), "5:38",
                 "unknown unit", id="unknown-unit"),
])
def test_validate_invalid_rule_file_exits_2(folder, capsys, text, where, message):
    write(folder, "demo.yaml", text)
    code, _, err = ledger(capsys, "rules", "validate")
    assert code == 2
    assert f"rules/demo.yaml:{where}: " in err and message in err


def test_lint_reports_positions_sorted():
    ruleset = load_text(textwrap.dedent("""\
        version: 1
        rules:
          - id: b
            kind: bounds
            message: "{nope}"
            select: {subject: euros}
            max: 1
        """), "x.yaml")
    # load_text rules carry no file to re-read: positions fall back to the rule's own line
    problems = lint_rules(ruleset)
    assert [p.code for p in problems] == ["lint.subject_is_unit", "lint.unknown_placeholder"] or \
        [p.code for p in problems] == ["lint.unknown_placeholder", "lint.subject_is_unit"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_documented_placeholders_are_all_filled(kind):
    """Parity between the placeholders a kind's docstring lists (which lint allows) and what it fills."""
    from tests.checks.helpers import article, mini_extract

    example = next(ex for ex in examples(KINDS[kind]) if ex.verdict == "fail")
    names = set(kind_placeholders(kind)) - {"default"}
    arts = [article(md, f"example-{i}") for i, md in enumerate(example.articles)]
    facts = [f for a in arts for f in mini_extract(a)]
    rule_yaml = example.rule
    if kind == "expr":  # each fact name is a placeholder too
        names |= set(load_text("rules:\n" + textwrap.indent("- " + rule_yaml.replace("\n", "\n  "), "  ")).rules[0].facts)
    template = " ".join(f"<{n}={{{n}}}>" for n in sorted(names))
    rule_yaml += f"message: {json.dumps(template)}\n"
    ruleset = load_text("rules:\n" + textwrap.indent("- " + rule_yaml.replace("\n", "\n  "), "  "), "example.yaml")
    failing = [f for f in run_rules(ruleset, facts, arts) if f.status == "fail"]
    assert failing
    unfilled = sorted(n for n in names if f"{{{n}}}" in failing[0].message)
    assert not unfilled, f"{kind}: documented but never filled: {unfilled}"


def test_common_placeholders_match_the_engine():
    """COMMON_PLACEHOLDERS is what FactSet.finding fills for every kind."""
    import inspect

    from ledger.checks.facts import FactSet

    source = inspect.getsource(FactSet.finding)
    for name in COMMON_PLACEHOLDERS:
        assert f'"{name}"' in source, name


# -- ledger rules list --------------------------------------------------------------------------------------


def test_rules_list(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE.replace("kind: sum", "kind: sum\n    description: Parts add up."))
    code, out, _ = ledger(capsys, "rules", "list")
    assert code == 0
    header, _, row = out.splitlines()[:3]
    assert header.split() == ["id", "kind", "severity", "where", "description"]
    assert row.split()[:4] == ["demo.force", "sum", "error", "rules/demo.yaml:3"] and "Parts add up." in row
    code, out, _ = ledger(capsys, "rules", "list", "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "demo.force"


def test_rules_list_shipped(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = ledger(capsys, "rules", "list")
    assert code == 0
    for rule in load_rules("rules").rules:
        assert rule.id in out


def test_rules_list_names_the_builtin_rules_with_the_severity_of_ledger_yaml(folder, capsys):
    write(folder, "demo.yaml", SUM_RULE)
    (folder.parent / "ledger.yaml").write_text("version: 1\nrules:\n  auto.agreement: warning\n  auto.change: off\n"
                                               "  demo.force: info\n")
    code, out, _ = ledger(capsys, "rules", "list")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:4] for line in out.splitlines()[2:]}
    assert rows["demo.force"] == ["sum", "info", "rules/demo.yaml:3"]
    assert rows["auto.agreement"] == ["agreement", "warning", "built"]
    assert rows["auto.change"][:2] == ["ratio", "off"] and rows["auto.share"][:2] == ["ratio", "error"]
    code, out, _ = ledger(capsys, "rules", "list", "--format", "json")
    listed = {row["id"]: row for row in json.loads(out)}
    assert listed["auto.share"]["builtin"] and not listed["demo.force"]["builtin"]


@pytest.mark.parametrize("command", ["list", "test", "validate"])
def test_missing_rules_folder_exits_2(folder, capsys, command):
    code, _, err = ledger(capsys, "rules", command, "nope")
    assert code == 2 and err.strip() == "ledger: error: nope: rules folder not found"


@pytest.mark.parametrize("command", ["test", "validate", "list"])
def test_rules_folder_as_check_takes_it(folder, capsys, command):
    """`--rules DIR`, as `ledger check` and `ledger rules explain` take it, works for every rules command."""
    other = folder.parent / "checks"
    other.mkdir()
    write(other, "demo.yaml", SUM_RULE)
    code, out, err = ledger(capsys, "rules", command, "--rules", "checks")
    assert code == 0 and "error" not in err, out + err
    code, _, err = ledger(capsys, "rules", command, "rules", "--rules", "checks")
    assert code == 2 and err.strip() == "ledger: error: two rules folders given (rules and --rules checks); give one"


def test_rules_folder_from_config(folder, capsys):
    other = folder.parent / "checks"
    other.mkdir()
    write(other, "demo.yaml", SUM_RULE)
    (folder.parent / "ledger.yaml").write_text("version: 1\npaths:\n  rules: checks\n")
    code, out, _ = ledger(capsys, "rules", "list")
    assert code == 0 and "checks/demo.yaml:3" in out


# -- ledger rules explain -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_explain_kind(capsys, kind, folder):
    code, out, _ = ledger(capsys, "rules", "explain", kind)
    assert code == 0
    assert out.startswith(f"kind: {kind}\n")
    assert "Why it matters" in out and "Parameters" in out and "Keys every rule has" in out
    assert "Failing example" in out and "Passing example" in out
    for name, info in KINDS[kind].Params.model_fields.items():
        if name not in ("kind",):
            assert (info.alias or name) in out


def test_explain_shows_defaults_and_docstrings(capsys, folder):
    code, out, _ = ledger(capsys, "rules", "explain", "sum")
    line = next(line for line in out.splitlines() if line.strip().startswith("exhaustive"))
    assert "true | false" in line and "true" in line.split("true | false")[1]
    assert "parts must equal the total" in line


def test_explain_rule_id(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = ledger(capsys, "rules", "explain", "wagner.spending.agrees")
    assert code == 0
    assert out.startswith("rule: wagner.spending.agrees  (rules/wagner.yaml:")
    assert "unit: USD/year" in out and "kind: agreement" in out and "Failing example" in out


@pytest.mark.parametrize("rule_id", ["auto.composition", "auto.share", "auto.change", "auto.agreement"])
def test_explain_builtin_rule(capsys, folder, rule_id):
    from ledger.checks.auto import RULES
    from ledger.checks.builtin import BUILTIN_RULES

    code, out, _ = ledger(capsys, "rules", "explain", rule_id)
    assert code == 0
    assert out.startswith(f"rule: {rule_id}  (built in")
    assert f"kind: {RULES[rule_id]}\nseverity: error\n" in out
    assert "What it checks" in out and "Failing example" in out and "Passing example" in out
    assert BUILTIN_RULES[rule_id].failing[0].splitlines()[-1] in out


def test_explain_shows_the_severity_ledger_yaml_sets(capsys, folder):
    write(folder, "demo.yaml", SUM_RULE)
    (folder.parent / "ledger.yaml").write_text("version: 1\nrules: {auto.share: warning, demo.force: info}\n")
    _, out, _ = ledger(capsys, "rules", "explain", "auto.share")
    assert "severity: warning (ledger.yaml" in out
    _, out, _ = ledger(capsys, "rules", "explain", "demo.force")
    assert "severity: info (ledger.yaml" in out


@pytest.mark.parametrize("name, hint", [("summ", "did you mean 'sum'?"), ("demo.forse", "did you mean 'demo.force'?"),
                                        ("auto.agreemnt", "did you mean 'auto.agreement'?")])
def test_explain_unknown_exits_2(folder, capsys, name, hint):
    write(folder, "demo.yaml", SUM_RULE)
    code, _, err = ledger(capsys, "rules", "explain", name)
    assert code == 2 and hint in err and len(err.strip().splitlines()) == 1


def test_explain_a_rule_in_a_missing_folder_says_the_folder_is_missing(folder, capsys):
    code, _, err = ledger(capsys, "rules", "explain", "demo.force", "--rules", "nope")
    assert code == 2 and "(nope: rules folder not found)" in err and len(err.strip().splitlines()) == 1


# -- ledger config schema -----------------------------------------------------------------------------------


def test_config_schema_validates_a_config(capsys, folder):
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = ledger(capsys, "config", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == json.loads(json.dumps(config_schema()))
    assert "root" not in schema["properties"]
    good = {"version": 1, "paths": {"articles": "seeds", "rules": "rules"}, "fail_on": "warning",
            "rules": {"auto.sum": "off", "wagner.force.plausible": "info"},
            "waivers": [{"rule": "wagner.*", "reason": "known", "expires": "2030-01-01", "owner": "desk"}]}
    jsonschema.validate(good, schema)
    for bad in ({"fail_onn": "error"}, {"rules": {"x": "loud"}}, {"waivers": [{"rule": "x"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


# -- help ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [("rules", "test"), ("rules", "validate"), ("rules", "list"), ("rules", "explain"),
                                  ("config", "schema")])
def test_each_command_has_help_with_an_example(path, capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args([*path, "--help"])
    assert stop.value.code == 0
    assert f"Example: ledger {' '.join(path)}" in capsys.readouterr().out


def test_first_rule_walkthrough_is_documented():
    text = (ROOT / "docs" / "first-rule.md").read_text(encoding="utf-8")
    for command in ("ledger rules test", "ledger rules validate", "ledger rules explain", "ledger check"):
        assert command in text


@pytest.mark.parametrize("loc, key, where", [
    (("waivers", 0, "expires"), False, (5, 14)),
    (("waivers", 1, "reason"), False, (6, 5)),  # a missing key: the mapping that lacks it
    (("fail_onn",), True, (7, 1)),
])
def test_position_of_a_settings_error(loc, key, where):
    """For one-line config and waiver errors with file:line:column (`ledger.config` can call it)."""
    from ledger.ruletests import position_of

    text = "version: 1\nwaivers:\n  - rule: x\n    reason: r\n    expires: someday\n  - {rule: y}\nfail_onn: 1\n"
    assert position_of(text, "ledger.yaml", loc, key=key) == where
    assert position_of("a: [", "ledger.yaml", ("a",)) is None
