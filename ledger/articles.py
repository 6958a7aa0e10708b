"""Reading articles: `.txt` / `.md` files with optional YAML front matter, and `.jsonl` archives.

A bad article never stops the run: `read_articles` yields what it could read and reports each
problem as a one-line `LedgerError` naming the file (and line), so the caller can skip it.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic_core import from_json

from ledger.errors import LedgerError
from ledger.model import Article, checked
from ledger.yamltext import load as load_yaml

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl")
KNOWN_KEYS = ("id", "title", "outlet", "published", "url")
MAX_ARTICLE_BYTES = 16 * 1024 * 1024
"""No news article is this long; a larger .txt/.md file is named and skipped (archives are read line by line)."""
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    warnings: list[LedgerError] = field(default_factory=list)


def decode(data: bytes, path: str, warnings: list[LedgerError]) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else cp1252/Latin-1 with a warning."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as e:
                raise LedgerError(f"not valid {codec} text despite its byte-order mark (byte {e.start})", path) from None
            if codec != "utf-8-sig":
                warnings.append(LedgerError(f"decoded as {codec.upper()} (byte-order mark)", path))
            return _reject_binary(text, path)
    try:
        return _reject_binary(data.decode("utf-8"), path)
    except UnicodeDecodeError as e:
        first_bad = e.start
    if b"\x00" in data:
        raise LedgerError("binary file (NUL bytes), not an article", path)
    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        line = data.count(b"\n", 0, first_bad) + 1
        warnings.append(LedgerError(f"not UTF-8 (first bad byte at line {line}); decoded as {codec}", path))
        return _reject_binary(text, path)
    raise LedgerError("could not decode text", path)  # latin-1 decodes everything; kept for clarity


def _reject_binary(text: str, path: str) -> str:
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise LedgerError("binary file (NUL character), not an article", path, line)
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if control > 8 and control > len(text[:4096]) // 50:
        raise LedgerError("binary file (control characters), not an article", path)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, lines before the body). A file that does not open with `---` has none."""
    if not (text.startswith("---\n") or text == "---"):
        return {}, text, 0
    close = _find_closing_fence(text)
    if close is None:
        raise LedgerError("front matter opened with '---' on line 1 is never closed", path, 1, 1)
    block_end, body_start = close
    raw = text[4:block_end]
    try:
        _reject_aliases(raw, path)
        data = load_yaml(raw) if raw.strip() else {}
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 2, mark.column + 1) if mark else (None, None)
        problem = (e.problem or e.context or "invalid YAML").strip()
        raise LedgerError(f"broken front matter: {problem}", path, line, col) from None
    except yaml.YAMLError as e:
        raise LedgerError(f"broken front matter: {str(e).splitlines()[0]}", path, 2) from None
    except RecursionError:
        raise LedgerError("broken front matter: nested too deeply", path, 2) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LedgerError(f"front matter must be a mapping of keys to values, not {type(data).__name__}", path, 2, 1)
    lines_before = text.count("\n", 0, body_start)
    return data, text[body_start:], lines_before


MAX_FRONT_MATTER_DEPTH = 32


def _reject_aliases(raw: str, path: str) -> None:
    """Front matter is a few plain keys; aliases or deep nesting there are only ever a bomb."""
    depth = deepest = 0
    for ch in raw:  # PyYAML's parser takes seconds on thousands of nested brackets: refuse them first
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    if deepest > MAX_FRONT_MATTER_DEPTH:
        raise LedgerError(f"front matter nests more than {MAX_FRONT_MATTER_DEPTH} levels deep", path, 2, 1)
    for event in yaml.parse(raw, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise LedgerError("front matter may not use YAML aliases (*name)", path, mark.line + 2, mark.column + 1)


def _find_closing_fence(text: str) -> tuple[int, int] | None:
    pos = 4
    while True:
        nl = text.find("\n---", pos - 1)
        if nl < 0:
            return None
        after = nl + 4
        rest_of_line = text[after:text.find("\n", after) if text.find("\n", after) >= 0 else len(text)]
        if rest_of_line.strip() == "":
            body_start = text.find("\n", after)
            return nl + 1, (body_start + 1 if body_start >= 0 else len(text))
        pos = after + 1


def _as_date(value: Any, path: str, line: int | None = None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise LedgerError(f"'published' must be a date like 2022-12-22, not {value!r}", path, line)


def make_article(meta: dict[str, Any], text: str, article_id: str, path: str, line_offset: int,
                 line: int | None = None) -> Article:
    meta = {str(k): v for k, v in meta.items()}
    given_id = meta.pop("id", None)
    if given_id is not None and not isinstance(given_id, (str, int)):
        raise LedgerError(f"'id' must be a string, not {type(given_id).__name__}", path, line)
    fields: dict[str, Any] = {}
    for key in ("title", "outlet", "url"):
        value = meta.pop(key, None)
        fields[key] = None if value is None else str(value)
    published = _as_date(meta.pop("published", None), path, line)
    # every value is of its field's type by now: the record is made without validating them again (a third of
    # reading a 49,000-article archive), sharing one record of set fields (pydantic gives each its own, 36 MB)
    return checked(Article, {"id": str(given_id) if given_id not in (None, "") else article_id, "path": path,
                             "text": text, "title": fields["title"], "outlet": fields["outlet"], "published": published,
                             "url": fields["url"], "meta": _jsonable(meta), "line_offset": line_offset})


def _jsonable(value: Any) -> Any:
    """Front-matter values as JSON-friendly data (dates become ISO strings), so reports serialise."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def read_text_article(file: Path, rel: str, result: ReadResult) -> None:
    """`rel` (the path relative to the argument) is the default id; errors name the path as given."""
    path = file.as_posix()
    try:
        data = _read_bytes(file, path)
        text = decode(data, path, result.warnings)
        meta, body, offset = split_front_matter(text, path)
        result.articles.append(make_article(meta, body, rel, path, offset, 2 if meta else None))
    except LedgerError as e:
        result.errors.append(e)


def read_jsonl_archive(file: Path, rel: str, result: ReadResult) -> None:
    """One article per line, read line by line so an archive may be far larger than memory."""
    path, name = file.as_posix(), rel
    try:
        handle = file.open("rb")
    except OSError as e:
        result.errors.append(LedgerError(f"cannot read: {e.strerror or e}", path))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                result.articles.append(_jsonl_article(raw, number, name, path, result.warnings))
            except LedgerError as e:
                result.errors.append(e)


def _jsonl_article(raw: bytes, number: int, name: str, path: str, warnings: list[LedgerError]) -> Article:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise LedgerError(f"line too long to be an article ({len(raw):,} bytes); line skipped", path, number)
    if number == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        line = raw.decode("cp1252", errors="replace")
        warnings.append(LedgerError("line is not UTF-8; decoded as cp1252", path, number))
    try:  # pydantic-core's parser, twice as fast; what it refuses, the standard one judges (and names)
        record = from_json(line)
    except ValueError:
        record = None
    try:
        record = json.loads(line) if record is None else record
    except json.JSONDecodeError as e:
        raise LedgerError(f"not valid JSON: {e.msg}; line skipped", path, number, e.colno) from None
    except RecursionError:
        raise LedgerError("not valid JSON: nested too deeply; line skipped", path, number) from None
    if not isinstance(record, dict):
        raise LedgerError(f"each line must be a JSON object, not {type(record).__name__}; line skipped", path, number)
    body = record.pop("text", None)
    if not isinstance(body, str):
        raise LedgerError("each line needs a 'text' string; line skipped", path, number)
    if "\x00" in body:
        raise LedgerError("'text' contains NUL characters; line skipped", path, number)
    # JSON may escape half a surrogate pair (\ud800); such text cannot be written out as UTF-8. Only such an
    # escape makes one: other lines are not searched (dumping each record to search it took 0.3 s per 45,000).
    rest = json.dumps(record, ensure_ascii=False) if SURROGATE_ESCAPE.search(line) else ""
    if rest and (LONE_SURROGATE.search(body) or LONE_SURROGATE.search(rest)):
        warnings.append(LedgerError("lone surrogate escapes replaced with U+FFFD", path, number))
        body = LONE_SURROGATE.sub("\ufffd", body)
        record = json.loads(LONE_SURROGATE.sub("\ufffd", rest))
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return make_article(record, body, f"{name}#{number}", path, number - 1, number)


def _read_bytes(file: Path, rel: str) -> bytes:
    try:
        size = file.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise LedgerError(f"too large to be an article ({size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,})", rel)
        return file.read_bytes()
    except OSError as e:
        raise LedgerError(f"cannot read: {e.strerror or e}", rel) from None


def iter_article_files(paths: list[str | Path], result: ReadResult) -> Iterator[tuple[Path, str]]:
    """(file, name relative to its argument), directories walked recursively in sorted order."""
    for arg in paths:
        root = Path(arg)
        if root.is_dir():
            yield from _walk(root, root, result, set())
        elif root.is_file():
            yield root, root.name
        elif root.exists():
            result.errors.append(LedgerError("not a regular file or folder", str(arg)))
        else:
            result.errors.append(LedgerError("no such file or folder", str(arg)))


def _walk(root: Path, folder: Path, result: ReadResult, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str]]:
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:
            result.errors.append(LedgerError("symbolic link loop; folder skipped", folder.as_posix()))
            return
        seen = seen | {key}
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        result.errors.append(LedgerError(f"cannot read folder: {e.strerror or e}", folder.as_posix()))
        return
    others: list[str] = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(root, path, result, seen)
        elif path.suffix.lower() in ARTICLE_SUFFIXES:
            yield path, path.relative_to(root).as_posix() if root != path else path.name
        else:
            others.append(entry.name)
    if others:  # an archive saved as .html or .docx would otherwise vanish without a word
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        result.warnings.append(LedgerError(
            f"{len(others)} file{'s' if len(others) > 1 else ''} not read ({shown}): articles are "
            f"{', '.join(ARTICLE_SUFFIXES[:-1])} or {ARTICLE_SUFFIXES[-1]} files", folder.as_posix()))


def read_articles(paths: list[str | Path]) -> ReadResult:
    """Every article under `paths`; problems are collected in `errors`, never raised."""
    result = ReadResult()
    for file, rel in iter_article_files(paths, result):
        if file.suffix.lower() == ".jsonl":
            read_jsonl_archive(file, rel, result)
        else:
            read_text_article(file, rel, result)
    _reject_duplicate_ids(result)
    return result


def _reject_duplicate_ids(result: ReadResult) -> None:
    seen: dict[str, str] = {}
    kept: list[Article] = []
    for article in result.articles:
        if article.id in seen:
            result.errors.append(LedgerError(
                f"duplicate article id {article.id!r} (first in {seen[article.id]}); article skipped", article.path,
                article.line_offset + 1 if article.path.endswith(".jsonl") else None))
            continue
        seen[article.id] = article.path
        kept.append(article)
    result.articles = kept
