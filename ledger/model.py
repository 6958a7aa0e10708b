"""The records that flow through ledger: articles, facts, relations and findings.

Data flows one way: Article -> Fact (extraction) -> Finding (rule engine) -> reports.
All records are frozen pydantic models; their JSON shape is a documented contract.
"""

from __future__ import annotations

import functools
import hashlib
import math
from contextlib import contextmanager
from datetime import date
from typing import Any, Callable, Container, Iterable, Iterator, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from ledger.origins import ORIGIN

Qualifier = Literal["exact", "approx", "at_least", "more_than", "at_most", "less_than", "nearly", "range"]
QUALIFIERS: tuple[str, ...] = Qualifier.__args__  # type: ignore[attr-defined]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
Status = Literal["pass", "fail", "skipped", "waived"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Record):
    """One article: its text (front matter removed) and what its front matter said."""

    id: str
    path: str
    """The file it came from, relative to the argument that named it (for `path:line:col`)."""
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    """Every other front-matter key, kept as given."""
    line_offset: int = 0
    """Lines before the text in its file (front matter, or the line number in a .jsonl archive minus one)."""

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column in the article's file of a character offset into `text`."""
        line = self.text.count("\n", 0, offset)
        last_newline = self.text.rfind("\n", 0, offset)
        return self.line_offset + line + 1, offset - last_newline


def _open_bound_to_json(x: float) -> float | None:
    return None if math.isinf(x) else x


def fact_id(article: str, start: int, end: int, surface: str) -> str:
    """Stable id: the same article, span and surface always give the same id."""
    digest = hashlib.sha1(f"{article}\x00{start}\x00{end}\x00{surface}".encode("utf-8", "surrogatepass")).hexdigest()
    return "f" + digest[:15]


class Fact(Record):
    """One figure stated in an article: value, interval, unit, what it counts, and where it stands."""

    id: str
    article: str
    start: int
    """Character offset into the article text: text[start:end] == surface."""
    end: int
    line: int
    column: int
    surface: str
    sentence: str
    value: float
    low: float
    """The lowest value the wording allows; -inf when open (null in JSON)."""
    high: float
    """The highest value the wording allows; +inf when open (null in JSON)."""
    qualifier: Qualifier = "exact"
    unit: str | None = None
    """Canonical pint unit string (`USD`, `USD/month`, `percent`, `fraction`, `km`); None for a plain count."""
    subject: str | None = None
    """Head noun of what is counted or measured, as written ("contractors")."""
    subject_phrase: str | None = None
    """The longer phrase the subject heads, with its modifiers ("foreign volunteers")."""
    lemma: str | None = None
    """Canonical subject: singular, lower case ("contractor")."""
    entity: str | None = None
    """Who or what the figure is about ("Wagner")."""
    as_of: date | None = None
    """The date the figure holds for, when the text or the article's date says."""
    dimension: str = "count"
    """"count", "currency", "percent", "duration", "length", ... or a pint dimensionality string."""
    tags: tuple[str, ...] = ()
    """Extra marks from extraction, e.g. "forecast", "denial", "cumulative", "sum_term"."""

    @field_validator("low", "high", mode="before")
    @classmethod
    def _null_is_open(cls, v: Any, info: Any) -> Any:
        if v is None:
            return -math.inf if info.field_name == "low" else math.inf
        return v

    @field_serializer("low", "high")
    def _open_is_null(self, v: float) -> float | None:
        return _open_bound_to_json(v)


class Relation(Record):
    """Arithmetic the text itself states between facts (used by the built-in `auto.*` rules)."""

    kind: Literal["subset", "partition", "share", "rate", "change"]
    """subset: parts <= total; partition: parts == total; share: part is `share` of total; rate: same measure;
    change: `total` (the new value) differs from the one part (the old value) by `share` (a percentage), up or down
    as `cue` says."""
    article: str
    total: str | None = None
    parts: tuple[str, ...] = ()
    share: str | None = None
    cue: str = ""
    """The words that state the relation ("including", "or ... of")."""


Place = tuple[str, str, str, int, int, "int | None", "int | None"]
"""Where a fact stands: (fact id, article id, surface, line, column, end line, end column); the end is None when
the article's text no longer holds the surface there."""


def fact_place(fact: Fact, article: Article | None) -> Place:
    surface = fact.surface
    if "\n" not in surface:  # ends on the line it starts on (counting lines up to the end took 1.4 s at 1M facts)
        return (fact.id, fact.article, surface, fact.line, fact.column, fact.line, fact.column + len(surface))
    end_line = end_column = None
    if article is not None and article.text[fact.start:fact.end] == surface:
        end_line, end_column = article.line_column(fact.end)
    return (fact.id, fact.article, surface, fact.line, fact.column, end_line, end_column)


def reads_on_demand(facts: Iterable[Fact]) -> bool:
    """Whether `facts` reads each article's facts only when asked for (`ledger.pipeline.LazyFacts`): then take
    them with `facts_of_articles`, not by iterating, which reads every article."""
    return hasattr(facts, "of_articles")


def held_facts(facts: Sequence[Fact]) -> int:
    """How many of `facts` are in memory: those read so far, when they are read on demand."""
    loaded = getattr(facts, "loaded", None)
    return len(facts) if loaded is None else sum(map(len, loaded.values()))


def facts_of_articles(facts: Iterable[Fact], article_ids: Iterable[str]) -> list[Fact]:
    """The facts of these articles, in the order of `facts`. When `facts` reads articles only on demand
    (`reads_on_demand`), only these articles are read."""
    if reads_on_demand(facts):
        return facts.of_articles(article_ids)  # type: ignore[attr-defined]
    wanted = set(article_ids)
    # none wanted (asked article by article, most already read): not a pass over every fact
    return [f for f in facts if f.article in wanted] if wanted else []


def article_ids(facts: Iterable[Fact]) -> list[str]:
    """The articles `facts` holds facts of (all its articles when it reads them on demand), in order."""
    if reads_on_demand(facts):
        return list(facts.order)  # type: ignore[attr-defined]
    return list(dict.fromkeys(f.article for f in facts))


CHUNK_ARTICLES = 1000
"""Articles a check over every article takes at once (`in_chunks`): the indexes of their few thousand facts stay
in the processor's caches, those of a million facts did not (checking a million took 11.5 times as long as
100,000)."""


def in_chunks(article_ids: list[str]) -> Iterator[list[str]]:
    """Runs of `CHUNK_ARTICLES` of these articles, in order."""
    for start in range(0, len(article_ids), CHUNK_ARTICLES):
        yield article_ids[start:start + CHUNK_ARTICLES]


def facts_in_chunks(facts: Iterable[Fact], article_ids: list[str],
                    skip: Container[str] = ()) -> Iterator[tuple[list[str], list[Fact]]]:
    """(a chunk of these articles (`in_chunks`), the facts of those of its articles not in `skip`) in turn. Facts
    held in a plain list (no store: `--no-cache`, `--facts`) are gone through once, not once per chunk (49 times
    a million facts)."""
    grouped: dict[str, list[Fact]] | None = None
    if not reads_on_demand(facts):
        grouped = {}
        for fact in facts:
            grouped.setdefault(fact.article, []).append(fact)
    for chunk in in_chunks(article_ids):
        wanted = [a for a in chunk if a not in skip]
        yield chunk, facts_of_articles(facts, wanted) if grouped is None else \
            [f for a in wanted for f in grouped.get(a, ())]


def placed(findings: Sequence[Finding], facts: dict[str, Fact], articles: dict[str, Article]) -> Sequence[Finding]:
    """The same findings, each knowing where its facts and those its roles name stand (`Finding.places`): for
    findings about to be kept between runs, made while their facts are at hand."""
    for finding in findings:
        if finding.places is None:
            own = set(finding.facts)
            ids = [*finding.facts, *dict.fromkeys(i for r in finding.roles.values() for i in r if i not in own)]
            places = tuple(fact_place(facts[i], articles.get(facts[i].article)) for i in ids if i in facts)
            object.__setattr__(finding, "places", places)  # frozen, but not yet seen by anyone else
    return findings


class Finding(Record):
    """The verdict of one rule on one group of facts, with its work shown."""

    rule: str
    kind: str
    severity: Severity
    status: Status
    message: str
    group: dict[str, Any] = Field(default_factory=dict)
    """The group key, e.g. {"article": "wagner"}; {} for the whole corpus."""
    articles: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    expected: tuple[float | None, float | None] | None = None
    actual: tuple[float | None, float | None] | None = None
    unit: str | None = None
    """The unit `expected` and `actual` are in; None for counts."""
    work: str = ""
    """The arithmetic in words ("10,000 + ~40,000 = 45,800–54,200 vs ~50,000 (45,000–55,000)")."""
    roles: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Which facts filled which role (e.g. {"total": [...], "parts": [...]})."""
    waiver: str | None = None
    """The reason given when a waiver applies."""
    baselined: bool = False
    """A failing finding already recorded in the baseline: reported, but it does not fail CI."""
    places: tuple[Place, ...] | None = None
    """Where each of `facts` stands, then each other fact its `roles` name, worked out when the finding is made
    (`placed`), so a report of findings kept from an earlier run needs none of their facts; None: the report
    works it out from the facts. Not part of `consistency.json` (its `location` is the first place)."""

    def __copy__(self) -> "Finding":
        """A copy (`model_copy`, `copy.copy`) is another finding: not the one a store row holds (`ledger.origins`)."""
        copy = super().__copy__()
        copy.__dict__.pop(ORIGIN, None)
        return copy

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> "Finding":
        copy = super().__deepcopy__(memo)
        copy.__dict__.pop(ORIGIN, None)
        return copy


SHAREABLE: dict[type[Record], tuple[str, ...]] = {
    Fact: ("article", "sentence", "qualifier", "unit", "subject", "subject_phrase", "lemma", "entity", "dimension",
           "tags", "as_of"),
    Finding: ("rule", "kind", "severity", "status", "unit", "articles"),
    Relation: ("kind", "article", "cue"),
}
"""The fields whose values repeat across records: held once each by `share_values`."""
NUMBERS: dict[type[Record], tuple[tuple[str, ...], tuple[str, ...]]] = {
    Fact: (("start", "end", "line", "column"), ("value", "low", "high")),
}
"""...and the int and float fields whose values repeat (offsets, an article's line, round figures): each number
read from JSON is an object of its own (28 bytes for an int above 256, 24 for a float), 130 MB at a million facts."""
_ALL_FIELDS: dict[type[Record], set[str]] = {kind: set(kind.model_fields) for kind in SHAREABLE}
_FIELD_NAMES: dict[type[Record], tuple[str, ...]] = {kind: tuple(kind.model_fields) for kind in SHAREABLE}


@contextmanager
def gc_paused(kept: bool = False) -> Iterator[None]:
    """No cyclic garbage collection meanwhile: for work that makes millions of objects and no reference cycles
    (loading stored records, rendering reports), which the collector would otherwise rescan again and again
    as they pile up (a third of the load time at 1M facts). `kept`: what was made is kept for the run (records
    loaded); when that is much, it is moved out of the collector's sight (`gc.freeze`) instead of scanned once it
    resumes: the first scans after loading a million findings and facts took 1.7 s of a re-run."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if kept and gc.get_count()[0] > KEPT_FROZEN_ABOVE:
            gc.freeze()
        if was_enabled:
            gc.enable()


KEPT_FROZEN_ABOVE = 100_000
"""Objects made and still alive (the collector's count) above which `gc_paused(kept=True)` freezes them: a load
that found little (a first run) freezes nothing, so whatever the run later drops can still be collected."""


def checked(kind: type[Record], values: dict[str, Any]) -> Any:
    """A record of `kind` made from `values` (every field, in field order) that the caller has checked are of their
    fields' types: not validated again. Records made so share one record of set fields."""
    record = object.__new__(kind)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", _ALL_FIELDS.setdefault(kind, set(kind.model_fields)))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    return record



def trusted(kind: type[Record], rows: Iterable[tuple[Any, ...]], pool: dict[Any, Any]) -> list[Any]:
    """Records of `kind` made from their field values, in field order, as this very code validated and stored
    them (rows of findings in the ledger store, under the code's fingerprint): not validated again, which took
    as long as reading their JSON did. Repeated values are shared, as `share_values` shares them (done here, in
    the one pass: a second pass over a quarter of a million findings took a third as long again)."""
    fields, shared = _FIELD_NAMES[kind], _ALL_FIELDS[kind]
    if kind in NUMBERS:
        raise TypeError(f"{kind.__name__} shares numbers: not made here")
    values_of, size = _row_reader(kind), len(fields)
    keep = pool.setdefault
    new, assign = object.__new__, object.__setattr__
    records = []
    for row in rows:
        if len(row) != size:
            raise ValueError(f"{len(row)} values for the {size} fields of {kind.__name__}")
        record = new(kind)
        assign(record, "__dict__", values_of(row, keep))
        assign(record, "__pydantic_fields_set__", shared)
        assign(record, "__pydantic_extra__", None)
        assign(record, "__pydantic_private__", None)
        records.append(record)
    return records


@functools.lru_cache(maxsize=None)
def _row_reader(kind: type[Record]) -> Callable[[Sequence[Any], Callable[[Any, Any], Any]], dict[str, Any]]:
    """`(row, keep) -> the record's __dict__`: a stored row's values by field name, those `SHAREABLE` shared through
    `keep` (a pool's setdefault). Its source is written once per kind from the fields' names, as `dataclasses`
    writes an `__init__`: a loop over the fields made a re-run's 280,000 kept findings 0.3 s slower."""
    shareable = set(SHAREABLE[kind])
    items = [f"{name!r}: None if row[{i}] is None else keep(row[{i}], row[{i}])" if name in shareable
             else f"{name!r}: row[{i}]" for i, name in enumerate(_FIELD_NAMES[kind])]
    return eval(f"lambda row, keep: {{{', '.join(items)}}}")  # noqa: S307 - our own field names, not data


def share_values(records: Sequence[Any], pool: dict[Any, Any]) -> Sequence[Any]:
    """The same facts or findings, holding one copy of each repeated value (article id, sentence, unit, rule
    id, ...) from `pool`, and one shared record of which fields were set: pydantic gives every instance its
    own set of field names (2 KB each), which made a million loaded facts take 3.7 GB instead of 1.3 GB.
    Values are swapped only for equal ones, so the records read and compare exactly as before. A record shared
    already (from any pool) is left as it is: a run's findings are shared again where some may have been copied or
    made (a copy has a set of its own), and going over a quarter of a million kept ones again took 0.6 s."""
    for record in records:
        kind = type(record)
        shared = _ALL_FIELDS[kind]
        if record.__pydantic_fields_set__ is shared:
            continue
        object.__setattr__(record, "__pydantic_fields_set__", shared)  # model_copy copies it
        values = record.__dict__
        for name in SHAREABLE[kind]:
            value = values[name]
            if value is not None:
                values[name] = pool.setdefault(value, value)
        numbers = NUMBERS.get(kind)
        if numbers is not None:
            # apart from other values and each other (1 == 1.0 == True); never zero (-0.0 == 0.0) nor NaN
            ints, floats = pool.setdefault(int, {}), pool.setdefault(float, {})
            for name in numbers[0]:
                value = values[name]
                values[name] = ints.setdefault(value, value)
            for name in numbers[1]:
                value = values[name]
                if value and value == value:
                    values[name] = floats.setdefault(value, value)
    return records


class RuleInfo(Record):
    """What reports need to know of a rule: SARIF declares every rule, Markdown groups findings by it."""

    id: str
    kind: str
    severity: Severity = "error"
    description: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    tags: tuple[str, ...] = ()


class Report(Record):
    """Everything a consistency report is rendered from (`consistency.json` plus `facts.jsonl`)."""

    version: int = 1
    summary: dict[str, Any] = Field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    articles: tuple[Article, ...] = ()
    facts: tuple[Fact, ...] = ()
    relations: tuple[Relation, ...] = ()
    errors: tuple[str, ...] = ()
    """One-line input problems (unreadable articles): named in reports, never fatal to them."""
