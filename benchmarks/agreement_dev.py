"""auto.agreement on real news: how many of its findings join articles about one incident.

    python benchmarks/agreement_dev.py

Reads /work/shared/dev/news_dev.jsonl (772 local-news articles on 300 shootings, each with its incident id),
extracts and checks it as `ledger check` does, and prints the agreement findings that join two or more
articles: how many pass and fail, and how many join articles about more than one incident (those would be
false comparisons). The failing ones are listed for a person to judge.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ledger.articles import read_articles  # noqa: E402
from ledger.checks.auto import run_auto  # noqa: E402
from ledger.pipeline import extract_facts  # noqa: E402

DEV = Path("/work/shared/dev/news_dev.jsonl")


def main() -> None:
    incident = {json.loads(line)["id"]: json.loads(line)["event"] for line in DEV.open(encoding="utf-8")}
    articles = read_articles([str(DEV)]).articles
    with tempfile.TemporaryDirectory() as tmp:
        extraction = extract_facts(articles, store_path=Path(tmp) / "ledger.db")
    findings = [f for f in run_auto(extraction.facts, extraction.relations, articles, None, None, extraction.clauses)
                if f.rule == "auto.agreement" and len(f.articles) > 1]
    counts = Counter((f.status, len({incident[a] for a in f.articles}) == 1) for f in findings)
    one = sum(n for (_, single), n in counts.items() if single)
    print(f"{len(findings)} agreement findings across articles; {one} join articles on one incident; "
          f"{sum(n for (s, _), n in counts.items() if s == 'pass')} pass, "
          f"{sum(n for (s, _), n in counts.items() if s == 'fail')} fail")
    for f in findings:
        if f.status == "fail":
            print(f"  fail ({'one incident' if len({incident[a] for a in f.articles}) == 1 else 'SEVERAL'}): "
                  f"{f.message[:150]}")


if __name__ == "__main__":
    main()
