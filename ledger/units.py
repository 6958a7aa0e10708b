"""The one pint registry: pint's defaults plus `data/units.txt` (currencies as their own dimensions).

pint takes ~0.4 s to import and build, so the registry is built on first use: extraction, which
writes canonical unit strings from its own lexicon, never pays for it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from ledger.errors import LedgerError

COUNT = "count"
PERCENT = "percent"
ANGLE = "angle"
NEWS_MEANING = {"decade": "decade_of_years", "decades": "decade_of_years"}
"""Unit words pint reads otherwise than news does: pint's `decade` is a logarithmic ratio of ten."""


@lru_cache(maxsize=1)
def registry() -> Any:
    import pint

    ureg = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=True)
    definitions = resources.files("ledger").joinpath("data/units.txt").read_text(encoding="utf-8")
    ureg.load_definitions(definitions.splitlines())
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
def factor(from_unit: str | None, to_unit: str | None) -> float:
    """The number that converts a value in `from_unit` to `to_unit`; LedgerError when they do not convert."""
    if (from_unit or COUNT) == (to_unit or COUNT):
        return 1.0
    if from_unit in (None, COUNT) or to_unit in (None, COUNT):
        raise LedgerError(f"cannot convert {from_unit or 'a count'} to {to_unit or 'a count'}")
    import pint

    try:
        return float(registry().Quantity(1.0, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)
    except pint.errors.DimensionalityError:
        raise LedgerError(f"cannot convert {from_unit} to {to_unit}") from None


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float:
    if math.isinf(value):
        return value
    return value * factor(from_unit, to_unit)


def compatible(a: str | None, b: str | None) -> bool:
    try:
        return dimensionality(a) == dimensionality(b)
    except LedgerError:
        return False
