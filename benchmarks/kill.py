"""Killing `ledger check` (SIGINT or SIGKILL) at random moments: is the ledger store still readable, and does the
next run give the same result as a clean run? `tests/test_kill.py` runs this on a small archive; here at scale.

    python benchmarks/kill.py                       # 4,902 articles (100k facts), five kills
    python benchmarks/kill.py --articles 49020      # a million facts

Prints each kill (when it landed, how the run ended, whether the store was readable, whether the run after it
matched the clean run). Figures, not asserts: exits 1 when a store was unreadable or a result differed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scale import write_archive  # noqa: E402

PLAN = [(signal.SIGKILL, False), (signal.SIGINT, False), (signal.SIGKILL, True), (signal.SIGINT, True),
        (signal.SIGKILL, True)]
"""(signal, whether a run over the store finishes after it): kill, kill, finish; kill, finish; kill, finish."""


def command(archive: Path, store: Path, reports: Path) -> list[str]:
    return [sys.executable, "-m", "ledger", "check", str(archive), "--rules", str(ROOT / "rules"),
            "--reports", str(reports), "--store", str(store), "--jobs", "2", "--fail-on", "never", "--format", "json"]


def environment() -> dict[str, str]:
    return {**os.environ, "CI": "true", "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def finished_run(archive: Path, store: Path, reports: Path, cwd: Path, timeout: float = 120) -> str:
    """`consistency.json` of a run left to finish (which must succeed)."""
    done = subprocess.run(command(archive, store, reports), cwd=cwd, env=environment(), capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return (reports / "consistency.json").read_text(encoding="utf-8")


def unreadable(store: Path) -> str | None:
    """What is wrong with the store, or None when it reads whole (or was never made)."""
    if not store.exists():
        return None  # killed before the store was created: nothing to corrupt
    db = sqlite3.connect(store)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            return check
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" in tables:  # a kill may land before the schema is written
            db.execute("SELECT count(*) FROM articles a JOIN extractions e ON a.key = e.key").fetchone()
        return None
    except sqlite3.DatabaseError as e:
        return str(e)
    finally:
        db.close()


def clean_runs(folder: Path, archive: Path, timeout: float = 120) -> tuple[str, tuple[float, float]]:
    """A clean first run's `consistency.json`, and the seconds it and a re-run over its store took."""
    started = time.perf_counter()
    clean = finished_run(archive, folder / "clean.db", folder / "clean", folder, timeout)
    first = time.perf_counter() - started
    finished_run(archive, folder / "clean.db", folder / "clean-again", folder, timeout)
    return clean, (first, time.perf_counter() - started - first)


@dataclass
class Kill:
    signal: signal.Signals
    after: float
    """Seconds into the run."""
    returncode: int
    stderr: str
    unreadable: str | None
    matched: bool | None
    """Whether the run finished after it gave the clean run's result (None: none was run)."""


def killed_runs(folder: Path, archive: Path, clean: str, durations: tuple[float, float], seed: int = 20261125,
                plan: list[tuple[signal.Signals, bool]] = PLAN, timeout: float = 120) -> list[Kill]:
    """Each kill of `plan` at a random moment of its run, over one store: within the first of `durations` (a clean
    first run's time) until a run has finished over the store, then within the second (a re-run's); the runs that
    finish after them compared with `clean`."""
    rng = random.Random(seed)
    store = folder / "killed.db"
    out = []
    finished = False
    for n, (sig, then_finish) in enumerate(plan):
        duration = durations[finished]
        reports = folder / f"run{n}"
        process = subprocess.Popen(command(archive, store, reports), cwd=folder, env=environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        after = rng.uniform(0.15, max(0.3, duration * 0.9))
        time.sleep(after)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=timeout)
        wrong = unreadable(store)
        matched = finished_run(archive, store, reports, folder, timeout) == clean if then_finish and not wrong else None
        finished = finished or matched is not None
        out.append(Kill(sig, after, process.returncode, stderr, wrong, matched))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4902, help="articles in the archive (4,902: 100k facts)")
    parser.add_argument("--seed", type=int, default=20261125, help="where the kills land")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        archive = folder / "archive.jsonl"
        write_archive(archive, args.articles, seed=11)
        # a run started from a shell's background job inherits SIGINT ignored: this makes the runs take it again
        signal.signal(signal.SIGINT, signal.default_int_handler)
        clean, durations = clean_runs(folder, archive, timeout=3600)
        print(f"{args.articles:,} articles: a clean first run took {durations[0]:.1f} s, a re-run "
              f"{durations[1]:.1f} s", flush=True)
        kills = killed_runs(folder, archive, clean, durations, args.seed, timeout=3600)
        for kill in kills:
            print(f"{kill.signal.name:7s} at {kill.after:6.1f} s: exit {kill.returncode:4d}, store "
                  f"{'readable' if kill.unreadable is None else 'UNREADABLE: ' + kill.unreadable}"
                  + ("" if kill.matched is None else
                     f", the run after it {'matches' if kill.matched else 'DIFFERS FROM'} the clean run"), flush=True)
        final = finished_run(archive, folder / "killed.db", folder / "final", folder, timeout=3600) == clean
        print(f"a run over the store the kills left {'matches' if final else 'DIFFERS FROM'} the clean run")
        sys.exit(0 if final and all(k.unreadable is None and k.matched is not False for k in kills) else 1)


if __name__ == "__main__":
    main()
