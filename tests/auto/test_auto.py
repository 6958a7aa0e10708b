"""The built-in rules on small hand-made corpora: verdicts, severities, settings and the finding format."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.checks.auto import RULES, cross_article, rule_settings, run_auto
from ledger.errors import LedgerError
from ledger.extract import extract_article
from ledger.extract.entities import annotate
from ledger.extract.relations import find_relations
from ledger.model import Article
from tests.auto.corpus_run import ALIASES, CORPUS, SEEDS, run


def check(*texts: str, published=(), settings=None, aliases=ALIASES):
    articles = [Article(id=f"a{i}", path=f"a{i}.md", text=t,
                        published=published[i] if i < len(published) else date(2024, 2, 7))
                for i, t in enumerate(texts)]
    facts, relations = [], []
    for article in articles:
        own = annotate(article, extract_article(article), aliases)
        facts += own
        relations += find_relations(article, own)
    return run_auto(facts, relations, articles, settings, aliases)


def fails(findings, rule):
    return [f for f in findings if f.rule == rule and f.status == "fail"]


def test_seeds_composition_and_spending_pass():
    findings, _, _ = run([SEEDS])
    assert not [f for f in findings if f.status == "fail"]
    composition = [f for f in findings if f.rule == "auto.composition" and "wagner-north-korea-arms" in f.articles]
    assert composition and composition[0].status == "pass"
    assert composition[0].work.startswith("10,000 + ~40,000")
    spending = [f for f in findings if f.rule == "auto.agreement" and f.unit and "USD" in f.unit]
    assert spending and spending[0].status == "pass"


@pytest.mark.parametrize("yearly, status", [("$1.2 billion a year", "pass"), ("$1.5 billion a year", "fail")])
def test_rates_convert_across_articles(yearly, status):
    findings = check("Wagner spends about $100 million a month on the war in Ukraine.",
                     f"Wagner spends {yearly} on the war in Ukraine.",
                     f"Wagner spends about $100 million a month on the war in Ukraine, officials say.",
                     published=(date(2023, 1, 3), date(2023, 1, 12), date(2023, 1, 14)))
    agreement = [f for f in findings if f.rule == "auto.agreement"]
    assert [f.status for f in agreement] == [status]
    if status == "fail":
        assert agreement[0].articles == ("a1",)  # the outlier, not the consensus
        assert agreement[0].roles["consensus"] and agreement[0].expected is not None
        assert agreement[0].severity == "error"


@pytest.mark.parametrize("named", [
    "The Wagner group", "The Wagner Group", "Wagner Group Inc.", "Russia's Wagner group", "The Russian Wagner group",
])
def test_one_entity_under_its_longer_names_is_compared(named):
    # a suffix ("group", "Inc."), an owner ("Russia's") or a nationality is no other entity; with no aliases given
    findings = check(f"{named} spends $100 million a month.", "Wagner spends $100 million a month.",
                     "Officials said the Wagner group spends $100 million a month.", aliases=None,
                     published=(date(2023, 1, 3), date(2023, 1, 4), date(2023, 1, 5)))
    assert [(f.status, f.articles) for f in findings if f.rule == "auto.agreement"] == [("pass", ("a0", "a1", "a2"))]


def test_restatement_inside_an_article():
    findings = check("Fuel subsidies cost $50 million a month, or $900 million a year, the ministry said.",
                     "Power subsidies cost about $75 million a month, or about $900 million a year.")
    assert [f.articles for f in fails(findings, "auto.agreement")] == [("a0",)]


def test_composition_verdicts_and_severity():
    findings = check("The fire destroyed 1,200 buildings, including 850 homes and 400 businesses.",
                     "The fire destroyed 1,240 buildings, including 980 homes and 215 businesses.")
    failing = fails(findings, "auto.composition")
    assert [f.articles for f in failing] == [("a0",)]
    assert failing[0].roles["parts"] and failing[0].roles["total"]
    assert failing[0].group == {"article": "a0"}


def test_ambiguous_total_stays_quiet():
    findings = check("Officials said 2,000 soldiers were killed in 300 attacks, including 400 officers.")
    assert not fails(findings, "auto.composition")


def test_share_rounding_is_allowed():
    findings = check("Rescuers brought 57 out of 63 trapped miners, or 90 percent, to the surface.",
                     "The company will cut 2,000 jobs, or about 18 percent of its 25,000 employees.")
    assert [f.articles for f in fails(findings, "auto.share")] == [("a1",)]


@pytest.mark.parametrize("other", [
    "Northwind Airlines denied a report that it would cut 6,000 jobs.",   # a denial
    "Southjet will cut 6,000 jobs at its Phoenix base.",                   # another entity
    "Northwind Airlines will hire 6,000 people next year.",                # another subject
])
def test_incomparable_figures_are_not_compared(other):
    findings = check("Northwind Airlines will cut 2,400 jobs, the carrier said on Wednesday.", other)
    assert not fails(findings, "auto.agreement")


def test_a_change_is_compared_with_changes_only():
    # "cut 10,000 workers" counts those taken away, "employs 67,000 workers" the whole: no disagreement
    assert not fails(check("Northwind employs 67,000 workers.", "Northwind cut 10,000 workers last week."),
                     "auto.agreement")
    assert fails(check("Northwind laid off 10,000 workers last week.", "Northwind slashed 12,000 workers last week."),
                 "auto.agreement")


def test_a_stated_change_matches_the_old_and_new_values():
    findings = check("Sales rose 5% to $2 billion from $1.9 billion.",
                     "Profit fell 20% from $500 million to $300 million.",
                     "The council approved a $4.2 billion budget, a 3% increase over this year's $4.08 billion.")
    changes = [f for f in findings if f.rule == "auto.change"]
    assert [(f.articles, f.status) for f in changes] == [(("a0",), "pass"), (("a1",), "fail"), (("a2",), "pass")]
    assert "down" in changes[1].message and changes[1].work


def test_a_quarters_figure_is_not_a_years():
    findings = check("Northwind's revenue was $4 billion in the fourth quarter of 2022.",
                     "Northwind's revenue was $15 billion in 2022.")
    assert not fails(findings, "auto.agreement")


def test_unresolved_entity_is_never_compared():
    findings = check("About 300 people attended the meeting.", "About 900 people attended the meeting.")
    assert not [f for f in findings if f.rule == "auto.agreement"]


def test_settings_switch_off_and_change_severity():
    text = "The fire destroyed 1,200 buildings, including 850 homes and 400 businesses."
    assert not check(text, settings={"composition": "off"})
    assert fails(check(text, settings={"auto.composition": {"severity": "warning"}}), "auto.composition")[0].severity \
        == "warning"
    assert not check(text, settings={"enabled": False})
    assert set(rule_settings(None)) == set(RULES)
    with pytest.raises(LedgerError, match="unknown built-in rule"):
        rule_settings({"compositon": "off"})
    with pytest.raises(LedgerError, match="severity"):
        rule_settings({"share": "loud"})


def test_clauses_stored_by_extraction_give_the_same_findings_as_clauses_worked_out_here():
    from ledger.articles import read_articles
    from ledger.extract.clauses import clause_record

    findings, facts, relations = run([CORPUS, SEEDS])
    articles = read_articles([str(CORPUS), str(SEEDS)]).articles
    by_article: dict[str, list] = {}
    for fact in facts:
        by_article.setdefault(fact.article, []).append(fact)
    clauses = {f.id: c for a in articles for f, c in zip(by_article.get(a.id, []),
                                                         clause_record(by_article.get(a.id, []), a.text)) if c}
    assert clauses and any(c.endswith("\t1") for c in clauses.values())  # some figure counts only a part
    assert run_auto(facts, relations, articles, None, ALIASES, clauses) == findings


def test_small_tolls_of_one_incident_are_compared_but_one_is_not_a_count():
    shooting = "Lakeville police said {n} people were killed in the shooting at the mall on Friday."
    findings = check(shooting.format(n="three"), shooting.format(n="five"), published=(date(2024, 2, 9),) * 2)
    assert fails(findings, "auto.agreement")
    alone = check("One man was killed in Lakeville on Friday.", "Three men were killed in Lakeville on Friday.",
                  published=(date(2024, 2, 9),) * 2)
    assert not [f for f in alone if f.rule == "auto.agreement"]


def joined(findings):
    return [f for f in findings if f.rule == "auto.agreement" and len(f.articles) > 1]


@pytest.mark.parametrize("first, second", [
    # after a death, the others counted are the injured
    ("In Dunmore, one man died and four others were hurt on Friday.", "Dunmore police said four people were hurt."),
    ("A gunman in Dunmore killed a man and wounded four others, police said.", "Four people were wounded in Dunmore."),
    ("A Dunmore man was killed and four other people, including a boy, were wounded.", "Four people were wounded in Dunmore."),
    ("The Dunmore shooting took the life of a teen and left four others wounded.", "Four people were wounded in Dunmore."),
    ("A man died in Dunmore; four more people are in a hospital with gunshot wounds.", "Four people were wounded in Dunmore."),
    # ... and so they are when the death is told in the sentence before
    ("A teen was killed outside a bar on Kelso Street in Dunmore early Sunday after an argument over a parking "
     "space. Four other people were wounded.", "Four people were wounded in Dunmore."),
    # a relative clause that gives an event's toll is no part of the entity
    ("Dunmore police are looking into a shooting at a bar that wounded four people.", "Four people were wounded in Dunmore."),
    ("The Dunmore gunman who wounded four people was named.", "Four people were wounded in Dunmore."),
    # an aside between the count and what happened to it
    ("Four people, including a child, were wounded in Dunmore.", "Dunmore police said four people were wounded."),
    # a count of nobody named is people when it says what happened to them
    ("A shooting left two dead and three injured, police said.", "Dunmore police said three people were injured."),
    ("Police said four victims were wounded.", "Four people were wounded in Dunmore, police said."),
    # "died" and "killed", "injured" and "wounded" say the same
    ("Three people died in Dunmore, police said.", "Dunmore police said three people were killed."),
    ("Three people were injured in Dunmore, police said.", "Dunmore police said three people were wounded."),
    # outlets name those a toll counts differently: men, teens, boys are people
    ("Three men were wounded in Dunmore, police said.", "Dunmore police said three people were wounded."),
    ("Police said two teens were shot in Dunmore.", "Two people were shot in Dunmore, police said."),
])
def test_tolls_worded_differently_are_compared(first, second):
    # a dateline says where each story is (its figures' entity)
    found = joined(check("DUNMORE — " + first, "DUNMORE — " + second, published=(date(2024, 2, 9),) * 2))
    assert [f.status for f in found] == ["pass"]


@pytest.mark.parametrize("first, second", [
    ("Four people were shot at the Dunmore bar.", "About 50 people were at the Dunmore bar when gunfire broke out."),
    ("Two people were killed in Dunmore, police said.", "Dunmore police said five people were wounded."),
    ("The gunman fired 12 rounds, police said.", "Dunmore police said 9 people were wounded."),
    ("A man was shot near the center at 927 Kelso Blvd., police said.", "Police said 4 people were shot."),
    # no death before them: "others" are more of the same count, a part of it
    ("Police said a man was shot in Dunmore. Three others were shot later.", "Five people were shot in Dunmore."),
    # men counted beside women are a part of the toll
    ("Two men and two women were injured in Dunmore.", "Four people were injured in Dunmore, police said."),
    ("A girl and two men were wounded in Dunmore.", "Three people were wounded in Dunmore, police said."),
    # men who were not hurt are not a toll
    ("Two men were questioned in Dunmore, police said.", "Police said three people were shot in Dunmore."),
])
def test_different_counts_of_one_event_are_not_compared(first, second):
    assert not fails(check("DUNMORE — " + first, "DUNMORE — " + second, published=(date(2024, 2, 9),) * 2),
                     "auto.agreement")


def test_a_place_is_not_filed_under_its_first_word():
    # "New Orleans" is no "New Hope": the shorter name must be a name of its own
    findings = check("NEW — Three people were shot in a bar, police said.",
                     "NEW ORLEANS — Five people were shot in a bar, police said.", published=(date(2024, 2, 9),) * 2)
    assert not joined(findings)


def test_a_toll_is_compared_with_the_next_days_but_not_later():
    night = "DUNMORE — Four people were shot at a bar on Friday, police said."
    morning = "DUNMORE — Police said five people were shot at a bar on Friday."
    assert fails(check(night, morning, published=(date(2024, 2, 9), date(2024, 2, 10))), "auto.agreement")
    assert not joined(check(night, morning, published=(date(2024, 2, 9), date(2024, 2, 11))))


def test_a_figure_told_twice_in_one_article_still_matches():
    caption = "Four people were shot at a Dunmore bar, police said. "
    found = joined(check("DUNMORE — " + caption + "Image 1 of 2. " + caption + "Image 2 of 2. " + caption,
                         "DUNMORE — Police said four people were shot at a bar.", published=(date(2024, 2, 9),) * 2))
    assert [f.status for f in found] == ["pass"]


def test_distances_from_different_places_are_not_one_measure():
    findings = check("DUNMORE — The gunman fled 35 miles northeast of Kelso, police said.",
                     "DUNMORE — Police found the gunman's car eight miles away, near Kelso.",
                     published=(date(2024, 2, 9),) * 2)
    assert not joined(findings)


def test_a_figure_read_back_from_the_store_reads_as_its_fact():
    """What the store keeps of a keyed figure for agreement (`_figure_row`, read back as `_Figure` through JSON)
    gives agreement the same fields as the fact: open bounds, dates, tags and the clause."""
    import json
    import math

    from ledger.checks.auto import _Figure, _figure_row
    from ledger.extract.clauses import clause_record

    article = Article(id="a", path="a.md", published=date(2024, 3, 1),
                      text="Acme said more than 4,000 workers were laid off in March, about 12 % of its staff.")
    facts = sorted(annotate(article, extract_article(article)), key=lambda f: (f.start, f.end))
    clauses = clause_record(facts, article.text)
    assert any(math.isinf(f.high) for f in facts)
    for j, fact in enumerate(facts):
        figure = _Figure("a", json.loads(json.dumps(_figure_row(facts, j, clauses[j]))))
        for name in _Figure.__slots__[:-1]:
            assert getattr(figure, name) == getattr(fact, name), name
        assert figure.clause == clauses[j]


class CountedFacts(list):
    """Facts held in a plain list (no store: `--no-cache`, `--facts`), counting the passes made over all of them."""

    passes = 0

    def __iter__(self):
        CountedFacts.passes += 1
        return super().__iter__()


def test_facts_without_a_store_are_gone_through_a_few_times_not_once_per_article():
    articles = [Article(id=f"a{i}", path=f"a{i}.md", text=f"Wagner has {i + 2},000 fighters in Ukraine.",
                        published=date(2024, 2, 7)) for i in range(60)]
    facts = CountedFacts(f for a in articles for f in annotate(a, extract_article(a), ALIASES))
    CountedFacts.passes = 0
    cross_article(facts, {a.id: a for a in articles}, rule_settings(None)["auto.agreement"], ALIASES)
    assert CountedFacts.passes < 10  # once per article was 60 more: a check of 100,000 facts took a minute


def test_facts_of_chunks_of_articles_go_through_a_plain_list_once(monkeypatch):
    from ledger import model

    monkeypatch.setattr(model, "CHUNK_ARTICLES", 2)
    articles = [Article(id=f"a{i}", path=f"a{i}.md", text=f"{i + 2} people and {i + 3} cars.") for i in range(5)]
    facts = CountedFacts(f for a in articles for f in extract_article(a))
    CountedFacts.passes = 0
    chunks = list(model.facts_in_chunks(facts, [a.id for a in articles], skip={"a2"}))
    assert CountedFacts.passes == 1
    assert [(chunk, [f.value for f in own]) for chunk, own in chunks] == [
        (["a0", "a1"], [2, 3, 3, 4]), (["a2", "a3"], [5, 6]), (["a4"], [6, 7])]
