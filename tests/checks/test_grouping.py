"""A re-run regroups only the figures of the articles that changed (`ledger.checks.grouping`): the groups, tolls
and digests it keeps are those grouping every article gives, and so are its findings."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from ledger.articles import read_articles
from ledger.checks import auto, grouping
from ledger.checks.auto import run_auto
from ledger.checks.cache import FindingCache
from ledger.model import Article
from ledger.pipeline import extract_facts

ROOT = Path(__file__).parents[2]
DAY = date(2024, 2, 9)
TOLLS = [  # one day's toll told under two names of one place (`ledger.checks.places`), and another day's
    ("WELLSTON — Four people were shot at a party on Kelso Street in Wellston, Oklahoma, police said. Officer Dana "
     "Pruitt said Marla Quince was among them.", DAY),
    ("OKLAHOMA — Four people were shot at a party near Wellston, police said. Officer Dana Pruitt said Marla Quince "
     "was among them.", DAY),
    ("OKLAHOMA — Five people were shot at a party near Wellston, police said. Officer Dana Pruitt said Marla Quince "
     "was among them.", date(2024, 2, 10)),
]


@pytest.fixture
def corpus() -> list[Article]:
    articles = read_articles([str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus")]).articles
    return articles + [Article(id=f"toll-{n}", path=f"toll-{n}.md", text=text, published=day)
                       for n, (text, day) in enumerate(TOLLS)]


def agreement(articles: list[Article], store: Path, cache: bool = True) -> list:
    extraction = extract_facts(articles, store_path=store, jobs=1)
    found = run_auto(extraction.facts, extraction.relations, articles, None, None, extraction.clauses,
                     FindingCache(extraction.store, extraction.keys) if cache else None)
    return [f.model_copy(update={"places": None}) for f in found if f.rule == "auto.agreement"]


def kept(store: Path) -> grouping.Grouping:
    prior = grouping.load(grouping.path_for(store))
    assert prior is not None
    return prior


def edited(articles: list[Article], rng: random.Random) -> list[Article]:
    """Some articles changed (a figure's digit, or a sentence more), some gone, one new, the rest as they were."""
    out = []
    for article in articles:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.3 and any(c.isdigit() for c in article.text):
            at = rng.choice([n for n, c in enumerate(article.text) if c.isdigit()])
            article = article.model_copy(update={"text": article.text[:at] + str(rng.randrange(1, 10))
                                                 + article.text[at + 1:]})
        elif roll < 0.35:
            article = article.model_copy(update={"text": article.text + "\nWagner has about 50,000 fighters.\n"})
        out.append(article)
    new = rng.choice(articles)
    out.append(new.model_copy(update={"id": f"{new.id}-again-{rng.randrange(10**6)}"}))
    return out


def test_regrouping_keeps_what_grouping_every_article_gives(corpus, tmp_path, monkeypatch):
    regrouped: list[int] = []
    ungroup = auto._ungroup

    def counted(prior, *args):
        wanted, touched = ungroup(prior, *args)
        regrouped.append(len(wanted))
        return wanted, touched

    monkeypatch.setattr(auto, "_ungroup", counted)
    rng = random.Random(6)
    store = tmp_path / "ledger.db"
    articles = corpus
    first = agreement(articles, store)
    assert first and not regrouped  # nothing to regroup from
    assert any(len(g) > 3 for g in kept(store).groups.values()) and kept(store).tolls and kept(store).moved
    assert agreement(articles, store) == first and regrouped == [0]  # nothing changed: nothing grouped again
    for step in range(4):
        articles = edited(articles, rng)
        again = agreement(articles, store)
        assert regrouped[-1] < len(articles) / 2, step  # only the changed and new articles were grouped again
        made = kept(store)
        grouping.remove(grouping.path_for(store))  # the same, every article grouped
        assert agreement(articles, store) == again == agreement(articles, tmp_path / f"fresh{step}.db", cache=False)
        whole = kept(store)
        assert (made.order, made.keys, made.names, made.tolls, made.moved) == \
               (whole.order, whole.keys, whole.names, whole.tolls, whole.moved), step
        assert made.groups == whole.groups, step  # in another order (the findings are checked in key order)
        assert made.digests == whole.digests, step


def test_a_grouping_it_may_not_take_is_not_taken(corpus, tmp_path, monkeypatch):
    """Other articles' order, a name that goes under another one now, a damaged or foreign file: every article is
    grouped again, and the findings are as ever."""
    store = tmp_path / "ledger.db"
    agreement(corpus, store)
    taken: list[bool] = []
    usable = auto._usable
    monkeypatch.setattr(auto, "_usable", lambda *args: taken.append(usable(*args) is not None) or usable(*args))
    assert agreement(corpus[::-1], store) == agreement(corpus[::-1], tmp_path / "fresh.db", cache=False)
    assert taken == [False]
    prior = kept(store)
    entity = next(e for members in prior.groups.values() for e in members[2::3])
    prior.names[entity] = "Someone Else"
    grouping.save(grouping.path_for(store), prior)
    assert agreement(corpus[::-1], store) == agreement(corpus[::-1], tmp_path / "fresh.db", cache=False)
    assert taken == [False, False]
    for damaged in (b"", b"not marshal", grouping.path_for(store).read_bytes()[:100]):
        grouping.path_for(store).write_bytes(damaged)
        assert grouping.load(grouping.path_for(store)) is None
        assert agreement(corpus, store) == agreement(corpus, tmp_path / "fresh.db", cache=False)
    assert agreement(corpus, store) == agreement(corpus, tmp_path / "fresh.db", cache=False)
    assert taken[-1] is True


def test_a_toll_no_longer_moved_leaves_the_group_it_was_moved_into(corpus, tmp_path):
    """Last run one day's tolls under two names of one place went into one group; now the story no longer names
    both: the group they went into is as it was made, but its figures are not, and its digest is worked out again."""
    store = tmp_path / "ledger.db"
    agreement(corpus, store)
    before = kept(store).moved
    apart = [a.model_copy(update={"text": a.text.replace("Wellston, Oklahoma", "Wellston")}) if a.id == "toll-0" else a
             for a in corpus]
    again = agreement(apart, store)
    made = kept(store)
    assert made.moved != before
    grouping.remove(grouping.path_for(store))
    assert agreement(apart, store) == again == agreement(apart, tmp_path / "fresh.db", cache=False)
    assert made.digests == kept(store).digests
