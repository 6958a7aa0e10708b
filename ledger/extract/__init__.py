"""Extraction: the figures an article states, as typed `Fact`s (value, interval, unit, subject, where).

One pass of `numbers.NUMBER_RE` finds every number; each is then read in its local context only
(a currency before it, a scale word, unit, period, qualifier and counted noun around it), so the
cost grows with the number of figures, not with the words of the text. No pint at run time: units
come from `data/extract_lexicon.yaml` as canonical strings that pint parses later.

    >>> [(f.value, f.unit, f.qualifier) for f in extract_text("Wagner spends about $100 million a month.")]
    [(100000000.0, 'USD/month', 'approx')]
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from ledger.extract import lexicon, not_figures, qualifiers, rate_before, subjects, temperature
from ledger.extract.intervals import interval
from ledger.extract.letters import LETTER, UPPER, fold
from ledger.extract.numbers import (NUMBER_RE, SCALE_ABBREVIATIONS, SCALE_LETTERS, SCALE_RE, VULGAR, Number,
                                    read_number, scale_factor)
from ledger.extract.sentences import Sentences
from ledger.model import Article, Fact, fact_id

__all__ = ["extract_article", "extract_text"]

PERCENT_RE = re.compile(
    r"(?:[ \t\u00a0]|-(?=[A-Za-z]))?(?:(?P<points>(?i:percentage[ \t-]points?|percent(?:age)?[ \t-]+points?"
    r"|pct[ \t]+points?))|(?P<basis>(?i:basis[ \t-]points?|bps)|bp)"
    r"|%|(?i:per[ \t]?cent|pct\.?|percent)|(?<=\d)pc)(?![A-Za-z])"
)
"""Also "4.5pc", as British papers write it (only against the number: "4 pc" may be pieces), and basis points
("25 basis points", "50bps", "12bp", "a 50-basis-point hike"), a hundredth of a percentage point."""
MIXED_FRACTION_RE = re.compile(r"[ \t]+(\d{1,2})/(\d{1,2})(?![\d/])")
PLURAL_NOUN_AFTER_RE = re.compile(r"[ \t]+(?:[a-z]+[ \t]+)?(?:people|[a-z]{2,}[^s\W]s)\b")
"""After "1.2m": a plural noun makes it million ("1.2m calls"); "a 100m sprint" and "1.8m tall" stay metres."""
FRACTION_CUE_BEFORE_RE = re.compile(
    r"(?i:\b(?:by|up|down|almost|nearly|about|roughly|around|some|than|over|under|only|just|cut|fell|rose|grew|lost"
    r"|dropped|gained|increased|decreased|reduced|shrank|fallen|risen|of|is|was|were|are|be|been|quarter|third)[ \t]+)$"
)
ID_LIST_GAP_RE = re.compile(r"[ \t]*(?:,|and|or|&|to|-|–)[ \t]*$")
POINTS_RE = re.compile(r"[ \t](?P<points>points?)\b")
POLL_CUE_RE = re.compile(
    r"(?i:\b(?:polls?|polling|survey|surveys|lead|leads|leading|trails?|trailing|margin|percent|approval"
    r"|rating|ratings|vote|votes|voters|swing)\b|%)"
)
"""Words near "N points" that make them percentage points (a poll), not index points (the Dow)."""
INDEX_CUE_RE = re.compile(
    r"(?i:\b(?:index|indices|indexes|stocks?|shares|futures)\b)"
    r"|\b(?:FTSE|Dow|Nasdaq|S&P|Nikkei|Hang[ \t]+Seng|DAX|CAC|Stoxx|STOXX|Kospi|KOSPI|Sensex|Nifty|ASX|TSX|IBEX)"
    r"|^,?[ \t]+or[ \t]+[-+−]?\d[\d.,]*[ \t]?(?:%|(?i:per[ \t]?cent|percent))"
)
"""Near "N points", a stock index or a following "or 0.6%" makes them index points, whatever else is near."""
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
SCI_RE = re.compile(
    r"(?:[eE](?P<e>[-+−]?\d{1,3})(?![\w.])"
    r"|[ \t]?[x×*·][ \t]?(?:(?P<base>\d{1,2})(?:\^|\*\*)(?P<exp>[-+−]?\d{1,3})"
    r"|10(?P<sexp>[-−]\d{1,3}|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)))(?!\d|[.,]\d)"
)
"""Scientific notation after digits: "4e14", "-1e-3", "2.48×10−5", "5.5x10-3", "1.5 x 10^6", "8x2^10", "3×10⁸"."""
CALIBER_RE = re.compile(r"(?:-|[ \t])?(?i:caliber|calibre|cal\b|magnum|handgun|pistol|revolver|rifle|special|acp"
                        r"|auto(?:matic)?\b|semi|gun|round|bullet|shell|ammunition|shotgun)")
"""After ".45", ".380", "45-caliber": a gun's calibre is a name, not a figure."""


def _sci_power(sci: re.Match[str]) -> tuple[int, int]:
    if sci.group("e") is not None:
        return 10, int(sci.group("e").replace("−", "-"))
    if sci.group("base") is not None:
        return int(sci.group("base")), int(sci.group("exp").replace("−", "-"))
    return 10, int(sci.group("sexp").translate(SUPERSCRIPTS).replace("−", "-"))


AGE_RE = re.compile(r"\.?(?:[ \t]?-[ \t]?|[ \t]+)olds?\b|[ \t]+of[ \t]+age\b")
OF_CURRENCY_RE = re.compile(r"[ \t]+of[ \t]+")
"""" of " between a vague figure and what it counts or measures ("millions of dollars", "thousands of acres")."""
RANGE_GAP_RE = re.compile(r"-?[ \t]*(?:(?P<dash>[-–—])|(?P<word>(?i:to|through|and|or)))[ \t]*-?$")
SUM_GAP_RE = re.compile(r"[ \t]*\+[ \t]*$")
ONE_IDIOM_RE = re.compile(
    r"[ \t]+(?i:of|day|days|time|another|point|way|thing|hand|side|night|morning|afternoon|evening|who|that"
    r"|which|is|was|has|had|would|will|can|could|should|must|may|might|does|did|more|else|too|another)\b"
    r"|[ \t]*[,.;:!?]"
)
HARMED_AFTER_RE = re.compile(r"[ \t]+(?:(?:also|later|fatally|critically|seriously|badly)[ \t]+)?"
                             r"(?:dead|killed|died|injured|wounded|hurt)\b")
"""What makes "one" a count of its own: "one dead, two hurt", "killed one and wounded two"."""
ONE_PRONOUN_BEFORE_RE = re.compile(r"(?i:\b(?:no|the|any|every|each|some|this|that|which|someone|anyone|only)[ \t]+)$")
MONEY_CUE_RE = re.compile(
    r"(?i:\b(?:cost|costs|costing|paid|pay|pays|paying|price|priced|fine|fined|worth|spent|spend|spending|budget"
    r"|sterling|salary|wage|wages|fund|funding|raised|raise|sold|sell|bought|buy|earn|earned|earns|profit|loss"
    r"|revenue|deal|bid|offer|offered|award|awarded|compensation|damages|bonus|fee|fees|tax|bill|debt|loan"
    r"|cash|invest|invested|investment|valued|value)\b|£)"
)
"""Money words before "pounds": without a scale word or one of these, "pounds" weighs (US news mostly)."""
NOT_A_COUNT_SUBJECTS = frozenset("percent per cent".split())
NO_PERIOD_DIMENSIONS = frozenset("duration rate speed temperature angle".split())
"""Dimensions a period never divides ("5 degrees a day" is not a unit pint can hold; km/h is already a rate)."""
DIMENSIONS_OTHER = frozenset("temperature angle power energy information frequency other".split())


@dataclass
class Mention:
    """A figure while it is being read; becomes a Fact at the end."""

    start: int
    end: int
    number: Number
    value: float
    step: float
    scale: float = 1.0
    scaled: bool = False
    unit: str | None = None
    dimension: str = "count"
    currency: bool = False
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    subject: str | None = None
    phrase: str | None = None
    tags: list[str] = field(default_factory=list)
    share_of_next: bool = False
    """ "one in five adults": a share of what the next noun counts."""


def extract_text(text: str, article_id: str = "-") -> list[Fact]:
    """Facts of a bare text (wrapped in an Article with id `article_id`)."""
    return extract_article(Article(id=article_id, path=article_id, text=text))


def extract_article(article: Article) -> list[Fact]:
    """Every figure the article states, sorted by start offset."""
    text = article.text
    mentions = _merge(text, _read_numbers(text))
    facts: list[Fact] = []
    if not mentions:
        return facts
    sentences = Sentences(text)
    newlines = [m.start() for m in re.finditer("\n", text)] if "\n" in text else []
    for mention in mentions:
        fact = _finish(text, mention, article, sentences, newlines)
        if fact is not None:
            facts.append(fact)
    return temperature.name_scales(_share_currency(text, _share_subjects(text, facts)))


SCALE_WORD_SURFACE_RE = re.compile(r"\d[ \t\u00a0]*(?i:million|billion|trillion|mn|bn|tn)\b")
CURRENCY_CODE_RE = re.compile(r"[A-Z]{3}")
MONEY_NOUNS = frozenset("""deficit surplus revenue sale profit loss budget debt income earning spending cost fund
turnover shortfall outlay investment bill tab""".split())


def _share_currency(text: str, facts: list[Fact]) -> list[Fact]:
    """ "a deficit of 1.6 billion ($2.54 billion), after 2.0 billion in August": a bare scaled figure with nothing
    counted takes the currency of a money figure next to it in the same sentence."""
    for i, fact in enumerate(facts):
        if fact.unit is not None or (fact.subject is not None and fact.lemma not in MONEY_NOUNS) \
                or not SCALE_WORD_SURFACE_RE.search(fact.surface):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(facts) and facts[j].sentence == fact.sentence and facts[j].unit \
                    and CURRENCY_CODE_RE.fullmatch(facts[j].unit) and abs(facts[j].start - fact.start) <= 150:
                facts[i] = fact.model_copy(update={"unit": facts[j].unit, "dimension": "currency"})
                break
    return facts


SHARED_SUBJECT_GAP_RE = re.compile(
    r"[ \t]+of[ \t]+(?:(?:the|its|their|his|her|our|all|those|these)[ \t]+)?"
    r"(?:(?:last|first|next|past|previous|remaining|other)[ \t]+)?(?:(?i:about|some|nearly|almost|around|roughly)[ \t]+)?$"
    r"|[ \t]*\+[ \t]*$|[ \t]*(?:,|and|or|,[ \t]*and)[ \t]*$"
)
"""Between two counts that count the same thing: "158 of the 300 seats", "10,000 + 40,000 men"."""


ANOTHER_BEFORE_RE = re.compile(r"(?i:\b(?:another|a[ \t]+further|an[ \t]+additional)[ \t]+"
                               r"(?:(?:about|some|nearly|almost|around|roughly)[ \t]+)?)$")
"""Before a count that adds to the one before it: "1,000 flights were cancelled and another 4,500 delayed"."""


def _share_subjects(text: str, facts: list[Fact]) -> list[Fact]:
    """A count without a noun takes the noun of the next count when only "of the", "+" or "and" stands between,
    or of the count before it in its sentence when it adds "another" of them."""
    for i in range(1, len(facts)):
        fact, before = facts[i], facts[i - 1]
        if fact.subject is None and fact.unit is None and before.subject is not None and before.unit is None \
                and fact.sentence == before.sentence and ANOTHER_BEFORE_RE.search(text, max(0, fact.start - 30),
                                                                               fact.start):
            facts[i] = fact.model_copy(update={"subject": before.subject, "subject_phrase": before.subject_phrase,
                                               "lemma": before.lemma})
    for i in range(len(facts) - 2, -1, -1):
        fact, following = facts[i], facts[i + 1]
        if fact.subject is not None or fact.unit is not None or following.subject is None or following.unit is not None:
            continue
        gap = text[fact.end:following.start]
        if len(gap) <= 30 and SHARED_SUBJECT_GAP_RE.search(gap) and SHARED_SUBJECT_GAP_RE.search(gap).start() == 0:
            facts[i] = fact.model_copy(update={"subject": following.subject, "subject_phrase": following.subject_phrase,
                                               "lemma": following.lemma})
    return facts


def _read_numbers(text: str) -> list[Mention]:
    """Pass 1: numbers with their currency, scale and unit; dates, years and identifiers dropped."""
    mentions: list[Mention] = []
    skip_until = -1
    last_end = -1
    last_identifier_end = -1_000_000
    for match in NUMBER_RE.finditer(text):
        if match.start() < skip_until:
            continue
        number = read_number(match)
        if number is None:
            continue
        if number.kind == "digits" and number.bare_integer and 0 <= number.start - last_identifier_end <= 6 \
                and ID_LIST_GAP_RE.match(text, last_identifier_end, number.start):
            last_identifier_end = number.end
            continue  # "junctions 10 and 11", "Articles 5 and 6"
        mention = _read_one(text, number, last_end)
        if mention is None:
            if number.kind == "digits" and number.bare_integer \
                    and not_figures.capitalised_identifier(text, number.start):
                last_identifier_end = number.end
            if number.kind == "digits":
                block = not_figures.BLOCK_RE.match(text, number.start)
                if block:
                    skip_until = block.end()
            continue
        if isinstance(mention, int):
            skip_until = mention
            continue
        mentions.append(mention)
        last_end = skip_until = mention.end
    return mentions


def _read_one(text: str, number: Number, last_end: int) -> Mention | int | None:
    """A number in its context: a Mention, None when it is no figure, or an offset to skip to (a date, a phone)."""
    digits = number.kind == "digits"
    if digits:
        rejected = _digits_context(text, number, last_end)
        if rejected is not None:
            return rejected
    if number.kind == "aunit" and last_end >= 0 and number.start - last_end <= 1:
        return None  # "40 miles a gallon": the unit of a rate, not one gallon
    mention = Mention(number.start, number.end, number, number.value, number.step)
    if number.kind == "vague":
        mention.low, mention.high = number.low, number.high
        mention.qualifier = "approx"
    pos = _read_prefix_and_scale(text, mention, last_end)
    if not _words_context(text, mention, pos):
        return None
    pos = _read_glued_fraction(text, mention, pos)
    if digits and (plus_minus := PLUS_MINUS_RE.match(text, pos)):
        pos = plus_minus.end()  # "2,000.45±0.01 pounds": the uncertainty is no figure of its own
    if mention.unit is None:
        pos = _read_unit(text, mention, pos)
    elif digits and not mention.scaled:
        again = lexicon.CURRENCY_AFTER_RE.match(text, pos)
        if again and again.group("code"):
            pos = again.end()  # "US$ 5 USD": a repeated currency code is part of the figure
    if not _fits_after(text, mention, pos) or (number.kind == "aunit" and (
            mention.unit is None or A_UNIT_PRICED_RE.match(text, pos))):
        return None
    pos = _read_age(text, mention, pos)
    if mention.unit is None and number.kind in ("digits", "words"):
        pos = _per_scale_word(text, mention, pos)
    mention.end = _read_rate(text, mention, pos)
    return mention


def _digits_context(text: str, number: Number, last_end: int) -> int | Mention | None:
    """Why digits are no figure (None: they may be one): dates, times, phones, URL parts, tails of identifiers."""
    start, end, n = number.start, number.end, len(text)
    block = not_figures.BLOCK_RE.match(text, start)
    if block:
        return block.end()
    if start and text[start - 1] == "(" and (block := not_figures.BLOCK_RE.match(text, start - 1)):
        return block.end()
    if end + 1 < n and text[end] == "/" and text[end + 1].isdigit():
        return _slash_fraction(text, number)
    if start and text[start - 1] in "=&#":
        return end  # URL parameters: height=400&page_count=5
    if start and text[start - 1] == "+" and (start == 1 or not text[start - 2].isalnum()) \
            and (phone := not_figures.INTERNATIONAL_PHONE_RE.match(text, start)):
        return phone.end()  # +44 20 7946 0958
    joined_by_to = text[max(0, start - 4):start].lower() == "-to-"
    if start >= 2 and text[start - 1] in "-–/:." and text[start - 2].isalnum() and last_end != start - 1 \
            and not joined_by_to:
        return end  # a tail of 2022-12-22, 9/11, 10:30 (a range's end is kept)
    if start and text[start - 1] in "-–" and text[start - 2:start - 1].isalpha() and not joined_by_to:
        return end  # F-35, COVID-19
    raw = text[start:end]
    if (raw[0] == "." or text[end:end + 4] in ("-cal", " cal", "-Cal", " Cal")) and CALIBER_RE.match(text, end):
        return end  # ".45 caliber handgun", ".380 pistol", "a 9-caliber": calibres are names
    if len(raw) > 1 and raw[0] == "0" and raw[1].isdigit():
        return end  # 007, zip codes, tokenised "80, 000"
    if number.bare_integer and not_figures.AFTER_RE.match(text, end):
        return end  # 4 March, 916 W. Wildy St., the 1200 block, 7-Eleven
    if start and text[start - 1] == "(" and text[end:end + 1] == ")" and number.value < 20:
        return end  # a list marker: "(2) Male, Black, ..."
    return None


def _read_prefix_and_scale(text: str, mention: Mention, last_end: int) -> int:
    """A currency or minus sign before the number, a scale after it ("$100m", "-5", "1.5 billion")."""
    number = mention.number
    start, end = number.start, number.end
    pos = end
    if number.kind not in ("digits", "words", "halfa"):
        return pos
    prefix = lexicon.CURRENCY_PREFIX_RE.search(text, max(0, start - 9), start)
    if prefix:
        info = lexicon.currency_of_prefix(prefix.group("prefix"))
        mention.unit, mention.currency, mention.dimension = info.code, True, "currency"
        mention.start = prefix.start("prefix")
        if prefix.group("minus"):
            mention.value = -mention.value
        elif _minus_before(text, mention.start, last_end):
            mention.start -= 1  # "-$3.2bn": the sign stands before the currency
            mention.value = -mention.value
    elif number.kind == "digits" and (scaled_code := lexicon.SCALED_CODE_BEFORE_RE.search(text, max(0, start - 6),
                                                                                          start)):
        mention.unit, mention.currency, mention.dimension = scaled_code.group("code"), True, "currency"
        mention.start = scaled_code.start()
        mention.scale, mention.scaled = lexicon.SCALED_CODE_FACTORS[scaled_code.group("scale")], True
        return pos  # "MAUD 60"
    elif number.kind == "digits" and _minus_before(text, start, last_end):
        mention.start -= 1
        mention.value = -mention.value
    elif "inus" in text[max(0, start - 10):start] \
            and (minus_word := MINUS_WORD_BEFORE_RE.search(text, max(0, start - 14), start)):
        mention.start = minus_word.start("minus")  # "minus 20C", "net migration was minus 20,000"
        mention.value = -mention.value
    if number.kind != "digits":
        return pos
    sci = SCI_RE.match(text, pos)
    if sci:
        base, exp = _sci_power(sci)
        mention.scale, mention.scaled = float(base) ** exp, True
        return sci.end()
    scale = SCALE_RE.match(text, pos)
    if scale is None:
        return pos
    factor = 0.0
    if scale.group("word"):
        factor = scale_factor(scale.group("word"))
    elif scale.group("abbr"):
        factor = SCALE_ABBREVIATIONS[fold(scale.group("abbr"))]
    else:
        letter = scale.group("letter")
        money_after = lexicon.CURRENCY_AFTER_RE.match(text, scale.end())
        plural_after = letter == "m" and scale.end() == end + 1 and PLURAL_NOUN_AFTER_RE.match(text, scale.end())
        if letter in "kKM" or (letter == "B" and prefix) or ((prefix or money_after) and letter in "mbtT") \
                or plural_after:
            factor = SCALE_LETTERS[fold(letter)]  # "m" alone is metres: "a 100m sprint"
    if factor:
        mention.scale, mention.scaled = factor, True
        pos = scale.end()
    return pos


MINUS_WORD_BEFORE_RE = re.compile(r"(?<![\w-])(?<!(?i:plus or ))(?<!(?i:plus/))(?P<minus>(?i:minus))[ \t]+$")
"""The word "minus" before a figure is its sign; "plus or minus 3 points" is a margin, no negative figure."""


def _minus_before(text: str, start: int, last_end: int) -> bool:
    """A minus sign right before `start` that belongs to the figure: not a hyphen joining words or a range's dash
    ("5-6", "F-35"), nor glued to the figure before it."""
    return bool(start) and text[start - 1] in "-−" and (start == 1 or text[start - 2] in " \t(\n") \
        and last_end != start - 1 and not (last_end >= 0 and last_end == start - 2)


def _words_context(text: str, mention: Mention, pos: int) -> bool:
    """False for number words that are names or pronouns ("the Three Oaks", "no one"), or ordinals ("a sixth")."""
    number = mention.number
    start, end = number.start, number.end
    if number.kind == "words":
        if not_figures.capitalised_name(text, start, end) and text[end:end + 1] != "-":
            return False
        if number.value == 1 and text[start:end].lower() == "one" and (
                ONE_IDIOM_RE.match(text, pos) or (ONE_PRONOUN_BEFORE_RE.search(text, max(0, start - 12), start)
                                                  and not lexicon.UNIT_RE.match(text, pos))):
            return False
    if number.kind == "fraction" and text[start:start + 2].lower() in ("a ", "an") and not text.startswith(" of", end) \
            and not FRACTION_CUE_BEFORE_RE.search(text, max(0, start - 16), start):
        return False  # "running for a sixth" is an ordinal; "fell by a fifth", "up a fifth" are fractions
    if number.kind == "point":
        point = FRACTION_POINT_RE.match(text, pos)
        if point is None or not (point.group("percentage") or RATE_CUE_RE.search(
                text, max(0, start - 80), min(len(text), point.end() + 60))):
            return False  # "won by half a point": a game's points; a rate's "quarter point" is a percentage point
    if number.kind in ("fraction", "vulgar") and not lexicon.UNIT_RE.match(text, pos):
        mention.unit, mention.dimension = "fraction", "percent"  # "a third", "two-thirds", "half of"
    return True


FRACTION_POINT_RE = re.compile(r"[ \t-](?P<percentage>(?i:percentage)[ \t-])?(?i:points?)\b")
RATE_CUE_RE = re.compile(r"(?i:\b(?:rates?|interest|yields?|cut|cuts|hike|hikes|hiked|raised|lowered|eased|tightened"
                         r"|basis|bank|fed|ecb|monetary|inflation|mortgages?|bonds?|treasur(?:y|ies))\b)")
"""Words near "a quarter point" that make it a percentage point of a rate."""


def _read_glued_fraction(text: str, mention: Mention, pos: int) -> int:
    """ "193½ years", "10 1/2 miles", "7 3/4 %"."""
    number = mention.number
    if number.kind != "digits" or mention.scaled or not number.bare_integer:
        return pos
    if pos < len(text) and text[pos] in VULGAR:
        mention.value += VULGAR[text[pos]]
        mention.step = 0.5
        return pos + 1
    mixed = MIXED_FRACTION_RE.match(text, pos)
    if mixed and 0 < int(mixed.group(1)) < int(mixed.group(2)) <= 16:
        mention.value += int(mixed.group(1)) / int(mixed.group(2))
        mention.step = 1 / int(mixed.group(2))
        return mixed.end()
    return pos


def _read_unit(text: str, mention: Mention, pos: int) -> int:
    """Percent, currency name or code, or physical unit right after the number (and its scale)."""
    number = mention.number
    digits = number.kind == "digits"
    if number.kind == "point" and (point := FRACTION_POINT_RE.match(text, pos)):
        mention.unit, mention.dimension = "percentage_point", "percent"  # "a quarter-point cut"
        return point.end()
    percent = PERCENT_RE.match(text, pos)
    if percent is None and number.value < 100:
        points = POINTS_RE.match(text, pos)
        if points and POLL_CUE_RE.search(text, max(0, number.start - 100), min(len(text), pos + 100)) \
                and not INDEX_CUE_RE.search(text[points.end():points.end() + 30]) \
                and not INDEX_CUE_RE.search(text, max(0, number.start - 100), min(len(text), pos + 100)):
            percent = points  # "trails by 4 points in the latest poll"
    if percent:
        mention.unit = "percentage_point" if percent.group("points") else \
            "basis_point" if percent.group("basis") else "percent"
        mention.dimension = "percent"
        return percent.end()
    if "times" in text[pos:pos + 7] and (multiple := MULTIPLE_RE.match(text, pos)):
        mention.unit, mention.dimension = "times", "other"  # "three times higher": a multiple, as "threefold" is
        return multiple.end()
    scaled_code = lexicon.SCALED_CODE_AFTER_RE.match(text, pos) if not mention.scaled else None
    if scaled_code:  # "30 MUSD"
        mention.unit, mention.currency, mention.dimension = scaled_code.group("code"), True, "currency"
        mention.scale, mention.scaled = lexicon.SCALED_CODE_FACTORS[scaled_code.group("scale")], True
        return scaled_code.end()
    money = lexicon.CURRENCY_AFTER_RE.match(text, pos)
    if money is None and number.kind in ("vague", "words") and (of := OF_CURRENCY_RE.match(text, pos)):
        money = lexicon.CURRENCY_AFTER_RE.match(text, of.end())  # "millions of dollars"
        if money and not money.group("name"):
            money = None
        of_unit = lexicon.UNIT_RE.match(text, of.end() - 1) if money is None else None
        if of_unit and of_unit.group("word") and number.kind == "vague":
            info_of = lexicon.unit_of(of_unit)  # "thousands of acres"
            mention.unit, mention.dimension = info_of.unit, info_of.dimension
            return pos
    if money is not None and _is_currency(text, money, mention, digits):
        info = lexicon.currency_after(money)
        mention.unit, mention.currency, mention.dimension = info.code, True, "currency"
        mention.value *= info.factor
        mention.step *= info.factor
        pos = money.end()
        late_scale = SCALE_RE.match(text, pos) if digits and not mention.scaled and money.group("code") else None
        if late_scale and late_scale.group("word"):  # "75 USD million"
            mention.scale, mention.scaled = scale_factor(late_scale.group("word")), True
            pos = late_scale.end()
        return pos
    if money is not None and money.group("name") and money.group("name").lower().startswith("pound"):
        mention.unit, mention.dimension = "lb", "mass"
        return money.end()
    unit = lexicon.UNIT_RE.match(text, pos)
    if unit is None and text.startswith(" - ", pos) and (spaced := lexicon.UNIT_RE.match(text, pos + 2)) \
            and spaced.group("word"):
        unit = spaced  # tokenised text: "a 28 - year - old", "30 - year bonds"
    if unit is not None and unit.group("symbol") and text[unit.end():unit.end() + 1] == "-" \
            and text[unit.end() + 1:unit.end() + 2].isdigit():
        unit = None  # "24703 L-202": a part number, not litres
    if unit is not None and unit.group("symbol") == '"' and '"' in text[max(0, number.start - 60):number.start]:
        unit = None  # 'the class "English 101".': a closing quote, not inches
    if unit is not None and (unit.group("word") or digits) and not (
            unit.group(0).strip().lower() in ("bit", "bits") and text.startswith(" of", unit.end())):
        info_u = lexicon.unit_of(unit)
        if info_u.unit == "degree" and (degrees := temperature.unit_of_degrees(
                text, mention.start, unit.end(), mention.value < 0)) != "degree":
            info_u = lexicon.UnitInfo(degrees, "temperature")
        mention.unit, mention.dimension = info_u.unit, info_u.dimension
        pos = unit.end()
        if unit.group(0).lstrip()[:1] in "([{<" and text[pos:pos + 1] in ")]}>":
            pos += 1  # "20 (kg)": the closing bracket belongs to the unit
        elif info_u.dimension not in NO_PER_UNIT_DIMENSIONS and "/" not in info_u.unit \
                and (per := _per_unit(text, pos)) is not None:
            mention.unit, mention.dimension = f"{info_u.unit}/{per[0]}", "other"  # "5 mg/kg", "50 miles per gallon"
            pos = per[1]
        return pos
    if digits and FEET_BEFORE_RE.search(text, max(0, number.start - 8), number.start) \
            and (inch := INCH_AFTER_FEET_RE.match(text, pos)):
        mention.unit, mention.dimension = "inch", "length"
        return inch.end()
    if digits and (inch := lexicon.INCH_RE.match(text, pos)):
        mention.unit, mention.dimension = "inch", "length"
        return inch.end()
    if digits and (short_age := lexicon.AGE_SUFFIX_RE.match(text, pos)):
        mention.unit, mention.dimension = "year", "duration"
        mention.tags.append("age")
        return short_age.end()
    return pos


MULTIPLE_RE = re.compile(
    r"[ \t]+times(?=[ \t]+(?:more|less|fewer|higher|lower|larger|bigger|smaller|greater|faster|slower|longer"
    r"|shorter|wider|cheaper|costlier|heavier|stronger|deadlier|likelier|worse|better"
    r"|as[ \t]+(?:many|much|[a-z]+[ \t]+as)|the[ \t]+(?:size|amount|rate|number|level|average|national|normal"
    r"|price|cost|value|speed|population|total))\b)"
)
"""After a figure, "times" before a comparison is a multiple ("three times higher", "five times the national
average"); "shot three times" counts times."""
PER_UNIT_RE = re.compile(r"[ \t]*(?:(?P<slash>/)[ \t]?|(?i:per)[ \t]+)")
NO_PER_UNIT_DIMENSIONS = frozenset("duration temperature percent rate currency".split())
"""Units that divide no other or are divided by none here: periods make rates in `_read_rate` ("5 mg a day")."""


def _per_unit(text: str, pos: int) -> tuple[str, int] | None:
    """The unit after "/" or "per" that divides a unit or a price ("mg/kg", "µg per cubic metre", "$5 per square
    metre"): (its canonical unit, where it ends), or None. Symbols only after a slash ("mmol/L", not "per L")."""
    per = PER_UNIT_RE.match(text, pos)
    if per is None:
        return None
    unit = lexicon.UNIT_RE.match(text, per.end())
    if unit is None or not (unit.group("word") or per.group("slash")) or unit.group(0)[:1] in " \t-([{<":
        return None
    info = lexicon.unit_of(unit)
    if info.dimension in NO_PER_UNIT_DIMENSIONS or "/" in info.unit:
        return None
    return info.unit, unit.end()


def _fits_after(text: str, mention: Mention, pos: int) -> bool:
    """False for what follows or precedes bare digits that makes them no figure: ordinals, decades, years, ids."""
    number = mention.number
    if number.kind != "digits":
        return True
    start, end, n = number.start, number.end, len(text)
    if pos == end and pos < n and (text[pos].isalpha() or text[pos].isdigit()):
        return False  # 1st, 1990s, 06F6, 4e14: letters glued to digits that are no unit
    if pos == end and text[end:end + 2] in ("'s", "’s"):
        return False  # "in his 20's", "the 1980's"
    raw = text[start:end]
    if mention.unit is None and not mention.scaled:
        if not_figures.is_year(number.value, number.bare_integer, len(raw)) and not _plural_count_after(text, end):
            return False
        if number.bare_integer and number.value == 911:
            return False
        if "," not in raw and not_figures.capitalised_identifier(text, start):
            return False
        if number.bare_integer and not_figures.day_of_month(text, start, number.value):
            return False
        if not_figures.address(text, start, end):
            return False
        if number.bare_integer and not_figures.model_name(text, start, end, number.value):
            return False
    elif mention.unit is not None and pos - end <= 2 and text[pos - 1].isupper() and "," not in raw \
            and not_figures.capitalised_identifier(text, start):
        return False  # U.S. 25W, Channel 4C: a letter glued to an identifier
    return True


PLUS_MINUS_RE = re.compile(r"[ \t]*(?:±|\+/-|\+/−|\+-)[ \t]*\d+(?:\.\d+)?(?:[eE][-+−]?\d{1,3})?(?![\d.,])")
FEET_BEFORE_RE = re.compile(r"(?:\bft\.?|\bfeet|\bfoot|['’])[ \t]*$")
INCH_AFTER_FEET_RE = re.compile(r"[ \t]?in\.?(?![A-Za-z])")
"""The inches of "12 ft 2 in", "6 feet 2 in.": after feet, "in" cannot be the preposition."""
A_UNIT_PRICED_RE = re.compile(r"[^.;!?\n]{0,50}?(?:[$£€¥]|\b(?i:cost|costs|costing|sold|sells|priced|fetch|fetched|fetches)\b)")
"""After "a barrel (of Brent)": a price in the same clause makes "a barrel" the unit priced, not a figure."""
PLURAL_COUNT_AFTER_RE = re.compile(r"[ \t]+(?:(?:more|other|new|additional|[a-z]+-[a-z]+)[ \t]+)?(?P<noun>[a-z]{3,})\b")


YEAR_BEFORE_RE = re.compile(
    r"(?i:\b(?:in|by|since|until|till|from|during|the|than|with|before|after|through|to|between|and|or|since|of the"
    r"|mid|early|late|its|their|his|her|our|this|that|versus|vs\.?)|['’]s)[ \t]+$|[-–/]$")
YEAR_NOUNS = frozenset("""
levels sales elections results figures prices rates estimates earnings profits revenues games olympics models
standards budgets accounts returns levels numbers totals statistics data census polls campaigns seasons playoffs
championships finals riots protests floods attacks floods wars laws rules regulations guidelines forecasts
projections targets emissions values dollars terms midterms primaries caucuses contracts exceeds makes sees
""".split())


def _plural_count_after(text: str, end: int) -> bool:
    """ "2000 people", "about 1500 new homes": a lower-case plural noun makes a year-like number a count
    ("1990 levels", "in 2012 elections" stay years)."""
    after = PLURAL_COUNT_AFTER_RE.match(text, end)
    if after is None:
        return False
    noun = after.group("noun")
    start = end - 4
    if noun in subjects.STOP or noun in YEAR_NOUNS or not subjects.is_plural(noun) or noun.endswith("ss"):
        return False
    return YEAR_BEFORE_RE.search(text, max(0, start - 12), start) is None


def _read_age(text: str, mention: Mention, pos: int) -> int:
    """ "13-year-old", "29 years old", "Jackson, 16, of Garfield": ages are years, tagged "age"."""
    number = mention.number
    if mention.dimension == "duration":
        age = AGE_RE.match(text, pos)
        if age:
            mention.tags.append("age")
            return age.end()
    elif mention.unit is None and (number.bare_integer or number.kind == "words") and 0 < number.value <= 120 \
            and _stated_age(text, mention.start, pos):
        mention.unit, mention.dimension = "year", "duration"
        mention.tags.append("age")
    return pos


def _read_rate(text: str, mention: Mention, pos: int) -> int:
    """What a price is per ("$70 a share") and the period of a rate ("a month", "annually")."""
    if mention.currency:
        rate = lexicon.PRICE_ITEM_RE.match(text, pos)
        if rate:
            mention.unit = f"{mention.unit}/{lexicon.PRICE_ITEMS[' '.join(fold(rate.group('item')).split())]}"
            mention.dimension = "rate"
            pos = rate.end()
            if (period := lexicon.PERIOD_RE.match(text, pos)) is not None:
                mention.unit += f"/{lexicon.period_of(period)}"  # "$30 per user per month"
                pos = period.end()
        elif "/" not in (mention.unit or "") and (per := _per_unit(text, pos)) is not None:
            mention.unit, mention.dimension = f"{mention.unit}/{per[0]}", "rate"  # "$1,000 per square metre"
            pos = per[1]
    if mention.unit is None or mention.dimension in NO_PERIOD_DIMENSIONS or "/" in mention.unit:
        return pos
    period = lexicon.PERIOD_RE.match(text, pos)
    if period:
        mention.unit = f"{mention.unit}/{lexicon.period_of(period)}"
        mention.dimension = "rate"
        return period.end()
    if OF_CURRENCY_RE.match(text, pos):
        # "2.4 billion gallons of jet fuel a year": the period stands after what is measured
        of_subject = subjects.subject_after_of(text, pos)
        if of_subject is not None and (period := lexicon.PERIOD_RE.match(text, of_subject[2])):
            mention.unit = f"{mention.unit}/{lexicon.period_of(period)}"
            mention.dimension = "rate"
    return pos


PERSON_NOUN = (r"(?:suspect|victim|man|woman|boy|girl|teen|teenager|driver|passenger|pedestrian|gunman|shooter"
               r"|mother|father|son|daughter|wife|husband|brother|sister|officer|deputy|trooper|resident|student)")
"""Who an age after a comma belongs to when no name does: "The suspect, 34, was charged"."""
NAME_COMMA_RE = re.compile(rf"(?:[{UPPER}][{LETTER}'’.-]+|\b(?:aged?|ages|age[ \t]+of)|\b{PERSON_NOUN})[ \t]*,?[ \t]+$")
AGE_LIST_RE = re.compile(r"(?i:\b(?:aged?|ages)[ \t]+(?:\d{1,3}(?:[ \t]*,[ \t]*|,?[ \t]+(?:and|or|to)[ \t]+|[ \t]*[-–][ \t]*))+$)")
"""The later numbers of a list of ages: "ages 5 and 6", "ages 19, 20 and 22", "aged 15 to 17"."""
AGE_END_RE = re.compile(r"[ \t]*(?:[,;)]|\.(?!\d)|$|[ \t]+[–—]|[ \t]+(?:of|and|from|who|was|is|were|are|had|has|said)\b)")


def _stated_age(text: str, start: int, end: int) -> bool:
    """ "Kishawn Jackson, 16, of Garfield", "Brady Osborne, 16 – dressed in blue", "The suspect, 34, was charged",
    "aged 21", "under the age of 13", "ages 5 and 6", "aged 15 to 17": a person's age in years."""
    before = NAME_COMMA_RE.search(text, max(0, start - 30), start)
    if before is None:
        return AGE_LIST_RE.search(text, max(0, start - 40), start) is not None
    if before.group(0).lstrip()[:3].lower() == "age":
        return True
    return text[start - 2:start] == ", " and bool(AGE_END_RE.match(text, end))


def _is_currency(text: str, money: re.Match[str], mention: Mention, digits: bool) -> bool:
    name = fold(money.group("name") or "")
    if name in ("won", "rand", "lira", "reais", "quid", "bucks") and not mention.scaled and mention.number.value < 1000:
        return name in ("quid", "bucks") and digits
    if name.startswith("pound"):
        after = text[money.end():money.end() + 4]
        glued = money.group(0).startswith("-")
        if glued or after.startswith(" of") or (name == "pound" and mention.number.value != 1):
            return False  # "a 200-pound man", "50 pounds of cocaine", "a twenty pound bag"
        before = text[max(0, mention.start - 80):mention.start]
        return mention.scaled or mention.number.value >= 1e5 or bool(MONEY_CUE_RE.search(before))
    if money.group("suffix") and money.group("suffix").strip() == "p" and not digits:
        return False
    return True


def _slash_fraction(text: str, number: Number) -> Mention | int | None:
    """ "1/4 inch", "1/40 of the wavelength" are fractions; any other N/M (9/11, 24/7, dates) is skipped whole."""
    match = not_figures.SLASH_RE.match(text, number.start)
    if match is None:
        return None
    numerator, denominator = int(match.group(1)), int(match.group(2))
    end = match.end()
    unit = lexicon.UNIT_RE.match(text, end)
    of = text.startswith(" of ", end)
    if denominator == 0 or numerator >= denominator or not (unit or of):
        return end
    value = numerator / denominator
    fraction = Number(number.start, end, value, value, "fraction")
    mention = Mention(number.start, end, fraction, value, value)
    if unit:
        info = lexicon.unit_of(unit)
        mention.unit, mention.dimension, mention.end = info.unit, info.dimension, unit.end()
    else:
        mention.unit, mention.dimension = "fraction", "percent"
    return mention


def _merge(text: str, mentions: list[Mention]) -> list[Mention]:
    """Pass 2: "between A and B", "A to B", "A-B" become one range, "one in five" a share; "A + B" marks sum
    terms."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        if i + 1 < len(mentions):
            b = mentions[i + 1]
            gap = text[a.end:b.start]
            rate = _per_population(text, a, b, gap) if len(gap) <= 32 else None
            if rate is not None:  # "15 murders per 100,000 residents": the counted noun may lengthen the gap
                out.append(rate)
                i += 2
                continue
            if len(gap) <= 12:
                if SUM_GAP_RE.match(gap):
                    a.tags.append("sum_term")
                    b.tags.append("sum_term")
                elif (gap in ("-", "–", "-to-") and a.unit is None and b.unit is None
                        and b.value * b.scale <= a.value * a.scale
                        and a.number.bare_integer and b.number.bare_integer):
                    i += 2  # a score, a record or a split ("43-37", "a 5-4 ruling", "a 50-50 chance"), not two counts
                    continue
                else:
                    merged = _range(text, a, b, gap) or _money_and_change(text, a, b, gap) or _in_every(a, b, gap)
                    if merged is not None:
                        out.append(merged)
                        i += 2
                        continue
                    if (a.unit is None and not a.scaled and a.number.kind == "digits" and b.unit is not None
                            and b.dimension not in ("currency", "count", "rate") and SHARED_UNIT_GAP_RE.match(gap)
                            and not (RESTATING_GAP_RE.match(gap)
                                     and (b.dimension == "percent" or not 0.1 <= a.value / (b.value or 1) <= 10))):
                        a.unit, a.dimension = b.unit, b.dimension  # "45 and 50 mg", "5 or 6 percent"
                    elif (a.currency and b.dimension == "rate" and a.dimension == "currency" and a.scale == b.scale
                            and (b.unit or "").startswith(f"{a.unit}/") and SHARED_RATE_GAP_RE.match(gap)):
                        a.unit, a.dimension = b.unit, b.dimension  # "from $1,200 to $1,500 a month"
        out.append(a)
        i += 1
    return out


SHARED_RATE_GAP_RE = re.compile(r"(?:[ \t]*,)?[ \t]+(?:and|or|to)[ \t]+$|[ \t]*,[ \t]*$")
RESTATING_GAP_RE = re.compile(r"[ \t]*,[ \t]*or[ \t]+$")
"""", or" after a count may restate it ("300, or 25%,"): a unit is shared over it only by values alike, and never a
percentage ("45, 50, or 55 mg")."""
SHARED_UNIT_GAP_RE = re.compile(r"(?:[ \t]*,)?[ \t]+(?:and|or)[ \t]+$|[ \t]*,[ \t]*$|[ \t]*/[ \t]*$")
MONEY_AND_CHANGE_GAP_RE = re.compile(r"[ \t]+(?:and[ \t]+)?$")


def _money_and_change(text: str, a: Mention, b: Mention, gap: str) -> Mention | None:
    """ "3 dollars 50 cents", "thirteen dollars and forty-five cents", "15 dollars and 50": one amount."""
    if not (a.currency and not a.scaled and a.value == int(a.value) and "/" not in (a.unit or "")
            and MONEY_AND_CHANGE_GAP_RE.match(gap) and a.number.kind in ("digits", "words")):
        return None
    surface_b = text[b.start:b.end].lower()
    if b.unit == a.unit and ("cent" in surface_b or "pence" in surface_b or "penny" in surface_b) and b.value < 1:
        change = b.value
    elif b.unit is None and b.number.kind in ("digits", "words") and b.value < 100 and b.value == int(b.value) \
            and not subjects.WORD_RE.match(text, b.end):
        change = b.value / 100
    else:
        return None
    return Mention(a.start, b.end, a.number, a.value + change, 0.01, 1.0, False, a.unit, a.dimension, True)


NOUN_PER = r"(?:[ \t]+(?P<noun>[a-z]+(?:[ \t]+[a-z]+)?))?[ \t]+(?:per|for[ \t]+every)[ \t]+"
"""What may stand between a count and its base: "6.8 [deaths] per", "one [officer] for every"."""
PER_POPULATION_GAP_RE = re.compile(NOUN_PER + "$")
PER_SCALE_WORD_RE = re.compile(
    NOUN_PER + r"(?:(?:a|one)[ \t]+)?(?P<base>(?i:hundred[ \t]+thousand|thousand|million|billion))\b"
)
"""A base written as a scale word alone ("68 per million", "12 deaths per thousand"): no figure of its own."""
POPULATION_AFTER_RE = re.compile(
    r"[ \t]+(?:(?:[a-z]+|[A-Z][A-Za-z.]*)[ \t]+)?(?:people|persons|individuals|population|residents"
    r"|inhabitants|citizens|adults|children|kids|youths|teens|teenagers|women|men|girls|boys|students|pupils"
    r"|patients|workers|employees|voters|members|births|infants|babies|newborns|[A-Z][a-z]+ans)\b"
)
"""Who a rate's base counts, with one word before it: "per 1,000 live births", "per 100,000 U.S. residents",
"per 100,000 Americans"."""


def _per_population(text: str, a: Mention, b: Mention, gap: str) -> Mention | None:
    """ "6.8 murders per 100,000 people", "30 cases per 100,000": a rate per person (6.8e-05 /person), so "68 per
    1,000,000" agrees with it. The base is a round number of people (a power of ten from 100), named or implied."""
    if "per" not in gap and "every" not in gap:
        return None  # most pairs of figures: no regex for them
    match = PER_POPULATION_GAP_RE.fullmatch(gap)
    if match is None or a.unit is not None or b.unit is not None or a.scaled and a.number.kind == "vague":
        return None
    rate = _rate_per_person(text, a, match.group("noun"), b.value * b.scale, b.end)
    if rate is not None:
        rate.tags = sorted(set(a.tags) | set(b.tags))
    return rate


def _per_scale_word(text: str, mention: Mention, pos: int) -> int:
    """ "68 per million", "12 deaths per thousand people": a rate per person whose base is a bare scale word."""
    if "per" not in text[pos:pos + 40] and "every" not in text[pos:pos + 40]:
        return pos
    match = PER_SCALE_WORD_RE.match(text, pos)
    if match is None:
        return pos
    rate = _rate_per_person(text, mention, match.group("noun"), scale_factor(match.group("base")), match.end())
    if rate is None:
        return pos
    mention.value, mention.step, mention.unit, mention.dimension = rate.value, rate.step, rate.unit, rate.dimension
    mention.subject, mention.phrase = rate.subject, rate.phrase
    return rate.end


def _rate_per_person(text: str, a: Mention, noun: str | None, base: float, base_end: int) -> Mention | None:
    """`a` per `base` people, the base ending at `base_end`; None when the base is no round number of people."""
    if base < 100 or not math.log10(base).is_integer():
        return None
    people = POPULATION_AFTER_RE.match(text, base_end)
    word_after = subjects.WORD_RE.match(text, base_end)
    if people is None and (base < 1000 or word_after and word_after.group(1).lower() not in subjects.STOP):
        return None  # "5 per 100 miles": a rate of something else; "per 1,000" alone means per people
    if noun is not None and (noun.split()[-1] in subjects.STOP or not subjects.is_plural(noun.split()[-1])):
        return None  # "6.8 was per 100,000" is no count of anything
    end = people.end() if people else base_end
    number = Number(a.start, end, a.value, a.step, a.number.kind)
    return Mention(a.start, end, number, a.value / base, a.step / base, a.scale, a.scaled, unit="1/person",
                   dimension="rate", subject=noun.split()[-1] if noun else None, phrase=noun)


IN_EVERY_GAP_RE = re.compile(r"[ \t]+(?:in|out[ \t]+of)[ \t]+(?:every[ \t]+)?$")


def _in_every(a: Mention, b: Mention, gap: str) -> Mention | None:
    """ "one in five adults", "3 out of 10 voters", "1 in every 4": a share of a whole, as a fraction."""
    if not IN_EVERY_GAP_RE.match(gap) or a.unit is not None or b.unit is not None or a.scaled:
        return None
    if any(m.number.kind not in ("digits", "words") or m.number.step < 1 or m.qualifier != "exact" for m in (a, b)):
        return None
    whole = b.value * b.scale
    if not 0 < a.value < whole or not (whole <= 10 or math.log10(whole).is_integer()):
        return None  # "412 out of 600 passengers" are two counts; the idiom's whole is small or round
    value = a.value / whole
    share = Number(a.start, b.end, value, value, "fraction")
    return Mention(a.start, b.end, share, value, value, unit="fraction", dimension="percent",
                   tags=sorted(set(a.tags) | set(b.tags)), share_of_next=True)


def _range(text: str, a: Mention, b: Mention, gap: str) -> Mention | None:
    match = RANGE_GAP_RE.match(gap)
    if match is None or a.number.kind in ("vague", "fraction") or b.number.kind in ("vague", "fraction"):
        return None
    if a.unit is not None and b.unit is not None and a.unit != b.unit \
            and not (a.currency and "/" not in a.unit and b.unit.startswith(a.unit + "/")):
        return None  # but "between $2.10 and $2.25 a share": the rate covers both ends
    unit, dimension, currency = b.unit, b.dimension, b.currency
    if a.unit is not None and b.unit is None:
        if not (a.currency and b.number.kind == "digits"):
            return None
        unit, dimension, currency = a.unit, a.dimension, True  # "$5-6 million": the currency covers both ends
    low = a.value * a.scale
    if not a.scaled and b.scaled and a.number.value < 1000 and a.unit in (None, unit):
        low = a.value * b.scale
    high = b.value * b.scale
    word = fold(match.group("word") or "")
    opener = qualifiers.RANGE_OPENERS_RE.search(text, max(0, a.start - 10), a.start)
    opener_word = fold(opener.group("q")) if opener else ""
    if high < low and opener_word and word in ("to", "and"):
        low, high = high, low  # "ranged from -18 °C to -34 °C"
    if not low < high:
        return None
    if word == "and" and opener_word != "between":
        return None
    if word == "or" and not (high <= 20 or a.number.kind == "words"):
        return None
    if word in ("to", "through") or match.group("dash") and opener_word == "from":
        if opener_word == "from":
            before_from = text[max(0, opener.start() - 30):opener.start()]  # type: ignore[union-attr]
            if qualifiers.CHANGE_VERB_RE.search(before_from):
                return None
        elif qualifiers.CHANGE_VERB_RE.search(text[max(0, a.start - 25):a.start]):
            return None
    merged = Mention(a.start, b.end, b.number, (low + high) / 2, b.step, 1.0, b.scaled, unit, dimension,
                     currency, "range", low, high, tags=sorted(set(a.tags) | set(b.tags)))
    return merged


BRACKET_CLOSES_RE = re.compile(r"\)(?=[ \t]*(?:[.;,|\n]|$))")
"""A bracketed amount that ends its clause or cell ("bond set at ($300,000) cash" is no negative)."""
RESTATED_BEFORE_RE = re.compile(r"(?:\d|%|\b(?i:million|billion|trillion|thousand|bn|mn|m|k|[a-z]{3,}s?))[ \t]*$")
"""Before a bracketed amount, a figure or a longer word makes it a restatement or an aside ("€92 million ($100
million)", "The deal ($5 billion) closed"); after "is", "of" or a colon it is an accountant's minus ("($2.1m)")."""


def _finish(text: str, m: Mention, article: Article, sentences: Sentences, newlines: list[int]) -> Fact | None:
    """Pass 3: qualifier, counted noun, rate period and interval; then the Fact."""
    if m.currency and m.value > 0 and text[m.start - 1:m.start] == "(" and BRACKET_CLOSES_RE.match(text, m.end) \
            and not RESTATED_BEFORE_RE.search(text, max(0, m.start - 31), m.start - 1):
        m.value, m.start, m.end = -m.value, m.start - 1, m.end + 1  # "revenue is ($99.99)": an accountant's minus
    value = m.value * m.scale
    step = m.step * m.scale
    lemma = None
    before_start = m.start
    if m.qualifier not in ("range",):
        found = qualifiers.before(text, m.start)
        if found is not None:
            qualifier, before_start = found
            if not (found[0] == "more_than" and m.dimension == "duration" and
                    text[before_start:before_start + 4].lower() == "over"):
                m.qualifier = qualifier
            else:
                before_start = m.start
    subject_start = m.end
    if m.qualifier == "exact":
        found_after = qualifiers.after(text, m.end)
        if found_after is not None:
            m.qualifier, subject_start = found_after
    if "age" in m.tags and m.qualifier != "range":
        found_age = subjects.subject_after(text, m.end, plural=False)
        if found_age is not None and found_age[0].islower():
            m.subject, m.phrase = found_age[0], found_age[1]
            lemma = subjects.lemma(m.subject)
    if m.unit is None or m.unit in ("fraction", "percent"):
        found_subject = None
        if text.startswith(" of ", subject_start) or text.startswith(" of\t", subject_start):
            found_subject = subjects.subject_after_of(text, subject_start)
            if found_subject is not None and NUMBER_RE.match(text, subject_start + 4):
                found_subject = None
        elif m.unit is None or m.share_of_next:
            found_subject = subjects.subject_after(text, subject_start, plural=m.share_of_next or value != 1)
        if found_subject is not None:
            m.subject, m.phrase, subject_end = found_subject
            if m.subject.lower() in NOT_A_COUNT_SUBJECTS:
                m.subject = m.phrase = None
            elif m.unit is None:
                period = lexicon.PERIOD_RE.match(text, subject_end)
                if period:
                    m.unit = f"1/{lexicon.period_of(period)}"
                    m.dimension = "rate"
        elif m.unit is None:
            m.subject = subjects.subject_before_of(text, before_start) or subjects.subject_before_verb(text, before_start)
            m.phrase = m.subject
        if m.subject is not None:
            lemma = subjects.lemma(m.subject)
        if m.unit is None and m.number.bare_integer and not m.scaled and value >= 1000 \
                and "," not in text[m.start:m.end] and not (m.subject and m.subject.islower()
                                                            and subjects.is_plural(m.subject)):
            return None  # house numbers, phone fragments, zip codes: news writes counts as "1,500"
        if m.unit is None and m.subject is None and m.number.kind == "words" and value in (0, 1) \
                and not HARMED_AFTER_RE.match(text, m.end):
            return None  # "one" and "zero" with nothing counted are pronouns or idioms, but "one dead" is a toll
    elif m.subject is not None:
        lemma = subjects.lemma(m.subject)  # "6.8 murders per 100,000 people": what the rate counts
    if "/" not in (m.unit or "") and m.dimension not in NO_PERIOD_DIMENSIONS and m.dimension != "percent" \
            and not (m.unit is None and m.subject is not None) \
            and (per := rate_before.per_before(text, before_start, m.currency)) is not None:
        m.unit, m.dimension = f"{m.unit or 1}/{per[0]}", "rate"  # "weekly pay of £650", "spending per pupil of"
        if m.unit.startswith("1/"):
            m.subject = m.phrase = per[1]  # "daily ridership of 40,000": the rate counts riders
            lemma = subjects.lemma(per[1]) if per[1] else None
    if m.low is not None and m.high is not None:
        low, high = m.low, m.high
        if m.qualifier == "range":
            value = (low + high) / 2
        elif m.number.kind == "vague":
            low, high = low * m.scale, high * m.scale
            value = (low + high) / 2
    else:
        low, high = interval(m.qualifier, value, step, signed=m.dimension == "temperature")
    dimension = "other" if m.dimension in DIMENSIONS_OTHER else m.dimension
    surface = text[m.start:m.end]
    line, column = _line_column(article, newlines, m.start)
    return Fact(  # validating is faster than model_construct here (pydantic-core), and checks the contract
        id=fact_id(article.id, m.start, m.end, surface), article=article.id, start=m.start, end=m.end,
        line=line, column=column, surface=surface, sentence=sentences.around(m.start, m.end),
        value=float(value), low=float(low), high=float(high), qualifier=m.qualifier, unit=m.unit,
        subject=m.subject, subject_phrase=m.phrase, lemma=lemma, entity=None, as_of=None,
        dimension=dimension, tags=tuple(m.tags),
    )


def _line_column(article: Article, newlines: list[int], offset: int) -> tuple[int, int]:
    """Same as `Article.line_column`, in log time (articles may hold thousands of figures)."""
    before = bisect.bisect_left(newlines, offset)
    last_newline = newlines[before - 1] if before else -1
    return article.line_offset + before + 1, offset - last_newline
