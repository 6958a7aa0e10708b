"""Findings kept between runs: what the separable rules (`engine.separable`) found in each article, in the
ledger store under a key made of the article's key and a fingerprint of the rules, the aliases and ledger's
code. A re-run checks only the articles whose content or rules changed."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Mapping

from ledger.model import Finding, Record, gc_paused, share_values


class Checked(Record):
    """One article's stored findings, and the rules they are all the findings of."""

    rules: tuple[str, ...]
    findings: tuple[Finding, ...] = ()


class FindingCache:
    def __init__(self, store_path: str | Path, article_keys: Mapping[str, str], salt: str = "") -> None:
        """`article_keys`: article id -> its key in the store (`ledger.store.article_key`); `salt`: anything
        else the findings depend on (the configuration's aliases)."""
        self.store_path = store_path
        self.article_keys = dict(article_keys)
        self.salt = salt

    def _key(self, article_id: str, fingerprint: str) -> str:
        text = f"{self.article_keys[article_id]}\x00{fingerprint}\x00{self.salt}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def load(self, fingerprint: str, table: str = "checked") -> dict[str, tuple[tuple[str, ...], list[Finding]]]:
        """Article id -> (the rules, their findings) stored under this fingerprint: of the rule files ("checked")
        or of the built-in checks of each article's own arithmetic ("related")."""
        from ledger.store import Store

        ids = sorted(self.article_keys)
        keys = [self._key(a, fingerprint) for a in ids]
        out: dict[str, tuple[tuple[str, ...], list[Finding]]] = {}
        pool: dict = {}
        with Store(self.store_path) as store, gc_paused():
            for article_id, (_, blob) in zip(ids, store.findings(keys, table)):
                if blob is not None:
                    record = Checked.model_validate_json(blob)
                    out[article_id] = (record.rules, list(share_values(record.findings, pool)))
        return out

    def save(self, fingerprint: str, fresh: Mapping[str, tuple[tuple[str, ...], list[Finding]]],
             table: str = "checked") -> None:
        """Store the findings of the articles checked in this run and drop those no article uses any more."""
        from ledger.store import Store

        with Store(self.store_path) as store:
            store.add(((self._key(a, fingerprint), Checked(rules=rules, findings=tuple(findings)).model_dump_json())
                       for a, (rules, findings) in sorted(fresh.items())), table=table)
            store.keep_findings((self._key(a, fingerprint) for a in self.article_keys), table=table)

    def groups(self, digests: list[str]) -> dict[str, list[Finding]]:
        """Agreement findings stored per key group (`ledger.checks.auto.cross_article`), by digest."""
        from ledger.store import Store

        out: dict[str, list[Finding]] = {}
        pool: dict = {}
        with Store(self.store_path) as store, gc_paused():
            for digest, blob in store.findings(digests, table="agreed"):
                if blob is not None:
                    out[digest] = list(share_values(Checked.model_validate_json(blob).findings, pool))
        return out

    def save_groups(self, fresh: Mapping[str, list[Finding]], used: Iterable[str]) -> None:
        """Store the findings of the key groups checked in this run; drop those of groups no longer `used`."""
        from ledger.store import Store

        with Store(self.store_path) as store:
            store.add(((d, Checked(rules=("auto.agreement",), findings=tuple(f)).model_dump_json())
                       for d, f in sorted(fresh.items())), table="agreed")
            store.keep_findings(used, table="agreed")
