"""Killing `ledger check` (SIGINT or SIGKILL) at random moments never leaves the ledger store unreadable,
and the next run completes with the same result as a clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import articles  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

N_ARTICLES = 160


def _archive(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for meta, text in articles(N_ARTICLES, seed=11):
            out.write(json.dumps({**meta, "text": text}, ensure_ascii=False) + "\n")


def _command(archive: Path, store: Path, reports: Path) -> list[str]:
    return [sys.executable, "-m", "ledger", "check", str(archive), "--rules", str(ROOT / "rules"),
            "--reports", str(reports), "--store", str(store), "--jobs", "2", "--fail-on", "never", "--format", "json"]


def _env() -> dict[str, str]:
    return {**os.environ, "CI": "true", "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _run(archive: Path, store: Path, reports: Path, cwd: Path) -> str:
    done = subprocess.run(_command(archive, store, reports), cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return (reports / "consistency.json").read_text(encoding="utf-8")


def _readable(store: Path) -> None:
    if not store.exists():
        return  # killed before the store was created: nothing to corrupt
    db = sqlite3.connect(store)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" in tables:  # a kill may land before the schema is written
            db.execute("SELECT count(*) FROM articles a JOIN extractions e ON a.key = e.key").fetchone()
    finally:
        db.close()


def test_killed_check_leaves_a_readable_store_and_the_next_run_matches_a_clean_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    _archive(archive)
    started = time.perf_counter()
    clean = _run(archive, tmp_path / "clean.db", tmp_path / "clean", tmp_path)
    duration = time.perf_counter() - started

    rng = random.Random(20261125)
    store = tmp_path / "killed.db"
    # kill, kill, finish; kill, finish; kill (late, after the store is written), finish
    plan = [(signal.SIGKILL, False), (signal.SIGINT, False), (signal.SIGKILL, True),
            (signal.SIGINT, True), (signal.SIGKILL, True)]
    for n, (sig, then_finish) in enumerate(plan):
        reports = tmp_path / f"run{n}"
        process = subprocess.Popen(_command(archive, store, reports), cwd=tmp_path, env=_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.15, max(0.3, duration * 0.9)))
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
        if sig == signal.SIGINT:  # a SIGKILLed run's orphaned workers may complain; an interrupted one may not
            assert "Traceback" not in stderr and "internal error" not in stderr, stderr
            assert process.returncode in (0, 130, -signal.SIGINT), stderr
        _readable(store)
        if then_finish:
            assert _run(archive, store, reports, tmp_path) == clean
    # and a run over the store the kills left gives the same result as a clean run
    assert _run(archive, store, tmp_path / "final", tmp_path) == clean
