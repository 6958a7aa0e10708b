"""The one pint registry: pint's defaults plus `data/units.txt` (currencies as their own dimensions).

pint takes ~0.4 s to import and build, so the registry is built on first use: extraction, which
writes canonical unit strings from its own lexicon, never pays for it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ledger.errors import LedgerError

COUNT = "count"
PERCENT = "percent"
ANGLE = "angle"
NEWS_MEANING = {"decade": "decade_of_years", "decades": "decade_of_years"}
"""Unit words pint reads otherwise than news does: pint's `decade` is a logarithmic ratio of ten."""


CACHE_FOLDER: list[Path] = []
"""Where pint keeps the unit definitions it parsed (`cache_in`), if anywhere."""


def cache_in(folder: Path) -> None:
    """Let pint keep the unit definitions it parses in `folder` (beside the ledger store, a cache ledger trusts as it
    trusts the store): reading them back takes 0.02 s where parsing them took 0.3 s of every run. Only before the
    registry is first made."""
    CACHE_FOLDER[:] = [folder]


@lru_cache(maxsize=1)
def registry() -> Any:
    import pint

    definitions = resources.files("ledger").joinpath("data/units.txt")
    if CACHE_FOLDER and isinstance(definitions, Path):
        try:
            CACHE_FOLDER[0].mkdir(parents=True, exist_ok=True)
            ureg = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=True,
                                     cache_folder=CACHE_FOLDER[0])
            ureg.load_definitions(str(definitions))
            return ureg
        except Exception:  # noqa: BLE001 - a cache cut short, or another pint's: the definitions are parsed
            pass
    ureg = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=True)
    ureg.load_definitions(definitions.read_text(encoding="utf-8").splitlines())
    return ureg


CURRENCY_SIGN_RE = re.compile(r"[A-Za-z.]{0,4}[$£€¥₹₽₩₺₴₪₦₿₡₾₭฿₫₱][A-Za-z]{0,3}")
"""A currency sign, with the letters that say which dollar ("$", "C$", "US$", "£", "€")."""


def _codes_for_signs(expr: str) -> str:
    """ "$/year" -> "USD/year", "€" -> "EUR": a rule may name money as the articles write it."""
    if not CURRENCY_SIGN_RE.search(expr):
        return expr
    from ledger.extract.lexicon import CURRENCY_PREFIXES  # the extractor's own table of signs

    def code(sign: re.Match[str]) -> str:
        info = CURRENCY_PREFIXES.get(sign.group(0).upper())
        return info.code if info is not None and info.factor == 1 else sign.group(0)

    return CURRENCY_SIGN_RE.sub(code, expr)


PERCENT_WORDS = frozenset({"percent", "per cent", "percentage", "percentages", "pct", "pct.", "%"})
COUNT_WORDS = frozenset({"count", "counts", "number", "numbers"})
SCALE_WORDS = frozenset({"thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
                         "trillions", "k", "mn", "bn", "tn", "lakh", "crore"})
AMBIGUOUS_UNITS = {"pound": "GBP (or £) for money, lb for weight", "pounds": "GBP (or £) for money, lb for weight",
                   "point": "percentage points (pp) for a change of a percentage, count for points of an index",
                   "points": "percentage points (pp) for a change of a percentage, count for points of an index"}
"""Words the extractor reads by context: a rule must say which one it means."""
POINT_WORDS = {"percentage point": "percentage_point", "percentage points": "percentage_point", "pp": "percentage_point",
               "ppt": "percentage_point", "ppts": "percentage_point", "basis point": "basis_point", "basis points": "basis_point",
               "bp": "basis_point", "bps": "basis_point"}
"""A change of a percentage as a rule may name it; pint alone reads `pp` and `points` as a printer's point."""
POPULATION_BASES = {100: "hundred_people", 1_000: "thousand_people", 10_000: "ten_thousand_people",
                    100_000: "hundred_thousand_people", 1_000_000: "million_people"}
PER_POPULATION_RE = re.compile(r"per[ \t]+(?P<base>\d{1,3}(?:,\d{3})*|\d+|\d+k)"
                               r"(?:[ \t]+(?:people|persons|residents|inhabitants|population))?")
"""A per-head rate as news gives it ("per 100,000 people", "per 1,000"), which the extractor reads per person."""
COUNTED_DIMENSIONS = {"[headcount]": "people", "[share]": "shares"}
"""ledger's own dimensions that only ever divide a rate ("$5 a share", "per capita"): no figure has them alone."""

_OPERATOR_RE = re.compile(r"(\*\*|[*/^()]|[ \t]+(?i:per|a|an|each|every)[ \t]+)")


def _written_operand(word: str) -> str:
    """One operand of a unit as a rule author may write it ("dollars", "usd", "kilos", "Percent", "mo") as the
    unit the extractor gives such figures ("USD", "kg", "percent", "month"); unknown words are kept."""
    from ledger.extract import lexicon

    normal = " ".join(word.split()).lower()
    if normal in PERCENT_WORDS:
        return PERCENT
    if SCALE_WORDS.intersection(normal.split()) and word.strip() != "K":  # K is kelvin, k a thousand
        raise LedgerError(f"unit {word!r} has a scale word in it; write the unit alone (USD): figures are "
                          "compared in whole units, so numbers in a rule are written in full (2000000)")
    if normal in AMBIGUOUS_UNITS:
        raise LedgerError(f"unit {word!r} is ambiguous; write {AMBIGUOUS_UNITS[normal]}")
    if word in lexicon.UNIT_SYMBOLS:  # symbols are case-sensitive: mW is not MW
        return lexicon.UNIT_SYMBOLS[word].unit
    for table in (lexicon.CURRENCY_NAMES, lexicon.CURRENCY_PREFIXES):
        info = table.get(normal) or table.get(word.strip().upper())
        if info is not None and info.factor == 1:
            return info.code
    if word.strip().upper() in lexicon.CURRENCY_CODES:
        return lexicon.CURRENCY_CODES[word.strip().upper()].code
    if normal in lexicon.UNIT_WORDS:
        return lexicon.UNIT_WORDS[normal].unit
    period = lexicon.PERIODS.get(normal) or (lexicon.PERIODS.get(normal[:-1]) if normal.endswith("s") else None)
    if period is not None:
        return period
    item = lexicon.PRICE_ITEMS.get(normal) or (lexicon.PRICE_ITEMS.get(normal[:-1]) if normal.endswith("s") else None)
    if item is not None:  # "a head", "per capita", "a share"
        return item
    if not _knows(word) and _knows(normal):
        return normal  # "Miles", "KM"
    return word.strip()


def _knows(word: str) -> bool:
    try:
        registry().parse_units(word)
    except Exception:  # noqa: BLE001 - pint raises many types on words it does not know
        return False
    return True


@lru_cache(maxsize=1024)
def written_unit(expr: str) -> str:
    """A rule's unit as the extractor writes units: "dollars per month", "usd/mo" and "$/month" are all
    "USD/month", "Percent" and "%" are "percent", "counts" is "count". The words come from the extractor's
    own lexicon, so a rule names a unit as the articles write it; LedgerError when pint cannot read the
    result, or when the unit is one no figure has on its own (`people`: write `unit: count`)."""
    from ledger.extract.lexicon import UNIT_WORDS

    normal = " ".join(expr.split()).lower()
    if normal in COUNT_WORDS:
        return COUNT
    if normal in POINT_WORDS:
        return POINT_WORDS[normal]
    per_population = PER_POPULATION_RE.fullmatch(normal)
    if per_population:
        return _per_population(expr, per_population.group("base"))
    if normal.startswith("per ") and normal not in PERCENT_WORDS:  # "per person", "per capita": one over it
        expr = "1/" + expr.strip()[4:]
    if normal in UNIT_WORDS:  # whole phrases first: "kb/s", "tonnes per day"
        return UNIT_WORDS[normal].unit
    parts = _OPERATOR_RE.split(expr.strip())
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append("/" if part.strip().isalpha() else part)
        elif part.strip() and not re.fullmatch(r"[\d.]+", part.strip()):
            out.append(_written_operand(part))
        else:
            out.append(part.strip())
    unit = "".join(out)
    if unit in (COUNT, PERCENT):
        return unit
    parsed = parse_unit(unit)
    dimension = str(parsed.dimensionality)
    if dimension in COUNTED_DIMENSIONS:
        raise LedgerError(f"unit {expr!r}: a count of {COUNTED_DIMENSIONS[dimension]} has no unit; write "
                          f"`unit: count` and say what is counted with `subject: {COUNTED_DIMENSIONS[dimension]}`")
    return unit


def _per_population(expr: str, written: str) -> str:
    base = int(written[:-1]) * 1000 if written.endswith("k") else int(written.replace(",", ""))
    if base not in POPULATION_BASES:
        raise LedgerError(f"unit {expr!r}: a rate is compared per 100, 1,000, 10,000, 100,000 or 1,000,000 people")
    return f"1/{POPULATION_BASES[base]}"


@lru_cache(maxsize=4096)
def parse_unit(expr: str) -> Any:
    """A pint Unit for a unit expression ("USD/month", "$/month", "km", "1/year"); LedgerError if pint does not
    know it."""
    if not expr.strip():
        raise LedgerError("empty unit")
    try:
        quantity = registry().parse_expression(NEWS_MEANING.get(expr.strip(), _codes_for_signs(expr)))
    except Exception as e:  # noqa: BLE001 — pint's parser raises many types on odd input; all mean "unknown"
        raise LedgerError(f"unknown unit {expr!r}: {e or type(e).__name__}") from None
    if not hasattr(quantity, "units"):
        quantity = registry().Quantity(quantity)
    if quantity.magnitude != 1:
        raise LedgerError(f"unit {expr!r} has a number in it; write the unit alone")
    return quantity.units


@lru_cache(maxsize=4096)
def dimensionality(unit: str | None) -> str:
    """A comparable name for a unit's dimension: "count" for None, "percent" for percent and fractions, "angle"
    for degrees and radians (pint counts angles as plain numbers too, but 90 degrees is no share of a whole)."""
    if unit is None or unit == COUNT:
        return COUNT
    parsed = parse_unit(unit)
    dims = parsed.dimensionality
    if not dims:
        return ANGLE if "radian" in str(registry().get_root_units(parsed)[1]) else PERCENT
    return str(dims)


@lru_cache(maxsize=4096)
def linear(from_unit: str | None, to_unit: str | None) -> tuple[float, float]:
    """(k, offset) such that a value in `from_unit` is `value * k + offset` in `to_unit`; LedgerError when they
    do not convert. The offset is 0 except between temperature scales (112 °F is 44.4 °C, not 112 × 5/9)."""
    if (from_unit or COUNT) == (to_unit or COUNT):
        return 1.0, 0.0
    if from_unit in (None, COUNT) or to_unit in (None, COUNT):
        raise LedgerError(f"cannot convert {from_unit or 'a count'} to {to_unit or 'a count'}")
    import pint

    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        offset = float(registry().Quantity(0.0, source).to(target).magnitude)
        return float(registry().Quantity(1.0, source).to(target).magnitude) - offset, offset
    except pint.errors.DimensionalityError:
        raise LedgerError(f"cannot convert {from_unit} to {to_unit}") from None


def factor(from_unit: str | None, to_unit: str | None) -> float:
    """The number that multiplies a value in `from_unit` into `to_unit` (a ratio of two figures in one unit
    converts by it alone); LedgerError when they do not convert. `linear` also gives a temperature's offset."""
    return linear(from_unit, to_unit)[0]


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float:
    if math.isinf(value):
        return value
    k, offset = linear(from_unit, to_unit)
    return value * k + offset


def compatible(a: str | None, b: str | None) -> bool:
    try:
        return dimensionality(a) == dimensionality(b)
    except LedgerError:
        return False
