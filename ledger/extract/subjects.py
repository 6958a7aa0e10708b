"""What a count counts: the head noun after the figure ("4,000 foreign volunteers" -> "volunteers"),
after "of" ("three of the victims"), or before "of N" ("a crew of 25")."""

from __future__ import annotations

import re

from ledger.extract.letters import LETTER, LOWER

WORD_RE = re.compile(rf"[ \t]*([{LETTER}][{LETTER}'’]*(?:-[{LETTER}0-9]+)*)")
TOKEN_RE = re.compile(rf"[ \t]*([{LETTER}][{LETTER}'’]*(?:-[{LETTER}0-9]+)*(?:\.(?:[{LETTER}]\.)+)?|\d+(?=[ \t]+[{LOWER}]))")
"""A word of a counted noun phrase; also "U.S." and a number inside a name ("5,000 U.S. troops", "MS 13 members")."""
OF_RE = re.compile(r"[ \t]+of[ \t]+(?:(?:the|his|her|its|their|our|your|my|those|these)[ \t]+)?")
BEFORE_OF_RE = re.compile(r"\b(?:[Aa]n?|[Tt]he)[ \t]+(?:[a-z]+[ \t]+)?(?P<noun>[a-z]+)[ \t]+of[ \t]+$")

STOP = frozenset("""
the a an of in on at to from for with by into onto over under about after before during since until per via than as
like near across through among against without within between behind beyond around inside outside toward towards
upon off up down out and or but nor so yet because while when where whereas if although though that which who whom
whose what whether he she it they we you i his her its their our your my this these those them him us me there here
is are was were be been being am has have had having do does did done will would shall should can could may might must
said says say saying told tell tells reported reports according also not no only just now then today yesterday
tomorrow tonight ago later earlier old each apiece total last next including included include includes more less
fewer most least percent per cent time again even still already ever never all both either neither every
other another such some any many much several few own same very too quite rather almost nearly about around
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
shot hit hurt died die dies left fled got made took won lost came went ran fought struck held met saw gave found
became began remain remained remains live lived lives work worked need needed want wanted face faced get gets
go goes come comes make makes take takes see seen set put let run runs keep kept
dead alive missing unharmed critical stable serious responsible guilty free safe fatal inside outside away home
together overall aboard apiece total ages
""".split())
"""Words that end a noun phrase, or cannot head one."""

NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred thousand million billion dozen""".split())
LEADING = frozenset("more other additional extra new fewer further most least".split())
"""Words that may stand between the figure and the noun ("10 more people") without being the noun."""

IRREGULAR_PLURALS = {
    "people": "person", "men": "man", "women": "woman", "children": "child", "police": "police",
    "staff": "staff", "personnel": "personnel", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "geese": "goose", "cattle": "cattle", "sheep": "sheep", "deer": "deer", "fish": "fish", "aircraft": "aircraft",
    "crew": "crew", "troops": "troop", "data": "data", "media": "media", "criteria": "criterion",
    "alumni": "alumnus", "series": "series", "species": "species", "news": "news",
}
NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ous")


def is_plural(word: str) -> bool:
    lower = word.lower()
    if lower.endswith(("'s", "’s")):
        return False  # "the city's": a possessive, whose noun follows
    if lower in IRREGULAR_PLURALS:
        return lower not in ("news", "series", "species", "staff", "crew", "police", "personnel", "data", "media")
    return lower.endswith("s") and not lower.endswith(NOT_PLURAL_ENDINGS) and len(lower) > 2


def lemma(word: str) -> str:
    """Singular lower case: "contractors" -> "contractor", "people" -> "person", "casualties" -> "casualty"."""
    lower = word.lower().replace("’", "'")
    if lower in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[lower]
    if lower.endswith("men") and len(lower) > 4:
        return lower[:-3] + "man"
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("ches", "shes", "xes", "sses", "zes")):
        return lower[:-2]
    if lower.endswith("ves") and lower[:-3] in ("li", "wi", "kni", "hal", "shel", "thie", "wol", "loa"):
        return lower[:-3] + ("fe" if lower[:-3] in ("li", "wi", "kni") else "f")
    if lower.endswith("s") and not lower.endswith(NOT_PLURAL_ENDINGS):
        return lower[:-1]
    return lower


def _verb_like(word: str) -> bool:
    lower = word.lower()
    return (lower.endswith("ing") or lower.endswith("ly") or (lower.endswith("ed") and not lower.endswith("eed"))
            or lower in STOP)


def subject_after(text: str, pos: int, plural: bool = True) -> tuple[str, str, int] | None:
    """(head noun, its phrase, end) of the noun phrase starting at `pos`; None when none follows."""
    tokens: list[tuple[str, int, int]] = []
    limit = min(len(text), pos + 80)
    while len(tokens) < 5:
        match = TOKEN_RE.match(text, pos, limit)
        if match is None:
            break
        word = match.group(1)
        if (word[0].isdigit() and not tokens) or word.lower() in NUMBER_WORDS:
            break  # "2 satoshis one day": another figure starts
        if word.lower() in STOP and not (not tokens and word.lower() in LEADING):
            break
        tokens.append((word, match.start(1), match.end(1)))
        pos = match.end()
        if pos < limit and text[pos] not in " \t":
            break
    while tokens and tokens[0][0].lower() in LEADING:
        tokens.pop(0)
    while tokens and tokens[-1][0][0].isdigit():
        tokens.pop()  # "one child 13 or younger": the number after the noun is no part of it
    if not tokens:
        return None
    head_index = None
    if plural:
        for i, (word, _, _) in enumerate(tokens):
            if _verb_like(word) and i:
                break
            if is_plural(word) or word.lower() in IRREGULAR_PLURALS:
                head_index = i
    if head_index is None:
        if len(tokens) > 1 and _verb_like(tokens[0][0]):
            return None  # "three injured late Sunday": the count is of those injured, "late" counts nothing
        head_index = len(tokens) - 1
        while head_index > 0 and _verb_like(tokens[head_index][0]):
            head_index -= 1
    head, start, end = tokens[head_index]
    if head[0].isdigit() or "." in head or head.lower().endswith(("'s", "’s")):
        return None
    capitalised_ok = (head.isupper() and text[max(0, pos - 40):pos].isupper()) or (
        head_index == 0 and (is_plural(head) or head.lower() in IRREGULAR_PLURALS))
    if _verb_like(head) or (head[0].isupper() and not capitalised_ok):
        return None  # a name ("Carlos Cervantes"), not what is counted; "5 Americans" and headlines keep theirs
    if FORECAST_BY_RE.match(text, end):
        return None  # "fewer than the 240,000 economists had expected": the economists expected, they are not counted
    phrase = text[tokens[0][1]:end]
    return head, phrase, end


FORECAST_BY_RE = re.compile(r"[ \t]+(?:(?:had|have|has)[ \t]+)?(?:expected|forecast|forecasted|predicted|projected"
                            r"|anticipated|estimated)(?=[ \t]*(?:[,.;:)]|$)|[ \t]+(?:for|in|on|at|before|and|but)\b)")


def subject_after_of(text: str, pos: int) -> tuple[str, str, int] | None:
    """The subject in "three of the victims" (call with `pos` right after "three")."""
    match = OF_RE.match(text, pos)
    if match is None:
        return None
    return subject_after(text, match.end())


BEFORE_OF_EXCLUDED = frozenset("""
total maximum minimum average sum high low peak record value worth cost price fine rate toll increase decrease rise
fall drop loss gain age height length weight distance depth speed temperature score margin budget salary bail bond
ransom reward number amount count tally majority minority handful half part percentage share lot
""".split())


def subject_before_of(text: str, start: int) -> str | None:
    """The noun in "a crew of 25" (call with `start` where the figure or its qualifier begins)."""
    match = BEFORE_OF_RE.search(text, max(0, start - 40), start)
    if match is None or match.group("noun") in BEFORE_OF_EXCLUDED or match.group("noun") in STOP:
        return None
    return match.group("noun")


BEFORE_VERB_RE = re.compile(r"(?:^|[.!?;:][\"”’]?[ \t]+|\n|\b(?i:the|its|their|total|new|daily|weekly)[ \t]+)"
                            r"(?P<noun>[A-Za-z][a-z]+s)[ \t]+(?:have[ \t]+|had[ \t]+)?(?:rose|risen|fell|fallen|climbed"
                            r"|jumped|dropped|increased|decreased|declined|grew|grown|reached|hit|topped|totall?ed"
                            r"|stood|stand|stands|soared|surged|plunged|doubled|tripled)"
                            r"(?:[ \t]+(?:to|at|by))?[ \t]+(?:(?:about|around|nearly|almost|more[ \t]+than|some|roughly"
                            r"|over|just[ \t]+over|just[ \t]+under)[ \t]+)?$")
"""A plural noun before a verb of level or change, opening the clause: "Cases rose to 1,234", "Deaths climbed to 45"."""


def subject_before_verb(text: str, start: int) -> str | None:
    """The counted noun in "Cases rose to 1,234" (call with `start` where the figure or its qualifier begins)."""
    match = BEFORE_VERB_RE.search(text, max(0, start - 60), start)
    if match is None:
        return None
    noun = match.group("noun")
    if noun.lower() in STOP or not is_plural(noun):
        return None
    return noun.lower() if noun[0].isupper() and noun[1:].islower() else noun
