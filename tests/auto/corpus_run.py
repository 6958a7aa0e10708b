"""Run extraction, annotation, relations and the built-in rules over a folder of articles (shared by the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ledger.articles import read_articles
from ledger.model import Finding

CORPUS = Path(__file__).with_name("corpus")
SEEDS = Path(__file__).parents[2] / "seeds"
ALIASES: dict[str, Any] = {
    "subjects": {"inmate": ["prisoner", "convict"]},
    "entities": {"Wagner": ["the Wagner Group", "Wagner mercenaries", "PMC Wagner"]},
}


def run(paths: list[Path], aliases: Any = ALIASES, settings: Any = None) -> tuple[list[Finding], list[Any], list[Any]]:
    from ledger.checks.auto import run_auto
    from ledger.extract import extract_article
    from ledger.extract.entities import annotate
    from ledger.extract.relations import find_relations

    result = read_articles([str(p) for p in paths])
    assert not result.errors, result.errors
    facts, relations = [], []
    for article in result.articles:
        own = annotate(article, extract_article(article), aliases)
        facts.extend(own)
        relations.extend(find_relations(article, own))
    return run_auto(facts, relations, result.articles, settings, aliases), facts, relations


def expected(manifest: Path = CORPUS / "expected.yaml") -> set[tuple[str, str]]:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return {(article, rule) for article, rules in data["articles"].items() for rule in rules or ()}


def failing(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(article, f.rule) for f in findings if f.status == "fail" and f.rule.startswith("auto.")
            for article in f.articles}


def scores(findings: list[Finding], want: set[tuple[str, str]]) -> tuple[float, float, set, set]:
    got = failing(findings)
    hits = got & want
    precision = len(hits) / len(got) if got else 1.0
    recall = len(hits) / len(want) if want else 1.0
    return precision, recall, got - want, want - got
