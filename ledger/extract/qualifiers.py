"""Qualifier words around a figure ("about", "more than", "up to", "or more") mapped to `Fact.qualifier`."""

from __future__ import annotations

import re

from ledger.extract.lexicon import alternation
from ledger.extract.letters import fold

BEFORE: dict[str, str] = {
    "about": "approx", "around": "approx", "roughly": "approx", "some": "approx", "approximately": "approx",
    "approx.": "approx", "approx": "approx", "an estimated": "approx", "estimated at": "approx",
    "estimated": "approx", "an approximate": "approx", "somewhere around": "approx", "circa": "approx",
    "ca.": "approx", "~": "approx", "on the order of": "approx", "in the region of": "approx",
    "in the neighborhood of": "approx", "in the neighbourhood of": "approx", "more or less": "approx",
    "not quite": "nearly", "just short of": "nearly", "shy of": "nearly", "the better part of": "nearly",
    "north of": "more_than", "upward of": "more_than", "as few as": "at_least", "as little as": "at_least",
    "nearly": "nearly", "almost": "nearly", "just under": "nearly", "close to": "nearly", "just shy of": "nearly",
    "more than": "more_than", "over": "more_than", "above": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "exceeding": "more_than", "just over": "more_than", "well over": "more_than",
    "well above": "more_than", "just above": "more_than", "greater than": "more_than",
    "at least": "at_least", "a minimum of": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "not less than": "at_least", "not fewer than": "at_least",
    "up to": "at_most", "no more than": "at_most", "not more than": "at_most", "at most": "at_most",
    "a maximum of": "at_most", "as many as": "at_most", "as much as": "at_most", "at the most": "at_most",
    "less than": "less_than", "under": "less_than", "fewer than": "less_than", "below": "less_than",
    "well under": "less_than", "well below": "less_than",
}
"""Words right before a figure -> qualifier (the longest wording that fits wins)."""

AFTER: dict[str, str] = {
    "or more": "at_least", "or over": "at_least", "or above": "at_least", "plus": "at_least", "+": "at_least",
    "or so": "approx", "or less": "at_most", "or fewer": "at_most", "or under": "at_most",
    "or thereabouts": "approx", "and counting": "at_least", "or higher": "at_least", "or lower": "at_most",
}
"""Words right after a figure (and its unit) -> qualifier ("50 or more people")."""


def _pattern(words: list[str]) -> str:
    return alternation(words)  # longest first, factored on common prefixes: searched at each of 30 places


BEFORE_RE = re.compile(rf"(?<![\w-])(?P<q>(?i:{_pattern(list(BEFORE))}))[ \t\u00a0]*$")
"""Searched in the few characters before a figure; anchored at their end."""

AFTER_RE = re.compile(rf"(?:[ \t]+(?P<q>(?i:{_pattern([w for w in AFTER if w != '+' and w != 'plus'])}))\b"
                      r"|(?P<plus>\+|-plus\b)(?![ \t]*[\d$£€¥]))")
"""Matched right after a figure: "50 or more", "10,000-plus", "500+" (but "10,000 + 40,000" is a sum)."""

RANGE_OPENERS_RE = re.compile(r"(?<![\w-])(?P<q>(?i:between|from))[ \t]+$")
CHANGE_VERB_RE = re.compile(
    r"(?i:\b(?:rose|rise|rises|rising|risen|fell|fall|falls|falling|fallen|dropped|drop|drops|increased|increase"
    r"|increases|decreased|decrease|decreases|grew|grow|grows|climbed|climb|jumped|jump|cut|raised|raise|reduced"
    r"|reduce|lowered|boosted|up|down|slipped|slid|declined|decline|soared|surged|plunged|plummeted|tumbled"
    r"|doubled|changed|went|moved|revised|expanded|shrank|narrowed|widened|swelled|ballooned|lifted|hiked|swung)\b)"
)
"""A change verb before "from A to B" makes A and B two figures (old and new), not one range."""


MOVED_UP_RE = re.compile(r"(?i:\b(?:tick|move|edge|inch|creep|crept|climb|jump|shoot|shot|go|went|gone|come|came|rise|rose"
                         r"|risen|revise|bump|step|ramp|push|notch|nudge|march|trend|head)(?:s|es|ed|d|ped|ing|ping)?[ \t]+)$")
"""A verb of movement before "up to": "ticked up to 3.9%" says where it went, not a bound."""


def before(text: str, start: int) -> tuple[str, int] | None:
    """(qualifier, where its wording starts) for the words right before `start`, or None."""
    window = text[max(0, start - 30):start]
    match = BEFORE_RE.search(window)
    if match is None:
        return None
    if match.group("q").lower().startswith("up") and MOVED_UP_RE.search(window, 0, match.start("q")):
        return None
    return BEFORE[" ".join(fold(match.group("q")).split())], start - len(window) + match.start("q")


def after(text: str, end: int) -> tuple[str, int] | None:
    """(qualifier, where its wording ends) for the words right after `end`, or None."""
    match = AFTER_RE.match(text, end)
    if match is None:
        return None
    if match.group("plus"):
        return "at_least", match.end()
    return AFTER[" ".join(fold(match.group("q")).split())], match.end()
