"""Numbers that are not figures: dates, years, times of day, phone numbers, identifiers and addresses."""

from __future__ import annotations

import re

from ledger.extract import subjects

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")

BLOCK_RE = re.compile(
    r"\d{1,2}(?::\d{2})?[ \t]*(?:-|–|to|and|or)[ \t]*\d{1,2}(?::\d{2})?[ \t]*(?i:[ap]\.m\.|[ap]m\b)"  # 4 to 6 p.m.
    r"|\d{4}-\d{1,2}-\d{1,2}\b"                                    # 2022-12-22
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"                         # 12/22/2022, 22.12.2022
    r"|\d{1,2}(?::\d{2}){1,2}(?:[ \t]*(?i:[ap]\.?m\.?)(?![A-Za-z]))?"  # 10:30, 10:30 a.m.
    r"|\d{1,2}(?:\.\d{2})?[ \t]*(?i:[ap]\.m\.|[ap]m\b|o['’]clock\b)"  # 3 p.m., 2pm, 2.17pm, 5 o'clock
    r"|(?:1[-. ])?\(?\d{3}\)?[ .-]{0,2}\d{3}[ .-]{1,2}(?:\d{4}|[A-Z]{4})"  # (555) 123-4567, 713-222-TIPS
    r"|(?:1-)?\d{3}-\d[A-Z0-9]{3,}\b|\d{3}-\d{4}\b|\d{3}-[A-Z]{4}|9-1-1\b"  # 1-866-7LOCKUP, 977-1111, 528-CASH
    r"|0\d{2,4}[ .-]\d{3,4}[ .-]?\d{3,4}\b"                       # 0800 123 4567, 020 7946 0958
    r"|\d{1,3}[ \t]+/[ \t]*\d{1,3}|\d{1,3}[ \t]*/[ \t]+\d{1,3}"        # gallery counters "1 / 2"
    r"|\d['’][ \t]?\d{1,2}(?:[\"”]|'')?"                               # 5'10", 5’11”
    r"|\d{4}[-–/]\d{2}\b(?![-–/.]?\d)"                              # 2013-14, 2019/20
)
"""Matched where a number starts; the whole match is skipped."""

INTERNATIONAL_PHONE_RE = re.compile(r"\d{1,3}[ .-]?(?:\(0\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}(?![\d,.]?\d)")
"""After a "+": "+44 20 7946 0958", "+1 555 123 4567", "+33 (0)1 23 45 67 89" (but "+5% in 2023" is a change)."""

SLASH_RE = re.compile(r"(\d{1,3})/(\d{1,3})(?![\d/])")

CAPITALISED_BEFORE_RE = re.compile(r"(?<![\w.&'’-])(?P<word>[A-Z][A-Za-z&]*\.?|[a-z]+[A-Z][A-Za-z]*)[ \t]+$")
"""A capitalised word right before a number: "Resolution 2397", "Boeing 737", "March 4", "iPhone 14"."""

THE_PLURAL_BEFORE_RE = re.compile(r"\bthe[ \t]+(?:[A-Z][a-z]+[ \t]+){0,2}$")
NAMED_BEFORE_RE = re.compile(
    r"(?:(?<![\w])(?i:junctions?|route|highway|hwy\.?|exits?|interstate|resolution|article|section|flight|room"
    r"|chapter|page"
    r"|district|precinct|number|no\.|nos\.|apartment|apt\.?|suite|unit|lot|gate|platform|channel|station|ward"
    r"|version|model|grade|phase|stage|season|episode|volume|vol\.|exhibit|item|amendment|proposition|prop\."
    r"|bus|box|pier|terminal|track|runway|bed|cell|level|class|category|type|mark|figure|fig\.|table|title|rule"
    r"|code|form|step|act|bill|question|measure|ballot)|U\.S\.|#|№)[ \t]*$"
)
"""Lower-case identifier words too ("exit 436", "no. 10", "#1")."""

CAPITALISED_OK = frozenset("""
About Around Nearly Almost Some Over Under Only Just Roughly Approximately More Less Fewer Than Up To At The And Or
With Of For In On By From Between Among Including Killed Injured Wounded Dead Total A An I Another Another Least
Most Maybe Perhaps Estimated Exactly Precisely Another Additional Another Those These Their His Her Its Our Your
Aged Age Ages All Nearly When After Before Since Until During Like Per Each Every Killing Leaving Injuring Wounding
Shot Died Hurt Arrested Charged Sentenced Of Than Is Are Was Were Has Had Have Now Then Today Yesterday But So Yet
Police Officials Authorities Officers Deputies Investigators
""".split())
MONTH_WORDS = frozenset(MONTHS.split("|")) | {m + "." for m in MONTHS.split("|")}

AFTER_RE = re.compile(
    rf"(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{MONTHS})\b"           # 4 March, 6th of March
    r"|[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z][a-z]+[ \t]+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive"
    r"|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Terrace|Trail|Pike|Square|Sq)\b"
    r"|[ \t]+block\b"                                               # the 1200 block of Main Street
    r"|[ \t]+[NSEW]\.?[ \t]+[A-Z]"                                     # 916 W. Wildy St.
    r"|-[A-Z]"                                                      # 7-Eleven, 3-D
    r"|[ \t]+[A-Z]{2,}[ \t]+\d"                                       # the 737 MAX 9
    r"|[ \t]+(?:Action[ \t]+|Eyewitness[ \t]+)?News\b"                  # a station: 41 Action News, 13 News
)
"""Text right after a number that makes it a date or an address."""

ADDRESS_AFTER_AT_RE = re.compile(r"[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?(?:[.,;]|[ \t]+(?:in|near|on|at)\b)")
AT_BEFORE_RE = re.compile(r"\b(?:at|on)[ \t]+$")
COUNTER_BEFORE_RE = re.compile(
    r"\b(?:Image|Photo|Slide|Page|Picture|Part|Game|Step|Day|Week)[ \t]+\d+[ \t]+(?:of[ \t]*/?|/)[ \t]*$"
)


def address(text: str, start: int, end: int) -> bool:
    """ "a shooting at 731 Semmes.": a bare house number after "at", before a capitalised street name."""
    return bool(AT_BEFORE_RE.search(text, max(0, start - 4), start) and ADDRESS_AFTER_AT_RE.match(text, end))


def capitalised_identifier(text: str, start: int) -> bool:
    """True when a capitalised word (not opening a sentence, not a qualifier) stands right before `start`."""
    window_start = max(0, start - 30)
    if COUNTER_BEFORE_RE.search(text, window_start, start):
        return True
    match = CAPITALISED_BEFORE_RE.search(text, window_start, start)
    if match is None:
        return bool(NAMED_BEFORE_RE.search(text, window_start, start))
    word = match.group("word")
    if word in MONTH_WORDS:
        return True
    if THE_PLURAL_BEFORE_RE.search(text, window_start, match.start()) and re.fullmatch(r"[A-Z][a-z]+[^s'’]s", word):
        return False  # "Labour won 412 seats, the Conservatives 121": a count told of a party, with the noun left out
    if word in CAPITALISED_OK or word.rstrip(".") in CAPITALISED_OK:
        return False
    if word.title() in CAPITALISED_OK and text[max(0, start - 40):start].isupper():
        return False  # "AT LEAST 5" in an all-capitals transcript; but "IN 931" is Indiana road 931
    return True


SINGLE_DETERMINER_BEFORE_RE = re.compile(
    r"(?:(?<![\w-])(?i:the|a|an|this|that|its|his|her|their|our|each|every|another)|\w['’]s)[ \t]+$")
NAME_WORDS_AFTER_RE = re.compile(r"(?:[ \t]+[A-Z][A-Za-z]*){1,3}\b")


def model_name(text: str, start: int, end: int, value: float) -> bool:
    """ "the 747 jumbo jet", "the 787 Dreamliner", "the 405 freeway": after "the", "a" or a possessive, a number
    of hundreds before one thing (a singular noun or a name) names a model or a road; "the 300 passengers" counts."""
    if value < 100 or not SINGLE_DETERMINER_BEFORE_RE.search(text, max(0, start - 12), start):
        return False
    name = NAME_WORDS_AFTER_RE.match(text, end)
    if name is not None:
        after = subjects.WORD_RE.match(text, name.end())
        counted_after = after is not None and after.group(1).islower() and subjects.is_plural(after.group(1))
        return not name.group().endswith("s") and not counted_after  # but "the 300 Spartans", "the 100 Senate seats"
    noun = subjects.subject_after(text, end)
    return noun is not None and noun[0].islower() and not subjects.is_plural(noun[0]) \
        and noun[0].lower() not in subjects.IRREGULAR_PLURALS


DAY_OF_MONTH_BEFORE_RE = re.compile(
    r"(?<![\w])(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july"
    r"|august|september|october|november|december)\.?,?[ \t]+$"
)
"""A month (any case, "sept. 30", "on may 19") right before a day number."""


def day_of_month(text: str, start: int, value: float) -> bool:
    return value <= 31 and bool(DAY_OF_MONTH_BEFORE_RE.search(text, max(0, start - 12), start))


NAME_AFTER_RE = re.compile(r"[ \t]+[A-Z][a-z]")
SENTENCE_OPEN_RE = re.compile(r"(?:[.!?:;\n\"“‘(—–-]|^)[ \t\"“‘(]*$")


def capitalised_name(text: str, start: int, end: int) -> bool:
    """ "the Three Oaks Apartments": a capitalised number word inside a sentence, before a capitalised word."""
    if not text[start].isupper() or not NAME_AFTER_RE.match(text, end):
        return False
    return not SENTENCE_OPEN_RE.search(text[max(0, start - 6):start])


def is_year(value: float, raw_is_bare_integer: bool, digits: int) -> bool:
    return raw_is_bare_integer and digits == 4 and 1100 <= value <= 2100
