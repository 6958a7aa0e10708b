"""The reports committed in reports/ are what `ledger check` writes for the shipped seeds and rules.

Stale reports fail here; refresh them with `ledger check` (or `pytest --update-goldens`) and commit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ledger.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ("consistency.json", "consistency.md", "index.html", "ledger.sarif", "junit.xml", "facts.jsonl", "facts.csv")


def test_committed_reports_are_fresh(tmp_path, monkeypatch, capsys, request):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("LEDGER_CONFIG", raising=False)
    fresh = tmp_path / "reports"
    code = main(["check", "--no-cache", "--jobs", "1", "--reports", os.path.relpath(fresh)])
    capsys.readouterr()
    assert code == 0, "ledger check on the shipped seeds must pass"
    if request.config.getoption("update_goldens"):
        for name in REPORTS:
            shutil.copyfile(fresh / name, ROOT / "reports" / name)
    stale = [name for name in REPORTS
             if not (ROOT / "reports" / name).exists() or (ROOT / "reports" / name).read_bytes() != (fresh / name).read_bytes()]
    assert not stale, f"reports/ is stale ({', '.join(stale)}): run `ledger check` (or pytest --update-goldens) and commit"
