"""Who a figure is about, what it counts (canonically) and when it holds.

`annotate(article, facts, aliases)` returns the facts with three things filled in, so that the built-in
cross-article check (`auto.agreement`) only compares like with like:

- `entity`: the named subject of the figure's sentence ("Wagner", "North Korea"): the nearest proper name
  before the figure that is not a person quoted as a source and not the object of a preposition ("in
  Ukraine"); else such a name after the figure in the same sentence; else the article's main entity (the
  name its title and text mention most). A toll (a count of the killed, hurt or shot) with no name before it
  goes under the place it happened: a place its sentence names after "in" (not a state), else the article's
  dateline city. Names go through the `entities` aliases to their canonical form.
- `lemma`: the subject's singular lower-case form ("inmates" -> "inmate"), when the extractor left it empty.
- `as_of`: the date the figure holds for, resolved against the article's `published` date ("last month"
  in an article of 2022-12-22 is 2022-11-01, tagged `as_of:month`). Without a stated time, the publication
  date (tagged `as_of:published`).

Tags added where the sentence says so: `forecast` ("will", "expected to", "by 2030"), `denial` ("denied"),
`cumulative` ("so far", "to date", "since 2014", "in total", a death toll), `as_of:day|month|quarter|year|published`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from datetime import date, timedelta
from typing import AbstractSet, Any, Callable, Iterable, Mapping

from ledger.extract.letters import LETTER, LOWER, UPPER, fold
from ledger.extract.names import (MEDIA_RE, common_word, is_state, lowercase_words, named_inside, not_a_name,
                                  plain_headlines)
from ledger.extract.numbers import trie
from ledger.model import Article, Fact

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
DAY_NAMES_BEFORE = frozenset("good black cyber holy ash palm fat super giving small".split())
"""Words that make a weekday part of a name ("Black Friday", "Super Tuesday")."""

NAME_WORD = (r"(?:[{U}][{L}]*[{U}][{UL}]+|[{U}][{L}]+(?:[-'’][{UL}]+)*|[{U}]{{2,}}|[{U}]\.(?:[{U}]\.)+)"
             .format(U=UPPER, L=LOWER, UL=LETTER))
"""One capitalised word; "McManus" and "DeSantis" are tried whole before "Mc" and "De" alone."""
NAME_RE = re.compile(
    rf"(?=[{UPPER}\d])(?<![\w’'])(?:{NAME_WORD}\.?|\d+(?:st|nd|rd|th)(?=[ \t]+[{UPPER}]))(?:[ \t]+(?:(?:of|de|the|for|al|bin|van|von|du|la|&)[ \t]+)?"
    rf"(?:{NAME_WORD}|\d+(?:st|nd|rd|th)(?=[ \t]+[{UPPER}])))*"
)
"""A run of capitalised words ("North Korea", "Bank of England", "U.N. Security Council", "West 105th Street"). Its
first character is tested first: most offsets fail there at once."""

MAX_NAME_WORDS = 8
"""Longer runs of capitalised words ("Harrison County Prosecuting Attorney Joe Shaffer" has 6) are no name."""
NOT_NAMES = frozenset("""
the a an in on at to of for and or but by as if it its he she they we i you his her their our this that these those
there here then when while after before since until though although because with without from into during
about over under more less some many most several few all both each every no not one two three four five six
seven eight nine ten however meanwhile also yet still so thus last next this earlier later mr mrs ms dr
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
officials official authorities police government residents rescuers according under nearly almost roughly around just only
another other others any such even nor upon between among amid amidst despite across against within through
throughout toward towards via per like unlike including what which who whom whose where why how whether once unless
whereas image photo video caption file
update updated breaking developing related previous coverage watch posted advertisement buy
suv cd dvd tv atm dna gps icu er cpr dui am pm edt est cdt cst mdt mst pdt pst
someone anyone everyone nobody somebody anybody everybody none ems
""".split())
"""Capitalised words that do not start (or alone make) a name."""

PLACE_MODIFIERS = frozenset("""
north south east west northeast northwest southeast southwest downtown uptown midtown greater metro central upper
lower inner new old fort ft port lake mount mt st saint san santa los las el la le des del little big great grand
""".split())
"""First words of place names that end in another place's name ("Northwest Baltimore", "Fort Worth")."""

TITLE_WORDS = frozenset("""
mr mrs ms dr prof gen col lt capt sgt president vice prime minister secretary senator sen rep gov governor mayor
chancellor king queen prince princess pope judge justice spokesman spokeswoman spokesperson chief director
ambassador commissioner sheriff officer detective minister chairman chairwoman ceo founder
""".split())

DATELINE_RE = re.compile(rf"[ \t\n]*[{UPPER}][{UPPER} .'-]{{2,}},[ \t]*(?P<state>[{UPPER}][{LETTER}.]+(?:[ \t][{UPPER}][{LOWER}.]+)?)"
                         r"[ \t]*(?:\([A-Za-z0-9 ]+\))?[ \t]*[—–-]{1,2}")
"""A news dateline that names a state or country after the city ("LOWELL, Mass. —", "MONCKS CORNER, S.C. (WCIV) --")."""
DATELINE_BODY = (rf"(?P<city>[{UPPER}][{UPPER}.'-]+(?:[ \t][{UPPER}][{UPPER}.'-]+){{0,3}})[ \t]*"
                 rf"(?:,[ \t]*[{UPPER}][{LETTER}.]+(?:[ \t][{UPPER}][{LOWER}.]+)?[ \t]*)?(?:\([^)\n]{{1,30}}\)[ \t]*)?"
                 r"(?:[—–]|--?[ \t])")
"""A dateline in capitals: its city, then perhaps a state and a credit ("LOWELL, Mass. --", "ATLANTA (AP) —")."""
OPENING_DATELINE_RE = re.compile(r"[ \t\n]*" + DATELINE_BODY)
"""An article opening on a dateline in capitals ("STOCKTON —", "ATLANTA (AP) —", "LOWELL, Mass. --")."""
PERSON_AFTER_RE = re.compile(
    r"^(?:[’']s)?[ \t]*(?:,[ \t]*(?:a|an|the|who|whose)\b|\(?[ \t]*(?:said|says|told|added|warned|wrote|noted|"
    r"explained|argued|stated|claimed|insisted|tweeted|announced)\b)")
# A lookahead "(?=[...])" opening a case-blind word list names the words' first letters: searched at every offset,
# the regex then fails at once where no word can start, instead of trying each word (a third to a fifth the time)
SOURCE_BEFORE_RE = re.compile(r"(?i:(?=[astb])(?:according[ \t]+to|(?P<said>said|says)|told|by|spokesman|spokeswoman)[ \t]+"
                              r"(?P<the>the[ \t]+)?)$")
SOURCE_ENDS_RE = re.compile(
    r"(?:[ \t]+[a-z]+)?(?:[ \t]*(?:[,.;:!?\"”’)\]\n]|$)|[ \t]+(?:[A-Z]|(?:in|on|at|during|late|early|earlier|last|this"
    r"|today|yesterday|tonight|and|of|for|from|via|after|before|when|while|as)\b))")
"""After a name that follows "said the": the clause ends, so the name is who said it ("…, said the ministry on
Monday"); a verb instead makes the name the subject of what was said ("Officials said the Wagner group spends"). A
name after "said" without "the" stays a source: it is most often a person's ("Officials said Woodson was")."""
SAID_AFTER_RE = re.compile(r"[ \t]+(?:said|says|told|added|wrote|reported)\b")
AGE_BEFORE_RE = re.compile(r"(?i:\b\d{1,3}[- ](?:years?|yrs?)[- ]old,?[ \t]+)$")
AGE_AFTER_RE = re.compile(r"^,[ \t]*\d{1,3}[ \t]*(?:,|\.|;|$)|^[ \t]*\(\d{1,3}\)")
"""An age beside a name ("25-year-old Dana Lee", "Lee, 25, was shot"): a person."""
PERSON_NOUN_AFTER_RE = re.compile(r"[ \t]+(?:girl|boy|man|woman|men|women|teen|teenager|toddler|child|infant|baby"
                                  r"|resident|native|student|mother|father|mom|dad|son|daughter)s?\b")
"""After an age and a name, a person noun makes the name a place ("a 23-year-old Kenosha man")."""


def _words(words: list[str]) -> str:
    """An alternation of `words` for a regex searched at every offset: a lookahead for their first letters,
    then the words factored on common prefixes (`numbers.trie`). Before every name, the flat alternations
    cost 4 to 11 µs a search, tried word by word at each of the 40 places."""
    return f"(?=[{''.join(sorted({w[0] for w in words}))}])(?:{trie(words)})"


PREPOSITION_BEFORE_RE = re.compile(r"(?i:\b" + _words("""in at from into to across near of on outside inside
    throughout within toward towards via against with for over around between among through than""".split())
                                   + r"[ \t]+(?:the[ \t]+)?)$")
OWNED_BEFORE_RE = re.compile(r"(?i:\b" + _words("""share shares stock stocks stake revenue revenues sales profit profits
    earnings income value valuation debt budget assets output exports imports population economy deficit""".split())
                             + r"[ \t]+of[ \t]+(?:the[ \t]+)?)$")
"""'of' after what someone has: "Shares of Nvidia jumped 16%" is about Nvidia, not about a place it is in."""

DEMONYM_RE = re.compile(
    r"(?:ish|ian|ese|ean)$|^(?:Greek|Thai|Swiss|Dutch|Czech|French|Welsh|Israeli|Iraqi|Pakistani|Saudi|Kuwaiti|Yemeni"
    r"|Bangladeshi|Somali|Omani|Qatari|Emirati|Azerbaijani|Nepali|Afghan|Arab|Arabic|Hispanic|Icelandic|Slavic|Baltic"
    r"|Nordic|Celtic|Islamic|Catholic|Kurdish|Filipino|Congolese|Cypriot|Maltese)$")
"""A nationality ("British officials"); places that merely end alike ("Miami police", "Munich prosecutors") are names."""
PLACE_PREFIXES = frozenset("port city town county state republic kingdom province district village island islands borough"
                           .split())
""""Port of Valmont" is Valmont: the kind of place is not part of its name."""
GENERIC_SUFFIXES = frozenset("group inc corp corporation company co ltd llc plc limited holdings sa ag".split())
ORGANIZATION_NOUNS = frozenset("""
hospital police university college school council ministry department authority board trust bank party army navy
agency commission committee court institute service services union association federation foundation league office
bureau administration transit railway railways airline airlines airport port network mining steelworks guard
fund society church clinic center centre museum parliament assembly senate congress cabinet government
""".split()) | GENERIC_SUFFIXES
"""A name ending in one of these ("Kelby Hospital said") is an organization, not a person quoted."""

FORECAST_RE = re.compile(
    r"(?i:\b(?=[wepfatcminb'])(?:will|would|'ll|expects?|expected|expecting|projected|projects?|projection|forecasts?|forecast(?:ed|ing)"
    r"|predicts?|predicted|plans?[ \t]+to|planned|planning|aims?[ \t]+to|targets?|could|might|may[ \t]+(?:reach|rise|"
    r"fall|cost|need)|is[ \t]+set[ \t]+to|are[ \t]+set[ \t]+to|next[ \t]+(?:year|month|week|decade)|by[ \t]+20[3-9]\d"
    r"|coming[ \t]+(?:years?|months?)|proposed|proposes?|budgeted[ \t]+for[ \t]+next)\b)")
DENIAL_RE = re.compile(r"(?i:\b(?=[drfung])(?:denied|denies|deny|denying|dismissed|rejected|rejects|disputed|disputes|refuted"
                       r"|false|untrue|not[ \t]+true|gossip|fabricat\w*)\b)")
CUMULATIVE_RE = re.compile(
    r"(?i:\b(?=[stiaocdhr])(?:so[ \t]+far|to[ \t]+date|since[ \t]+(?:the|20\d\d|19\d\d|its|it|then|january|february|march|april"
    r"|may|june|july|august|september|october|november|december)|in[ \t]+total|in[ \t]+all|altogether|overall"
    r"|cumulative|death[ \t]+toll|toll|total[ \t]+of|(?:has|have)[ \t]+(?:now[ \t]+)?(?:risen|climbed|reached|grown)"
    r"|rose[ \t]+to|climbed[ \t]+to)\b)")
PERFECT_RE = re.compile(r"(?i:(?=ha[sv])(?<!\bmay\b[ \t])(?<!\bmust\b[ \t])(?<!\bmight\b[ \t])(?<!\bcould\b[ \t])(?<!\bwould\b[ \t])"
                        r"(?<!\bshould\b[ \t])\b(?:has|have)[ \t]+(?:now[ \t]+|already[ \t]+|so[ \t]+far[ \t]+)?"
                        r"(?!been[ \t]+(?:now[ \t]+)?(?:shot|killed|injured|wounded|hurt|treated|hospitali[sz]ed|taken"
                        r"|transported|found|pronounced)\b)(?:been[ \t]+)?[a-z]+(?:ed|en|wn|ht)\b)")
"""Present perfect in the figure's own clause ("has recruited 40,000"): a total so far. Not "may have been", a
guess, nor "four people have been shot", which tells an event's toll as "four people were shot" does (a
sentence saying "so far" or "since" still marks a total)."""
CLAUSE_WORD_RE = re.compile(r"(?i:\b(?=[twab])(?:that|which|who|whom|whose|where|when|after|before|because|while|although"
                            r"|though|whereas)\b)")
"""Where a relative or subordinate clause starts: its verb is not the figure's ("An arrest has been made in the
shooting that wounded four")."""
AND_RE = re.compile(r"(?i:\b(?=[aob])(?:and|or|but)\b)")
"""Between two figures, where the second one's own words start."""
EXPLICIT_DATE_RE = re.compile(
    r"(?i:\b(?=[jfmasond])(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:[ \t]+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?"
    r"(?:,?[ \t]+(?P<year>(?:19|20)\d\d))?\b)")
YEAR_RE = re.compile(r"(?<![\d,.$£€])\b(?P<year>(?:19|20)\d\d)\b(?![\d%]|,\d|[ \t]*(?:people|percent|per))")
OTHER_TIME_BEFORE_RE = re.compile(r"(?i:\b(?=[sftbuaw])(?:since|from|than|by|until|before|after|with|than[ \t]+in|from[ \t]+in)"
                                  r"[ \t]+)$")
""""since 2014", "since February 2022", "by 2027", "than in 2019": a start, a deadline or another figure's time."""
START_BEFORE_RE = re.compile(r"(?i:\b(?=[sfubat])(?:since|from|until|before|after|than|than[ \t]+in)[ \t]+)$")
"""Before a date, a start or an end ("since February 2022"); "by March 2023" still says when a total stood."""
MONTH_DAY_BEFORE_RE = re.compile(rf"(?i:\b(?=[jfmasond])(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?"
                                 r"(?:[ \t]+\d{1,2},?)?[ \t]+)$")
AGO_RE = re.compile(r"(?i:\b(?=[aotfsen\d])(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})[ \t]+"
                    r"(?P<unit>year|month|week|day)s?[ \t]+(?:ago|earlier|before)\b)")
"""A time counted back from the publication date: "two years ago", "a year earlier" (taken back from the
publication date too: the period it is earlier than is usually the article's own). Read in a figure's own
clause, or opening its sentence."""
AGO_BASE_RE = re.compile(r"(?i:\b(?=[ftsovw])(?:from|than|since|over|versus|vs\.?|with)[ \t]+)$")
AGO_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10}
QUARTER_RE = re.compile(r"(?i:\b(?=[fst1-4q])(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[ \t-]+quarter|Q(?P<q>[1-4]))"
                        r"(?:[ \t]+(?:of[ \t]+)?(?:(?:fiscal|FY)[ \t]*)?(?P<year>(?:19|20)\d\d))?\b)")
"""A quarter ("the fourth quarter of 2023", "Q3", "second-quarter"): without a year, the latest one begun by
the publication date."""
QUARTERS = {**dict.fromkeys(("first", "1st", "1"), 0), **dict.fromkeys(("second", "2nd", "2"), 1),
            **dict.fromkeys(("third", "3rd", "3"), 2), **dict.fromkeys(("fourth", "4th", "4"), 3)}
RELATIVE_RE = re.compile(
    r"(?i:(?=[ltnpyo])(?:\b(?P<rel>last|this|next|past|previous|prior)[ \t]+(?P<unit>week|month|year|quarter)\b"
    r"|\b(?P<day>yesterday|today)\b"
    r"|\b(?:on|last)[ \t]+(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b))")


def aliases_table(aliases: Any, key: str) -> dict[str, list[str]]:
    """`aliases` as the rules engine defines it (an object with .subjects/.entities) or a plain mapping."""
    if aliases is None:
        return {}
    if isinstance(aliases, Mapping) and any(k not in ("subjects", "entities") for k in aliases):
        # a flat {inmate: [prisoner, convict]} table is subject aliases (as rule files read it)
        flat = {k: v for k, v in aliases.items() if k not in ("subjects", "entities")}
        aliases = {"entities": aliases.get("entities") or {}, "subjects": {**flat, **(aliases.get("subjects") or {})}}
    table = aliases.get(key) if isinstance(aliases, Mapping) else getattr(aliases, key, None)
    if not table:
        return {}
    return {str(k): [str(x) for x in (v if isinstance(v, (list, tuple)) else [v])] for k, v in table.items()}


@lru_cache(maxsize=65536)  # the same few names come up for figure after figure
def normal_name(name: str) -> str:
    """A comparable form of a name: lower case, no leading "the", no possessive, no "Group"/"Inc" suffix."""
    text = " ".join(name.replace("’", "'").split()).strip(" .,")
    text = re.sub(r"'s$|'$", "", text)
    words = text.lower().split()
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    while len(words) > 1 and (words[-1].rstrip(".") in GENERIC_SUFFIXES or words[-1] in JOINERS):
        words.pop()  # "JPMorgan Chase & Co.": the suffix, then the joiner it leaves
    if len(words) > 2 and words[0] in PLACE_PREFIXES and words[1] == "of":
        words = words[2:]
    return " ".join(words)


JOINERS = frozenset("& and of".split())


class EntityNames:
    """Alias groups for names: every synonym maps to its group's canonical name."""

    def __init__(self, aliases: Any = None) -> None:
        self.canonical: dict[str, str] = {}
        for key, values in aliases_table(aliases, "entities").items():
            for word in [key, *values]:
                self.canonical.setdefault(normal_name(word), key)

    def resolve(self, name: str) -> str:
        normal = normal_name(name)
        if normal in self.canonical:
            return self.canonical[normal]
        # "Wagner mercenaries", "Wagner fighters": a known name followed by common nouns
        words = normal.split() if self.canonical else []
        for cut in range(len(words) - 1, 0, -1):
            head = " ".join(words[:cut])
            if head in self.canonical:
                return self.canonical[head]
        return _display(name)


def _display(name: str) -> str:
    text = " ".join(name.replace("’", "'").split()).strip(" .,")
    text = re.sub(r"'s$|'$", "", text)
    words = text.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words.pop(0)
    while len(words) > 1 and (words[-1].lower().rstrip(".") in GENERIC_SUFFIXES or words[-1].lower() in JOINERS):
        words.pop()
    if len(words) > 2 and words[0].lower() in PLACE_PREFIXES and words[1].lower() == "of":
        words = words[2:]
    return " ".join(words)


class Mention:
    __slots__ = ("start", "end", "text", "person", "prepositional", "source", "named_person")

    def __init__(self, start: int, end: int, text: str, person: bool, prepositional: bool, source: bool) -> None:
        self.start, self.end, self.text = start, end, text
        self.person, self.prepositional, self.source = person, prepositional, source
        self.named_person = person
        """A person by how the article names them elsewhere ("Dana Lee ... Lee"): still who a sentence about
        them is about ("Lee won 5,000 votes"), but never what the whole article is about."""


# compiled once, not looked up (or built: the title words' alternation) again for every name
TOKEN_RE = re.compile(r"\S+")
APOSTROPHE_RE = re.compile(r"['’]")
PLURAL_RE = re.compile(r"[^s']s$")
SMALL_LETTER_RE = re.compile(rf"[{LOWER}]")
SMALL_WORD_AFTER_RE = re.compile(rf"[ \t]+[{LOWER}]")
SENTENCE_END_BEFORE_RE = re.compile(r"(?:[.!?][\"”’]?|\n|:[ \t]*)$")
TITLE_BEFORE_RE = re.compile(r"(?i:\b" + _words(sorted(TITLE_WORDS)) + r"\.?[ \t]+)$")
THE_BEFORE_RE = re.compile(r"(?i:\bthe[ \t]+)$")
COMMA_BEFORE_RE = re.compile(r",[ \t]*$")


def _sentence_starts(text: str) -> tuple[int, ...]:
    from ledger.extract.sentences import Sentences

    return Sentences(text).starts


def mentions(text: str, starts: Iterable[int] = (), reference: str | None = None) -> list[Mention]:
    """Proper-name mentions in `text`, each marked as a person, a prepositional object or a source.

    A capitalised word that opens a sentence is a name only when `reference` (the article, by default
    `text`) never writes it in lower case and it does not look like a plural, adverb or participle."""
    sentence_starts = set(starts) | {0}
    reference = text if reference is None else reference
    lower_words = lowercase_words(reference)
    named = named_inside(reference)
    dateline = DATELINE_RE.match(text)
    state = dateline.span("state") if dateline else (-1, -1)
    found: list[Mention] = []
    for match in NAME_RE.finditer(text):
        tokens = [(t.group(), match.start() + t.start(), match.start() + t.end()) for t in TOKEN_RE.finditer(match.group())]
        # drop leading words that do not start names ("The", "In", "Officials") and trailing joiners
        while tokens and (APOSTROPHE_RE.split(tokens[0][0].lower().rstrip("."))[0] in NOT_NAMES
                          or tokens[0][0].lower() in ("of", "and", "&", "for")):
            tokens.pop(0)
        while tokens and tokens[-1][0].lower() in ("of", "and", "&", "the", "for", "de", "al"):
            tokens.pop()
        if len(tokens) > 2 and tokens[1][0] == "of" and tokens[0][1] in sentence_starts \
                and PLURAL_RE.search(tokens[0][0]):
            del tokens[:2]  # "Shares of Nvidia Corp.", "Residents of Ohio": the name is what follows "of"
        if len(tokens) > 1 and tokens[-1][0].lower().rstrip(".") in WEEKDAYS \
                and tokens[-2][0].lower() not in DAY_NAMES_BEFORE:
            tokens.pop()  # "in Rockingham County Saturday": the day says when, not where
        if not tokens:
            continue
        if tokens[-1][0].endswith(".") and SMALL_LETTER_RE.search(tokens[-1][0]):
            tokens[-1] = (tokens[-1][0][:-1], tokens[-1][1], tokens[-1][2] - 1)
        words = [t[0] for t in tokens]
        if len(words) > MAX_NAME_WORDS:
            continue  # a run of capitals this long is a headline or shouting, not a name
        start, end = tokens[0][1], tokens[-1][2]
        if state[0] <= start and end <= state[1]:
            continue  # "LOWELL, Mass. —": the state only places the dateline's city
        phrase = " ".join(words)
        if all(w.lower().rstrip(".") in NOT_NAMES for w in words):
            continue
        if len(words) == 1 and DEMONYM_RE.search(words[0]) and SMALL_WORD_AFTER_RE.match(text[end:end + 3]):
            continue  # "British officials", "Russian prisons": an adjective, not who the figure is about
        if not_a_name(text, start, end, words, lower_words):
            continue
        if all(w.isupper() and w.lower() in lower_words for w in words):
            continue  # "TWO PEOPLE ARE IN": text in capitals, not a name
        # "released.Officers found": sentences glued without a space start a sentence all the same
        at_sentence_start = start in sentence_starts or text[max(0, start - 3):start].strip() in ("“", '"', "‘") \
            or SENTENCE_END_BEFORE_RE.search(text[max(0, start - 4):start]) is not None
        if len(words) == 1 and at_sentence_start and common_word(words[0], lower_words, named):
            continue  # "Rescuers pulled ...": a capitalised common word, not a name
        before = text[max(0, start - 40):start]
        first = words[0].lower().rstrip(".")
        the_before = THE_BEFORE_RE.search(before) is not None
        person = not the_before and (first in TITLE_WORDS or TITLE_BEFORE_RE.search(before) is not None
                  or (PERSON_AFTER_RE.match(text[end:end + 30]) is not None and 2 <= len(words) <= 3
                      and words[-1].lower().rstrip(".") not in ORGANIZATION_NOUNS)
                  or (AGE_BEFORE_RE.search(before) is not None and not PERSON_NOUN_AFTER_RE.match(text[end:end + 14]))
                  or AGE_AFTER_RE.match(text[end:end + 8]) is not None)
        # "…, McManus said." closes a quote: whoever is named there is its source; so is a broadcaster
        source_before = SOURCE_BEFORE_RE.search(before)
        if source_before is not None and source_before.group("said") and source_before.group("the") \
                and not SOURCE_ENDS_RE.match(text, end):
            source_before = None  # "Officials said the Wagner group spends …": Wagner is what it is about
        source = source_before is not None or (
            COMMA_BEFORE_RE.search(before) is not None and SAID_AFTER_RE.match(text[end:end + 20]) is not None) \
            or MEDIA_RE.search(phrase.rstrip(".")) is not None \
            or (text[start - 1:start] == "(" and text[end:end + 1] == ")")
        prepositional = PREPOSITION_BEFORE_RE.search(before) is not None and not OWNED_BEFORE_RE.search(before)
        found.append(Mention(start, end, phrase, person, prepositional, source))
    _surnames_are_people(found, lower_words)
    return found


def _surnames_are_people(found: list[Mention], lower_words: AbstractSet[str]) -> None:
    """A name written whole once and by its last word later ("Dana Lee ... Lee said") is a person's, and so
    is a word of a person's name written alone ("13-year-old Eddie Holmes ... Eddie"): such mentions are
    marked `named_person`."""
    singles = {m.text for m in found if " " not in m.text}
    people: set[str] = set()
    for m in found:
        words = m.text.split()
        if m.person:  # "Sheriff Dana Lee of Kelso": the name, not the title or the place after "of"
            own = words[:next((k for k, w in enumerate(words) if w.islower()), len(words))]
            people.update(w for w in own if w.lower().rstrip(".") not in TITLE_WORDS)
        elif 2 <= len(words) <= 3 and words[-1] in singles and words[0].lower().rstrip(".") not in PLACE_MODIFIERS \
                and words[0].lower() not in lower_words and words[-1].lower() not in ORGANIZATION_NOUNS \
                and not any(w.isupper() and len(w) > 1 for w in words):
            m.named_person = True
            people.add(words[-1])
    for m in found:
        if re.sub(r"['’]s?$", "", m.text) in people:  # "Eddie’s" too
            m.named_person = True


def main_entity(article: Article, names: EntityNames, found: list[Mention] | None = None) -> str | None:
    """The article's main entity: front matter `entity`, else the name mentioned most (title counts double)."""
    declared = article.meta.get("entity") if isinstance(article.meta, dict) else None
    if isinstance(declared, str) and declared.strip():
        return names.resolve(declared)
    if found is None:
        found = mentions(plain_headlines(article.text)[0], _sentence_starts(article.text), reference=article.text)
    people = {m.text for m in found if m.named_person}
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for m in mentions(plain_headlines(article.text, article.title or "")[1], reference=article.text):
        if not m.named_person and not m.source and m.text not in people:
            key = names.resolve(m.text)
            counts[key] += 2
            first_seen.setdefault(key, -1)
    city = OPENING_DATELINE_RE.match(article.text)
    if city and city.group("city").strip().lower() not in NOT_NAMES:
        # "STOCKTON —", "ATLANTA (AP) —": where the story is reported from, as much as the title names it
        key = names.resolve(city.group("city").strip())
        counts[key] += 2
        first_seen.setdefault(key, -1)
    for m in found:
        if m.named_person or m.source:
            continue
        key = names.resolve(m.text)
        counts[key] += 1
        first_seen.setdefault(key, m.start)
    if not counts:
        return None
    # "Rustenhof Platinum" is also a mention of "Rustenhof"
    split = {name: normal_name(name).split() for name in counts}
    by_words: dict[tuple[str, ...], list[str]] = {}
    for name, words in split.items():
        by_words.setdefault(tuple(words), []).append(name)
    for name, words in split.items():  # the names its first words make, looked up, not every pair of names tried
        for k in range(len(words) + 1):
            for other in by_words.get(tuple(words[:k]), ()):
                if other != name:
                    counts[other] += counts[name]
    ranked = sorted(counts, key=lambda k: (-counts[k], first_seen[k]))
    best = ranked[0]
    if counts[best] < 2:
        return None
    return best


HARM_RE = re.compile(r"(?i:\b(?=[kdfiwhs])(?:kill(?:ed|ing|s)?|dead|died|dies|fatally|injur\w*|wound(?:ed|ing|s)?|hurt|shot)\b)")
"""A toll: a count of the killed, hurt or shot."""


PLACE_BEFORE_RE = re.compile(r"(?i:\bin[ \t]+(?:(?:the|a|an|north|south|east|west|northeast|northwest|southeast"
                             r"|southwest|northern|southern|eastern|western|central|suburban|downtown|nearby)[ \t]+)?)$")
"""Before a name, what makes it the place something happened ("in Wilmington", "in a Miami nightclub", "in
southwest Houston")."""
DATELINE_ANYWHERE_RE = re.compile(r"(?:^|\n|[ \t]{2})[ \t]*" + DATELINE_BODY)
"""A dateline in capitals at the start of a line, or after a page's credit lines ("...  NEWTON FALLS, Ohio -")."""
DATELINE_REACH = 400
"""Characters from the start of an article within which a dateline is looked for."""


def dateline_city(text: str) -> str | None:
    """The city an article is datelined from ("LOWELL, Mass. —", "ATLANTA (AP) —"), or None."""
    for match in DATELINE_ANYWHERE_RE.finditer(text, 0, DATELINE_REACH):
        city = match.group("city").strip()
        words = city.lower().replace(".", "").split()
        if words and not all(w in NOT_NAMES for w in words) and not MEDIA_RE.search(city) and len(city) > 2:
            return city
    return None


def toll_place(text: str, start: int, end: int, sentence_start: int, sentence_end: int, found: list[Mention],
               dateline: str | None, named: frozenset[str] = frozenset()) -> str | None:
    """Where the event a toll counts happened: a place its sentence names after "in" (nearest the figure; a
    state is too wide), as a city (`_city`), else the article's dateline city; None when neither says.
    `named`: the article's names and their first words (what `_city` may shorten a name to)."""
    inside = [m for m in found if sentence_start <= m.start and m.end <= sentence_end]
    places = [k for k, m in enumerate(inside) if not m.person and not m.source and not m.named_person
              and not is_state(m.text) and m.text.split()[-1].lower() not in ORGANIZATION_NOUNS
              and PLACE_BEFORE_RE.search(text[max(0, m.start - 40):m.start])]
    if not places:
        return dateline
    k = min(places, key=lambda k: inside[k].start - end if inside[k].start >= end else 2 * (start - inside[k].end))
    place = inside[k]
    if k + 1 < len(inside) and PART_OF_PLACE_RE.match(text[place.end:inside[k + 1].start]) \
            and not is_state(inside[k + 1].text):
        place = inside[k + 1]  # "in the Cherokee Park area of Shreveport": the city
    return _city(place.text, named)


PART_OF_PLACE_RE = re.compile(r"(?:[’']s)?[ \t]+(?:area|section|neighborhood|neighbourhood|part|community|district)"
                              r"[ \t]+of[ \t]+(?:the[ \t]+)?$")
DIRECTION_WORDS = frozenset("""north south east west northeast northwest southeast southwest n s e w ne nw se sw far
downtown uptown midtown""".split())


def _city(name: str, named: frozenset[str]) -> str:
    """The city a part of town is in, when the article names that city by itself too: "Chicago's Uptown" is
    in Chicago, "SW Houston" in Houston (an article that says "South Bend" and never "Bend" keeps its name)."""
    owner = re.split(r"[’']s[ \t]+", name, maxsplit=1)
    if len(owner) == 2:
        return owner[0]
    words = name.split()
    k = 0
    while k < len(words) - 1 and words[k].lower().rstrip(".") in DIRECTION_WORDS:
        k += 1
    rest = " ".join(words[k:])
    return rest if k and rest in named else name


def named_prefixes(found: list[Mention]) -> frozenset[str]:
    """Each name an article uses by itself and the first words of its longer names ("Houston" of "Houston
    Police Department"), leaving out names that open with a part of town ("West Toledo" names no "West")."""
    out = set()
    for m in found:
        words = m.text.split()
        if words[0].lower().rstrip(".") in DIRECTION_WORDS:
            continue
        out.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return frozenset(out)


def entity_for(start: int, end: int, sentence_start: int, sentence_end: int, found: list[Mention],
               names: EntityNames, fallback: str | None, toll: bool = False,
               place: Callable[[], str | None] = lambda: None) -> str | None:
    """The named subject of the figure at text[start:end] (see the module docstring). A `toll` (a count of the
    killed or hurt) is an event's, never a person's: "Dana Lee shot two men" is about where it happened."""
    inside = [m for m in found if m.start >= sentence_start and m.end <= sentence_end
              and not (m.start < end and start < m.end) and not m.person and not m.source
              and not (toll and m.named_person)]
    before = [m for m in inside if m.end <= start and not m.prepositional]
    if before:
        return names.resolve(max(before, key=lambda m: m.end).text)
    where = place() if toll else None
    if where:
        return names.resolve(where)
    after = [m for m in inside if m.start >= end and not m.prepositional]
    if after:
        return names.resolve(min(after, key=lambda m: m.start).text)
    return fallback


def _month_shift(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# Words without which each scan of `_times` finds nothing: tested first as substrings, far cheaper than the
# case-blind scans (most clauses state no time at all)
RELATIVE_CUES = ("day", "week", "month", "year", "quarter")  # "day": today, yesterday, the weekdays
MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
AGO_CUES = ("ago", "earlier", "before")
QUARTER_CUES = ("quarter", "q1", "q2", "q3", "q4")


def _any_in(text: str, words: tuple[str, ...]) -> bool:
    for word in words:  # a loop, not any() over a generator: a third less time
        if word in text:
            return True
    return False


@lru_cache(maxsize=1024)  # the figures of one sentence ask about the same sentence
def _times(text: str, published: date | None, own_clause: bool = False) -> tuple[tuple[int, date, str], ...]:
    """Every time the text states, as (priority, date, granularity); a lower priority wins.

    A stated period (last month, March 2022, 2021) says when a figure holds; a weekday, "yesterday" or
    "today" usually says when it was reported, so it ranks last."""
    found: list[tuple[int, date, str]] = []
    low = fold(text)
    for match in RELATIVE_RE.finditer(text) if _any_in(low, RELATIVE_CUES) else ():
        if published is None:
            break
        if match.group("day"):
            d = published - timedelta(days=1) if match.group("day").lower() == "yesterday" else published
            found.append((3, d, "day"))
        elif match.group("weekday"):
            back = (published.weekday() - WEEKDAYS[fold(match.group("weekday"))]) % 7
            if match.group(0).lower().startswith("last") and back == 0:
                back = 7
            found.append((3, published - timedelta(days=back), "day"))
        else:
            rel, unit = fold(match.group("rel")), fold(match.group("unit"))
            step = {"last": -1, "past": -1, "previous": -1, "prior": -1, "this": 0, "next": 1}[rel]
            if unit == "month":
                found.append((0, _month_shift(published, step), "month"))
            elif unit == "year":
                found.append((0, date(published.year + step, 1, 1), "year"))
            elif unit == "quarter":
                q = (published.month - 1) // 3
                found.append((0, _month_shift(date(published.year, q * 3 + 1, 1), 3 * step), "quarter"))
            else:
                found.append((1, published + timedelta(days=7 * step), "day"))
    for match in EXPLICIT_DATE_RE.finditer(text) if _any_in(low, MONTH_CUES) else ():
        word = fold(match.group("month")).rstrip(".")
        if not text[match.start()].isupper():
            continue
        if word == "may" and not (match.group("day") or match.group("year")):
            continue  # "May" opening a sentence is as often the verb
        month = MONTHS.get(word) or MONTHS.get(word[:3])
        if month is None:
            continue
        year = int(match.group("year")) if match.group("year") else None
        if year is None:
            if published is None:
                continue
            year = published.year if month <= published.month else published.year - 1
        rank = 4 if START_BEFORE_RE.search(text, max(0, match.start() - 16), match.start()) else 1
        if match.group("day"):
            try:
                found.append((rank, date(year, month, int(match.group("day"))), "day"))
                continue
            except ValueError:
                pass
        found.append((rank, date(year, month, 1), "month"))
    for match in AGO_RE.finditer(text) if _any_in(low, AGO_CUES) else ():
        if published is None:
            break
        if not own_clause and text[:match.start()].strip(" \t\"“"):
            continue  # beyond the figure's clause only when it opens the sentence: "Two years ago, the town had"
        if AGO_BASE_RE.search(text, max(0, match.start() - 16), match.start()):
            continue  # "up 5% from a year earlier": the time of what the figure is compared with
        n = fold(match.group("n"))
        count = int(n) if n.isdigit() else AGO_COUNTS[n]
        unit = fold(match.group("unit"))
        if unit == "year":
            found.append((0, date(published.year - count, 1, 1), "year"))
        elif unit == "month":
            found.append((0, _month_shift(published, -count), "month"))
        else:
            found.append((1, published - timedelta(days=count * (7 if unit == "week" else 1)), "day"))
    for match in QUARTER_RE.finditer(text) if _any_in(low, QUARTER_CUES) else ():
        q = QUARTERS[fold(match.group("ord") or match.group("q"))]
        if match.group("year"):
            year = int(match.group("year"))
        elif published is not None:
            year = published.year if q * 3 + 1 <= published.month else published.year - 1
        else:
            continue
        found.append((0, date(year, q * 3 + 1, 1), "quarter"))
    for match in YEAR_RE.finditer(text) if "19" in text or "20" in text else ():
        month = MONTH_DAY_BEFORE_RE.search(text, max(0, match.start() - 20), match.start())
        if month:  # "since February 2022": the date's own word says what the year is
            other = START_BEFORE_RE.search(text, max(0, month.start() - 16), month.start())
        else:
            other = OTHER_TIME_BEFORE_RE.search(text, max(0, match.start() - 16), match.start())
        found.append((4 if other else 2, date(int(match.group("year")), 1, 1), "year"))
    return tuple(found)


def when(sentence: str, published: date | None, clause: str | None = None) -> tuple[date | None, str]:
    """(as-of date, granularity) of a figure, resolved against `published`: a time in the figure's own
    `clause` first, then one in its sentence, else the publication date ("published")."""
    for own, text in ([(True, clause)] if clause else []) + [(not clause, _before_comparison(sentence, clause))]:
        # "two years ago" in the figure's own clause or opening the sentence, not "The company, founded 10 years
        # ago, employs 300"
        found = [t for t in _times(text, published, own) if t[0] < 4]
        if found:
            _, d, grain = min(found, key=lambda t: t[0])
            return d, grain
    return published, "published"


COMPARISON_RE = re.compile(r"(?i:(?=[udrifctv])(?:\b(?:up|down|rising|falling|increased|decreased|from|compared)"
                           r"[ \t]+(?:from|with|to)\b|\bthan\b|\bversus\b|\bvs\.?[ \t]))")


def _before_comparison(sentence: str, clause: str | None) -> str:
    """The sentence up to a comparison that follows the figure's clause: in "3.2 million ballots were cast, up
    from 2.9 million in 2020", 2020 is the time of the figure compared with, not of 3.2 million."""
    at = sentence.find(clause) if clause else -1
    if at < 0:
        return sentence
    tail = COMPARISON_RE.search(sentence, at + len(clause))
    return sentence if tail is None else sentence[:tail.start()]


def clause_of(text: str, start: int, end: int, sentence_start: int, sentence_end: int,
              neighbours: Iterable[tuple[int, int]] = ()) -> str:
    """The figure's own clause: from the previous figure or clause break to the next one."""
    left_limit, right_limit = sentence_start, sentence_end
    for s, e in neighbours:
        if e <= start:
            left_limit = max(left_limit, e)
        elif s >= end:
            right_limit = min(right_limit, s)
    left = text[left_limit:start]
    right = text[end:right_limit]
    left = CLAUSE_WORD_RE.split(BREAK_BEFORE_RE.split(left)[-1])[-1]
    if left_limit > sentence_start:  # after another figure: "2,000 jobs in 2023 and 1,000 jobs in 2024"
        left = AND_RE.split(left)[-1]
    right = _up_to(CLAUSE_WORD_RE, _up_to(BREAK_AFTER_RE, right))
    return left + text[start:end] + right


BREAK_BEFORE_RE = re.compile(r"[;:—(]|,(?!\d{3})")
BREAK_AFTER_RE = re.compile(r"[;:—()]|,(?!\d{3})")


def _up_to(regex: re.Pattern[str], text: str) -> str:
    """`regex.split(text)[0]` without splitting the rest of `text`."""
    match = regex.search(text)
    return text if match is None else text[:match.start()]


def tags_for(sentence: str, clause: str) -> tuple[str, ...]:
    """Marks that keep incomparable figures apart: a forecast (in the figure's own clause), a figure in a
    sentence that denies something, a cumulative total."""
    denial, cumulative = _sentence_marks(sentence)
    tags = []
    if FORECAST_RE.search(clause):
        tags.append("forecast")
    if denial:
        tags.append("denial")
    if cumulative or PERFECT_RE.search(clause):
        tags.append("cumulative")
    return tuple(tags)


SUPERLATIVE_BEFORE_RE = re.compile(
    r"(?i:\b(?:highest|lowest|biggest|largest|smallest|greatest|fastest|slowest|sharpest|steepest|strongest|weakest"
    r"|deepest|longest|shortest|best|worst|most|least|fewest|deadliest|busiest|hottest|coldest|warmest|wettest"
    r"|driest|cheapest|first|level)\b[^.;!?]{0,30}$)")
"""Before "since": a comparison ("the lowest since March 2021", "the first time since 1990"), not a total so far."""


@lru_cache(maxsize=1024)  # the figures of one sentence ask about the same sentence
def _sentence_marks(sentence: str) -> tuple[bool, bool]:
    """(denies something, states a cumulative total)."""
    cumulative = any(not (m.group(0).lower().startswith("since")
                          and SUPERLATIVE_BEFORE_RE.search(sentence, max(0, m.start() - 40), m.start()))
                     for m in CUMULATIVE_RE.finditer(sentence))
    return DENIAL_RE.search(sentence) is not None, cumulative


def _lemma(word: str | None) -> str | None:
    if not word:
        return None
    try:
        from ledger.extract.subjects import lemma
    except ImportError:  # pragma: no cover - the extractor ships it
        return word.lower()
    return lemma(word.split()[-1])


WINDOW = 400
"""Characters either side of a figure that count as its sentence when the sentence is longer."""


def annotate(article: Article, facts: list[Fact], aliases: Any = None) -> list[Fact]:
    """The facts of one article with `entity`, `lemma`, `as_of` and tags filled in (see the module docstring).

    Values the extractor already set are kept; tags are added to the fact's own."""
    from ledger.extract.sentences import Sentences

    text = article.text
    sentences = Sentences(text)
    found = mentions(plain_headlines(text)[0], sentences.starts, reference=text)
    names = EntityNames(aliases)
    fallback = main_entity(article, names, found)
    dateline = dateline_city(text)
    named = named_prefixes(found)
    out: list[Fact] = []
    import bisect

    mention_starts = [m.start for m in found]
    own = sorted((f.start, f.end, f.id) for f in facts if f.article == article.id)
    own_starts = [o[0] for o in own]
    for fact in facts:
        if fact.article != article.id:
            out.append(fact)
            continue
        i = bisect.bisect_right(sentences.starts, fact.start) - 1
        # A sentence is cut to a window around the figure, so a 100,000-word "sentence" stays linear.
        s_start = max(sentences.starts[max(i, 0)], fact.start - WINDOW)
        s_end = min(sentences.starts[i + 1] if i + 1 < len(sentences.starts) else len(text), fact.end + WINDOW)
        sentence = text[s_start:s_end]
        nearby = found[bisect.bisect_left(mention_starts, s_start):bisect.bisect_right(mention_starts, s_end)]
        update: dict[str, Any] = {}
        lo, hi = bisect.bisect_left(own_starts, s_start), bisect.bisect_right(own_starts, s_end)
        neighbours = [(a, b) for a, b, fid in own[lo:hi] if fid != fact.id]
        clause = clause_of(text, fact.start, fact.end, s_start, s_end, neighbours)
        if fact.entity is None:
            toll = fact.unit is None and HARM_RE.search(clause) is not None
            entity = entity_for(fact.start, fact.end, s_start, s_end, nearby, names, fallback, toll,
                                place=lambda: toll_place(text, fact.start, fact.end, s_start, s_end, nearby, dateline,
                                                         named))
            if entity is not None:
                update["entity"] = entity
        else:
            update["entity"] = names.resolve(fact.entity)
        if fact.lemma is None and fact.subject:
            update["lemma"] = _lemma(fact.subject)
        as_of, grain = when(sentence, article.published, clause)
        if fact.as_of is None and as_of is not None:
            update["as_of"] = as_of
        new_tags = [t for t in (*tags_for(sentence, clause), f"as_of:{grain}") if t not in fact.tags]
        if new_tags:
            update["tags"] = (*fact.tags, *new_tags)
        out.append(fact.model_copy(update=update) if update else fact)
    return out


__all__ = ["EntityNames", "aliases_table", "annotate", "main_entity", "mentions", "normal_name", "when"]
