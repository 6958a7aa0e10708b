"""Precision and recall of failing `auto.*` findings on the planted corpus (`tests/auto/corpus/`).

Scores print with `pytest tests/auto -s` (or `-rP`). Floors are asserted; raise them as the checks improve.
"""

from __future__ import annotations

import pytest
import yaml

from tests.auto.corpus_run import CORPUS, expected, failing, run, scores

FLOOR_PRECISION = 0.97
FLOOR_RECALL = 0.90


@pytest.fixture(scope="module")
def findings():
    found, _, _ = run([CORPUS])
    return found


def test_manifest_is_balanced():
    data = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
    articles = data["articles"]
    files = {p.stem for p in CORPUS.glob("*.md")}
    assert set(articles) == files, "every corpus article is in the manifest, and only those"
    planted = [a for a, rules in articles.items() if rules]
    assert len(files) >= 40
    assert len(planted) >= 20 and len(files) - len(planted) >= 20


def test_scores(findings):
    want = expected()
    precision, recall, false_alarms, missed = scores(findings, want)
    print(f"\nauto.* on {len(list(CORPUS.glob('*.md')))} articles: precision {precision:.3f} "
          f"({len(failing(findings)) - len(false_alarms)}/{len(failing(findings))}), "
          f"recall {recall:.3f} ({len(want) - len(missed)}/{len(want)})")
    by_rule: dict[str, list[int]] = {}
    for article, rule in want | failing(findings):
        row = by_rule.setdefault(rule, [0, 0, 0])
        row[0 if (article, rule) in want and (article, rule) in failing(findings) else
            1 if (article, rule) in failing(findings) else 2] += 1
    for rule, (hit, false_alarm, miss) in sorted(by_rule.items()):
        print(f"  {rule:18} hits {hit:2}  false alarms {false_alarm:2}  missed {miss:2}")
    for article, rule in sorted(false_alarms):
        print(f"  FALSE ALARM {rule} {article}:",
              [f.message for f in findings if f.status == "fail" and f.rule == rule and article in f.articles])
    for article, rule in sorted(missed):
        print(f"  MISSED {rule} {article}")
    assert precision >= FLOOR_PRECISION, false_alarms
    assert recall >= FLOOR_RECALL, missed


def test_every_failure_shows_its_work(findings):
    for f in findings:
        if f.status != "fail":
            continue
        assert f.rule in ("auto.composition", "auto.share", "auto.change", "auto.agreement")
        assert f.articles and f.facts and f.work and f.message
        assert f.severity in ("error", "warning", "info")
