"""Units, currencies and periods as the extractor reads them: `data/extract_lexicon.yaml` compiled to regexes.

Every regex here is anchored with `.match(text, pos)` right after (or, for currency prefixes, searched
right before) a number, so the cost is per figure, never per character of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterable

import yaml
from ledger.extract.letters import fold

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATA = yaml.load(resources.files("ledger").joinpath("data/extract_lexicon.yaml").read_text(encoding="utf-8"), _Loader)


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    dimension: str


@dataclass(frozen=True)
class CurrencyInfo:
    code: str
    factor: float = 1.0


def _normal(surface: str) -> str:
    return fold(" ".join(surface.split()))


def alternation(surfaces: list[str]) -> str:
    """Longest first, so "km/h" wins over "km"; inner spaces match any run of blanks.

    Written factored on common prefixes ("k(?:m(?:/h)?|g)"): at a figure the engine then follows the one
    branch its next letter allows instead of trying all 400 units in turn (12 -> 2 µs a `UNIT_RE` match).
    Each word's end is optional after its longer continuations, so the longest surface that fits still wins,
    as in a flat alternation sorted longest first."""
    return _factored([r"[ \t]+" if ch == " " else re.escape(ch) for ch in " ".join(part.split())]
                     for part in set(surfaces))


def _factored(sequences: Iterable[list[str]]) -> str:
    """An alternation of sequences of regex atoms, factored on their common first atoms; a sequence that ends
    where others go on is tried after them."""
    tree: dict[str, dict] = {}
    for atoms in sequences:
        node = tree
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [atom + emit(node[atom]) for atom in sorted(node) if atom]
        if "" in node:
            return f"(?:{'|'.join(branches)})?" if branches else ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return emit(tree)


UNIT_WORDS: dict[str, UnitInfo] = {}
UNIT_SYMBOLS: dict[str, UnitInfo] = {}
for _entry in _DATA["units"]:
    _info = UnitInfo(_entry["unit"], _entry["dimension"])
    for _w in _entry.get("words", ()):
        UNIT_WORDS[_normal(_w)] = _info
    for _s in _entry.get("symbols", ()):
        UNIT_SYMBOLS[_s] = _info

UNIT_RE = re.compile(
    r"(?:[ \t\u00a0]|-|[ \t]?[([{<](?=[^)\]}>]{1,12}[)\]}>]))?"
    rf"(?:(?P<word>(?i:{alternation(list(UNIT_WORDS))}))|(?P<symbol>{alternation(list(UNIT_SYMBOLS))}))"
    r"(?![A-Za-z0-9])"
)
"""A unit right after a number: "10 km", "10kg", "27-kilometer", "5 square miles", "20 (kg)"."""

CURRENCY_PREFIXES: dict[str, CurrencyInfo] = {}
CURRENCY_NAMES: dict[str, CurrencyInfo] = {}
CURRENCY_CODES: dict[str, CurrencyInfo] = {}
CURRENCY_SUFFIXES: dict[str, CurrencyInfo] = {}
for _entry in _DATA["currencies"]:
    _info_c = CurrencyInfo(_entry["code"], float(_entry.get("factor", 1.0)))
    for _p in _entry.get("prefixes", ()):
        CURRENCY_PREFIXES[_p.replace(" ", "").upper()] = _info_c
    for _n in _entry.get("names", ()):
        CURRENCY_NAMES[_normal(_n)] = _info_c
    for _c in _entry.get("codes", ()):
        CURRENCY_CODES[_c] = _info_c
        CURRENCY_PREFIXES.setdefault(_c, _info_c)
    for _s in [*_entry.get("suffixes", ()), *_entry.get("symbols", ())]:
        CURRENCY_SUFFIXES[_s] = _info_c


def _prefix_atoms(prefix: str) -> list[str]:
    """"US$" also matches "us $ 150" (tokenised text); a lone "$" or "£" matches only itself."""
    prefix = prefix.replace(" ", "")
    letters = prefix.replace("$", "")
    if "$" in prefix and (len(letters) >= 2 or letters.upper() == "C"):  # never "a $5": that is an article
        atoms: list[str] = []
        for part in re.split(r"(\$)", prefix):
            if part:
                atoms += ([r"[ \t]?"] if atoms else []) + [re.escape(ch) for ch in part]
        return atoms
    return [re.escape(ch) for ch in prefix]


CURRENCY_PREFIX_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<prefix>(?i:{_factored(map(_prefix_atoms, CURRENCY_PREFIXES))}))"
    r"[ \t\u00a0]?(?P<minus>[-−])?$"
)
"""A currency right before a number, searched at the end of the text before it: "$", "US$", "£", "EUR ". At most
one prefix can end where the pattern must, so their order does not matter: factored, they cost a quarter."""

_WORDLIKE_CODES = frozenset("TRY RUB CAD SAR NOK ILS AED".split())
"""Codes that are also English words: matched only in capitals ("5 USD" and "5 usd", but never "5 try")."""

CURRENCY_AFTER_RE = re.compile(
    rf"(?:[ \t\u00a0]|-)?(?:(?P<name>(?i:{alternation([n for n in CURRENCY_NAMES if n != 'p'])}))"
    rf"|(?P<code>{'|'.join(sorted(CURRENCY_CODES, key=len, reverse=True))}"
    rf"|(?i:{'|'.join(c for c in sorted(CURRENCY_CODES) if c not in _WORDLIKE_CODES)})))(?![A-Za-z0-9])"
    rf"|(?P<suffix>[ \t]?(?:{'|'.join(re.escape(s) for s in CURRENCY_SUFFIXES)})(?![ \t]?\d)|p(?![A-Za-z0-9]))"
)
"""A currency right after a number: "5 million euros", "5m USD", "15€", "50p", "50 cents"."""


_CAPS_CODES = "|".join(sorted(CURRENCY_CODES, key=len, reverse=True))
SCALED_CODE_AFTER_RE = re.compile(rf"[ \t\u00a0]?(?P<scale>[kKM])(?P<code>{_CAPS_CODES})(?![A-Za-z0-9])")
SCALED_CODE_BEFORE_RE = re.compile(rf"(?<![A-Za-z0-9])(?P<scale>[kKM])(?P<code>{_CAPS_CODES})[ \t\u00a0]?$")
"""Business shorthand for thousands and millions of a currency: "30 MUSD", "MEUR 120", "500 kEUR"."""
SCALED_CODE_FACTORS = {"k": 1e3, "K": 1e3, "M": 1e6}


INCH_RE = re.compile(
    r"[ \t]?in\.?(?=[ \t]*(?:$|[,;)]|\.(?:[ \t]|$)|(?:thick|long|wide|tall|high|deep|across|in[ \t]+diameter)\b))"
)
""""in" as inches only where the preposition cannot stand: "2 in thick", "12 ft 2 in", "is 2 in." at the end."""
AGE_SUFFIX_RE = re.compile(r"[ \t]?(?:yo|y/o|y\.o\.|yrs?\.?[ \t]+old)(?![A-Za-z])")
"""Ages written short: "an 87 yo man", "4 y/o"."""


def currency_of_prefix(prefix: str) -> CurrencyInfo:
    return CURRENCY_PREFIXES[prefix.replace(" ", "").replace("\t", "").upper()]


def currency_after(match: re.Match[str]) -> CurrencyInfo:
    if match.group("name"):
        return CURRENCY_NAMES[_normal(match.group("name"))]
    if match.group("code"):
        return CURRENCY_CODES[match.group("code").upper()]
    suffix = match.group("suffix").strip()
    return CURRENCY_SUFFIXES.get(suffix) or CURRENCY_NAMES["p"]


def unit_of(match: re.Match[str]) -> UnitInfo:
    if match.group("word"):
        return UNIT_WORDS[_normal(match.group("word"))]
    return UNIT_SYMBOLS[match.group("symbol")]


PERIODS: dict[str, str] = {_normal(k): v for k, v in _DATA["periods"]["words"].items()}
PERIOD_ADVERBS: dict[str, str] = dict(_DATA["periods"]["adverbs"])
PRICE_ITEMS: dict[str, str] = {_normal(k): v for k, v in _DATA["periods"]["items"].items()}
PERIOD_ADJECTIVES: dict[str, str] = {**{k: v for k, v in PERIOD_ADVERBS.items() if k != "annually"},
                                     **_DATA["periods"]["adjectives"]}
"""A period before what it measures: "weekly pay", "annual salary" (the adverbs but "annually" serve as adjectives)."""
RATE_NOUNS: frozenset[str] = frozenset(_DATA["periods"]["rate_nouns"])

_PLURAL_PERIODS = ("second", "minute", "hour", "day", "week", "month", "year")
_NOT_A_RATE = (r"(?![ \t]+(?:ago|earlier|before|later|after|prior|old|from[ \t]+now|or[ \t]+so|and[ \t]+a[ \t]+half)\b)"
               r"(?!-old)")
PERIOD_RE = re.compile(
    r"(?:[ \t]*(?:(?i:a|an|per|each|every)[ \t]+|/[ \t]?)|-(?i:a|an|per)-)"
    rf"(?P<period>(?i:{alternation([*PERIODS, *(w + 's' for w in _PLURAL_PERIODS)])}))"
    rf"(?![A-Za-z0-9]){_NOT_A_RATE}"
    rf"|[ \t]*,?[ \t]*(?P<adverb>(?i:{'|'.join(PERIOD_ADVERBS)}))\b"
)
"""The period of a rate after a figure: "a month", "per year", "/yr", "each day", "annually", "$15-an-hour"."""

PRICE_ITEM_RE = re.compile(
    r"[ \t]*(?:(?i:a|an|per|each)[ \t]+|/[ \t]?|-[ \t]*(?i:an?|per)[ \t]*-[ \t]*)"
    rf"(?P<item>(?i:{alternation(list(PRICE_ITEMS))}))(?![A-Za-z0-9])"
)
"""What a price is per: "$70 a share", "$350 per kg", "$90 a barrel", "12-cent-a-share"."""


def period_of(match: re.Match[str]) -> str:
    if match.group("adverb"):
        return PERIOD_ADVERBS[fold(match.group("adverb"))]
    word = _normal(match.group("period"))
    return PERIODS.get(word) or PERIODS[word[:-1]]


def canonical_units() -> set[str]:
    """Every unit string the lexicon can emit (for the test that pint parses them all)."""
    units = {info.unit for info in UNIT_WORDS.values()} | {info.unit for info in UNIT_SYMBOLS.values()}
    units |= {info.code for info in CURRENCY_PREFIXES.values()} | {info.code for info in CURRENCY_NAMES.values()}
    units |= {info.code for info in CURRENCY_CODES.values()} | {info.code for info in CURRENCY_SUFFIXES.values()}
    units |= set(PERIODS.values()) | set(PERIOD_ADVERBS.values()) | set(PERIOD_ADJECTIVES.values())
    units |= set(PRICE_ITEMS.values())
    return units
