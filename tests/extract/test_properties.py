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


# Letters a case-blind pattern reads as "s" or "i" though `str.lower` does not make them so: every word looked up
# after such a match must be folded as the pattern read it (`letters.fold`), else the lookup fails.
FOLDED = {"s": "ſ", "S": "ſ", "i": "ı", "I": "İ"}
NEWSY_TIMES = st.lists(st.sampled_from([
    "last", "month", "year", "two", "years", "ago", "first", "quarter", "Q3", "Tuesday", "yesterday", "March", "5,",
    "2023", "$5bn", "4.5", "billion", "million", "euros", "dollars", "some", "about", "40,000", "inmates", "a", "dozen",
    "miles", "per", "hour", "£3", "litre", "tonnes", "mn", "since", "this", "week", "earlier", "percent", "rose",
    "30%", "it", "costs", "Rs", "lakh", "crore", "10", "kg", "15", "km", "up", "from", "of", "the", "city", "said",
]), min_size=1, max_size=25).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(NEWSY_TIMES, st.sets(st.sampled_from(sorted(FOLDED))))
def test_the_whole_extraction_never_fails_on_letters_that_fold_to_ascii(text, letters):
    from datetime import date

    from ledger.model import Article
    from ledger.pipeline import _extract_record

    text = "".join(FOLDED[c] if c in letters else c for c in text) + "."
    record = _extract_record(Article(id="a", path="a.md", text=text, title="Report", published=date(2024, 5, 1)))
    assert record.failed is None, record.failed
