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


def annotated(text, published=date(2024, 2, 7), aliases=None):
    """The facts of one article of `text`, as `ledger check` annotates them."""
    article = Article(id="t", path="t.md", text=text, published=published)
    return annotate(article, extract_article(article), aliases)


@pytest.mark.parametrize("sentence, expected", [
    ("North Korea delivered rockets to Russia last month.", (date(2022, 11, 1), "month")),
    ("The city's 2021 budget was $3.9 billion.", (date(2021, 1, 1), "year")),
    ("In March, 400 people were evacuated.", (date(2022, 3, 1), "month")),
    ("Exports fell last year.", (date(2021, 1, 1), "year")),
    ("Sales rose 5 percent on Monday.", (date(2022, 12, 19), "day")),
    ("It will automate two terminals by 2027.", (date(2022, 12, 22), "published")),
    ("Wagner spends $100 million a month.", (date(2022, 12, 22), "published")),
    ("Fourth-quarter revenue was $4 billion.", (date(2022, 10, 1), "quarter")),
    ("Revenue in Q1 2021 fell 5%.", (date(2021, 1, 1), "quarter")),
    ("In the second quarter of 2020, profit fell.", (date(2020, 4, 1), "quarter")),
    ("Sales last quarter were $2 billion.", (date(2022, 7, 1), "quarter")),
    ("Two years ago, the town had 3,000 residents.", (date(2020, 1, 1), "year")),
    ("It sold 800,000 units a year ago.", (date(2021, 1, 1), "year")),
    ("Three months ago it hired 45 people.", (date(2022, 9, 1), "month")),
    ("Sales in the prior year were $3 billion.", (date(2021, 1, 1), "year")),
    ("It has sent $44 billion since February 2022.", (date(2022, 12, 22), "published")),  # a start, not the time
    ("By March 2022 the toll was 300 people.", (date(2022, 3, 1), "month")),
    ("It set aside $800 million in the previous quarter.", (date(2022, 7, 1), "quarter")),
])
def test_when(sentence, expected):
    assert when(sentence, date(2022, 12, 22)) == expected


def test_a_time_after_a_comparison_belongs_to_the_figure_compared_with():
    article = Article(id="t", path="t.md", published=date(2024, 5, 14),
                      text="About 3.2 million ballots were cast, up from 2.9 million in 2020.")
    assert [f.as_of for f in annotate(article, extract_article(article))] == [date(2024, 5, 14), date(2020, 1, 1)]


def test_each_figure_of_a_list_keeps_its_own_time():
    article = Article(id="t", path="t.md", published=date(2024, 5, 14),
                      text="The firm will cut 2,000 jobs in 2023 and 1,000 jobs in 2024.")
    assert [f.as_of for f in annotate(article, extract_article(article))] == [date(2023, 1, 1), date(2024, 1, 1)]


def test_a_time_counted_back_holds_in_its_own_clause_only():
    article = Article(id="t", path="t.md", published=date(2024, 5, 14),
                      text="The company, founded 10 years ago, employs 300 people. Sales rose 5% from a year earlier.")
    assert [f.as_of for f in annotate(article, extract_article(article)) if f.unit != "year"] == [date(2024, 5, 14)] * 2


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
    ("So far, 12 people have been killed in the fighting.", "cumulative"),
])
def test_tags(text, tag):
    facts = annotated(text, aliases=ALIASES)
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
    assert annotated(text)[0].entity == entity


@pytest.mark.parametrize("text, entity", [
    ("Officials said the Wagner group spends $100 million a month.", "Wagner"),  # what was said is about it
    ("The group spends $100 million a month, said the Kremlin on Monday.", None),  # who said it
    ("Costs reached $5 million, said the Northwind board.", None),
])
def test_a_name_after_said_the_is_a_source_only_where_the_clause_ends(text, entity):
    assert annotated(text)[0].entity == entity


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
    ("Average hourly earnings rose 0.2% from March.", None),  # a measure's name opens the sentence
    ("Turnout fell to 59.7%, the lowest since 2001.", None),  # a measure opens the sentence
])
def test_words_that_are_not_who_a_figure_is_about(text, entity):
    assert annotated(text)[0].entity == entity


@pytest.mark.parametrize("text, entity", [
    ("Nestlé said it would cut 4,000 jobs.", "Nestlé"),
    ("Société Générale lost €2 billion.", "Société Générale"),
    ("São Paulo recorded 1,200 cases.", "São Paulo"),
    ("Łódź hired 50 teachers.", "Łódź"),
    ("ÉLECTRICITÉ DE FRANCE cut 2,000 jobs.", "ÉLECTRICITÉ DE FRANCE"),
])
def test_names_with_letters_beyond_ascii_are_whole(text, entity):
    assert annotated(text)[0].entity == entity


@pytest.mark.parametrize("text, entity", [
    ("JPMorgan Chase & Co. earned $13.4 billion.", "JPMorgan Chase"),  # the suffix and the joiner it leaves
    ("The chip maker Nvidia Corp. reported results.\nShares of Nvidia Corp. jumped 16% on Thursday.", "Nvidia"),
    ("The population of Texas grew to 30 million.", "Texas"),  # what a place has is the place's
])
def test_whose_figure_a_company_or_place_has(text, entity):
    assert annotated(text)[-1].entity == entity


@pytest.mark.parametrize("text, entity", [
    ("Italy reported 300 new cases. Officials in Italy said more were likely.", "Italy"),
    ("Beijing said exports rose 5%. Analysts in Beijing expected more.", "Beijing"),
    ("Meanwhile, 30 homes were lost.", None),  # an adverb, capitalised nowhere else
])
def test_a_name_that_ends_like_an_adverb_opens_a_sentence(text, entity):
    assert annotated(text)[0].entity == entity


def test_a_sentence_may_open_with_a_letter_beyond_ascii():
    article = Article(id="t", path="t.md", published=date(2024, 2, 7),
                      text="The plant employs 300 people. Österreich reported 12 cases.")
    facts = annotate(article, extract_article(article))
    assert [f.sentence for f in facts] == ["The plant employs 300 people.", "Österreich reported 12 cases."]
    assert facts[1].entity == "Österreich"


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


@pytest.mark.parametrize("text, names", [
    ("Homicide detectives said two men were shot.", []),  # a department, not an entity
    ("The Narcotics Unit said 3 men were held in Dunmore.", ["Dunmore"]),
    ("Shots rang out on the South and West sides of Dunmore.", ["Dunmore"]),  # a part of town alone
    ("Four people were shot in Dunmore, Del., on Sunday.", ["Dunmore"]),  # the state only places the city
    ("A Dunmore, Virginia father shot his wife.", ["Dunmore"]),
    ("KXYZ reported 3 dead, citing a post on Facebook.", ["KXYZ", "Facebook"]),  # sources, see below
    ("Three people were shot on Easter and two on Mother's Day.", []),  # when, not who
    ("He fired an AK-47 from a black SUV.", []),
    ("TWO PEOPLE ARE IN CRITICAL CONDITION. Two people are in critical condition.", []),  # shouting, not a name
    ("Police arrived.Officers found two men.", []),  # glued sentences still start sentences
    ("Gunman Opens Fire On Crowd Outside Dunmore Club After Party Ends Early", []),  # a headline run, no name
    ("Two men were shot in the 1600 block of Saybrook.", []),  # an address, though it has no "Street"
    ("Two men were found at 16411 Saybrook.", []),
    ("Police taped off the 100 block of N. Mead, and HPD officers said 3 men were hurt.", []),
    ("Someone fired 12 shots, CBSLA reported.", ["CBSLA"]),  # a network's station is a source
    ("None of the 4 victims spoke, and EMS crews left.", []),
    ("Metro police said 3 men were hurt.", []),  # the city's police, named elsewhere
    ("Photo: Dana Pruitt, Kelso Chronicle Image 5 of 9", ["Dana Pruitt"]),  # a credit line is a source
    ("DUNMORE (CBSLA.com) — Someone fired 12 shots.", ["DUNMORE", "CBSLA."]),
])
def test_capitalised_words_that_are_no_entity(text, names):
    from ledger.extract.entities import mentions

    sources = ("KXYZ", "Facebook", "CBSLA", "CBSLA.")
    assert [m.text for m in mentions(text) if not m.source] == [n for n in names if n not in sources]
    assert all(m.source for m in mentions(text) if m.text in sources)


@pytest.mark.parametrize("text, person", [
    ("A 23-year-old Dana Pruitt was hurt.", True),
    ("Pruitt, 23, was hurt.", True),
    ("A 23-year-old Dunmore man was hurt.", False),  # an age, a place, then who
])
def test_an_age_marks_a_person(text, person):
    from ledger.extract.entities import mentions

    assert mentions(text)[-1].person is person


def test_a_person_named_twice_is_not_what_the_article_is_about():
    from ledger.extract.entities import main_entity

    text = ("Dana Pruitt was shot in Dunmore on Friday. Pruitt had left a party. Dunmore police said three people "
            "were hurt. Pruitt was treated. Pruitt went home.")
    article = Article(id="t", path="t.md", text=text, published=date(2024, 2, 7))
    assert main_entity(article, EntityNames()) == "Dunmore"


@pytest.mark.parametrize("title, text", [
    ("Man Killed In Dunmore Shooting Friday", "A man was killed on Friday. Police in Dunmore said a shooting had been reported."),
    ("Teen hurt in shooting, police say", "Police in Dunmore said a boy was hurt. Officers searched Dunmore."),
    ("Shooting leaves two hurt - KXYZ.com: Kelso News, Weather", "In Dunmore, two men were hurt. Dunmore police said so."),
    ("Investigation into Fatal Shooting at Kelso Bar", "Police in Dunmore began an investigation. Dunmore police said so."),
    ("Report 3 on the city council", "The city council met. Dunmore will pay, the council said. Dunmore agreed."),
])
def test_a_headline_names_only_its_names(title, text):
    from ledger.extract.entities import main_entity

    article = Article(id="t", path="t.md", text=text, title=title, published=date(2024, 2, 7))
    assert main_entity(article, EntityNames()) == "Dunmore"


def test_a_name_that_opens_a_sentence_keeps_its_first_word_in_a_headline():
    from ledger.extract.entities import main_entity

    article = Article(id="t", path="t.md", title="Kelso Mining Cuts Jobs At Two Sites", published=date(2024, 2, 7),
                      text="Kelso Mining said 200 jobs would go. The cuts were announced on Friday.")
    assert main_entity(article, EntityNames()) == "Kelso Mining"


def test_a_dateline_places_the_story():
    from ledger.extract.entities import main_entity

    article = Article(id="t", path="t.md", published=date(2024, 2, 7),
                      text="DUNMORE (AP) — Two men were shot at a bar on Friday, police said. Kelso Street was closed.")
    assert main_entity(article, EntityNames()) == "DUNMORE"


@pytest.mark.parametrize("text", [
    "Four people have been shot in Dunmore.",  # an event's toll, as "four people were shot" tells it
    "Seven people were shot in an incident that may have been gang related.",  # a guess, not a total
    "An arrest has been made in the shooting that wounded four people.",  # the perfect is the arrest's
])
def test_a_toll_in_the_perfect_is_no_running_total(text):
    assert [f.tags for f in annotated(text)] == [("as_of:published",)]


def test_a_toll_is_never_a_persons():
    article = Article(id="t", path="t.md", published=date(2024, 2, 7),
                      text="DUNMORE — Dana Pruitt shot two men on Kelso Street, police said. Pruitt was arrested. "
                           "Pruitt won 3 awards last year.")
    by_surface = {f.surface: f.entity for f in annotate(article, extract_article(article))}
    assert by_surface["two"] == "DUNMORE"  # not the shooter, nor the street
    assert by_surface["3"] == "Pruitt"  # what a person did is still theirs


@pytest.mark.parametrize("text, entity", [
    # where it happened, not the venue or the name after the toll
    ("Four people were shot in Dunmore early Saturday as gunfire erupted after an event at Levels.", "Dunmore"),
    ("The shooting left four people wounded at the Kelso Lounge in a Dunmore neighborhood.", "Dunmore"),
    # no place in the sentence: the dateline's city
    ("Related Coverage  DUNMORE, Pa. — The shooting left four people wounded, Sgt. Ray Kelso said.", "DUNMORE"),
    # a state is too wide to say where
    ("ORWELL — Two people were killed in Ohio at the Kelso Lounge.", "ORWELL"),
    # a place named before the toll still holds it
    ("A Orwell family of five died in their home in the Brookfield subdivision.", "Orwell"),
    ("Seven people were wounded at a party in Rockingham County Saturday.", "Rockingham County"),
    # a part of town is in its city, when the article names the city too
    ("Three were injured after a shooting in SW Houston. The Houston Police Department is investigating.", "Houston"),
    ("Five people were wounded in Chicago's Uptown neighborhood.", "Chicago"),
    ("Two men were killed in the Cherokee Park area of Shreveport.", "Shreveport"),
    # a city whose name opens with a direction keeps it
    ("Two people were killed in South Bend on Friday.", "South Bend"),
])
def test_a_toll_goes_under_the_place_it_happened(text, entity):
    tolls = [f for f in annotated(text) if f.value > 1]
    assert [f.entity for f in tolls] == [entity]
