"""Numbers as written: digits, words, scale words, fractions, vague magnitudes."""

import pytest

from ledger.extract import extract_text
from ledger.extract.numbers import NUMBER_RE, read_number


def one(text):
    facts = extract_text(text)
    assert len(facts) == 1, [(f.surface, f.value) for f in facts]
    return facts[0]


@pytest.mark.parametrize("text, value", [
    ("1,234,567 people", 1234567), ("3.5 people", 3.5), ("fifty-two people", 52),
    ("three hundred and twenty people", 320), ("two million people", 2e6), ("a dozen people", 12),
    ("ten people", 10), ("one person", 1), ("a hundred and two people", 102), ("two and a half miles", 2.5),
    ("half a million people", 5e5), ("1.5 billion people", 1.5e9), ("12k members", 12000),
])
def test_values(text, value):
    assert one(text).value == pytest.approx(value)


@pytest.mark.parametrize("text, value", [
    ("a third of voters", 1 / 3), ("two-thirds of voters", 2 / 3), ("half of voters", 0.5),
    ("a quarter of voters", 0.25), ("three quarters of voters", 0.75),
])
def test_fractions(text, value):
    fact = one(text)
    assert fact.value == pytest.approx(value)
    assert fact.unit == "fraction" or fact.unit is None and fact.dimension in ("count", "percent")


@pytest.mark.parametrize("text, low, high", [
    ("dozens of people", 24, 99), ("hundreds of people", 200, 999), ("thousands of people", 2000, 9999),
    ("tens of thousands of people", 20000, 99999), ("hundreds of thousands of people", 200000, 999999),
    ("millions of people", 2e6, 9.99e6),
])
def test_vague_magnitudes(text, low, high):
    fact = one(text)
    assert (fact.qualifier, fact.low, fact.high, fact.subject) == ("approx", low, high, "people")


def test_step_of_last_stated_digit():
    steps = {m.group(): read_number(m).step for m in NUMBER_RE.finditer("12,000 3.5 12,345 fifty-two")}
    assert steps == {"12,000": 1000, "3.5": pytest.approx(0.1), "12,345": 1, "fifty-two": 1}
