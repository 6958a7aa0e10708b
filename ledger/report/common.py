"""What every formatter shares: lookups, the location of a finding, sort order, numbers in words.

Everything here is pure and deterministic: no clock, no file system, no environment.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from functools import cached_property
from itertools import chain, compress, count, islice
from operator import attrgetter, eq
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple, Protocol, Sequence

from ledger.model import SEVERITIES, Article, Fact, Finding, Place, Report, RuleInfo, fact_place, facts_of_articles, reads_on_demand

if TYPE_CHECKING:
    from ledger.report.reuse import Rendering, Reuse

STATUSES: tuple[str, ...] = ("fail", "skipped", "waived", "pass")
"""Status order in every report: what needs attention first."""


class Location(NamedTuple):
    """1-based `path:line:col` of a finding or fact, with the end when it is known (a tuple: made by the
    hundred thousand, and a frozen dataclass takes five times as long to make)."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class Quote(NamedTuple):
    """One sentence a finding quotes, with the figures it cites in it."""

    article: str
    sentence: str
    spans: list[tuple[int, int]]
    """Where the figures stand in the sentence: sorted, without overlaps."""
    facts: list[Fact]
    """The finding's facts in this sentence, in the finding's order (placed or not)."""
    span_facts: dict[tuple[int, int], Fact]
    """The first of those facts placed at each span."""


def fact_order(fact: Fact) -> tuple[int, int, str]:
    """Facts of one article in report order: by position in its text."""
    return fact.start, fact.end, fact.id


class StoredFacts(Protocol):
    """Each article's facts as already rendered (`ledger.pipeline.StoredTexts`, kept in the ledger store)."""

    def key(self, article_id: str) -> str | None:
        """The article's key in the store when the text kept under it is the article's facts' text, else None."""
        ...

    def texts(self, fmt: str, article_ids: list[str]) -> Iterator[bytes | None]:
        """Per article id, in order: its facts as format `fmt` renders them (UTF-8), or None where none is kept."""
        ...


class Index:
    """Lookups over one report: articles and facts by id, findings in report order, rule infos.

    What several formats ask of the same finding or fact (its facts, location, fingerprint) is worked
    out once and kept: every format `write_reports` renders shares one Index.
    """

    def __init__(self, report: Report, stored: StoredFacts | None = None, ahead: "Ahead | None" = None,
                 reuse: "Reuse | None" = None):
        self.report = report
        self.reuse = reuse
        """The text the last run wrote for kept findings (`ledger.report.reuse`), when the reports are written."""
        self.stored = stored
        self.articles: dict[str, Article] = {a.id: a for a in report.articles}
        # `ledger.pipeline.LazyFacts` with articles left unread: facts are looked up article by article
        self._lazy = reads_on_demand(report.facts) and bool(report.facts.unread())  # type: ignore[attr-defined]
        self.facts: dict[str, Fact] = {} if self._lazy else {f.id: f for f in report.facts}
        """The facts by id: all of them, or, when the report reads them on demand, those of the articles read
        (`read_facts`) so far."""
        self._read_articles: set[str] = set()
        self._all_read = False
        self.rules: dict[str, RuleInfo] = {r.id: r for r in report.rules}
        # what is worked out once per finding (by identity)
        self._finding_facts: dict[int, tuple[Fact, ...]] = {}
        self._locations: dict[int, Location | None] = {}
        self._fingerprints: dict[int, str] = {}
        self._labels: dict[int, str] = {}
        self._last_places: tuple[Finding | None, tuple[Place, ...]] = (None, ())
        if ahead is not None:  # taken over, with the findings they were worked out for (so no id is reused)
            self._ahead = ahead
            self._locations, self._labels = ahead.index._locations, ahead.index._labels

    def rendering(self, fmt: str, context: str = "") -> "Rendering":
        """How format `fmt` gets each finding's text (`Rendering.piece`): rendered, or copied from the last run's
        reports; `context`: what else the text depends on besides the finding, its facts' places and the rules."""
        from ledger.report.reuse import Rendering

        return Rendering() if self.reuse is None else self.reuse.rendering(fmt, context)

    # -- locations ---------------------------------------------------------
    def place_location(self, place: Place) -> Location | None:
        article = self.articles.get(place[1])
        return None if article is None else Location(article.path, *place[3:])

    def article_location(self, article_id: str) -> Location | None:
        article = self.articles.get(article_id)
        if article is None:
            return None
        return Location(article.path, article.line_offset + 1, 1)

    def places(self, finding: Finding) -> tuple[Place, ...]:
        """Where the finding's facts stand: as the finding was made with them (`Finding.places`), else worked out
        from the facts the report holds."""
        if finding.places is not None:
            own = set(finding.facts)
            return tuple(place for place in finding.places if place[0] in own)
        # the last finding's, kept: a format asks several times in a row (its location, its other places), and a
        # first run's findings no longer hold theirs (7 s of a first run's reports at a million facts), but
        # keeping every finding's took 100 MB
        last, places = self._last_places
        if last is not finding:
            articles = self.articles
            places = tuple([fact_place(f, articles.get(f.article)) for f in self.finding_facts(finding)])
            self._last_places = (finding, places)
        return places

    def finding_facts(self, finding: Finding) -> tuple[Fact, ...]:
        """The facts a finding names, in its order, skipping ids the report does not hold."""
        return _memo(self._finding_facts, id(finding), self._facts_of, finding)

    def _facts_of(self, finding: Finding) -> tuple[Fact, ...]:
        self._read_for(finding)
        return tuple([self.facts[i] for i in finding.facts if i in self.facts])

    def _read_for(self, finding: Finding) -> None:
        """When the report reads facts on demand: read those of the finding's articles and of its places; a
        finding without places was made in this run, from facts the check read, so those are all looked at."""
        if not self._lazy:
            return
        self.read_facts([*finding.articles, *(place[1] for place in finding.places or ())])
        if not self._all_read and any(i not in self.facts for i in chain(finding.facts, *finding.roles.values())):
            self._all_read = True
            for facts in self.report.facts.loaded.values():
                self.facts.update((f.id, f) for f in facts)

    def read_facts(self, article_ids: Iterable[str]) -> None:
        """Make sure `facts` holds the facts of these articles (a finding's facts are in its articles)."""
        if not self._lazy:
            return
        wanted = [a for a in dict.fromkeys(article_ids) if a not in self._read_articles]
        if wanted:
            self._read_articles.update(wanted)
            self.facts.update((f.id, f) for f in facts_of_articles(self.report.facts, wanted))

    def facts_of(self, article_ids: Iterable[str]) -> list[Fact]:
        """The facts of these articles, in report order, reading only them when the report reads on demand."""
        return facts_of_articles(self.report.facts, article_ids)

    def quoted_sentences(self, finding: Finding) -> list[Quote]:
        """The finding's facts grouped by (article, sentence), in order. Worked out on each call, not kept:
        kept for a million facts they took 330 MB, and only Markdown and the (capped) HTML page ask."""
        groups: dict[tuple[str, str], tuple[list[tuple[int, int]], list[Fact], dict[tuple[int, int], Fact]]] = {}
        for fact in self.finding_facts(finding):
            placed = sentence_marks(fact, self.articles.get(fact.article))
            spans, facts, span_facts = groups.setdefault((fact.article, placed[0] if placed else fact.sentence),
                                                         ([], [], {}))
            if placed:
                spans.append(placed[1:])
                span_facts.setdefault(placed[1:], fact)
            facts.append(fact)
        return [Quote(article, sentence, _non_overlapping(spans), facts, span_facts)
                for (article, sentence), (spans, facts, span_facts) in groups.items()]

    def involved_facts(self, finding: Finding) -> list[Fact]:
        """Every fact a finding names, in its `facts` or any of its `roles`; without repeats."""
        self._read_for(finding)
        ids: list[str] = list(finding.facts)
        for role in sorted(finding.roles):
            ids.extend(finding.roles[role])
        seen: set[str] = set()
        out: list[Fact] = []
        for i in ids:
            if i in self.facts and i not in seen:
                seen.add(i)
                out.append(self.facts[i])
        return out

    def finding_location(self, finding: Finding) -> Location | None:
        """Its first fact's position; else its first article's first line; else the rule's YAML mark."""
        return _memo(self._locations, id(finding), self._finding_location, finding)

    def _finding_location(self, finding: Finding) -> Location | None:
        if finding.places is None and self._last_places[0] is not finding:
            # its first fact in an article the report holds: where the others stand is not needed (yet)
            articles = self.articles
            for fact in self.finding_facts(finding):
                article = articles.get(fact.article)
                if article is not None:
                    return Location(article.path, *fact_place(fact, article)[3:])
        for place in self.places(finding):
            location = self.place_location(place)
            if location is not None:
                return location
        for article_id in finding.articles:
            location = self.article_location(article_id)
            if location is not None:
                return location
        rule = self.rules.get(finding.rule)
        if rule is not None and rule.file:
            return Location(rule.file, rule.line, rule.column)
        return None

    def related_locations(self, finding: Finding) -> list[tuple[Location, str]]:
        """(location, label) of the finding's other facts, then of its articles that no fact stands for. Worked
        out on each call, not kept: SARIF and JUnit ask for failing findings only, and kept for every figure an
        agreement cites across a million facts they took 70 MB at the run's peak."""
        out: list[tuple[Location, str]] = []
        places = self.places(finding)
        for place in places[1:]:
            location = self.place_location(place)
            if location is not None:
                out.append((location, f"{place[2]} ({place[1]})"))
        covered = {place[1] for place in places}
        for article_id in finding.articles:
            if article_id in covered:
                continue
            covered.add(article_id)
            location = self.article_location(article_id)
            if location is not None:
                out.append((location, f"article {article_id}"))
        return out

    def label(self, finding: Finding) -> str:
        """`group_label` of the finding's group (JUnit names every test case by it): as worked out ahead
        (`Ahead`), else worked out now, not kept (kept for a million findings, 37 MB at a first run's peak)."""
        label = self._labels.get(id(finding))
        return group_label(finding.group) if label is None else label

    def fingerprint(self, finding: Finding) -> str:
        """Stable across runs and across edits that only move the text: rule, group, articles, figures. Kept for
        the findings SARIF lists (failing and waived), which `consistency.json` asks for too; the others are asked
        once (kept, a million fingerprints took 30 MB at a first run's peak)."""
        if finding.status == "pass" or finding.status == "skipped":
            return self._fingerprint(finding)
        return _memo(self._fingerprints, id(finding), self._fingerprint, finding)

    def _fingerprint(self, finding: Finding) -> str:
        # where its facts stand, but for their lines: worked out from the facts when the finding does not know
        surfaces = sorted([place[1:3] for place in self.places(finding)] if finding.places is not None else
                          [(fact.article, fact.surface) for fact in self.finding_facts(finding)])
        payload = fingerprint_payload(finding.rule, finding.group, sorted(finding.articles), surfaces)
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    # -- order -------------------------------------------------------------
    @cached_property
    def sorted_findings(self) -> list[Finding]:
        """Sorted by file, line, column, rule id, status, then the rest of the record (so ties are stable too)."""
        findings = self.report.findings
        located = self._locations  # most findings were located ahead (`Ahead`): looked up here without a call
        locations = [self.finding_location(f) if (at := located.get(id(f), _MISSING)) is _MISSING else at
                     for f in findings]
        keyed = tally_keys(findings)  # each finding read once, for its order and its count
        keys = order_numbers(keyed, locations)
        del locations
        self.__dict__.setdefault("tally", Counter(keyed))  # `tally`, counted here: both report processes use it
        del keyed

        def rest(finding: Finding) -> tuple[Any, ...]:
            return canonical_json(finding.group), finding.message, finding.facts, finding.articles

        # The rest of the record only breaks ties, which are few: worked out for those alone (a group's JSON
        # for every finding took a third of the sort).
        # the places sorted, not (key, place, finding) tuples: a stable sort keeps ties in order (half the time)
        order = sorted(range(len(findings)), key=keys.__getitem__)
        out = list(map(findings.__getitem__, order))
        keys = list(map(keys.__getitem__, order))
        del order
        tied = list(compress(count(1), map(eq, keys, islice(keys, 1, None))))  # each n ties with n - 1
        n = 0
        while n < len(tied):  # each run of ties, sorted by the rest
            start = end = tied[n]
            while n + 1 < len(tied) and tied[n + 1] == end + 1:
                n += 1
                end = tied[n]
            out[start - 1:end + 1] = sorted(out[start - 1:end + 1], key=rest)
            n += 1
        return out

    @cached_property
    def sorted_articles(self) -> list[Article]:
        return sorted(self.report.articles, key=lambda a: (a.path, a.line_offset, a.id))

    @cached_property
    def sorted_facts(self) -> list[Fact]:
        """By article (in article order), then position in its text."""
        order = {a.id: n for n, a in enumerate(self.sorted_articles)}
        return sorted(self.report.facts, key=lambda f: (order.get(f.article, len(order)), f.article, *fact_order(f)))

    @cached_property
    def unlisted_facts(self) -> list[Fact]:
        """The facts of articles the report does not list (facts read on demand are all of listed ones)."""
        if self._lazy:
            return []
        listed = self.articles
        return [f for f in self.report.facts if f.article not in listed]

    def fact_chunks(self, fmt: str, render: Callable[[Fact], str]) -> Iterator[str | bytes]:
        """Every fact rendered, in `sorted_facts` order: an article's stored text (as UTF-8 bytes) where `stored`
        has it (see `StoredFacts`), else `render` of each of its facts. With `reuse`, an article's stored text
        comes as an `ArticleText` (so where it lands is noted), or as an `ArticleCopy` where the last run's file
        holds the text kept under the same key."""
        if self.stored is None:
            yield from map(render, self.sorted_facts)
            return
        from ledger.report.reuse import ArticleCopy, ArticleText

        ids = [a.id for a in self.sorted_articles]
        unlisted = self.unlisted_facts
        grouped: dict[str, list[Fact]] | None = None
        texts = None if self.reuse is None else self.reuse.article_texts(fmt)
        keys = list(map(self.stored.key, ids))
        copied = [False] * len(ids) if texts is None else [key is not None and texts.copyable(key) for key in keys]
        stored = iter(self.stored.texts(fmt, [a for a, copy in zip(ids, copied) if not copy]))
        for article_id, key, copy in zip(ids, keys, copied):
            if copy:
                yield ArticleCopy(key)
                continue
            text = next(stored)
            if text is not None:
                yield text if texts is None or key is None else ArticleText(key, text)
                continue
            if self._lazy:
                yield from map(render, sorted(self.facts_of([article_id]), key=fact_order))
                continue
            if grouped is None:
                grouped = {}
                for fact in self.report.facts:
                    grouped.setdefault(fact.article, []).append(fact)
            yield from map(render, sorted(grouped.get(article_id, ()), key=fact_order))
        yield from map(render, sorted(unlisted, key=lambda f: (f.article, *fact_order(f))))

    @cached_property
    def _by_status(self) -> dict[str, list[Finding]]:
        return _grouped_by_status(self.sorted_findings)

    def by_status(self, status: str) -> list[Finding]:
        """The findings of that status, in report order (the list is shared: do not change it)."""
        return self._by_status.get(status, [])

    def first(self, status: str, count: int) -> tuple[list[Finding], int]:
        """The first `count` findings of that status in report order, and how many there are: what the terminal
        shows, without sorting every finding into its status when no report here did."""
        if "_by_status" in self.__dict__:
            found = self.by_status(status)
            return found[:count], len(found)
        return list(islice((f for f in self.sorted_findings if f.status == status), count)), \
            self.summary["by_status"][status]

    @cached_property
    def shown_findings(self) -> list[Finding]:
        """The findings Markdown and HTML detail: the first `SHOWN_FINDINGS` failing, then skipped, waived and
        passing ones."""
        return [f for status in STATUSES for f in self.by_status(status)][:SHOWN_FINDINGS]

    def read_quoted(self, findings: Iterable[Finding]) -> None:
        """When the report reads facts on demand, read at once those of the articles these findings quote (one by
        one, as each finding asks, takes several times as long)."""
        if self._lazy:
            self.read_facts([a for f in findings for a in (*f.articles, *(p[1] for p in f.places or ()))])

    def shown(self, status: str) -> list[Finding]:
        """`by_status(status)`, cut to the findings Markdown and HTML detail."""
        if len(self.shown_findings) == len(self.report.findings):
            return self.by_status(status)
        return self._shown_by_status.get(status, [])

    @cached_property
    def _shown_by_status(self) -> dict[str, list[Finding]]:
        return _grouped_by_status(self.shown_findings)

    @cached_property
    def tally(self) -> Counter[tuple[str, str, str, bool]]:
        """`tally` of the report's findings: what every count of them is worked out from."""
        return tally(self.report.findings)

    @cached_property
    def status_severity_counts(self) -> Counter[tuple[str, str]]:
        """(status, severity) -> number of findings."""
        counts: Counter[tuple[str, str]] = Counter()
        for (_, status, severity, _), n in self.tally.items():
            counts[status, severity] += n
        return counts

    @cached_property
    def failing_fact_ids(self) -> frozenset[str]:
        """The facts failing findings name."""
        return frozenset(i for f in self.report.findings if f.status == "fail" for i in f.facts)

    @cached_property
    def summary(self) -> dict[str, Any]:
        """`summarize(report)`, worked out once for every format."""
        return summarize(self.report, self.tally)

    def rule_counts(self, rule_id: str) -> tuple[Counter[str], int]:
        """The rule's findings per status, and how many of its failures are baselined (`is_baselined`)."""
        return self._rule_counts.get(rule_id, (Counter(), 0))

    @cached_property
    def _rule_counts(self) -> dict[str, tuple[Counter[str], int]]:
        out: dict[str, tuple[Counter[str], int]] = {}
        for (rule, status, _, baselined), n in self.tally.items():
            statuses, held = out.get(rule, (Counter(), 0))
            statuses[status] += n
            out[rule] = (statuses, held + n if baselined and status == "fail" else held)
        return out

    def rule_ids(self) -> list[str]:
        """Declared rules in their given order, then rules only findings mention, sorted."""
        return list(self._rule_ids)

    @cached_property
    def _rule_ids(self) -> list[str]:
        ids = [r.id for r in self.report.rules]
        return ids + sorted({rule for rule, *_ in self.tally}.difference(ids))

    def rule_info(self, rule_id: str) -> RuleInfo:
        info = self.rules.get(rule_id)
        if info is not None:
            return info
        kinds = sorted({f.kind for f in self.report.findings if f.rule == rule_id})
        severities = [f.severity for f in self.report.findings if f.rule == rule_id]
        return RuleInfo(id=rule_id, kind=kinds[0] if kinds else "", severity=min(severities, key=SEVERITIES.index)
                        if severities else "error")


SHOWN_FINDINGS = 5000
"""Beyond this many findings the reports people read (Markdown, HTML) detail only the first this many, failing
first, and say how many more there are: no one reads 70,000 failures on a page, GitHub stops rendering a
Markdown file long before, and a step summary takes 1 MB. consistency.json, ledger.sarif and junit.xml list all."""

SHOWN_PER_FINDING = 25
"""Quoted sentences, listed figures and chart rows one finding shows in Markdown and HTML: an agreement
across a large archive may cite thousands of figures; consistency.json always lists them all."""


def more_note(total: int, shown: int, what: str) -> str | None:
    """"… and 1,475 more quoted sentences (all in consistency.json)", or None when nothing was left out."""
    if total <= shown:
        return None
    return f"… and {total - shown:,} more {what} (all in consistency.json)"


_MISSING = object()


class Ahead:
    """Each finding's location and group label, worked out ahead of the reports, for findings that know where
    their facts stand (`Finding.places`): `build_report` does it while it waits for its agreement child, which on
    a re-run of a million facts leaves this process idle for seconds. An `Index` made with it takes them over.
    (Fingerprints are not: only `consistency.json` and SARIF ask, and only of findings they render afresh, the
    text of the others being copied from the last run's reports.)"""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.index = Index(Report(articles=tuple(articles)))
        self._held: list[Finding] = []
        """Every finding worked out for: kept alive, so that no other finding ever takes its id."""

    def work_out(self, findings: Iterable[Finding]) -> None:
        """Locate `findings` (what sorting them needs), from the first place when it is the first fact's: through
        `Index.finding_location`, which filtered every place twice, this took 2.6 s instead of 1.0 at a million
        facts. (Labelling them here too, for JUnit's test case names, took 0.6-0.8 s more, where JUnit takes 0.3 s
        and 7-37 MB less. Reading ahead the facts Markdown and HTML quote saved 1.5-2 s more at 926k facts, but
        held them while the child held its own: 1.94 GB in all instead of 1.78.)"""
        index = self.index
        articles, located, held = index.articles, index._locations, self._held
        for finding in findings:
            places, facts = finding.places, finding.facts
            if not places or not facts:
                continue
            first = places[0]
            if first[0] != facts[0]:  # its places do not start with its facts': as `Index.places` has them
                first = next(iter(index.places(finding)), None)
                if first is None:
                    continue
            article = articles.get(first[1])
            if article is not None:  # located by its first fact: no fact or rule needed
                held.append(finding)
                located[id(finding)] = Location(article.path, *first[3:])


_STATUS_RANK = {status: n for n, status in enumerate(STATUSES)}


def order_numbers(keyed: Sequence[tuple[str, str, str, bool]], locations: Sequence[Location | None]) -> list[int]:
    """Each finding's file, line, column (`locations`: none sorts last), rule id and status (`keyed`: its
    `tally_keys`) as one number, in mixed radix, that sorts as those would: sorting a quarter of a million tuples
    of them took 0.4 s, as numbers 0.1 s."""
    located = [at for at in locations if at is not None]
    paths = {path: n for n, path in enumerate(sorted({at.path for at in located}))}
    rules = {rule: n for n, rule in enumerate(sorted({key[0] for key in keyed}))}
    lines = 1 + max((at.line or 0 for at in located), default=0)
    columns = 1 + max((at.column or 0 for at in located), default=0)
    unplaced = len(paths) * lines * columns
    radix, statuses, ranks = len(rules), len(_STATUS_RANK), _STATUS_RANK
    return [((unplaced if at is None else (paths[at.path] * lines + (at.line or 0)) * columns + (at.column or 0))
             * radix + rules[rule]) * statuses + ranks[status] for (rule, status, _, _), at in zip(keyed, locations)]


def _grouped_by_status(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Status -> its findings, in the order given."""
    out: dict[str, list[Finding]] = {status: [] for status in STATUSES}
    for finding in findings:
        out[finding.status].append(finding)
    return out


def _memo(memo: dict[Any, Any], key: Any, compute: Callable[[Any], Any], record: Any) -> Any:
    """`compute(record)`, kept in `memo` under `key` the first time it is asked for."""
    value = memo.get(key, _MISSING)
    if value is _MISSING:
        value = memo[key] = compute(record)
    return value


# -- summary -----------------------------------------------------------------
def summarize(report: Report, counts: Counter[tuple[str, str, str, bool]] | None = None) -> dict[str, Any]:
    """Counts by status, failures by severity, and the size of the corpus; `counts`: the findings' `tally`, if
    worked out."""
    counts = tally(report.findings) if counts is None else counts
    statuses: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    baselined = 0
    rules = {r.id for r in report.rules}
    for (rule, status, severity, held), n in counts.items():
        statuses[status] += n
        rules.add(rule)
        if status == "fail":
            severities[severity] += n
            baselined += n if held else 0
    computed = {
        "findings": len(report.findings),
        "by_status": {s: statuses[s] for s in ("pass", "fail", "skipped", "waived")},
        "failures_by_severity": {s: severities[s] for s in SEVERITIES},
        "articles": len(report.articles),
        "facts": len(report.facts),
        "rules": len(rules),
        "errors": len(report.errors),
        "baselined": baselined,
    }
    return {**report.summary, **computed}


def tally(findings: Iterable[Finding]) -> Counter[tuple[str, str, str, bool]]:
    """(rule id, status, severity, baselined) -> number of findings."""
    return Counter(tally_keys(findings))


def tally_keys(findings: Iterable[Finding]) -> list[tuple[str, str, str, bool]]:
    """Each finding's (rule id, status, severity, baselined), read in C in one pass: each pass over a quarter of a
    million findings spread over a large heap took 0.1-0.2 s (0.45 s at 280,000 after a re-run), and the reports
    took six."""
    findings = list(findings)
    return list(zip(map(_RULE, findings), map(_STATUS, findings), map(_SEVERITY, findings), map(_BASELINED, findings)))


_STATUS, _RULE, _BASELINED, _SEVERITY = (attrgetter(name) for name in ("status", "rule", "baselined", "severity"))


def summary_line(report: Report, summary: dict[str, Any] | None = None) -> str:
    """"3 failed, 12 passed, 1 skipped in 4 articles (57 facts)"; `summary`: `summarize(report)`, if worked out."""
    summary = summarize(report) if summary is None else summary
    counts = summary["by_status"]
    parts = [f"{counts['fail']} failed", f"{counts['pass']} passed"]
    if counts["skipped"]:
        parts.append(f"{counts['skipped']} skipped")
    if counts["waived"]:
        parts.append(f"{counts['waived']} waived")
    baselined = summary["baselined"]
    if baselined:
        parts[0] += f" ({baselined} baselined)"
    text = f"{', '.join(parts)} in {plural(len(report.articles), 'article')} ({plural(len(report.facts), 'fact')})"
    if report.errors:
        text += f"; {plural(len(report.errors), 'input error')}"
    return text


def is_baselined(finding: Finding) -> bool:
    """A failure already in the baseline: still reported, but not one that fails CI."""
    return finding.status == "fail" and bool(getattr(finding, "baselined", False))


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# -- values ------------------------------------------------------------------
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def canonical_json(value: Any) -> str:
    """`json.dumps(jsonable(value), sort_keys=True, ...)`, compact; straight from `value` when that writes the same."""
    if _text_keys(value):
        try:
            return _CANONICAL.encode(value)
        except ValueError:  # a float that is not finite: jsonable makes it null
            pass
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def fingerprint_payload(rule: str, group: dict[str, Any], articles: list[str], surfaces: list[tuple[str, str]]) -> str:
    """`canonical_json([rule, group, articles, surfaces])`: only the group can hold what canonical_json checks
    for; the ids and surfaces (hundreds, for an agreement) are text and go straight to the encoder."""
    if _text_keys(group):
        try:
            return _CANONICAL.encode([rule, group, articles, surfaces])
        except ValueError:  # a float that is not finite: canonical_json makes it null
            pass
    return canonical_json([rule, group])[:-1] + "," + _CANONICAL.encode([articles, surfaces])[1:]


def _text_keys(value: Any) -> bool:
    """Every dict key inside is text (json.dumps writes a key True as "true", jsonable as "True")."""
    if isinstance(value, dict):
        for key, item in value.items():
            if type(key) is not str or (isinstance(item, (dict, list, tuple)) and not _text_keys(item)):
                return False
        return True
    if isinstance(value, (list, tuple)):
        return all(_text_keys(v) for v in value if isinstance(v, (dict, list, tuple)))
    return True


def jsonable(value: Any) -> Any:
    """Plain JSON data: tuples become lists, infinite and NaN floats become null."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # the common leaves, answered first
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def escape_html(text: object) -> str:
    """`html.escape(str(text), quote=True)`, without its extra call: the HTML report escapes a million pieces."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#x27;"))


def group_label(group: dict[str, Any]) -> str:
    """{"article": "wagner"} -> "article=wagner"; {} -> "all articles"."""
    if not group:
        return "all articles"
    return ", ".join(f"{k}={_plain(v)}" for k, v in sorted(group.items()))


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return canonical_json(value)


def number(x: float | None) -> str:
    """News-style number: thousands separators, no float noise ("45,800", "0.25", "1.5e+20")."""
    if x is None:
        return "?"
    if 1e-4 <= abs(x) < 1e15:  # most numbers: asked first (false for NaN and the infinities)
        if x == int(x):
            return f"{int(x):,}"
        return f"{x:,.6f}".rstrip("0").rstrip(".")
    if x == 0:
        return "0"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.4g}"


def interval(low: float | None, high: float | None, unit: str | None = None) -> str:
    """45,000–55,000 USD; ≥ 100; ≤ 5; 50,000 when both ends meet."""
    low = None if low is None or (isinstance(low, float) and math.isinf(low) and low < 0) else low
    high = None if high is None or (isinstance(high, float) and math.isinf(high) and high > 0) else high
    if low is None and high is None:
        text = "any value"
    elif low is None:
        text = f"≤ {number(high)}"
    elif high is None:
        text = f"≥ {number(low)}"
    elif low == high:
        text = number(low)
    else:
        text = f"{number(low)}–{number(high)}"
    return f"{text} {unit}" if unit else text


def pair(bounds: Iterable[float | None] | None, unit: str | None = None) -> str | None:
    if bounds is None:
        return None
    low, high = tuple(bounds)
    return interval(low, high, unit)


def fact_interval(fact: Fact) -> str:
    return interval(fact.low, fact.high, fact.unit)


def fact_details(fact: Fact) -> list[tuple[str, str]]:
    """(label, value) lines that describe one figure: for hover titles, side panels and tables."""
    rows = [("value", number(fact.value) + (f" {fact.unit}" if fact.unit else "")),
            ("interval", fact_interval(fact)),
            ("unit", fact.unit or "count"),
            ("subject", fact.subject_phrase or fact.subject or "—"),
            ("qualifier", fact.qualifier)]
    if fact.entity:
        rows.append(("entity", fact.entity))
    if fact.as_of:
        rows.append(("as of", fact.as_of.isoformat()))
    if fact.tags:
        rows.append(("tags", ", ".join(fact.tags)))
    return rows


def sentence_marks(fact: Fact, article: Article | None) -> tuple[str, int, int] | None:
    """(sentence, start, end) of the figure inside its sentence, or None when it cannot be placed."""
    sentence = fact.sentence
    if article is not None and article.text:
        lo = max(0, fact.end - len(sentence))
        at = article.text.find(sentence, lo, fact.start + len(sentence))
        if at != -1 and at <= fact.start and fact.end <= at + len(sentence):
            return sentence, fact.start - at, fact.end - at
    at = sentence.find(fact.surface)
    if at == -1:
        return None
    return sentence, at, at + len(fact.surface)


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
    return out
