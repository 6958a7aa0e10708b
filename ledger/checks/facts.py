"""Selecting facts for rules: selector matching, a figure's own stretch of text, grouping, and choosing
among several candidates. `FactSet` is what a kind's `check()` receives: one group's facts plus the means
to select, convert and report them.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import math
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from ledger.checks.base import Aliases, RuleParams, Selector
from ledger.checks.interval import Interval, format_interval, format_number
from ledger.errors import LedgerError
from ledger.model import Article, Fact, Finding
from ledger.units import COUNT, PERCENT, dimensionality, linear

MAX_SEARCH_CHARS = 5000
"""Regexes run on at most this much text: patterns are checked at load time, and this bounds the rest."""
CONJUNCTION = re.compile(r"(?i)\b(?:and|or|but|while|whereas|plus)\b")
"""Between two figures of one clause, the words from the last of these on are the later figure's."""
CLAUSE_BOUNDARY = re.compile(r"[;:—(]|,(?!\d{3}(?!\d))|(?<!\d),")
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
             "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life", "wives": "wife",
             "knives": "knife", "halves": "half", "data": "datum", "criteria": "criterion", "staff": "staff"}


KIND_FIELDS = ("unit", "qualifier", "subject", "lemma", "subject_phrase", "entity")
"""The fields of a fact `Context._matches_kind` reads."""
SELECTOR_FIELDS = ("unit", "qualifier", "subject", "entity")
"""The selector keys tested on a fact's own fields, each on one value of the fact (`_field_values`)."""


def _field_values(fact: Fact) -> tuple[Any, ...]:
    """The fact's value for each of `SELECTOR_FIELDS`; a subject is tested on all three of its spellings."""
    return fact.unit, fact.qualifier, (fact.subject, fact.lemma, fact.subject_phrase), fact.entity


class UnitMismatch(Exception):
    """Facts a rule must compare do not convert to one unit: the engine reports the group as skipped."""


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """The forms a word may take, singular and plural: two words match when their forms intersect."""
    w = " ".join(word.casefold().split())
    if not w:
        return frozenset()
    head, _, last = w.rpartition(" ")
    prefix = head + " " if head else ""
    forms = {last}
    if last in IRREGULAR:
        forms.add(IRREGULAR[last])
    for plural, singular in IRREGULAR.items():
        if last == singular:
            forms.add(plural)
    if len(last) > 3 and last.endswith("ies"):
        forms.add(last[:-3] + "y")
    if len(last) > 3 and last.endswith("ves"):
        forms.update({last[:-3] + "f", last[:-3] + "fe"})
    if last.endswith("es") and len(last) > 3:
        forms.add(last[:-2])
    if last.endswith("s") and not last.endswith("ss") and len(last) > 2:
        forms.add(last[:-1])
    return frozenset(prefix + f for f in forms)


def _norm_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return " ".join(str(v).split()).casefold()


def article_value(article: Article | None, key: str) -> Any:
    """A front-matter value: `published`, `outlet`, `title`, `id`, `url` or any other key."""
    if article is None:
        return None
    if key in ("published", "outlet", "title", "url", "id"):
        value = getattr(article, key)
        return value.isoformat() if isinstance(value, date) else value
    return article.meta.get(key)


@dataclass
class Context:
    """What every rule sees: all facts, the articles by id, and the alias groups."""

    facts: list[Fact]
    articles: dict[str, Article]
    aliases: Aliases = field(default_factory=Aliases)
    _by_article: dict[str, list[Fact]] | None = None
    """Each article's facts in text order, made when a selector first needs a figure's clause (`near`)."""
    _stretch: dict[str, str] = field(default_factory=dict)
    _regex: dict[str, re.Pattern[str]] = field(default_factory=dict)
    _subject_groups: dict[str, frozenset[str]] | None = None
    _entity_groups: dict[str, frozenset[str]] | None = None
    _entity_names: Any = None
    _forms: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    """subject_forms / entity_forms by (kind, word): a selector's few words are asked about for every fact."""
    _tests: dict[tuple[Any, ...], bool] = field(default_factory=dict)
    """A selector's subject or entity test by (the selector's word list, the fact's words)."""
    _kinds: list[Fact] = field(default_factory=list)
    """One fact of each kind: facts alike in every field a selector tests on the fact itself (`KIND_FIELDS`)."""
    _kind_facts: list[list[int]] = field(default_factory=list)
    """The indices in `facts` of each kind's facts."""
    _kinds_by: dict[str, dict[Any, list[int]]] = field(default_factory=dict)
    """Per field a selector tests: each value -> the kinds with it."""

    def __post_init__(self) -> None:
        first: dict[tuple[Any, ...], int] = {}
        kind_of = operator.attrgetter(*KIND_FIELDS)
        for n, fact in enumerate(self.facts):
            kind = kind_of(fact)
            k = first.get(kind)
            if k is None:
                k = first[kind] = len(self._kinds)
                self._kinds.append(fact)
                self._kind_facts.append([])
            self._kind_facts[k].append(n)
        self._kinds_by = {name: {} for name in SELECTOR_FIELDS}
        for k, f in enumerate(self._kinds):
            for name, value in zip(SELECTOR_FIELDS, _field_values(f)):
                self._kinds_by[name].setdefault(value, []).append(k)

    def over(self, facts: list[Fact]) -> Context:
        """A context over other facts, with the same articles and aliases, sharing what selectors worked out about
        words (a chunk of a large run's articles: `ledger.checks.engine._Contexts.chunks`)."""
        return Context(facts=facts, articles=self.articles, aliases=self.aliases, _regex=self._regex,
                       _subject_groups=self._subject_groups, _entity_groups=self._entity_groups,
                       _entity_names=self._entity_names, _forms=self._forms, _tests=self._tests)

    def by_article(self) -> dict[str, list[Fact]]:
        if self._by_article is None:
            self._by_article = {}
            for fact in self.facts:
                self._by_article.setdefault(fact.article, []).append(fact)
            for facts in self._by_article.values():
                facts.sort(key=lambda f: (f.start, f.end, f.id))
        return self._by_article

    # alias groups ---------------------------------------------------------------------------------------
    @staticmethod
    def _groups(table: dict[str, list[str]]) -> dict[str, frozenset[str]]:
        groups: dict[str, frozenset[str]] = {}
        for key, values in table.items():
            members: set[str] = set()
            for word in [key, *values]:
                members |= word_forms(str(word))
            for member in list(members):
                groups[member] = frozenset(members | groups.get(member, frozenset()))
        return groups

    def subject_forms(self, word: str) -> frozenset[str]:
        cached = self._forms.get(("subject", word))
        if cached is None:
            cached = self._forms[("subject", word)] = self._subject_forms(word)
        return cached

    def entity_forms(self, word: str) -> frozenset[str]:
        cached = self._forms.get(("entity", word))
        if cached is None:
            cached = self._forms[("entity", word)] = self._entity_forms(word)
        return cached

    def _subject_forms(self, word: str) -> frozenset[str]:
        if self._subject_groups is None:
            self._subject_groups = self._groups(self.aliases.subjects)
        forms = word_forms(word)
        extra = set()
        for form in forms:
            extra |= self._subject_groups.get(form, frozenset())
        return forms | extra

    def _entity_forms(self, word: str) -> frozenset[str]:
        if self._entity_groups is None:
            self._entity_groups = self._groups(self.aliases.entities)
        forms = word_forms(word)
        extra = set()
        for form in forms:
            extra |= self._entity_groups.get(form, frozenset())
        return forms | extra

    def entity_name(self, entity: str) -> str:
        """The name an entity's figures are grouped under: its `aliases` group's name, as `ledger check` merges them."""
        if self._entity_names is None:
            from ledger.extract.entities import EntityNames

            self._entity_names = EntityNames(self.aliases)
        return self._entity_names.resolve(entity)

    def regex(self, pattern: str) -> re.Pattern[str]:
        if pattern not in self._regex:
            self._regex[pattern] = re.compile(pattern, re.IGNORECASE)
        return self._regex[pattern]

    # a figure's own stretch of text -----------------------------------------------------------------------
    def sentence_start(self, fact: Fact) -> int | None:
        """Offset of the fact's sentence in its article's text, when the text is at hand."""
        article = self.articles.get(fact.article)
        if article is None or not fact.sentence:
            return None
        text, sentence = article.text, fact.sentence
        at = text.find(sentence, max(0, fact.end - len(sentence)), fact.start + len(sentence))
        if 0 <= at <= fact.start and fact.end <= at + len(sentence):
            return at
        return None

    def stretch(self, fact: Fact) -> str:
        """The figure's clause, from the clause start (first figure) or the figure itself up to the next
        figure or the clause end: text between two figures belongs to the earlier one, up to a conjunction
        that opens the later one's words ("$2.3 billion | and parks $300 million", "41 people | and injuring 230")."""
        if fact.id in self._stretch:
            return self._stretch[fact.id]
        sentence = fact.sentence or fact.surface
        start = self.sentence_start(fact)
        spans: list[tuple[int, int, str]] = []
        if start is not None:
            end = start + len(sentence)
            for other in self.by_article().get(fact.article, []):
                if other.start >= start and other.end <= end:
                    spans.append((other.start - start, other.end - start, other.id))
        else:
            cursor: dict[str, int] = {}
            for other in self.by_article().get(fact.article, []) or [fact]:
                if other.sentence != fact.sentence:
                    continue
                at = sentence.find(other.surface, cursor.get(other.surface, 0))
                if at < 0:
                    continue
                cursor[other.surface] = at + 1
                spans.append((at, at + len(other.surface), other.id))
            if not any(s[2] == fact.id for s in spans):
                at = max(0, sentence.find(fact.surface))
                spans.append((at, at + len(fact.surface), fact.id))
        spans.sort()
        mine = next(s for s in spans if s[2] == fact.id)
        covered = [False] * len(sentence)
        for s, e, _ in spans:
            for i in range(max(0, s), min(len(sentence), e)):
                covered[i] = True
        boundaries = [m.start() for m in CLAUSE_BOUNDARY.finditer(sentence) if not covered[m.start()]]
        clause_start = max([b + 1 for b in boundaries if b < mine[0]], default=0)
        clause_end = min([b for b in boundaries if b >= mine[1]], default=len(sentence))
        in_clause = [s for s in spans if s[0] >= clause_start and s[1] <= clause_end]
        # overlapping spans (a range inside a larger figure) count once, by their first start
        later = [s for s in in_clause if s[0] >= mine[1]]
        earlier = [s for s in in_clause if s[1] <= mine[0]]
        begin = clause_start if not earlier else _handover(sentence, max(s[1] for s in earlier), mine[0])
        finish = clause_end if not later else _handover(sentence, mine[1], min(s[0] for s in later))
        text = sentence[begin:finish]
        self._stretch[fact.id] = text
        return text

    # matching -------------------------------------------------------------------------------------------
    def matches(self, selector: Selector, fact: Fact) -> bool:
        return self._matches_kind(selector, fact) and self._matches_place(selector, fact)

    def _matches_kind(self, s: Selector, fact: Fact) -> bool:
        """The selector's keys on the fact's own fields (`KIND_FIELDS`): the same for every fact of its kind."""
        return all(test(self, s, value) for test, value in zip(_FIELD_TESTS, _field_values(fact)))

    # one test per field a selector may set, each on the field's value; a large archive has many kinds of
    # fact but few distinct values per field, and each value is tested once per selector
    def _unit_ok(self, s: Selector, unit: str | None) -> bool:
        return s.unit is None or unit_matches(s.unit, unit)

    def _qualifier_ok(self, s: Selector, qualifier: str | None) -> bool:
        return s.qualifier is None or qualifier in s.qualifier

    def _subject_ok(self, s: Selector, words: tuple[str | None, ...]) -> bool:
        if s.subject is None:
            return True
        key = ("subject", id(s.subject), words)
        found = self._tests.get(key)
        if found is None:
            have: set[str] = set()
            for word in words:
                if word:
                    have |= word_forms(word)
            found = self._tests[key] = any(self.subject_forms(w) & have for w in s.subject)
        return found

    def _entity_ok(self, s: Selector, entity: str | None) -> bool:
        if s.entity is None:
            return True
        if not entity:
            return False
        key = ("entity", id(s.entity), entity)
        found = self._tests.get(key)
        if found is None:
            have = set(word_forms(entity))
            found = any(self.entity_forms(w) & have for w in s.entity) or self._same_name(s.entity, entity)
            self._tests[key] = found
        return found

    def _same_name(self, words: list[str], entity: str) -> bool:
        """A name as ledger merges names: "Acme Corp" and "the Acme Group" are Acme, and so are its aliases."""
        from ledger.extract.entities import normal_name

        own = normal_name(self.entity_name(entity))
        return any(normal_name(self.entity_name(w)) == own for w in words)

    def _matching_kinds(self, s: Selector) -> list[int] | None:
        """Indices in `_kinds` of the kinds `s` matches on the fact's own fields; None for every kind."""
        tests = [(test, self._kinds_by[name]) for name, test in zip(SELECTOR_FIELDS, _FIELD_TESTS)
                 if getattr(s, name) is not None]
        if not tests:
            return None
        matching: set[int] | None = None
        for test, by_value in tests:
            ok = {k for value, kinds in by_value.items() if test(self, s, value) for k in kinds}
            matching = ok if matching is None else matching & ok
        return sorted(matching or ())

    def _matches_place(self, s: Selector, fact: Fact) -> bool:
        """The selector's keys on where the fact stands: its article, the article's front matter, its text."""
        if s.article is not None and not any(fnmatch.fnmatchcase(fact.article, g) for g in s.article):
            return False
        if s.meta is not None:
            article = self.articles.get(fact.article)
            for key, wanted in s.meta.items():
                value = article_value(article, key)
                if value is None and fact.as_of is not None and key == "published" and article is None:
                    value = fact.as_of.isoformat()
                have_values = {_norm_value(v) for v in (value if isinstance(value, list) else [value])
                               if v is not None}
                wanted_values = {_norm_value(v) for v in (wanted if isinstance(wanted, list) else [wanted])
                                 if v is not None}
                if wanted is None or wanted_values == set():
                    if have_values:
                        return False
                    continue
                if not have_values & wanted_values:
                    return False
        if s.text is not None:
            sentence = (fact.sentence or fact.surface)[:MAX_SEARCH_CHARS]
            if not self.regex(s.text).search(sentence):
                return False
        if s.near is not None:
            if not self.regex(s.near).search(self.stretch(fact)[:MAX_SEARCH_CHARS]):
                return False
        return True

    def select(self, selector: Selector, facts: Iterable[Fact] | None = None) -> list[Fact]:
        if facts is not None:
            return [f for f in facts if self.matches(selector, f)]
        # over all facts, the fact's own fields are tested once per kind of fact, not once per fact, and
        # only the facts of the kinds that match are visited (in their order in `facts`)
        kinds = self._matching_kinds(selector)
        if kinds is None or len(kinds) == len(self._kinds):
            chosen: Iterable[int] = range(len(self.facts))
        else:
            chosen = sorted(i for k in kinds for i in self._kind_facts[k])
        facts = self.facts
        return [facts[i] for i in chosen if self._matches_place(selector, facts[i])]

    # groups ---------------------------------------------------------------------------------------------
    def group_key(self, fact: Fact, keys: tuple[str, ...]) -> tuple[tuple[str, Any], ...] | None:
        """The fact's group; None when the fact lacks a value for a key (it joins no group)."""
        out = []
        article = self.articles.get(fact.article)
        for key in keys:
            if key == "article":
                value: Any = fact.article
            elif key == "entity":
                value = self.entity_name(fact.entity) if fact.entity else None
            elif key.startswith("meta."):
                value = article_value(article, key[5:])
            else:
                value = article_value(article, key)
            if value is None:
                return None
            if isinstance(value, (list, dict)):
                value = json.dumps(value, sort_keys=True, default=str)
            out.append((key, value))
        return tuple(out)


_FIELD_TESTS: tuple[Callable[[Context, Selector, Any], bool], ...] = (
    Context._unit_ok, Context._qualifier_ok, Context._subject_ok, Context._entity_ok)
"""The test of each of `SELECTOR_FIELDS`, on the fact's value for it (`_field_values`); functions, not a context's
bound methods, which would make each context a reference cycle, left to the garbage collector."""


def dimension_of(fact: Fact) -> str:
    try:
        return dimensionality(fact.unit)
    except Exception:  # noqa: BLE001 - a unit pint cannot read is its own dimension
        return f"unknown:{fact.unit}"


def commonest_dimension(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(the facts of the commonest dimension, the rest); ties go to the dimension seen first."""
    if not facts:
        return [], []
    dims = [dimension_of(f) for f in facts]
    counts: dict[str, int] = {}
    for d in dims:
        counts[d] = counts.get(d, 0) + 1
    best = max(counts, key=lambda d: (counts[d], -dims.index(d)))
    return [f for f, d in zip(facts, dims) if d == best], [f for f, d in zip(facts, dims) if d != best]


def unit_suffix(unit: str | None) -> str:
    if unit is None or unit == COUNT:
        return ""
    return "%" if unit == PERCENT else f" {unit}"


def show(iv: Interval, unit: str | None) -> str:
    """An interval with its unit: "45,800–54,200", "1.14 billion–1.26 billion USD/year", "7.5–8.5%"."""
    return format_interval(iv) + unit_suffix(unit)


def unit_matches(selector_unit: str, fact_unit: str | None) -> bool:
    try:
        return dimensionality(None if selector_unit == COUNT else selector_unit) == dimensionality(fact_unit)
    except Exception:  # noqa: BLE001 - a unit pint cannot read matches nothing
        return False


def target_unit(selector_unit: str | None) -> str | None:
    """The unit a selector compares in: None for counts."""
    return None if selector_unit in (None, COUNT) else selector_unit


def distance(a: Fact, b: Fact) -> float:
    if a.article != b.article:
        return math.inf
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def choose(roles: dict[str, list[Fact]], limit: int = 20000) -> dict[str, Fact] | None:
    """One fact per role, all different, the closest together in the text (fewest articles, then the
    smallest spread, then the earliest); None when no choice keeps the facts distinct."""
    names = list(roles)
    pools = [sorted(roles[n], key=lambda f: (f.article, f.start, f.end, f.id)) for n in names]
    if any(not p for p in pools):
        return None
    size = 1
    for pool in pools:
        size *= len(pool)

    def cost(combo: tuple[Fact, ...]) -> tuple[Any, ...]:
        by_article: dict[str, list[Fact]] = {}
        for f in combo:
            by_article.setdefault(f.article, []).append(f)
        spread = sum(max(f.end for f in fs) - min(f.start for f in fs) for fs in by_article.values())
        return (len(by_article), spread, tuple((f.article, f.start, f.id) for f in combo))

    best: tuple[Any, ...] | None = None
    best_combo: tuple[Fact, ...] | None = None
    if size <= limit:
        combos: Iterable[tuple[Fact, ...]] = itertools.product(*pools)
    else:
        combos = _greedy(pools)
    for combo in combos:
        if len({f.id for f in combo}) < len(combo):
            continue
        c = cost(combo)
        if best is None or c < best:
            best, best_combo = c, combo
    if best_combo is None:
        return None
    return dict(zip(names, best_combo))


def _greedy(pools: list[list[Fact]]) -> Iterator[tuple[Fact, ...]]:
    anchor_index = min(range(len(pools)), key=lambda i: len(pools[i]))
    for anchor in pools[anchor_index][:200]:
        combo: list[Fact] = []
        used = {anchor.id}
        for i, pool in enumerate(pools):
            if i == anchor_index:
                combo.append(anchor)
                continue
            options = [f for f in pool if f.id not in used]
            if not options:
                break
            pick = min(options, key=lambda f: (distance(anchor, f), f.article, f.start, f.id))
            used.add(pick.id)
            combo.append(pick)
        else:
            yield tuple(combo)


@dataclass
class FactSet:
    """One group's facts for one rule, with the tools a kind's `check()` needs."""

    rule: RuleParams
    group: dict[str, Any]
    facts: list[Fact]
    context: Context

    def select(self, selector: Selector) -> list[Fact]:
        return self.context.select(selector, self.facts)

    def article(self, article_id: str) -> Article | None:
        return self.context.articles.get(article_id)

    def choose(self, candidates: dict[str, list[Fact]]) -> dict[str, Fact] | None:
        return choose(candidates)

    # numbers --------------------------------------------------------------------------------------------
    def unit_for(self, selectors: Iterable[Selector], facts: Iterable[Fact]) -> str | None:
        """The unit to compare in: the first selector that names one, else the first fact's own unit."""
        for s in selectors:
            if s.unit is not None:
                return target_unit(s.unit)
        for f in facts:
            return f.unit
        return None

    def interval(self, fact: Fact, unit: str | None, tolerance: bool = True) -> Interval:
        """The fact's interval in `unit`, widened by the rule's tolerance; UnitMismatch if it does not convert."""
        raw = Interval(min(fact.low, fact.value), max(fact.high, fact.value))
        if unit == PERCENT and fact.unit is None:
            raise UnitMismatch(f"{fact.surface!r} is a plain count, not a percentage")
        try:
            k, offset = linear(fact.unit, unit)
        except LedgerError as e:
            raise UnitMismatch(f"{fact.surface!r}: {e.message}") from None
        except Exception:  # noqa: BLE001 - pint raises odd errors on odd units
            raise UnitMismatch(f"{fact.surface!r}: cannot convert {fact.unit} to {unit}") from None
        iv = raw.scale(k).shift(offset)
        t = self.rule.tolerance
        if tolerance and t is not None:
            iv = iv.widen(t.rel, t.abs)
        return iv

    def value(self, fact: Fact, unit: str | None) -> float:
        try:
            k, offset = linear(fact.unit, unit)
            return fact.value * k + offset
        except LedgerError as e:
            raise UnitMismatch(f"{fact.surface!r}: {e.message}") from None
        except Exception:  # noqa: BLE001
            raise UnitMismatch(f"{fact.surface!r}: cannot convert {fact.unit} to {unit}") from None

    def figure(self, fact: Fact, unit: str | None) -> str:
        """How a figure reads in the work: "~50,000 (45,000–55,000)" or "10,000"."""
        widened = self.interval(fact, unit)  # first: it says why a figure does not convert
        value = self.value(fact, unit)
        mark = {"approx": "~", "nearly": "~", "at_least": "≥", "more_than": ">", "at_most": "≤",
                "less_than": "<"}.get(fact.qualifier, "")
        text = f"{mark}{format_number(value)}{unit_suffix(unit)}"
        if widened != Interval.point(value):
            text += f" ({format_interval(widened)})"
        return text

    # findings -------------------------------------------------------------------------------------------
    def finding(self, status: str, message: str, *, facts: Iterable[Fact] = (), roles: dict[str, Iterable[Fact]] | None = None,
                expected: Interval | None = None, actual: Interval | None = None, unit: str | None = None,
                work: str = "", values: dict[str, Any] | None = None, group: dict[str, Any] | None = None) -> Finding:
        """A finding for this rule and group. For a failure, the rule's `message` template (if any) is
        filled from `values` plus the common placeholders."""
        used = list({f.id: f for f in facts}.values())  # by id: hashing a whole fact costs a hash of every field
        if not used and roles:
            used = list({f.id: f for fs in roles.values() for f in fs}.values())
        articles = tuple(dict.fromkeys(f.article for f in used))
        if status == "fail" and self.rule.message:
            common = {"rule": self.rule.id, "id": self.rule.id, "kind": self.rule.kind, "status": status,
                      "description": self.rule.description, "unit": unit or "",
                      "group": ", ".join(f"{k}={v}" for k, v in (group or self.group).items()) or "all articles",
                      "articles": ", ".join(articles), "facts": ", ".join(f.surface for f in used),
                      "expected": format_interval(expected) if expected else "",
                      "actual": format_interval(actual) if actual else "", "work": work, "default": message}
            common.update(values or {})
            message = fill_template(self.rule.message, common)
        return Finding(rule=self.rule.id, kind=self.rule.kind, severity=self.rule.severity, status=status,  # type: ignore[arg-type]
                       message=message, group=dict(group if group is not None else self.group), articles=articles,
                       facts=tuple(f.id for f in used),
                       expected=expected.as_json() if expected else None,
                       actual=actual.as_json() if actual else None, unit=unit, work=work,
                       roles={k: tuple(f.id for f in v) for k, v in (roles or {}).items()})

    def skipped(self, message: str, roles: dict[str, Iterable[Fact]] | None = None) -> Finding:
        return self.finding("skipped", message, roles=roles)

    def missing(self, candidates: dict[str, list[Fact]]) -> Finding | None:
        """A skipped finding naming each role that matched no fact, or None when every role has one."""
        empty = [name for name, facts in candidates.items() if not facts]
        if not empty:
            return None
        roles = self.rule.roles()
        names = "; ".join(f"{name} {describe(roles[name])}" if name in roles else name for name in empty)
        return self.skipped(f"skipped: no fact matched {names}", roles={k: v for k, v in candidates.items() if v})

    def chosen_note(self, candidates: dict[str, list[Fact]], chosen: dict[str, Fact]) -> str:
        """Says which fact was used where a role had several candidates."""
        notes = []
        for name, facts in candidates.items():
            if len(facts) > 1:
                notes.append(f"{name}: used {chosen[name].surface!r} of {len(facts)} candidates")
        return "; ".join(notes)


def describe(selector: Selector) -> str:
    """A selector as compact YAML: {subject: [inmates, prisoners], text: recruit}."""
    parts = []
    for key, value in selector.model_dump(exclude_none=True).items():
        if isinstance(value, list):
            shown = value[0] if len(value) == 1 else "[" + ", ".join(map(str, value)) + "]"
        elif isinstance(value, dict):
            shown = "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
        else:
            shown = value
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


def fill_template(template: str, values: dict[str, Any]) -> str:
    """str.format, one placeholder at a time: an unknown one is left as written, a format spec that does not
    suit the value (`{value:,.0f}` on a figure shown as text) formats it as a number when it reads as one, else
    is dropped; a broken template (a lone brace) is used as is."""
    import string

    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError:
        return template
    out = []
    for literal, name, spec, conversion in pieces:
        out.append(literal)
        if name is None:
            continue
        written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        try:
            value = string.Formatter().get_field(name, (), values)[0]
        except (LookupError, AttributeError, ValueError, TypeError):
            out.append(written)
            continue
        value = repr(value) if conversion == "r" else str(value) if conversion in ("s", "a") else value
        out.append(_formatted(value, spec or ""))
    return "".join(out)


def _formatted(value: Any, spec: str) -> str:
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        pass
    try:
        return format(float(str(value).replace(",", "")), spec)
    except (ValueError, TypeError):
        return str(value)


def fact_label(fs: FactSet, fact: Fact) -> str:
    return f"{fact.surface!r} ({fact.article}:{fact.line})"


def _handover(sentence: str, start: int, end: int) -> int:
    """Where the text between two figures (`start`..`end`) stops being the earlier one's: at its last
    conjunction, else at the later figure."""
    last = None
    for last in CONJUNCTION.finditer(sentence, start, end):
        pass
    return last.start() if last is not None else end
