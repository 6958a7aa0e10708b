"""The command line as a user meets it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {**os.environ, "CI": "true", **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "ledger", *args], cwd=cwd or ROOT, capture_output=True, text=True,
                          env=full_env, timeout=300)


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped seeds and rules to run `ledger check` in."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return tmp_path


def test_check_timings_name_each_step(project):
    """`--timings` prints one line on stderr: each step's wall-clock and CPU seconds (the command's exit skips
    freeing the run's objects: it still flushes what it printed)."""
    import re

    done = run("check", "--timings", cwd=project)
    assert done.returncode == 0 and done.stdout.endswith("(14 facts)\n"), done.stdout + done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "timings" in line]
    steps = re.findall(r"(\w+) [\d.]+/[\d.]+", line)
    assert steps == ["setup", "read", "extract", "check", "reports", "output", "total"], line
    assert "(0 of 4 articles extracted)" in line or "(4 of 4 articles extracted)" in line


def test_check_format_json_prints_the_report_file(project):
    done = run("check", "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (project / "reports" / "consistency.json").read_text(encoding="utf-8")
    assert json.loads(done.stdout)["summary"]["findings"] > 0


def test_the_step_summary_is_the_markdown_report_cut_to_what_github_takes(project, monkeypatch, capsys):
    from ledger import cli

    monkeypatch.chdir(project)
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check"]) == 0
    assert summary.read_text(encoding="utf-8") == (project / "reports" / "consistency.md").read_text(encoding="utf-8")
    summary.unlink()
    monkeypatch.setattr(cli, "STEP_SUMMARY_BYTES", 600)
    assert main(["check"]) == 0
    cut = summary.read_text(encoding="utf-8")
    assert len(cut.encode()) <= 600 and cut.endswith("the whole report is reports/consistency.md_\n")
    assert (project / "reports" / "consistency.md").read_text(encoding="utf-8").startswith(cut.split("\n_… cut")[0])
    capsys.readouterr()


def test_check_on_shipped_seeds_is_consistent(project):
    done = run("check", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((project / "reports" / "consistency.json").read_text())
    statuses = [f["status"] for f in report["findings"]]
    assert "pass" in statuses and "fail" not in statuses
    assert "Traceback" not in done.stderr


def test_check_exits_1_on_a_failing_finding(project):
    (project / "seeds" / "broken.md").write_text(
        "---\nid: broken\npublished: 2022-12-23\n---\n"
        "Wagner has about 50,000 people fighting in Ukraine, including 10,000 contractors and 90,000 inmates.\n")
    done = run("check", cwd=project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "broken" in done.stdout


def test_bad_article_is_named_skipped_and_exits_2(project):
    (project / "seeds" / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    done = run("check", cwd=project)
    assert done.returncode == 2
    assert "seeds/binary.txt" in done.stderr and "Traceback" not in done.stderr
    assert (project / "reports" / "consistency.json").exists()


def test_malformed_rule_file_stops_before_checking(project):
    (project / "rules" / "bad.yaml").write_text("version: 1\nrules:\n  - id: x\n    kind: summ\n")
    done = run("check", cwd=project)
    assert done.returncode == 2
    assert "rules/bad.yaml:4:11" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) >= 1
    assert not (project / "reports").exists()


def test_extract_jsonl_contract(project):
    done = run("extract", "seeds/wagner-north-korea-arms.md", "--format", "jsonl", "--no-cache", cwd=project)
    assert done.returncode == 0, done.stderr
    facts = [json.loads(line) for line in done.stdout.splitlines()]
    keys = {"id", "article", "start", "end", "line", "column", "surface", "sentence", "value", "low", "high",
            "qualifier", "unit", "subject"}
    assert facts and all(keys <= set(f) for f in facts)
    by_surface = {f["surface"]: f for f in facts}
    assert any(f["subject"] == "contractors" and f["value"] == 10000 for f in facts), by_surface


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as stop:
        main(["check", "--fail-on", "sometimes"])
    assert stop.value.code == 2


def test_missing_rules_folder_is_a_one_line_error(project):
    done = run("check", "--rules", "nope", cwd=project)
    assert done.returncode == 2 and "nope" in done.stderr and "Traceback" not in done.stderr


def test_config_file_sets_paths(project):
    (project / "articles").mkdir()
    shutil.move(project / "seeds" / "wagner-north-korea-arms.md", project / "articles" / "w.md")
    (project / "ledger.yaml").write_text("version: 1\npaths:\n  articles: [articles]\n  reports: out\n")
    done = run("check", cwd=project)
    assert done.returncode in (0, 1), done.stderr
    assert (project / "out" / "consistency.json").exists()


def test_bad_config_is_named(project):
    (project / "ledger.yaml").write_text("version: 1\nfail_onn: error\n")
    done = run("check", cwd=project)
    assert done.returncode == 2 and "ledger.yaml" in done.stderr and "fail_onn" in done.stderr


def test_a_setting_for_no_rule_is_named_where_it_stands(tmp_path, monkeypatch):
    """`rules: {auto.agreemnt: off}` would otherwise change nothing without a word."""
    from ledger.config import load_config, unknown_rule_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / "ledger.yaml").write_text("version: 1\nrules:\n  auto.agreemnt: off\n  auto.share: warning\n")
    config = load_config()
    assert unknown_rule_settings(config, ["auto.agreement", "auto.share"]) == [
        "ledger.yaml:3:3: rules: no rule 'auto.agreemnt', so its setting changes nothing; did you mean 'auto.agreement'?"]


def test_two_checks_at_once_both_finish_with_whole_reports(project):
    import os

    env = {**os.environ, "CI": "true"}
    env.pop("GITHUB_ACTIONS", None)
    runs = [subprocess.Popen([sys.executable, "-m", "ledger", "check", "--jobs", "1"], cwd=project, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    assert all(code == 0 for code, _ in results), results
    first = (project / "reports" / "consistency.json").read_bytes()
    json.loads(first)
    assert run("check", cwd=project).returncode == 0
    assert (project / "reports" / "consistency.json").read_bytes() == first


def test_second_run_reuses_the_store_and_gives_identical_reports(project):
    assert run("check", cwd=project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "reports").iterdir()}
    assert (project / ".ledger" / "ledger.db").exists()
    assert run("check", cwd=project).returncode == 0
    after = {p.name: p.read_bytes() for p in (project / "reports").iterdir()}
    assert before == after


def test_facts_query_with_a_selector(project):
    done = run("facts", "--where", "{subject: inmates}", "--format", "jsonl", cwd=project)
    assert done.returncode == 0, done.stderr
    facts = [json.loads(line) for line in done.stdout.splitlines()]
    # rules/wagner.yaml makes prisoners and convicts inmates, and --where matches as `ledger check` does
    assert facts and {f["subject"] for f in facts} <= {"inmates", "prisoners", "convicts"}
    bad = run("facts", "--where", "{subjct: inmates}", cwd=project)
    assert bad.returncode == 2 and "subjct" in bad.stderr and "Traceback" not in bad.stderr


def test_facts_query_uses_the_aliases_of_the_rule_files(project, capsys, monkeypatch):
    """rules/wagner.yaml makes prisoners inmates: --where matches as `ledger check` would."""
    monkeypatch.chdir(project)
    monkeypatch.delenv("LEDGER_CONFIG", raising=False)
    code = main(["facts", "seeds/", "--where", "{subject: prisoner}", "--format", "jsonl", "--no-cache"])
    out = capsys.readouterr().out
    assert code == 0 and "inmates" in {json.loads(line)["subject"] for line in out.splitlines()}


def test_config_changes_the_qualifier_table_and_the_store_notices(project):
    first = run("extract", "seeds/wagner-north-korea-arms.md", "--format", "jsonl", cwd=project)
    about = [json.loads(line) for line in first.stdout.splitlines() if json.loads(line)["subject"] == "people"][0]
    assert (about["low"], about["high"]) == (45000, 55000)
    (project / "ledger.yaml").write_text("version: 1\nqualifiers: {approx: 0.05}\n")
    second = run("extract", "seeds/wagner-north-korea-arms.md", "--format", "jsonl", cwd=project)
    about = [json.loads(line) for line in second.stdout.splitlines() if json.loads(line)["subject"] == "people"][0]
    assert (about["low"], about["high"]) == (47500, 52500)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGSTOP"), reason="needs SIGSTOP")
def test_output_stopped_and_continued_midway_is_written_whole(tmp_path):
    """Ctrl-Z, then `fg`, while `ledger facts` writes more than a pipe holds: Python's own stdout kept the first
    64 KB of the CSV and dropped the rest without a word."""
    import os
    import select
    import signal
    import time

    args = ["facts", str(ROOT / "tests" / "auto" / "corpus"), "--format", "csv", "--store", str(tmp_path / "l.db")]
    whole = run(*args).stdout.encode()
    assert len(whole) > 1 << 16  # more than the pipe holds
    env = {**os.environ, "CI": "true"}
    with subprocess.Popen([sys.executable, "-m", "ledger", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as process:
        select.select([process.stdout], [], [], 120)  # writing: the pipe fills, and the process waits
        time.sleep(0.3)
        for _ in range(5):
            os.kill(process.pid, signal.SIGSTOP)
            time.sleep(0.02)
            os.kill(process.pid, signal.SIGCONT)
            time.sleep(0.02)
        out, _ = process.communicate(timeout=300)
    assert out == whole
