"""auto.agreement on real news: how many of its findings join articles about one incident.

    python benchmarks/agreement_dev.py

Reads /work/shared/dev/news_dev.jsonl (772 local-news articles on 300 shootings, each with its incident id),
extracts and checks it as `ledger check` does, and prints the agreement findings that join two or more
articles: how many pass and fail, and how many join articles about more than one incident (those would be
false comparisons). The failing ones are listed for a person to judge.

Recall on tolls: of the incidents with two or more articles that each state a toll (a count of two or more,
not an age, in a sentence saying killed, dead, died, injured, wounded, hurt or shot), how many get an
agreement finding that joins its articles on such a figure.
"""

from __future__ import annotations

import json
import re
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
TOLL_WORDS = re.compile(r"(?i:\b(?:kill\w*|dead|died|dies|death|injur\w*|wound\w*|hurt|shot|fatal\w*)\b)")
AGE = re.compile(r"(?i:\bold\b|\byears?\b)")


def is_toll(fact) -> bool:
    """A count of killed, injured or shot people, as a reader would take it (one is never compared)."""
    return (fact.unit is None and 2 <= fact.value <= 1000 and not AGE.search(fact.surface)
            and TOLL_WORDS.search(fact.sentence) is not None)


def toll_recall(facts, findings, incident) -> tuple[int, int]:
    """(incidents whose tolls are joined by a finding, incidents with tolls stated in two or more articles)."""
    stating: dict[str, set[str]] = {}
    for fact in facts:
        if is_toll(fact):
            stating.setdefault(incident[fact.article], set()).add(fact.article)
    eligible = {event for event, arts in stating.items() if len(arts) >= 2}
    by_id = {f.id: f for f in facts}
    joined = {incident[f.articles[0]] for f in findings if len({incident[a] for a in f.articles}) == 1
              and any(is_toll(by_id[i]) for i in f.facts if i in by_id)}
    return len(joined & eligible), len(eligible)


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
    joined, eligible = toll_recall(extraction.facts, findings, incident)
    print(f"recall on tolls: {joined} of {eligible} incidents whose tolls two or more articles state get a finding "
          f"that joins them ({joined / max(eligible, 1):.0%})")
    for f in findings:
        if f.status == "fail":
            print(f"  fail ({'one incident' if len({incident[a] for a in f.articles}) == 1 else 'SEVERAL'}): "
                  f"{f.message[:150]}")


if __name__ == "__main__":
    main()
