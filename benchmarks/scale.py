"""Scale figures: extraction and check time, peak memory, and how each grows at 10x the size.

    python benchmarks/scale.py                      # 10k and 100k facts
    python benchmarks/scale.py --sizes 10000,100000,1000000

For each size it writes a synthetic .jsonl archive, then runs `ledger check` in a fresh process
(cold: empty store; warm: after changing 1 % of the articles) with the shipped rules, and prints
articles/s, MB/s, seconds per step, peak memory (the largest process's RSS, and the whole process tree's:
PSS summed, so a forked child's copy counts) and the growth ratio against the previous size.
Figures, not asserts: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import articles  # noqa: E402

FACTS_PER_ARTICLE = 22  # measured on the generator's output; the script prints the real count

STEP = r"""
import json, resource, sys, time
from pathlib import Path
from ledger.articles import read_articles
from ledger.pipeline import extract_facts
from ledger.checks import load_rules
from ledger.config import Config
from ledger.cli import _finding_cache, build_report
from ledger.report import write_reports
from ledger.report.common import Ahead
from ledger.report.reuse import Reuse, notes_path
archive, store, jobs, rules, reports, only_extract = sys.argv[1:7]
t = {}
t0 = time.perf_counter(); read = read_articles([archive]); t["read"] = time.perf_counter() - t0
t0 = time.perf_counter()
ex = extract_facts(read.articles, store_path=store or None, jobs=int(jobs), lazy=True); t["extract"] = time.perf_counter() - t0
if only_extract == "1":
    print(json.dumps({"times": t, "facts": len(ex.facts), "articles": len(read.articles), "extracted": ex.extracted,
                      "reused": ex.reused, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    sys.exit(0)
def cpu():
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
t0 = time.perf_counter()  # checking, as `ledger check` does it: load the rules, keep findings in the store, and
ahead = Ahead(read.articles)  # do the reports' work ahead while the agreement child works
cache = _finding_cache(ex, Config())
report, _ = build_report(load_rules(rules), Config(), read.articles, ex.facts, read.errors, relations=ex.relations,
                         clauses=ex.clauses, cache=cache, ahead=ahead)
t["check"] = time.perf_counter() - t0
t0, c0 = time.perf_counter(), cpu()  # and copy kept findings' text from the last run's reports, as it does
reuse = Reuse(notes_path(cache.store_path, Path(reports)), cache.origins) if cache is not None else None
write_reports(report, reports, stored=ex.stored_texts(report.facts), ahead=ahead, reuse=reuse)
t["reports"], reports_cpu = time.perf_counter() - t0, cpu() - c0
# the largest process: this one, or a worker or the report helper it forked
rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
print(json.dumps({"times": t, "facts": len(ex.facts), "articles": len(read.articles),
                  "extracted": ex.extracted, "reused": ex.reused, "rss_mb": rss, "reports_cpu": reports_cpu}))
"""


def write_archive(path: Path, n_articles: int, changed_every: int = 0) -> int:
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for i, (meta, text) in enumerate(articles(n_articles)):
            if changed_every and i % changed_every == 0:
                text += "A late update said 17 more people were evacuated.\n"
            line = json.dumps({**meta, "text": text}, ensure_ascii=False) + "\n"
            size += len(line.encode())
            out.write(line)
    return size


def run_step(archive: Path, store: str, jobs: int, rules: Path, reports: Path, only_extract: bool = False) -> dict:
    with subprocess.Popen([sys.executable, "-c", STEP, str(archive), store, str(jobs), str(rules), str(reports),
                           "1" if only_extract else "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, cwd=ROOT, env={**os.environ, "CI": "true"}) as step:
        sampler = TreeMemory(step.pid)
        sampler.start()
        out, err = step.communicate()
        sampler.join()
    if step.returncode != 0:
        raise SystemExit(err)
    result = json.loads(out.strip().splitlines()[-1])
    result["total"] = sum(result["times"].values())
    result["tree_mb"] = sampler.peak_mb
    return result


class TreeMemory(threading.Thread):
    """The peak of the memory a process and its descendants hold together, sampled every 0.1 s: proportional set
    size summed (pages shared after a fork counted once in all), where Linux tells it; else None. The peak RSS a
    process reports misses what its forked children copy."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb: float | None = None

    def run(self) -> None:
        while os.path.exists(f"/proc/{self.pid}/smaps_rollup"):
            total = sum(self._pss_kb(pid) for pid in self._tree(self.pid))
            if total:
                self.peak_mb = max(self.peak_mb or 0.0, total / 1024)
            time.sleep(0.1)

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
    def _pss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        except (OSError, ValueError):
            return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated fact counts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--one-core-max", type=int, default=10**9,
                        help="skip the 1-core extraction run above this many facts (it takes long at 1M)")
    args = parser.parse_args()
    rules = ROOT / "rules"
    previous = None
    print(f"{'facts':>9} {'articles':>8} {'MB':>6} | {'1-core art/s':>12} {'MB/s':>5} | {'all-core art/s':>14} "
          f"{'MB/s':>5} | {'check s':>7} {'reports s':>9} {'total s':>7} {'peak MB':>7} {'tree MB':>7} | {'warm s':>6} "
          f"{'warm/cold':>9} | growth")
    for size in (int(s) for s in args.sizes.split(",")):
        n_articles = max(1, size // FACTS_PER_ARTICLE)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            archive = tmp / "archive.jsonl"
            mb = write_archive(archive, n_articles) / 1e6
            one = None
            if size <= args.one_core_max:
                one = run_step(archive, "", 1, rules, tmp / "r1", only_extract=True)  # the 1-core extraction rate
            cold = run_step(archive, str(tmp / "ledger.db"), args.jobs, rules, tmp / "reports")
            write_archive(archive, n_articles, changed_every=100)
            warm = run_step(archive, str(tmp / "ledger.db"), args.jobs, rules, tmp / "reports")
        growth = ""
        if previous:
            ratio = size / previous["size"]
            growth = " ".join(f"{k} {cold['times'][k] / max(previous['cold']['times'][k], 1e-9):.1f}x"
                              for k in ("extract", "check", "reports"))
            # reports run on two cores while a forked helper is worth its memory (see ledger/report/files.py),
            # on one above: their CPU time tells whether the work itself grows linearly
            growth += (f" (reports CPU {cold['reports_cpu'] / max(previous['cold']['reports_cpu'], 1e-9):.1f}x;"
                       f" size {ratio:.0f}x)")
        one_rate = (f"{one['articles'] / one['times']['extract']:>12,.0f} {mb / one['times']['extract']:>5.2f}"
                    if one else f"{'-':>12} {'-':>5}")
        print(f"{cold['facts']:>9,} {cold['articles']:>8,} {mb:>6.1f} | {one_rate} | "
              f"{cold['articles'] / cold['times']['extract']:>14,.0f} {mb / cold['times']['extract']:>5.2f} | "
              f"{cold['times']['check']:>7.2f} {cold['times']['reports']:>9.2f} {cold['total']:>7.2f} "
              f"{max(one['rss_mb'] if one else 0, cold['rss_mb']):>7.0f} {_mb(cold['tree_mb']):>7} | "
              f"{warm['total']:>6.2f} {warm['total'] / cold['total']:>9.0%} | "
              f"{growth}  (warm re-extracted {warm['extracted']} of {warm['articles']}; warm steps: "
              + ", ".join(f"{k} {v:.2f}s" for k, v in warm["times"].items())
              + f"; warm peak {warm['rss_mb']:.0f} MB, tree {_mb(warm['tree_mb'])} MB)",
              flush=True)
        previous = {"size": size, "cold": cold}


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
