"""The unit registry as news reads it: what counts as a share, an angle, a decade."""

from __future__ import annotations

import pytest

from ledger.checks import load_text, run_rules
from ledger.checks.facts import unit_matches
from ledger.errors import LedgerError
from ledger.units import convert, dimensionality, factor
from tests.checks.helpers import article, make_fact


@pytest.mark.parametrize("unit, dimension", [
    ("percent", "percent"), ("ppm", "percent"), ("fraction", "percent"), ("percentage_point", "percent"),
    ("degree", "angle"), ("radian", "angle"), ("decade", "[time]"), (None, "count"),
])
def test_dimensions(unit, dimension):
    assert dimensionality(unit) == dimension


def test_a_decade_is_ten_years_and_an_angle_is_no_share():
    assert factor("decade", "year") == 10.0
    assert not unit_matches("percent", "degree") and not unit_matches("percent", "decade")


def test_a_share_rule_leaves_angles_and_decades_alone():
    a = article("---\nid: a\n---\nA fragment made a 90 degree turn, two decades after 120 percent of voters came.\n", "a")
    facts = [make_fact(a, "90 degree", 90, unit="degree"), make_fact(a, "two decades", 2, unit="decade"),
             make_fact(a, "120 percent", 120, unit="percent")]
    rules = load_text("rules:\n  - id: share\n    kind: bounds\n    select: {unit: percent}\n    min: 0\n    max: 100\n")
    [finding] = run_rules(rules, facts, [a])
    assert finding.status == "fail" and finding.facts == (facts[2].id,)


@pytest.mark.parametrize("written, unit", [
    ("USD/month", "USD/month"), ("$/month", "USD/month"), ("dollars per month", "USD/month"),
    ("dollars a month", "USD/month"), ("usd/mo", "USD/month"), ("USD per annum", "USD/year"), ("€ per year", "EUR/year"),
    ("eur", "EUR"), ("euros", "EUR"), ("%", "percent"), ("Percent", "percent"), ("per cent", "percent"),
    ("pct", "percent"), ("percentage", "percent"), ("Count", "count"), ("counts", "count"), ("kilos", "kg"),
    ("degrees c", "degC"), ("KM", "km"), ("Miles", "mile"), ("metric tons", "tonne"), ("kb/s", "kilobit/second"),
    ("USD/person", "USD/person"), ("percentage points", "percentage_point"), ("pp", "percentage_point"),
    ("basis points", "basis_point"), ("bps", "basis_point"), ("per capita", "1/person"), ("$ per head", "USD/person"),
    ("per 100,000 people", "1/hundred_thousand_people"), ("per 1,000", "1/thousand_people"), ("K", "K"),
    ("per cent", "percent"),
])
def test_a_rule_names_a_unit_as_articles_write_it(written, unit):
    """Case, currency names and codes, "per", "a" and the extractor's own unit words all read as the extractor
    reads them; pint alone takes "pct" for picocarats, "kilos" for kiloseconds and "counts" for a share."""
    rules = load_text(f"rules:\n  - id: a\n    kind: agreement\n    select: {{unit: '{written}'}}\n", "r.yaml")
    assert rules.rules[0].select.unit == unit


@pytest.mark.parametrize("written, message", [
    ("pounds", "unit 'pounds' is ambiguous; write GBP (or £) for money, lb for weight"),
    ("people", "a count of people has no unit; write `unit: count` and say what is counted with `subject: people`"),
    ("million USD", "unit 'million USD' has a scale word in it"),
    ("points", "write percentage points (pp) for a change of a percentage, count for points of an index"),
    ("per 250 people", "a rate is compared per 100, 1,000, 10,000, 100,000 or 1,000,000 people"),
])
def test_a_unit_no_figure_can_have_says_what_to_write(written, message):
    with pytest.raises(LedgerError) as info:
        load_text(f"rules:\n  - id: a\n    kind: agreement\n    select: {{unit: '{written}'}}\n", "r.yaml")
    [line] = str(info.value).splitlines()
    assert line.startswith("r.yaml:4:20: rules[0].select.unit: ") and message in line, line


def test_a_unit_written_in_words_selects_and_converts_like_its_code():
    a = article("---\nid: a\n---\nRent is $1,850 a month; the city says 22,200 dollars a year.\n", "a")
    facts = [make_fact(a, "$1,850 a month", 1850, unit="USD/month"),
             make_fact(a, "22,200 dollars a year", 30000, unit="USD/year")]
    rules = load_text("rules:\n  - id: rent\n    kind: agreement\n    select: {unit: dollars per month}\n")
    [finding] = run_rules(rules, facts, [a])
    assert finding.status == "fail" and "USD/month" in finding.work


def test_temperatures_convert_with_their_offset():
    """112 °F is 44.4 °C: a scale factor alone would make it -1,929 °C and fail any plausible bound."""
    a = article("---\nid: a\n---\nPhoenix hit 112 degrees Fahrenheit; Mirel fell to minus 4 degrees Celsius.\n", "a")
    facts = [make_fact(a, "112 degrees Fahrenheit", 112, unit="degF"),
             make_fact(a, "minus 4 degrees Celsius", -4, unit="degC")]
    rules = load_text("rules:\n  - id: air\n    kind: bounds\n    select: {unit: °C}\n    min: -90\n    max: 57\n")
    findings = run_rules(rules, facts, [a])
    assert [f.status for f in findings] == ["pass", "pass"]
    assert "44.444 degC" in findings[0].work
    assert convert(-40, "degF", "degC") == pytest.approx(-40) and convert(0, "degC", "kelvin") == pytest.approx(273.15)


@pytest.mark.parametrize("text, status", [("6.8 per 100,000 residents", "pass"), ("68 per 100,000 residents", "fail")])
def test_a_rate_per_head_is_bounded_in_the_base_news_gives_it(text, status):
    """The extractor keeps "6.8 per 100,000" per person (6.8e-05); a rule names it as the story does."""
    a = article(f"---\nid: a\n---\nThe murder rate was {text}.\n", "a")
    value = float(text.split()[0]) / 100_000
    facts = [make_fact(a, text, value, unit="1/person")]
    rules = load_text("rules:\n  - id: murders\n    kind: bounds\n    select: {unit: 'per 100,000 people'}\n    max: 50\n")
    [finding] = run_rules(rules, facts, [a])
    assert finding.status == status


def test_parsed_unit_definitions_kept_beside_the_store_read_back_the_same(tmp_path, monkeypatch):
    """`cache_in`: pint keeps what it parsed; a registry made from there, or from a cache cut short, converts alike."""
    from ledger import units

    def made() -> object:
        units.registry.cache_clear()
        return units.registry()

    monkeypatch.setattr(units, "CACHE_FOLDER", [])
    plain = made()
    units.cache_in(tmp_path / "units")
    first, again = made(), made()
    assert any((tmp_path / "units").iterdir())
    for name in (tmp_path / "units").iterdir():
        name.write_bytes(name.read_bytes()[:10])
    damaged = made()
    units.registry.cache_clear()
    for ureg in (first, again, damaged):
        for quantity, unit in (("5 USD/month", "USD/year"), ("3 decade_of_years", "year"), ("2 mile", "km")):
            assert ureg(quantity).to(unit).magnitude == plain(quantity).to(unit).magnitude
