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


def readings(text):
    return [(f.surface, round(f.value, 12), f.unit) for f in extract_text(text)]


@pytest.mark.parametrize("text, expected", [
    # "degrees" with no scale: the words around tell a temperature from an angle
    ("Temperatures reached 40 degrees on Friday.", [("40 degrees", 40, "temperature_degree")]),
    ("It was minus 5 degrees overnight.", [("minus 5 degrees", -5, "temperature_degree")]),
    ("a heat wave pushed the mercury past 104 degrees", [("104 degrees", 104, "temperature_degree")]),
    ("Forecasters expect highs of 95° in Phoenix.", [("95°", 95, "temperature_degree")]),
    ("it was a 100-degree day in Dallas", [("100-degree", 100, "temperature_degree")]),
    ("The car turned 180 degrees.", [("180 degrees", 180, "degree")]),
    ("Cut it at a 45-degree angle, the recipe says, and keep the oven warm.", [("45-degree", 45, "degree")]),
    ("a 360-degree view of the hot springs", [("360-degree", 360, "degree")]),
    ("The slope is 30 degrees.", [("30 degrees", 30, "degree")]),
    # a scale named elsewhere in the article is the scale of a bare "degrees"
    ("It hit 40 degrees Celsius on Monday and temperatures stayed near 38 degrees on Tuesday.",
     [("40 degrees Celsius", 40, "degC"), ("38 degrees", 38, "degC")]),
    ("Highs of 95°F on Monday; on Tuesday the temperature fell to 80 degrees.",
     [("95°F", 95, "degF"), ("80 degrees", 80, "degF")]),
    ("absolute zero is taken as −273.15° on the Celsius scale", [("−273.15°", -273.15, "degC")]),
])
def test_degrees_are_a_temperature_or_an_angle_by_context(text, expected):
    assert readings(text) == [(s, pytest.approx(v), u) for s, v, u in expected]


def test_a_temperature_in_degrees_keeps_its_sign_open_below():
    fact = extract_text("Overnight temperatures of up to 10 degrees")[0]
    assert fact.low == float("-inf") and fact.high == 10


@pytest.mark.parametrize("text", [
    "the 747 jumbo jet", "a Boeing 747 landed", "an F-16 crashed", "the 787 Dreamliner", "drivers on the 405 freeway",
    "Its 737 jetliner was grounded.",
])
def test_model_names_are_no_counts(text):
    assert extract_text(text) == [], [(f.surface, f.value) for f in extract_text(text)]


@pytest.mark.parametrize("text, expected", [
    ("two F-16 fighter jets", [("two", 2, None, "jets")]),
    ("the 300 passengers", [("300", 300, None, "passengers")]),
    ("the 400 meter relay", [("400 meter", 400, "m", None)]),
])
def test_counts_near_model_names_stay_counts(text, expected):
    assert facts(text) == [(s, pytest.approx(v), u, subj) for s, v, u, subj in expected]


@pytest.mark.parametrize("text, expected", [
    ("a threefold increase", [("threefold", 3, "times")]),
    ("Sales rose three-fold.", [("three-fold", 3, "times")]),
    ("a tenfold rise in cases", [("tenfold", 10, "times")]),
    ("a twofold increase", [("twofold", 2, "times")]),
    ("a 2.5-fold rise", [("2.5-fold", 2.5, "times")]),
    ("a hundredfold return", [("hundredfold", 100, "times")]),
    ("Prices are three times higher than in 2019.", [("three times", 3, "times")]),
    ("a rate 2.5 times the national average", [("2.5 times", 2.5, "times")]),
    ("three times as many people", [("three times", 3, "times")]),
    ("He was shot three times as he ran.", [("three", 3, None)]),
])
def test_fold_is_a_multiple(text, expected):
    assert readings(text) == [(s, pytest.approx(v), u) for s, v, u in expected]


@pytest.mark.parametrize("text, expected", [
    ("Take 1,000 IU of vitamin D a day.", [("1,000 IU", 1000, "IU")]),
    ("400 international units of vitamin D", [("400 international units", 400, "IU")]),
])
def test_international_units(text, expected):
    assert readings(text) == [(s, pytest.approx(v), u) for s, v, u in expected]


@pytest.mark.parametrize("text, expected", [
    ("12 deaths per 1,000 live births", [("12 deaths per 1,000 live births", 0.012, "1/person", "deaths")]),
    ("8 murders per 100,000 inhabitants", [("8 murders per 100,000 inhabitants", 8e-5, "1/person", "murders")]),
    ("3.2 cases per 10,000 adults", [("3.2 cases per 10,000 adults", 3.2e-4, "1/person", "cases")]),
    ("5 infections per 1,000 hospital patients", [("5 infections per 1,000 hospital patients", 0.005, "1/person",
                                                   "infections")]),
    ("40 per 100,000 U.S. residents", [("40 per 100,000 U.S. residents", 4e-4, "1/person", None)]),
    # no noun: a rate per person
    ("The rate was 68 per million.", [("68 per million", 6.8e-5, "1/person", None)]),
    ("5 per 1,000", [("5 per 1,000", 0.005, "1/person", None)]),
    ("12 deaths per thousand people", [("12 deaths per thousand people", 0.012, "1/person", "deaths")]),
    ("2.1 births per hundred thousand women", [("2.1 births per hundred thousand women", 2.1e-5, "1/person",
                                                "births")]),
    # not a rate per person
    ("5 accidents per 100 miles", [("5", 5, None, "accidents"), ("100 miles", 100, "mile", None)]),
    ("3 parts per million", [("3 parts per million", 3, "ppm", None)]),
])
def test_rates_per_population(text, expected):
    assert facts(text) == [(s, pytest.approx(v), u, subj) for s, v, u, subj in expected]


@pytest.mark.parametrize("text, expected", [
    ("Spending reached $4,900 per resident.", [("$4,900 per resident", 4900, "USD/person", None)]),
    ("The levy is £1,200 per head.", [("£1,200 per head", 1200, "GBP/person", None)]),
    ("GDP stands at $52,000 per capita.", [("$52,000 per capita", 52000, "USD/person", None)]),
    ("The district spends €9,000 a pupil.", [("€9,000 a pupil", 9000, "EUR/person", None)]),
    ("The app costs $30 per user per month.", [("$30 per user per month", 30, "USD/person/month", None)]),
    # the item named before the figure
    ("Spending per pupil of $12,000 is the highest.", [("$12,000", 12000, "USD/person", None)]),
    ("Per capita GDP rose to about $52,000.", [("$52,000", 52000, "USD/person", None)]),
    ("It reported earnings per share of $1.52.", [("$1.52", 1.52, "USD/share", None)]),
    ("The price per barrel hit $90.", [("$90", 90, "USD/barrel", None)]),
    # a count per capita is no price; a price per household is no price per person
    ("Deaths per capita rose to 300.", [("300", 300, None, None)]),
    ("a tax of $300 per household", [("$300", 300, "USD", None)]),
])
def test_money_per_person(text, expected):
    assert facts(text) == [(s, pytest.approx(v), u, subj) for s, v, u, subj in expected]


def test_money_per_person_is_the_unit_a_rule_writes():
    from ledger.units import written_unit

    per_pupil = extract_text("The state spends $12,000 per pupil.")[0]
    assert written_unit("$ per pupil") == written_unit("$ per capita") == per_pupil.unit == "USD/person"


@pytest.mark.parametrize("text, expected", [
    ("Average weekly pay rose to £650.", [("£650", 650, "GBP/week", None)]),
    ("Average weekly pay rose to nearly £650.", [("£650", 650, "GBP/week", None)]),
    ("They pay a monthly rent of $1,800.", [("$1,800", 1800, "USD/month", None)]),
    ("a monthly rent of $1,500 to $1,800", [("$1,500 to $1,800", 1650, "USD/month", None)]),
    ("She took an annual base salary of $85,000.", [("$85,000", 85000, "USD/year", None)]),
    ("Daily ridership of 40,000 was recorded.", [("40,000", 40000, "1/day", "ridership")]),
    ("Daily production of 1.2 million barrels", [("1.2 million barrels", 1.2e6, "barrel/day", None)]),
    # no rate: the period qualifies another noun, or the figure counts something else, or is a change
    ("The annual report showed 300 jobs.", [("300", 300, None, "jobs")]),
    ("The weekly pay of 300 workers was cut.", [("300", 300, None, "workers")]),
    ("Average weekly pay rose by 5%.", [("5%", 5, "percent", None)]),
    ("The annual pay rise of 3% was agreed.", [("3%", 3, "percent", None)]),
    # company results are the year's, dated by it: "revenue of $5bn in 2023" is the same figure
    ("Annual revenue of $5 billion", [("$5 billion", 5e9, "USD", None)]),
])
def test_period_named_before_the_figure(text, expected):
    assert facts(text) == [(s, pytest.approx(v), u, subj) for s, v, u, subj in expected]


def test_rates_named_before_and_after_convert_alike():
    from ledger.units import convert

    weekly = extract_text("Average weekly pay rose to £650.")[0]
    yearly = extract_text("She earns £33,800 a year.")[0]
    assert convert(weekly.value, weekly.unit, yearly.unit) == pytest.approx(650 * 52.1775, rel=1e-3)
