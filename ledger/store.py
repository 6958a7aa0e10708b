"""The ledger store: an SQLite file that keeps each article's facts, so unchanged articles are not re-read.

An article's key is a hash of its content (text, id, front matter) and of the extractor's own source,
so changing either re-extracts it. Every write is one transaction: a killed run leaves the previous
state, never a half-updated one. Articles that are no longer among the inputs leave the ledger.
"""

from __future__ import annotations

import hashlib
import json
import operator
import sqlite3
import time
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ledger import __version__
from ledger.errors import LedgerError
from ledger.model import Article

SCHEMA_VERSION = "1"
RECORD_VERSION = "3"
"""The shape of a stored article record (`ledger.pipeline.Extracted`): part of every key, so a new shape
re-extracts instead of misreading old rows."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extractions (key TEXT PRIMARY KEY, facts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checked (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agreed (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS related (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keyed (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS figures (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS selected (key TEXT PRIMARY KEY, findings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outlines (key TEXT PRIMARY KEY, facts INTEGER NOT NULL, relations TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rendered (key TEXT PRIMARY KEY, version TEXT NOT NULL, jsonl TEXT NOT NULL, csv TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contents (key TEXT PRIMARY KEY, content TEXT NOT NULL, line_offset INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS contents_by_content ON contents (content);
"""
"""`contents`: per stored extraction, the key of its article wherever it stands (`content_keys`) and the line it
started on, so an article that only moved (its archive renamed, an article inserted above it) is not extracted
again (`Store.moved`). A store made before it had the table gains it, empty, and fills it as articles are
extracted."""
RENDERED_FORMATS = ("jsonl", "csv")
"""The report formats whose text the store keeps per article (`rendered`): `facts.jsonl` and `facts.csv`."""


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """Changes whenever the extractor's code or data changes, so stale facts are never reused."""
    return _source_fingerprint(("extract", "data"))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Changes whenever any of ledger's code or data changes, so stale findings are never reused."""
    return _source_fingerprint(("", "checks", "extract", "data"))


@lru_cache(maxsize=1)
def report_fingerprint() -> str:
    """Changes whenever any of ledger's code changes, reports included (`ledger.report.reuse`)."""
    return _source_fingerprint(("", "checks", "extract", "data", "report"))


RENDERING_SOURCES = ("model.py", "report/common.py", "report/data.py")
"""The code that the stored report text of facts depends on: their shape, their order and their rendering."""


@lru_cache(maxsize=1)
def render_fingerprint() -> str:
    """Changes whenever the facts' shape or their rendering may change, so stale report text is never reused."""
    return _source_fingerprint(RENDERING_SOURCES)


def _source_fingerprint(sources: tuple[str, ...]) -> str:
    """A hash of ledger's version and of the files of `sources`: folders of the package ("" for its top) or files."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("ledger")
    for source in sources:
        where = package.joinpath(source) if source else package
        if where.is_file():
            digest.update(source.encode())
            digest.update(where.read_bytes())
            continue
        for entry in sorted(where.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.endswith(".pyc"):
                digest.update(f"{source}/{entry.name}".encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def article_keys(articles: Iterable[Article]) -> list[str]:
    """Each article's key: a hash of its content (every field, front matter included), of the shape its record
    is stored in, and of what extraction depends on: the extractor's code and the qualifiers' margins (a changed
    table changes every interval)."""
    from pydantic_core import PydanticSerializationError

    from ledger.extract.intervals import MARGINS

    salt = f"{extractor_fingerprint()}\x00{json.dumps(MARGINS, sort_keys=True)}\x00{RECORD_VERSION}\x00".encode()
    dump = Article.__pydantic_serializer__.to_json  # `model_dump_json` as UTF-8, without its wrapper: half the time
    keys = []
    for article in articles:
        try:
            content = dump(article)
        except PydanticSerializationError:  # a lone surrogate: pydantic-core writes only what UTF-8 can hold
            content = json.dumps(article.model_dump(mode="json"), ensure_ascii=False).encode("utf-8", "surrogatepass")
        keys.append(hashlib.sha256(salt + content).hexdigest())
    return keys


def content_keys(articles: Iterable[Article]) -> list[str]:
    """Each article's key wherever it stands: `article_keys` of the article as if in no file and on the first line.
    Its facts differ from those stored under another place's key only in their lines (`ledger.pipeline`)."""
    return article_keys(a.model_copy(update={"path": "", "line_offset": 0}) for a in articles)


BATCH_ROWS = 8192
BATCH_TEXT = 16 << 20
"""A transaction holds at most this many rows, and about this many characters of text (a first run's article
records are 20-30 kB each): few commits, and a run killed midway loses little."""
_first = operator.itemgetter(0)

LOCK_TIMEOUT = 60.0
"""Seconds a run waits for another run's write to finish."""


def _write_ahead_log(db: sqlite3.Connection) -> None:
    """Switch to write-ahead logging (readers never wait for a writer). Two first runs at once race to switch a
    new store; SQLite then answers "locked" at once instead of waiting its timeout, so wait here."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


SCAN_SHARE = 0.25
"""Asked for at least this share of a table's rows (and `SCAN_MIN`), a query reads the whole table and keeps the
rows asked for: looked up key by key, a row took four times as long (a 1.0M re-run's 123,000 key groups: 0.71 s
against 0.18 s)."""
SCAN_MIN = 2_000


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """SQLite allows a bounded number of `?` parameters per statement."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


_SCANNED = ""
"""Told to `others` by `Store.findings` once it has read the whole table: no row's key is empty."""


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
            _write_ahead_log(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise LedgerError(f"ledger store has schema {row[0]}, this ledger reads {SCHEMA_VERSION}; "
                                  "delete it or run with --no-cache", self.path.as_posix())
        except sqlite3.DatabaseError as e:
            raise LedgerError(f"cannot open the ledger store: {e}", self.path.as_posix()) from None
        except OSError as e:
            raise LedgerError(f"cannot create the ledger store: {e.strerror or e}", self.path.as_posix()) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have a stored record."""
        return self._present("extractions", keys)

    def present(self, table: str, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have a row in one of the findings tables (see `findings`)."""
        return self._present(table, keys)

    def rendered_known(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` have their report text stored, rendered by this version of ledger. Every key when the
        store says all were (`mark_all_rendered`): a query over a million articles' rows took 0.6 s."""
        if self._all_rendered():
            return set(keys)
        return self._present("rendered", keys, "version = ? AND ", (render_fingerprint(),))

    def mark_all_rendered(self) -> None:
        """Say that every stored extraction has its report text rendered by this version of ledger (so it stays:
        `add_extractions` stores both together, `set_articles` drops both)."""
        if not self._all_rendered():
            with self._transaction():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('rendered', ?)", (render_fingerprint(),))

    def _all_rendered(self) -> bool:
        row = self.db.execute("SELECT value FROM meta WHERE key='rendered'").fetchone()
        return row is not None and row[0] == render_fingerprint()

    def _present(self, table: str, keys: Iterable[str], where: str = "", parameters: tuple[str, ...] = ()) -> set[str]:
        keys = list(keys)
        if self._scanned(table, keys):
            wanted = set(keys)
            return {key for key, in self.db.execute(f"SELECT key FROM {table} WHERE {where}1", parameters)
                    if key in wanted}
        found: set[str] = set()
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self.db.execute(
                f"SELECT key FROM {table} WHERE {where}key IN ({marks})", (*parameters, *chunk)))
        return found

    def facts(self, keys: list[str]) -> Iterator[tuple[str, str | None]]:
        """(key, the stored record as JSON, or None when gone) for each key in order, a chunk at a time, from
        one snapshot: a million facts are never all in memory as text."""
        return self._rows("extractions", "facts", keys)

    def findings(self, keys: list[str], table: str = "checked",
                 others: set[str] | None = None) -> Iterator[tuple[str, Any]]:
        """(key, the stored findings) for each key that has a row, in no particular order: per article ("checked",
        "related": `ledger.checks.cache.encode`; and "keyed", "figures", "selected", as JSON: what an article's
        figures are keyed by for agreement, what agreement reads of them, and whether a whole-corpus rule selects
        any) or per agreement key group ("agreed"); see `ledger.checks.cache`. `others`, when given, is told the
        keys of the table's other rows if the whole table was read (`SCAN_SHARE`) and left empty if not."""
        if not self._scanned(table, keys):
            yield from ((key, value) for key, value in self._rows(table, "findings", keys) if value is not None)
            return
        wanted = set(keys)
        self.db.execute("BEGIN")  # one snapshot, as `_rows` reads
        try:
            for key, value in self.db.execute(f"SELECT key, findings FROM {table}"):
                if key in wanted:
                    yield key, value
                elif others is not None:
                    others.add(key)
            if others is not None:
                others.add(_SCANNED)
        finally:
            self.db.execute("COMMIT")

    def _scanned(self, table: str, keys: list[str]) -> bool:
        """Whether to read `keys` by reading the whole table (`SCAN_SHARE`)."""
        return len(keys) >= SCAN_MIN and \
            len(keys) >= SCAN_SHARE * self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def rendered(self, fmt: str, keys: list[str]) -> Iterator[tuple[str, bytes | None]]:
        """(key, the article's facts as report format `fmt` renders them, as UTF-8, or None) for each key in order,
        like `facts`; text that an older version of ledger rendered counts as None. Bytes, not text: they go
        straight into the report file, and decoding 650 MB only to encode it again took 2 s at a million facts."""
        if fmt not in RENDERED_FORMATS:
            raise ValueError(f"no stored rendering for {fmt!r}")
        return self._rows("rendered", f"CAST({fmt} AS BLOB)", keys, "version = ? AND ", (render_fingerprint(),))

    def _rows(self, table: str, column: str, keys: list[str], where: str = "",
              parameters: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
        self.db.execute("BEGIN")
        try:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                found = dict(self.db.execute(f"SELECT key, {column} FROM {table} WHERE {where}key IN ({marks})",
                                             (*parameters, *chunk)))
                for key in chunk:
                    yield key, found.get(key)
        finally:
            self.db.execute("COMMIT")

    def add(self, rows: Iterable[tuple[str, ...]], *tables: str) -> None:
        """Store (key, findings JSON) rows into one of the findings tables (see `findings`), like `add_extractions`;
        with several tables, (key, JSON for each table) rows."""
        def write(batch: list[tuple[str, ...]]) -> None:
            for n, table in enumerate(tables, 1):
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", [(row[0], row[n]) for row in batch])
        self._insert(rows, write)

    def add_extractions(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Store new extractions (key, record JSON, facts.jsonl text, facts.csv text, number of facts, relations
        JSON[, content key, line offset]) a batch per transaction, as they come: rows are keyed by content, so a run
        killed midway leaves only finished rows, which the next run reuses. With the content key (`content_keys`)
        and the article's line offset, a later run finds them when the article has moved (`moved`)."""
        def write(batch: list[tuple[Any, ...]]) -> None:
            self.db.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?)", [row[:2] for row in batch])
            self._write_rendered([(key, jsonl, csv) for key, _, jsonl, csv, *_ in batch])
            self._write_outlines([(key, count, relations) for key, _, _, _, count, relations, *_ in batch])
            self.db.executemany("INSERT OR REPLACE INTO contents VALUES (?, ?, ?)",
                                [(row[0], *row[6:]) for row in batch if len(row) == 8])
        self._insert(rows, write)

    def moved(self, contents: list[str]) -> dict[str, tuple[str, int]]:
        """Content key (`content_keys`) -> (the key, the line offset) of a stored extraction of that article as it
        stood elsewhere, for those of `contents` that have one."""
        found: dict[str, tuple[str, int]] = {}
        for chunk in _chunks(contents):
            marks = ",".join("?" * len(chunk))
            found.update((content, (key, offset)) for content, key, offset in self.db.execute(
                "SELECT contents.content, contents.key, contents.line_offset FROM contents JOIN extractions "
                f"ON extractions.key = contents.key WHERE contents.content IN ({marks})", chunk))
        return found

    def outlines(self, keys: list[str]) -> dict[str, tuple[int, str]]:
        """Key -> (its number of facts, its relations as JSON) for the keys whose outline is stored: what a check
        needs of an unchanged article without reading its facts."""
        found: dict[str, tuple[int, str]] = {}
        if self._scanned("outlines", keys):
            wanted = set(keys)
            return {key: (count, relations) for key, count, relations in
                    self.db.execute("SELECT key, facts, relations FROM outlines") if key in wanted}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            found.update((key, (count, relations)) for key, count, relations in self.db.execute(
                f"SELECT key, facts, relations FROM outlines WHERE key IN ({marks})", chunk))
        return found

    def add_outlines(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Store (key, number of facts, relations JSON) of already stored extractions, like `add_extractions`."""
        self._insert(rows, self._write_outlines)

    def _write_outlines(self, batch: list[tuple[str, int, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO outlines VALUES (?, ?, ?)", batch)

    def add_rendered(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Store (key, facts.jsonl text, facts.csv text) of already stored extractions, like `add_extractions`."""
        self._insert(rows, self._write_rendered)

    def _write_rendered(self, batch: list[tuple[str, str, str]]) -> None:
        version = render_fingerprint()
        self.db.executemany("INSERT OR REPLACE INTO rendered VALUES (?, ?, ?, ?)",
                            [(key, version, jsonl, csv) for key, jsonl, csv in batch])

    def _insert(self, rows: Iterable[Any], write: Callable[[list[Any]], Any]) -> None:
        """`write` the rows a batch per transaction (`BATCH_ROWS`, `BATCH_TEXT`), each batch in key order: SQLite
        then walks the tables' key indexes once, in order, per batch. Batches of 256 rows in arrival order took
        19 times as long for 49,000 articles as for 4,900 (the index's pages written again for every batch)."""
        batch: list[Any] = []
        size = 0
        for row in rows:
            batch.append(row)
            size += sum(len(value) for value in row if type(value) is str)
            if len(batch) >= BATCH_ROWS or size >= BATCH_TEXT:
                self._commit(batch, write)
                batch, size = [], 0
        if batch:
            self._commit(batch, write)

    def _commit(self, batch: list[Any], write: Callable[[list[Any]], Any]) -> None:
        batch.sort(key=_first)  # stable: of two rows with one key, the later is still written last
        with self._transaction():
            write(batch)

    def keep_findings(self, keys: Iterable[str], table: str, others: set[str] | None = None) -> None:
        """Drop stored findings of `table` under any other key (articles gone or changed, rules changed), at once.
        The keys are compared here, as `set_articles` does (a temporary table and a NOT IN took four times as long).
        `others`: the keys of the other rows as `findings` found them reading the whole table this run, so that it
        is not read again (0.1 s a table at 49,000 articles); rows stored since under other keys are then left."""
        keep = set(keys)
        with self._transaction():
            if others is not None and _SCANNED in others:
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", ((k,) for k in others - keep - {_SCANNED}))
            else:
                self._drop_unused(table, keep)

    def _drop_unused(self, table: str, keep: set[str]) -> None:
        """Delete the rows of `table` under keys not in `keep` (inside a transaction)."""
        unused = [row for row in self.db.execute(f"SELECT key FROM {table}") if row[0] not in keep]
        self.db.executemany(f"DELETE FROM {table} WHERE key = ?", unused)

    def set_articles(self, articles: list[tuple[str, str, str]]) -> None:
        """Make `articles` (id, path, key) the ledger's articles and drop extractions no article uses, at once.
        Only what changed is written: the keys are compared here, where deleting every row not in a subquery read
        every table whole (0.4 s of a re-run of 45,000 articles); a table's keys are scanned only when it holds
        more rows than there are articles (0.18 s of a re-run of 49,000)."""
        with self._transaction():
            now = set({i: (i, p, k) for i, p, k in articles}.values())  # an id given twice: the last, as before
            was = set(self.db.execute("SELECT id, path, key FROM articles"))
            self.db.executemany("DELETE FROM articles WHERE id = ?", ((i,) for i, _, _ in was - now))
            self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)", now - was)
            keys = {k for _, _, k in now}
            dropped = [(k,) for k in {k for _, _, k in was - now} - keys]
            for table in ("extractions", "rendered", "outlines", "contents"):
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", dropped)
                # more rows than articles: some of none (a run killed before it set its articles), found by a scan
                if self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > len(keys):
                    self._drop_unused(table, keys)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            yield
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise LedgerError(f"cannot write the ledger store: {e}", self.path.as_posix()) from None

    def all_facts(self) -> list[str]:
        """Every stored article's record (JSON), in article id order."""
        return [row[0] for row in self.db.execute(
            "SELECT e.facts FROM articles a JOIN extractions e ON a.key = e.key ORDER BY a.id")]
