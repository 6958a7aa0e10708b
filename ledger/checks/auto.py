"""Built-in checks nobody had to write: the arithmetic articles state about their own figures.

`run_auto(facts, relations, articles, settings)` checks, with no rule file:

- ``auto.composition``: subset and partition relations ("50,000 people, including 10,000 contractors and
  about 40,000 inmates": the parts may not exceed the total; "made up of", "for a total of", "Of the X, A
  ... and B ...": the parts must add up to it).
- ``auto.share``: "2,000 jobs, or about 8 % of its 25,000 workers": the part divided by the total must be
  the stated share (a stated percentage allows its own rounding: "8 %" is 7.5 %–8.5 %).
- ``auto.change``: "rose 5% to $2 billion from $1.9 billion": the new value over the old one must be one plus
  (or minus) the stated change; a change of a percentage is not checked (it may be in points).
- ``auto.agreement``: the same measure stated twice must agree: within a sentence ("$100 million a month,
  or $1.2 billion a year") and across articles: figures with the same entity, canonical subject (with
  aliases), unit dimension (rates convert), as-of window and wording, and none of them a forecast set
  against an actual, a cumulative total set against a flow, or a figure attributed to a denial. A failing
  finding names the outliers against the consensus. Tolls (counts of the killed, hurt or shot) are compared
  only with tolls of the same harm published the same day or the next, and one day's tolls told under two
  names of one place are compared (`ledger.checks.places`).

Every figure is an interval (`low`, `high`) and every comparison is interval arithmetic
(`ledger.checks.interval`). A failure whose reading is certain is the rule's severity (default `error`);
one whose reading is weak (a near miss, a total found elsewhere in the article, no majority) is at most
`warning`.

Why it matters
~~~~~~~~~~~~~~
News text carries its own arithmetic. Checking every stated composition, share and repeated figure
catches typos, stale numbers and misread units without anyone having to write a rule.

FAIL
~~~~
.. code-block:: markdown

    Wagner has about 50,000 people fighting in Ukraine, including 10,000 contractors and 60,000 inmates.

PASS
~~~~
.. code-block:: markdown

    Wagner has about 50,000 people fighting in Ukraine, including 10,000 contractors and about 40,000 inmates.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Iterable, Iterator, Mapping

from ledger.checks import grouping
from ledger.checks.cache import FindingCache, decode, encode, fingerprint
from ledger.checks.interval import Interval, format_interval, le
from ledger.checks.places import merged_places
from ledger.errors import LedgerError
from ledger.extract.clauses import beside_other_people, clause_of, is_partial, read_clause
from ledger.extract.entities import DEMONYM_RE, PLACE_MODIFIERS, normal_name
from ledger.forked import can_fork, forked
from ledger.model import (Article, Fact, Finding, Relation, article_ids, facts_in_chunks, facts_of_articles, held_facts,
                          placed, reads_on_demand, share_values)
from ledger.units import dimensionality, factor, linear


RULES: dict[str, str] = {"auto.composition": "sum", "auto.share": "ratio", "auto.change": "ratio",
                         "auto.agreement": "agreement"}
"""Built-in rule id -> the kind its findings carry."""
DEFAULT_SEVERITY = "error"
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
NEAR_MISS = 0.05
"""A failure by less than this share of the total is weak (warning): wording often rounds that much."""
AGREEMENT_WINDOW_DAYS = 45
"""Figures without a stated time compare across articles published this close together."""


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool = True
    severity: str = DEFAULT_SEVERITY


def rule_settings(settings: Any) -> dict[str, RuleSetting]:
    """Per-rule switches and severities from `ledger.yaml`'s `auto:` section (or None for the defaults).

    Accepted shapes, per rule id (`auto.share`) or short name (`share`): a mapping
    `{enabled: bool, severity: error|warning|info}`, a severity string, `off`/`false` to switch off; a
    top-level `enabled: false` switches all off."""
    out = {rule: RuleSetting() for rule in RULES}
    if settings is None:
        return out
    if hasattr(settings, "model_dump"):
        settings = settings.model_dump()
    if not isinstance(settings, Mapping):
        raise LedgerError(f"auto settings must be a mapping, not {type(settings).__name__}")
    if settings.get("enabled") is False:
        return {rule: RuleSetting(enabled=False) for rule in RULES}
    for key, value in settings.items():
        if key == "enabled":
            continue
        rule = key if key in RULES else f"auto.{key}"
        if rule not in RULES:
            raise LedgerError(f"unknown built-in rule {key!r}; valid: {', '.join(RULES)}")
        if hasattr(value, "model_dump"):
            value = value.model_dump()
        if value is False or value in ("off", "false", "never"):
            out[rule] = RuleSetting(enabled=False)
        elif value is True or value is None:
            out[rule] = RuleSetting()
        elif isinstance(value, str):
            if value not in SEVERITY_RANK:
                raise LedgerError(f"{rule}: severity must be error, warning, info or off, not {value!r}")
            out[rule] = RuleSetting(severity=value)
        elif isinstance(value, Mapping):
            severity = value.get("severity", DEFAULT_SEVERITY)
            if severity not in SEVERITY_RANK:
                raise LedgerError(f"{rule}: severity must be error, warning or info, not {severity!r}")
            out[rule] = RuleSetting(enabled=bool(value.get("enabled", True)), severity=severity)
        else:
            raise LedgerError(f"{rule}: give a severity, off, or {{enabled, severity}}")
    return out


def _weak(severity: str) -> str:
    return severity if SEVERITY_RANK[severity] <= SEVERITY_RANK["warning"] else "warning"


def _dimension(unit: str | None) -> str:
    try:
        return dimensionality(unit)
    except LedgerError:
        return f"unknown:{unit}"


_OWN = "\x00own"


def _interval(fact: Fact, unit: str | None = _OWN) -> Interval:
    """The fact's interval, converted to `unit` (its own unit when not given); LedgerError when it does not convert."""
    iv = Interval(fact.low, fact.high)
    if unit == _OWN or (fact.unit or "count") == (unit or "count"):
        return iv
    k, offset = linear(fact.unit, unit)
    return iv.scale(k).shift(offset)


def _unit_text(unit: str | None) -> str:
    return "" if unit in (None, "count") else f" {unit}"


def _show(iv: Interval, unit: str | None) -> str:
    return format_interval(iv) + _unit_text(unit)


def _figure(fact: Fact) -> str:
    q = {"approx": "~", "nearly": "<~", "more_than": ">", "at_least": "≥", "at_most": "≤", "less_than": "<"}
    return q.get(fact.qualifier, "") + fact.surface


# ---------------------------------------------------------------------------------------------------------
# auto.composition, auto.share and auto.change: relations inside one article


def _composition(rel: Relation, by_id: dict[str, Fact], setting: RuleSetting) -> Finding | None:
    total = by_id.get(rel.total or "")
    parts = [by_id[p] for p in rel.parts if p in by_id]
    if total is None or not parts or len(parts) != len(rel.parts):
        return None
    unit = total.unit
    try:
        part_ivs = [_interval(p, unit) for p in parts]
        total_iv = _interval(total, unit)
    except LedgerError:
        return None
    exhaustive = rel.kind == "partition"
    ok, detail = _composition_holds(part_ivs, total_iv, exhaustive)
    alternatives = [by_id[i] for i in re.findall(r"f[0-9a-f]{15}", rel.cue.partition("ambiguous:")[2]) if i in by_id]
    used_total = total
    if not ok and alternatives:
        for alt in alternatives:
            try:
                alt_iv = _interval(alt, unit)
            except LedgerError:
                continue
            if _composition_holds(part_ivs, alt_iv, exhaustive)[0]:
                ok, used_total, total_iv = True, alt, alt_iv
                break
    sum_iv = functools.reduce(lambda a, b: a + b, part_ivs)
    parts_text = " + ".join(_figure(p) for p in parts)
    relation = "=" if exhaustive else "≤"
    work = (f"{parts_text} = {_show(sum_iv, unit)} {relation} {_figure(used_total)} "
            f"({_show(total_iv, unit)}): {'pass' if ok else 'fail'}")
    cue = rel.cue.partition(" ambiguous:")[0]
    if ok:
        message = f"{parts_text} {'add up to' if exhaustive else 'fit within'} {_figure(used_total)} (\"{cue}\")"
        severity = setting.severity
    else:
        message = (f"{parts_text} add up to {_show(sum_iv, unit)}, "
                   f"{'but the total is' if exhaustive else 'more than the total of'} {_figure(total)} "
                   f"({_show(total_iv, unit)}) (\"{cue}\"){detail}")
        gap = max(sum_iv.low - total_iv.high, total_iv.low - sum_iv.high, 0.0)
        weak = gap < NEAR_MISS * max(abs(total_iv.mid), 1e-9) or bool(alternatives) or \
            (exhaustive and cue == "of the" and sum_iv.high < total_iv.low)
        severity = _weak(setting.severity) if weak else setting.severity
    facts = (used_total.id, *(p.id for p in parts))
    return Finding(rule="auto.composition", kind=RULES["auto.composition"], severity=severity,
                   status="pass" if ok else "fail", message=message, group={"article": rel.article},
                   articles=(rel.article,), facts=facts, expected=total_iv.as_json(), actual=sum_iv.as_json(),
                   unit=unit, work=work, roles={"total": (used_total.id,), "parts": tuple(p.id for p in parts)})


def _composition_holds(parts: list[Interval], total: Interval, exhaustive: bool) -> tuple[bool, str]:
    sum_iv = functools.reduce(lambda a, b: a + b, parts)
    if exhaustive:
        return sum_iv.overlaps(total), ""
    if not sum_iv.can_be_below(total):
        return False, ""
    return True, ""


def _share_interval(fact: Fact) -> Interval:
    """The stated share as a fraction, allowing the rounding its digits imply ("8 %" is 7.5 %–8.5 %)."""
    k = 0.01 if fact.unit == "percent" else factor(fact.unit, "fraction") if fact.unit else 1.0
    if fact.unit is None or fact.unit == "fraction":
        # a fraction in words ("a third", "half") is looser than its digits would be
        iv = Interval(fact.low, fact.high)
        loose = {"exact": (0.9, 1.1), "approx": (0.85, 1.15), "nearly": (0.85, 1.0)}.get(fact.qualifier)
        return iv.hull(Interval(fact.value * loose[0], fact.value * loose[1])) if loose else iv
    iv = Interval(fact.low, fact.high)
    digits = re.search(r"\d+(?:\.(\d+))?", fact.surface)
    if digits:
        half_step = 0.5 * 10.0 ** -len(digits.group(1) or "")
        if fact.qualifier in ("exact", "approx"):
            iv = iv.hull(Interval(fact.value - half_step, fact.value + half_step))
        elif fact.qualifier == "nearly":
            iv = iv.hull(Interval(fact.value - half_step, fact.value))
    else:  # "a third", "half": words are looser than digits
        iv = iv.hull(Interval(fact.value * 0.9, fact.value * 1.1)) if fact.qualifier == "exact" else iv
    return iv.scale(k)


def _related_by_share(rel: Relation, by_id: dict[str, Fact]) -> tuple[Fact, Fact, Fact, Interval, Interval, Interval] | None:
    """(total, part, share) of a share or change relation, the total's and the part's intervals in the total's unit,
    and the stated share as a fraction; None when a figure is missing or its unit does not convert."""
    total = by_id.get(rel.total or "")
    share = by_id.get(rel.share or "")
    parts = [by_id[p] for p in rel.parts if p in by_id]
    if total is None or share is None or len(parts) != 1:
        return None
    try:
        return total, parts[0], share, _interval(total, total.unit), _interval(parts[0], total.unit), _share_interval(share)
    except (LedgerError, ValueError):
        return None


def _percent(iv: Interval) -> Interval:
    return Interval(iv.low * 100, iv.high * 100)


def _share(rel: Relation, by_id: dict[str, Fact], setting: RuleSetting) -> Finding | None:
    found = _related_by_share(rel, by_id)
    if found is None:
        return None
    total, part, share, total_iv, part_iv, stated = found
    if total_iv.low <= 0 < total_iv.high or total_iv.high <= 0:
        return None
    ratio = part_iv / total_iv
    ok = ratio.overlaps(stated)
    pct, stated_pct = _percent(ratio), _percent(stated)
    elsewhere = "of the" in rel.cue and "or ... of" != rel.cue
    work = (f"{_figure(part)} / {_figure(total)} = {format_interval(pct)} % vs {_figure(share)} "
            f"({format_interval(stated_pct)} %): {'pass' if ok else 'fail'}")
    if ok:
        message = f"{_figure(part)} is {_figure(share)} of {_figure(total)}"
        severity = setting.severity
    else:
        message = (f"{_figure(part)} of {_figure(total)} is {format_interval(pct)} %, not {_figure(share)}"
                   + (" (total found elsewhere in the article)" if elsewhere else ""))
        gap_points = max(pct.low - stated_pct.high, stated_pct.low - pct.high, 0.0)
        weak = elsewhere or gap_points < 1.0
        severity = _weak(setting.severity) if weak else setting.severity
    return Finding(rule="auto.share", kind=RULES["auto.share"], severity=severity, status="pass" if ok else "fail",
                   message=message, group={"article": rel.article}, articles=(rel.article,),
                   facts=(part.id, total.id, share.id), expected=(stated.low, stated.high),
                   actual=ratio.as_json(), unit="fraction", work=work,
                   roles={"numerator": (part.id,), "denominator": (total.id,), "share": (share.id,)})


def _change(rel: Relation, by_id: dict[str, Fact], setting: RuleSetting) -> Finding | None:
    """ "rose 5% to $2 billion from $1.9 billion": the new value over the old one is one plus (or minus) the change."""
    found = _related_by_share(rel, by_id)
    if found is None:
        return None
    new, old, share, new_iv, old_iv, stated = found
    if old_iv.low <= 0 or new_iv.low < 0:
        return None
    ratio = new_iv / old_iv
    change = Interval(ratio.low - 1, ratio.high - 1) if rel.cue == "up" else Interval(1 - ratio.high, 1 - ratio.low)
    ok = change.overlaps(stated)
    pct, stated_pct = _percent(change), _percent(stated)
    work = (f"{_figure(new)} / {_figure(old)} = {rel.cue} {format_interval(pct)} % vs {_figure(share)} "
            f"({format_interval(stated_pct)} %): {'pass' if ok else 'fail'}")
    if ok:
        message = f"{_figure(old)} to {_figure(new)} is {rel.cue} {_figure(share)}"
        severity = setting.severity
    else:
        message = f"{_figure(old)} to {_figure(new)} is {rel.cue} {format_interval(pct)} %, not {_figure(share)}"
        gap_points = max(pct.low - stated_pct.high, stated_pct.low - pct.high, 0.0)
        severity = _weak(setting.severity) if gap_points < 1.0 else setting.severity
    return Finding(rule="auto.change", kind=RULES["auto.change"], severity=severity, status="pass" if ok else "fail",
                   message=message, group={"article": rel.article}, articles=(rel.article,),
                   facts=(new.id, old.id, share.id), expected=(stated.low, stated.high), actual=change.as_json(),
                   unit="fraction", work=work, roles={"new": (new.id,), "old": (old.id,), "change": (share.id,)})


def _restatement(rel: Relation, by_id: dict[str, Fact], setting: RuleSetting) -> Finding | None:
    """ "$100 million a month, or $1.2 billion a year": one measure in two units must agree."""
    target = by_id.get(rel.total or "")
    parts = [by_id[p] for p in rel.parts if p in by_id]
    if target is None or len(parts) != 1:
        return None
    source = parts[0]
    try:
        converted = _interval(source, target.unit)
    except LedgerError:
        return None
    stated = _interval(target)
    ok = converted.overlaps(stated)
    work = (f"{_figure(source)} = {_show(converted, target.unit)} vs {_figure(target)} "
            f"({_show(stated, target.unit)}): {'pass' if ok else 'fail'}")
    if ok:
        message = f"{_figure(source)} agrees with {_figure(target)}"
        severity = setting.severity
    else:
        message = f"{_figure(source)} is {_show(converted, target.unit)}, not {_figure(target)}"
        gap = max(converted.low - stated.high, stated.low - converted.high, 0.0)
        severity = _weak(setting.severity) if gap < NEAR_MISS * abs(stated.mid) else setting.severity
    return Finding(rule="auto.agreement", kind=RULES["auto.agreement"], severity=severity,
                   status="pass" if ok else "fail", message=message, group={"article": rel.article},
                   articles=(rel.article,), facts=(source.id, target.id), expected=stated.as_json(),
                   actual=converted.as_json(), unit=target.unit, work=work,
                   roles={"consensus": (target.id,), "outliers": () if ok else (source.id,)})


# ---------------------------------------------------------------------------------------------------------
# auto.agreement across articles

EVOLVING = frozenset({"die", "injure", "evacuate", "missing", "rescue", "arrest", "case", "infect", "confirm",
                      "recover", "hospitaliz", "hospital", "count", "tally", "shoot", "shot", "victim", "casualty",
                      "survivor", "body", "displac", "strand", "trap", "hurt"})
"""Figures that grow as reports come in: compared across articles only when published at most `EVOLVING_DAYS`
apart."""
EVOLVING_DAYS = 1
"""A toll told the night of an event and in the next morning's paper is one toll; two days on it may have grown
(the day-3 toll of a quake is not the day-1 toll)."""


def _scope(names: frozenset[str], entity: str) -> frozenset[str]:
    """The places a figure is limited to, other than the entity it is about."""
    if not names:
        return names
    own = normal_name(entity)
    return frozenset(n for n in names if n != own and not own.startswith(n) and not n.startswith(own))


def _scopes_agree(a: _Candidate, b: _Candidate) -> bool:
    """ "4,000 employees in Denver" is not the company's workforce: scopes must share a word, and a scope
    only one figure states must at least be named in the other's article."""
    a_words = {w for name in a.scope for w in name.split()}
    b_words = {w for name in b.scope for w in name.split()}
    if a_words and b_words:
        return bool(a_words & b_words)
    one_sided, other = (a_words, b.mentions) if a_words else (b_words, a.mentions)
    return all(other.names(w) for w in one_sided)


class _Mentions:
    """Whether an article's text names a word: asked once per word, not once per pair of figures."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lowered: str | None = None  # lower-cased on the first question: most articles are never asked
        self._names: dict[str, bool] = {}

    def names(self, word: str) -> bool:
        found = self._names.get(word)
        if found is None:
            if self._lowered is None:
                self._lowered = self.text.lower()
            found = self._names[word] = re.search(rf"\b{re.escape(word)}\b", self._lowered) is not None
        return found


@functools.lru_cache(maxsize=4096)
def _as_of_window(d: date | None, grain: str) -> tuple[date, date]:
    """The dates a figure stated as of `d` (its own date, else its article's) at `grain` may hold for."""
    if d is None:
        return date.min, date.max  # an undated article: its figures may hold at any time
    if grain == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if grain in ("month", "quarter"):
        first = date(d.year, d.month - (d.month - 1) % 3 if grain == "quarter" else d.month, 1)
        last = first.month + (2 if grain == "quarter" else 0)
        nxt = date(d.year + (last == 12), last % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if grain == "day":
        return d, d
    return d - timedelta(days=AGREEMENT_WINDOW_DAYS), d


class _SubjectNames:
    def __init__(self, aliases: Any) -> None:
        from ledger.extract.entities import aliases_table

        self.canonical: dict[str, str] = {}
        for key, values in aliases_table(aliases, "subjects").items():
            for word in [key, *values]:
                self.canonical.setdefault(_lemma(str(word)), _lemma(str(key)))

    def resolve(self, word: str | None) -> str:
        if not word:
            return ""
        lemma = _lemma(word)
        return self.canonical.get(lemma, COUNTED_PEOPLE.get(lemma, lemma))


COUNTED_PEOPLE = {"other": "person", "victim": "person"}
""" "One died and four others were hurt": the others counted whole (a partial "others" is never compared) are
people, as "four people were hurt" says; so are "four victims"."""
TOLL_PEOPLE = frozenset("""man woman male female boy girl teen teenager child kid adult juvenile youth individual
bystander spectator daughter son""".split())
"""Who a toll counts, as one outlet or another names them: "three men were wounded" and "three people were
wounded" tell one toll; but men counted beside women ("two men and a woman were shot") are still men, a part
of the toll (`ledger.extract.clauses.beside_other_people`)."""


@functools.lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    text = " ".join(word.lower().split())
    last = text.split(" ")[-1] if text else text
    try:
        from ledger.extract.subjects import lemma
    except ImportError:  # pragma: no cover
        return last.rstrip("s")
    return lemma(last)


@dataclass(slots=True)
class _Candidate:
    fact: Fact | _Figure
    words: frozenset[str]
    window: tuple[date, date]
    published: date | None
    evolving: bool
    scope: frozenset[str]
    """Places and units the figure is limited to ("in Denver", "at its Ohio plant")."""
    mentions: _Mentions
    """Its article's text, shared by the article's figures."""
    grain: str
    entity: str
    """Who the figure is about, under the shorter name it extends (see `_entity_prefixes`)."""
    harm: frozenset[str] = frozenset()
    """What its clause says happened to those it counts (see `HARM`)."""
    change: frozenset[str] = frozenset()
    """Whether its clause counts those added or taken away (see `CHANGE`)."""


class _Figure:
    """A keyed figure as a re-run reads it back for agreement (table "figures"): the fields of its fact that
    agreement and the places of its findings use, without the sentence and subject (a changed article's key
    groups span a third of a million-fact archive: building their facts took 2 of the child's 8 s)."""

    __slots__ = ("id", "article", "start", "end", "line", "column", "surface", "low", "high", "qualifier", "unit",
                 "entity", "as_of", "tags", "clause")

    def __init__(self, article: str, row: list[Any]) -> None:
        (_, self.id, self.start, self.end, self.line, self.column, self.surface, self.low, self.high,
         self.qualifier, self.unit, self.entity, as_of, tags, self.clause) = row
        self.article = article
        self.as_of = date.fromisoformat(as_of) if as_of else None
        self.tags = tuple(tags)


def _figure_row(own: list[Fact], j: int, clause: str) -> list[Any]:
    """What "figures" stores of `own[j]`, read back by `_Figure`, with its clause (`clause_of`)."""
    f = own[j]
    return [j, f.id, f.start, f.end, f.line, f.column, f.surface, f.low, f.high, f.qualifier, f.unit, f.entity,
            f.as_of.isoformat() if f.as_of else None, list(f.tags), clause]


MIN_COUNT = 2
"""Counts below this are not compared across articles: "one" rarely counts anything ("one of the victims", "one
man"). Small counts are compared, since a shooting's toll is small; partial counts ("two of the victims", "four
others") are set aside by `ledger.extract.clauses.is_partial`. On the dev news (772 articles on 300 incidents)
every agreement finding then joins articles on one incident."""


def _agreement_key(fact: Fact, entity: str | None, subjects: _SubjectNames,
                   harmed: Callable[[], bool] = lambda: False,
                   toll: Callable[[], bool] = lambda: False,
                   beside: Callable[[], bool] = lambda: False) -> tuple[Any, ...] | None:
    """The key group of figures `fact` may be compared with; `harmed` says whether a count of nothing named
    says right beside it what happened to those it counts ("two dead and three injured": people); `toll`
    whether its clause says those it counts were killed, hurt or shot ("three men were wounded": people), and
    `beside` whether it counts one kind of people beside another ("two men and a woman": men still)."""
    if not entity or "denial" in fact.tags:
        return None
    dimension = _dimension(fact.unit)
    if dimension.startswith("unknown") or math.isinf(fact.low) and math.isinf(fact.high):
        return None
    if dimension == "[time]" or (dimension == "count" and fact.value < MIN_COUNT):
        return None  # durations, and "one": too often different things under the same words
    subject = subjects.resolve(fact.lemma or fact.subject)
    if not subject and dimension == "count" and harmed():
        subject = "person"
    elif subject in TOLL_PEOPLE and dimension == "count" and toll() and not beside():
        subject = "person"
    if dimension in ("count", "percent", "angle") and not subject:
        return None  # "50,000" of what? too vague to compare
    return (normal_name(entity), subject, dimension, _measure_kind(fact.tags))


@functools.lru_cache(maxsize=4096)
def _measure_kind(tags: tuple[str, ...]) -> tuple[str, ...]:
    """A forecast is not set against an actual, nor a cumulative total against a flow."""
    return tuple(sorted(t for t in tags if t in ("forecast", "cumulative")))


@functools.lru_cache(maxsize=4096)
def _grain(tags: tuple[str, ...]) -> str:
    return next((t.split(":", 1)[1] for t in tags if t.startswith("as_of:")), "published")


HARM = {"die": "die", "injure": "hurt", "shot": "hurt"}
"""What a toll says happened to those it counts: "four people were shot" and "about 50 people were in the crowd"
count different things, and so do "two died" and "five were hurt"; "shot" and "wounded" are alike."""


CHANGE = {**dict.fromkeys("cut cutt eliminat slash shed furlough axed trim trimm reduc".split(), "down"),
          **dict.fromkeys("hir hire add creat".split(), "up")}
"""Stems of the verbs that count a change, not a whole: "cut 10,000 workers" is no headcount set against "employs
67,000 workers", and "hired 2,000" is not "laid off 2,000" ("lay" and "laid" only with "off": "two men lay
wounded"). Not "fired" nor "lost": in the news they are shots and lives far more often than jobs."""


def _counted_change(words: frozenset[str]) -> frozenset[str]:
    found = {CHANGE[w] for w in words & CHANGE.keys()}
    if "off" in words and words & {"lay", "laid"}:
        found.add("down")
    return frozenset(found)


PERIOD_GRAINS = frozenset({"year", "quarter", "month"})


def _similarity(a: _Candidate, b: _Candidate) -> float:
    """How alike the words around two figures are (0 to 1); 0 when the figures cannot state the same measure.
    The cheap tests come first: most pairs are settled before the scopes are looked at."""
    common = len(a.words & b.words)
    if not common or a.fact.article == b.fact.article:
        return 0.0
    harm_a, harm_b = a.harm, b.harm
    if (harm_a or harm_b) and not harm_a & harm_b:
        return 0.0
    if (a.change or b.change) and not a.change & b.change:
        return 0.0
    if a.grain != b.grain and {a.grain, b.grain} <= PERIOD_GRAINS:
        return 0.0  # a year's, a quarter's and a month's figure of the same measure differ by design
    if (a.evolving or b.evolving) and (a.published is None or b.published is None
                                       or abs((a.published - b.published).days) > EVOLVING_DAYS):
        return 0.0  # tolls and tallies grow report by report: only a day's or the next day's figures must agree
    if not (a.window[0] <= b.window[1] and b.window[0] <= a.window[1]):
        return 0.0
    if a.scope != b.scope and not _scopes_agree(a, b):
        return 0.0
    return common / (len(a.words) + len(b.words) - common)


EXACT_GROUP = 512
"""Key groups up to this many figures compare every pair whose as-of windows overlap (every normal input)."""
NEIGHBOURS = 16
"""In a larger key group (a popular entity and subject across thousands of articles) a figure is compared
only with the `NEIGHBOURS` figures on either side of it in as-of-window order, its nearest in time: linear
work, deterministic and symmetric, instead of every pair."""


def _clusters(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Figures that state the same measure: linked when each is the other's best match in the other's article
    (so one article's other figures for the entity never chain unrelated figures together).

    Only figures whose as-of windows overlap can match, so candidates are swept in window order; in a
    group larger than `EXACT_GROUP` each is compared with at most `NEIGHBOURS` on either side (deterministic, symmetric)."""
    n = len(candidates)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    arts = [c.fact.article for c in candidates]
    starts = [c.window[0] for c in candidates]
    ends = [c.window[1] for c in candidates]
    order = sorted(range(n), key=lambda i: (starts[i], ends[i], i))
    reach = n if n <= EXACT_GROUP else NEIGHBOURS
    # per figure: other article -> (the best score there, the figure with it, or -1 when two tie for it)
    best: list[dict[str, tuple[float, int]]] = [{} for _ in range(n)]

    def offer(mine: dict[str, tuple[float, int]], there: str, j: int, score: float) -> None:
        seen = mine.get(there)
        if seen is None or score > seen[0]:
            mine[there] = (score, j)
        elif score == seen[0] and not (seen[1] >= 0 and _same_figure(candidates[seen[1]], candidates[j])):
            mine[there] = (score, -1)  # two different figures tie: neither is the match

    # similarity is symmetric, and so is who is compared with whom: each pair is scored once, for both sides
    for p, i in enumerate(order):
        c, end_i, art_i = candidates[i], ends[i], arts[i]
        for j in order[p + 1:p + reach + 1]:
            if starts[j] > end_i:
                break  # later windows start later still: none of them overlaps
            if arts[j] == art_i:
                continue
            score = _similarity(c, candidates[j])
            if score > 0:
                offer(best[i], arts[j], j, score)
                offer(best[j], art_i, i, score)
    for i, matches in enumerate(best):
        for _, j in matches.values():
            if i < j and best[j][arts[i]][1] == i:  # mutual best matches: each pair once
                parent[find(i)] = find(j)
    groups: dict[int, list[_Candidate]] = defaultdict(list)
    for i, c in enumerate(candidates):
        groups[find(i)].append(c)
    return [g for g in groups.values() if len({c.fact.article for c in g}) >= 2]


def _same_figure(a: _Candidate, b: _Candidate) -> bool:
    """One figure told twice in an article (a photo caption repeated under each picture): a tie between them
    is no doubt about which it matches."""
    return (a.fact.low, a.fact.high, a.fact.unit) == (b.fact.low, b.fact.high, b.fact.unit)


def _agreement(cluster: list[_Candidate], key: tuple[Any, ...], setting: RuleSetting) -> Finding | None:
    unit = cluster[0].fact.unit
    try:
        figures = [(c.fact, _interval(c.fact, unit)) for c in cluster]
    except LedgerError:
        return None
    articles = sorted({f.article for f, _ in figures})
    points = sorted({x for _, iv in figures for x in (iv.low, iv.high, iv.mid) if not math.isinf(x)})
    if not points:
        return None
    # Which points each figure contains is a run of consecutive points (`contains` is monotone in x), so
    # coverage is counted with one sweep: O(m log m) for m figures, never every figure at every point.
    spans = [_contained_span(iv, points) for _, iv in figures]
    by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (f, _), span in zip(figures, spans):
        if span[0] <= span[1]:
            by_article[f.article].append(span)
    delta = [0] * (len(points) + 1)
    for own in by_article.values():
        for lo, hi in _merged_spans(own):
            delta[lo] += 1
            delta[hi + 1] -= 1
    counts, running = [], 0
    for d in delta[:-1]:
        running += d
        counts.append(running)
    best = max(counts)
    best_index = [k for k, n in enumerate(counts) if n == best]

    def covers(span: tuple[int, int], k: int) -> bool:
        return span[0] <= k <= span[1]

    entity, subject, dimension, _ = key
    what = f"{cluster[0].entity} · {subject or unit or dimension}"
    figures_text = "; ".join(f"{_figure(f)} ({f.article})" for f, _ in figures)
    group = {"entity": cluster[0].entity, "subject": subject or None, "dimension": dimension}
    if best == len(articles):
        k0 = best_index[0]
        used = [f for (f, _), span in zip(figures, spans) if covers(span, k0)]
        region = functools.reduce(_intersect, (iv for (_, iv), span in zip(figures, spans) if covers(span, k0)))
        return Finding(rule="auto.agreement", kind="agreement", severity=setting.severity, status="pass",
                       message=f"{len(articles)} articles agree on {what} ({_show(region, unit)})", group=group,
                       articles=tuple(articles), facts=tuple(f.id for f in used), expected=region.as_json(),
                       actual=region.as_json(), unit=unit, work=f"{figures_text}: agree on {_show(region, unit)}",
                       roles={"consensus": tuple(f.id for f in used)})
    # the consensus: the point most articles' figures allow; ties between distinct readings mean no majority
    distinct = _cover_sets(figures, spans, set(best_index), len(points))
    majority = best * 2 > len(articles) and len(distinct) == 1
    if majority:
        members = next(iter(distinct))
        at_best = [0]
        for k in range(len(points)):
            at_best.append(at_best[-1] + (counts[k] == best))
        chosen = [f.article in members and span[0] <= span[1] and at_best[span[1] + 1] - at_best[span[0]] > 0
                  for (f, _), span in zip(figures, spans)]
        consensus_facts = [f for (f, _), keep in zip(figures, chosen) if keep]
        consensus = functools.reduce(_intersect, (iv for (_, iv), keep in zip(figures, chosen) if keep))
        outliers = [(f, iv) for f, iv in figures if f.article not in members]
    else:
        consensus_facts, consensus = [], None
        outliers = _disagreeing(figures)
    if not outliers:
        return None
    # an article that also states a figure within the consensus is not an outlier for this measure
    consensus_articles = {g.article for g in consensus_facts}
    outliers = [(f, iv) for f, iv in outliers if f.article not in consensus_articles]
    if not outliers:
        return None
    actual = functools.reduce(Interval.hull, (iv for _, iv in outliers))
    outliers_text = ", ".join(f"{_figure(f)} ({f.article})" for f, _ in outliers)
    consensus_text = _show(consensus, unit) if consensus is not None else "none"
    if consensus is not None:
        message = (f"{what}: {outliers_text} disagree{'s' if len(outliers) == 1 else ''} with "
                   f"{len({f.article for f in consensus_facts})} other article(s) ({consensus_text})")
        gap = min(max(iv.low - consensus.high, consensus.low - iv.high, 0.0) for _, iv in outliers)
        weak = gap < NEAR_MISS * max(abs(consensus.mid), 1e-9)
    else:
        message = f"{what}: no majority; these figures disagree: {outliers_text}"
        weak = True
    severity = _weak(setting.severity) if weak else setting.severity
    return Finding(rule="auto.agreement", kind="agreement", severity=severity, status="fail", message=message,
                   group=group, articles=tuple(sorted({f.article for f, _ in outliers})),
                   facts=tuple(f.id for f, _ in outliers),
                   expected=consensus.as_json() if consensus is not None else None, actual=actual.as_json(),
                   unit=unit, work=f"{figures_text}; consensus {consensus_text}; outliers: {outliers_text}",
                   roles={"consensus": tuple(f.id for f in consensus_facts),
                          "outliers": tuple(f.id for f, _ in outliers)})


def _contained_span(iv: Interval, points: list[float]) -> tuple[int, int]:
    """The first and last index of the sorted `points` that `iv` contains (first > last when none)."""
    lo, hi = 0, len(points)
    while lo < hi:  # first point with le(iv.low, x)
        mid = (lo + hi) // 2
        if le(iv.low, points[mid]):
            hi = mid
        else:
            lo = mid + 1
    first = lo
    lo, hi = first, len(points)
    while lo < hi:  # first point past the figure: not le(x, iv.high)
        mid = (lo + hi) // 2
        if le(points[mid], iv.high):
            lo = mid + 1
        else:
            hi = mid
    return first, lo - 1


def _merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _cover_sets(figures: list[tuple[Fact, Interval]], spans: list[tuple[int, int]], wanted: set[int],
                size: int) -> set[frozenset[str]]:
    """The distinct sets of articles whose figures contain each wanted point, by one sweep over the points."""
    starts: dict[int, list[str]] = defaultdict(list)
    stops: dict[int, list[str]] = defaultdict(list)
    for (f, _), (lo, hi) in zip(figures, spans):
        if lo <= hi:
            starts[lo].append(f.article)
            stops[hi + 1].append(f.article)
    active: dict[str, int] = defaultdict(int)
    out: set[frozenset[str]] = set()
    for k in range(size):
        for article in stops.get(k, ()):
            active[article] -= 1
            if not active[article]:
                del active[article]
        for article in starts.get(k, ()):
            active[article] += 1
        if k in wanted:
            out.add(frozenset(active))
    return out


def _disagreeing(figures: list[tuple[Fact, Interval]]) -> list[tuple[Fact, Interval]]:
    """Figures some other article's figure does not overlap: against the two articles with the lowest high
    end and the two with the highest low end (`le` is monotone), so O(m) rather than every pair."""
    low_high: dict[str, float] = {}
    high_low: dict[str, float] = {}
    for f, iv in figures:
        low_high[f.article] = min(low_high.get(f.article, math.inf), iv.high)
        high_low[f.article] = max(high_low.get(f.article, -math.inf), iv.low)
    lowest = sorted(low_high.items(), key=lambda kv: kv[1])[:2]
    highest = sorted(high_low.items(), key=lambda kv: -kv[1])[:2]
    out = []
    for f, iv in figures:
        other_high = next((h for a, h in lowest if a != f.article), None)
        other_low = next((lo for a, lo in highest if a != f.article), None)
        if (other_high is not None and not le(iv.low, other_high)) or \
                (other_low is not None and not le(other_low, iv.high)):
            out.append((f, iv))
    return out


def _intersect(a: Interval, b: Interval) -> Interval:
    low, high = max(a.low, b.low), min(a.high, b.high)
    return Interval(min(low, high), max(low, high))


def _entity_prefixes(entities: Iterable[str]) -> dict[str, str]:
    """Names that extend a shorter name the corpus also uses ("Northwind Airlines", "Riverton City Council",
    "Russia's Wagner", "the Russian Wagner group") -> that shorter name ("Northwind", "Riverton", "Wagner"), when
    exactly one shorter name fits."""
    by_normal: dict[str, str] = {}
    for name in entities:
        by_normal.setdefault(normal_name(name), name)
    out: dict[str, str] = {}
    for normal, name in by_normal.items():
        words = normal.split()
        # "New Orleans" is no "New": a place's first word alone names nothing
        shorter = [" ".join(words[:k]) for k in range(1, len(words)) if " ".join(words[:k]) in by_normal
                   and not (k == 1 and words[0] in PLACE_MODIFIERS)]
        owned = _owned_name(name)
        if owned is not None and owned in by_normal and owned not in shorter:
            shorter.append(owned)
        if len(shorter) == 1:
            out[name] = by_normal[shorter[0]]
    return out


OWNER_RE = re.compile(r"^(?:(?:\S+[ \t]+)*?\S+['’]s|(?P<demonym>\S+))[ \t]+(?P<owned>\S.*)$")


def _owned_name(name: str) -> str | None:
    """The name after its owner or nationality ("Russia's Wagner", "Saudi Arabia's Aramco", "Russian Wagner"), in
    normal form; None when the name has neither."""
    owner = OWNER_RE.match(" ".join(_display_words(name)))
    if owner is None or owner.group("demonym") is not None and not DEMONYM_RE.search(owner.group("demonym")):
        return None
    return normal_name(owner.group("owned"))


def _display_words(name: str) -> list[str]:
    words = name.replace("’", "'").split()
    return words[1:] if words and words[0].lower() in ("the", "a", "an") else words


def cross_article(facts: Iterable[Fact], articles: Mapping[str, Article], setting: RuleSetting,
                  aliases: Any = None, clauses: Mapping[str, str] | None = None,
                  cache: FindingCache | None = None, placing: bool = False,
                  deferred: list[tuple[int, str]] | None = None,
                  on_kept: Callable[[set[str]], None] | None = None, _again: bool = False) -> list[Finding]:
    """Agreement findings, one key group at a time; with a `cache`, a group whose figures, articles and
    settings are all as in an earlier run keeps that run's findings, and an unchanged article keeps what its
    figures were keyed by (`_keyed`). `placing`: every finding knows where its facts stand (`Finding.places`),
    for a report that will not read them. `deferred`: kept groups' findings are not read but listed there, as
    (their place in the findings returned, the group's digest), for the caller to read; `on_kept` is told their
    digests as soon as they are known."""
    subjects = _SubjectNames(aliases)
    order = article_ids(facts)
    by_article: dict[str, list[Fact]] = {}  # each article's facts in text order, for the articles read

    def read(wanted: Iterable[str]) -> None:
        wanted = [a for a in wanted if a not in by_article]
        for a in wanted:
            by_article[a] = []
        for fact in facts_of_articles(facts, wanted):
            by_article[fact.article].append(fact)
        for a in wanted:
            by_article[a].sort(key=lambda f: (f.start, f.end))

    stamp = fingerprint("keyed", aliases) if cache is not None else ""
    keyed = _StoredKeys(cache.load_rows(stamp, "keyed", parse=False) if cache is not None else {})
    read(a for a in order if a not in keyed.entities)
    # a longer name goes under the shorter one it extends; looked up, not copied into a million facts
    names = _entity_prefixes(e for a in order for e in (keyed.entities[a] if a in keyed.entities else
                                                          _entities(by_article[a])))
    # Keys first, candidates one key group at a time: a million figures' words and scopes are never all
    # held at once.
    groups: dict[Key, list[Any]] = defaultdict(list)  # members, flat (`_members`)
    toll_entries: list[tuple[str, int, Key, date]] = []  # (article, place of the figure, key, published) of each toll
    entities: dict[str, str] = {}  # one of each name (read afresh from each article's row)
    grouped_as: dict[str, str] = {}  # each name's key name, once (per figure, 0.17 s at 1.0M)
    added: set[Key] | None = None  # regrouping (`grouping`): the groups figures were put in

    def group(wanted: Iterable[str]) -> Iterator[tuple[str, Any]]:
        """Put the keyed figures of these articles in their groups; yield the keys worked out afresh, to be stored
        as they come (a million figures' keys are never all held at once)."""
        for article_id in wanted:
            rows = keyed.rows(article_id)
            fresh = rows is None
            if fresh:
                if article_id in keyed.entities:  # its names, as the damaged row had them, went into `names`
                    damaged.append(article_id)
                read([article_id])  # a damaged row's article is read now
                record = _keyed(by_article[article_id], articles, subjects, clauses or {})
                rows = record["rows"]
            article = articles.get(article_id)
            published = article.published if article is not None else None
            for j, _, entity, subject, dimension, kind, harmed in rows:
                name = grouped_as.get(entity)
                if name is None:
                    name = grouped_as[entity] = normal_name(names.get(entity, entity))
                key = (name, subject, dimension, tuple(kind))
                if published is not None and harmed and dimension == "count":
                    toll_entries.append((article_id, j, key, published))
                groups[key] += (article_id, j, entities.setdefault(entity, entity))
                if added is not None:
                    added.add(key)
            if fresh and cache is not None:
                own = by_article[article_id]
                yield article_id, (record, [_figure_row(own, j, _clause(own, j, articles, clauses or {}))
                                            for j, *_ in record["rows"]])

    salt = fingerprint(setting, aliases) if cache is not None else ""
    prior = _usable(grouping.load(grouping.path_for(cache.store_path)), stamp, order, names, cache.article_keys) \
        if cache is not None else None
    touched: set[Key] = set()  # regrouping: the groups that are not as they were
    if prior is None:
        wanted = order
    else:
        added = set()
        wanted, touched = _ungroup(prior, groups, toll_entries, order, cache.article_keys)  # type: ignore[union-attr]
    damaged: list[str] = []  # articles whose stored rows turned out damaged after their names were taken
    if cache is not None:
        cache.save_rows(stamp, group(wanted), "keyed", "figures")
        if damaged and not _again:  # keyed anew and stored now: all over again, with their names as they are
            return cross_article(facts, articles, setting, aliases, clauses, cache, placing, deferred, on_kept, True)
    else:
        for _ in group(wanted):
            pass
    if prior is not None and added is not None:  # regrouped
        position = {article_id: n for n, article_id in enumerate(order)}
        for key in added:  # in article order again
            groups[key] = [value for member in sorted(_members(groups[key]), key=lambda m: (position[m[0]], m[1]))
                           for value in member]
        toll_entries.sort(key=lambda t: (position[t[0]], t[1]))
        touched |= added | prior.moved
    raw, raw_tolls = dict(groups), list(toll_entries)  # as made, for the next run (groups are replaced, not changed)
    # one day's tolls told under different names of one place go under one of them (`ledger.checks.places`)
    tolls = [(day, key[0], article_id) for article_id, _, key, day in toll_entries]
    places = merged_places(tolls, lambda a: articles[a].text) if tolls else {}
    moved = _move_tolls(groups, _toll_members(groups, toll_entries), places, order) if places else set()
    touched |= moved
    # a group whose figures all come from one article has nothing to agree on (`_clusters` wants two articles):
    # neither checked nor stored (nine in ten groups of a synthetic million-fact archive, each a row read back)
    for key in [k for k, members in groups.items() if len(set(members[::_MEMBER])) < 2]:
        del groups[key]
    known = {} if prior is None or prior.salt != salt else prior.digests
    digests = _digests(groups, names, cache, salt, {k: d for k, d in known.items() if k not in touched}) \
        if cache is not None else {}
    if cache is not None:
        keys = cache.article_keys
        cache.tidy(functools.partial(grouping.save, grouping.path_for(cache.store_path),
                                     grouping.Grouping(stamp, salt, order, {a: keys[a] for a in order if a in keys},
                                                       names, raw, raw_tolls, digests, moved)))
    del raw, raw_tolls, prior
    kept: dict[str, list[Finding]] | set[str] = {}
    if cache is not None:
        kept = cache.groups(list(digests.values())) if deferred is None else cache.stored_groups(list(digests.values()))
        if on_kept is not None:
            on_kept(set(kept))
    wanted: dict[str, set[int]] = defaultdict(set)  # article -> the places of its figures in groups checked afresh
    for key, members in groups.items():
        if digests.get(key) not in kept:
            for article_id, j, _ in _members(members):
                wanted[article_id].add(j)
    figures = _stored_figures(cache, stamp, {a: js for a, js in wanted.items() if a not in by_article}) \
        if cache is not None else {}
    read(a for a in wanted if a not in figures)
    del wanted
    placing = placing or bool(figures)  # a report reads the facts of stored figures by where they stand

    def figure(article_id: str, j: int) -> tuple[Fact | _Figure, str]:
        own = by_article.get(article_id)
        if own is None:
            stored = figures[article_id][j]
            return stored, stored.clause
        return own[j], _clause(own, j, articles, clauses or {})

    mentions: dict[str, _Mentions] = {}
    findings = []
    fresh: dict[str, list[Finding]] = {}
    named: dict[str, Fact | _Figure] = {}  # the figures findings made here name, by id (not a million of them)
    for key in sorted(groups, key=str):
        members = groups.pop(key)
        digest = digests.get(key)
        if digest in kept:
            if deferred is None:
                findings.extend(kept[digest])  # type: ignore[index]
            else:
                deferred.append((len(findings), digest))
            continue
        candidates = [c for a, j, _ in _members(members)
                      if (c := _candidate(*figure(a, j), key, articles, mentions, names))]
        found = [f for cluster in _clusters(candidates) if (f := _agreement(cluster, key, setting)) is not None]
        findings.extend(found)
        if digest is not None:
            fresh[digest] = found
        if found and cache is not None:  # a finding names figures of its group alone
            ids = {i for f in found for i in (*f.facts, *(i for role in f.roles.values() for i in role))}
            named.update((c.fact.id, c.fact) for c in candidates if c.fact.id in ids)
    mentions.clear()  # every article's text, lower-cased: not needed any more
    if cache is not None:
        # stored with where their facts stand
        cache.save_groups(fresh, digests.values(), named, articles, keep_places=placing)
        if placing:  # what was stored is placed already: this places the findings of groups not stored
            placed(findings, named, articles)
    return findings


class _StoredKeys:
    """The "keyed" rows stored for unchanged articles (`_keyed`), held as their JSON text: the names of each
    article's figures (`entities`) are read at once, for every article's names are needed before the first key;
    its rows only when its figures are grouped, and then let go (read all at once, a million figures' rows took
    400 MB)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.entities: dict[str, list[str]] = {}
        self._texts: dict[str, tuple[str, int]] = {}
        for article_id, text in texts.items():
            if text.startswith(_ENTITIES):
                try:
                    entities, end = _DECODE(text, len(_ENTITIES))
                except ValueError:  # damaged: worked out again
                    continue
                if text.startswith(_ROWS, end) and type(entities) is list:
                    self.entities[article_id] = entities
                    self._texts[article_id] = (text, end + len(_ROWS))

    def rows(self, article_id: str) -> list[list[Any]] | None:
        """The article's rows, once: None when none are stored, or they are damaged."""
        text, start = self._texts.pop(article_id, ("", 0))
        try:
            rows = _DECODE(text, start)[0] if text else None
        except ValueError:
            return None
        return rows if type(rows) is list and all(type(row) is list and len(row) == 7 for row in rows) else None


_ENTITIES, _ROWS = '{"entities":', ',"rows":'
"""How a "keyed" row's JSON (`_keyed`, as `FindingCache.save_rows` writes it) starts, and what comes between."""
_DECODE = json.JSONDecoder().raw_decode


def _keyed(own: list[Fact], articles: Mapping[str, Article], subjects: _SubjectNames,
           clauses: Mapping[str, str]) -> dict[str, list[Any]]:
    """What an article's figures (`own`, in text order) are keyed by for agreement, worked out from the article
    alone: every name its figures are about ("entities"), and per figure with a key ("rows"): its place in
    `own`, its id, its entity, the rest of its key (subject, dimension, measure kind) and whether its clause
    says those it counts were harmed. The name a key goes under depends on every article's names, so it is
    looked up afterwards (`_entity_prefixes`)."""
    rows = []
    for j, fact in enumerate(own):
        harmed = functools.partial(_harmed, own, j, articles, clauses)
        key = _agreement_key(fact, fact.entity, subjects, functools.partial(_bare_toll, fact, articles), harmed,
                             functools.partial(_beside_other_people, fact, articles))
        if key is not None:
            rows.append([j, fact.id, fact.entity, key[1], key[2], list(key[3]), key[2] == "count" and harmed()])
    return {"entities": _entities(own), "rows": rows}


def _entities(own: list[Fact]) -> list[str]:
    return sorted({f.entity for f in own if f.entity})


Key = tuple[Any, ...]
"""A key group's key: the name its figures go under, their subject, dimension and measure kind."""

_MEMBER = 3
"""Values per member of a key group: article id, place of the figure in the article's facts (in text order) and
entity. A group holds its members' values one after another in one list: a tuple per member, 900,000 of them at a
million facts, took 65 MB, and a tenth of the agreement child's time to make, go over and free."""


def _members(flat: list[Any]) -> Iterator[tuple[str, int, str]]:
    """A key group's members, from the one list that holds them (`_MEMBER`)."""
    values = iter(flat)
    return zip(values, values, values)


def _usable(prior: grouping.Grouping | None, stamp: str, order: list[str], names: Mapping[str, str],
            article_keys: Mapping[str, str]) -> grouping.Grouping | None:
    """The last run's grouping, when this run may take it (`ledger.checks.grouping`): its figures' keys made under
    the same `stamp`, the articles it keeps in the same order, and the names their figures go under the same."""
    if prior is None or prior.stamp != stamp:
        return None
    kept = [a for a in order if (key := article_keys.get(a)) is not None and prior.keys.get(a) == key]
    kept_set = set(kept)
    if [a for a in prior.order if a in kept_set] != kept:
        return None
    renamed = {e for e in prior.names.keys() | names.keys() if prior.names.get(e) != names.get(e)}
    if renamed and any(not renamed.isdisjoint(members[2::_MEMBER]) for members in prior.groups.values()):
        return None
    return prior


def _ungroup(prior: grouping.Grouping, groups: dict[Key, list[Any]],
             toll_entries: list[tuple[str, int, Key, date]], order: list[str],
             article_keys: Mapping[str, str]) -> tuple[list[str], set[Key]]:
    """Fill `groups` and `toll_entries` with the last run's, less the figures of articles gone or changed; return
    the articles to group again (new or changed, in order) and the groups that lost figures."""
    kept = {a for a in order if (key := article_keys.get(a)) is not None and prior.keys.get(a) == key}
    gone = set(prior.keys) - kept
    touched = set()
    groups.update(prior.groups)
    if gone:
        for key, members in prior.groups.items():
            if not gone.isdisjoint(members[::_MEMBER]):
                touched.add(key)
                left = [value for member in _members(members) if member[0] not in gone for value in member]
                if left:
                    groups[key] = left
                else:
                    del groups[key]
    toll_entries += [toll for toll in prior.tolls if toll[0] not in gone]
    return [a for a in order if a not in kept], touched


def _toll_members(groups: Mapping[Key, list[Any]],
                  toll_entries: list[tuple[str, int, Key, date]]) -> list[tuple[Key, int, date]]:
    """(key, place in its group, day) of each toll."""
    where: dict[Key, dict[tuple[str, int], int]] = {}
    out = []
    for article_id, j, key, day in toll_entries:
        index = where.get(key)
        if index is None:
            members = groups[key]
            index = where[key] = {(members[n], members[n + 1]): n // _MEMBER for n in range(0, len(members), _MEMBER)}
        out.append((key, index[article_id, j], day))
    return out


def _move_tolls(groups: dict[Key, list[Any]], toll_members: list[tuple[Key, int, date]],
                places: Mapping[tuple[date, str], str], article_order: list[str]) -> set[Key]:
    """Move the tolls of merged place names into the group of the name they go under, keeping every group in
    article order (keys are not held per figure: a million of them took 150 MB); return the keys of the groups
    changed. A group's list is replaced, never changed: the groups as made are kept for the next run."""
    moved: dict[Key, dict[int, str]] = defaultdict(dict)  # key -> {place in group: name it goes under}
    for key, n, day in toll_members:
        if (day, key[0]) in places:
            moved[key][n] = places[day, key[0]]
    order = {article_id: n for n, article_id in enumerate(article_order)}
    joining: dict[Key, list[Any]] = defaultdict(list)
    for key, targets in moved.items():
        members = groups[key]
        for n, name in sorted(targets.items()):
            joining[(name, *key[1:])] += members[n * _MEMBER:(n + 1) * _MEMBER]
        left = [value for n, member in enumerate(_members(members)) if n not in targets for value in member]
        if left:
            groups[key] = left
        else:
            del groups[key]
    for key, members in joining.items():
        groups[key] = [value for member in sorted(_members(groups.get(key, []) + members),
                                                  key=lambda m: (order[m[0]], m[1]))
                       for value in member]
    return set(moved) | set(joining)


def _digests(groups: Mapping[Key, list[Any]], names: Mapping[str, str], cache: FindingCache, salt: str,
             known: Mapping[Key, str]) -> dict[Key, str]:
    """Per key group, a hash of all its findings depend on: the key, each figure (in order) with its article's
    content and the name it goes under, `salt` (the setting, the aliases and ledger's code). A figure is its
    article's key and its place among the article's facts: the key stands for the article's content and the
    extractor's code, which make its facts (their ids, held per figure, took 60 MB at a million facts). `known`:
    the digests of groups as they were in the last run."""
    import hashlib

    article_keys = cache.article_keys
    out = {}
    for key, members in groups.items():
        digest = known.get(key)
        if digest is not None:
            out[key] = digest
            continue
        try:
            parts = [f"{article_keys[article_id]}\x00{j}\x00{entity}\x00{names.get(entity)}"
                     for article_id, j, entity in _members(members)]
        except KeyError:
            continue  # a figure from outside the store: not cached
        out[key] = hashlib.sha256("\x01".join([salt, repr(key), *parts]).encode("utf-8", "surrogatepass")).hexdigest()
    return out


BARE_TOLL_AFTER = re.compile(r"(?i:^[ \t]+(?:were[ \t]+|are[ \t]+|have[ \t]+been[ \t]+)?(?:also[ \t]+)?"
                             r"(?:(?:pronounced|found|confirmed|reported|left)[ \t]+)?"
                             r"(?:dead|killed|died|injured|wounded|hurt|shot|fatally|did[ \t]+not[ \t]+survive)\b)")
BARE_TOLL_BEFORE = re.compile(r"(?i:\b(?:kill(?:ed|ing|s)?|injur(?:ed|ing|es?)|wound(?:ed|ing|s)?|shot|shooting|hurt)"
                              r"[ \t]+(?:at[ \t]+least[ \t]+)?$)")


def _bare_toll(fact: Fact, articles: Mapping[str, Article]) -> bool:
    """ "two dead", "three were injured", "wounding 13": a count of nothing named that is a toll (not "a man
    was shot at 927 Engram Blvd.")."""
    article = articles.get(fact.article)
    if article is None or is_partial(fact, article.text):
        return False
    text = article.text
    return BARE_TOLL_AFTER.match(text[fact.end:fact.end + 40]) is not None or \
        BARE_TOLL_BEFORE.search(text[max(0, fact.start - 40):fact.start]) is not None


def _beside_other_people(fact: Fact, articles: Mapping[str, Article]) -> bool:
    article = articles.get(fact.article)
    return beside_other_people(fact, article.text if article is not None else None)


def _clause(own: list[Fact], j: int, articles: Mapping[str, Article], clauses: Mapping[str, str]) -> str:
    """The clause of `own[j]` (its article's figures in text order): from `clauses` (what extraction stored), else
    worked out here."""
    stored = clauses.get(own[j].id)
    if stored:
        return stored
    article = articles.get(own[j].article)
    return clause_of(own, j, article.text if article is not None else None)


def _harmed(own: list[Fact], j: int, articles: Mapping[str, Article], clauses: Mapping[str, str]) -> bool:
    """Whether the clause of `own[j]` says its count was killed, hurt or shot (and is no partial count)."""
    words, _, partial = read_clause(_clause(own, j, articles, clauses))
    return not partial and bool(words & HARM.keys())


def _stored_figures(cache: FindingCache, stamp: str, wanted: Mapping[str, set[int]]) -> dict[str, dict[int, _Figure]]:
    """Article id -> its wanted figures (by place in text order) as stored in "figures", for the articles whose
    rows hold them all (the others' facts are read)."""
    out = {}
    for article_id, rows in cache.load_rows(stamp, "figures", list(wanted)).items():
        js = wanted[article_id]
        try:
            made = {row[0]: _Figure(article_id, row) for row in rows if row[0] in js}
        except (TypeError, ValueError):  # damaged
            continue
        if len(made) == len(js):
            out[article_id] = made
    return out


def _candidate(fact: Fact | _Figure, clause: str, key: tuple[Any, ...], articles: Mapping[str, Article],
               mentions: dict[str, _Mentions], names: Mapping[str, str]) -> _Candidate | None:
    """`fact` as a candidate for agreement, unless its `clause` (`_clause`) says it is a partial count or says
    nothing beyond its subject."""
    article = articles.get(fact.article)
    text = article.text if article is not None else None
    words, scope, partial = read_clause(clause)
    if partial:
        return None
    words = words - {key[1]}  # the subject itself says nothing more
    if not words:
        return None
    published = article.published if article is not None else None
    grain = _grain(fact.tags)
    window = _as_of_window(fact.as_of or published, grain)
    evolving = bool(words & EVOLVING) or "cumulative" in fact.tags
    if fact.article not in mentions:
        mentions[fact.article] = _Mentions(text or "")  # once per article: shared by its candidates
    entity = names.get(fact.entity, fact.entity) if fact.entity else ""
    change = _counted_change(words) if fact.unit is None else frozenset()
    return _Candidate(fact, words, window, published, evolving, _scope(scope, entity), mentions[fact.article], grain,
                      entity, frozenset(HARM[w] for w in words & HARM.keys()), change)


# ---------------------------------------------------------------------------------------------------------


def run_auto(facts: Iterable[Fact], relations: Iterable[Relation], articles: Iterable[Article] | Mapping[str, Article],
             settings: Any = None, aliases: Any = None, clauses: Mapping[str, str] | None = None,
             cache: FindingCache | None = None,
             agreed: Callable[[list[Finding]], list[Finding]] | None = None) -> list[Finding]:
    """Findings of the built-in `auto.*` rules (see the module docstring).

    `facts` should have passed through `ledger.extract.entities.annotate` (entity, lemma, as_of, tags);
    `relations` come from `ledger.extract.relations.find_relations`; `settings` is the `auto:` section of
    `ledger.yaml` (see `rule_settings`); `aliases` is the rules' `aliases:` (an `Aliases` or a mapping with
    `subjects` and `entities`); `clauses` are the figures' clauses extraction stored (fact id ->
    `ledger.extract.clauses.clause_record` entry), worked out here when missing; `cache` keeps agreement
    findings between runs; `agreed` gives the agreement findings when they were worked out aside
    (`agreement_aside`)."""
    config = rule_settings(settings)
    facts = facts if reads_on_demand(facts) else list(facts)  # facts read on demand stay so
    article_map = _article_map(articles)
    findings = _relation_findings(relations, facts, article_map, config, aliases, cache)
    if agreed is not None:
        findings.extend(agreed(findings))
    elif config["auto.agreement"].enabled:
        findings.extend(cross_article(facts, article_map, config["auto.agreement"], aliases, clauses, cache))
    return list(share_values(findings, {}))


def _article_map(articles: Iterable[Article] | Mapping[str, Article]) -> dict[str, Article]:
    return dict(articles) if isinstance(articles, Mapping) else {a.id: a for a in articles}


ASIDE_ABOVE = 100_000
"""With more facts than this, read from the ledger store on demand, `auto.agreement` is worked out by a forked
child (`agreement_aside`) while this process runs the other checks: on a re-run it reads the articles of every
key group a changed article joins (a third of a million-fact archive), which kept one core busy for half the
check and held their facts through report writing."""
ASIDE_HELD = 0.25
"""...when at most this share of them is in memory (a re-run): the child reading facts this process holds would
write their reference counts, and so copy them (a first run); and at most this share of the articles lacks what
its figures are keyed by in the store, and of the findings of the other checks: else both processes read most
facts (stored extractions checked afresh, as after `ledger extract`: 2.9 GB at a million facts instead of 1.8),
or the child holds every article's keys while this process reads every fact (rules changed: 2.4 GB)."""


@contextmanager
def agreement_aside(facts: Iterable[Fact], articles: Iterable[Article] | Mapping[str, Article], settings: Any = None,
                    aliases: Any = None, clauses: Mapping[str, str] | None = None,
                    cache: FindingCache | None = None, meanwhile: Callable[[list[Finding]], None] | None = None,
                    others_stored: Callable[[], float] = lambda: 1.0,
                    whole: Callable[[], bytes | None] | None = None) -> Iterator[Aside | None]:
    """`cross_article`, as `run_auto` would run it, in a forked child while the block runs: yields what to give
    `run_auto` as `agreed` (it waits for the child), or None when it is not worth a child (a small ledger, one
    core, no store). The child keeps its findings in the store as `cross_article` does, placed, and this process
    reads them back from there as it reads the kept groups' (it sends only those of groups it did not store:
    serialising them again took 0.4 s at 926k facts). `meanwhile` is given the findings at hand (those `agreed`
    is given, then the kept groups') while the child still works. `others_stored` says the share of articles whose
    findings of the other checks are stored, whose facts this process will not read. `whole`: what the child
    works out first and tells (`Aside.whole`): the rule files' rules over the whole corpus
    (`ledger.checks.engine.whole_corpus`), while this process checks the others article by article."""
    config = rule_settings(settings)["auto.agreement"]
    if cache is None or not config.enabled or not reads_on_demand(facts) or not can_fork() \
            or len(facts) <= ASIDE_ABOVE or held_facts(facts) > len(facts) * ASIDE_HELD \
            or min(others_stored(), cache.stored_share(fingerprint("keyed", aliases), "keyed")) \
            < 1 - ASIDE_HELD:  # type: ignore[arg-type]
        yield None
        return

    def work(say: Callable[[bytes], None]) -> bytes:
        if whole is not None:
            say(whole() or b"")
        deferred: list[tuple[int, str]] = []  # kept groups: read by the parent, not sent through the pipe
        groups = len(cache.saved_groups)  # type: ignore[union-attr]
        cache.tidying = []  # type: ignore[union-attr]
        found = cross_article(facts, _article_map(articles), config, aliases, clauses, cache, True, deferred,
                              on_kept=lambda digests: say(json.dumps(sorted(digests)).encode()))
        # the groups stored here: told at once, for the parent to read while this process sorts out the rest
        saved = [(key, saved) for key, saved in cache.saved_groups[groups:] if saved]  # type: ignore[union-attr]
        say(json.dumps([key for key, _ in saved]).encode())
        place = {id(f): n for n, f in enumerate(found)}
        stored = [(place[id(saved[0])], key, len(saved)) for key, saved in saved if id(saved[0]) in place]
        # kept before stored at one place: a kept group was listed before the next group's findings were added
        listed: list[tuple[int, str]] = []  # (place among the findings sent, digest) of each group read from the store
        sent: list[Finding] = []
        start = 0
        for position, _, digest, count in sorted([(p, 0, d, 0) for p, d in deferred] + [(p, 1, d, c) for p, d, c in stored]):
            sent.extend(found[start:position])
            listed.append((len(sent), digest))
            start = position + count
        sent.extend(found[start:])
        say(f"{json.dumps(listed, separators=(',', ':'))}\n".encode() + encode(("auto.agreement",), sent))
        # answered: what only tidies up is done now, while the parent goes on (it waits for this process last)
        del found, sent, saved, stored, deferred, place, listed
        tidying, cache.tidying = cache.tidying, None  # type: ignore[union-attr]
        for tidy in tidying or ():
            tidy()
        return b""

    def agreed(others: list[Finding]) -> list[Finding]:
        aside.whole()  # the child tells that first
        # the kept groups are read while the child works out the others
        told = child.heard()
        kept = cache.groups(json.loads(told)) if told is not None else {}  # type: ignore[union-attr]
        if meanwhile is not None:
            meanwhile([*others, *(f for found in kept.values() for f in found)])
        told = child.heard()  # the groups the child stored
        if told is not None:
            kept.update(cache.groups([d for d in json.loads(told) if d not in kept]))  # type: ignore[union-attr]
        answer = child.heard()  # told before the child tidies up
        if answer is None:
            child.wait()  # raises what went wrong (an answer never told is worked out here)
            answer = b"[]\n"
        head, _, record = answer.partition(b"\n")
        listed = [(position, digest) for position, digest in json.loads(head)]
        decoded = decode(record, {})
        sent = [] if decoded is None else decoded[2]
        kept.update(cache.groups([digest for _, digest in listed if digest not in kept]))  # type: ignore[union-attr]
        if decoded is None or any(digest not in kept for _, digest in listed):  # damaged meanwhile: worked out here
            return cross_article(facts, _article_map(articles), config, aliases, clauses, cache)
        found: list[Finding] = []
        start = 0
        for position, digest in listed:
            found.extend(sent[start:position])
            found.extend(kept[digest])
            start = position
        return found + sent[start:]

    with forked(work, kill_on_error=True, telling=True) as child:
        aside = Aside(agreed, child.heard if whole is not None else lambda: None)
        yield aside


class Aside:
    """What `agreement_aside` yields: called, `agreed` (the agreement findings, waiting for the child); `whole()`,
    what the child told first (`whole`), heard once, or None."""

    def __init__(self, agreed: Callable[[list[Finding]], list[Finding]], first: Callable[[], bytes | None]) -> None:
        self._agreed, self._first = agreed, first
        self._heard: list[bytes | None] = []

    def whole(self) -> bytes | None:
        if not self._heard:
            self._heard.append(self._first())
        return self._heard[0]

    def __call__(self, others: list[Finding]) -> list[Finding]:
        return self._agreed(others)


def _relation_findings(relations: Iterable[Relation], facts: Iterable[Fact], articles: dict[str, Article],
                       config: dict[str, RuleSetting], aliases: Any, cache: FindingCache | None) -> list[Finding]:
    """What each article's own arithmetic (its relations) comes to, article by article; with a `cache`, an
    unchanged article keeps its findings (and its facts need not be read)."""
    stamp = fingerprint(config, aliases) if cache is not None else ""
    kept = {a: found for a, (_, found) in cache.load(stamp, table="related").items()} if cache is not None else {}
    grouped = getattr(relations, "grouped", None)  # `OutlinedRelations`: those of the kept articles stay unread
    by_article: dict[str, list[Relation]] = {} if grouped is None else grouped(kept)
    for rel in relations if grouped is None else ():
        by_article.setdefault(rel.article, []).append(rel)
    findings: list[Finding] = []
    fresh: dict[str, tuple[tuple[str, ...], list[Finding]]] = {}
    for chunk, own in facts_in_chunks(facts, list(by_article), kept):  # a few thousand facts by id at a time
        by_id = {f.id: f for f in own}
        for article_id in chunk:
            found = kept.get(article_id)
            if found is None:
                made = (_relation_finding(rel, by_id, config) for rel in by_article[article_id])
                found = [f for f in made if f is not None]
                if cache is not None:  # stored with where their facts stand
                    placed(found, by_id, articles)
                fresh[article_id] = ((), found)
            findings.extend(found)
    if cache is not None:
        cache.save(stamp, fresh, table="related")
    return findings


def _relation_finding(rel: Relation, by_id: dict[str, Fact], config: dict[str, RuleSetting]) -> Finding | None:
    try:
        if rel.kind in ("subset", "partition") and config["auto.composition"].enabled:
            return _composition(rel, by_id, config["auto.composition"])
        if rel.kind == "share" and config["auto.share"].enabled:
            return _share(rel, by_id, config["auto.share"])
        if rel.kind == "change" and config["auto.change"].enabled:
            return _change(rel, by_id, config["auto.change"])
        if rel.kind == "rate" and config["auto.agreement"].enabled:
            return _restatement(rel, by_id, config["auto.agreement"])
        return None
    except (LedgerError, ValueError, ZeroDivisionError) as e:  # one bad relation never stops the rest
        rule = {"subset": "auto.composition", "partition": "auto.composition", "share": "auto.share",
                "change": "auto.change"}.get(rel.kind, "auto.agreement")
        return Finding(rule=rule, kind="engine", severity="info", status="skipped", message=f"not checked: {e}",
                       group={"article": rel.article}, articles=(rel.article,))


__all__ = ["RULES", "RuleSetting", "agreement_aside", "cross_article", "rule_settings", "run_auto"]
