"""An article that only moved (its archive renamed, an article inserted above it) keeps its stored facts, its lines
shifted, instead of being extracted again; what a run gives is what a run without the store gives."""

from __future__ import annotations

import json

from ledger import pipeline
from ledger.articles import read_articles
from ledger.pipeline import extract_facts
from ledger.store import Store

TEXTS = [
    "About 50,000 people were fighting in Ukraine, including 10,000 contractors and about 40,000 inmates.\n\n"
    "The group spends $100 million a month, officials said.",
    "More than 300 workers were laid off.\nA further 120 jobs will go next year.",
    "Nearly 2.5 million passengers used the port in 2023, up 12 percent.",
]


def write_archive(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def records(*texts, start=0):
    return [{"id": f"story-{start + n}", "title": f"Story {start + n}", "text": t} for n, t in enumerate(texts)]


def facts_of(path, store=None):
    result = read_articles([path])
    return extract_facts(result.articles, store_path=store, jobs=1)


def plain(extraction):
    return [f.model_dump() for f in extraction.facts]


def test_a_renamed_archive_is_not_extracted_again(tmp_path):
    db = tmp_path / "s" / "ledger.db"
    write_archive(tmp_path / "may.jsonl", records(*TEXTS))
    first = facts_of(tmp_path / "may.jsonl", db)
    (tmp_path / "may.jsonl").rename(tmp_path / "june.jsonl")
    again = facts_of(tmp_path / "june.jsonl", db)
    assert (again.extracted, again.moved) == (0, 3)
    assert plain(again) == plain(first) == plain(facts_of(tmp_path / "june.jsonl"))


def test_an_article_inserted_above_others_is_the_only_one_extracted(tmp_path, monkeypatch):
    db = tmp_path / "ledger.db"
    archive = tmp_path / "archive.jsonl"
    write_archive(archive, records(*TEXTS))
    facts_of(archive, db)
    write_archive(archive, records("Two people were hurt.", start=9) + records(*TEXTS))
    extracted = []
    real = pipeline._extract_record
    monkeypatch.setattr(pipeline, "_extract_record", lambda a: extracted.append(a.id) or real(a))
    again = facts_of(archive, db)
    assert extracted == ["story-9"] and again.moved == 3
    monkeypatch.undo()
    fresh = facts_of(archive)
    assert plain(again) == plain(fresh)
    assert {f.line for f in again.facts if f.article == "story-1"} == {3, 4}  # one line further down
    # the rows of where they stood are gone; a third run reuses everything as it is
    with Store(db) as store:
        assert store.db.execute("SELECT count(*) FROM contents").fetchone()[0] == 4
        assert store.db.execute("SELECT count(*) FROM extractions").fetchone()[0] == 4
    third = facts_of(archive, db)
    assert (third.extracted, third.moved, third.reused) == (0, 0, 4)


def test_a_store_without_content_rows_extracts_moved_articles_again(tmp_path):
    db = tmp_path / "ledger.db"
    write_archive(tmp_path / "a.jsonl", records(*TEXTS))
    facts_of(tmp_path / "a.jsonl", db)
    with Store(db) as store:  # as an older ledger left it
        store.db.execute("DELETE FROM contents")
    write_archive(tmp_path / "b.jsonl", records(*TEXTS))
    again = facts_of(tmp_path / "b.jsonl", db)
    assert (again.extracted, again.moved) == (3, 0)
    assert plain(again) == plain(facts_of(tmp_path / "b.jsonl"))


def test_a_changed_article_is_extracted_even_where_its_old_text_is_stored(tmp_path):
    db = tmp_path / "ledger.db"
    write_archive(tmp_path / "a.jsonl", records(*TEXTS))
    facts_of(tmp_path / "a.jsonl", db)
    write_archive(tmp_path / "a.jsonl", records(TEXTS[0].replace("50,000", "60,000"), *TEXTS[1:]))
    again = facts_of(tmp_path / "a.jsonl", db)
    assert (again.extracted, again.moved) == (1, 0)
    assert 60_000 in [f.value for f in again.facts]


def test_check_reports_of_a_moved_archive_are_those_of_a_run_without_store(tmp_path, monkeypatch):
    from ledger.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    write_archive(tmp_path / "old.jsonl", records(*TEXTS))
    args = ["check", "--rules", "rules", "--fail-on", "never"]
    assert main([*args, "old.jsonl", "--store", "s/ledger.db", "--reports", "r0"]) == 0
    write_archive(tmp_path / "new.jsonl", records("Two people were hurt.", start=9) + records(*TEXTS))
    assert main([*args, "new.jsonl", "--store", "s/ledger.db", "--reports", "r1"]) == 0
    assert main([*args, "new.jsonl", "--no-cache", "--reports", "r2"]) == 0
    for report in sorted(p.name for p in (tmp_path / "r2").iterdir()):
        assert (tmp_path / "r1" / report).read_bytes() == (tmp_path / "r2" / report).read_bytes(), report


def test_lines_are_shifted_in_the_stored_json_even_when_a_text_quotes_a_line_key(tmp_path, monkeypatch):
    quoting = 'The log said "line":5 failed.\nAbout 40 people came and "line": 3 cars, \\"line":9 left.'
    db = tmp_path / "ledger.db"
    write_archive(tmp_path / "a.jsonl", records(quoting, *TEXTS))
    facts_of(tmp_path / "a.jsonl", db)
    write_archive(tmp_path / "a.jsonl", records("Two people were hurt.", start=9) + records(quoting, *TEXTS))
    again = facts_of(tmp_path / "a.jsonl", db)
    assert again.moved == 4 and plain(again) == plain(facts_of(tmp_path / "a.jsonl"))
    # a record of another shape (the keys shifted are not one per fact): shifted fact by fact
    monkeypatch.setattr(pipeline, "_LINE", __import__("re").compile("(?!)"))
    write_archive(tmp_path / "a.jsonl", records("Two people were hurt.", "One more.", start=9) + records(quoting, *TEXTS))
    third = facts_of(tmp_path / "a.jsonl", db)
    assert (third.moved, third.extracted) == (4, 1) and plain(third) == plain(facts_of(tmp_path / "a.jsonl"))


def test_articles_below_a_deleted_one_move_up(tmp_path):
    db = tmp_path / "ledger.db"
    write_archive(tmp_path / "a.jsonl", records(*TEXTS))
    facts_of(tmp_path / "a.jsonl", db)
    write_archive(tmp_path / "a.jsonl", records(*TEXTS)[1:])
    again = facts_of(tmp_path / "a.jsonl", db)
    assert (again.extracted, again.moved) == (0, 2)
    assert plain(again) == plain(facts_of(tmp_path / "a.jsonl"))
    assert min(f.line for f in again.facts) == 1
