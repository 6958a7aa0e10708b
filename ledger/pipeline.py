"""Articles to facts for many articles: reuse stored facts, extract the rest over processes, shard.

The extractor itself (`ledger.extract`) knows one article at a time; this module adds the cache, the
process pool and the progress line around it.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Container, Iterable, Iterator, Sequence

from pydantic import TypeAdapter
from pydantic_core import PydanticSerializationError, to_json

from ledger.errors import LedgerError
from ledger.model import Article, Fact, Record, Relation, gc_paused, share_values
from ledger.progress import progress


class Extracted(Record):
    """What the store keeps for one article: its facts and the arithmetic its sentences state (relations
    depend on nothing but the article, so they are found once, in the worker, not on every check)."""

    facts: tuple[Fact, ...] = ()
    relations: tuple[Relation, ...] = ()
    clauses: tuple[str, ...] = ()
    """Per fact, what its clause says for cross-article agreement (`ledger.extract.clauses.clause_record`)."""
    failed: str | None = None
    """What went wrong extracting the article's figures (a bug met on its text): then it has none (never stored)."""


IN_PROCESS_BELOW = 64
"""Fewer articles than this are extracted in this process: starting workers would cost more."""


@dataclass
class Extraction:
    facts: list[Fact] | LazyFacts = field(default_factory=list)
    relations: list[Relation] | OutlinedRelations = field(default_factory=list)
    clauses: dict[str, str] = field(default_factory=dict)
    """Fact id -> its stored clause, for the facts that have one."""
    extracted: int = 0
    reused: int = 0
    moved: int = 0
    """Of the `reused`, the articles that only moved (another file name, other lines): their facts shifted."""
    store: Path | None = None
    """The ledger store the facts came from, if any."""
    keys: dict[str, str] = field(default_factory=dict)
    """Article id -> its key in `store`."""
    errors: list[LedgerError] = field(default_factory=list)
    """The articles whose figures could not be extracted (`Extracted.failed`): named, the others checked."""

    def stored_texts(self, facts: Sequence[Fact]) -> StoredTexts | None:
        """The report text the store keeps for these facts' articles, when `facts` are the extracted ones; an
        article whose facts were changed since (entities renamed by aliases) is rendered afresh."""
        if self.store is None or len(facts) != len(self.facts):
            return None
        changed = frozenset() if facts is self.facts else \
            frozenset(new.article for old, new in zip(self.facts, facts) if old is not new)
        return StoredTexts(self.store, self.keys, changed)

    def add(self, record: Extracted, article: Article) -> None:
        if record.failed is not None:
            line = article.line_offset + 1 if article.path.lower().endswith(".jsonl") else None
            self.errors.append(LedgerError(f"article {article.id!r}: its figures could not be extracted (an error in "
                                           f"ledger: {record.failed}; please report it with this article)",
                                           article.path, line))
        self.facts.extend(record.facts)
        self.relations.extend(record.relations)
        self.clauses.update((f.id, c) for f, c in zip(record.facts, record.clauses) if c)


@dataclass(frozen=True)
class StoredTexts:
    """Each article's facts as `facts.jsonl` and `facts.csv` render them, kept in the store by the worker that
    extracted them (`ledger.report.common.StoredFacts`)."""

    store: Path
    keys: dict[str, str]
    """Article id -> its key in the store."""
    changed: frozenset[str] = frozenset()
    """Articles whose facts differ from the stored ones."""

    def key(self, article_id: str) -> str | None:
        return None if article_id in self.changed else self.keys.get(article_id)

    def texts(self, fmt: str, article_ids: list[str]) -> Iterator[bytes | None]:
        from ledger.store import Store

        # Opened here, by whichever process renders: a connection must not cross a fork.
        with Store(self.store) as store:
            wanted = list(map(self.key, article_ids))
            rows = store.rendered(fmt, [k for k in wanted if k is not None])
            try:
                for key in wanted:
                    yield None if key is None else next(rows)[1]
            finally:
                rows.close()  # ends its read transaction while the connection is open


def _parse(blob: str | bytes, pool: dict) -> Extracted:
    return _shared(Extracted.model_validate_json(blob), pool)


def _shared(record: Extracted, pool: dict) -> Extracted:
    share_values(record.facts, pool)
    share_values(record.relations, pool)
    # clauses recur across articles (a template's clause): 9,000 distinct among 200,000
    object.__setattr__(record, "clauses", tuple(pool.setdefault(c, c) for c in record.clauses))
    return record


def in_shard(article: Article, shard: tuple[int, int] | None) -> bool:
    """A stable 1/N of the articles by a hash of their id, the same on every machine."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha1(article.id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def article_facts(article: Article) -> list[Fact]:
    """The article's figures, then who each is about and when (entity, as-of date, tags): the facts every
    command checks (`ledger check`, and `ledger rules test` on its cases)."""
    from ledger.extract import extract_article
    from ledger.extract.entities import annotate

    return annotate(article, extract_article(article))


def _extract_record(article: Article) -> Extracted:
    """The article's facts, the relations between them and what each figure's clause says."""
    from ledger.extract.clauses import clause_record
    from ledger.extract.relations import find_relations

    try:
        facts = article_facts(article)
        return Extracted(facts=tuple(facts), relations=tuple(find_relations(article, facts)),
                         clauses=clause_record(facts, article.text))
    except Exception as e:  # noqa: BLE001 - a bug met on this article's text: it is named, the others still checked
        return Extracted(failed=f"{type(e).__name__}: {e}")


def _moved(blob: str, shift: int) -> tuple[Extracted, str] | None:
    """A stored record of an article that has moved `shift` lines down (up when negative), and its JSON: its facts
    differ only in their lines (`ledger.store.content_keys`). The lines are shifted in the JSON itself, where only
    a fact's "line" key reads `"line":` (a quote inside a string is escaped), not by copying every fact and writing
    it out again (6.2 s of a 100k run with every article moved, now 5.6), which is done only when the count of
    keys shifted says the shape is another.
    None when the record cannot be read."""
    try:
        if shift:
            shifted, count = _LINE.subn(lambda m: f'"line":{int(m[1]) + shift}', blob)
            record = Extracted.model_validate_json(shifted)
            if count == len(record.facts):
                return record, shifted
        record = Extracted.model_validate_json(blob)
    except ValueError:
        return None
    if not shift:
        return record, blob
    record = record.model_copy(update={"facts": tuple(f.model_copy(update={"line": f.line + shift})
                                                      for f in record.facts)})
    return record, record.model_dump_json()


_LINE = re.compile(r'"line":(-?\d+)')


def _extract_json(article: Article) -> bytes:
    return _extract_record(article).model_dump_json().encode()


def _extract_for_store(article: Article) -> tuple[bytes, str, str]:
    """The record as JSON, and its facts as `facts.jsonl` and `facts.csv` render them: worked out here, in the
    worker, so a report of a million facts joins stored text instead of rendering every fact again. (Its outline
    is made from the record the parent reads anyway: sent from here too, the text left holes between the facts
    the parent keeps, 15 MB at 93k facts.)"""
    from ledger.report.data import fact_texts

    record = _extract_record(article)
    return (record.model_dump_json().encode(), *fact_texts(record.facts))


def _outline(record: Extracted) -> tuple[int, str]:
    """What a re-run needs of an unchanged article without reading its facts: their number, and its relations (as
    `consistency.json` lists them: `OutlinedRelations`)."""
    return len(record.facts), _RELATIONS.dump_json(record.relations, indent=2).decode()  # as reports list them


_RELATIONS = TypeAdapter(tuple[Relation, ...])


def _quiet_worker() -> None:
    """Ctrl-C reaches the whole process group: the parent stops the pool; workers must not each raise. The
    parent pauses its garbage collector while records load (`gc_paused`); a worker collects as usual."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.enable()


def _extract_many(articles: list[Article], jobs: int, work: Callable[[Article], Any] = _extract_json) -> Iterator[Any]:
    """`work` of each article (by default its record as JSON), in order, as they are done."""
    if jobs <= 1 or len(articles) < IN_PROCESS_BELOW:
        yield from (work(a) for a in progress(articles, len(articles), "extracting"))
        return
    import multiprocessing

    start = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if start == "fork":  # the unit registry is made once here, for every worker (and the checks after), not by each
        from ledger.units import registry

        registry()
    context = multiprocessing.get_context(start)
    with context.Pool(jobs, initializer=_quiet_worker) as pool:
        # 32 chunks a worker at least: the last chunks leave the workers idle in turn (491 articles in chunks of 30
        # left one idle for a quarter of a second)
        chunk = max(1, min(64, len(articles) // (jobs * 32)))
        yield from progress(pool.imap(work, articles, chunksize=chunk), len(articles), "extracting")


SETTLE_ABOVE = 50_000
"""With more facts than this, the loaded facts are moved out of the garbage collector's sight
(`gc.freeze`): they hold no reference cycles, and rescanning a million of them on every full collection
made checking and report writing grow faster than the input. Collections are then made rarer too: with
nothing long-lived left in view, the collector ran full passes over the check's own objects every few
thousand allocations (a tenth of the check's time)."""


def settle(facts: list[Fact]) -> None:
    if len(facts) > SETTLE_ABOVE:
        import gc

        # no collection first: loading makes next to no cyclic garbage (10 objects at a million facts), and a
        # full collection over them took a second
        gc.freeze()
        gc.set_threshold(100_000, 50, 1000)


def extract_facts(articles: list[Article], store_path: str | Path | None = None, jobs: int | None = None,
                  lazy: bool = False) -> Extraction:
    """Facts and relations of every article, in article order; with a store, unchanged articles reuse what
    is stored for them. `lazy`: their facts are not even read, until asked for (`LazyFacts`)."""
    jobs = jobs or os.cpu_count() or 1
    result = Extraction()
    pool: dict = {}
    if store_path is None:
        with gc_paused(kept=True):
            for blob, article in zip(_extract_many(articles, jobs), articles):
                result.add(_parse(blob, pool), article)
        result.extracted = len(articles)
        settle(result.facts)
        return result

    from ledger.report.data import fact_texts
    from ledger.store import Store, article_keys, content_keys

    # kept: what was loaded is frozen on leaving, not scanned first (a full collection of a million facts, 1 s)
    with Store(store_path) as store, gc_paused(kept=True):
        keys = article_keys(articles)
        known = store.known(set(keys))
        todo = [(k, a) for k, a in zip(keys, articles) if k not in known]
        contents = dict(zip((k for k, _ in todo), content_keys(a for _, a in todo)))
        stored_as = store.moved(list(contents.values())) if todo else {}
        moved = [(k, a, *stored_as[contents[k]]) for k, a in todo if contents[k] in stored_as]
        todo = [(k, a) for k, a in todo if contents[k] not in stored_as]
        parsed: dict[str, Extracted] = {}

        def shifted() -> Iterator[tuple[Any, ...]]:
            """The records of articles that only moved, from where they were stored, their lines shifted: read on a
            connection of their own (this one writes meanwhile), before the old rows are dropped (`beforehand`)."""
            with Store(store_path) as other:
                rows = other.facts([old for _, _, old, _ in moved])
                try:
                    for (key, article, _, offset), (_, blob) in progress(zip(moved, rows), len(moved), "moving"):
                        found = _moved(blob, article.line_offset - offset) if blob is not None else None
                        if found is None:  # dropped by another run meanwhile, or unreadable: extracted here
                            record = _extract_record(article)
                            found = record, record.model_dump_json()
                        record, text = found
                        parsed[key] = _shared(record, pool)
                        if record.failed is None:
                            yield (key, text, *fact_texts(record.facts), *_outline(record), contents[key],
                                   article.line_offset)
                finally:
                    rows.close()

        def fresh() -> Iterator[tuple[Any, ...]]:
            for (key, article), (blob, *rest) in zip(todo, _extract_many([a for _, a in todo], jobs, _extract_for_store)):
                record = parsed[key] = _parse(blob, pool)
                if record.failed is None:  # else extracted again next time (and named again)
                    yield key, blob.decode(), *rest, *_outline(record), contents[key], article.line_offset

        def beforehand() -> tuple[set[str], dict[str, tuple[int, str]]]:
            """What waits for no extraction, done on a connection of its own while the workers extract (it took
            a second after them at a million facts): the ledger's articles set, and of the unchanged ones, those
            whose report text is not stored (by an older ledger, or rendered otherwise now) and the outlines."""
            with Store(store_path) as other:
                other.set_articles([(a.id, a.path, k) for k, a in zip(keys, articles)])
                old = [k for k in keys if k in known]
                return set(old) - other.rendered_known(old), other.outlines(old)

        if moved:
            store.add_extractions(shifted())
        with ThreadPoolExecutor(max_workers=1) as meanwhile:
            done = meanwhile.submit(beforehand)
            store.add_extractions(fresh())
            unrendered, outlines = done.result()
        # read now: what this run extracted, every article unless lazy, and what an older ledger stored without
        # its report text or outline (both are stored now)
        unread = {k for k in keys if k not in parsed and k in outlines and k not in unrendered} if lazy else set()
        spans: list[tuple[str, int, int]] = []  # (key, its facts' slice of result.facts) of the unrendered
        unoutlined: list[tuple[str, int, str]] = []
        outlined = outlines.keys() | parsed.keys()  # those stored this run were stored with theirs
        stored = store.facts([k for k in keys if k not in parsed and k not in unread])  # streamed in article order
        loaded: dict[str, list[Fact]] = {}
        counts: dict[str, int] = {}
        if lazy:
            result.relations = OutlinedRelations(pool)
        for key, article in zip(keys, articles):
            if key in unread:
                count, relations = outlines[key]
                counts[article.id] = count
                result.relations.add_text(article.id, relations)  # type: ignore[union-attr]
                continue
            record = parsed.pop(key, None)
            if record is None:
                blob = next(stored)[1] or _extract_json(article)  # None: another run dropped it meanwhile
                record = _parse(blob, pool)
            if key in unrendered:
                spans.append((key, len(result.facts), len(result.facts) + len(record.facts)))
            if key not in outlined and record.failed is None:
                unoutlined.append((key, *_outline(record)))
            result.add(record, article)
            if lazy:
                loaded[article.id] = list(record.facts)
        stored.close()
        store.add_rendered((key, *fact_texts(result.facts[a:b])) for key, a, b in spans)
        store.add_outlines(unoutlined)
        store.mark_all_rendered()
    result.extracted, result.reused, result.moved = len(todo), len(articles) - len(todo), len(moved)
    result.store, result.keys = Path(store_path), {a.id: k for k, a in zip(keys, articles)}
    if lazy:
        result.facts = LazyFacts([a.id for a in articles], loaded, counts, result.store, result.keys, result.clauses)
    settle(result.facts)
    return result


class OutlinedRelations:
    """Every article's relations, in article order: those of the articles read this run at hand, the others as the
    store keeps them (`_outline`: JSON as `consistency.json` lists them), made into records only when asked for. A
    re-run checks the relations of changed articles alone (the others' findings are kept), and the JSON report
    copies the stored text: a 1.0M re-run made 50,000 relations of unchanged articles and wrote them out again."""

    def __init__(self, pool: dict) -> None:
        self._ids: list[str] = []
        self._parts: list[tuple[Relation, ...] | str] = []
        """Per article with relations: its relations, or their stored text."""
        self._pool = pool

    def extend(self, relations: Sequence[Relation]) -> None:
        """Add one article's relations (`Extraction.add`)."""
        if relations:
            self._ids.append(relations[0].article)
            self._parts.append(tuple(relations))

    def add_text(self, article_id: str, text: str) -> None:
        """Add one article's relations as the store keeps them."""
        if text != "[]":
            self._ids.append(article_id)
            self._parts.append(text)

    def __iter__(self) -> Iterator[Relation]:
        texts: list[str] = []
        for part in self._parts:
            if type(part) is str:
                texts.append(part)
                continue
            yield from self._made(texts)
            texts = []
            yield from part
        yield from self._made(texts)

    def grouped(self, unread: Container[str] = ()) -> dict[str, list[Relation]]:
        """Article id -> its relations, for every article with some, in article order; those of `unread` articles
        are left out (their lists are empty), not made."""
        out: dict[str, list[Relation]] = {}
        texts: list[str] = []
        once = len(set(self._ids)) == len(self._ids)  # else an id's relations come in turns: made in turn
        for article_id, part in zip(self._ids, self._parts):
            relations = out.setdefault(article_id, [])
            if article_id in unread:
                continue
            if type(part) is not str:
                relations.extend(part)
            elif once:
                texts.append(part)
            else:
                relations.extend(self._made([part]))
        for relation in self._made(texts):
            out.setdefault(relation.article, []).append(relation)
        return out

    def indented(self) -> str | None:
        """The relations as `consistency.json` lists them (a JSON list, indented by 2; None when pydantic-core
        cannot write one: a lone surrogate): stored text as it is, the others written afresh."""
        blocks = []
        try:
            for part in self._parts:
                if type(part) is str and part.startswith("[\n"):
                    blocks.append(part[2:-2])  # the list's items, as they stand in a longer list
                else:  # made this run, or stored compact by an older ledger
                    made = tuple(self._made([part])) if type(part) is str else part
                    blocks.append(to_json(made, indent=2).decode()[2:-2])
        except PydanticSerializationError:
            return None
        return "[\n" + ",\n".join(blocks) + "\n]" if blocks else "[]"

    def _made(self, texts: list[str]) -> Sequence[Relation]:
        """The relations of stored texts, validated as one list (one call per article took twice as long)."""
        if not texts:
            return ()
        try:
            relations = _RELATIONS.validate_json("[" + ",".join(t[1:-1] for t in texts) + "]")
        except ValueError:  # not as this code writes them: one by one
            relations = tuple(r for text in texts for r in _RELATIONS.validate_json(text))
        return share_values(relations, self._pool)


class LazyFacts(Sequence[Fact]):
    """Every article's facts, in article order: those read this run at hand, the others kept in the ledger store
    and read only when asked for (`of_articles`, `read`), so a re-run over a large archive builds the facts of no
    unchanged article that no check or report looks at. Iterating reads them all."""

    def __init__(self, order: list[str], loaded: dict[str, list[Fact]], counts: dict[str, int], store: Path,
                 keys: dict[str, str], clauses: dict[str, str]) -> None:
        self.order = order
        self._position = {a: n for n, a in enumerate(order)}
        self.loaded = loaded
        """Article id -> its facts, for the articles read so far."""
        self._counts = counts
        self._count = sum(len(f) for f in loaded.values()) + sum(counts.values())
        self._store, self._keys, self._clauses = store, keys, clauses

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Fact]:
        self.read(self.order)
        for article_id in self.order:
            yield from self.loaded.get(article_id, ())

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]

    def of_articles(self, article_ids: Iterable[str]) -> list[Fact]:
        """The facts of these articles, in article order, reading those not read yet."""
        wanted = sorted({a for a in article_ids if a in self._position}, key=self._position.__getitem__)
        self.read(wanted)
        return [f for a in wanted for f in self.loaded.get(a, ())]

    def unread(self) -> list[str]:
        """The articles whose facts have not been read, in article order."""
        return [a for a in self.order if a not in self.loaded]

    def read(self, article_ids: Iterable[str]) -> None:
        """Read the facts (and their clauses) of these articles from the store, those not read yet."""
        wanted = [a for a in dict.fromkeys(article_ids) if a not in self.loaded and a in self._counts]
        if not wanted:
            return
        from ledger.store import Store

        pool: dict = {}  # shared values of this read (the first read's pool, kept, held 25 MB at a million facts)
        with Store(self._store) as store, gc_paused(kept=True):
            rows = store.facts([self._keys[a] for a in wanted])
            try:
                for article_id, (_, blob) in zip(wanted, rows):
                    if blob is None:
                        raise LedgerError("the ledger store changed during the run: run again", str(self._store))
                    record = _parse(blob, pool)
                    self.loaded[article_id] = list(record.facts)
                    self._clauses.update((f.id, c) for f, c in zip(record.facts, record.clauses) if c)
            finally:
                rows.close()
