"""Numbers as written in news: digits, number words, scale words and suffixes, fractions, vague magnitudes.

`NUMBER_RE` finds every candidate in one pass; `read_number` turns a match into a `Number`
(value, the unit of its last stated digit, and what kind of writing it was); `SCALE_RE` reads a
scale word or suffix right after digits ("1.5 billion", "$100m", "12k", "1.2tn").
"""

from __future__ import annotations

import re
from ledger.extract.letters import fold
from dataclasses import dataclass

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5,
          "crore": 1e7}
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
          "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
VAGUE = {
    "dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2e3, 9999.0),
    "tens of thousands": (2e4, 99999.0), "hundreds of thousands": (2e5, 999999.0), "millions": (2e6, 9.99e6),
    "tens of millions": (2e7, 9.99e7), "hundreds of millions": (2e8, 9.99e8), "billions": (2e9, 9.99e9),
    "tens of billions": (2e10, 9.99e10), "hundreds of billions": (2e11, 9.99e11),
    "several dozen": (36.0, 108.0), "several hundred": (300.0, 900.0), "several thousand": (3e3, 9e3),
    "several million": (3e6, 9e6), "several billion": (3e9, 9e9),
    "a few dozen": (24.0, 72.0), "a few hundred": (200.0, 500.0), "a few thousand": (2e3, 5e3),
    "a few million": (2e6, 5e6), "a few billion": (2e9, 5e9),
    "a couple dozen": (20.0, 30.0), "a couple hundred": (150.0, 300.0), "a couple thousand": (1.5e3, 3e3),
    "a couple million": (1.5e6, 3e6), "a couple billion": (1.5e9, 3e9), "a handful": (2.0, 10.0),
}
"""Vague magnitudes: the interval each allows ("thousands" is at least two thousand, fewer than ten)."""

def trie(words: list[str]) -> str:
    """An alternation factored on common prefixes ("t(?:en|hree|wo)"): the regex engine then tries
    one branch per first letter instead of every word, which is what makes the one-pass scan fast."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if list(node) == [""]:
            return ""
        optional = "" in node
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if len(branches) == 1 and (not optional or len(branches[0]) == 1):
            body = branches[0]
        else:
            body = f"(?:{'|'.join(branches)})"
        return body + ("?" if optional else "")

    return emit(tree)


_WORDS = trie([*SMALL, *TENS, *SCALES, "dozen"])
_SCALE_WORDS = trie(list(SCALES))
_NUMERATORS = trie(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
_DENOMINATORS_ALL = trie(list(DENOMINATORS))
_DENOMINATORS_SINGULAR = trie([d for d in DENOMINATORS if not d.endswith("s")])
_AND = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))[ \t]+and[ \t]+"
_STARTS = trie([*SMALL, *TENS, *SCALES, "dozen", "several", "scores", "half", "quarter"]) + r"|an?[ \t]"
"""What every number in words starts with ("ten" of "tens", "hundred" of "hundreds", "a " or "an " of "a dozen", "a
third", "a gallon"): checked first at each word, so that a word like "the", "said" or "and" is passed over at once
instead of trying every kind of number."""
_FIRST_LETTERS = "".join(sorted({ch for w in [*SMALL, *TENS, *SCALES, "dozen", "a", "an", "half", "several", "tens", "quarter"]
                                 for ch in (w[0], w[0].upper())}))

NUMBER_RE = re.compile(
    # the first character tested once at each offset, before the three kinds of number are tried (a fifth less time)
    rf"(?=[\d.{''.join(VULGAR)}{_FIRST_LETTERS}])(?:"
    r"(?=[\d.])(?P<digits>(?:(?<=\$US)|(?<=USD)|(?<=EUR)|(?<=GBP)|(?<![\w.,\d]))"
    r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?![\d,])|\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:,[ \t]000)+(?![\d,])|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d+)(?:\.\d+)?"
    r"|(?<![\w.,\d])\.\d+)"
    rf"|\b(?=[{_FIRST_LETTERS}])(?=(?i:{_STARTS}))(?:"
    r"(?P<vague>(?i:(?:tens|hundreds)[ \t]+of[ \t]+(?:thousands|millions|billions)|dozens|hundreds|thousands"
    r"|(?:several|a[ \t]+(?:few|couple(?:[ \t]+of)?))[ \t]+(?:dozen|hundred(?:[ \t]+(?:thousand|million))?|thousand"
    r"|million|billion)|millions|billions|a[ \t]+handful(?=[ \t]+of[ \t]+(?:[a-z]+[ \t]+)?(?:[a-z]+s|people|men|women|children)\b)"
    r"|scores(?=[ \t]+of[ \t]+(?!(?:the|both|these|those|his|her|their|its|our|my|your|each|all|an?)\b)[a-z]))\b)"
    r"|(?P<halfa>(?i:half(?:[ \t]+an?)?|(?:(?:an?[ \t]+|one[ \t-])?quarter|three[ \t-]quarters?)(?:[ \t]+of[ \t]+an?)?)"
    rf"[ \t]+(?i:dozen|{_SCALE_WORDS})\b)"
    r"|(?P<point>(?i:(?:an?[ \t]+)?(?:quarter|half|three[ \t-]quarters?)(?:[ \t]+of[ \t]+an?)?)"
    r"(?=[ \t-](?i:percentage[ \t-])?(?i:point)\b))"
    rf"|(?P<fraction>(?i:{_NUMERATORS}[ \t-]{_DENOMINATORS_ALL}"
    rf"|an?[ \t]{_DENOMINATORS_SINGULAR}(?=[ \t]+of\b|[ \t]*(?:[,.;:!?)]|$)|[ \t]+(?:on|in|since|from|among|compared"
    r"|more|less|fewer|lower|higher|than|over|last|this|a|an|the|to|by|and|or|as|between)\b)"
    r"|(?<![Ff]irst )(?<![Ss]econd )(?<![Tt]he )half(?=[ \t]+(?:of|the)\b))\b)"
    rf"|(?P<words>(?i:(?:an?[ \t]+(?=(?:dozen|{_SCALE_WORDS})\b){_WORDS}|(?!(?:dozen|{_SCALE_WORDS})\b){_WORDS})"
    r"(?:\b|(?=fold\b))"  # "threefold": a multiple, read as a number word and the unit "fold"
    rf"(?:(?:[ \t]+|-|{_AND}){_WORDS}(?:\b|(?=fold\b)))*(?:(?:[ \t]+|-)and(?:[ \t]+|-)an?(?:[ \t]+|-)half\b(?:[ \t]+{_SCALE_WORDS}\b)?)?))"
    r"|(?P<half>(?i:half)[ \t]+an?)(?=[ \t]+(?i:percentage[ \t-]points?|percent|mile|hour|day|week|month|year|decade"
    r"|century|kilomet|metre|meter|foot|inch|pound|ton|litre|liter|gallon|acre)))"
    r"|(?P<aunit>(?i:an?)(?=[ \t]+(?i:gallon|litre|liter|mile|kilomet(?:er|re)|metre|inch|acre|hectare|ounce|gram"
    r"|kilogram|kilo|tonne|penny|cent|dime|nickel|barrel|kilowatt|megawatt|gigawatt|byte|kilobyte|kibibyte|megabyte"
    r"|gigabyte|terabyte)\b))"
    r"|(?P<vulgar>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]))"
)
"""Every place a number may start: one pass over the text finds them all."""

SCALE_RE = re.compile(
    r"(?:[ \t\u00a0]|-)?(?P<word>(?i:lakh[ \t]+crore|thousand|million|billion|trillion|lakh|crore)s?)(?![A-Za-z])"
    r"|[ \t\u00a0]?(?P<abbr>(?i:mln|bln|mn|bn|tn|trn|trln))(?![A-Za-z0-9])"
    r"|(?P<letter>[kKmMbBtT])(?![A-Za-z0-9])"
)
"""A scale after digits. Single letters are read by the caller: "m" is million only with money."""

def scale_factor(word: str) -> float:
    """ "million" -> 1e6, "crores" -> 1e7, "lakh crore" -> 1e12 (a scale of a scale multiplies)."""
    factor = 1.0
    for part in fold(word).split():
        factor *= SCALES[part.rstrip("s")]
    return factor


SCALE_ABBREVIATIONS = {"mln": 1e6, "mn": 1e6, "bln": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12, "trln": 1e12}
SCALE_LETTERS = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


@dataclass
class Number:
    start: int
    end: int
    value: float
    step: float
    """The unit of the last stated digit: "12,000" -> 1000, "3.5" -> 0.1, "fifty-two" -> 1."""
    kind: str
    """digits, words, fraction, vague, vulgar, aunit ("a gallon": one of the unit that follows), point ("a quarter
    point": a share of a percentage point)."""
    bare_integer: bool = False
    """Digits without separators or decimals ("2019", "737"): could be a year or an identifier."""
    low: float | None = None
    high: float | None = None


def _digit_step(raw: str) -> float:
    if "." in raw:
        return 10.0 ** -len(raw.split(".", 1)[1])
    digits = raw.rstrip("0")
    zeros = len(raw) - len(digits)
    return 10.0 ** zeros if digits else 1.0


def words_value(phrase: str) -> tuple[float, float] | None:
    """("fifty-two" -> 52, step 1), ("two million" -> 2e6, step 1e6), ("a hundred and two" -> 102)."""
    text = " ".join(fold(phrase).replace("-", " ").split())
    half = 0.0
    if " and a half" in text or " and an half" in text:
        text, _, rest = text.partition(" and a")
        rest = rest.replace("n half", " half", 1).replace(" half", "", 1)
        last = text.rsplit(" ", 1)[-1]
        if not rest.strip() and (last in SCALES and last != "hundred" or last == "dozen"):
            read = words_value(text)  # "a million and a half": half of the last scale, 1.5 million; "a dozen and a half"
            part = (12.0 if last == "dozen" else SCALES[last]) / 2
            return None if read is None else (read[0] + part, part)
        half = 0.5
        text = text + rest
    total = 0.0
    current = 0.0
    last_small = False
    step = 1.0
    for word in text.split():
        if word in ("a", "an", "and"):
            continue
        if word in SMALL or word in TENS:
            number = SMALL.get(word, TENS.get(word, 0))
            if last_small and not (current % 100 >= 20 and current % 10 == 0 and number < 10):
                return None  # "two three": not one number
            current += number
            last_small = True
            step = 10.0 if number and number % 10 == 0 and number >= 10 else 1.0
        elif word == "hundred":
            current = (current or 1) * 100
            step = step * 100 if last_small else 100
            last_small = False
        elif word == "dozen":
            current = (current or 1) * 12
            step = 12.0
            last_small = False
        elif word in SCALES:
            if half:
                current += half
                half = 0.0
            scale = SCALES[word]
            if total and not current:  # "two lakh crore": a scale of a scale multiplies
                total *= scale
                step *= scale
                last_small = False
                continue
            total += (current or 1) * scale
            step = step * scale if current else scale
            current = 0.0
            last_small = False
        else:
            return None
    value = total + current + half
    if half:
        step = 0.5
    return value, step


def read_number(match: re.Match[str]) -> Number | None:
    kind = match.lastgroup or ""
    raw = match.group(kind)
    start, end = match.span(kind)
    if kind == "digits":
        clean = raw.replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        return Number(start, end, float(clean), _digit_step(clean), kind,
                      bare_integer=clean.isdigit() and raw.isdigit())
    if kind == "words":
        read = words_value(raw)
        if read is None:
            first = re.match(r"[A-Za-z]+", raw)
            if first is None or first.group().lower() not in SMALL and first.group().lower() not in TENS:
                return None
            read = words_value(first.group())
            end = start + first.end()
            if read is None:
                return None
        return Number(start, end, read[0], read[1], kind)
    if kind == "fraction":
        words = fold(raw).replace("-", " ").split()
        if len(words) == 1:
            return Number(start, end, 0.5, 0.5, kind)
        numerator = 1 if words[0] in ("a", "an") else SMALL[words[0]]
        value = numerator / DENOMINATORS[words[1]]
        return Number(start, end, value, value / max(numerator, 1), kind)
    if kind == "halfa":
        lower = fold(raw)
        scale_word = lower.split()[-1]
        share = 0.75 if lower.startswith("three") else 0.25 if "quarter" in lower else 0.5
        value = share * (12.0 if scale_word == "dozen" else SCALES[scale_word])
        return Number(start, end, value, value, kind)
    if kind == "vague":
        key = " ".join(fold(raw).split()).replace("couple of ", "couple ")
        times = 1.0
        if key.endswith((" hundred thousand", " hundred million")):  # "a few hundred thousand"
            key, scale_word = key.rsplit(" ", 1)
            times = SCALES[scale_word]
        low, high = (bound * times for bound in VAGUE[key])
        return Number(start, end, (low + high) / 2, low, kind, low=low, high=high)
    if kind == "half":
        return Number(start, end, 0.5, 0.5, kind)
    if kind == "point":
        lower = fold(raw)
        value = 0.75 if "three" in lower else 0.25 if "quarter" in lower else 0.5
        return Number(start, end, value, 0.25, kind)
    if kind == "aunit":
        return Number(start, end, 1.0, 1.0, kind)
    if kind == "vulgar":
        value = VULGAR[raw]
        return Number(start, end, value, value, kind)
    return None
