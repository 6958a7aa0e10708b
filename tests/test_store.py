"""The ledger store: unchanged articles reuse stored facts; changed and deleted ones do not linger."""

from __future__ import annotations

import sqlite3

import pytest

from ledger import pipeline
from ledger.errors import LedgerError
from ledger.model import Article, Fact, fact_id
from ledger.pipeline import extract_facts, in_shard
from ledger.store import Store

CALLS: list[str] = []


def fake_extract_record(article: Article) -> pipeline.Extracted:
    """One fact per article whose value is the text's length: enough to see what was re-extracted."""
    CALLS.append(article.id)
    fact = Fact(id=fact_id(article.id, 0, 1, article.text[:1] or "x"), article=article.id, start=0, end=1, line=1,
                column=1, surface=article.text[:1] or "x", sentence=article.text, value=len(article.text),
                low=len(article.text), high=len(article.text))
    return pipeline.Extracted(facts=(fact,))


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(pipeline, "_extract_record", fake_extract_record)


def articles(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", path=f"a{i}.txt", text=t) for i, t in enumerate(texts)]


def test_second_run_reuses_and_changed_article_is_re_extracted(tmp_path):
    db = tmp_path / "ledger.db"
    first = extract_facts(articles("one", "two", "three"), store_path=db, jobs=1)
    assert (first.extracted, first.reused) == (3, 0)
    second = extract_facts(articles("one", "two!", "three"), store_path=db, jobs=1)
    assert (second.extracted, second.reused) == (1, 2)
    assert [f.value for f in second.facts] == [3, 4, 5]


def test_deleted_articles_leave_the_ledger(tmp_path):
    db = tmp_path / "ledger.db"
    extract_facts(articles("one", "two", "three"), store_path=db, jobs=1)
    extract_facts(articles("one"), store_path=db, jobs=1)
    with Store(db) as store:
        assert len(store.all_facts()) == 1
        for table in ("extractions", "rendered", "outlines", "articles"):
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1, table
        # an article moved and another changed: only their rows change
        store.add_extractions([("k2", "{}", "", "", 0, "[]")])
        store.set_articles([("one", "moved/one.txt", store.db.execute("SELECT key FROM articles").fetchone()[0]),
                            ("two", "two.txt", "k2")])
        assert sorted(store.db.execute("SELECT id, path FROM articles")) == [("one", "moved/one.txt"), ("two", "two.txt")]
        store.set_articles([("two", "two.txt", "k2")])
        assert store.db.execute("SELECT key FROM extractions").fetchall() == [("k2",)]
        # a run killed after it stored an extraction, before it set its articles: dropped by the next
        store.add_extractions([("k3", "{}", "", "", 0, "[]")])
        store.set_articles([("two", "two.txt", "k2")])
        for table in ("extractions", "rendered", "outlines"):
            assert store.db.execute(f"SELECT key FROM {table}").fetchall() == [("k2",)], table


def test_no_store_extracts_everything_in_order(tmp_path):
    result = extract_facts(articles("a", "bb", "ccc"), store_path=None, jobs=1)
    assert [f.value for f in result.facts] == [1, 2, 3] and result.extracted == 3


def test_parallel_extraction_keeps_article_order(tmp_path):
    texts = [("x" * (i % 7 + 1)) for i in range(200)]
    result = extract_facts(articles(*texts), store_path=None, jobs=2)
    assert [f.value for f in result.facts] == [len(t) for t in texts]


def test_shards_partition_the_articles():
    many = articles(*[str(i) for i in range(300)])
    shards = [[a.id for a in many if in_shard(a, (i, 3))] for i in (1, 2, 3)]
    assert sorted(sum(shards, [])) == sorted(a.id for a in many)
    assert all(60 < len(s) < 140 for s in shards)


def test_corrupt_store_is_a_one_line_error(tmp_path):
    db = tmp_path / "ledger.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="ledger store"):
        extract_facts(articles("one"), store_path=db, jobs=1)


def test_store_survives_a_failed_write(tmp_path, monkeypatch):
    db = tmp_path / "ledger.db"
    extract_facts(articles("one", "two"), store_path=db, jobs=1)
    with Store(db) as store:
        before = store.all_facts()
        store.db.execute("BEGIN IMMEDIATE")
        store.db.execute("DELETE FROM articles")
        store.db.execute("ROLLBACK")
        assert store.all_facts() == before
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"



def test_switching_a_new_store_to_wal_waits_while_another_run_does_it(tmp_path):
    """Two first runs at once: SQLite may answer "locked" at once (seen in 2 of 40 races of 8 processes)."""
    from ledger.store import _write_ahead_log

    class Racing:
        answers = ["database is locked", "database is locked", None]

        def execute(self, sql):
            answer = self.answers.pop(0)
            if answer:
                raise sqlite3.OperationalError(answer)

    racing = Racing()
    _write_ahead_log(racing)
    assert racing.answers == []


def test_concurrent_first_runs_all_open_the_store(tmp_path):
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(6) as pool:
        for trial in range(4):
            results = pool.map(_open_and_write, [tmp_path / f"s{trial}.db"] * 6)
            assert results == ["ok"] * 6, results


def _open_and_write(path) -> str:
    try:
        with Store(path) as store:
            store.set_articles([("a", "a.txt", "k")])
        return "ok"
    except LedgerError as e:
        return str(e)


def test_rows_are_written_in_batches_with_the_last_of_a_key_kept(tmp_path, monkeypatch):
    import ledger.store

    monkeypatch.setattr(ledger.store, "BATCH_ROWS", 3)
    commits = []
    with Store(tmp_path / "ledger.db") as store:
        write = store._commit
        monkeypatch.setattr(store, "_commit", lambda batch, w: (commits.append(len(batch)), write(batch, w)))
        rows = [(f"k{n % 5}", f"[{n}]") for n in range(8)]  # k0..k4, then k0..k2 again
        store.add(rows, "checked")
        assert commits == [3, 3, 2]
        assert dict(store.findings([f"k{n}" for n in range(5)])) == {
            "k0": "[5]", "k1": "[6]", "k2": "[7]", "k3": "[3]", "k4": "[4]"}
        store.add([("b", "[1]"), ("a", "[2]"), ("b", "[3]")], "checked")  # one batch, sorted by key
        assert dict(store.findings(["a", "b"])) == {"a": "[2]", "b": "[3]"}


@pytest.mark.parametrize("scan", [True, False])
def test_rows_asked_for_are_found_by_key_or_by_reading_the_table(tmp_path, monkeypatch, scan):
    """Most of a table's rows asked for are read by reading the table (`SCAN_SHARE`); the same rows either way."""
    from ledger import store as store_module

    monkeypatch.setattr(store_module, "SCAN_MIN", 0 if scan else 10**9)
    keys = [f"{n:064x}" for n in range(40)]
    with Store(tmp_path / "ledger.db") as store:
        store.add(((k, f"[{n}]") for n, k in enumerate(keys)), "keyed")
        wanted = keys[::2] + ["f" * 64]
        assert store._scanned("keyed", wanted) is scan
        assert dict(store.findings(wanted, "keyed")) == {k: f"[{n}]" for n, k in enumerate(keys) if n % 2 == 0}
        assert store.present("keyed", wanted) == set(keys[::2])
        assert store._scanned("keyed", keys[:5]) is False  # a few of many: looked up
        # the other rows seen reading the whole table are what keeping the wanted ones drops, not looked for again
        others: set[str] = set()
        assert dict(store.findings(wanted, "keyed", others)) == {k: f"[{n}]" for n, k in enumerate(keys) if n % 2 == 0}
        assert (others - {""} == set(keys[1::2])) is scan and (bool(others) is scan)
        scans = []
        monkeypatch.setattr(Store, "_drop_unused", lambda self, *a: scans.append(a) or drop(self, *a))
        store.add([("e" * 64, "[99]")], "keyed")  # stored since by another run: left for the next
        store.keep_findings(wanted, "keyed", others)
        assert (len(scans) == 0) is scan
        assert set(dict(store.findings(keys + ["e" * 64], "keyed"))) == set(keys[::2]) | ({"e" * 64} if scan else set())


drop = Store._drop_unused
