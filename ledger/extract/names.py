"""Capitalised words that are not names of who a figure is about, for `ledger.extract.entities`: departments
("Homicide detectives"), parts of town ("the West Side"), a state after its city ("Wilmington, Del."),
broadcasters and credit lines ("KOCO", "Metro Video"), holidays ("Easter"), and the common words of headlines
written in title case ("Man Killed In Sylvester Shooting")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import AbstractSet

from ledger.extract.letters import LETTER, LOWER, UPPER

# compiled once: built from the long letter classes, these were formatted and looked up again on every call
INITIALS_RE = re.compile(r"(?:[A-Z]\.){2}")
PLURAL_END_RE = re.compile(r"(?<!['’])s$")
ADVERB_END_RE = re.compile(r"(?:ly|ing|ed)$")
# the capital first and what must stand before it checked after it: a pattern opening on a class lets `re` skip
# straight to the capitals (54 -> 24 µs over an article)
NAMED_INSIDE_RE = re.compile(rf"[{UPPER}](?<=[{LOWER},][ \t].)[\w'’-]*")
LOWERCASE_WORD_RE = re.compile(rf"(?<![{LETTER}])[{LOWER}][{LOWER}'’-]*")
CAPITALISED_PAIR_RE = re.compile(rf"([{UPPER}](?<![\w'’-].)[\w'’-]*)[ \t]+([{UPPER}][\w'’-]*)")
LETTER_COMMA_BEFORE_RE = re.compile(rf"[{LETTER}][ \t]*,[ \t]*$")
TITLE_FIRST_WORD_RE = re.compile(rf"[ \t]*([{UPPER}][{LOWER}][\w'’-]*)(?=[ \t]+[{LOWER}\d]|[ \t]*[,:;]|$)")

DIRECTIONS = frozenset("""
north south east west northeast northwest southeast southwest northern southern eastern western central
downtown uptown midtown metro
""".split())
"""Alone, a part of town ("on the West Side", "Metro police"), not who a figure is about; "North Carolina" stays
a name."""
AGENT_AFTER_RE = re.compile(
    r"[ \t]+(?:detectives|investigators|officers|deputies|agents|troopers|prosecutors|officials|units|squads)\b")
"""A capitalised common word before these ("Homicide detectives") names a department, not an entity."""
UNIT_NOUNS = frozenset("unit bureau division squad section detail team task force office".split())
DEPARTMENTS = frozenset("""
homicide narcotics robbery burglary vice patrol traffic gang gangs swat fugitive investigations investigative
detective detectives crime crimes forensic forensics tactical special major violent cold
""".split())
"""Police units whose name opens with a common word ("Homicide Unit", "Major Crimes Division"): a department of
the police named elsewhere, never a place or organization of its own."""
MEDIA_RE = re.compile(r"^[KW][A-Z]{2,3}(?:-(?:TV|FM|AM|DT))?$|[ \t](?:News|Video|Photos?|Images?|Staff)$"
                      r"|^(?:ABC|CBS|NBC|CNN|FOX|PBS|NPR|UPI|AP)[A-Z]{0,3}$"
                      r"|(?:^|[ \t])(?:Facebook|Twitter|Instagram|YouTube|Snapchat)$")
"""A broadcaster's call sign ("KOCO", "WDTN-TV"), an outlet or credit line ("Region 8 News", "Metro Video") or
a social network: where a figure was told, not who it is about."""
POLICE_ACRONYM_RE = re.compile(r"^[A-Z]{1,4}(?:PD|SO)$")
"""A police department or sheriff's office by its initials ("HPD", "NOPD", "KCSO")."""
HOLIDAY_RE = re.compile(r"(?i:^(?:easter|christmas|thanksgiving|halloween|hanukkah|passover|ramadan|new year'?s?"
                        r"|fourth of july)$|[ \t](?:day|eve|weekend)$)")
"""A holiday ("Easter", "Fourth of July", "Mother's Day") says when, not who."""
US_STATES = frozenset("""
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois
indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana
nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming
ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla ore pa
tenn tex vt va wash wis wyo
""".split())
"""States (and their AP abbreviations) that follow a city ("Wilmington, Del.", "Stafford, Virginia"): they only
place the city. Multi-word states ("New Jersey", "N.C.") are in `TWO_WORD_STATES` or written as initials."""
TWO_WORD_STATES = frozenset("""new hampshire, new jersey, new mexico, new york, north carolina, north dakota,
south carolina, south dakota, west virginia, rhode island""".replace("\n", " ").split(", "))


def is_state(name: str) -> bool:
    """A US state ("Ohio", "Del.", "North Carolina", "N.C.")."""
    normal = " ".join(name.lower().replace(".", "").split())
    return normal in US_STATES or normal in TWO_WORD_STATES or INITIALS_RE.fullmatch(name) is not None
STREET_SUFFIXES = frozenset("""
street st avenue ave road rd boulevard blvd drive dr lane ln court ct place pl way parkway pkwy highway hwy terrace
circle cir alley expressway freeway
""".split())
"""A name ending in one of these is an address."""
ADDRESS_BEFORE_RE = re.compile(r"(?i:\bblock[ \t]+of[ \t]+(?:[NSEW]\.?[ \t]+)?"
                               r"|\b(?:at|on|near)[ \t]+\d{2,6}[ \t]+(?:[NSEW]\.?[ \t]+)?)$")
"""Before a name, what makes it an address ("the 1600 block of Saybrook", "at 16411 N. Saybrook")."""


MEASURE_WORDS = frozenset("""
average median mean overall annual annualized annualised monthly weekly daily quarterly yearly gross core nominal
adjusted operating wholesale headline underlying seasonally cumulative combined preliminary provisional full-year
first-quarter second-quarter third-quarter fourth-quarter year-on-year year-over-year
turnout inflation unemployment employment revenue profit income growth attendance enrollment enrolment ridership
output spending debt damage
""".split())
"""Words that open the name of a measure, or are one, not someone's name ("Average hourly earnings rose 0.2%",
"Turnout fell to 59.7%")."""


def common_word(word: str, lower_words: AbstractSet[str], named: frozenset[str] = frozenset()) -> bool:
    """A capitalised word that opens a sentence but is written in lower case elsewhere, opens a measure's name, or
    looks like a plural ("Rescuers"), or like an adverb or participle ("Meanwhile") that is not capitalised inside a
    sentence elsewhere (`named`: "Italy", "Beijing" are names when the article says "in Italy"); a possessive
    ("Ostrava's") is a name's."""
    lowered = word.lower()
    if lowered in lower_words or lowered in MEASURE_WORDS or PLURAL_END_RE.search(word):
        return True  # a plural stays common even when capitalised elsewhere: surnames ("Davis", "Adams") are so too
    return ADVERB_END_RE.search(word) is not None and word not in named


@lru_cache(maxsize=8)  # asked of the same article by the headline pass and both mention passes
def named_inside(text: str) -> frozenset[str]:
    """Capitalised words the text writes inside a sentence (after a small letter or a comma): names, not sentence
    openers."""
    return frozenset(NAMED_INSIDE_RE.findall(text))


@lru_cache(maxsize=8)  # asked of the same article four times (headlines, title, both mention passes)
def lowercase_words(text: str) -> frozenset[str]:
    """The words `text` writes in lower case: a capitalised word among them is a common word, not a name."""
    return frozenset(LOWERCASE_WORD_RE.findall(text))


def name_openers(text: str, named: frozenset[str]) -> frozenset[str]:
    """First words of names that open a sentence ("Lorvenwick Mining said"): followed by a word `named` inside a
    sentence, and never written in lower case."""
    lower = lowercase_words(text)
    pairs = CAPITALISED_PAIR_RE.findall(text)
    return frozenset(first for first, second in pairs if second in named and first.lower() not in lower)


def not_a_name(text: str, start: int, end: int, words: list[str], lower_words: AbstractSet[str]) -> bool:
    """Capitalised words that look like a name but say where, what or which department, not who."""
    if words[0].lower() in DEPARTMENTS and (len(words) == 1 or words[-1].lower() in UNIT_NOUNS):
        return True  # "Homicide detectives", "Homicide Unit", "Major Crimes Division"
    if len(words) == 1 and POLICE_ACRONYM_RE.match(words[0]):
        return True  # "HPD officers": the police, as "police" is no name either
    if len(words) == 1:
        word = words[0].lower().rstrip(".")
        if word in DIRECTIONS or word in ("news", "video", "photo", "photos", "images", "staff"):
            return True  # "the West Side", "News 4"
        if word in lower_words and word.endswith("s") and not word.endswith("ss"):
            return True  # "p.m. Officers found": a plural the article also writes in lower case
        if word in lower_words and AGENT_AFTER_RE.match(text[end:end + 16]):
            return True  # "Homicide detectives said": a department, written in lower case elsewhere
        if text[end:end + 2][:1] == "-" and text[end + 1:end + 2].isdigit():
            return True  # "AK-47": a model
    if HOLIDAY_RE.search(" ".join(words)):
        return True
    if len(words) > 1 and words[-1].lower().rstrip(".") in STREET_SUFFIXES or words[0] == "Interstate" \
            or ADDRESS_BEFORE_RE.search(text[max(0, start - 17):start]):
        # "Plymouth Street", "6th St.", "the 1600 block of Saybrook", "at 16411 Saybrook": where, not who
        return True
    # "Wilmington, Del.", "Stafford, Virginia father": the state only places the city before it
    if LETTER_COMMA_BEFORE_RE.search(text[max(0, start - 3):start]) and is_state(" ".join(words)):
        return True
    return False


SITE_SEGMENT_RE = re.compile(r"[ \t]*[-|–—]+[ \t]*(?P<site>[^-|–—]*)$")
SITE_RE = re.compile(r"\.(?:com|net|org)\b|\b(?:News|TV|Radio|FOX|[KW][A-Z]{2,3})\b|^[ \t]*$")
"""A site's name after a headline ("… - WALB.com, South Georgia News, Weather, Sports", "… | FOX 5")."""


def _headline(title: str) -> str:
    """`title` without the site names a page title ends with."""
    for _ in range(3):
        segment = SITE_SEGMENT_RE.search(title)
        if segment is None or not SITE_RE.search(segment.group("site")) or segment.start() == 0:
            break
        title = title[:segment.start()]
    return title


WORD_RE = re.compile(rf"[{LETTER}][\w'’-]*")
TITLE_SMALL_WORDS = frozenset("a an the of in on at to by for and or but nor as into onto from with over upon after"
                              .split())
"""Words a headline in title case leaves in lower case ("Investigation into Fatal Shooting at Saybrook")."""


def _title_case(line: str) -> bool:
    words = [w for w in WORD_RE.findall(line) if w.lower() not in TITLE_SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _plain_word(m: re.Match[str], named: frozenset[str]) -> str:
    w = m.group()
    return w if w in named or w.isupper() or not w.isascii() else w.lower()


@lru_cache(maxsize=4)  # the text is asked for by itself, then again with the title (`entities.main_entity`)
def _plain_text(text: str) -> tuple[str, frozenset[str]]:
    """`text` with its headlines in title case lowered except for names, and the names it writes (see below)."""
    lines = text.split("\n")
    heads = {i for i, line in enumerate(lines) if _title_case(line)}
    body = "\n".join(line for i, line in enumerate(lines) if i not in heads)
    named = named_inside(body)
    named |= name_openers(body, named)

    def word(m: re.Match[str]) -> str:
        return _plain_word(m, named)

    if heads:
        text = "\n".join(WORD_RE.sub(word, line) if i in heads else line for i, line in enumerate(lines))
    return text, named


def plain_headlines(text: str, title: str = "") -> tuple[str, str]:
    """`text` and `title` with their headlines in title case ("Man Killed In Sylvester Shooting") lowered
    except for names ("man killed in Sylvester shooting"): a name keeps its capital in the middle of the
    article's other sentences, a headline's common word does not. A title's lone first capital is lowered
    when the article writes it in lower case or not at all. The text keeps its length (offsets hold)."""
    title = _headline(title)
    text, named = _plain_text(text)

    def word(m: re.Match[str]) -> str:
        return _plain_word(m, named)

    if _title_case(title):
        return text, WORD_RE.sub(word, title)
    first = TITLE_FIRST_WORD_RE.match(title)
    if first and (common_word(first.group(1), lowercase_words(text))
                  or first.group(1) not in text):
        # "Teen injured in shooting", "Report 3 on ...": a lone capital that opens the title is a name only if the
        # article says so
        title = title[:first.start(1)] + first.group(1).lower() + title[first.end(1):]
    return text, title
