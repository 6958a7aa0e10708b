"""Properties that hold for any text, and the lexicon's contract with pint."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.extract import extract_text
from ledger.extract.lexicon import canonical_units
from ledger.units import parse_unit

NEWSY = st.lists(st.sampled_from([
    "about", "$", "£", "1,200", "3.5", "million", "bn", "people", "of", "the", "between", "and", "to", "-", "%",
    "percent", "a", "month", "year", "two", "thirds", "half", "dozens", "km", "+", "more than", "up to", "12k",
    "2019", "March", "4", ",", ".", "\n", "one", "hundred", "pounds", "yen", "cents", "old", "year-old", "(", ")",
]), max_size=30).map(" ".join)


def check(text):
    facts = extract_text(text)
    for fact in facts:
        assert text[fact.start:fact.end] == fact.surface
        assert fact.low <= fact.value <= fact.high
    assert [f.start for f in facts] == sorted(f.start for f in facts)
    again = extract_text(text)
    assert [f.model_dump() for f in facts] == [f.model_dump() for f in again]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(NEWSY)
def test_news_like_text(text):
    check(text)


def test_every_canonical_unit_parses():
    for unit in canonical_units():
        parse_unit(unit)


def test_every_rate_the_extractor_can_build_parses():
    from ledger.extract import NO_PERIOD_DIMENSIONS
    from ledger.extract import lexicon

    measures = {(i.unit, i.dimension) for i in [*lexicon.UNIT_WORDS.values(), *lexicon.UNIT_SYMBOLS.values()]}
    measures |= {(c.code, "currency") for c in lexicon.CURRENCY_NAMES.values()}
    measures |= {("percent", "percent"), ("percentage_point", "percent"), ("fraction", "percent"), ("1", "count")}
    periods = set(lexicon.PERIODS.values()) | set(lexicon.PERIOD_ADVERBS.values())
    for unit, dimension in measures:
        if dimension in NO_PERIOD_DIMENSIONS:
            continue
        for period in periods:
            parse_unit(f"{unit}/{period}")
        if dimension == "currency":
            for item in lexicon.PRICE_ITEMS.values():
                parse_unit(f"{unit}/{item}")
