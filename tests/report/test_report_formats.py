"""Determinism, the registry, the terminal output and the facts ledger."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from pathlib import Path

import pytest

from ledger.errors import LedgerError
from ledger.model import Finding, Report
from ledger.report import FORMATTERS, REPORT_FILES, register, render, render_github, render_text, write_reports
from ledger.report.terminal import escape_data, escape_property


def shuffled(report: Report, seed: int) -> Report:
    rng = random.Random(seed)
    fields = {}
    for name in ("findings", "facts", "articles"):
        items = list(getattr(report, name))
        rng.shuffle(items)
        fields[name] = tuple(items)
    return report.model_copy(update=fields)


def read_all(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_runs_are_byte_identical(report, tmp_path):
    first = write_reports(report, tmp_path / "a")
    write_reports(report, tmp_path / "b")
    assert [p.name for p in first] == list(REPORT_FILES)
    assert read_all(tmp_path / "a") == read_all(tmp_path / "b")


def test_input_order_does_not_show(report, tmp_path):
    write_reports(report, tmp_path / "a")
    for seed in range(3):
        write_reports(shuffled(report, seed), tmp_path / f"s{seed}")
        assert read_all(tmp_path / "a") == read_all(tmp_path / f"s{seed}")


def test_no_absolute_paths_timestamps_or_crlf(report, tmp_path):
    out = tmp_path / "reports"
    write_reports(report, out)
    for name, data in read_all(out).items():
        text = data.decode("utf-8")
        assert str(tmp_path) not in text, name
        assert str(Path.cwd()) not in text, name
        assert "\r\n" not in text, name
        assert "2026" not in text, name  # no run date: the only dates are the articles' own
        assert text.endswith("\n"), name


def test_every_report_file_has_a_formatter():
    assert set(REPORT_FILES.values()) <= set(FORMATTERS)
    assert {"text", "github"} <= set(FORMATTERS)


def test_registering_a_name_twice_raises():
    with pytest.raises(ValueError, match="already registered"):
        register("sarif")(lambda report: "")


def test_unknown_format_says_did_you_mean(report):
    with pytest.raises(LedgerError, match="did you mean 'sarif'"):
        render("sarfi", report)


def test_text_lists_failures_then_summary(report):
    text = render_text(report)
    lines = text.splitlines()
    assert lines[0].split() == ["location", "severity", "rule", "message"]
    rows = [line for line in lines[2:] if line.startswith("corpus/")]
    assert [row.split()[0] for row in rows] == [
        "corpus/hostile.md:5:96", "corpus/spend-high.md:3:38", "corpus/toll-3.md:5:19"]
    assert "wagner.spending.agrees" in rows[1] and "error" in rows[1]
    assert lines[-1] == "3 failed, 2 passed, 1 skipped, 1 waived in 7 articles (11 facts); 1 input error"
    assert render(name="text", report=report) == text


def test_text_without_failures_is_just_the_summary():
    assert render_text(Report()) == "0 failed, 0 passed in 0 articles (0 facts)\n"


def test_github_annotations(report):
    lines = render_github(report).splitlines()
    assert lines[0] == ("::notice file=corpus/hostile.md,line=5,col=96,endColumn=109,title=hostile.bounds::"
                        "<b>12 ambulances</b> is above the maximum of 10 & more%0A12 > 10")
    assert lines[1].startswith("::error file=corpus/spend-high.md,line=3,col=38,")
    assert lines[2].startswith("::warning file=corpus/toll-3.md,line=5,col=19,")
    assert lines[3] == "::error title=ledger input error::corpus/broken.md: not valid UTF-8 text (byte 12)"
    assert len(lines) == 4  # passes, skips and waived findings are not annotated


def test_a_large_run_prints_the_first_failures_and_counts_the_rest():
    """The terminal table and the annotations list `TERMINAL_FAILURES` failures, messages cut to a line's worth;
    the reports list every one."""
    from ledger.report.terminal import TERMINAL_FAILURES, TERMINAL_MESSAGE

    findings = tuple(Finding(rule=f"r{n:04}", kind="sum", severity="error", status="fail", message="many " * 200)
                     for n in range(TERMINAL_FAILURES + 25))
    passes = tuple(Finding(rule=f"r{n:04}", kind="sum", severity="error", status="pass", message="fine")
                   for n in range(0, TERMINAL_FAILURES + 25, 7))
    report = Report(findings=passes + findings)
    lines = render_text(report).splitlines()
    rows = [line for line in lines if line.startswith("-")][1:]  # after the header's rule
    assert len(rows) == TERMINAL_FAILURES and rows[0].split()[:2] == ["-", "error"]
    assert max(len(row) for row in rows) < TERMINAL_MESSAGE + 40 and rows[0].endswith("…")
    assert lines[-3] == "… and 25 more failures (all in the reports)"
    assert lines[-1].startswith(f"{TERMINAL_FAILURES + 25} failed, {len(passes)} passed")
    github = render_github(report).splitlines()
    assert len(github) == TERMINAL_FAILURES + 1
    assert github[-1] == "::notice title=ledger::25 more failures (all in the reports)"


def test_github_escaping():
    assert escape_data("50% of\r\nall: a,b") == "50%25 of%0D%0Aall: a,b"
    assert escape_property("dir,x/a:b.md%") == "dir%2Cx/a%3Ab.md%25"
    finding = Finding(rule="r,1:x", kind="sum", severity="error", status="fail", message="line one\nline two")
    out = render_github(Report(findings=(finding,)))
    assert out == "::error title=r%2C1%3Ax::line one%0Aline two\n"


def test_facts_jsonl_sorted_by_article_then_position(report):
    lines = render("jsonl", report).splitlines()
    facts = [json.loads(line) for line in lines]
    assert len(facts) == len(report.facts)
    order = [(f["article"], f["start"]) for f in facts]
    article_order = ["hostile", "spend-high", "spend-low", "toll-1", "toll-2", "toll-3", "wagner-north-korea-arms"]
    assert order == sorted(order, key=lambda p: (article_order.index(p[0]), p[1]))
    toll2 = next(f for f in facts if f["article"] == "toll-2")
    assert toll2["high"] is None and toll2["low"] == 1500
    assert facts[0]["id"] == next(f.id for f in report.facts if f.article == "hostile" and f.start == facts[0]["start"])


def test_facts_csv_matches_jsonl(report):
    rows = list(csv.DictReader(io.StringIO(render("csv", report))))
    facts = [json.loads(line) for line in render("jsonl", report).splitlines()]
    assert [r["id"] for r in rows] == [f["id"] for f in facts]
    toll2 = next(r for r in rows if r["article"] == "toll-2")
    assert toll2["high"] == "" and float(toll2["low"]) == 1500
    assert all(float(r["value"]) == f["value"] for r, f in zip(rows, facts))


def test_csv_defuses_spreadsheet_formulas(make_fact_report):
    rows = list(csv.DictReader(io.StringIO(render("csv", make_fact_report))))
    assert rows[0]["sentence"].startswith("'=HYPERLINK")
    assert rows[0]["surface"] == "-5"


def test_infinite_numbers_are_null_in_json():
    finding = Finding(rule="r", kind="bounds", severity="error", status="fail", message="m",
                      expected=(math.inf * -1, 10.0), actual=(math.inf, math.inf))
    document = json.loads(render("json", Report(findings=(finding,))))
    assert document["findings"][0]["expected"] == [None, 10.0]
    assert document["findings"][0]["actual"] == [None, None]


def test_baselined_failures_are_reported_but_marked(report):
    baselined = tuple(f.model_copy(update={"baselined": True}) if f.rule == "wagner.spending.agrees" else f
                      for f in report.findings)
    report = report.model_copy(update={"findings": baselined})
    assert "3 failed (1 baselined), 2 passed" in render_text(report)
    assert "error (baselined)" in render_text(report)
    github = render_github(report)
    assert "::notice file=corpus/spend-high.md,line=3,col=38,endColumn=55,title=wagner.spending.agrees (baselined)::" in github
    sarif = json.loads(render("sarif", report))
    states = {r["ruleId"]: r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states["wagner.spending.agrees"] == "unchanged" and states["quake.toll.rises"] == "new"
    junit = render("junit", report)
    assert 'failures="2"' in junit.splitlines()[1] and "baselined: $3 billion" in junit
    assert json.loads(render("json", report))["summary"]["baselined"] == 1


def test_a_finding_citing_many_figures_shows_some_and_counts_the_rest():
    """An agreement across a large archive may cite thousands of figures: Markdown and HTML quote the first
    `SHOWN_PER_FINDING` and say how many more there are; consistency.json lists them all."""
    import json as json_module

    from ledger.model import Article, Finding, Report
    from ledger.report import render
    from ledger.report.common import SHOWN_PER_FINDING
    from tests.report.conftest import make_fact

    articles = [Article(id=f"a{i:03d}", path=f"a{i:03d}.md", text=f"Acme employs {1000 + i:,} people.")
                for i in range(SHOWN_PER_FINDING + 35)]
    facts = [make_fact(a, f"{1000 + i:,}", 1000 + i) for i, a in enumerate(articles)]
    finding = Finding(rule="auto.agreement", kind="agreement", severity="warning", status="fail",
                      message="figures disagree", articles=tuple(a.id for a in articles),
                      facts=tuple(f.id for f in facts), roles={"figures": tuple(f.id for f in facts)})
    report = Report(findings=(finding,), articles=tuple(articles), facts=tuple(facts))
    markdown = render("markdown", report)
    assert markdown.count("\n> Acme employs") == SHOWN_PER_FINDING
    assert "… and 35 more quoted sentences (all in consistency.json)" in markdown
    assert "… and 35 more figures (all in consistency.json)" in markdown
    html = render("html", report)
    assert html.count("<blockquote>") == SHOWN_PER_FINDING and "… and 35 more quoted sentences" in html
    assert len(json_module.loads(render("json", report))["findings"][0]["facts"]) == SHOWN_PER_FINDING + 35
