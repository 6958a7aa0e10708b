"""facts.jsonl and facts.csv joined from the text the ledger store keeps per article are the same, byte for
byte, as rendered from the facts: on a first run, a re-run, with entities renamed by aliases, and with a store
an older ledger wrote (no stored text)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ledger.checks import grouping
from ledger.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ("consistency.json", "consistency.md", "index.html", "ledger.sarif", "junit.xml", "facts.jsonl", "facts.csv")


def check(tmp_path: Path, out: str, *extra: str) -> dict[str, bytes]:
    main(["check", str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus"), "--rules", str(ROOT / "rules"),
          "--reports", str(tmp_path / out), "--jobs", "1", "--fail-on", "never", *extra])
    return {name: (tmp_path / out / name).read_bytes() for name in REPORTS}


def forced_aside(patch: pytest.MonkeyPatch, held: float | None = 1.0) -> list[int]:
    """Make `auto.agreement` be worked out by a forked child (`agreement_aside`) on a small ledger; returns the
    list each child started is counted in."""
    from ledger.checks import auto

    children: list[int] = []
    fork = auto.forked
    patch.setattr(auto, "ASIDE_ABOVE", 0)
    if held is not None:
        patch.setattr(auto, "ASIDE_HELD", held)
    patch.setattr(auto, "forked", lambda *args, **kwargs: children.append(1) or fork(*args, **kwargs))
    patch.setattr("ledger.checks.auto.can_fork", lambda: True)
    return children


def test_stored_texts_give_the_same_reports(tmp_path, quiet):
    fresh = check(tmp_path, "fresh", "--no-cache")
    store = str(tmp_path / "ledger.db")
    assert check(tmp_path, "first", "--store", store) == fresh
    assert check(tmp_path, "again", "--store", store) == fresh
    with sqlite3.connect(store) as db:  # the text really comes from the store
        assert db.execute("SELECT count(*) FROM rendered").fetchone()[0] > 10
        db.execute("UPDATE rendered SET jsonl = '{\"marker\":1}\n' WHERE rowid = 1")
    assert b'{"marker":1}' in check(tmp_path, "tampered", "--store", store)["facts.jsonl"]


def stored_rows(store: str, table: str) -> dict[str, tuple]:
    """Key -> (rules, texts, findings) of each row of findings kept in `table`."""
    from ledger.checks.cache import decode

    with sqlite3.connect(store) as db:
        return {key: decode(blob, {}) for key, blob in db.execute(f"SELECT key, findings FROM {table}")}


def restore(store: str, table: str, rows: dict[str, tuple]) -> None:
    from ledger.checks.cache import encode

    with sqlite3.connect(store) as db:
        db.executemany(f"UPDATE {table} SET findings = ? WHERE key = ?",
                       [(encode(rules, findings, texts), key) for key, (rules, texts, findings) in rows.items()])


def test_kept_findings_say_where_their_facts_stand(tmp_path, quiet):
    """Findings kept in the store carry their facts' places, and a re-run's reports place them by those alone."""
    store = str(tmp_path / "ledger.db")
    first = check(tmp_path, "first", "--store", store)
    for table in ("checked", "related"):
        assert any(f.places for _, _, found in stored_rows(store, table).values() for f in found)
    # a kept place moved to line 999: the re-run's reports follow it, so they were placed by it
    rows = stored_rows(store, "checked")
    moved = 0
    for _, _, found in rows.values():
        for finding in found:
            places = tuple((*p[:3], 999, *p[4:]) if p[1:3] == ("wagner-north-korea-arms", "50,000") else p
                           for p in finding.places or ())
            moved += places != (finding.places or ())
            object.__setattr__(finding, "places", places or finding.places)
    assert moved
    restore(store, "checked", rows)
    again = check(tmp_path, "again", "--store", store)
    assert b'"line": 999' in again["consistency.json"] and b'"line": 999' not in first["consistency.json"]


def test_renamed_entities_and_old_stores_render_afresh(tmp_path, quiet):
    config = tmp_path / "ledger.yaml"
    config.write_text("version: 1\naliases:\n  entities:\n    Riverton City: [Riverton]\n", encoding="utf-8")
    fresh = check(tmp_path, "fresh", "--no-cache", "--config", str(config))
    assert b'"entity":"Riverton City"' in fresh["facts.jsonl"]
    store = str(tmp_path / "ledger.db")
    assert check(tmp_path, "renamed", "--store", store, "--config", str(config)) == fresh
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM rendered WHERE rowid % 2 = 0")  # as if an older ledger had written them
        db.execute("UPDATE rendered SET version = 'old'")
        db.execute("DELETE FROM meta WHERE key = 'rendered'")  # an older ledger kept no such mark
    assert check(tmp_path, "old", "--store", store, "--config", str(config)) == fresh
    with sqlite3.connect(store) as db:  # and the run stored them again, as this ledger renders them
        stale, articles = db.execute("SELECT count(*) FILTER (WHERE version = 'old'), count(*) FROM rendered").fetchone()
        assert stale == 0 and articles == db.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.mark.parametrize("damage", [
    lambda blob: blob[:len(blob) // 2],  # cut short
    lambda blob: b"not a row" + blob,
    lambda blob: blob.decode("latin-1"),  # text, as an older ledger wrote rows (JSON)
])
def test_a_damaged_kept_finding_is_checked_again(tmp_path, quiet, damage):
    store = str(tmp_path / "ledger.db")
    first = check(tmp_path, "first", "--store", store)
    with sqlite3.connect(store) as db:
        for table in ("checked", "related", "agreed"):
            rows = db.execute(f"SELECT key, findings FROM {table}").fetchall()
            db.executemany(f"UPDATE {table} SET findings = ? WHERE key = ?", [(damage(b), k) for k, b in rows])
    assert check(tmp_path, "again", "--store", store) == first


def test_a_row_of_findings_of_another_shape_is_checked_again(tmp_path, quiet):
    """A row whose findings have more or fewer values than a finding has fields (another ledger's) is not read."""
    from ledger.checks.cache import ROW_TAG

    store = str(tmp_path / "ledger.db")
    first = check(tmp_path, "first", "--store", store)
    import marshal

    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT key, findings FROM checked").fetchall()
        reshaped = []
        for key, blob in rows:
            tag, rules, texts, values = marshal.loads(blob)
            assert tag == ROW_TAG
            reshaped.append((marshal.dumps((tag, rules, texts, tuple(v[:-1] for v in values))), key))
        db.executemany("UPDATE checked SET findings = ? WHERE key = ?", reshaped)
    assert check(tmp_path, "again", "--store", store) == first


def test_a_re_run_reads_the_facts_of_changed_articles_only(tmp_path, quiet, monkeypatch):
    """After one article changes, a re-run gives the reports a fresh run gives, having read the facts of the
    changed article and of few others (those a rule or a changed agreement group needs)."""
    import shutil

    from ledger.pipeline import LazyFacts

    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles / "seeds")
    shutil.copytree(ROOT / "tests" / "auto" / "corpus", articles / "corpus")
    store = str(tmp_path / "ledger.db")

    def run(out: str, *extra: str) -> dict[str, bytes]:
        main(["check", str(articles), "--rules", str(ROOT / "rules"), "--reports", str(tmp_path / out), "--jobs", "1",
              "--fail-on", "never", *extra])
        return {name: (tmp_path / out / name).read_bytes() for name in REPORTS}

    run("first", "--store", store)
    changed = articles / "corpus" / "cyclone-malawi-b.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("183,000", "190,000"), encoding="utf-8")
    read: list[str] = []
    original = LazyFacts.read
    # the findings Markdown and HTML detail, and the articles HTML shows, have their facts read: as at scale, few
    monkeypatch.setattr("ledger.report.common.SHOWN_FINDINGS", 2)
    monkeypatch.setattr("ledger.report.html.HTML_MAX_ARTICLES", 2)
    monkeypatch.setattr(LazyFacts, "read", lambda self, ids: (read.extend(
        a for a in dict.fromkeys(ids) if a not in self.loaded), original(self, ids))[1])
    again = run("again", "--store", store)
    fresh = run("fresh", "--no-cache")
    monkeypatch.undo()
    assert again == fresh
    assert b"190,000" in again["consistency.json"]
    # the changed agreement group is checked afresh from what the store keeps of its other figures; the shipped
    # rules over the whole corpus look at the articles their selectors match; the rest stay unread
    assert "cyclone-malawi-a" not in read and len(set(read)) < 15
    assert not set(read) & {"bank-staff-clean", "forest-share-broken", "okafor-election-a", "troops-split-clean"}

    # without those figures (a store an older ledger wrote, or damaged rows), their articles' facts are read
    with sqlite3.connect(store) as db:
        db.execute("UPDATE figures SET findings = '[[0, \"x\"]]'")
    changed.write_text(changed.read_text(encoding="utf-8").replace("190,000", "191,000"), encoding="utf-8")
    read.clear()
    monkeypatch.setattr(LazyFacts, "read", lambda self, ids: (read.extend(
        a for a in dict.fromkeys(ids) if a not in self.loaded), original(self, ids))[1])
    again = run("again", "--store", store)
    monkeypatch.undo()
    assert again == run("fresh", "--no-cache") and b"191,000" in again["consistency.json"]
    assert "cyclone-malawi-a" in read


def test_damaged_agreement_keys_are_worked_out_again(tmp_path, quiet):
    """What an article's figures are keyed by for agreement ("keyed" rows), damaged in the store in any way, is
    worked out again from its facts: the reports are those of a fresh run, and the rows are stored anew."""
    store = str(tmp_path / "ledger.db")
    fresh = check(tmp_path, "fresh", "--no-cache")
    assert check(tmp_path, "first", "--store", store) == fresh
    with sqlite3.connect(store) as db:
        good = db.execute("SELECT count(*) FROM keyed WHERE findings LIKE '{\"entities\":[%],\"rows\":[%'").fetchone()
        damage = ["not json", '{"entities":["x"],"rows":[[1,2]]}', '{"entities":"x","rows":[]}',
                  '{"rows":[],"entities":[]}', '{"entities":["x"],"rows":[[0,"f","x","","count",[],false]',
                  '{"entities":[],"rows":{}}']
        for n, text in enumerate(damage, 1):
            db.execute("UPDATE keyed SET findings = ? WHERE rowid = ?", (text, n))
    assert check(tmp_path, "again", "--store", store) == fresh  # regrouping reads no unchanged article's row
    grouping.remove(grouping.path_for(store))
    assert check(tmp_path, "again", "--store", store) == fresh
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM keyed WHERE findings LIKE '{\"entities\":[%],\"rows\":[%'"
                          ).fetchone() == good
        assert db.execute(f"SELECT count(*) FROM keyed WHERE findings IN ({','.join('?' * len(damage))})",
                          damage).fetchone() == (0,)


@pytest.mark.parametrize("damage", ['{"entities":["x"],"rows":[[1,2]]}', '{"entities":[],"rows":{}}'])
def test_a_damaged_keyed_row_whose_names_read_well_is_worked_out_again(tmp_path, quiet, damage):
    """A damaged "keyed" row may still give names (read first, for every article: the names keys go under) and
    only then turn out damaged: its article is keyed anew and the grouping done again with its real names (else
    its figures went under a name no other article's did, out of their group)."""
    store = str(tmp_path / "ledger.db")
    fresh = check(tmp_path, "fresh", "--no-cache")
    check(tmp_path, "first", "--store", store)
    with sqlite3.connect(store) as db:
        assert db.execute("UPDATE keyed SET findings = ? WHERE findings LIKE '%Riverton%'", (damage,)).rowcount >= 2
    grouping.remove(grouping.path_for(store))
    assert check(tmp_path, "again", "--store", store) == fresh


def test_unchanged_articles_relations_are_copied_from_the_store(tmp_path, quiet, monkeypatch):
    """A re-run makes no records of the relations of articles whose findings are kept: `consistency.json` lists
    their text as the store keeps it (`OutlinedRelations`), and an older store's compact text gives the same."""
    from ledger import pipeline

    fresh = check(tmp_path, "fresh", "--no-cache")
    store = str(tmp_path / "ledger.db")
    check(tmp_path, "first", "--store", store)
    made: list[int] = []
    validate = pipeline._RELATIONS.validate_json
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_RELATIONS", type("Counted", (), {
            "validate_json": staticmethod(lambda text: made.append(1) or validate(text)),
            "dump_json": staticmethod(pipeline._RELATIONS.dump_json)}))
        assert check(tmp_path, "again", "--store", store) == fresh
    assert made == []
    with sqlite3.connect(store) as db:  # the text really comes from the store
        texts = dict(db.execute("SELECT key, relations FROM outlines WHERE relations != '[]'"))
        assert texts and all(text.startswith("[\n  {") for text in texts.values())
        key, text = sorted(texts.items())[0]
        db.execute("UPDATE outlines SET relations = ? WHERE key = ?", (text.replace('"cue": ', '"cue":  '), key))
    assert b'"cue":  ' in check(tmp_path, "tampered", "--store", store)["consistency.json"]
    with sqlite3.connect(store) as db:  # as an older ledger stored them: compact
        db.executemany("UPDATE outlines SET relations = ? WHERE key = ?",
                       [(json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False), key)
                        for key, text in texts.items()])
    assert check(tmp_path, "compact", "--store", store) == fresh


def test_a_store_without_outlines_reads_those_articles_and_keeps_their_outlines(tmp_path, quiet):
    """A store an older ledger wrote has no outlines: those articles' facts are read, and their outlines kept."""
    store = str(tmp_path / "ledger.db")
    first = check(tmp_path, "first", "--store", store)
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM outlines WHERE rowid % 2 = 0")
    assert check(tmp_path, "again", "--store", store) == first
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM outlines").fetchone() == db.execute("SELECT count(*) FROM articles").fetchone()


def test_agreement_worked_out_aside_gives_the_reports_a_fresh_run_gives(tmp_path, quiet, monkeypatch):
    """On a large re-run `auto.agreement` is worked out by a forked child (`agreement_aside`) while the rule files
    are checked: forced here on a small ledger, a first run and a re-run give the reports a fresh run gives."""
    import shutil

    from ledger.checks import auto

    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles / "seeds")
    shutil.copytree(ROOT / "tests" / "auto" / "corpus", articles / "corpus")
    store = str(tmp_path / "ledger.db")

    from ledger.report.common import Ahead

    ahead: list[int] = []  # findings located and fingerprinted while the child worked
    work_out = Ahead.work_out

    def counted_ahead(self, findings):
        work_out(self, findings)
        ahead.append(len(self._held))

    def run(out: str, *extra: str) -> dict[str, bytes]:
        main(["check", str(articles), "--rules", str(ROOT / "rules"), "--reports", str(tmp_path / out), "--jobs", "1",
              "--fail-on", "never", *extra])
        return {name: (tmp_path / out / name).read_bytes() for name in REPORTS}

    with monkeypatch.context() as patch:
        children = forced_aside(patch)
        patch.setattr(Ahead, "work_out", counted_ahead)
        first = run("first", "--store", store)
        changed = articles / "corpus" / "cyclone-malawi-b.md"
        changed.write_text(changed.read_text(encoding="utf-8").replace("183,000", "190,000"), encoding="utf-8")
        again = run("again", "--store", store)
        # kept groups are read by this process; one damaged after the child saw it: worked out here after all
        original_groups = auto.FindingCache.groups
        patch.setattr(auto.FindingCache, "groups", lambda self, digests: dict(list(
            original_groups(self, digests).items())[1:]))
        damaged = run("damaged", "--store", store)
    # on a re-run, the kept findings know where their facts stand (a first run's let go of their places); on a
    # first run only those of the rules over the whole corpus, which the child worked out and placed
    assert len(children) == 3 and len(ahead) == 3 and 0 < ahead[0] < 10 < min(ahead[1:])
    fresh = run("fresh", "--no-cache")
    assert again == fresh and damaged == fresh
    assert b"190,000" in again["consistency.json"] and first != again


def test_agreement_is_worked_out_aside_only_when_most_facts_stay_unread(tmp_path, quiet, monkeypatch):
    """Articles whose extractions are stored (`ledger extract`) but whose figures were never keyed for agreement:
    the child would read every fact while this process reads them for the rule files, so one process does it all.
    The run after that has everything stored, and the child works aside; with a rule changed, this process
    reads every fact again, and so works alone."""
    import shutil

    store = str(tmp_path / "ledger.db")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    children = forced_aside(monkeypatch, held=None)
    main(["extract", str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus"), "--store", store, "--jobs", "1",
          "--format", "jsonl"])
    extracted = check(tmp_path, "extracted", "--store", store, "--rules", str(rules))
    assert children == []
    again = check(tmp_path, "again", "--store", store, "--rules", str(rules))
    assert children == [1] and again == extracted == check(tmp_path, "fresh", "--no-cache", "--rules", str(rules))
    general = rules / "general.yaml"
    general.write_text(general.read_text(encoding="utf-8").replace("max: 100", "max: 99"), encoding="utf-8")
    assert check(tmp_path, "fewer", "--store", store, "--rules", str(rules)) == \
        check(tmp_path, "fewer-fresh", "--no-cache", "--rules", str(rules))
    assert children == [1]


def test_a_spawned_process_joins_the_stored_texts_of_a_report_too_large_to_fork(tmp_path, quiet, monkeypatch):
    """Above `HELPER_UP_TO` facts.jsonl and facts.csv are joined by a process of their own
    (`ledger.report.spawned`): the same bytes, and where each article landed is noted, so a re-run copies it."""
    from ledger.report import files, reuse, spawned

    fresh = check(tmp_path, "fresh", "--no-cache")
    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    started = []
    real = spawned.spawned

    def counted(*args, **kwargs):
        started.append(sorted(args[3]))
        return real(*args, **kwargs)

    monkeypatch.setattr(spawned, "spawned", counted)
    store = str(tmp_path / "ledger.db")
    assert check(tmp_path, "first", "--store", store) == fresh
    assert started == [["facts.csv", "facts.jsonl"]]
    copied = []
    monkeypatch.setattr(reuse.Texts, "span", lambda self, *a: copied.append(a) or reuse.Span(self._file, *a))
    monkeypatch.setattr(files, "HELPER_UP_TO", 10**9)  # the re-run renders them here: copied from the last
    assert check(tmp_path, "first", "--store", store) == fresh
    assert copied


def test_a_spawned_process_that_fails_leaves_the_last_reports(tmp_path, quiet, monkeypatch, capsys):
    from ledger.report import files, spawned
    from ledger.report.reuse import notes_path

    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    store = tmp_path / "ledger.db"
    before = check(tmp_path, "out", "--store", str(store))
    real = spawned.spawned

    def meanwhile(*args, **kwargs):  # another ledger replaces the stored texts as the process starts
        with sqlite3.connect(store) as db:
            db.execute("UPDATE rendered SET version = 'other'")
        notes_path(store, tmp_path / "out").unlink()  # and nothing is copied from the last reports
        return real(*args, **kwargs)

    monkeypatch.setattr(spawned, "spawned", meanwhile)
    code = main(["check", str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus"), "--rules", str(ROOT / "rules"),
                 "--reports", str(tmp_path / "out"), "--jobs", "1", "--store", str(store)])
    assert code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "store changed during the run" in error and str(store) in error
    assert {name: (tmp_path / "out" / name).read_bytes() for name in REPORTS} == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(REPORTS)  # nothing staged is left


@pytest.mark.parametrize("when", ["while it writes", "once it is done"])
def test_a_report_that_fails_here_stops_the_spawned_process(tmp_path, quiet, monkeypatch, capsys, when):
    import subprocess

    from ledger.report import FORMATTERS, files, spawned

    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    store = str(tmp_path / "ledger.db")
    before = check(tmp_path, "out", "--store", store)
    children = []

    class Popen(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            children.append(self)

    monkeypatch.setattr(spawned.subprocess, "Popen", Popen)

    def boom(index):
        if when == "once it is done":
            children[0].wait()
        raise RuntimeError("formatter crashed")

    monkeypatch.setitem(FORMATTERS, "junit", boom)
    code = main(["check", str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus"), "--rules", str(ROOT / "rules"),
                 "--reports", str(tmp_path / "out"), "--jobs", "1", "--store", store, "--fail-on", "never"])
    assert code != 0 and "formatter crashed" in capsys.readouterr().err
    assert {name: (tmp_path / "out" / name).read_bytes() for name in REPORTS} == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(REPORTS)


def test_a_spawned_process_whose_run_was_killed_leaves_nothing(tmp_path, quiet, monkeypatch):
    """The run that started it is gone (SIGKILL) by the time it is done: it cannot answer, so it removes its files."""
    import io
    import json
    import types

    from ledger.report import files, spawned

    store = tmp_path / "ledger.db"
    check(tmp_path, "out", "--store", str(store))
    with sqlite3.connect(store) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM articles ORDER BY path, key")]
    assert len(keys) > 10

    def gone(fd, data):
        raise BrokenPipeError(32, "Broken pipe")

    told = {"store": str(store), "out_dir": str(tmp_path / "out"), "keys": keys,
            "files": {"facts.jsonl": "jsonl", "facts.csv": "csv"}, "notes": None}
    monkeypatch.setattr(spawned.signal, "signal", lambda *args: None)
    monkeypatch.setattr(spawned.sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(json.dumps(told).encode())))
    monkeypatch.setattr(spawned, "write_all", gone)
    before = sorted(p.name for p in (tmp_path / "out").iterdir())
    staged = []
    real = files._staged_write
    monkeypatch.setattr(spawned, "_staged_write", lambda *args: staged.append(real(*args)) or staged[-1])
    spawned.main()
    assert len(staged) == 2  # both written, then removed
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == before == sorted(REPORTS)


def test_the_child_aside_tidies_the_store_after_answering_as_a_run_without_it_does(tmp_path, quiet, monkeypatch):
    """Having answered, the child working out `auto.agreement` aside drops the rows no longer used and keeps its
    grouping for the next run while the reports are written (`FindingCache.tidying`); the run waits for it at
    its end: the store is left as a run without the child leaves it."""
    import shutil

    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "tests" / "auto" / "corpus", articles)
    changed = articles / "cyclone-malawi-b.md"
    original = changed.read_text(encoding="utf-8")

    def runs(store: Path) -> tuple[dict[str, list[str]], grouping.Grouping | None]:
        changed.write_text(original, encoding="utf-8")
        for text in (original, original.replace("183,000", "190,000")):
            changed.write_text(text, encoding="utf-8")
            main(["check", str(articles), "--rules", str(ROOT / "rules"), "--reports", str(tmp_path / "out"),
                  "--jobs", "1", "--fail-on", "never", "--store", str(store)])
        with sqlite3.connect(store) as db:
            keys = {table: [k for (k,) in db.execute(f"SELECT key FROM {table} ORDER BY key")]
                    for table in ("agreed", "keyed", "figures")}
        return keys, grouping.load(grouping.path_for(store))

    plain = runs(tmp_path / "plain.db")
    with monkeypatch.context() as patch:
        children = forced_aside(patch)
        aside = runs(tmp_path / "aside.db")
    assert len(children) == 2 and plain[1] is not None and plain[0]["agreed"]
    assert aside == plain


def test_a_re_run_s_spawned_process_copies_the_last_facts_files(tmp_path, quiet, monkeypatch):
    """Above `HELPER_UP_TO` the facts' files are staged by a process of their own (`ledger.report.spawned`), which
    on a re-run copies each unchanged article's text from the last run's file: the same bytes as rendered."""
    import os

    from ledger.report import files, spawned

    fresh = check(tmp_path, "fresh", "--no-cache")
    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    started = []

    class Counted(spawned.Spawned):
        def __init__(self, *args, **kwargs):
            started.append(sorted(args[3]))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(spawned, "Spawned", Counted)
    store = str(tmp_path / "ledger.db")
    assert check(tmp_path, "out", "--store", store) == fresh
    assert check(tmp_path, "out", "--store", store) == fresh
    assert started == [["facts.csv", "facts.jsonl"]] * 2
    # copied by the re-run: a byte changed in place (size, time and inode kept) is copied as it stands
    path = tmp_path / "out" / "facts.jsonl"
    stat = path.stat()
    with open(path, "r+b") as handle:
        handle.write(b'{"marker"')
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert check(tmp_path, "out", "--store", store)["facts.jsonl"].startswith(b'{"marker"')


def test_facts_whose_entities_aliases_renamed_are_not_joined_by_a_spawned_process(tmp_path, quiet, monkeypatch):
    from ledger.report import files, spawned

    config = tmp_path / "ledger.yaml"
    config.write_text("version: 1\naliases:\n  entities:\n    Riverton City: [Riverton]\n", encoding="utf-8")
    fresh = check(tmp_path, "fresh", "--no-cache", "--config", str(config))
    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    monkeypatch.setattr(spawned, "Spawned", None)  # never started
    assert check(tmp_path, "out", "--store", str(tmp_path / "ledger.db"), "--config", str(config)) == fresh
