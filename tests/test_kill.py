"""Killing `ledger check` (SIGINT or SIGKILL) at random moments never leaves the ledger store unreadable,
and the next run completes with the same result as a clean run (`benchmarks/kill.py` at scale)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.kill import clean_runs, finished_run, killed_runs  # noqa: E402
from benchmarks.scale import write_archive  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

N_ARTICLES = 160


def test_killed_check_leaves_a_readable_store_and_the_next_run_matches_a_clean_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    write_archive(archive, N_ARTICLES, seed=11)
    clean, durations = clean_runs(tmp_path, archive)

    for kill in killed_runs(tmp_path, archive, clean, durations):
        if kill.signal == signal.SIGINT:  # a SIGKILLed run's orphaned workers may complain; an interrupted one may not
            assert "Traceback" not in kill.stderr and "internal error" not in kill.stderr, kill.stderr
            assert kill.returncode in (0, 130, -signal.SIGINT), kill.stderr
        assert kill.unreadable is None, kill.unreadable
        assert kill.matched is not False
    # and a run over the store the kills left gives the same result as a clean run
    assert finished_run(archive, tmp_path / "killed.db", tmp_path / "final", tmp_path) == clean
