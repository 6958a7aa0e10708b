"""What a figure's own clause says, for comparing figures across articles (`ledger.checks.auto`): its
content words, the places it is limited to, and whether it counts only a part. These depend on nothing but
the article, so the extraction worker works them out once and the store keeps them (`clause_record`); this
module lives under `ledger.extract` so that changing it re-extracts, like any extractor change."""

from __future__ import annotations

import functools
import re

from ledger.extract.entities import normal_name
from ledger.extract.letters import LETTER, UPPER
from ledger.model import Fact

STOP = frozenset("""
a an the of in on at to from for with by into onto over under about after before during since until per via than
as like near across through among against without within between and or but nor so yet because while when where
if although though that which who whom whose what whether he she it they we you i his her its their our your my
this these those them him us me there here is are was were be been being am has have had having do does did
will would shall should can could may might must said says say saying told tell tells according also not no only
just now then today yesterday week month year day years months weeks days last next more less most least some
any many much several each other another such very too million billion trillion thousand hundred dollars
dollar euros euro pounds percent per cent cents around roughly nearly almost approximately estimated an
total overall official officials figure figures number numbers new up out s t one two three four five six seven
eight nine ten least far still even already reported report reports statement data people person
city company country state government group region area nation firm its their new year's
""".split())
SYNONYMS = {
    "kill": "die", "die": "die", "dead": "die", "death": "die", "toll": "die", "fatality": "die", "life": "die",
    "spend": "spend", "spent": "spend", "cost": "spend", "expenditure": "spend",
    "injure": "injure", "injur": "injure", "wound": "injure", "hurt": "injure", "injury": "injure",
    "died": "die", "dies": "die", "fatally": "die",
    "employ": "employ", "employee": "employ", "workforce": "employ", "staff": "employ", "worker": "employ",
    "fight": "fight", "fighter": "fight", "combat": "fight",
    "evacuate": "evacuate", "evacuation": "evacuate", "displace": "evacuate", "flee": "evacuate", "fled": "evacuate",
    "earn": "earn", "revenue": "earn", "sale": "earn", "income": "earn",
    "vote": "vote", "ballot": "vote", "voter": "vote",
    "budget": "budget", "allocate": "budget", "allocation": "budget",
}
WORD_SYNONYMS = {"shots": "gunfire", "gunshots": "gunfire", "gunshot": "gunfire", "gunfire": "gunfire"}
""" "Six shots were fired" counts shots, "six people were shot" people hit: the words are told apart before
stemming would make both "shot"."""
# A lookahead for the first characters opens the patterns split or searched at every offset: most offsets then fail
# on one test, not on each alternative in turn (a CLAUSE_STOP split of 160 characters 9.3 -> 4.8 µs)
CLAUSE_STOP = re.compile(r"(?=[;:—()\[\]\"“”,sawb])(?:[;:—()\[\]\"“”]|,(?!\d{3})|\b(?:said|says|according|while|whereas"
                         r"|but)\b)")


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w)
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4 and w not in SYNONYMS:
        w = w[:-1]
    return w


WORD_RE = re.compile(rf"[{LETTER}][{LETTER}'’-]*")


@functools.lru_cache(maxsize=4096)
def key_words(text: str) -> frozenset[str]:
    """Content words of a stretch of text, stemmed (the short stretches between figures recur often)."""
    words = WORD_RE.findall(NOT_HARM_RE.sub(_not_harm, text) if NOT_HARM_CUE.search(text) else text)
    kept = [w for w in words if w[0].islower()]  # names say who, not what...
    if text[:1].isascii() and text[:1].isupper():
        kept.append(words[0])  # ...but a capital that opens the text may just start a sentence
    return frozenset(map(_key_word, kept)) - {None}


NOT_HARM_CUE = re.compile(r"(?i:life|injur|wound)")
NOT_HARM_RE = re.compile(r"(?i:(?<![\w-])(?P<life>life)[ \t]+threaten|\b(?:died|dies|die)[ \t]+(?:from|of)[ \t]+"
                         r"(?P<cause>(?:[\w-]+[ \t]+){0,2}?(?:injur\w*|wounds?))\b)")
"""Words of harm that tell no harm of their own: "life threatening injuries" (no death), "died from his injuries"
(no one else injured)."""


def _not_harm(match: re.Match[str]) -> str:
    name = "life" if match.group("life") else "cause"
    return match.string[match.start():match.start(name)] + match.string[match.end(name):match.end()]


@functools.lru_cache(maxsize=65536)
def _key_word(word: str) -> str | None:
    """The stem a word stands for, None for a stop word: worked out once per word, not once per use."""
    lower = word.lower()
    if lower in STOP or len(lower) < 3:
        return None
    if lower in WORD_SYNONYMS:
        return WORD_SYNONYMS[lower]
    stem = _stem(lower)
    stem = SYNONYMS.get(stem, SYNONYMS.get(lower, stem))
    return None if stem in STOP else stem


SENTENCE_BEFORE = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z\"“]|$)|\n")
"""Where the sentence before a figure ends; "$" too, so that a figure opening a sentence keeps none of the last."""
SENTENCE_AFTER = re.compile(r"[.!?](?:\s|$)|\n")


def clause_words(fact: Fact, neighbours: list[Fact], text: str | None) -> frozenset[str]:
    """Content words of the figure's own clause, between its neighbouring figures."""
    if text is None:
        sentence = fact.sentence
        at = sentence.find(fact.surface)
        left, right = (sentence[:at], sentence[at + len(fact.surface):]) if at >= 0 else (sentence, "")
        return key_words(CLAUSE_STOP.split(left)[-1]) | key_words(CLAUSE_STOP.split(right, 1)[0])
    prev_end = max([f.end for f in neighbours if f.end <= fact.start], default=max(0, fact.start - 160))
    next_start = min([f.start for f in neighbours if f.start >= fact.end], default=fact.end + 160)
    left = _clause_before(text[max(prev_end, fact.start - 160):fact.start])
    after = text[fact.end:min(next_start, fact.end + 160)]
    if next_start <= fact.end + 160 and (next_clause := AND_NEXT.search(after)):
        after = after[:next_clause.start()]
    if TOLD_AFTER.match(after) and (joined := AND_BEFORE.search(left)):
        # "a man was killed and four others were hurt": the figure's clause has its own verb after it
        left = left[joined.end():]
    elif (verb := AND_VERB_BEFORE.search(left)) and not CONJOINED_VERB.search(left[:verb.start()]):
        left = left[verb.start():]  # "killed a woman and injured nine": the verb after "and" is the figure's
    words = key_words(left) | key_words(_clause_after(after))
    if words <= {_key_word(fact.subject or "")} and INSERT_RE.match(after):
        # "Fifteen people, including children, were shot": the clause goes on after what is inserted
        words = words | key_words(_clause_after(after[INSERT_RE.match(after).end():]))
    return words


AND_BEFORE = re.compile(r"(?i:\b(?:and|but|while)[ \t]+(?:(?:at[ \t]+least|as[ \t]+many[ \t]+as|another|the)[ \t]+)?$)")
TOLD_AFTER = re.compile(r"(?i:^[ \t]+(?:[\w,-]+[ \t]+){0,6}?(?:were|was|are|is|have|has|had|died|remain\w*"
                        r"|dead|killed|injured|wounded|hurt)\b)")
"""A verb after the figure's subject ("four others were hurt", "a boy dead and three others injured"): what comes
before "and" is another clause's."""
AND_VERB_BEFORE = re.compile(r"(?i:[ \t]+(?:and|while)[ \t]+(?:also[ \t]+)?(?:[a-z]+(?:ing|ed)|hurt|left)[ \t]+"
                             r"(?:(?:at[ \t]+least|as[ \t]+many[ \t]+as|another|an?[ \t]+additional)[ \t]+)?$)")
CONJOINED_VERB = re.compile(r"(?i:(?:ed|ing|\bshot|\bhurt)[ \t]*,?$)")
"""A verb right before "and" ("shot and killed two"): the two verbs share the figure, and its clause keeps both."""
AND_NEXT = re.compile(r"(?i:[ \t]+(?:and|while)[ \t]+(?:(?:the[ \t]+)?[a-z]+(?:ing|ed)|hurt|left)?[ \t]*"
                      r"(?:(?:of|at[ \t]+least)[ \t]+)?$)")
"""The end of the text between a figure and the next one when it opens the next one's clause: "killing two and
wounding three", "killed two and injured three", "two dead and three hurt", "the killing of two people and the
wounding of three"."""
INSERT_RE = re.compile(r"[^,;:()—–]*?(?:,[ \t]*(?:including|among[ \t]+them|all|ages?|aged|between|from)\b"
                       r"[^,;:()—–]*,|[ \t]*[—–(][^—–()]*[—–)][ \t]*,?)")
"""An aside after a figure's subject: ", including children,", " — two boys and a girl —", " (ages 4 and 6)"."""


# `clause_words` and `_clause_text` often cut the same text around a figure: each cut is worked out once
@functools.lru_cache(maxsize=1024)
def _clause_before(before: str) -> str:
    """The end of `before` (text up to a figure) in the figure's sentence and clause."""
    return CLAUSE_STOP.split(SENTENCE_BEFORE.split(before)[-1])[-1]


@functools.lru_cache(maxsize=1024)
def _clause_after(after: str) -> str:
    """The start of `after` (text from a figure on) in the figure's sentence and clause."""
    return CLAUSE_STOP.split(SENTENCE_AFTER.split(after, 1)[0], 1)[0]


SCOPE_RE = re.compile(rf"\b(?=[iaf])(?:in|at|across|from|for)[ \t]+(?:the[ \t]+|its[ \t]+|their[ \t]+)?(?P<name>[{UPPER}][\w’'-]*(?:[ \t]+[{UPPER}][\w’'-]*)*)")


def scope_names(fact: Fact, text: str | None) -> frozenset[str]:
    """Names after "in/at/across/from" in the figure's clause ("4,000 employees in Denver"), normalised;
    the check drops the entity the figure is about (`ledger.checks.auto._scope`)."""
    if text is None:
        return frozenset()
    names = {normal_name(name) for name in SCOPE_RE.findall(_clause_text(fact, text))}
    return frozenset(n for n in names if n and n.split()[0] not in NOT_SCOPES)


NOT_SCOPES = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december""".split())


def _clause_text(fact: Fact, text: str) -> str:
    before = _clause_before(text[max(0, fact.start - 160):fact.start])
    return before + " " + fact.surface + " " + _clause_after(text[fact.end:fact.end + 160])


AGE_RE = re.compile(r"(?i:-old\b|\byears?[ \t-]old\b)")
PARTIAL_BEFORE = re.compile(r"(?i:\b(?=[oamrfenlt])(?:other|another|additional|more|remaining|further|extra|new"
                            r"|all[ \t]+but|last|first"
                            r"|top|next|each)[ \t]+(?:of[ \t]+)?$)")
PARTIAL_AFTER = re.compile(r"(?i:^[ \t]*(?:[\w-]+[ \t]+)?(?:others?|more|additional|of[ \t]+(?:the|them|those|whom|which"
                           r"|its|their|his|her)\b)|^-?[ \t]*(?:years?|months?|weeks?|days?)[ \t-]*old\b|^-year)")


ENTITY_NOUNS = frozenset("""
company group firm bank airline carrier city town country nation government port ministry department agency council
authority state region province lender insurer operator producer retailer carmaker miner utility party organization
union team club district county system fund network chain manufacturer maker developer business corporation
""".split())
"""Nouns that stand for the entity itself ("the company, which employs ..."); any other noun before "which"
("its oldest shaft, which employs 2,800 people") makes the figure about a part of the entity."""
PART_OF_CUE = re.compile(r"which|that|where|whose|who")
PART_OF_RE = re.compile(r"(?:\b(?:its|the|their|a|an|his|her|this|that)[ \t]+|(?:^|[.!?\n][\"”’]?)[ \t\n]*)"
                        r"(?:[A-Za-z-]+[ \t]+){0,2}(?P<noun>[a-z]+),?"
                        r"[ \t]+(?:which|that|where|whose|who)[ \t]+(?!(?:[a-z]+[ \t]+){0,2}{said}\b)"
                        r"(?:[a-z]+[ \t]+){0,3}(?:{q}[ \t]+)?$"
                        .replace("{said}", r"(?:said|says|told|tell|estimated|estimate|estimates|reported|reports)")
                        .replace("{q}", r"(?:about|some|around|nearly|almost|more[ \t]+than|roughly|over)"))


DEATH_BEFORE = re.compile(r"(?i:\b(?:kill(?:ed|ing|s)?|dead|died|dies|fatally|death|deaths|murder\w*"
                          r"|(?:took|claimed)[ \t]+the[ \t]+li(?:fe|ves))\b)")
HARM = r"(?:injur\w*|wound\w*|hurt|shot|shooting|hospital\w*)"
HARM_AFTER = re.compile(rf"(?i:^[ \t]*(?:[\w,-]+[ \t]+){{0,6}}?(?:were[ \t]+|was[ \t]+|are[ \t]+|have[ \t]+been[ \t]+)?"
                        rf"(?:also[ \t]+)?{HARM}\b)")
HARM_BEFORE = re.compile(rf"(?i:\b{HARM}[ \t]+(?:at[ \t]+least[ \t]+|as[ \t]+many[ \t]+as[ \t]+|up[ \t]+to[ \t]+)?$)")
TOLL_VERB = re.compile(r"(?i:^[ \t]*(?:which|that|who)[ \t]+(?:\w+[ \t]+)?(?:left|leav\w*|kill\w*|injur\w*|wound\w*|hurt"
                       r"|claimed|sent|shot|hit|struck|resulted)\b)")
MORE_OF_THEM = r"(?:others?|more|additional)"
"""Words after a count that add it to one told before ("two others", "three more people")."""


DEATH_REACH = 200
"""Characters before "others" in which a death makes them the injured: the sentence before too ("A teen was
killed Sunday. Three other people were wounded.")."""


def _the_injured(before: str, after: str) -> bool:
    """ "one dead and four others injured", "killing one and wounding two others", "one man died; three more
    people are in hospital": after a death, the others are the injured, a toll of its own."""
    return DEATH_BEFORE.search(before) is not None and (
        HARM_AFTER.match(re.sub(rf"^[ \t]*(?:\w+[ \t]+)?{MORE_OF_THEM}\b,?", "", after)) is not None
        or HARM_BEFORE.search(before) is not None)


POSITION_AFTER = re.compile(r"(?i:^[ \t]+(?:(?:north|south|east|west)(?:east|west)?(?:ward)?|away|outside|from|off"
                            r"|inland|offshore|upstream|downstream|short[ \t]+of)\b)")
"""After a distance, where something is ("35 miles northeast of the city", "eight miles away"), not how far
anything measures: two such distances from different places never state one measure."""


PEOPLE = (r"(?:m[ae]n|wom[ae]n|males?|females?|boys?|girls?|teens?|teenagers?|child|children|kids?|adults?"
          r"|juveniles?|youths?)")
COUNT_WORD = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
PEOPLE_AFTER = re.compile(rf"(?i:^[ \t]+(?:[\w-]+[ \t]+)?{PEOPLE}\b)")
PEOPLE_AND_AFTER = re.compile(rf"(?i:^[ \t]+(?:[\w-]+[ \t]+)?{PEOPLE},?[ \t]+and[ \t]+{COUNT_WORD}[ \t]+"
                              rf"(?:[\w-]+[ \t]+)?{PEOPLE}\b)")
PEOPLE_AND_BEFORE = re.compile(rf"(?i:\b{COUNT_WORD}[ \t]+(?:[\w-]+[ \t]+)?{PEOPLE},?[ \t]+and[ \t]+$)")
"""People of one kind counted beside another ("two men and two women", "a man and 3 women"): each count is a part."""


def beside_other_people(fact: Fact, text: str | None) -> bool:
    """Whether the figure counts people of one kind beside those of another ("two men and two women were hurt",
    "a girl and two men were wounded"): a part of a toll, comparable only with the same part elsewhere."""
    if text is None:
        return False
    after = text[fact.end:fact.end + 60]
    return PEOPLE_AND_AFTER.match(after) is not None or (
        PEOPLE_AND_BEFORE.search(text[max(0, fact.start - 40):fact.start]) is not None
        and PEOPLE_AFTER.match(after) is not None)


def is_partial(fact: Fact, text: str | None) -> bool:
    """A partial count, an age, a rank, a position or a figure about a part of the entity: "four others", "two of
    the victims", "a 16-year-old", "35 miles north of the city", "its oldest shaft, which employs 2,800 people";
    but not the injured after a death ("one man died and four others were hurt"), the toll of an event ("a
    shooting at a bar that wounded five") or a whole ("all seven of the victims")."""
    if AGE_RE.search(fact.surface):
        return True
    if text is None:
        return False
    if fact.unit in ("mile", "km", "m", "foot", "yard") and POSITION_AFTER.match(text[fact.end:fact.end + 20]):
        return True
    before = text[max(0, fact.start - 80):fact.start]
    # the pattern needs one of its cue words: most figures are settled without running it
    part_of = PART_OF_RE.search(before) if PART_OF_CUE.search(before) else None
    if part_of and part_of.group("noun") not in ENTITY_NOUNS \
            and not TOLL_VERB.match(before[part_of.end("noun"):].lstrip(", \t")):
        return True
    after = text[fact.end:fact.end + 40]
    if not (PARTIAL_BEFORE.search(before[-30:]) or PARTIAL_AFTER.match(after)):
        return False
    if re.search(r"(?i:\ball[ \t]+$)", before[-8:]) and re.match(r"[ \t]+of[ \t]+the\b", after):
        return False  # "all seven of the victims"
    others = re.match(rf"[ \t]+{MORE_OF_THEM}\b", after) or re.search(r"(?i:\bother[ \t]+$)", before[-10:])
    return not (others and _the_injured(text[max(0, fact.start - DEATH_REACH):fact.start],
                                        text[fact.end:fact.end + 80]))


def clause_record(facts: list[Fact], text: str) -> tuple[str, ...]:
    """Per fact (in `facts`' order) its clause as stored: content words, scope names and a partial mark, or
    "" for a fact without an entity (it is never compared). `read_clause` reads one back."""
    own = sorted(facts, key=lambda f: (f.start, f.end))
    by_id = {fact.id: clause_of(own, j, text) for j, fact in enumerate(own) if fact.entity}
    return tuple(by_id.get(f.id, "") for f in facts)


def clause_of(own: list[Fact], j: int, text: str | None) -> str:
    """The clause of `own[j]` (its article's facts in text order) as `clause_record` stores it."""
    fact = own[j]
    if is_partial(fact, text):
        return "\t\t1"
    words = clause_words(fact, own[max(0, j - 1):j] + own[j + 1:j + 2], text)
    return " ".join(sorted(words)) + "\t" + "|".join(sorted(scope_names(fact, text))) + "\t0"


@functools.lru_cache(maxsize=65536)  # a template's clause recurs across articles
def read_clause(record: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """(content words, scope names, partial) of a stored clause."""
    words, scope, partial = record.split("\t")
    return (frozenset(words.split()) if words else frozenset(), frozenset(scope.split("|")) if scope else frozenset(),
            partial == "1")
