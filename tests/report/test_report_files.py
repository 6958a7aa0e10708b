"""The reports folder: atomic writes, clear errors, and `load_report` for `ledger report`."""

from __future__ import annotations

import json
import os

import pytest

from ledger.errors import LedgerError
from ledger.report import FORMATTERS, REPORT_FILES, RERENDERED_FILES, load_report, write_reports


def test_a_failing_formatter_leaves_the_previous_reports(report, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    write_reports(report, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(report):
        raise RuntimeError("formatter crashed")

    monkeypatch.setitem(FORMATTERS, "html", boom)
    changed = report.model_copy(update={"findings": report.findings[:2]})
    with pytest.raises(RuntimeError, match="formatter crashed"):
        write_reports(changed, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, no temp files


def test_a_failing_write_leaves_the_old_file_and_no_temp_file(report, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    write_reports(report, out)
    before = (out / "consistency.json").read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    changed = report.model_copy(update={"findings": ()})
    with pytest.raises(LedgerError, match="No space left on device") as raised:
        write_reports(changed, out)
    assert raised.value.path == str(out / "consistency.json")
    assert (out / "consistency.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_disk_that_fills_up_midway_leaves_the_old_reports_and_no_temp_file(report, tmp_path, monkeypatch, call):
    """Blocks are written and synced by a thread (`files._Writer`): its error is raised here, once, naming the file."""
    out = tmp_path / "reports"
    write_reports(report, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = getattr(os, call)
    calls = []

    def full(fd, *args):
        calls.append(fd)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        return real(fd, *args)

    monkeypatch.setattr(os, call, full)
    with pytest.raises(LedgerError, match="No space left on device") as raised:
        write_reports(report.model_copy(update={"findings": report.findings[:1]}), out)
    assert raised.value.path is not None and raised.value.path.startswith(str(out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_every_report_is_synced_before_any_replaces_the_old_one(report, tmp_path, monkeypatch):
    """Each file's fsync finishes in its writing thread while the next renders (`files.Syncing`): all are waited
    for before the first rename."""
    out = tmp_path / "reports"
    synced, renamed = [], []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        real_fsync(fd)
        synced.append(fd)

    def replace(source, target):
        renamed.append((len(synced), target))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_reports(report, out)
    assert [count for count, _ in renamed] == [len(REPORT_FILES)] * len(REPORT_FILES)


def test_creates_the_folder(report, tmp_path):
    out = tmp_path / "deep" / "er" / "reports"
    written = write_reports(report, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    assert written == [out / name for name in REPORT_FILES]


def test_a_folder_that_cannot_be_made_names_it(report, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(LedgerError) as raised:
        write_reports(report, blocker / "reports")
    assert raised.value.path == str(blocker / "reports")
    assert str(blocker / "reports") in str(raised.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_names_it(report, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(LedgerError) as raised:
            write_reports(report, out)
        assert str(out) in str(raised.value)
    finally:
        out.chmod(0o755)


def test_a_read_only_folder_as_root_is_simulated(report, tmp_path, monkeypatch):
    """Root ignores permission bits, so the refusal the OS would give is simulated where files are created."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(LedgerError, match="Permission denied") as raised:
        write_reports(report, tmp_path / "reports")
    assert raised.value.path == str(tmp_path / "reports")


def test_only_the_named_files(report, tmp_path):
    written = write_reports(report, tmp_path, files=RERENDERED_FILES)
    assert [p.name for p in written] == list(RERENDERED_FILES)
    with pytest.raises(LedgerError, match="unknown report file"):
        write_reports(report, tmp_path, files=["report.pdf"])


def test_load_report_round_trip(report, tmp_path, corpus_root):
    out = tmp_path / "reports"
    write_reports(report, out)
    loaded = load_report(out, articles_root=corpus_root)
    original = {a.id: a for a in report.articles}
    for article in loaded.articles:
        if article.id in ("wagner-north-korea-arms", "hostile"):  # the two that exist as files
            assert article == original[article.id]
        else:
            assert article == original[article.id].model_copy(update={"text": ""})
    key = lambda record: record.model_dump_json()  # noqa: E731
    assert sorted(loaded.findings, key=key) == sorted(report.findings, key=key)
    assert sorted(loaded.facts, key=key) == sorted(report.facts, key=key)
    assert loaded.rules == report.rules and loaded.errors == report.errors

    again = tmp_path / "again"
    write_reports(loaded, again)
    for name in ("consistency.json", "facts.jsonl", "facts.csv", "ledger.sarif", "junit.xml"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_re_render_is_identical_when_every_text_is_found(report, tmp_path, article_files):
    only_files = report.model_copy(update={
        "articles": tuple(a for a in report.articles if a.id in ("wagner-north-korea-arms", "hostile")),
        "facts": tuple(f for f in report.facts if f.article in ("wagner-north-korea-arms", "hostile")),
        "findings": tuple(f for f in report.findings if f.rule in ("hostile.bounds", "hostile.sum"))
                    + report.findings[:1],
    })
    root = tmp_path / "project"
    for name, content in article_files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    out = tmp_path / "reports"
    write_reports(only_files, out)
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    write_reports(load_report(out, articles_root=root), out, files=RERENDERED_FILES)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_changed_article_text_is_not_used(report, tmp_path, corpus_root):
    out = tmp_path / "reports"
    write_reports(report, out)
    (corpus_root / "corpus" / "hostile.md").write_text("---\ntitle: x\n---\nEdited since.\n", encoding="utf-8")
    loaded = load_report(out, articles_root=corpus_root)
    assert next(a for a in loaded.articles if a.id == "hostile").text == ""


@pytest.mark.parametrize("name, content, message", [
    ("consistency.json", "{not json", "not valid JSON"),
    ("consistency.json", '{"version": 2}', "unsupported report version 2"),
    ("consistency.json", '[1, 2]', "expected a JSON object"),
    ("consistency.json", '{"version": 1, "findings": [{"rule": "r"}]}', "findings.0.kind: Field required"),
    ("facts.jsonl", '{"id": "x"}\n', "article: Field required"),
    ("facts.jsonl", "\xff", None),
])
def test_load_errors_name_the_file(report, tmp_path, name, content, message):
    out = tmp_path / "reports"
    write_reports(report, out)
    if content == "\xff":
        (out / name).write_bytes(b"\xff\xfe bad")
        message = "not UTF-8"
    else:
        (out / name).write_text(content, encoding="utf-8")
    with pytest.raises(LedgerError, match=message) as raised:
        load_report(out)
    assert raised.value.path == str(out / name)


def test_load_without_reports_says_run_check(tmp_path):
    with pytest.raises(LedgerError, match="run `ledger check` first") as raised:
        load_report(tmp_path / "nothing")
    assert raised.value.path == str(tmp_path / "nothing" / "consistency.json")


def test_consistency_json_is_small(report, tmp_path):
    write_reports(report, tmp_path)
    document = json.loads((tmp_path / "consistency.json").read_text(encoding="utf-8"))
    assert all("text" not in article for article in document["articles"])


@pytest.fixture
def two_processes(monkeypatch):
    """Large reports are rendered by this process and a forked helper: force that path on a small report."""
    from ledger.report import files

    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        pytest.skip("one process renders everything here")
    monkeypatch.setattr(files, "HELPER_ABOVE", -1)


def test_two_processes_write_the_same_reports(report, tmp_path, two_processes):
    from ledger.report import files

    mine, theirs = files._shares(list(REPORT_FILES), 1)
    assert mine and theirs and sorted(mine + theirs) == sorted(REPORT_FILES)
    written = write_reports(report, tmp_path / "two")
    assert written == [tmp_path / "two" / name for name in REPORT_FILES]
    files.HELPER_ABOVE = 10**9
    write_reports(report, tmp_path / "one")
    for name in REPORT_FILES:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name


def test_above_the_helper_s_limit_it_renders_only_the_light_formats_and_the_same_bytes(report, tmp_path, monkeypatch,
                                                                                       two_processes):
    """A large report's helper renders Markdown and HTML (which detail the first `SHOWN_FINDINGS`) and SARIF, in
    the order this process worked out before it forked, and gives the same bytes."""
    from ledger.report import common, files

    monkeypatch.setattr(common, "SHOWN_FINDINGS", 2)  # a "large" run: most findings left out of Markdown and HTML
    monkeypatch.setattr(files, "HELPER_UP_TO", 0)
    mine, theirs = files._shares(list(REPORT_FILES), 1)
    assert theirs == ["consistency.md", "index.html", "ledger.sarif"] and "consistency.json" in mine
    stored = files._shares(list(REPORT_FILES), 1, stored=True)[1]
    assert set(stored) & set(files.FROM_STORE) and set(stored) <= {*theirs, *files.FROM_STORE}
    assert files._shares(list(REPORT_FILES), files.LIGHT_HELPER_UP_TO + 1) == (list(REPORT_FILES), [])
    helpers = []
    original = files.forked
    monkeypatch.setattr(files, "forked", lambda *args, **kwargs: helpers.append(1) or original(*args, **kwargs))
    write_reports(report, tmp_path / "two")
    monkeypatch.setattr(files, "HELPER_ABOVE", 10**9)
    write_reports(report, tmp_path / "one")
    assert helpers == [1]
    for name in REPORT_FILES:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    page = (tmp_path / "one" / "index.html").read_bytes()
    assert b"A large run" in page and b"Findings shown above" in page  # links go only to findings on the page
    assert b'href="#finding-3"' not in page


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("failing", ["html", "json"])  # with two processes: one rendered here, one by the helper
def test_a_formatter_that_fails_midway_leaves_the_previous_reports(report, tmp_path, monkeypatch, request, processes,
                                                                  failing):
    if processes == 2:
        request.getfixturevalue("two_processes")
    out = tmp_path / "reports"
    write_reports(report, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def half_then_boom(index):
        yield "{"
        raise RuntimeError("formatter crashed midway")

    monkeypatch.setitem(FORMATTERS, failing, half_then_boom)
    with pytest.raises(RuntimeError, match="midway"):
        write_reports(report.model_copy(update={"findings": report.findings[:2]}), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, no temp files
