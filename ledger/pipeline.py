"""Articles to facts for many articles: reuse stored facts, extract the rest over processes, shard.

The extractor itself (`ledger.extract`) knows one article at a time; this module adds the cache, the
process pool and the progress line around it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from ledger.model import Article, Fact
from ledger.progress import progress

FACTS = TypeAdapter(list[Fact])
IN_PROCESS_BELOW = 64
"""Fewer articles than this are extracted in this process: starting workers would cost more."""


@dataclass
class Extraction:
    facts: list[Fact] = field(default_factory=list)
    extracted: int = 0
    reused: int = 0


def in_shard(article: Article, shard: tuple[int, int] | None) -> bool:
    """A stable 1/N of the articles by a hash of their id, the same on every machine."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha1(article.id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def _extract_json(article: Article) -> bytes:
    """Figures, then who each is about and when (entity, as-of date, tags): all cached together."""
    from ledger.extract import extract_article
    from ledger.extract.entities import annotate

    return FACTS.dump_json(annotate(article, extract_article(article)))


def _quiet_worker() -> None:
    """Ctrl-C reaches the whole process group: the parent stops the pool; workers must not each raise."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_many(articles: list[Article], jobs: int) -> list[bytes]:
    if jobs <= 1 or len(articles) < IN_PROCESS_BELOW:
        return [_extract_json(a) for a in progress(articles, len(articles), "extracting")]
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(jobs, initializer=_quiet_worker) as pool:
        chunk = max(1, min(64, len(articles) // (jobs * 8)))
        return list(progress(pool.imap(_extract_json, articles, chunksize=chunk), len(articles), "extracting"))


SETTLE_ABOVE = 50_000
"""With more facts than this, the loaded facts are moved out of the garbage collector's sight
(`gc.freeze`): they hold no reference cycles, and rescanning a million of them on every full collection
made checking and report writing grow faster than the input."""


def settle(facts: list[Fact]) -> None:
    if len(facts) > SETTLE_ABOVE:
        import gc

        gc.collect()
        gc.freeze()


def extract_facts(articles: list[Article], store_path: str | Path | None = None, jobs: int | None = None) -> Extraction:
    """Facts of every article, in article order; with a store, unchanged articles reuse stored facts."""
    jobs = jobs or os.cpu_count() or 1
    result = Extraction()
    if store_path is None:
        for blob in _extract_many(articles, jobs):
            result.facts.extend(FACTS.validate_json(blob))
        result.extracted = len(articles)
        settle(result.facts)
        return result

    from ledger.store import Store, article_key

    with Store(store_path) as store:
        keys = [article_key(a) for a in articles]
        stored = store.lookup(set(keys))
        todo = [(k, a) for k, a in zip(keys, articles) if k not in stored]
        fresh = dict(zip((k for k, _ in todo), (b.decode() for b in _extract_many([a for _, a in todo], jobs))))
        store.update(fresh, [(a.id, a.path, k) for k, a in zip(keys, articles)])
    for key in keys:
        result.facts.extend(FACTS.validate_json(stored.get(key) or fresh[key]))
    result.extracted, result.reused = len(todo), len(articles) - len(todo)
    settle(result.facts)
    return result
