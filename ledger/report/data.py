"""The machine-readable reports: `consistency.json` (the contract), `facts.jsonl` and `facts.csv`."""

from __future__ import annotations

import csv
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from pydantic_core import PydanticSerializationError, to_json

from ledger.model import Article, Fact, Finding
from ledger.report.common import Index, fact_order, jsonable
from ledger.report.registry import register
from ledger.report.reuse import Copied, CopiedRun, Piece, Rendering

FORMAT_VERSION = 1

COMPUTED_FINDING_KEYS = ("location", "fingerprint")
"""Keys `consistency.json` adds to each finding for its readers; `load_report` drops them again."""
UNREPORTED_FINDING_KEYS = frozenset({"places"})
"""Fields of a finding that `consistency.json` leaves out: `places` is what its `location` is made from."""

FACT_COLUMNS: tuple[str, ...] = tuple(Fact.model_fields)


_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses (the C one when built)


def json_chunks(value: Any, newline: str = "\n") -> Iterator[str]:
    """`json.dumps(jsonable(value), ensure_ascii=False, indent=2)`, in pieces (numbers as pydantic-core writes
    them: 1e-7, not 1e-07).

    A list may be given as an iterator: its items are written one by one as they are made, so a million
    findings never sit in memory at once; or as a `Listing` of findings. The dicts and lists around it are walked;
    items are written whole. An item given as a `Piece` (a finding's text: `Rendering.piece`) is yielded as one, its
    value written at its depth (as UTF-8); a `Copied` one or a `CopiedRun` as it is.
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
    elif kind is Records:
        yield _indented_records(value, newline)
    elif kind is Listing:
        yield from _items(value.rendering.pieces(value.findings, value.render, between=("," + inner).encode()), inner,
                          newline)
    elif isinstance(value, Iterator):
        yield from _items(value, inner, newline)
    else:
        yield _indented(value, newline)


class Listing(NamedTuple):
    """Findings `json_chunks` writes as a list through `Rendering.pieces`: `render(n)` is the n-th one's value."""

    rendering: Rendering
    findings: Sequence[Finding]
    render: Callable[[int], Any]


def _items(value: Iterator[Any], inner: str, newline: str) -> Iterator[Any]:
    """The items of a list given as an iterator (`json_chunks`)."""
    opening = "[" + inner
    utf8_inner = inner.encode()
    for item in value:
        kind = type(item)
        if kind is Copied or kind is CopiedRun:  # findings' text, as a piece of its own (`ledger.report.reuse`)
            yield opening
            yield item
        elif kind is Piece:
            yield opening
            yield Piece(item.slot, _indented_utf8(item.text, utf8_inner), item.mode)
        else:
            yield opening + _indented(item, inner)
        opening = "," + inner
    yield "[]" if opening[0] == "[" else newline + "]"


class Records(NamedTuple):
    """Records (articles, relations) `json_chunks` writes as one list, by pydantic-core at once, `exclude`d fields
    left out: dumped one by one into dicts first, 49,000 articles took three times as long."""

    records: Sequence[Any]
    exclude: frozenset[str] = frozenset()


def _indented_records(value: Records, newline: str) -> str:
    indented = getattr(value.records, "indented", None)  # `OutlinedRelations`: their stored text, as it is
    text = None if indented is None or value.exclude else indented()
    if text is not None:
        return text if newline == "\n" else text.replace("\n", newline)
    exclude = {"__all__": set(value.exclude)} if value.exclude else None
    try:
        text = to_json(value.records, indent=2, inf_nan_mode="null", exclude=exclude).decode()
    except PydanticSerializationError:  # a lone surrogate
        return _indented([r.model_dump(mode="json", exclude=value.exclude) for r in value.records], newline)
    return text if newline == "\n" else text.replace("\n", newline)


def _indented(value: Any, newline: str) -> str:
    """`json_chunks` as one string, by pydantic-core's encoder: the standard one runs in pure Python whenever
    `indent` is set. Strings hold no raw newline, so re-indenting for the depth is a plain replace."""
    try:
        text = to_json(value, indent=2, inf_nan_mode="null").decode()
    except PydanticSerializationError:  # a lone surrogate: pydantic-core writes only what UTF-8 can hold
        text = json.dumps(jsonable(value), ensure_ascii=False, indent=2)
    return text if newline == "\n" else text.replace("\n", newline)


def _indented_utf8(value: Any, newline: bytes) -> bytes | str:
    """`_indented` as the UTF-8 it is written in: a finding's text goes to the file as pydantic-core encodes it,
    not decoded and encoded again (a tenth of the JSON report's time)."""
    try:
        text = to_json(value, indent=2, inf_nan_mode="null")
    except PydanticSerializationError:
        return _indented(value, newline.decode())
    return text if newline == b"\n" else text.replace(b"\n", newline)


def fact_line(fact: Fact) -> str:
    """A fact as one compact line of JSON, as `ledger extract --format jsonl` writes it."""
    try:
        return fact.model_dump_json()
    except PydanticSerializationError:
        return json.dumps(jsonable(fact.model_dump(mode="json")), ensure_ascii=False, separators=(",", ":"))


def _sorted_dict(value: Any) -> Any:
    """Free-form mappings (group, roles, meta, summary) with sorted keys, so insertion order never shows."""
    if isinstance(value, dict):
        return {k: _sorted_dict(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_dict(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


_NESTED = (dict, list, tuple)


def _sorted_keys(value: Any) -> bool:
    """Whether every mapping in `value` has its keys in order already (as `_sorted_dict` puts them)."""
    if isinstance(value, dict):
        keys = list(value)
        return keys == sorted(keys) and all(_sorted_keys(v) for v in value.values() if isinstance(v, _NESTED))
    if isinstance(value, (list, tuple)):
        return all(_sorted_keys(v) for v in value if isinstance(v, _NESTED))
    return True


def consistency_document(index: Index) -> dict[str, Any]:
    """The document `consistency.json` holds; its long lists are iterators, made as they are written."""
    report = index.report
    articles = index.sorted_articles
    findings = index.sorted_findings
    return {
        "version": FORMAT_VERSION,
        "summary": _sorted_dict(index.summary),
        "findings": Listing(index.rendering("json"), findings, lambda n: _finding_record(findings[n], index)),
        "rules": [r.model_dump(mode="json") for r in report.rules],
        "articles": Records(articles, frozenset({"text"})) if all(_sorted_keys(a.meta) for a in articles) else
        (_article_record(article) for article in articles),
        "relations": Records(report.relations),
        "errors": list(report.errors),
    }


_RECORD_FIELDS = tuple(name for name in Finding.model_fields if name not in UNREPORTED_FINDING_KEYS)
_RECORD_VALUES = operator.attrgetter(*_RECORD_FIELDS)
_PLAIN = (str, int, float, bool, type(None))


def _finding_record(finding: Finding, index: Index) -> dict[str, Any]:
    if all(type(v) in _PLAIN for v in finding.group.values()):
        # straight off the fields (a third of `model_dump`'s time): every other field is text, numbers, or
        # tuples of them, which the encoder writes as `model_dump(mode="json")` would
        record = dict(zip(_RECORD_FIELDS, _RECORD_VALUES(finding)))
    else:
        record = finding.model_dump(mode="json", exclude=UNREPORTED_FINDING_KEYS)
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
    return index.fact_chunks("jsonl", _jsonl_line)


def _jsonl_line(fact: Fact) -> str:
    return fact_line(fact) + "\n"


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
    yield _CSV.writerow(FACT_COLUMNS)
    yield from index.fact_chunks("csv", _csv_line)


_CSV = csv.writer(_Echo(), lineterminator="\n")


def _csv_line(fact: Fact) -> str:
    return _CSV.writerow(_csv_row(fact))


def fact_texts(facts: Iterable[Fact]) -> tuple[str, str]:
    """One article's facts as `facts.jsonl` and `facts.csv` (no header) render them, in report order."""
    ordered = sorted(facts, key=fact_order)
    return "".join(map(_jsonl_line, ordered)), "".join(map(_csv_line, ordered))
