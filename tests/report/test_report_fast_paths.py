"""The fast paths write exactly what the plain code they stand for wrote: `json.dumps` with `indent`,
ElementTree, `re.sub` escaping, a JSON dump per CSV row; and streaming keeps the reports folder atomic."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.model import Fact, Finding, Report, RuleInfo
from ledger.report import render, write_reports
from ledger.report.common import Index, Location, canonical_json, group_label, is_baselined, jsonable
from ledger.report.data import FACT_COLUMNS, _csv_cell, _csv_row, json_chunks
from ledger.report.junit import _details, xml_text
from ledger.report.markdown import code, escape, escape_keep_space

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=8)  # surrogates and controls too
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
CLEAN_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)
CLEAN_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | CLEAN_TEXT,
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CLEAN_TEXT, inner, max_size=4),
                            max_leaves=16)
JSON_VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                           | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=16)


def indented(value) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False)


def same_json(written: str, expected: str) -> bool:
    """The same value, laid out line for line the same (numbers may be written differently: 1e-7, 1e-07)."""
    def indents(text: str) -> list[int]:
        return [len(line) - len(line.lstrip()) for line in text.splitlines()]
    return json.loads(written) == json.loads(expected) and indents(written) == indents(expected)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_json_chunks_is_json_dumps_with_indent(value):
    assert same_json("".join(json_chunks(value)), indented(value))
    items = value if isinstance(value, list) else [value]
    assert same_json("".join(json_chunks({"items": iter(items)})), indented({"items": items}))  # made as written


def test_json_chunks_unusual_values():
    cases = [({2: "a", None: "b", 2.5: [math.nan, -math.inf]}, {2: "a", None: "b", 2.5: [math.nan, -math.inf]}),
             ({"k": iter([])}, {"k": []}),
             ([iter([1, {"a": ()}])], [[1, {"a": []}]]),
             ({"nested": {"deeper": [[], {}, [[]]]}}, {"nested": {"deeper": [[], {}, [[]]]}}),
             ([True, False, 0, -0.0, 1e300, 10 ** 30], [True, False, 0, -0.0, 1e300, 10 ** 30])]
    for value, as_lists in cases:
        assert same_json("".join(json_chunks(value)), indented(as_lists))


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_canonical_json_is_jsonable_sorted(value):
    assert canonical_json(value) == json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False,
                                               separators=(",", ":"))


def test_canonical_json_keys_that_are_not_text():
    value = {"a": {True: 1, 2: [math.inf], None: {10: "x", 9: "y"}}}
    assert canonical_json(value) == json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False,
                                               separators=(",", ":"))


_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
MARKDOWN_TEXT = st.text(st.sampled_from(list(" \t\n\xa0\u3000`*_[]<>|~&#;\\-.1ab")), max_size=12)


@settings(max_examples=500, deadline=None)
@given(MARKDOWN_TEXT)
def test_markdown_escaping_is_the_regex_it_replaced(text):
    assert escape(text) == _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    assert escape_keep_space(text) == _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))
    words = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", words)), default=0) + 1)
    pad = " " if words.startswith("`") or words.endswith("`") or not words.strip() else ""
    assert code(text) == f"{fence}{pad}{words}{pad}{fence}"


def _junit_by_elementtree(report: Report) -> str:
    """What junit.xml was written with before it was streamed: a tree of every case, indented, serialized."""
    index = Index(report)
    by_rule: dict[str, list[Finding]] = {}
    for finding in index.sorted_findings:
        by_rule.setdefault(finding.rule, []).append(finding)

    def counts(findings):
        return {"tests": str(len(findings)),
                "failures": str(sum(f.status == "fail" and not is_baselined(f) for f in findings)), "errors": "0",
                "skipped": str(sum(f.status in ("skipped", "waived") or is_baselined(f) for f in findings)),
                "time": "0"}

    root = ET.Element("testsuites", {"name": "ledger", **counts(index.sorted_findings)})
    for rule_id in index.rule_ids():
        findings = by_rule.get(rule_id, [])
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(rule_id), **counts(findings)})
        labels, seen = Counter(group_label(f.group) for f in findings), Counter()
        for finding in findings:
            label, location = group_label(finding.group), index.finding_location(finding)
            if labels[label] > 1:
                seen[label] += 1
                label = f"{label} @ {location}" if location is not None else f"{label} #{seen[label]}"
            attributes = {"classname": xml_text(rule_id), "name": xml_text(label), "time": "0"}
            if location is not None:
                attributes["file"] = xml_text(location.path)
                if location.line is not None:
                    attributes["line"] = str(location.line)
            case = ET.SubElement(suite, "testcase", attributes)
            if is_baselined(finding):
                ET.SubElement(case, "skipped", {"message": xml_text(f"baselined: {finding.message}")})
            elif finding.status == "fail":
                failure = ET.SubElement(case, "failure", {"message": xml_text(finding.message), "type": finding.severity})
                failure.text = xml_text(_details(finding, index))
            elif finding.status in ("skipped", "waived"):
                message = finding.message if finding.status == "skipped" else f"waived: {finding.waiver or finding.message}"
                ET.SubElement(case, "skipped", {"message": xml_text(message)})
            if finding.work and finding.status != "fail":
                ET.SubElement(case, "system-out").text = xml_text(_details(finding, index))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def test_junit_is_what_elementtree_wrote(report):
    odd = Finding(rule="odd\t\"rule\"", kind="sum", severity="warning", status="fail", message="",
                  group={"k": "a\r\nb & <c>"})
    quiet = Finding(rule="odd\t\"rule\"", kind="sum", severity="warning", status="pass", message="\x00 ok",
                    group={"k": "a\r\nb & <c>"}, work="1 = 1\r\n")
    for case in (report, Report(), Report(rules=(RuleInfo(id="only", kind="sum"),)),
                 Report(findings=(odd, quiet)), report.model_copy(update={"findings": report.findings[:1]})):
        assert render("junit", case) == _junit_by_elementtree(case)


def test_csv_rows_are_the_json_dump_of_each_fact(report, make_fact_report):
    extremes = [Fact(id="f1", article="x", start=0, end=2, line=1, column=1, surface="=1", sentence="+s",
                     value=math.inf, low=-math.inf, high=math.nan, as_of=date(999, 1, 2), tags=("a", "-b"),
                     unit="-x", subject="@y", entity="\tz"),
                Fact(id="-5", article="x", start=7, end=10, line=1, column=8, surface="-2%", sentence="-2%",
                     value=-2, low=-2.5, high=math.inf)]

    def line(cells) -> str:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(cells)
        return text.getvalue()

    for fact in (*report.facts, *make_fact_report.facts, *extremes):
        record = fact.model_dump(mode="json")
        assert line(_csv_row(fact)) == line([_csv_cell(record[c]) for c in FACT_COLUMNS])


def test_lone_surrogates_are_written_as_replacement_characters(tmp_path):
    report = Report(errors=("bad \ud800 byte",))
    write_reports(report, tmp_path, files=["consistency.md", "consistency.json"])
    assert "bad \ufffd byte" in (tmp_path / "consistency.md").read_text(encoding="utf-8")
    assert render("markdown", report) == (tmp_path / "consistency.md").read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=3) | st.dictionaries(st.integers(), LEAVES, max_size=2),
       st.lists(ANY_TEXT, max_size=3), st.lists(st.tuples(ANY_TEXT, ANY_TEXT), max_size=3))
def test_fingerprint_payload_is_canonical_json(group, articles, surfaces):
    from ledger.report.common import fingerprint_payload

    assert fingerprint_payload("r", group, articles, surfaces) == canonical_json(["r", group, articles, surfaces])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["r1", "r2"]), st.sampled_from(["fail", "pass"]),
                          st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"])), max_size=30))
def test_findings_sort_by_location_then_the_rest_of_the_record(rows):
    """`Index.sorted_findings` finds runs of ties at once; the order is the plain sort by key, then the rest."""
    findings = tuple(Finding(rule=rule, kind="sum", severity="error", status=status, message=message,
                             group={"g": group}) for rule, status, message, group in rows)
    ranks = {"fail": 0, "skipped": 1, "waived": 2, "pass": 3}
    plain = sorted(findings, key=lambda f: ((1, "", 0, 0), f.rule, ranks[f.status],
                                            canonical_json(f.group), f.message, f.facts, f.articles))
    assert Index(Report(findings=findings)).sorted_findings == plain


LOCATIONS = st.none() | st.builds(Location, st.sampled_from(["a.md", "b.md", "c/d.md"]),
                                  st.none() | st.integers(0, 400), st.none() | st.integers(0, 90))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(LOCATIONS, st.sampled_from(["auto.share", "r1", "r2"]),
                          st.sampled_from(["fail", "skipped", "waived", "pass"])), max_size=30))
def test_order_numbers_sort_as_the_keys_they_stand_for(rows):
    """File, line, column (no location last), rule id and status as one number: equal for equal keys, and in
    the keys' order."""
    from ledger.report.common import order_numbers, tally_keys

    findings = [Finding(rule=rule, kind="sum", severity="error", status=status, message="m") for _, rule, status in rows]
    ranks = {"fail": 0, "skipped": 1, "waived": 2, "pass": 3}
    keys = [((1, "", 0, 0) if at is None else (0, at.path, at.line or 0, at.column or 0), rule, ranks[status])
            for at, rule, status in rows]
    numbers = order_numbers(tally_keys(findings), [at for at, _, _ in rows])
    pairs = list(zip(keys, numbers))
    assert all((a < b) == (m < n) and (a == b) == (m == n) for a, m in pairs for b, n in pairs)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from(["\n", "\n  ", "\n    "]))
def test_a_findings_json_text_is_written_as_utf8_as_it_renders(value, newline):
    """A finding's `Piece` of consistency.json goes to the file as pydantic-core's UTF-8 (`_indented_utf8`): the
    same bytes as its text encoded, lone surrogates as U+FFFD."""
    from ledger.report.data import _indented, _indented_utf8
    from ledger.report.registry import SURROGATES_AS_FFFD

    out = _indented_utf8(value, newline.encode())
    written = out if type(out) is bytes else out.encode("utf-8", SURROGATES_AS_FFFD)
    assert written == _indented(value, newline).encode("utf-8", SURROGATES_AS_FFFD)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(ANY_TEXT, st.dictionaries(CLEAN_TEXT, CLEAN_VALUES, max_size=3)), max_size=4))
def test_articles_and_relations_are_written_at_once_as_one_by_one(rows):
    """consistency.json's articles (their meta's keys sorted) and relations, dumped by pydantic-core in one call
    (`Records`), are what dumping each into a dict and writing that gave. (Front matter holds no lone
    surrogate: reading an article replaces them; a path may.)"""
    from ledger.model import Article, Relation
    from ledger.report.data import Records, _article_record, _sorted_keys

    articles = [Article(id=f"a{n}", path=path, text="t", published=date(2024, 1, 1), meta=meta)
                for n, (path, meta) in enumerate(rows)]
    relations = [Relation(kind="subset", article=path, total="f", parts=("g", path), cue=path) for path, _ in rows]
    for records, plain in [(Records(articles, frozenset({"text"})), [_article_record(a) for a in articles]),
                           (Records(relations), [r.model_dump(mode="json") for r in relations])]:
        if records.records is articles and not all(_sorted_keys(a.meta) for a in articles):
            continue  # written one by one (`consistency_document`)
        assert "".join(json_chunks({"x": records})) == "".join(json_chunks({"x": iter(plain)}))
