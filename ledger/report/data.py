"""The machine-readable reports: `consistency.json` (the contract), `facts.jsonl` and `facts.csv`."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from typing import Any

from ledger.model import Article, Fact, Report
from ledger.report.common import Index, fingerprint, jsonable, summarize
from ledger.report.registry import register

FORMAT_VERSION = 1

COMPUTED_FINDING_KEYS = ("location", "fingerprint")
"""Keys `consistency.json` adds to each finding for its readers; `load_report` drops them again."""

FACT_COLUMNS: tuple[str, ...] = tuple(Fact.model_fields)


def dumps(value: Any, indent: int | None = 2) -> str:
    if indent == 2:
        chunks: list[str] = []
        _indented(value, chunks, "\n")
        return "".join(chunks)
    return json.dumps(jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)


_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses (the C one when built)


def _indented(value: Any, out: list[str], newline: str) -> None:
    """Exactly `json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False)`, in one pass and
    several times faster (the standard encoder runs in pure Python whenever `indent` is set)."""
    kind = type(value)
    if kind is str:
        out.append(_encode_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(float.__repr__(value) if math.isfinite(value) else "null")
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(_encode_string(str(key)) + ": ")
            _indented(item, out, inner)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:
            out.append("[" + inner if first else "," + inner)
            first = False
            _indented(item, out, inner)
        out.append(newline + "]")
    else:  # anything else (subclasses, unusual types): the standard encoder, indented to this depth
        text = json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False)
        out.append(text.replace("\n", newline))


def _sorted_dict(value: Any) -> Any:
    """Free-form mappings (group, roles, meta, summary) with sorted keys, so insertion order never shows."""
    if isinstance(value, dict):
        return {k: _sorted_dict(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_dict(v) for v in value]
    return value


def sorted_articles(report: Report) -> list[Article]:
    return sorted(report.articles, key=lambda a: (a.path, a.line_offset, a.id))


def sorted_facts(report: Report) -> list[Fact]:
    """By article (in article order), then position in its text."""
    order = {a.id: n for n, a in enumerate(sorted_articles(report))}
    return sorted(report.facts, key=lambda f: (order.get(f.article, len(order)), f.article, f.start, f.end, f.id))


def consistency_document(report: Report) -> dict[str, Any]:
    index = Index(report)
    findings = []
    for finding in index.sorted_findings:
        record = finding.model_dump(mode="json")
        for key in ("group", "roles"):
            record[key] = _sorted_dict(record[key])
        location = index.finding_location(finding)
        record["location"] = None if location is None else {
            "path": location.path, "line": location.line, "column": location.column}
        record["fingerprint"] = fingerprint(finding, index)
        findings.append(record)
    articles = []
    for article in sorted_articles(report):
        record = article.model_dump(mode="json", exclude={"text"})
        record["meta"] = _sorted_dict(record["meta"])
        articles.append(record)
    return {
        "version": FORMAT_VERSION,
        "summary": _sorted_dict(summarize(report)),
        "findings": findings,
        "rules": [r.model_dump(mode="json") for r in report.rules],
        "articles": articles,
        "relations": [r.model_dump(mode="json") for r in report.relations],
        "errors": list(report.errors),
    }


@register("json")
def render_json(report: Report) -> str:
    """`consistency.json`: findings sorted by location, articles without their text, infinities as null."""
    return dumps(consistency_document(report)) + "\n"


@register("jsonl")
def render_facts_jsonl(report: Report) -> str:
    """`facts.jsonl`: one fact per line, sorted by article then position."""
    return "".join(dumps(f.model_dump(mode="json"), indent=None) + "\n" for f in sorted_facts(report))


_NUMBER = re.compile(r"-[\d.,]+%?")


def _csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula ("=HYPERLINK(...)") is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str) and value and (value[0] in "=+@\t\r" or (value[0] == "-" and not _NUMBER.fullmatch(value))):
        return "'" + value
    return value


@register("csv")
def render_facts_csv(report: Report) -> str:
    """`facts.csv`: the same rows as `facts.jsonl`; open bounds are empty cells, tags joined by `;`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FACT_COLUMNS)
    for fact in sorted_facts(report):
        record = fact.model_dump(mode="json")
        writer.writerow([_csv_cell(record[c]) for c in FACT_COLUMNS])
    return buffer.getvalue()
