"""The machine-readable reports: `consistency.json` (the contract), `facts.jsonl` and `facts.csv`."""

from __future__ import annotations

import csv
import json
import math
import operator
import re
from collections.abc import Iterator
from typing import Any, Callable

from ledger.model import Article, Fact, Finding
from ledger.report.common import Index, jsonable, summarize
from ledger.report.registry import register

FORMAT_VERSION = 1

COMPUTED_FINDING_KEYS = ("location", "fingerprint")
"""Keys `consistency.json` adds to each finding for its readers; `load_report` drops them again."""

FACT_COLUMNS: tuple[str, ...] = tuple(Fact.model_fields)


_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses (the C one when built)
_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def _float(x: float) -> str:
    return float.__repr__(x) if math.isfinite(x) else "null"


_SCALAR: dict[type, Callable[[Any], str]] = {
    str: _encode_string, int: int.__repr__, float: _float,
    bool: {True: "true", False: "false"}.__getitem__, type(None): {None: "null"}.__getitem__,
}
"""How `json.dumps` writes each plain value, looked up by its exact type (subclasses take the slow road)."""


def json_chunks(value: Any, newline: str = "\n") -> Iterator[str]:
    """Exactly `json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False)`, in pieces.

    A list may be given as an iterator: its items are written one by one as they are made, so a million
    findings never sit in memory at once. The dicts and lists around it are walked; items are written whole.
    """
    inner = newline + "  "
    kind = type(value)
    if kind is dict and value:
        opening = "{" + inner
        for key, item in value.items():
            yield opening + _encode_string(str(key)) + ": "
            yield from json_chunks(item, inner)
            opening = "," + inner
        yield newline + "}"
    elif (kind is list or kind is tuple) and value:
        opening = "[" + inner
        for item in value:
            yield opening
            yield from json_chunks(item, inner)
            opening = "," + inner
        yield newline + "]"
    elif isinstance(value, Iterator):
        opening = "[" + inner
        for item in value:
            yield opening + _indented(item, inner)
            opening = "," + inner
        yield "[]" if opening[0] == "[" else newline + "]"
    else:
        yield _indented(value, newline)


def _indented(value: Any, newline: str) -> str:
    """`json_chunks` as one string, several times faster than the standard encoder (which runs in pure Python
    whenever `indent` is set): plain values inside a container are written without a call of their own."""
    scalar = _SCALAR.get(type(value))
    if scalar is not None:
        return scalar(value)
    kind = type(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = [_encode_string(str(k)) + ": " + (_SCALAR[type(v)](v) if type(v) in _SCALAR else _indented(v, inner))
                 for k, v in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        items = [_SCALAR[type(v)](v) if type(v) in _SCALAR else _indented(v, inner) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    # anything else (subclasses, unusual types): the standard encoder, indented to this depth
    return json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False).replace("\n", newline)


def json_line(record: dict[str, Any]) -> str:
    """`json.dumps(jsonable(record), ensure_ascii=False, allow_nan=False)` of a `model_dump(mode="json")`
    (whose keys are all text): the C encoder straight away, unless a float is not finite."""
    try:
        return _LINE.encode(record)
    except ValueError:
        return _LINE.encode(jsonable(record))


def _sorted_dict(value: Any) -> Any:
    """Free-form mappings (group, roles, meta, summary) with sorted keys, so insertion order never shows."""
    if isinstance(value, dict):
        return {k: _sorted_dict(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_dict(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def consistency_document(index: Index) -> dict[str, Any]:
    """The document `consistency.json` holds; its long lists are iterators, made as they are written."""
    report = index.report
    return {
        "version": FORMAT_VERSION,
        "summary": _sorted_dict(summarize(report)),
        "findings": (_finding_record(finding, index) for finding in index.sorted_findings),
        "rules": [r.model_dump(mode="json") for r in report.rules],
        "articles": (_article_record(article) for article in index.sorted_articles),
        "relations": (r.model_dump(mode="json") for r in report.relations),
        "errors": list(report.errors),
    }


def _finding_record(finding: Finding, index: Index) -> dict[str, Any]:
    record = finding.model_dump(mode="json")
    for key in ("group", "roles"):
        record[key] = _sorted_dict(record[key])
    location = index.finding_location(finding)
    record["location"] = None if location is None else {
        "path": location.path, "line": location.line, "column": location.column}
    record["fingerprint"] = index.fingerprint(finding)
    return record


def _article_record(article: Article) -> dict[str, Any]:
    record = article.model_dump(mode="json", exclude={"text"})
    record["meta"] = _sorted_dict(record["meta"])
    return record


@register("json")
def render_json(index: Index) -> Iterator[str]:
    """`consistency.json`: findings sorted by location, articles without their text, infinities as null."""
    yield from json_chunks(consistency_document(index))
    yield "\n"


@register("jsonl")
def render_facts_jsonl(index: Index) -> Iterator[str]:
    """`facts.jsonl`: one fact per line, sorted by article then position."""
    for fact in index.sorted_facts:
        yield json_line(fact.model_dump(mode="json")) + "\n"


_FORMULA = re.compile(r"[=+@\t\r]|-(?![\d.,]+%?\Z)")
"""How a cell a spreadsheet would run as a formula starts ("=HYPERLINK(...)"); a negative number is kept."""
_FORMULA_FIRST = frozenset("=+@\t\r-")


def _csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


_FACT_FIELDS = operator.attrgetter(*FACT_COLUMNS)
_OPEN_BOUNDS = (FACT_COLUMNS.index("low"), FACT_COLUMNS.index("high"))


def _csv_row(fact: Fact) -> list[Any]:
    """The fact's fields as cells, read straight off the fact (a JSON dump per row would double the time): an
    open bound (null in facts.jsonl) is an empty cell. Numbers and text that cannot start a formula pass
    inline, the rest through `_csv_cell`: a call per cell would take as long as all the rest."""
    row = ["" if v is None else v if (type(v) is str and v[:1] not in _FORMULA_FIRST) or type(v) is float
           or type(v) is int else _csv_cell(v) for v in _FACT_FIELDS(fact)]
    for column in _OPEN_BOUNDS:
        if math.isinf(row[column]):
            row[column] = ""
    return row


class _Echo:
    """A file whose `write` hands the text back, so `csv.writer(...).writerow` returns the row."""

    def write(self, text: str) -> str:
        return text


@register("csv")
def render_facts_csv(index: Index) -> Iterator[str]:
    """`facts.csv`: the same rows as `facts.jsonl`; open bounds are empty cells, tags joined by `;`."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(FACT_COLUMNS)
    for fact in index.sorted_facts:
        yield writer.writerow(_csv_row(fact))
