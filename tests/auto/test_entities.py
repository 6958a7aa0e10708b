"""Who a figure is about, its canonical subject, when it holds, and the tags that keep figures apart."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.articles import read_articles
from ledger.extract import extract_article
from ledger.extract.entities import EntityNames, annotate, normal_name, when
from ledger.model import Article
from tests.auto.corpus_run import SEEDS

ALIASES = {"subjects": {"inmate": ["prisoner", "convict"]},
           "entities": {"Wagner": ["the Wagner Group", "Wagner mercenaries"]}}


@pytest.mark.parametrize("sentence, expected", [
    ("North Korea delivered rockets to Russia last month.", (date(2022, 11, 1), "month")),
    ("The city's 2021 budget was $3.9 billion.", (date(2021, 1, 1), "year")),
    ("In March, 400 people were evacuated.", (date(2022, 3, 1), "month")),
    ("Exports fell last year.", (date(2021, 1, 1), "year")),
    ("Sales rose 5 percent on Monday.", (date(2022, 12, 19), "day")),
    ("It will automate two terminals by 2027.", (date(2022, 12, 22), "published")),
    ("Wagner spends $100 million a month.", (date(2022, 12, 22), "published")),
])
def test_when(sentence, expected):
    assert when(sentence, date(2022, 12, 22)) == expected


def test_names_normalise_and_alias():
    names = EntityNames(ALIASES)
    assert normal_name("the Wagner Group’s") == "wagner"
    assert normal_name("Port of Valmont") == "valmont"
    assert names.resolve("Wagner mercenaries") == "Wagner"
    assert names.resolve("the Wagner Group") == "Wagner"


def test_seed_facts_are_about_wagner():
    article = next(a for a in read_articles([str(SEEDS)]).articles if a.id == "wagner-north-korea-arms")
    facts = annotate(article, extract_article(article), ALIASES)
    by_surface = {f.surface: f for f in facts}
    assert by_surface["50,000"].entity == "Wagner"
    assert by_surface["40,000"].lemma == "inmate"
    spending = next(f for f in facts if f.unit == "USD/month")
    assert spending.entity == "Wagner"
    assert spending.as_of == date(2022, 12, 22)


@pytest.mark.parametrize("text, tag", [
    ("Northwind Airlines will cut 2,400 jobs.", "forecast"),
    ("Northwind denied a report that it would cut 6,000 jobs.", "denial"),
    ("The death toll has risen to 447.", "cumulative"),
    ("Wagner has recruited 40,000 prisoners.", "cumulative"),
])
def test_tags(text, tag):
    article = Article(id="t", path="t.md", text=text, published=date(2024, 2, 7))
    facts = annotate(article, extract_article(article), ALIASES)
    assert facts and tag in facts[0].tags


def test_a_clause_before_another_keeps_its_own_tense():
    article = Article(id="t", path="t.md", published=date(2024, 9, 11),
                      text="Valmont, which handles 1.2 million containers a year, will automate two terminals.")
    fact = next(f for f in annotate(article, extract_article(article)) if f.surface.startswith("1.2"))
    assert "forecast" not in fact.tags
    assert fact.entity == "Valmont"


def test_unresolved_entity_stays_empty():
    article = Article(id="t", path="t.md", text="About 300 people attended.", published=date(2024, 1, 1))
    assert [f.entity for f in annotate(article, extract_article(article))] == [None]


@pytest.mark.parametrize("text, entity", [
    ("Kelby Hospital said 50 nurses were hired.", "Kelby Hospital"),
    ("Penruby Police said 5 people were hurt.", "Penruby Police"),
])
def test_an_organization_that_says_a_figure_is_its_subject(text, entity):
    # a person quoted is a source, not the figure's subject; "X Hospital said" is the organization itself
    article = Article(id="t", path="t.md", text=text, published=date(2024, 2, 7))
    assert annotate(article, extract_article(article))[0].entity == entity


def test_a_person_quoted_is_not_the_subject():
    article = Article(id="t", path="t.md", text="Anna Berg said 50 nurses were hired.", published=date(2024, 2, 7))
    assert annotate(article, extract_article(article))[0].entity is None


@pytest.mark.parametrize("text, entity", [
    ("Between 9,000 and 12,000 people gathered in the square.", None),  # a preposition opening a sentence
    ("Another 21-year-old was hurt.", None),
    ("Four people were hurt, McManus said.", None),  # a name closing a quote is its source
    ("Northwind said 2,400 jobs would go, McManus said.", "Northwind"),
    ("McDonald's closed 40 stores.", "McDonald"),  # one name, not "Mc"
    ("Police found 4 people in the 200 block of West 105th Street.", None),  # an address, not "Street"
    ("LOWELL, Mass. — Police say five people were treated for gunshot wounds.", "LOWELL"),  # not "Mass"
    ("Miami police said 5 people were shot.", "Miami"),  # a place, though it ends like "Israeli"
    ("Israeli officials said 40 people died.", None),  # a nationality
])
def test_words_that_are_not_who_a_figure_is_about(text, entity):
    article = Article(id="t", path="t.md", text=text, published=date(2024, 2, 7))
    assert annotate(article, extract_article(article))[0].entity == entity


def test_a_figure_of_a_group_named_before_who_is_not_the_main_entitys():
    from ledger.extract.clauses import is_partial

    article = Article(id="t", path="t.md", published=date(2024, 2, 7), title="Okafor wins",
                      text="Okafor won 52,310 votes.\nHousing advocates, who spent about $300,000 on mailers, cheered.")
    spending = next(f for f in annotate(article, extract_article(article)) if "300,000" in f.surface)
    assert is_partial(spending, article.text)  # about the advocates: never set against Okafor's own spending


@pytest.mark.parametrize("text, partial", [
    ("Officials, who said about 40,000 people had joined, were cautious.", False),  # a source, not a part
    ("Its oldest shaft, which employs 2,800 people, closed.", True),
    ("The company, which employs 2,800 people, closed.", False),
])
def test_who_and_which_clauses(text, partial):
    from ledger.extract.clauses import is_partial

    article = Article(id="t", path="t.md", published=date(2024, 2, 7), text="Acme grew.\n" + text)
    fact = annotate(article, extract_article(article))[0]
    assert is_partial(fact, article.text) is partial
