"""Waivers (a known, explained finding is reported as waived) and baselines (only new failures fail CI)."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from ledger.baseline import fingerprint, mark_baselined, read_baseline, write_baseline
from ledger.cli import main
from ledger.errors import LedgerError
from ledger.model import Finding
from ledger.waivers import Waiver, apply_waivers
from tests.checks.helpers import article, make_fact

FORCE = "Wagner has 50,000 fighters in Ukraine, including 10,000 contractors and 90,000 inmates."


def _facts(text: str = FORCE, article_id: str = "force", inmates: int = 90000):
    art = article(f"---\nid: {article_id}\n---\n{text.replace('90,000', f'{inmates:,}')}\n", article_id)
    return [make_fact(art, "50,000", 50000, subject="fighters"), make_fact(art, "10,000", 10000, subject="contractors"),
            make_fact(art, f"{inmates:,}", inmates, subject="inmates")]


def _finding(facts, rule: str = "wagner.force.composition", status: str = "fail") -> Finding:
    return Finding(rule=rule, kind="sum", severity="error", status=status, message="parts do not add up",
                   group={"article": facts[0].article}, articles=(facts[0].article,), facts=tuple(f.id for f in facts))


# -- waivers ------------------------------------------------------------------------------------------------


def test_a_live_waiver_marks_the_finding_waived_with_its_reason():
    facts = _facts()
    waiver = Waiver(rule="wagner.force.composition", reason="The desk confirmed the figures", owner="desk")
    out, notes = apply_waivers([_finding(facts)], [waiver], {f.id: f for f in facts}, date(2024, 1, 1))
    assert out[0].status == "waived" and out[0].waiver == "The desk confirmed the figures"
    assert notes == []


def test_an_expired_waiver_stops_applying_and_says_so():
    facts = _facts()
    waiver = Waiver(rule="wagner.*", reason="Known gap", expires=date(2023, 12, 31), owner="Ana")
    out, notes = apply_waivers([_finding(facts)], [waiver], {f.id: f for f in facts}, date(2024, 1, 1))
    assert out[0].status == "fail"
    assert notes == ["waiver for wagner.* expired on 2023-12-31; the finding fails again (Known gap, owner Ana)"]


def test_a_waiver_applies_on_its_expiry_date():
    facts = _facts()
    waiver = Waiver(rule="wagner.force.composition", reason="r", expires=date(2024, 1, 1))
    out, _ = apply_waivers([_finding(facts)], [waiver], {f.id: f for f in facts}, date(2024, 1, 1))
    assert out[0].status == "waived"


@pytest.mark.parametrize("fields, applies", [
    ({"rule": "wagner.*"}, True),
    ({"rule": "auto.*"}, False),
    ({"rule": "wagner.force.composition", "article": "for*"}, True),
    ({"rule": "wagner.force.composition", "article": "other"}, False),
    ({"rule": "wagner.force.composition", "fact": "90,000"}, True),
    ({"rule": "wagner.force.composition", "fact": "12,345"}, False),
])
def test_waiver_matching(fields, applies):
    facts = _facts()
    waiver = Waiver(reason="r", **fields)
    assert waiver.matches(_finding(facts), {f.id: f for f in facts}) is applies


def test_a_waiver_can_name_a_fact_by_id():
    facts = _facts()
    waiver = Waiver(rule="*", reason="r", fact=facts[2].id)
    assert waiver.matches(_finding(facts), {f.id: f for f in facts})


def test_passing_and_skipped_findings_are_never_waived():
    facts = _facts()
    findings = [_finding(facts, status="pass"), _finding(facts, status="skipped")]
    out, _ = apply_waivers(findings, [Waiver(rule="*", reason="r")], {f.id: f for f in facts}, date(2024, 1, 1))
    assert [f.status for f in out] == ["pass", "skipped"]


@pytest.mark.parametrize("fields", [{"rule": "x"}, {"rule": "x", "reason": ""}, {"rule": "x", "reason": "   "},
                                    {"rule": " ", "reason": "r"}, {"rule": "x", "reason": "r", "expires": "soon"},
                                    {"rule": "x", "reason": "r", "why": "typo"}])
def test_a_waiver_needs_a_rule_and_a_reason(fields):
    with pytest.raises(ValidationError):
        Waiver(**fields)


# -- baselines ----------------------------------------------------------------------------------------------


def test_fingerprint_ignores_where_the_figures_stand():
    before = _facts()
    after = _facts("A new opening paragraph.\n\n" + FORCE)
    assert [f.id for f in before] != [f.id for f in after]  # the facts moved...
    assert fingerprint(_finding(before), {f.id: f for f in before}) == \
        fingerprint(_finding(after), {f.id: f for f in after})  # ...but the finding is the same one


def test_fingerprint_changes_with_value_rule_or_article():
    facts = _facts()
    base = fingerprint(_finding(facts), {f.id: f for f in facts})
    changed = _facts(inmates=95000)
    assert fingerprint(_finding(changed), {f.id: f for f in changed}) != base
    assert fingerprint(_finding(facts, rule="other"), {f.id: f for f in facts}) != base
    elsewhere = _facts(article_id="elsewhere")
    assert fingerprint(_finding(elsewhere), {f.id: f for f in elsewhere}) != base


def test_baseline_round_trip_marks_only_known_failures(tmp_path):
    facts = _facts()
    by_id = {f.id: f for f in facts}
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [_finding(facts), _finding(facts, status="pass")], by_id) == 1
    data = json.loads(path.read_text())
    assert data["version"] == 1 and data["findings"][0]["rule"] == "wagner.force.composition"
    known = read_baseline(path)
    new = _facts(article_id="new", inmates=95000)
    by_id.update({f.id: f for f in new})
    out = mark_baselined([_finding(facts), _finding(new), _finding(facts, status="pass")], known, by_id)
    assert [f.baselined for f in out] == [True, False, False]


def test_each_baseline_entry_covers_one_finding(tmp_path):
    """Two identical failures are two known ones; a third identical one that appears later is new."""
    facts = _facts()
    by_id = {f.id: f for f in facts}
    path = tmp_path / "baseline.json"
    assert write_baseline(path, [_finding(facts), _finding(facts)], by_id) == 2
    out = mark_baselined([_finding(facts)] * 3, read_baseline(path), by_id)
    assert [f.baselined for f in out] == [True, True, False]


def test_baseline_output_is_stable(tmp_path):
    facts = _facts()
    by_id = {f.id: f for f in facts}
    write_baseline(tmp_path / "a.json", [_finding(facts), _finding(facts, rule="b")], by_id)
    write_baseline(tmp_path / "b.json", [_finding(facts, rule="b"), _finding(facts)], by_id)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


@pytest.mark.parametrize("text, message", [
    ("not json", "baseline is not valid JSON"),
    ('{"version": 2, "findings": []}', "not a ledger baseline"),
    ('{"version": 1}', "not a ledger baseline"),
    ('{"version": 1, "findings": ["abc"]}', "baseline entries need a 'fingerprint'"),
    ('{"version": 1, "findings": [{"rule": "x"}]}', "baseline entries need a 'fingerprint'"),
])
def test_a_bad_baseline_is_a_one_line_error(tmp_path, text, message):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(LedgerError) as error:
        read_baseline(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_a_missing_baseline_is_named(tmp_path):
    with pytest.raises(LedgerError, match="cannot read baseline"):
        read_baseline(tmp_path / "nope.json")


# -- through `ledger check` ---------------------------------------------------------------------------------

RULE = """\
version: 1
rules:
  - id: demo.force
    kind: sum
    total: {subject: fighters}
    parts:
      - {subject: contractors}
      - {subject: inmates}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEDGER_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "demo.yaml").write_text(RULE)
    (tmp_path / "seeds" / "force.md").write_text(f"---\nid: force\npublished: 2023-01-01\n---\n{FORCE}\n")
    return tmp_path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _statuses(project: Path) -> list[tuple[str, str]]:
    report = json.loads((project / "reports" / "consistency.json").read_text())
    return [(f["rule"], f["status"]) for f in report["findings"] if not f["rule"].startswith("auto.")]


def test_check_baseline_fails_only_on_new_findings(project, capsys):
    code, _, err = check(capsys, "--write-baseline", "baseline.json")
    assert code == 1 and "failing findings written to baseline.json" in err
    code, out, _ = check(capsys, "--baseline", "baseline.json")
    assert code == 0, out
    assert ("demo.force", "fail") in _statuses(project)  # reported, not hidden
    # editing the article above the finding does not make it new
    seed = project / "seeds" / "force.md"
    seed.write_text(seed.read_text().replace("---\nWagner", "---\nAn added first paragraph.\n\nWagner"))
    code, _, _ = check(capsys, "--baseline", "baseline.json")
    assert code == 0
    # a new failing finding does fail
    (project / "seeds" / "other.md").write_text("---\nid: other\n---\n" + FORCE.replace("90,000", "95,000") + "\n")
    code, _, _ = check(capsys, "--baseline", "baseline.json")
    assert code == 1


def test_check_bad_baseline_exits_2(project, capsys):
    (project / "baseline.json").write_text("[]")
    code, _, err = check(capsys, "--baseline", "baseline.json")
    assert code == 2 and "baseline.json: not a ledger baseline" in err


def test_check_waiver_reports_waived_and_sarif_suppression(project, capsys):
    (project / "ledger.yaml").write_text(textwrap.dedent("""\
        version: 1
        rules: {auto.composition: "off"}
        waivers:
          - rule: demo.force
            article: force
            reason: The desk confirmed the breakdown with the ministry
            owner: desk
            expires: 2999-01-01
        """))
    code, out, err = check(capsys)
    assert code == 0, out + err
    assert _statuses(project) == [("demo.force", "waived")]
    sarif = json.loads((project / "reports" / "ledger.sarif").read_text())
    result = sarif["runs"][0]["results"][0]
    assert result["suppressions"][0]["justification"] == "The desk confirmed the breakdown with the ministry"


def test_check_expired_waiver_fails_and_says_so(project, capsys):
    (project / "ledger.yaml").write_text(textwrap.dedent("""\
        version: 1
        waivers:
          - {rule: demo.force, reason: Known gap, expires: 2000-01-01}
        """))
    code, _, err = check(capsys)
    assert code == 1
    assert "waiver for demo.force expired on 2000-01-01; the finding fails again (Known gap)" in err
    assert _statuses(project) == [("demo.force", "fail")]


def test_check_waiver_without_reason_is_a_config_error(project, capsys):
    (project / "ledger.yaml").write_text("version: 1\nwaivers:\n  - {rule: demo.force}\n")
    code, _, err = check(capsys)
    assert code == 2 and "ledger.yaml" in err and "reason" in err


def test_waivers_in_a_file_of_their_own(project, capsys):
    (project / "ledger.yaml").write_text("version: 1\nrules: {auto.composition: 'off'}\nwaivers: waivers.yaml\n")
    (project / "waivers.yaml").write_text("waivers:\n  - rule: demo.force\n    reason: Confirmed with the ministry\n")
    code, out, err = check(capsys)
    assert code == 0, out + err
    assert _statuses(project) == [("demo.force", "waived")]


def test_an_impossible_date_in_ledger_yaml_names_its_line(project, capsys):
    (project / "ledger.yaml").write_text("version: 1\nwaivers:\n  - {rule: demo.force, reason: ok, expires: 2024-13-01}\n")
    code, _, err = check(capsys)
    assert code == 2 and err.startswith("ledger: error: ledger.yaml:3:45: waivers.0.expires: Input should be a valid date"), err


def test_bad_waivers_file_names_its_line(project, capsys):
    (project / "ledger.yaml").write_text("version: 1\nwaivers: waivers.yaml\n")
    (project / "waivers.yaml").write_text("- rule: demo.force\n  reason: ok\n- rule: demo.force\n  reason: ok\n  expires: someday\n")
    code, _, err = check(capsys)
    assert code == 2 and "waivers.yaml:5:12" in err, err
