"""Scale figures: extraction and check time, peak memory, and how each grows at 10x the size.

    python benchmarks/scale.py                      # 10k and 100k facts
    python benchmarks/scale.py --sizes 10000,100000,1000000
    python benchmarks/scale.py --moved              # also: one article inserted first, every other one moved
    python benchmarks/scale.py --cold-runs 3 --warm-runs 3   # each step's median of three runs

For each size it writes a synthetic .jsonl archive, then runs `ledger check --timings` as a user would (cold:
empty store; warm: after changing 1 % of the articles, into the same reports folder, once the cold run's writes are
on disk) with the shipped rules, and prints articles/s, MB/s, seconds per step, peak memory (the largest process's
RSS, and the whole process tree's: PSS summed, so a forked child's copy counts) and the growth ratio against the
previous size, as measured and against a yardstick of the host's speed taken at each size (`host_seconds`). "total"
is the command's wall-clock time, from start to exit.
Figures, not asserts: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import articles  # noqa: E402

FACTS_PER_ARTICLE = 20.4  # measured on the generator's output (20.4-20.5 at every size); the script prints the real count

EXTRACT = r"""
import json, resource, sys, time
from ledger.articles import read_articles
from ledger.pipeline import extract_facts
archive, jobs = sys.argv[1:3]
read = read_articles([archive])
t0 = time.perf_counter()
ex = extract_facts(read.articles, jobs=int(jobs), lazy=True)
print(json.dumps({"extract": time.perf_counter() - t0, "articles": len(read.articles)}))
"""
"""Extraction alone, without a store (the 1-core rate)."""

TIMING = re.compile(r"(\w+) ([\d.]+)/([\d.]+)(?: \(([^)]*)\))?")
SUMMARY = re.compile(r" in ([\d,]+) articles? \(([\d,]+) facts?\)")


def write_archive(path: Path, n_articles: int, changed_every: int = 0, inserted: bool = False,
                  span_days: int | None = None, seed: int = 7) -> int:
    """The synthetic archive; `changed_every`: every n-th article changed; `inserted`: one more article first, so
    that every other article stands a line further down (`--moved`); `span_days` and `seed`: as `articles` takes
    them."""
    size = 0
    with path.open("w", encoding="utf-8") as out:
        if inserted:
            out.write(json.dumps({"id": "inserted", "title": "Inserted", "text": "Two people were hurt.\n"}) + "\n")
        for i, (meta, text) in enumerate(articles(n_articles, seed=seed, span_days=span_days)):
            if changed_every and i % changed_every == 0:
                text += "A late update said 17 more people were evacuated.\n"
            line = json.dumps({**meta, "text": text}, ensure_ascii=False) + "\n"
            size += len(line.encode())
            out.write(line)
    return size


def run_extract(archive: Path, jobs: int) -> dict:
    out = subprocess.run([sys.executable, "-c", EXTRACT, str(archive), str(jobs)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "CI": "true"})
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_check(archive: Path, store: Path, jobs: int, rules: Path, reports: Path) -> dict:
    """`ledger check` as a user runs it (from the archive's folder, so with no ledger.yaml), with `--timings`."""
    command = [sys.executable, "-m", "ledger", "check", str(archive), "--store", str(store), "--reports", str(reports),
               "--rules", str(rules), "--jobs", str(jobs), "--fail-on", "never", "--timings"]
    env = {**os.environ, "CI": "true", "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    before = _children_cpu()
    start = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=archive.parent,
                          env=env) as check:
        sampler = TreeMemory(check.pid)
        sampler.start()
        out, err = check.communicate()
        sampler.join()
    wall = time.perf_counter() - start
    after = _children_cpu()
    if check.returncode != 0:
        raise SystemExit(err)
    line = next(line for line in err.splitlines() if "timings (wall/CPU s):" in line)
    steps = {name: (float(w), float(c), note) for name, w, c, note in TIMING.findall(line.split(":", 2)[2])}
    summary = SUMMARY.search(out.strip().splitlines()[-1])
    extracted = re.match(r"([\d,]+) of", steps["extract"][2])
    moved = re.search(r"([\d,]+) moved", steps["extract"][2])
    return {"times": {name: steps[name][0] for name in ("read", "extract", "check", "reports")},
            "total": wall, "reports_cpu": steps["reports"][1],
            "articles": int(summary.group(1).replace(",", "")), "facts": int(summary.group(2).replace(",", "")),
            "extracted": int(extracted.group(1).replace(",", "")) if extracted else 0,
            "moved": int(moved.group(1).replace(",", "")) if moved else 0,
            "rss_mb": sampler.peak_rss_mb, "tree_mb": sampler.peak_mb,
            "user": after[0] - before[0], "sys": after[1] - before[1]}


def _children_cpu() -> tuple[float, float]:
    """(user, system) CPU seconds of the waited-for child processes so far (a run's own children roll up into it):
    (0, 0) where the platform does not tell."""
    try:
        import resource
    except ImportError:
        return 0.0, 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


CALIBRATION_ARTICLES = 60


def host_seconds() -> float:
    """Seconds this host takes, now, to extract a fixed sample of articles on one core (the best of five): a
    shared machine's speed drifts by 10-20 % within minutes, so the growth between two sizes is also given
    against this yardstick, taken just before and after each size's cold run."""
    from ledger.model import Article
    from ledger.pipeline import _extract_record

    sample = [Article(id=meta["id"], path=f"{meta['id']}.md", text=text)
              for meta, text in articles(CALIBRATION_ARTICLES)]
    _extract_record(sample[0])  # the unit registry and the extractor's tables, loaded once
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for article in sample:
            _extract_record(article)
        best = min(best, time.perf_counter() - start)
    return best


class TreeMemory(threading.Thread):
    """The peak of the memory a process and its descendants hold together: proportional set size summed (pages
    shared after a fork counted once in all), where Linux tells it; else None. The peak RSS a process reports misses
    what its forked children copy. Also the largest RSS of one of them, from each one's own high-water mark.

    Reading a process's PSS walks its page tables: 22 ms for a 1.9 GB process. Read every 0.1 s, as it was, that is a
    fifth of a core of a 2-core machine at a million facts (a fortieth at 100k), taken from the run it measures, more
    the larger the run. PSS is now read at most `DUTY` of the time (every second or so at a million facts), the
    high-water marks (0.1 ms a read) every 0.1 s."""

    TICK = 0.1
    DUTY = 0.02

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb: float | None = None
        self.peak_rss_mb: float | None = None
        """...and the largest RSS of one of them."""

    def run(self) -> None:
        next_pss = 0.0
        while os.path.exists(f"/proc/{self.pid}/status"):
            tree = self._tree(self.pid)
            marks = [self._high_water_kb(pid) for pid in tree]
            if any(marks):
                self.peak_rss_mb = max(self.peak_rss_mb or 0.0, max(marks) / 1024)
            now = time.perf_counter()
            if now >= next_pss:
                sizes = [self._pss_kb(pid) for pid in tree]
                next_pss = now + (time.perf_counter() - now) / self.DUTY
                if any(sizes):
                    self.peak_mb = max(self.peak_mb or 0.0, sum(sizes) / 1024)
            time.sleep(self.TICK)

    def _tree(self, pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    for child in children.read().split():
                        out += self._tree(int(child))
        except OSError:  # gone meanwhile
            pass
        return out

    @staticmethod
    def _field_kb(path: str, name: str) -> int:
        try:
            with open(path) as lines:
                for line in lines:
                    if line.startswith(name):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    @classmethod
    def _pss_kb(cls, pid: int) -> int:
        return cls._field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")

    @classmethod
    def _high_water_kb(cls, pid: int) -> int:
        """The process's peak RSS so far (kept by the kernel: no page is walked)."""
        return cls._field_kb(f"/proc/{pid}/status", "VmHWM:")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated fact counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--one-core-max", type=int, default=10**9,
                        help="skip the 1-core extraction run above this many facts (it takes long at 1M)")
    parser.add_argument("--cold-runs", type=int, default=1,
                        help="the cold run this many times, each from an empty store (each step's median is shown and "
                             "used for the growth; the host's speed drifts by a tenth from run to run)")
    parser.add_argument("--warm-runs", type=int, default=1,
                        help="the warm re-run this many times, each from the cold run's state (the median is shown)")
    parser.add_argument("--moved", action="store_true",
                        help="also a re-run from the cold run's state after one article is inserted first in the "
                             "archive: every other article moves a line down")
    parser.add_argument("--span-days", type=int, default=None,
                        help="publish every size's articles over this many days (by default the span grows with the "
                             "archive at benchmarks.corpus.ARTICLES_PER_DAY, so each day is as busy at every size)")
    args = parser.parse_args()
    span = args.span_days
    rules = ROOT / "rules"
    previous = None
    print(f"{'facts':>9} {'articles':>8} {'MB':>6} | {'1-core art/s':>12} {'MB/s':>5} | {'all-core art/s':>14} "
          f"{'MB/s':>5} | {'check s':>7} {'reports s':>9} {'total s':>7} {'peak MB':>7} {'tree MB':>7} | {'warm s':>6} "
          f"{'warm/cold':>9} | growth")
    for size in (int(s) for s in args.sizes.split(",")):
        n_articles = max(1, round(size / FACTS_PER_ARTICLE))
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            archive = tmp / "archive.jsonl"
            mb = write_archive(archive, n_articles, span_days=span) / 1e6
            host = host_seconds()
            colds = []
            for n in range(args.cold_runs):
                if n:  # from an empty store again
                    for path in tmp.iterdir():
                        if path.is_dir() and (path.name == "reports" or path.name.startswith("ledger.db")):
                            shutil.rmtree(path)
                        elif path.name.startswith("ledger.db"):
                            path.unlink()
                    if hasattr(os, "sync"):
                        os.sync()
                colds.append(run_check(archive, tmp / "ledger.db", args.jobs, rules, tmp / "reports"))
            cold = _median_steps(colds)
            host = (host + host_seconds()) / 2
            write_archive(archive, n_articles, changed_every=100, span_days=span)
            warms = []
            kept = args.warm_runs > 1 or args.moved  # each re-run from the state the cold run left
            for n in range(args.warm_runs):
                if kept:
                    _state(tmp, tmp / "cold-state", keep=n == 0)
                # as a re-run in CI finds it: the last run's writes (3 GB at a million facts) on disk, not still
                # being written back while this one writes its own
                if hasattr(os, "sync"):
                    os.sync()
                warms.append(run_check(archive, tmp / "ledger.db", args.jobs, rules, tmp / "reports"))
            warm = sorted(warms, key=lambda run: run["total"])[(len(warms) - 1) // 2]  # the median (of one: that one)
            moved = None
            if args.moved:
                _state(tmp, tmp / "cold-state", keep=False)
                write_archive(archive, n_articles, inserted=True, span_days=span)
                if hasattr(os, "sync"):
                    os.sync()
                moved = run_check(archive, tmp / "ledger.db", args.jobs, rules, tmp / "reports")
            # the 1-core extraction rate, last: run first (three minutes on one core at a million facts), the cold run
            # after it was slower: 1.0M extraction 417-442 articles/s and check 37.0-46.3 s over five runs, against
            # 440-502 and 35.3-39.2 s over eight runs with none before them
            one = run_extract(archive, 1) if size <= args.one_core_max else None
        growth = ""
        if previous:
            ratio = size / previous["size"]
            growth = " ".join(f"{k} {cold['times'][k] / max(previous['cold']['times'][k], 1e-9):.1f}x"
                              for k in ("extract", "check", "reports"))
            # reports run on two cores while a forked helper is worth its memory (see ledger/report/files.py),
            # on one above: their CPU time tells whether the work itself grows linearly
            growth += (f" (reports CPU {cold['reports_cpu'] / max(previous['cold']['reports_cpu'], 1e-9):.1f}x;"
                       f" size {ratio:.0f}x)")
            # against the host's speed at each size: the growth a host that kept its speed would show
            drift = host / previous["host"]
            growth += "; on a steady host (yardstick " + f"{drift:.2f}x): " + " ".join(
                f"{k} {cold['times'][k] / max(previous['cold']['times'][k], 1e-9) / drift:.1f}x"
                for k in ("extract", "check", "reports"))
        # with each run's CPU time, user + system: the first re-run after a first run spends seconds more in the
        # kernel than the next ones, making the same calls (writing its reports: each write takes longer)
        runs = ", ".join(f"{run['total']:.2f} (CPU {run['user']:.1f} + {run['sys']:.1f} sys)" for run in warms)
        cold_runs = "; ".join(f"{run['total']:.2f} s (check {run['times']['check']:.2f}, reports "
                              f"{run['times']['reports']:.2f})" for run in colds)
        one_rate = (f"{one['articles'] / one['extract']:>12,.0f} {mb / one['extract']:>5.2f}"
                    if one else f"{'-':>12} {'-':>5}")
        print(f"{cold['facts']:>9,} {cold['articles']:>8,} {mb:>6.1f} | {one_rate} | "
              f"{cold['articles'] / cold['times']['extract']:>14,.0f} {mb / cold['times']['extract']:>5.2f} | "
              f"{cold['times']['check']:>7.2f} {cold['times']['reports']:>9.2f} {cold['total']:>7.2f} "
              f"{_mb(cold['rss_mb']):>7} {_mb(cold['tree_mb']):>7} | "
              f"{warm['total']:>6.2f} {warm['total'] / cold['total']:>9.0%} | "
              f"{growth}  (" + (f"cold runs in order: {cold_runs}, each step's median shown; " if len(colds) > 1 else "")
              + f"warm re-extracted {warm['extracted']} of {warm['articles']}; "
              + (f"warm runs in order: {runs} s, the median shown; " if len(warms) > 1 else "")
              + "warm steps: "
              + ", ".join(f"{k} {v:.2f}s" for k, v in warm["times"].items())
              + f"; warm peak {_mb(warm['rss_mb'])} MB, tree {_mb(warm['tree_mb'])} MB)"
              + ("" if moved is None else
                 f"  (one article inserted first: {moved['moved']:,} moved, {moved['extracted']} extracted, "
                 f"{moved['total']:.2f} s, {moved['total'] / cold['total']:.0%} of cold; steps: "
                 + ", ".join(f"{k} {v:.2f}s" for k, v in moved["times"].items()) + ")"),
              flush=True)
        previous = {"size": size, "cold": cold, "host": host}


def _state(tmp: Path, kept: Path, keep: bool) -> None:
    """Keep (`keep`) or put back what the cold run left in `tmp`: the store and the files beside it, copied, and the
    reports, hard-linked (a run replaces them, never writes into them; linked, they keep the inode and time the
    run noted them by, so a re-run copies from them as it would have)."""
    kept.mkdir(exist_ok=True)
    pairs = [(path, kept / path.name) for path in tmp.iterdir() if path.name.startswith("ledger.db") or
             path.name == "reports"] if keep else [(kept / path.name, tmp / path.name) for path in kept.iterdir()]
    for source, target in pairs:
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if source.name == "reports":
            shutil.copytree(source, target, copy_function=os.link)
        elif source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def _median_steps(runs: list[dict]) -> dict:
    """The median run by total time, with each step's time the median of that step over all the runs."""
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[(len(ordered) - 1) // 2]

    out = dict(sorted(runs, key=lambda run: run["total"])[(len(runs) - 1) // 2])
    out["times"] = {k: median([run["times"][k] for run in runs]) for k in runs[0]["times"]}
    out["reports_cpu"] = median([run["reports_cpu"] for run in runs])
    out["rss_mb"] = max((run["rss_mb"] for run in runs if run["rss_mb"] is not None), default=None)
    out["tree_mb"] = max((run["tree_mb"] for run in runs if run["tree_mb"] is not None), default=None)
    return out


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
