"""Readings added while scoring against real news sentences (quantities_dev, news_dev): one test per general cause."""

from __future__ import annotations

import pytest

from ledger.extract import extract_text


def facts(text):
    return [(f.surface, round(f.value, 12), f.unit, f.subject) for f in extract_text(text)]


@pytest.mark.parametrize("text, expected", [
    # scientific notation and uncertainties
    ("a rate of 4e14 s-1", [("4e14 s-1", 4e14, "1/second", None)]),
    ("a factor of 2.48×10−5, with", [("2.48×10−5", 2.48e-05, None, "factor")]),
    ("density of 5.5x10-3 kg", [("5.5x10-3 kg", 0.0055, "kg", None)]),
    ("about 1.5 x 10^6 m", [("1.5 x 10^6 m", 1.5e6, "m", None)]),
    ("exactly 8x2^10 bits", [("8x2^10 bits", 8192, "bit", None)]),
    ("It weighs 2,000.45±0.01 pounds", [("2,000.45±0.01 pounds", 2000.45, "lb", None)]),
    # digit grouping
    ("a loan of 12,34,567.89 rupees", [("12,34,567.89 rupees", 1234567.89, "INR", None)]),
    ("1,00,000 people", [("1,00,000", 1e5, None, "people")]),
    ("around 80, 000 spectators", [("80, 000", 8e4, None, "spectators")]),
    # a + unit is one of it; a priced unit is not
    ("He walked a mile for a gallon of milk.", [("a mile", 1, "mile", None), ("a gallon", 1, "gallon", None)]),
    ("A kibibyte is 1,024 bytes", [("A kibibyte", 1, "kibibyte", None), ("1,024 bytes", 1024, "byte", None)]),
    ("A barrel of Brent cost 84 dollars", [("84 dollars", 84, "USD", None)]),
    ("Gas costs $4 a gallon.", [("$4 a gallon", 4, "USD/gallon", None)]),
    ("It drove 40 miles a gallon", [("40 miles", 40, "mile", None)]),
    # bare 4-digit counts
    ("About 2000 people marched.", [("2000", 2000, None, "people")]),
    ("cut by 55% compared with 1990 levels", [("55%", 55, "percent", None)]),
    ("in 2012 elections", []),
    # rare units and currencies
    ("3 dimes", [("3 dimes", 0.3, "USD", None)]),
    ("a 16-bit chip", [("16-bit", 16, "bit", None)]),
    ("4,500 tpd of ore", [("4,500 tpd", 4500, "ton/day", None)]),
    ("30 MUSD were lost", [("30 MUSD", 3e7, "USD", None)]),
    ("revenues of MAUD 60", [("MAUD 60", 6e7, "AUD", None)]),
    ("The book is 100 ₡", [("100 ₡", 100, "CRC", None)]),
    ("It costs quarter million us dollars.", [("quarter million us dollars", 250000, "USD", None)]),
    ("50 km/ms", [("50 km/ms", 50, "km/millisecond", None)]),
    ("it took 5 ms", [("5 ms", 5, "millisecond", None)]),
    ("The length is 12 ft 2 in more or less", [("12 ft", 12, "foot", None), ("2 in", 2, "inch", None)]),
    ("an ef 75 -300mm lens", [("75 -300mm", 187.5, "mm", None)]),
    # tokenised text
    ("a 28 - year - old who", [("28 - year - old", 28, "year", None)]),
    # a money figure's neighbour
    ("Revenue rose to $5.2 billion from 4.8 billion.", [("$5.2 billion", 5.2e9, "USD", None),
                                                        ("4.8 billion", 4.8e9, "USD", None)]),
    ("The city has 8.4 million residents and a $2 billion budget",
     [("8.4 million", 8.4e6, None, "residents"), ("$2 billion", 2e9, "USD", None)]),
    # not figures
    ("a .45 caliber handgun, a .380 pistol and a 40-caliber gun", []),
    ('The class is "English 101". On a', []),
    ("24703 L-202", []),
    ("12 bits of straw", [("12", 12, None, "bits")]),
])
def test_reading(text, expected):
    assert facts(text) == [(s, pytest.approx(v), u, subj) for s, v, u, subj in expected]


@pytest.mark.parametrize("text, subject", [
    ("Six O.C. residents charged", "residents"),
    ("six other MS 13 gang members lived", "members"),
    ("5,000 U.S. troops", "troops"),
    ("six grandchildren ages 3 months to 10 years", "grandchildren"),
    ("the 20 most expensive restaurants", "restaurants"),
    ("2 satoshis one day will be worth", "satoshis"),
    ("nearly one child 13 or younger", "child"),
    ("three injured late Wednesday, police said", None),  # those injured, not "late"
    ("three wounded officers were treated", "officers"),
])
def test_subject(text, subject):
    assert extract_text(text)[0].subject == subject
