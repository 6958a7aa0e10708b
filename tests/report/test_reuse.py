"""A re-run copies a kept finding's text from the reports the last run wrote (`ledger.report.reuse`): whatever
changed in between, its reports are byte for byte those of a fresh run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ledger.cli import main
from ledger.report import reuse

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ("consistency.json", "consistency.md", "index.html", "ledger.sarif", "junit.xml", "facts.jsonl", "facts.csv")
FORMATS = ("json", "sarif", "junit", "markdown", "html")
"""The formats that copy a kept finding's text."""


@pytest.fixture
def project(tmp_path, quiet):
    shutil.copytree(ROOT / "seeds", tmp_path / "articles" / "seeds")
    shutil.copytree(ROOT / "tests" / "auto" / "corpus", tmp_path / "articles" / "corpus")
    (tmp_path / "ledger.yaml").write_text("version: 1\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def copied(monkeypatch):
    """How many findings' text each run copied from the last run's reports, per file."""
    counts: list[dict[str, int]] = []
    piece, pieces = reuse.Rendering.piece, reuse.Rendering.pieces

    def count(self, finding):
        for key in (self.fmt, finding.rule):
            counts[-1][key] = counts[-1].get(key, 0) + 1

    def counted(self, finding, render, *args, mode=0):
        out = piece(self, finding, render, *args, mode=mode)
        if isinstance(out, reuse.Copied):
            count(self, finding)
        return out

    def counted_runs(self, findings, *args, **kwargs):
        by_slot = {reuse.origin(f): f for f in findings}
        for out in pieces(self, findings, *args, **kwargs):
            if isinstance(out, reuse.CopiedRun):
                for slot in out.slots:
                    count(self, by_slot[slot])
            yield out

    monkeypatch.setattr(reuse.Rendering, "piece", counted)
    monkeypatch.setattr(reuse.Rendering, "pieces", counted_runs)
    return counts


@pytest.fixture
def spans(monkeypatch):
    """The bytes of articles' facts each run copied from the last run's facts.jsonl and facts.csv, per file."""
    counts: list[dict[str, int]] = []
    copy_to = reuse.Span.copy_to

    def counted(self, fd):
        name = Path(self.file.name).name
        counts[-1][name] = counts[-1].get(name, 0) + self.length
        return copy_to(self, fd)

    monkeypatch.setattr(reuse.Span, "copy_to", counted)
    return counts


def run(project: Path, copied: list[dict[str, int]], *extra: str) -> dict[str, bytes]:
    """`ledger check` into `out` with the store, checked against a fresh run (no store) into a folder of its own."""
    copied.append({})
    main(["check", "articles", "--rules", str(ROOT / "rules"), "--reports", "out", "--jobs", "1",
          "--fail-on", "never", *extra])
    again = {name: (project / "out" / name).read_bytes() for name in REPORTS}
    copied.append({})
    shutil.rmtree(project / "fresh", ignore_errors=True)
    main(["check", "articles", "--rules", str(ROOT / "rules"), "--reports", "fresh", "--jobs", "1",
          "--fail-on", "never", "--no-cache", *extra])
    fresh = {name: (project / "fresh" / name).read_bytes() for name in REPORTS}
    assert copied.pop() == {}  # nothing is copied without a store
    for name in REPORTS:
        assert again[name] == fresh[name], name
    return again


def test_a_re_run_copies_kept_findings_and_writes_what_a_fresh_run_writes(project, copied):
    run(project, copied)
    assert copied[-1] == {}  # a first run has nothing to copy, and notes where each finding landed
    notes = list((project / ".ledger").glob("ledger.db-reports-*"))
    assert len(notes) == 1 and not list((project / ".ledger").glob(".*.tmp"))
    run(project, copied)
    assert all(copied[-1].get(fmt, 0) > 10 for fmt in FORMATS)  # every format listing findings copied
    unchanged = copied[-1]["json"]

    article = project / "articles" / "corpus" / "cyclone-malawi-b.md"
    article.write_text(article.read_text(encoding="utf-8").replace("183,000", "190,000"), encoding="utf-8")
    assert b"190,000" in run(project, copied)["consistency.json"]
    assert 0 < copied[-1]["json"] < unchanged

    # a moved article: its findings now stand in another file
    article.rename(project / "articles" / "corpus" / "moved.md")
    assert b"corpus/moved.md" in run(project, copied)["junit.xml"]


def test_a_re_run_copies_the_facts_of_unchanged_articles(project, copied, spans):
    """facts.jsonl and facts.csv: an unchanged article's text is copied from the last run's file, where the notes
    say it stands; a changed one's is joined from the store, and the files are what a fresh run writes."""
    spans.append({})
    run(project, copied)
    assert spans[-1] == {}
    spans.append({})
    reports = run(project, copied)
    assert spans[-1] == {name: len(reports[name]) - len(reports[name].partition(b"\n")[0]) - 1 if name == "facts.csv"
                         else len(reports[name]) for name in ("facts.jsonl", "facts.csv")}  # all but the CSV header

    article = project / "articles" / "corpus" / "cyclone-malawi-b.md"
    article.write_text(article.read_text(encoding="utf-8").replace("183,000", "190,000"), encoding="utf-8")
    spans.append({})
    reports = run(project, copied)
    assert b"190,000" in reports["facts.jsonl"]
    assert 0 < spans[-1]["facts.jsonl"] < len(reports["facts.jsonl"]) and 0 < spans[-1]["facts.csv"]

    # the file another run or a hand changed is not copied from
    with open(project / "out" / "facts.jsonl", "ab") as handle:
        handle.write(b"{}\n")
    spans.append({})
    run(project, copied)
    assert "facts.jsonl" not in spans[-1] and spans[-1]["facts.csv"] > 0
    for notes in (project / ".ledger").glob("ledger.db-reports-*"):
        notes.write_bytes(notes.read_bytes()[:-7])  # cut short
    spans.append({})
    run(project, copied)
    assert spans[-1] == {}


def test_a_key_group_checked_afresh_copies_the_findings_that_came_out_the_same(tmp_path, quiet, copied):
    """An article joining one of a group's clusters makes the group be checked again: the other cluster's finding
    is the same record about the same articles, so its text is copied (noted under its text's digest, not the
    group's)."""
    def article(name: str, published: str, figure: str) -> None:
        (tmp_path / "articles" / f"{name}.md").write_text(
            f"---\ntitle: Acme {name}\noutlet: Sample Wire\npublished: {published}\nsample: true\n---\n\n"
            f"Acme Corp employs {figure} workers at its plants, the company said.\n", encoding="utf-8")

    (tmp_path / "articles").mkdir()
    (tmp_path / "ledger.yaml").write_text("version: 1\n", encoding="utf-8")
    for name, published, figure in (("a1", "2020-03-01", "5,000"), ("a2", "2020-03-02", "5,200"),
                                    ("b1", "2024-06-01", "9,000"), ("b2", "2024-06-02", "12,000")):
        article(name, published, figure)
    run(tmp_path, copied)
    article("a3", "2020-03-03", "7,000")
    reports = run(tmp_path, copied)
    messages = [f["message"] for f in json.loads(reports["consistency.json"])["findings"] if f["rule"] == "auto.agreement"]
    assert len(messages) == 2 and any("a3.md" in m for m in messages)  # one group, two clusters: one changed
    assert copied[-1].get("auto.agreement") == 1 * len(FORMATS)


def test_without_copy_file_range_the_facts_are_copied_through_the_process(project, copied, spans, monkeypatch):
    """Not Linux, or files the kernel will not copy between: read and written here, the same bytes."""
    def refused(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(reuse.os, "copy_file_range", refused)
    spans.append({})
    run(project, copied)
    spans.append({})
    run(project, copied)
    assert spans[-1]["facts.jsonl"] > 0


def test_what_else_a_finding_s_text_depends_on(project, copied):
    run(project, copied)
    # another severity: the rules changed, so nothing is copied
    (project / "ledger.yaml").write_text("version: 1\nrules: {auto.agreement: warning}\n", encoding="utf-8")
    run(project, copied)
    assert copied[-1] == {}
    run(project, copied)
    assert all(copied[-1].get(fmt, 0) > 10 for fmt in FORMATS)
    # a baseline marks SARIF results "unchanged" or "new" and JUnit's failures skipped
    main(["check", "articles", "--rules", str(ROOT / "rules"), "--reports", "out", "--jobs", "1", "--fail-on", "never",
          "--write-baseline", "baseline.json"])
    run(project, copied, "--baseline", "baseline.json")
    # a waiver
    (project / "ledger.yaml").write_text("version: 1\nwaivers:\n  - {rule: auto.agreement, reason: checked}\n",
                                         encoding="utf-8")
    run(project, copied, "--baseline", "baseline.json")


def test_reports_changed_since_are_rendered_again(project, copied):
    run(project, copied)
    with open(project / "out" / "consistency.json", "r+b") as handle:  # edited in place, same size
        handle.seek(100)
        handle.write(b"X")
    main(["report", "--reports", "out"])  # rewrites ledger.sarif and junit.xml from consistency.json
    run(project, copied)
    assert copied[-1] == {}
    for notes in (project / ".ledger").glob("ledger.db-reports-*"):
        notes.write_bytes(notes.read_bytes()[:-7])  # cut short
    run(project, copied)
    assert copied[-1] == {}
    run(project, copied)
    assert all(copied[-1].get(fmt, 0) > 10 for fmt in FORMATS)


def test_a_report_another_run_replaced_meanwhile_is_not_copied_from(project, copied, monkeypatch):
    """The notes hold each file as this run wrote it: one that another run renamed over it before the notes were
    saved is not the one noted."""
    import os

    from ledger.report import files

    rename = os.replace

    def and_another_run(source, target):
        rename(source, target)
        if str(target).endswith("consistency.json"):
            other = f"{target}.other"
            with open(other, "w", encoding="utf-8") as handle:
                handle.write(open(target, encoding="utf-8").read().replace("disagrees", "DISAGREES"))
            rename(other, target)

    monkeypatch.setattr(files.os, "replace", and_another_run)
    main(["check", "articles", "--rules", str(ROOT / "rules"), "--reports", "out", "--jobs", "1", "--fail-on", "never"])
    monkeypatch.setattr(files.os, "replace", rename)
    assert b"DISAGREES" in (project / "out" / "consistency.json").read_bytes()
    run(project, copied)
    assert "json" not in copied[-1] and copied[-1].get("sarif", 0) > 10


def test_with_agreement_aside_and_a_report_helper(project, copied, monkeypatch):
    """The fresh findings of groups the agreement child stored are noted too; a format the helper renders is not
    copied (its notes stay in the helper) but still right."""
    from ledger.checks import auto
    from ledger.report import files

    monkeypatch.setattr(auto, "ASIDE_ABOVE", 0)
    monkeypatch.setattr(auto, "ASIDE_HELD", 1.0)
    monkeypatch.setattr("ledger.checks.auto.can_fork", lambda: True)
    run(project, copied)
    run(project, copied)
    assert copied[-1].get("auto.agreement", 0) > 10
    monkeypatch.setattr(files, "HELPER_ABOVE", 0)
    monkeypatch.setattr(files, "can_fork", lambda: True)
    run(project, copied)
    run(project, copied)  # the helper copies too (in the helper, so not counted here): its notes came back
    assert 0 < len(copied[-1]) and not set(copied[-1]) & set(files._shares(list(files.REPORT_FILES), 10**5)[1])
    assert noted(project) == NOTED
    monkeypatch.setattr(files, "HELPER_UP_TO", 0)  # as at scale: the helper renders Markdown, HTML and SARIF
    run(project, copied)
    run(project, copied)
    assert noted(project) == NOTED


NOTED = ({"consistency.json", "ledger.sarif", "junit.xml", "consistency.md", "index.html"},
         {"facts.jsonl", "facts.csv"})


def noted(project: Path) -> tuple[set[str], set[str]]:
    """The reports whose findings' places the notes beside the store hold, and those whose articles' places."""
    import json

    (notes,) = (project / ".ledger").glob("ledger.db-reports-*")
    header = json.loads(notes.read_bytes().split(b"\n")[1])
    return set(header["files"]), set(header["texts"])


def test_shared_findings_are_not_shared_again_but_their_copies_are():
    """`share_values` leaves a record it shared already (by any pool) as it is; a copy has fields of its own."""
    from ledger.model import Finding, share_values

    def made(rule: str) -> Finding:
        return Finding(rule="".join(rule), kind="sum", severity="error", status="fail", message="m")

    first, second = made(["r", "1"]), made(["r", "1"])
    assert first.rule is not second.rule
    share_values([first], {})
    copy = first.model_copy(update={"severity": "warning"})
    pool: dict = {}
    share_values([second, first, copy], pool)
    assert second.rule is pool["r1"] and first.rule is not second.rule  # left as it was
    assert copy.rule is second.rule and copy.__pydantic_fields_set__ is first.__pydantic_fields_set__
    assert copy == made(["r", "1"]).model_copy(update={"severity": "warning"})


def test_a_copied_finding_is_another_finding():
    """A finding's slot (where its text was noted) is not part of its data, and a copy does not carry it."""
    import copy

    from ledger.model import Finding
    from ledger.origins import Origins, origin

    finding = Finding(rule="r", kind="sum", severity="error", status="fail", message="m")
    origins = Origins()
    origins.note("ab" * 32, [finding])
    origins.note("not a key", [finding])  # ignored
    assert origin(finding) == 0 and origins.size == 1
    assert finding == Finding(rule="r", kind="sum", severity="error", status="fail", message="m")
    assert "origin" not in finding.model_dump_json()
    for other in (finding.model_copy(update={"status": "waived"}), finding.model_copy(), copy.deepcopy(finding)):
        assert origin(other) is None


@pytest.mark.parametrize("listed", [False, True], ids=["piece", "pieces"])
def test_copies_runs_of_findings_and_whatever_lies_between_them(tmp_path, listed):
    """A made-up format: findings copied one after another are read as one stretch of the last file, unless what
    lies between them differs this time (same length, other text), and what is rendered afresh lands between;
    asked for one by one (`Rendering.piece`) or as a list (`Rendering.pieces`)."""
    from ledger.model import Finding, Report
    from ledger.origins import Origins

    def findings(n: int) -> list[Finding]:
        return [Finding(rule="r", kind="sum", severity="error", status="fail", message=f"m{i}") for i in range(n)]

    def write(reuse_: reuse.Reuse, order: list[Finding], separator: str) -> bytes:
        reuse_.begin(Report(), tmp_path, {"fake": "fake.txt"})
        rendering = reuse_.rendering("fake")

        def chunks():
            yield "head\n"
            if listed:
                for n, item in enumerate(rendering.pieces(order, lambda n: f"<{order[n].message}>",
                                                          between=separator.encode())):
                    yield separator if n else ""
                    yield item
            else:
                for n, finding in enumerate(order):
                    yield separator if n else ""
                    yield rendering.piece(finding, lambda f: f"<{f.message}>")
            yield "\ntail\n"

        data = b"".join(reuse_.positioned("fake", chunks()))
        (tmp_path / "fake.txt").write_bytes(data)
        reuse_.save({"fake.txt": (tmp_path / "fake.txt").stat()})
        return data

    notes = tmp_path / "notes"
    first = findings(6)
    origins = Origins()
    origins.note("aa" * 32, first[:4])
    origins.note("bb" * 32, first[4:])
    assert write(reuse.Reuse(notes, origins), first, ", ") == b"head\n<m0>, <m1>, <m2>, <m3>, <m4>, <m5>\ntail\n"

    again = findings(6) + [Finding(rule="r", kind="sum", severity="error", status="fail", message="new")]
    origins = Origins()
    origins.note("bb" * 32, again[4:6])  # the rows come in another order
    origins.note("aa" * 32, again[:4])
    reads: list[tuple[int, int]] = []
    read = reuse.Rendering._read
    reuse.Rendering._read = lambda self, offset, length: (reads.append((offset, length)), read(self, offset, length))[1]
    try:
        order = [again[6], again[0], again[1], again[2], again[4], again[5], again[3]]
        out = write(reuse.Reuse(notes, origins), order, ", ")
        assert out == b"head\n<new>, <m0>, <m1>, <m2>, <m4>, <m5>, <m3>\ntail\n"
        assert len(reads) == 3  # m0-m2, m4-m5, m3
        reads.clear()
        out = write(reuse.Reuse(notes, origins), order, "; ")  # same length, other text: copied one by one
        assert out == b"head\n<new>; <m0>; <m1>; <m2>; <m4>; <m5>; <m3>\ntail\n"
        out = write(reuse.Reuse(notes, origins), order, "; ")  # and noted where they landed
        assert out == b"head\n<new>; <m0>; <m1>; <m2>; <m4>; <m5>; <m3>\ntail\n"
        # notes that do not fit the file (as if damaged): nothing is copied, and the file is still right
        from array import array

        data = notes.read_bytes()
        start = data.index(b"\n", len(reuse.MAGIC)) + 1 + 2 * 32 + 2 * 8
        far = array("q", [10**9] * 6).tobytes()
        notes.write_bytes(data[:start] + far + data[start + len(far):])
        reads.clear()
        out = write(reuse.Reuse(notes, origins), order, "; ")
        assert out == b"head\n<new>; <m0>; <m1>; <m2>; <m4>; <m5>; <m3>\ntail\n" and reads == []
    finally:
        reuse.Rendering._read = read


def test_a_last_file_cut_short_while_copied_from_says_so(tmp_path):
    """A stretch the last run's file no longer holds (cut short after its notes were checked): one clear error
    naming the file, not a silently short report."""
    from ledger.errors import LedgerError

    last = tmp_path / "facts.jsonl"
    last.write_bytes(b"0123456789")
    out = tmp_path / "out"
    with open(last, "rb") as source, open(out, "wb") as target:
        reuse.Span(source, 2, 5).copy_to(target.fileno())
        with pytest.raises(LedgerError, match="changed while this run copied from it"):
            reuse.Span(source, 8, 5).copy_to(target.fileno())
    assert out.read_bytes()[:5] == b"23456"
