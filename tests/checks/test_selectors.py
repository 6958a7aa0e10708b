"""Selectors: subject forms and aliases, text and near, unit, qualifier, article, meta; grouping."""

from __future__ import annotations

import pytest

from ledger.checks import load_text
from ledger.checks.base import Aliases, Selector
from ledger.checks.facts import Context, choose, word_forms
from tests.checks.helpers import article, make_fact, mini_extract

FUND = article("""---
id: fund-1
title: Fund passes target
outlet: Sample Wire
published: 2023-03-01
desk: [economy, world]
---
The fund received $2 billion from the government and $1.5 billion from private donors, bringing its total to $3.5 billion.
""", "fund-1")


def fund_facts():
    return [make_fact(FUND, "$2 billion", 2e9, unit="USD"), make_fact(FUND, "$1.5 billion", 1.5e9, unit="USD"),
            make_fact(FUND, "$3.5 billion", 3.5e9, unit="USD")]


def select(selector: dict, facts, articles=(FUND,), aliases: Aliases | None = None):
    context = Context(facts=facts, articles={a.id: a for a in articles}, aliases=aliases or Aliases())
    return [f.surface for f in context.select(Selector.model_validate(selector))]


@pytest.mark.parametrize("near, surfaces", [("government", ["$2 billion"]), ("donors", ["$1.5 billion"]),
                                            ("total", ["$3.5 billion"]), ("received", ["$2 billion"]),
                                            ("fund", ["$2 billion"]), ("billion", ["$2 billion", "$1.5 billion", "$3.5 billion"])])
def test_near_takes_the_figure_own_stretch(near, surfaces):
    assert select({"near": near}, fund_facts()) == surfaces


@pytest.mark.parametrize("near, surfaces", [("police", ["$1.1 billion"]), ("schools", ["$2.3 billion"]),
                                            ("parks", ["$300 million"]), ("killing", ["41"]), ("injur", ["230"])])
def test_near_gives_words_after_a_conjunction_to_the_next_figure(near, surfaces):
    """A label before its figure ("and parks $300 million", "and injuring 230") is that figure's, not the
    figure before the conjunction's."""
    a = article("---\nid: b\n---\nPolice get $1.1 billion, schools $2.3 billion and parks $300 million. "
                "The quake struck Monday, killing at least 41 people and injuring 230.\n", "b")
    facts = [make_fact(a, surface, value, unit=unit) for surface, value, unit in (
        ("$1.1 billion", 1.1e9, "USD"), ("$2.3 billion", 2.3e9, "USD"), ("$300 million", 3e8, "USD"),
        ("41", 41, None), ("230", 230, None))]
    assert select({"near": near}, facts, [a]) == surfaces


def test_near_without_the_article_text_falls_back_to_the_sentence():
    assert select({"near": "donors"}, fund_facts(), articles=()) == ["$1.5 billion"]


def test_near_clause_bounds_and_thousands_commas():
    a = article("---\nid: w\n---\nWagner has 50,000 people fighting in Ukraine, including 10,000 contractors and "
                "40,000 inmates (recruited in prisons); the rest are volunteers.\n", "w")
    facts = mini_extract(a)
    assert select({"near": "Ukraine"}, facts, [a]) == ["50,000"]
    assert select({"near": "including"}, facts, [a]) == ["10,000"]
    assert select({"near": "inmates"}, facts, [a]) == ["40,000"]
    assert select({"near": "prisons"}, facts, [a]) == []
    assert select({"text": "prisons"}, facts, [a]) == ["50,000", "10,000", "40,000"]


@pytest.mark.parametrize("rule_word, fact_word", [("inmates", "inmate"), ("inmate", "Inmates"), ("people", "person"),
                                                  ("casualties", "casualty"), ("houses", "house"),
                                                  ("buses", "bus"), ("wives", "wife"), ("Foreign Volunteers", "foreign volunteer")])
def test_word_forms_match_singular_and_plural(rule_word, fact_word):
    assert word_forms(rule_word) & word_forms(fact_word)


def test_subject_matches_subject_lemma_or_phrase_and_aliases():
    a = article("---\nid: s\n---\n10,000 convicts and 5,000 foreign volunteers.\n", "s")
    facts = [make_fact(a, "10,000", 10_000, subject="convicts"),
             make_fact(a, "5,000", 5_000, subject="volunteers", subject_phrase="foreign volunteers")]
    assert select({"subject": "Convict"}, facts, [a]) == ["10,000"]
    assert select({"subject": "inmate"}, facts, [a]) == []
    aliases = Aliases(subjects={"inmate": ["prisoner", "convict"]})
    assert select({"subject": "inmates"}, facts, [a], aliases) == ["10,000"]
    assert select({"subject": "foreign volunteers"}, facts, [a]) == ["5,000"]
    assert select({"subject": ["volunteer", "convicts"]}, facts, [a]) == ["10,000", "5,000"]


def test_unit_selector_matches_dimension_count_and_percent():
    a = article("---\nid: u\n---\n$5 a month, 7 km, 8% and a third, and 12 people.\n", "u")
    facts = [make_fact(a, "$5 a month", 5, unit="USD/month"), make_fact(a, "7 km", 7, unit="km"),
             make_fact(a, "8%", 8, unit="percent"), make_fact(a, "a third", 1 / 3, unit="fraction"),
             make_fact(a, "12", 12), make_fact(a, "8% and", 2, unit="percentage_point")]
    assert select({"unit": "USD/year"}, facts, [a]) == ["$5 a month"]
    assert select({"unit": "mile"}, facts, [a]) == ["7 km"]
    assert select({"unit": "percent"}, facts, [a]) == ["8%", "a third", "8% and"]
    assert select({"unit": "count"}, facts, [a]) == ["12"]
    assert select({"unit": "EUR"}, facts, [a]) == []


def test_qualifier_article_and_meta():
    facts = fund_facts()
    assert select({"qualifier": "exact"}, facts) == ["$2 billion", "$1.5 billion", "$3.5 billion"]
    assert select({"qualifier": ["approx", "nearly"]}, facts) == []
    assert len(select({"article": "fund-*"}, facts)) == 3
    assert select({"article": ["other", "x*"]}, facts) == []
    assert len(select({"meta": {"outlet": "sample wire"}}, facts)) == 3
    assert len(select({"meta": {"published": "2023-03-01"}}, facts)) == 3
    assert len(select({"meta": {"desk": "world", "title": ["Fund passes target", "x"]}}, facts)) == 3
    assert select({"meta": {"desk": "sport"}}, facts) == []
    assert select({"meta": {"missing": "x"}}, facts) == []


def test_yaml_dates_in_meta_selectors_match():
    rules = load_text("rules:\n  - id: a\n    kind: bounds\n    select: {meta: {published: 2023-03-01}}\n    max: 1\n")
    context = Context(facts=fund_facts(), articles={FUND.id: FUND})
    assert len(context.select(rules.rules[0].select)) == 3


def test_choose_is_deterministic_and_keeps_facts_distinct():
    facts = fund_facts()
    picked = choose({"a": facts, "b": facts[:1]})
    assert picked is not None and picked["b"] is facts[0] and picked["a"] is facts[1]
    assert choose({"a": facts[:1], "b": facts[:1]}) is None
