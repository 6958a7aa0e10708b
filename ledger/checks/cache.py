"""Findings kept between runs, in the ledger store, so a re-run checks only what changed:

- per article (tables "checked" and "related"): what the separable rules (`engine.separable`) and the built-in
  checks of an article's own arithmetic found in it, under a key made of the article's key and a
  `fingerprint` of the rules or settings, the aliases and ledger's code;
- per agreement key group (table "agreed"): what `auto.cross_article` found, under a digest of the group.
"""

from __future__ import annotations

import hashlib
import marshal
import operator
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from ledger.model import Article, Fact, Finding, gc_paused, placed, trusted
from ledger.origins import Origins


ROW_TAG = "ledger findings 1"
"""What a stored row of findings starts with (`encode`): a row of another shape (JSON, from an older ledger) or a
damaged one is checked again."""
_FIELDS = tuple(Finding.model_fields)
_VALUES = operator.attrgetter(*_FIELDS)


def encode(rules: Iterable[str], findings: Iterable[Finding], texts: Iterable[str] = ()) -> bytes:
    """A row of findings as the store keeps it: the rules they are all the findings of, per finding of a key group
    the digest of its text (`FindingCache._texts`), and each finding's field values, in Python's `marshal` format
    (that of Python's own bytecode cache: plain values only, never code run). Read back (`decode`, `trusted`) in
    half the time JSON and pydantic took, which a re-run of a million facts spent on a quarter of a million findings."""
    findings = tuple(findings)
    try:
        return marshal.dumps((ROW_TAG, tuple(rules), tuple(texts), tuple(map(_VALUES, findings))))
    except ValueError:  # a value marshal does not hold (a date in a group): kept as JSON would give it back
        plain = (Finding.model_validate_json(f.model_dump_json()) for f in findings)
        return marshal.dumps((ROW_TAG, tuple(rules), tuple(texts), tuple(map(_VALUES, plain))))


def decode(blob: Any, pool: dict) -> tuple[tuple[str, ...], tuple[str, ...], list[Finding]] | None:
    """(rules, texts, findings) of a row `encode` wrote; None for anything else."""
    try:
        tag, rules, texts, rows = marshal.loads(blob)
        if tag != ROW_TAG:
            return None
        return tuple(rules), tuple(texts), trusted(Finding, rows, pool)
    except (EOFError, ValueError, TypeError):
        return None


def fingerprint(*inputs: Any) -> str:
    """A hash of ledger's code and of `inputs` (rules, settings, aliases): what cached findings were found under."""
    from ledger.store import code_fingerprint

    text = "\x00".join([code_fingerprint(), *(x.model_dump_json() if hasattr(x, "model_dump_json") else repr(x)
                                               for x in inputs)])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class FindingCache:
    def __init__(self, store_path: str | Path, article_keys: Mapping[str, str], salt: str = "") -> None:
        """`article_keys`: article id -> its key in the store (`ledger.store.article_key`); `salt`: anything
        else the findings depend on (the configuration's aliases)."""
        self.store_path = store_path
        self.article_keys = dict(article_keys)
        self.salt = salt
        self.origins = Origins()
        """Every row of findings read or stored by this run, its findings told their slot (`ledger.origins`)."""
        self._row_keys: dict[str, dict[str, str]] = {}
        self._others: dict[tuple[str, str], set[str]] = {}
        """(table, fingerprint) -> the keys of rows under other keys, seen reading all of the table's rows this run
        (`Store.findings`): what storing drops, not looked for again."""
        self.saved_groups: list[tuple[str, tuple[Finding, ...]]] = []
        """(digest, findings) of each key group stored by this process, in order."""
        self.tidying: list[Callable[[], None]] | None = None
        """When a list: what only tidies up after the run (dropping rows no longer used, keeping the agreement
        grouping for the next run) is put here, for the caller to do once it has answered (`tidy`)."""

    def tidy(self, work: Callable[[], None]) -> None:
        """`work` now, or later when tidying is put off (`tidying`)."""
        if self.tidying is None:
            work()
        else:
            self.tidying.append(work)

    def _drop_others(self, keep: Iterable[str], table: str, others: set[str] | None) -> None:
        """Drop the rows of `table` under keys other than `keep` (`Store.keep_findings`), now or later (`tidy`)."""
        from ledger.store import Store

        keep = set(keep)

        def drop() -> None:
            with Store(self.store_path) as store:
                store.keep_findings(keep, table, others)

        self.tidy(drop)

    def _keys(self, fingerprint: str) -> dict[str, str]:
        """Article id -> its row key under this fingerprint, worked out once for the run (read, stored and kept
        each asked for every article's: three passes over 49,000 hashes per table at a million facts)."""
        keys = self._row_keys.get(fingerprint)
        if keys is None:
            salt = f"\x00{fingerprint}\x00{self.salt}".encode("utf-8", "surrogatepass")
            sha256 = hashlib.sha256
            keys = self._row_keys[fingerprint] = {a: sha256(k.encode("utf-8", "surrogatepass") + salt).hexdigest()
                                                  for a, k in self.article_keys.items()}
        return keys

    def load(self, fingerprint: str, table: str = "checked") -> dict[str, tuple[tuple[str, ...], list[Finding]]]:
        """Article id -> (the rules, their findings) stored under this fingerprint: of the rule files ("checked")
        or of the built-in checks of each article's own arithmetic ("related")."""
        ids = sorted(self.article_keys)
        row_keys = self._keys(fingerprint)
        keys = [row_keys[a] for a in ids]
        key_ids = dict(zip(keys, ids))
        others = self._others[table, fingerprint] = set()
        return {key_ids[key]: (rules, findings) for key, rules, findings in self._read(keys, table, others)}

    def save(self, fingerprint: str, fresh: Mapping[str, tuple[tuple[str, ...], list[Finding]]],
             table: str = "checked", facts: Mapping[str, Fact] | None = None,
             articles: Mapping[str, Article] | None = None) -> None:
        """Store the findings of the articles checked in this run and drop those no article uses any more. With
        their `facts` (by id) and `articles`, each is stored with where its facts stand (`ledger.model.placed`)."""
        row_keys = self._keys(fingerprint)
        rows = {row_keys[a]: (tuple(rules), tuple(found)) for a, (rules, found) in fresh.items()}
        self._write(rows, row_keys.values(), table, facts, articles, others=self._others.pop((table, fingerprint), None))

    def load_rows(self, fingerprint: str, table: str, article_ids: Iterable[str] | None = None,
                  parse: bool = True) -> dict[str, Any]:
        """Article id -> the plain JSON value stored for it under this fingerprint in `table` (what was worked out
        from its facts alone, such as their agreement keys: "keyed"), of every article or of `article_ids`.
        `parse=False`: the JSON text, for a caller that reads it piece by piece."""
        import json

        from ledger.store import Store

        ids = sorted(self.article_keys if article_ids is None else set(article_ids) & self.article_keys.keys())
        row_keys = self._keys(fingerprint)
        key_ids = {row_keys[a]: a for a in ids}
        out = {}
        others = None
        if article_ids is None:  # the whole table asked for: its other rows are what storing drops
            others = self._others[table, fingerprint] = set()
        with Store(self.store_path) as store, gc_paused(kept=True):
            for key, text in store.findings(list(key_ids), table, others):
                try:
                    out[key_ids[key]] = json.loads(text) if parse else text
                except (ValueError, TypeError):  # damaged: worked out again
                    continue
        return {a: out[a] for a in ids if a in out}  # in article order, as callers go over them

    def save_rows(self, fingerprint: str, fresh: Mapping[str, Any] | Iterable[tuple[str, Any]], *tables: str) -> None:
        """Store the values of the articles worked out in this run (a mapping, or (article id, value) pairs
        stored as they come; with several `tables`, a value is a tuple of one value for each) and drop those no
        article uses any more."""
        import json

        from ledger.store import Store

        pairs = fresh.items() if isinstance(fresh, Mapping) else fresh
        row_keys = self._keys(fingerprint)
        dumped = ((row_keys[a], *(json.dumps(v, separators=(",", ":"))
                                  for v in (values if len(tables) > 1 else (values,))))
                  for a, values in pairs)
        with Store(self.store_path) as store:
            store.add(dumped, *tables)
        for table in tables:
            self._drop_others(row_keys.values(), table, self._others.pop((table, fingerprint), None))

    def stored_share(self, fingerprint: str, table: str, sample: int = 256) -> float:
        """The share of articles with a row stored under this fingerprint in `table`, judged from an even sample of
        at most `sample` of them (a query over every article's key took 0.1 s at 49,000 articles); 0.0 for none."""
        from ledger.store import Store

        ids = sorted(self.article_keys)[::max(1, len(self.article_keys) // sample)]
        if not ids:
            return 0.0
        row_keys = self._keys(fingerprint)
        with Store(self.store_path) as store:
            return len(store.present(table, [row_keys[a] for a in ids])) / len(ids)

    def groups(self, digests: list[str]) -> dict[str, list[Finding]]:
        """Agreement findings stored per key group (`ledger.checks.auto.cross_article`), by digest."""
        return {digest: findings for digest, _, findings in self._read(digests, "agreed")}

    def stored_groups(self, digests: list[str]) -> set[str]:
        """The digests of key groups whose findings are stored (read with `groups`)."""
        from ledger.store import Store

        with Store(self.store_path) as store:
            return store.present("agreed", digests)

    def save_groups(self, fresh: Mapping[str, list[Finding]], used: Iterable[str],
                    facts: Mapping[str, Fact] | None = None, articles: Mapping[str, Article] | None = None,
                    keep_places: bool = False) -> None:
        """Store the findings of the key groups checked in this run; drop those of groups no longer `used`.
        `keep_places`: the findings keep the places they were stored with (for a report that needs them)."""
        rows = {digest: (("auto.agreement",), tuple(found)) for digest, found in fresh.items()}
        self._write(rows, used, "agreed", facts, articles, keep_places)

    def _read(self, keys: list[str], table: str,
              others: set[str] | None = None) -> Iterator[tuple[str, tuple[str, ...], list[Finding]]]:
        """(key, the rules, their findings sharing their repeated values) for each key stored in `table`; `others`
        as `Store.findings` tells it."""
        from ledger.store import Store

        pool: dict = {}
        with Store(self.store_path) as store, gc_paused(kept=True):
            for key, blob in store.findings(keys, table, others):
                decoded = decode(blob, pool)
                if decoded is not None:  # else none, or damaged: checked again, and stored anew
                    rules, texts, findings = decoded
                    self._note(key, findings, texts)
                    yield key, rules, findings

    def _note(self, key: str, findings: list[Finding] | tuple[Finding, ...], texts: tuple[str, ...]) -> None:
        """Give the findings their slots (`ledger.origins`): each under its text's digest, when it has one."""
        if texts and len(texts) == len(findings):
            for text, finding in zip(texts, findings):
                self.origins.note(text, (finding,))
        else:
            self.origins.note(key, findings)

    def _texts(self, findings: tuple[Finding, ...]) -> tuple[str, ...]:
        """Per finding of a key group, a digest of all its text in the reports depends on: its record (with where its
        facts stand) and the keys of the articles it names. A report notes the finding's text under it
        (`ledger.report.reuse`), so a group checked afresh, because an article joined it, finds the text of the
        findings that came out the same. () when an article they name is not in the store: the text is noted
        under the row's key."""
        keys = self.article_keys
        out = []
        for finding in findings:
            named = sorted({*finding.articles, *(place[1] for place in finding.places or ())})
            if any(a not in keys for a in named):
                return ()
            text = "\x00".join([finding.model_dump_json(), *map(keys.__getitem__, named)])
            out.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        return tuple(out)

    def _write(self, rows: Mapping[str, tuple[tuple[str, ...], tuple[Finding, ...]]], keep: Iterable[str], table: str,
               facts: Mapping[str, Fact] | None = None, articles: Mapping[str, Article] | None = None,
               keep_places: bool = False, others: set[str] | None = None) -> None:
        from ledger.store import Store

        def dumped() -> Iterator[tuple[str, bytes]]:
            for key in sorted(rows):
                rules, findings = rows[key]
                if facts is not None:
                    placed(findings, facts, articles or {})
                texts: tuple[str, ...] = ()
                if table == "agreed":
                    texts = self._texts(findings)
                    self.saved_groups.append((key, findings))
                yield key, encode(rules, findings, texts)
                self._note(key, findings, texts)
                # the places leave the findings once stored, unless kept: this run holds their facts, and made
                # for every finding at once, a million findings' places took 100 MB
                for finding in () if keep_places else findings:
                    object.__setattr__(finding, "places", None)

        with Store(self.store_path) as store:
            store.add(dumped(), table)
        self._drop_others(keep, table, others)
