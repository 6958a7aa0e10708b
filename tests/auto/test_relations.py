"""Relations the text states: table-driven, each case a sentence and the relations it must (or must not) give."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.extract import extract_article
from ledger.extract.relations import find_relations
from ledger.model import Article

CASES = [
    # (text, [(kind, total surface, [part surfaces], share surface)])
    ("Wagner has about 50,000 people fighting in Ukraine, including 10,000 contractors and about 40,000 inmates "
     "whom Mr. Kirby said the company had recruited.",
     [("subset", "50,000", ["10,000", "40,000"], None)]),
    ("The storm killed 14 people, among them three children.", [("subset", "14", ["three"], None)]),
    ("The crash killed 23 people, of whom 15 were passengers and 8 were crew members.",
     [("subset", "23", ["15", "8"], None)]),
    ("Of the 600 passengers, 412 were rescued and 188 remain missing.", [("partition", "600", ["412", "188"], None)]),
    ("The council's 45 seats are split between 21 Labour members, 14 Conservatives and 10 independents.",
     [("partition", "45", ["21", "14", "10"], None)]),
    ("The $2.5 billion package consists of $1.2 billion in loans and $1.3 billion in grants.",
     [("partition", "$2.5 billion", ["$1.2 billion", "$1.3 billion"], None)]),
    ("The fund received $2 billion from the government and $1.5 billion from private donors, bringing its total "
     "to $3.5 billion.", [("partition", "$3.5 billion", ["$2 billion", "$1.5 billion"], None)]),
    ("The group raised $2.1 billion from bondholders and $900 million from a group of banks, for a total of "
     "$3 billion.", [("partition", "$3 billion", ["$2.1 billion", "$900 million"], None)]),
    ("The ministry put the group's strength at 10,000 + 40,000 = 50,000.",
     [("partition", "50,000", ["10,000", "40,000"], None)]),
    ("The company will cut 2,000 jobs, or about 8% of its 25,000 employees.",
     [("share", "25,000", ["2,000"], "8%")]),
    ("The company will cut 2,000 jobs, or 8% of its workforce of 25,000.", [("share", "25,000", ["2,000"], "8%")]),
    ("The company will cut 2,000 jobs, or about 8% of its workforce. It employs 25,000 people worldwide.",
     [("share", "25,000", ["2,000"], "8%")]),
    ("About 8 percent of its 25,000 workers, or 2,000 people, will lose their jobs.",
     [("share", "25,000", ["2,000"], "8 percent")]),
    ("Some 412 out of 600 passengers, or 69%, were rescued.", [("share", "600", ["412"], "69%")]),
    ("He is spending about $100 million a month, or $1.2 billion a year, on the war.",
     [("rate", "$1.2 billion a year", ["$100 million a month"], None)]),
    ("The 50 victims comprised 10 children and 40 adults.", [("partition", "50", ["10", "40"], None)]),
    ("Of the 1,200 employees, 300, or 25%, will be laid off.",
     [("subset", "1,200", ["300"], None), ("share", "1,200", ["300"], "25%")]),
    # a breakdown after a bracket, a colon or a dash may leave some out: a subset
    ("The 12 dead (seven men and five women) were identified.", [("subset", "12", ["seven", "five"], None)]),
    ("Five people were shot: two died and three were injured.", [("subset", "Five", ["two", "three"], None)]),
    ("Police arrested 14 people — nine men and five women.", [("subset", "14", ["nine", "five"], None)]),
    ("Turnout was 60%: 55% in cities and 70% in villages.", []),
    ("The victims range in age from 22 to 59 -- three women and four men.", []),
    # a change from an old value to a new one
    ("Sales rose 5% to $2 billion from $1.9 billion.", [("change", "$2 billion", ["$1.9 billion"], "5%")]),
    ("Revenue was $2 billion, up 5% from $1.9 billion.", [("change", "$2 billion", ["$1.9 billion"], "5%")]),
    ("Profit fell 20% from $500 million to $400 million.",
     [("change", "$400 million", ["$500 million"], "20%")]),
    ("Unemployment rose 0.2% to 4.1% from 3.9%.", []),  # a change of a rate may be in points
    # no relation: figures in different clauses, alternatives, unrelated percentages
    ("Unemployment rose to 5.2% in March, and 12,000 jobs were lost in manufacturing.", []),
    ("The tickets cost $5 or $6, and 300 people came.", []),
    ("The fire destroyed 1,200 buildings last year and 800 this year.", []),
    # a share whose total is named but stated twice with different values is left alone
    ("About 7,000 nurses walked out. The hospitals employ 9,200 nurses, and about 2,100 nurses, or 23 percent of "
     "the nurses, stayed at work.", []),
]


def _relations(text: str):
    article = Article(id="case", path="case.md", text=text, published=date(2024, 1, 10))
    facts = extract_article(article)
    by_id = {f.id: f.surface for f in facts}
    return [(r.kind, by_id.get(r.total or ""), [by_id[p] for p in r.parts], by_id.get(r.share or ""))
            for r in find_relations(article, facts)]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_relations(text, expected):
    assert _relations(text) == [(k, t, p, s) for k, t, p, s in expected]


def test_ambiguous_total_is_recorded():
    article = Article(id="case", path="case.md", published=date(2024, 1, 10),
                      text="Officials said 2,000 soldiers were killed in 300 attacks, including 400 officers.")
    facts = extract_article(article)
    relations = find_relations(article, facts)
    assert len(relations) == 1 and "ambiguous:" in relations[0].cue
