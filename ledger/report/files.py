"""Writing the reports folder atomically, and reading a report back for `ledger report`."""

from __future__ import annotations

import json
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ledger.errors import LedgerError
from ledger.forked import can_fork, forked
from ledger.model import Article, Fact, Finding, Relation, Report, RuleInfo, gc_paused, held_facts
from ledger.report.common import Ahead, Index, StoredFacts
from ledger.report.data import COMPUTED_FINDING_KEYS, FORMAT_VERSION
from ledger.report.registry import SURROGATES_AS_FFFD, formatter
from ledger.report.reuse import Reuse, Span

REPORT_FILES: dict[str, str] = {
    "consistency.json": "json",
    "consistency.md": "markdown",
    "index.html": "html",
    "ledger.sarif": "sarif",
    "junit.xml": "junit",
    "facts.jsonl": "jsonl",
    "facts.csv": "csv",
}
"""File name -> formatter name: everything `ledger check` writes into the reports folder."""

RERENDERED_FILES: tuple[str, ...] = ("consistency.md", "index.html", "ledger.sarif", "junit.xml")
"""What `ledger report` rewrites from `consistency.json` and `facts.jsonl`."""


def write_reports(report: Report, out_dir: Path, files: Iterable[str] | None = None,
                  stored: StoredFacts | None = None, ahead: Ahead | None = None, reuse: Reuse | None = None,
                  index: Index | None = None) -> list[Path]:
    """Render every report (or the named files), then write each atomically; returns the paths written.
    `stored` gives the facts of articles as they were rendered when extracted (`Extraction.stored_texts`);
    `ahead`, what was worked out per finding ahead of the reports (`build_report`); `reuse`, the store rows of
    the findings, to copy their text from the last run's reports and note where it lands this time. Or `index`:
    an `Index` of the report made with those, to render from (and to render the terminal's text from after).

    All formats are rendered (each into a temporary file beside its target) before any report is replaced,
    so a formatter that raises leaves the previous reports as they were; then each is renamed over the old one.
    """
    names = list(REPORT_FILES) if files is None else list(files)
    unknown = [n for n in names if n not in REPORT_FILES]
    if unknown:
        raise LedgerError(f"unknown report file {unknown[0]!r} (known: {', '.join(REPORT_FILES)})")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LedgerError(f"cannot create the reports folder: {e.strerror or e}", str(out_dir)) from None
    if not out_dir.is_dir():
        raise LedgerError("the reports folder is not a folder", str(out_dir))
    # Each format streams into a temporary file beside its target (so a million facts never hold a rendered
    # report in memory); only when all are written are they renamed over the old reports, so a formatter that
    # raises leaves the previous reports untouched. One Index serves every format.
    if index is None:
        index = Index(report, stored, ahead, reuse)
    reuse = index.reuse
    if reuse is not None:
        reuse.begin(report, out_dir, {REPORT_FILES[n]: n for n in names})

    def rendered(name: str) -> Iterable[str | bytes]:
        chunks = formatter(REPORT_FILES[name])(index)
        return chunks if reuse is None else reuse.positioned(REPORT_FILES[name], chunks)

    staged: list[tuple[str, Path]] = []
    try:
        # No cyclic collection while the formats render: they allocate millions of short-lived objects and
        # make no cycles, and each full collection would walk every object of the report (unless
        # `pipeline.settle` froze them, which a report read back by `ledger report` is not). Kept: what the
        # rendering left is frozen, not scanned once it resumes (0.37 s at a million facts).
        with gc_paused(kept=True):
            held = _held(report)
            # started first: it has the second core to itself while this process orders the findings
            spawn, keys = _spawnable(index, names) if held > HELPER_UP_TO else ([], [])
            mine, theirs = _shares([n for n in names if n not in spawn], held, index.stored is not None)
            with _spawned(index, out_dir, spawn, keys, staged), _helper(index, out_dir, theirs, staged, rendered), \
                    Syncing() as syncing:
                for name in mine:
                    staged.append((_staged_write(out_dir / name, rendered(name), syncing), out_dir / name))
            staged.sort(key=lambda item: names.index(item[1].name))
        written = []
        noted: dict[str, os.stat_result] = {}  # each file as this run wrote it (a rename keeps it)
        for temporary, path in staged:
            try:
                if reuse is not None:
                    noted[path.name] = os.stat(temporary)
                os.replace(temporary, path)
            except OSError as e:
                raise LedgerError(f"cannot write: {e.strerror or e}", str(path)) from None
            written.append(path)
        staged = []
        if reuse is not None:
            reuse.save(noted)
        return written
    finally:
        if reuse is not None:
            reuse.close()
        for temporary, _ in staged:
            _remove(temporary)


COST = {"html": 11, "json": 10, "markdown": 9, "jsonl": 8, "csv": 7, "sarif": 6, "junit": 6}
"""Each format's share of the rendering time (measured on 93k facts), to split them evenly between two processes."""
STORED_COST = {"jsonl": 2, "csv": 2}
"""...when the facts' text is joined from the store (`write_reports(stored=...)`)."""
HELPER_ABOVE = 20_000
"""With more facts and findings than this, a second process renders about half the formats: they are
independent, and a large report takes seconds per format."""
HELPER_UP_TO = 300_000
"""...but above this much held in memory, counting a finding twice (its places, message and work make it twice
a fact's size), only the formats that read few of them (`CAPPED`, `FROM_STORE`): a helper rendering the others
ends up with a private copy of most of the heap (reading an object writes its reference count), which at a
million facts took the run from 2.0 GB to 3.6 GB, and a re-run holding 250,000 findings but few facts from
1.3 GB to 2.1 GB.

Above it, a process started afresh also stages `facts.jsonl` and `facts.csv` (`_spawnable`), copied from
the last run's files or joined from the store, started before this process orders the findings: at a first run
of 999k facts the reports took 29.2 -> 27.8 s, for 36 MB more at the peak; a 1.0M re-run's 7.0-7.2 s -> 6.1-6.5 s
(three runs each), the forked helper left with Markdown, HTML and SARIF."""


LIGHT_HELPER_UP_TO = 750_000
"""...and none above this much held: even a helper that reads few findings copies the pages it allocates into
(freed pages of this process's heap), and a large heap has many. Measured at 926k facts: a re-run holding
635,000 (137,000 facts read and 249,000 findings) went to 1.8–1.9 GB in all with the helper; a first run
holding 1.4 million went from 1.96 to 2.8 GB."""


def _held(report: Report) -> int:
    """The facts and findings a report holds in memory, as `HELPER_UP_TO` counts them: facts read on demand count
    once read."""
    return held_facts(report.facts) + 2 * len(report.findings)


CAPPED = ("consistency.md", "index.html")
"""The formats that detail a capped number of findings (`Index.shown_findings`)."""
FROM_STORE = ("facts.jsonl", "facts.csv")
"""...and those joined from the store's text when it has it: neither reads every finding or fact."""
LIGHT = CAPPED + ("ledger.sarif",)
"""...and SARIF, which reads every finding (as the helper does anyway, to count them for Markdown and HTML) but
keeps nothing of them: what a helper above `HELPER_UP_TO` may render."""
LIGHT_COST = {"json": 23, "junit": 24, "markdown": 14, "html": 16, "sarif": 8, "jsonl": 13, "csv": 7}
"""The formats' shares of the time then (re-runs of 1.0M facts, kept findings' text copied, facts' text copied or
joined from the store: facts.jsonl is 1.8 times facts.csv's size)."""


def _shares(names: list[str], size: int, stored: bool = False) -> tuple[list[str], list[str]]:
    """(the formats this process renders, those a forked helper renders); `stored`: the facts' text is joined
    from the store, which makes `facts.jsonl` and `facts.csv` cheap. Above `HELPER_UP_TO` the helper takes only
    formats that keep nothing per finding or fact (`LIGHT`, and `FROM_STORE` when `stored`): it then copies
    little of the heap; above `LIGHT_HELPER_UP_TO`, there is no helper."""
    if not HELPER_ABOVE < size <= LIGHT_HELPER_UP_TO or len(names) < 2 or not can_fork():
        return names, []
    if size > HELPER_UP_TO:
        light = LIGHT + (FROM_STORE if stored else ())
        mine, theirs = _balanced([n for n in names if n in light], LIGHT_COST, [n for n in names if n not in light])
        return (mine, theirs) if theirs and mine else (names, [])
    return _balanced(names, {**COST, **(STORED_COST if stored else {})})


def _balanced(names: list[str], cost: dict[str, int], mine: list[str] | None = None) -> tuple[list[str], list[str]]:
    """`names` shared out, the costliest first, each to whichever of this process (already given `mine`) and the
    helper has less to do; each share in the order of `REPORT_FILES`."""
    mine = list(mine or [])
    theirs: list[str] = []
    for name in sorted(names, key=lambda n: (-cost.get(REPORT_FILES[n], 1), n)):
        load_mine = sum(cost.get(REPORT_FILES[n], 1) for n in mine)
        load_theirs = sum(cost.get(REPORT_FILES[n], 1) for n in theirs)
        (mine if load_mine <= load_theirs else theirs).append(name)
    order = {n: k for k, n in enumerate(REPORT_FILES)}
    return sorted(mine, key=order.__getitem__), sorted(theirs, key=order.__getitem__)


def _spawnable(index: Index, names: list[str]) -> tuple[list[str], list[str]]:
    """Of `names`, those a spawned process can join from the store whole (`ledger.report.spawned`), and the keys
    of the articles in report order: when the facts' text of every article is stored and every fact is of a listed
    article; none when nothing else is left."""
    spawn = [n for n in names if n in FROM_STORE]
    stored = index.stored
    if not spawn or len(spawn) == len(names) or not isinstance(getattr(stored, "store", None), Path) \
            or index.unlisted_facts:
        return [], []
    keys = [stored.key(a.id) for a in index.sorted_articles]  # type: ignore[union-attr]
    return (spawn, keys) if None not in keys else ([], [])


def _spawned(index: Index, out_dir: Path, names: list[str], keys: list[str], staged: list[tuple[str, Path]]) -> Any:
    """`ledger.report.spawned.spawned` for these formats, while the block runs (nothing to do for none)."""
    if not names:
        return nullcontext()
    from ledger.report.spawned import spawned

    reuse = index.reuse
    return spawned(index.stored.store, keys, out_dir, {n: REPORT_FILES[n] for n in names},  # type: ignore[union-attr]
                   None if reuse is None else reuse.notes, staged, None if reuse is None else reuse.adopt)


@contextmanager
def _helper(index: Index, out_dir: Path, names: list[str], staged: list[tuple[str, Path]],
            rendered: Callable[[str], Iterable[str | bytes]]) -> Iterator[None]:
    """Render `names` into staged files in a forked child while the body runs (`ledger.forked`); when the child
    has finished, add the files it wrote to `staged` (even when the body raised, so they are cleaned up)."""
    if not names:
        yield
        return
    # Before the fork, the order (which locates every finding) and, in the same pass over the findings, their
    # counts: both processes use them (counted in each, 0.45 s apiece at 280,000 findings). The rest (the findings
    # shown) the helper works out itself meanwhile: what it reads of every finding, this process reads too as it
    # renders the formats that list them all, so those pages are copied once either way (the helper owns the
    # original once this process has written its copy); worked out here first, they took 1.4-1.9 s before either
    # process could start (926k facts).
    index.sorted_findings

    def render() -> bytes:
        written: list[tuple[str, str]] = []
        try:
            with Syncing() as syncing:
                for name in names:
                    written.append((name, _staged_write(out_dir / name, rendered(name), syncing)))
        except BaseException:
            for _, temporary in written:
                _remove(temporary)
            raise
        # and where the findings landed in them, for the next run (`ledger.report.reuse`)
        notes = b"" if index.reuse is None else index.reuse.export(REPORT_FILES[name] for name in names)
        return json.dumps(written).encode() + b"\n" + notes

    child = None
    try:
        with forked(render) as child:
            yield
    finally:
        if child is not None and child.output is not None:
            listed, _, notes = child.output.partition(b"\n")
            staged.extend((temporary, out_dir / name) for name, temporary in json.loads(listed))
            if notes and index.reuse is not None:
                index.reuse.adopt(notes)


def atomic_write(path: Path, text: str) -> None:
    """UTF-8 with `\\n` newlines (lone surrogates as U+FFFD), to a temporary file in the same folder, then
    renamed over `path`."""
    temporary = _staged_write(path, [text])
    try:
        os.replace(temporary, path)
    except OSError as e:
        _remove(temporary)
        raise LedgerError(f"cannot write: {e.strerror or e}", str(path)) from None


def _staged_write(path: Path, chunks: Iterable[str | bytes | Span], syncing: Syncing | None = None) -> str:
    """The chunks in a new temporary file beside `path` (UTF-8, `\\n` newlines, fsynced); returns its name. A
    chunk given as bytes is UTF-8 already (an article's facts as the store keeps them) and is written as it is; a
    `Span` is copied from the last run's file. With `syncing`, the last blocks and the fsync are left to finish
    while the caller goes on (`Syncing.wait` before the file is used)."""
    folder = path.parent
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise LedgerError(f"cannot write into the reports folder: {e.strerror or e}", str(folder)) from None
    out = _Writer(fd, temporary, path)
    try:
        pending: list[bytes] = []
        size = 0
        for chunk in chunks:
            if type(chunk) is Span:  # copied by the writing thread, after what came before it
                out.put(b"".join(pending))
                out.put(chunk)
                pending.clear()
                size = 0
                continue
            data = chunk if type(chunk) is bytes else chunk.encode("utf-8", SURROGATES_AS_FFFD)
            pending.append(data)
            size += len(data)
            if size >= _BLOCK:
                out.put(b"".join(pending))
                pending.clear()
                size = 0
        out.put(b"".join(pending))
        out.end()
        os.chmod(temporary, 0o644)
    except OSError as e:
        out.finish(quiet=True)
        _remove(temporary)
        raise LedgerError(f"cannot write: {e.strerror or e}", str(path)) from None
    except BaseException:
        out.finish(quiet=True)
        _remove(temporary)
        raise
    if syncing is None:
        out.finish()
    else:
        syncing.writers.append(out)
    return temporary


_BLOCK = 1 << 20
"""Bytes handed to the writing thread at a time."""


class _Writer:
    """Writes blocks to a staged file's descriptor, then fsyncs and closes it, in a thread: the kernel's copying
    and the disk's wait overlap the rendering of what comes next."""

    def __init__(self, fd: int, temporary: str, path: Path) -> None:
        self.fd, self.temporary, self.path = fd, temporary, path
        self.blocks: queue.Queue[bytes | Span | None] = queue.Queue(maxsize=8)
        self.error: OSError | LedgerError | None = None
        self.ended = False
        self.thread = threading.Thread(target=self._run, name="ledger-report-writer", daemon=True)
        self.thread.start()

    def put(self, block: bytes | Span) -> None:
        if self.error is not None:
            raise self.error
        self.blocks.put(block)

    def end(self) -> None:
        """No more blocks: the thread writes what it has, then fsyncs."""
        if not self.ended:
            self.ended = True
            self.blocks.put(None)

    def _run(self) -> None:
        block: bytes | Span | None = b""
        try:
            while (block := self.blocks.get()) is not None:
                if type(block) is Span:
                    block.copy_to(self.fd)
                    continue
                view = memoryview(block)
                while view:
                    view = view[os.write(self.fd, view):]
            os.fsync(self.fd)
        except (OSError, LedgerError) as e:
            self.error = e
            while block is not None:  # drained to the end, so that `put` never waits for good
                block = self.blocks.get()

    def finish(self, quiet: bool = False) -> None:
        """Wait for the thread and close the file; its error raised (naming the file, which is removed), unless
        `quiet` (the caller is raising already)."""
        self.end()
        self.thread.join()
        os.close(self.fd)
        if self.error is not None and not quiet:
            _remove(self.temporary)
            if isinstance(self.error, LedgerError):
                raise self.error
            raise LedgerError(f"cannot write: {self.error.strerror or self.error}", str(self.path)) from None


class Syncing:
    """Staged files whose writing threads are still finishing (`_staged_write(syncing=...)`): each file's wait for
    the disk overlaps the rendering of the next instead of holding it up. As a context: on leaving, every file is
    written and synced; the first error is raised (when nothing else is being raised)."""

    def __init__(self) -> None:
        self.writers: list[_Writer] = []

    def __enter__(self) -> Syncing:
        return self

    def wait(self, quiet: bool = False) -> None:
        writers, self.writers = self.writers, []
        error: LedgerError | None = None
        for writer in writers:
            try:
                writer.finish(quiet=quiet or error is not None)
            except LedgerError as e:
                error = e
        if error is not None:
            raise error

    def __exit__(self, *exc: object) -> None:
        self.wait(quiet=exc[0] is not None)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LedgerError("not found: run `ledger check` first to write the reports", str(path)) from None
    except OSError as e:
        raise LedgerError(f"cannot read: {e.strerror or e}", str(path)) from None
    except UnicodeDecodeError as e:
        raise LedgerError(f"not UTF-8 text (byte {e.start})", str(path)) from None
    except json.JSONDecodeError as e:
        raise LedgerError(f"not valid JSON: {e.msg}", str(path), e.lineno, e.colno) from None


def _model(cls: type, data: Any, path: Path, where: str) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise LedgerError(f"{where}{'.' + loc if loc else ''}: {first['msg']}", str(path)) from None


def load_report(out_dir: Path, articles_root: Path | None = None) -> Report:
    """The report in `consistency.json` and `facts.jsonl`, with article texts re-read from their paths.

    Paths in the report are relative to where `ledger check` ran; `articles_root` (default: the current
    folder) says where that was. An article whose file is gone, or whose text no longer holds its facts,
    keeps an empty text: the HTML then shows its figures without the text around them.
    """
    out_dir = Path(out_dir)
    path = out_dir / "consistency.json"
    document = _read_json(path)
    if not isinstance(document, dict):
        raise LedgerError("expected a JSON object", str(path))
    version = document.get("version")
    if version != FORMAT_VERSION:
        raise LedgerError(f"unsupported report version {version!r} (this ledger reads version {FORMAT_VERSION})", str(path))
    for key in ("findings", "rules", "articles"):
        if not isinstance(document.get(key, []), list):
            raise LedgerError(f"'{key}' must be a list", str(path))

    findings = []
    for n, record in enumerate(document.get("findings", [])):
        if isinstance(record, dict):
            record = {k: v for k, v in record.items() if k not in COMPUTED_FINDING_KEYS}
        findings.append(_model(Finding, record, path, f"findings.{n}"))
    rules = [_model(RuleInfo, r, path, f"rules.{n}") for n, r in enumerate(document.get("rules", []))]
    relations = [_model(Relation, r, path, f"relations.{n}") for n, r in enumerate(document.get("relations", []))]
    errors = document.get("errors", [])
    if not isinstance(errors, list) or not all(isinstance(x, str) for x in errors):
        raise LedgerError("'errors' must be a list of strings", str(path))
    summary = document.get("summary", {})
    if not isinstance(summary, dict):
        raise LedgerError("'summary' must be an object", str(path))

    facts = _load_facts(out_dir / "facts.jsonl")
    by_article: dict[str, list[Fact]] = {}
    for fact in facts:
        by_article.setdefault(fact.article, []).append(fact)
    texts = _ArticleTexts(articles_root)
    articles = []
    for n, record in enumerate(document.get("articles", [])):
        if not isinstance(record, dict):
            raise LedgerError(f"articles.{n}: expected an object", str(path))
        record = {**record, "text": record.get("text", "")}
        article = _model(Article, record, path, f"articles.{n}")
        if not article.text:
            text = texts.get(article)
            if text is not None and all(text[f.start:f.end] == f.surface for f in by_article.get(article.id, [])):
                article = article.model_copy(update={"text": text})
        articles.append(article)
    return Report(version=version, summary=summary, findings=tuple(findings), rules=tuple(rules),
                  articles=tuple(articles), facts=tuple(facts), relations=tuple(relations), errors=tuple(errors))


def _load_facts(path: Path) -> list[Fact]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LedgerError("not found: run `ledger check` first to write the reports", str(path)) from None
    except OSError as e:
        raise LedgerError(f"cannot read: {e.strerror or e}", str(path)) from None
    except UnicodeDecodeError as e:
        raise LedgerError(f"not UTF-8 text (byte {e.start})", str(path)) from None
    facts = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise LedgerError(f"not valid JSON: {e.msg}", str(path), number, e.colno) from None
        try:
            facts.append(Fact.model_validate(record))
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise LedgerError(f"{loc}: {first['msg']}" if loc else first["msg"], str(path), number) from None
    return facts


class _ArticleTexts:
    """Article texts read again from their files, each file read once (a .jsonl archive holds many)."""

    def __init__(self, root: Path | None):
        self.root = root
        self.cache: dict[str, dict[int, str]] = {}

    def get(self, article: Article) -> str | None:
        """Matched by position, not id: ids may have been derived from the path `ledger check` was given."""
        if article.path not in self.cache:
            self.cache[article.path] = self._read(article.path)
        texts = self.cache[article.path]
        if article.path.lower().endswith(".jsonl"):
            return texts.get(article.line_offset)
        return next(iter(texts.values()), None)

    def _read(self, name: str) -> dict[int, str]:
        from ledger.articles import ReadResult, read_jsonl_archive, read_text_article

        file = Path(name) if self.root is None or Path(name).is_absolute() else self.root / name
        if not file.is_file():
            return {}
        result = ReadResult()
        reader = read_jsonl_archive if file.suffix.lower() == ".jsonl" else read_text_article
        try:
            reader(file, Path(name).name, result)
        except Exception:  # a text we cannot read again only costs the HTML its context, never the report
            return {}
        return {a.line_offset: a.text for a in result.articles}
