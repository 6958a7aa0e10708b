"""Arithmetic an article states about its own figures: compositions, partitions, shares and restatements.

`find_relations(article, facts)` reads the text between the figures of each sentence and returns
`Relation`s for the built-in `auto.*` rules to check:

- subset (parts <= total): "50,000 people, including 10,000 contractors and 40,000 inmates"; "among them",
  "of whom", "of which", "among whom"; "A out of X"; "three of the 12 victims"; a breakdown of a count or an
  amount after a bracket, colon or dash: "the 12 dead (seven men and five women)", "14 people — nine men and
  five women", "Five people were shot: two died and three were injured".
- partition (parts == total): "made up of", "consisting of", "comprising", "split between", "divided
  into"; "A and B, for a total of X" ("bringing the total to X", "totalling X"); "Of the X ..., A ... and
  B ..."; "A + B = X".
- share (part is `share` of total): "A, or P % of (the) X"; "A, or P % of the workforce" with the total a
  figure elsewhere in the article whose subject (or its clause) names that noun; "P % of the X, or A";
  "A out of X, or P %".
- rate (the same measure in two units): "$100 million a month, or $1.2 billion a year"; "5 miles (8 km)".

Only figures that the text joins directly are related: the words between two figures must be the short
noun phrase and joining words of a list ("10,000 contractors and about 40,000"), never another clause.
When a total could be either of two earlier figures, every candidate is recorded in the relation's `cue`
as ``ambiguous`` so the check can stay silent when any reading holds.
"""

from __future__ import annotations

import re
from typing import Iterable

from ledger.extract.letters import LETTER, UPPER
from ledger.model import Article, Fact, Relation

try:  # the qualifier words the extractor reads; a fixed list if it is not there
    from ledger.extract.qualifiers import BEFORE as _QUALIFIER_WORDS
except ImportError:  # pragma: no cover
    _QUALIFIER_WORDS = {"about": "approx", "around": "approx", "nearly": "nearly", "more than": "more_than"}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(r"[ \t]+".join(re.escape(w) for w in phrase.split())
                    for phrase in sorted(set(words), key=len, reverse=True))


QUAL = rf"(?:(?i:{_alternation(_QUALIFIER_WORDS)}|another|a[ \t]+further|a[ \t]+total[ \t]+of|the))"
WORD = rf"[{LETTER}][\w’'-]*"
NP = rf"(?:[ \t]+(?!(?i:and|or|but|while|whereas|including|includes|among|of[ \t]+(?:whom|which|them|those))\b){WORD}){{0,10}}?"
"""A short noun phrase after a figure ("people fighting in Ukraine"), no joining words, no punctuation."""

# between two figures of one list: "contractors and about ", "were rescued, ", "in cash, and "
LIST_GAP = re.compile(rf"^(?:[ \t]*%|[ \t]*(?i:percent|per[ \t]cent))?{NP}[ \t]*(?:,[ \t]*(?:and[ \t]+|while[ \t]+)?"
                      rf"|[ \t]+(?i:and|while|plus|with)[ \t]+)(?:{QUAL}[ \t]+)?(?:{QUAL}[ \t]+)?$")
# between a total and a subset cue: "people fighting in Ukraine, "
TOTAL_GAP = re.compile(rf"^{NP}[ \t]*,?[ \t]*$")

SUBSET_CUES = re.compile(r"(?i:\b(?:including|includes|included|among[ \t]+them|among[ \t]+whom|among[ \t]+which"
                         r"|of[ \t]+whom|of[ \t]+which|of[ \t]+them|of[ \t]+those)\b)")
PARTITION_BEFORE_CUES = re.compile(
    r"(?i:\b(?:made[ \t]+up[ \t]+of|consist(?:ing|s|ed)?[ \t]+of|compris(?:ing|es|ed|e)(?:[ \t]+of)?|composed[ \t]+of"
    r"|split[ \t]+(?:between|among|into)|divided[ \t]+(?:between|among|into)|broken[ \t]+down[ \t]+into"
    r"|broken[ \t]+into|shared[ \t]+between)\b)")
PARTITION_AFTER_CUES = re.compile(
    r"(?i:^[ \t]*,?[ \t]*(?:for[ \t]+(?:a|the)[ \t]+(?:total|combined|grand[ \t]+total)(?:[ \t]+of)?"
    r"|bringing[ \t]+(?:the|its|their|his|her)?[ \t]*(?:total|tally|combined[ \t]+total)[ \t]+to"
    r"|(?:totall?ing|totall?ed)|(?:making|a[ \t]+total[ \t]+of|in[ \t]+all|together)"
    r"|(?:=|equals?|equalling|for[ \t]+a[ \t]+sum[ \t]+of))[ \t]+(?:{q}[ \t]+)?$)".replace("{q}", QUAL))
TOTAL_AFTER_OF = re.compile(rf"^(?:(?:{WORD}[ \t]+){{1,2}}of[ \t]+)?(?:{QUAL}[ \t]+)?$")
"""Between "or 8 % of its" and the total: nothing, or the whole's name and "of" ("its workforce of 25,000")."""
UP_WORDS = frozenset("up rose risen rise rises rising increased increase increases grew grown growth gained gain jumped "
                     "jump climbed climbing surged soared higher more".split())
DOWN_WORDS = frozenset("down fell fallen fall falls falling decreased decrease decreases declined decline dropped drop "
                       "slid slipped lost loss shrank lower less plunged tumbled".split())
CHANGE_BEFORE = re.compile(r"(?i:\b(?P<word>[a-z]+)[ \t]+(?:by[ \t]+)?(?:(?:about|around|nearly|almost|some|roughly"
                           r"|more[ \t]+than|over|just[ \t]+over|just[ \t]+under)[ \t]+)?)$")
"""The word before a percentage that says which way it changed ("rose 5%", "up by about 5%")."""
CHANGE_NOUN_AFTER = re.compile(r"(?i:[ \t]+(?P<word>increase|rise|gain|jump|growth|decrease|decline|drop|fall|loss))\b")
"""A change told as a noun after the percentage ("a 3% increase over $4.08 billion")."""
TO_GAP = re.compile(r"^[ \t]+(?i:to)[ \t]+(?:(?:a|an|the|about|around|nearly|almost|some|roughly)[ \t]+)?$")
FROM_GAP = re.compile(r"^(?:[ \t]*,)?[ \t]+(?i:from|over|compared[ \t]+with|compared[ \t]+to|versus|vs\.?)[ \t]+"
                      r"(?:(?:a|an|the|about|around|nearly|almost|some|roughly|its|their|this[ \t]+year's"
                      r"|last[ \t]+year's)[ \t]+)*$")
NEW_BEFORE_CHANGE = re.compile(rf"^{NP}[ \t]*,[ \t]+(?:(?:a|an)[ \t]+|(?i:up|down)[ \t]+(?:by[ \t]+)?)?(?:(?:about|around"
                               r"|nearly|almost|some|roughly)[ \t]+)?$")


def _direction(word: str) -> str | None:
    word = word.lower()
    return "up" if word in UP_WORDS else "down" if word in DOWN_WORDS else None


BREAKDOWN_GAP = re.compile(rf"^{NP}[ \t]*(?:\(|:|—|–|--)[ \t]*(?:{QUAL}[ \t]+)?$")
"""Between a total and the first part of its breakdown: "dead (", " people were shot: ", " people — "."""
OF_THE_START = re.compile(rf"(?i:(?:^|[;:—][ \t]*)[\"“]?(?:of|out[ \t]+of)[ \t]+(?:the|those|these|its|their|all)?[ \t]*"
                          rf"(?:{QUAL}[ \t]+)?)$")
OF_THE_OPENS = re.compile(r"(?:^|[.!?][\"”’]?[ \t]+|[;:—][ \t]*)[\"“]?(?i:of|out[ \t]+of)[ \t]+")
OF_THE_GAP = re.compile(rf"^{NP}[ \t]*,[ \t]*(?:{QUAL}[ \t]+)?$")
SHARE_BEFORE = re.compile(
    rf"^(?:{NP})?[ \t]*,?[ \t]*(?i:or|representing|accounting[ \t]+for|equal[ \t]+to|amounting[ \t]+to"
    rf"|making[ \t]+up|which[ \t]+is|which[ \t]+represents|that[ \t]+is|roughly|about)[ \t]+(?:{QUAL}[ \t]+)?$")
SHARE_PERCENT_RE = re.compile(r"^(?:[ \t]*%|[ \t]*(?i:percent|per[ \t]cent))?")
SHARE_OF = re.compile(rf"^[ \t]+(?i:of)[ \t]+(?:(?i:the|its|their|all|those|his|her|our|this|that)[ \t]+)?"
                      rf"(?:[{UPPER}][\w’'-]*(?:[ \t]+[{UPPER}][\w’'-]*)*(?:’s|'s)[ \t]+)?(?:(?i:total)[ \t]+)?")
OUT_OF = re.compile(rf"^[ \t]*(?i:out[ \t]+of|of)[ \t]+(?:(?i:the|its|their|all|those|these)[ \t]+)?(?:{QUAL}[ \t]+)?$")
RESTATE = re.compile(r"^[ \t]*(?:,[ \t]*(?i:or)[ \t]+(?:(?i:about|roughly|around|some|nearly|almost|just[ \t]+over"
                     r"|more[ \t]+than|an?[ \t]+estimated)[ \t]+)?|[ \t]*\([ \t]*(?:(?i:about|roughly|around)[ \t]+)?)$")
VERB_AFTER = re.compile(rf"(?:[ \t]+[{LETTER}][\w’'-]*){{0,3}}?[ \t]+(?i:were|was|are|is|have|has|had|remain|remains|remained"
                        r"|will|would|can|could|died|survived|escaped|fled|came|went)\b")
"""A verb right after a figure and its noun: the figure opens a clause ("412 were rescued")."""
PLUS_GAP = re.compile(r"^[ \t]*\+[ \t]*$")
EQUALS_GAP = re.compile(rf"^[ \t]*(?:=|(?i:equals?|makes?))[ \t]*(?:{QUAL}[ \t]+)?$")

COLLECTIVES = {
    "workforce": ("employee", "worker", "staff", "person", "job", "staffer"),
    "staff": ("employee", "worker", "staffer", "person"),
    "population": ("resident", "person", "inhabitant", "citizen", "people"),
    "electorate": ("voter",),
    "force": ("soldier", "troop", "fighter", "person", "member"),
    "membership": ("member",),
    "fleet": ("aircraft", "plane", "vehicle", "ship", "vessel", "bus", "car", "truck"),
}
"""A collective noun after "% of its ..." and the subjects of the figure that can be its total."""
TOTAL_WORDS = ("total", "budget", "revenue", "sales", "spending", "cost", "bill", "package", "fund", "income")
"""Nouns that name an amount rather than what is counted: a total is the figure they stand next to."""


def _dimension(fact: Fact) -> str:
    if fact.unit is None:
        return "count"
    try:
        from ledger.units import dimensionality

        return dimensionality(fact.unit)
    except Exception:
        return f"unknown:{fact.unit}"


FRACTION_WORDS = re.compile(r"(?i:^(?:an?|one|two|three|four|five|six|seven|eight|nine)[ \t-]+(?:half|halves|third|thirds"
                            r"|quarter|quarters|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)$|^half$)")


def _is_share(fact: Fact) -> bool:
    """A percentage or fraction ("8 %", "a third"; a fraction in words even when the extractor gave it no unit)."""
    if fact.unit in ("percent", "fraction") or _dimension(fact) == "percent":
        return True
    return fact.unit is None and 0 < fact.value <= 1 and FRACTION_WORDS.match(fact.surface.strip()) is not None


def _lemma(word: str) -> str:
    try:
        from ledger.extract.subjects import lemma

        return lemma(word)
    except ImportError:  # pragma: no cover
        return word.lower().rstrip("s")


def _sentence_groups(article: Article, facts: list[Fact]) -> list[list[Fact]]:
    """The article's facts by sentence, in text order, overlapping spans dropped (a range holds its ends)."""
    from ledger.extract.sentences import Sentences
    import bisect

    starts = Sentences(article.text).starts
    groups: dict[int, list[Fact]] = {}
    last_end = -1
    for fact in sorted((f for f in facts if f.article == article.id), key=lambda f: (f.start, -f.end)):
        if fact.start < last_end:
            continue
        last_end = fact.end
        groups.setdefault(bisect.bisect_right(starts, fact.start) - 1, []).append(fact)
    return [groups[k] for k in sorted(groups)]


class _Finder:
    def __init__(self, article: Article, facts: list[Fact]) -> None:
        self.article = article
        self.text = article.text
        self.facts = [f for f in facts if f.article == article.id]
        self.relations: list[Relation] = []
        self.seen: set[tuple[str, str | None, tuple[str, ...], str | None]] = set()

    def between(self, a: Fact, b: Fact) -> str:
        return self.text[a.end:b.start]

    def add(self, kind: str, total: Fact | None, parts: list[Fact], share: Fact | None, cue: str) -> None:
        key = (kind, total.id if total else None, tuple(p.id for p in parts), share.id if share else None)
        if key in self.seen:
            return
        self.seen.add(key)
        self.relations.append(Relation(kind=kind, article=self.article.id, total=total.id if total else None,
                                       parts=tuple(p.id for p in parts), share=share.id if share else None,
                                       cue=" ".join(cue.split())))

    def has_verb(self, fact: Fact) -> bool:
        return VERB_AFTER.match(self.text, fact.end) is not None

    def chain(self, sentence: list[Fact], first: int, dimension: str) -> list[Fact]:
        """The list of figures that starts at sentence[first]: same dimension, joined by list words, and
        parallel: "850 homes and 400 businesses, and 30 people were injured" ends before 30 (a new clause)."""
        parts = [sentence[first]]
        verb = self.has_verb(sentence[first])
        for i in range(first + 1, len(sentence)):
            if _dimension(sentence[i]) != dimension or not LIST_GAP.match(self.between(sentence[i - 1], sentence[i])):
                break
            if self.has_verb(sentence[i]) != verb:
                break
            parts.append(sentence[i])
        return parts

    def chain_back(self, sentence: list[Fact], last: int, dimension: str) -> list[Fact]:
        parts = [sentence[last]]
        for i in range(last - 1, -1, -1):
            if _dimension(sentence[i]) != dimension or not LIST_GAP.match(self.between(sentence[i], sentence[i + 1])):
                break
            parts.insert(0, sentence[i])
        return parts

    # ------------------------------------------------------------------------------------------------
    def sentence(self, sentence: list[Fact]) -> None:
        for i, fact in enumerate(sentence):
            if i + 1 < len(sentence):
                self.after_figure(sentence, i)
            self.of_the(sentence, i)
            if fact.unit == "percent":
                self.change(sentence, i)

    def change(self, sentence: list[Fact], p: int) -> None:
        """ "rose 5% to $2 billion from $1.9 billion", "$2 billion, up 5% from $1.9 billion", "a 3% increase over
        $4.08 billion": the new value against the old one by the stated change."""
        share = sentence[p]
        before = self.text[max(0, share.start - 40):share.start]
        verb = CHANGE_BEFORE.search(before)
        noun = CHANGE_NOUN_AFTER.match(self.text, share.end)
        direction = _direction(verb.group("word") if verb else "") or _direction(noun.group("word") if noun else "")
        if direction is None:
            return
        pair = None
        if p + 2 < len(sentence):  # "up 5% to X from Y", "up 5% from Y to X"
            x, y = sentence[p + 1], sentence[p + 2]
            first, second = self.between(share, x), self.between(x, y)
            if TO_GAP.match(first) and FROM_GAP.match(second):
                pair = (x, y)
            elif FROM_GAP.match(first) and TO_GAP.match(second):
                pair = (y, x)
        if pair is None and p >= 1 and p + 1 < len(sentence):  # "X, up 5% from Y", "X, a 5% rise over Y"
            x, y = sentence[p - 1], sentence[p + 1]
            after = self.text[noun.end():y.start] if noun else self.between(share, y)
            if NEW_BEFORE_CHANGE.match(self.between(x, share)) and FROM_GAP.match(after):
                pair = (x, y)
        if pair is None:
            return
        new, old = pair
        if _dimension(new) != _dimension(old) or _is_share(new) or _is_share(old):
            return  # a change of a percentage may be in points; not checked
        self.add("change", new, [old], share, direction)

    def after_figure(self, sentence: list[Fact], i: int) -> None:
        total = sentence[i]
        nxt = sentence[i + 1]
        gap = self.between(total, nxt)
        dim = _dimension(total)
        # "A, or P % of ..." ------------------------------------------------------------------------
        if _is_share(nxt) and not _is_share(total) and SHARE_BEFORE.match(gap):
            self.share_after(sentence, i, i + 1)
            return
        # "P % of the X, or A" ------------------------------------------------------------------------
        if _is_share(total):
            self.share_before(sentence, i)
            return
        # restatement in another unit: "$100 million a month, or $1.2 billion a year" -----------------
        if RESTATE.match(gap) and nxt.unit != total.unit and dim == _dimension(nxt) and dim not in ("count", "percent"):
            self.add("rate", nxt, [total], None, gap.strip(" ,(") or "or")
            return
        if _dimension(nxt) != dim:
            return
        # "A + B = X" --------------------------------------------------------------------------------
        if PLUS_GAP.match(gap):
            parts = self.chain_plus(sentence, i)
            end = i + len(parts) - 1  # chains are consecutive figures
            if end + 1 < len(sentence) and EQUALS_GAP.match(self.between(parts[-1], sentence[end + 1])) \
                    and _dimension(sentence[end + 1]) == dim:
                self.add("partition", sentence[end + 1], parts, None, "+ =")
            return
        # "X, including A and B", "X made up of A and B" ---------------------------------------------
        subset = SUBSET_CUES.search(gap)
        partition = PARTITION_BEFORE_CUES.search(gap)
        cue = subset or partition
        if cue is not None:
            before_cue, after_cue = gap[:cue.start()], gap[cue.end():]
            if TOTAL_GAP.match(before_cue) and re.match(rf"^[ \t]*(?:(?i:were|was|are|is|some|the)[ \t]+)?(?:{QUAL}[ \t]+)?$",
                                                       after_cue):
                parts = self.chain(sentence, i + 1, dim)
                kind = "subset" if subset else "partition"
                if kind == "partition" and len(parts) < 2:
                    kind = "subset"
                others = [f for f in sentence[:i] if _dimension(f) == dim and not _is_share(f)]
                ambiguous = " ambiguous:" + ",".join(f.id for f in others) if others else ""
                self.add(kind, total, parts, None, cue.group() + ambiguous)
            return
        # "12 dead (seven men and five women)", "$4.5 billion: $3 billion from cars and $1.5 billion from parts"
        if BREAKDOWN_GAP.match(gap) and total.dimension in ("count", "currency") and total.qualifier != "range" \
                and not _is_share(total):  # "range in age from 22 to 59 -- three women and four men": no total
            parts = self.chain(sentence, i + 1, dim)
            if len(parts) >= 2:  # parts may leave some out (one victim not yet named): a subset, not a partition
                self.add("subset", total, parts, None, gap.strip()[-1])
                return
        # "A out of X", "three of the 12 victims" ----------------------------------------------------
        if OUT_OF.match(gap) and dim == "count":
            after = sentence[i + 2] if i + 2 < len(sentence) else None
            if after is not None and _is_share(after) and SHARE_BEFORE.match(self.between(nxt, after)):
                self.add("share", nxt, [total], after, gap.strip() + ", or")
            else:
                self.add("subset", nxt, [total], None, gap.strip())
            return
        # "A and B, for a total of X" -----------------------------------------------------------------
        if LIST_GAP.match(gap):
            parts = self.chain(sentence, i, dim)
            if i > 0 and LIST_GAP.match(self.between(sentence[i - 1], total)) and _dimension(sentence[i - 1]) == dim:
                return  # not the start of the list
            end = i + len(parts) - 1
            if len(parts) >= 2 and end + 1 < len(sentence):
                x = sentence[end + 1]
                tail = self.between(parts[-1], x)
                cue_at = re.search(r"[ \t]*,?[ \t]*(?i:for|bringing|totall?ing|totall?ed|making|a[ \t]+total|in[ \t]+all"
                                   r"|together|=|equals?|equalling)\b", tail)
                if cue_at and _dimension(x) == dim and PARTITION_AFTER_CUES.match(tail[cue_at.start():]) \
                        and TOTAL_GAP.match(tail[:cue_at.start()] + " "):
                    self.add("partition", x, parts, None, tail[cue_at.start():].strip(" ,"))

    def chain_plus(self, sentence: list[Fact], i: int) -> list[Fact]:
        parts = [sentence[i]]
        for j in range(i + 1, len(sentence)):
            if not PLUS_GAP.match(self.between(sentence[j - 1], sentence[j])):
                break
            parts.append(sentence[j])
        return parts

    def of_the(self, sentence: list[Fact], i: int) -> None:
        """ "Of the 600 passengers, 412 were rescued and 188 remain missing." """
        total = sentence[i]
        if i + 1 >= len(sentence) or _is_share(total):
            return
        # the sentence (or clause) must open with "Of the"
        sentence_start = self.text.rfind("\n", 0, total.start) + 1
        lead = self.text[max(sentence_start, total.start - 60):total.start]
        if not OF_THE_OPENS.search(lead) or not OF_THE_START.search(lead):
            return
        nxt = sentence[i + 1]
        dim = _dimension(total)
        if _dimension(nxt) != dim or not OF_THE_GAP.match(self.between(total, nxt)):
            return
        parts = self.chain(sentence, i + 1, dim)
        kind = "partition" if len(parts) >= 2 else "subset"
        self.add(kind, total, parts, None, "of the")
        after = i + 1 + len(parts)
        if len(parts) == 1 and after < len(sentence) and _is_share(sentence[after]) \
                and SHARE_BEFORE.match(self.between(parts[0], sentence[after])):
            self.add("share", total, parts, sentence[after], "of the ..., or")  # "Of the 1,200 employees, 300, or 25%,"

    # ------------------------------------------------------------------------------------------------
    def share_after(self, sentence: list[Fact], a: int, p: int) -> None:
        part, share = sentence[a], sentence[p]
        rest = self.text[share.end:share.end + 120]
        percent = SHARE_PERCENT_RE.match(rest)
        rest = rest[percent.end() if percent else 0:]
        of = SHARE_OF.match(rest)
        if of is None:
            return
        offset = share.end + (percent.end() if percent else 0) + of.end()
        # the total stated right here: "or 8 % of its 25,000 workers"
        if p + 1 < len(sentence):
            x = sentence[p + 1]
            if _dimension(x) == _dimension(part) and TOTAL_AFTER_OF.match(self.text[offset:x.start]):
                self.add("share", x, [part], share, "or ... of")
                return
        noun_match = re.match(rf"({WORD}(?:[ \t]+{WORD}){{0,2}})", self.text[offset:offset + 60])
        if noun_match is None:
            return
        words = noun_match.group(1).split()
        total = self.total_elsewhere(part, share, words)
        if total is not None:
            self.add("share", total, [part], share, f"or ... of the {' '.join(words)}")

    def share_before(self, sentence: list[Fact], p: int) -> None:
        """ "About 8 percent of its 25,000 workers, or 2,000 people, will lose their jobs." """
        if p + 2 >= len(sentence):
            return
        share, total, part = sentence[p], sentence[p + 1], sentence[p + 2]
        rest = self.text[share.end:total.start]
        percent = SHARE_PERCENT_RE.match(rest)
        rest = rest[percent.end() if percent else 0:]
        of = SHARE_OF.match(rest)
        if of is None or not re.match(rf"^(?:{QUAL}[ \t]+)?$", rest[of.end():]):
            return
        if _dimension(total) != _dimension(part) or _is_share(total):
            return
        if re.match(rf"^{NP}[ \t]*,[ \t]*(?i:or)[ \t]+(?:{QUAL}[ \t]+)?$", self.between(total, part)):
            self.add("share", total, [part], share, "% of ..., or")

    def total_elsewhere(self, part: Fact, share: Fact, words: list[str]) -> Fact | None:
        """The one figure in the article that the noun after "% of the" names; None when none or several."""
        nouns = [w.lower() for w in words]
        lemmas = {_lemma(w) for w in nouns}
        wanted: set[str] = set(lemmas)
        for w in nouns:
            wanted |= set(COLLECTIVES.get(w, ()))
        amount_words = [w for w in nouns if w in TOTAL_WORDS]
        dim = _dimension(part)
        candidates = []
        for fact in self.facts:
            if fact.id in (part.id, share.id) or _dimension(fact) != dim or fact.high < part.low:
                continue
            if _is_share(fact):
                continue
            subject = (fact.lemma or (fact.subject and _lemma(fact.subject)) or "").lower()
            if subject and subject in wanted and not amount_words:
                candidates.append(fact)
                continue
            if amount_words and dim != "count":
                near = self.text[max(0, fact.start - 50):fact.end + 30].lower()
                if any(re.search(rf"\b{re.escape(w)}\b", near) for w in amount_words):
                    candidates.append(fact)
        if not candidates:
            return None
        values = {round(f.value, 6) for f in candidates}
        if len(values) != 1:
            return None
        return min(candidates, key=lambda f: abs(f.start - part.start))


def find_relations(article: Article, facts: list[Fact]) -> list[Relation]:
    """The relations the article's text states between its facts (see the module docstring)."""
    finder = _Finder(article, facts)
    for sentence in _sentence_groups(article, finder.facts):
        finder.sentence(sentence)
    return finder.relations


__all__ = ["find_relations"]
