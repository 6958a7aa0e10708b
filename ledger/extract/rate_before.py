"""What a figure is per when the words before it say so: "average weekly pay rose to £650" (GBP/week), "a monthly
rent of $1,800" (USD/month), "spending per pupil of $12,000" (USD/person), "earnings per share of $1.52" (USD/share).

The period must be an adjective on one of the nouns news states per period (`rate_nouns` in
`data/extract_lexicon.yaml`), and that noun must lead to the figure through "of", "is", "rose to" and the like:
"the annual report showed 300 jobs" names no rate. Each search is anchored at the figure's start and looks back
a few dozen characters, so the cost is per figure.

    >>> per_before("They pay a monthly rent of ", 27, money=True)
    ('month', 'rent')
    >>> per_before("The annual report showed ", 25, money=False) is None
    True
"""

from __future__ import annotations

import re

from ledger.extract import lexicon
from ledger.extract.letters import fold

LINK = (r"[ \t]+(?:(?:has|have|had|will|would)[ \t]+(?:be[ \t]+|been[ \t]+)?)?"
        r"(?:of|at|(?:is|was|are|were|be|been|stood|stands|came[ \t]+in|comes[ \t]+in)(?:[ \t]+at)?"
        r"|(?:rose|risen|rises|rise|fell|fallen|falls|climbed|climbs|increased|decreased|dropped|grew|grown"
        r"|jumped|slipped|declined|surged|soared|edged[ \t]+up|went[ \t]+up)[ \t]+to"
        r"|reached|reaches|hit|hits|topped|tops|totalled|totaled|totals|averaged|averages|averaging)[ \t]+$")
"""Between the measured noun and its figure (after any "about", "nearly", which the caller steps over)."""
LOOK_BACK = 70

_RATE_NOUN = rf"(?P<noun>(?i:{'|'.join(sorted(lexicon.RATE_NOUNS, key=len, reverse=True))}))"
_ITEMS = lexicon.PRICE_ITEMS
PERIOD_BEFORE_RE = re.compile(
    rf"(?<![A-Za-z-])(?P<period>(?i:{'|'.join(sorted(lexicon.PERIOD_ADJECTIVES, key=len, reverse=True))}))"
    rf"[ \t]+(?:[a-z]+[ \t]+)?{_RATE_NOUN}{LINK}"
)
"""A period adjective on a rate noun, with at most one word between ("annual base salary of")."""
ITEM_BEFORE_RE = re.compile(
    rf"(?<![A-Za-z])(?i:per)[ \t-]+(?P<item>(?i:{lexicon.alternation(list(_ITEMS))}))"
    rf"(?:[ \t]+(?:{_RATE_NOUN}|GDP|GNP|GNI))?{LINK}"
)
"""A price's item before it ("spending per pupil of", "per capita GDP of", "price per barrel rose to"): money
only, since "deaths per capita" are no figure's unit here."""


def per_before(text: str, start: int, money: bool) -> tuple[str, str | None] | None:
    """(the unit it is per, the noun measured) for a figure starting at `start` (or at its qualifier), named
    before it: a period for money, counts and measures, an item ("share", "person") for money only."""
    window_start = max(0, start - LOOK_BACK)
    if money and "per" in text[window_start:start].lower():
        item = ITEM_BEFORE_RE.search(text, window_start, start)
        if item is not None:
            return _ITEMS[" ".join(fold(item.group("item")).split())], item.group("noun")
    period = PERIOD_BEFORE_RE.search(text, window_start, start)
    if period is None:
        return None
    return lexicon.PERIOD_ADJECTIVES[fold(period.group("period"))], fold(period.group("noun"))
