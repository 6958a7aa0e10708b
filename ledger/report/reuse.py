"""A re-run copies, from the reports the last run wrote, the text of every finding it kept.

On a re-run of a large archive almost every finding comes from the ledger store unchanged (`ledger.checks.cache`):
read from the same store row, it renders to the same bytes as last time in `consistency.json`, `ledger.sarif` and
`junit.xml` (the reports that list every finding: 10 s of a re-run of a million facts), and in the sections of
`consistency.md` and `index.html` that detail it. So after the reports are written, the run notes beside the store
where each finding's text stands in them, by the store row it came from and its place in that row
(`ledger.origins`); the next run copies that text from the previous file instead of rendering the finding, when
the file is still the one written then (size, modification time, inode) and nothing else the text depends on has
changed: ledger's code, the rules, and what the format names as its context (`Index.rendering`). The bytes are
those rendering would give, so the reports stay deterministic. Likewise each article's lines in `facts.jsonl` and
`facts.csv`, by the article's key in the store: an unchanged article's are copied from the last run's file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ledger.errors import LedgerError
from ledger.model import Finding, Report
from ledger.origins import KEY_BYTES, ORIGIN, Origins, origin
from ledger.report.registry import SURROGATES_AS_FFFD

MAGIC = b"ledger report offsets 2\n"
_RUN_MAX = 1 << 22
"""Bytes copied at once, at most."""
_SPAN_MAX = 1 << 30
"""Bytes of articles' text copied at once, at most."""
_BETWEEN_MAX = 256
"""What a format writes between two findings copied as one read, at most (separators, a section's start)."""
LAYOUT = (("q", 8), ("I", 4), ("b", 1))
"""Per format, three arrays over the slots: offset (-1: not in the file), length and mode of the finding's text."""


class Copied(NamedTuple):
    """A finding's text to copy from the last run's file (its place `old` in the notes), at its `slot`."""

    slot: int
    old: int
    mode: int = 0


class CopiedRun(NamedTuple):
    """Findings whose text is copied from one stretch of the last run's file, where each two stood `between` apart
    (`Rendering.pieces`): their slots, and their places in the notes."""

    slots: list[int]
    olds: list[int]
    between: bytes


UNNOTED = -1
"""The mode of a finding whose text is rendered every time and never noted (`Rendering.pieces`)."""


class ArticleText(NamedTuple):
    """An article's facts as `facts.jsonl` or `facts.csv` renders them (UTF-8, as the store keeps them under the
    article's `key`), so that where it lands is noted."""

    key: str
    data: bytes


class ArticleCopy(NamedTuple):
    """An article's facts whose text the last run's file holds under the same key (`Texts.copyable`)."""

    key: str


class Span(NamedTuple):
    """A stretch of the last run's file, copied by the kernel into the staged file (`ledger.report.files`): a
    re-run's facts are mostly those of the last run, hundreds of megabytes at a million facts."""

    file: BinaryIO
    offset: int
    length: int

    def copy_to(self, fd: int) -> None:
        """Append the stretch to `fd` at its position."""
        source = self.file.fileno()
        offset, left = self.offset, self.length
        while left:
            try:
                done = os.copy_file_range(source, fd, left, offset)
            except (AttributeError, OSError):  # not Linux, or not between these files: through this process
                data = os.pread(source, min(left, _RUN_MAX), offset)
                done = len(data)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            if not done:
                raise LedgerError("changed while this run copied from it: run again", self.file.name)
            offset += done
            left -= done


class Piece(NamedTuple):
    """A finding's text in one format, rendered (a string, or for JSON the value `json_chunks` writes), at its
    `slot` (`ledger.origins`); `mode`: what else the text depends on that the format tells apart (JUnit: whether
    the test case's name carries its location; Markdown: a section or a passing line)."""

    slot: int
    text: Any
    mode: int = 0


def notes_path(store: str | Path, out_dir: Path) -> Path:
    """Where the offsets of the reports in `out_dir` are noted: beside the store, one file per reports folder."""
    store = Path(store)
    folder = hashlib.sha256(str(Path(out_dir).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return store.with_name(f"{store.name}-reports-{folder}")


class Reuse:
    """The store rows this run's findings came from or went into (`ledger.origins`), and what the last run noted in
    `notes` of where its findings' text stands."""

    def __init__(self, notes: Path, origins: Origins) -> None:
        self.notes = Path(notes)
        self.origins = origins
        self.renderings: dict[str, Rendering] = {}
        self.files: dict[str, str] = {}
        self.context = ""
        self.out_dir = Path()
        self.texts: dict[str, Texts] = {}
        self._previous: dict[str, Any] = {}
        self._slots: array | None = None

    def begin(self, report: Report, out_dir: Path, files: dict[str, str]) -> None:
        """Read the last run's notes for the reports about to be written into `out_dir` (`files`: format name ->
        file name); what the report's findings' text depends on besides the findings is its rules."""
        from ledger.store import report_fingerprint

        self.out_dir = Path(out_dir)
        self.files = files
        rules = json.dumps([r.model_dump(mode="json") for r in report.rules], sort_keys=True)
        self.context = hashlib.sha256(f"{report_fingerprint()}\x00{rules}".encode("utf-8", "surrogatepass")).hexdigest()
        self._previous = _read_notes(self.notes)
        if self._previous:
            self._slots = self._previous_slots(self._previous.pop("keys"), self._previous.pop("counts"))

    def begin_texts(self, out_dir: Path, files: dict[str, str]) -> None:
        """`begin` for a process that writes only the facts' files (`ledger.report.spawned`): the last run's notes
        of where each article's text stands in them."""
        self.out_dir, self.files = Path(out_dir), files
        self._previous = {"texts": _read_notes(self.notes).get("texts", {})}

    def _previous_slots(self, keys: bytes, counts: array) -> array:
        """This run's slot -> the same finding's slot in the last run's notes, or -1."""
        # row key -> its first place (a row noted twice: its first slots), made from the last row back; the rows'
        # keys and first slots in C (`map`, `accumulate`): row by row in Python, 0.4 s for 220,000 rows
        old_keys = [keys[at:at + KEY_BYTES] for at in range(0, len(counts) * KEY_BYTES, KEY_BYTES)]
        first = dict(zip(reversed(old_keys), range(len(old_keys) - 1, -1, -1)))
        bases = list(accumulate(counts))  # each old row's end
        origins = self.origins
        noted = bytes(origins.keys)
        found = map(first.get, [noted[at:at + KEY_BYTES] for at in range(0, len(origins.counts) * KEY_BYTES, KEY_BYTES)])
        out = array("q", [-1]) * origins.size
        base = 0
        for count, row in zip(origins.counts, found):
            if row is not None and count:
                old_count = counts[row]
                old = bases[row] - old_count
                if count == 1 and old_count:
                    out[base] = old
                else:
                    size = min(count, old_count)
                    out[base:base + size] = array("q", range(old, old + size))
            base += count
        return out

    def rendering(self, fmt: str, context: str = "") -> Rendering:
        """What format `fmt` asks for each finding's text; `context`: what else that text depends on."""
        name = self.files.get(fmt)
        if name is None:  # not written here (`render`): nothing to note
            return Rendering()
        rendering = self.renderings.get(fmt)
        if rendering is None:
            previous = self._previous.get("files", {}).get(name)
            rendering = self.renderings[fmt] = Rendering(self, fmt, f"{self.context}\x00{context}")
            if previous is not None and previous["context"] == rendering.context and self._slots is not None:
                rendering.use_previous(self.out_dir / name, previous, self._slots)
        return rendering

    def article_texts(self, fmt: str) -> Texts | None:
        """Where format `fmt` notes each article's facts' text (`ArticleText`), and finds it in the last run's file
        (`ArticleCopy`); None when `fmt` is not written here."""
        name = self.files.get(fmt)
        if name is None:
            return None
        texts = self.texts.get(fmt)
        if texts is None:
            from ledger.store import render_fingerprint

            texts = self.texts[fmt] = Texts(render_fingerprint())  # the version of the text the store keeps
            previous = self._previous.get("texts", {}).get(name)
            if previous is not None and previous["context"] == texts.context:
                texts.use_previous(self.out_dir / name, previous)
        return texts

    def positioned(self, fmt: str, chunks: Iterable[Any]) -> Iterator[bytes | Span]:
        """The chunks of format `fmt` as UTF-8, with each finding's text copied (`Copied`) or rendered (`Piece`),
        and each article's facts (`ArticleText`, `ArticleCopy`: copied articles that follow one another in the last
        file as one `Span`), noting where each lands in the file."""
        chunks = iter(chunks)
        position = 0
        texts: Texts | None = None  # made as the format first asks for it (`article_texts`)
        span: tuple[int, int] | None = None  # (offset, length) in the last file: copies not yet handed on
        for chunk in chunks:
            kind = type(chunk)
            if kind is ArticleCopy:
                texts = self.texts[fmt]
                offset, length = texts.old(chunk.key)
                texts.note(chunk.key, position, length)
                position += length
                if span is not None and span[0] + span[1] == offset and span[1] < _SPAN_MAX:
                    span = (span[0], span[1] + length)
                    continue
                if span is not None:
                    yield texts.span(*span)
                span = (offset, length)
                continue
            if span is not None:
                assert texts is not None
                yield texts.span(*span)
                span = None
            if kind is Piece or kind is Copied or kind is CopiedRun:
                yield from self.renderings[fmt].positioned(chain((chunk,), chunks), position)
                return
            if kind is ArticleText:
                texts = self.texts[fmt]
                texts.note(chunk.key, position, len(chunk.data))
                data = chunk.data
            else:
                data = chunk if kind is bytes else chunk.encode("utf-8", SURROGATES_AS_FFFD)
            position += len(data)
            yield data
        if span is not None:
            assert texts is not None
            yield texts.span(*span)
        texts = self.texts.get(fmt)
        if texts is not None:
            texts.complete = True
        rendering = self.renderings.get(fmt)
        if rendering is not None:  # it listed no finding
            rendering.complete = True
            rendering.close()

    def export(self, fmts: Iterable[str]) -> bytes:
        """What `adopt` takes: where the findings and articles of these formats landed, noted in a forked
        process."""
        fmts = list(fmts)
        done = [(fmt, r) for fmt in fmts if (r := self.renderings.get(fmt)) is not None and r.complete]
        texts = [(fmt, t) for fmt in fmts if (t := self.texts.get(fmt)) is not None and t.complete]
        header = json.dumps({"findings": [[fmt, r.context] for fmt, r in done],
                             "texts": [[fmt, t.context, len(t.offsets)] for fmt, t in texts]}).encode() + b"\n"
        return header + b"".join(a.tobytes() for _, r in done for a in (r.offsets, r.lengths, r.modes)) + \
            b"".join(t.blob() for _, t in texts)

    def adopt(self, data: bytes) -> None:
        """Take over the notes of formats a forked process rendered (`export`)."""
        header, _, blob = data.partition(b"\n")
        view = memoryview(blob)
        listed = json.loads(header)
        for fmt, context in listed["findings"]:
            rendering = self.renderings[fmt] = Rendering(self, fmt, context)
            arrays = []
            for values in (rendering.offsets, rendering.lengths, rendering.modes):
                size = len(values) * values.itemsize
                arrays.append(array(values.typecode))
                arrays[-1].frombytes(view[:size])
                view = view[size:]
            rendering.offsets, rendering.lengths, rendering.modes = arrays
            rendering.complete = True
        for fmt, context, count in listed["texts"]:
            texts = self.texts[fmt] = Texts(context)
            keys, texts.offsets, texts.lengths, size = _texts_at(view, count)
            texts.keys = bytearray(keys)
            view = view[size:]
            texts.complete = True

    def save(self, written: dict[str, os.stat_result]) -> None:
        """Note where the findings' text stands in the files just written (`written`: file name -> its stat as this
        run wrote it, not as found now: another run may have replaced it meanwhile). Never raises: without notes,
        the next run renders every finding again."""
        files = {}
        arrays: list[array] = []
        text_notes: list[Texts] = []
        for fmt, rendering in sorted(self.renderings.items()):
            name = self.files[fmt]
            if not rendering.complete or name not in written:
                continue
            files[name] = {"stat": _stat(written[name]), "context": rendering.context}
            arrays += [rendering.offsets, rendering.lengths, rendering.modes]
        texts = {}
        for fmt, noted in sorted(self.texts.items()):
            name = self.files[fmt]
            if noted.complete and name in written:
                texts[name] = {"stat": _stat(written[name]), "context": noted.context, "articles": len(noted.offsets)}
                text_notes.append(noted)
        origins = self.origins
        header = json.dumps({"files": files, "texts": texts, "rows": len(origins.counts)}).encode() + b"\n"
        try:
            self.notes.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=f".{self.notes.name}.", suffix=".tmp", dir=self.notes.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as out:  # written as they are, not copied into bytes first (at the run's peak)
                out.write(MAGIC + header)
                out.write(origins.keys)
                for values in (origins.counts, *arrays):
                    values.tofile(out)
                for noted in text_notes:
                    out.write(noted.blob())
            os.replace(temporary, self.notes)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def close(self) -> None:
        for rendering in self.renderings.values():
            rendering.close()
        for texts in self.texts.values():
            texts.close()


class Rendering:
    """One format's findings: the text the last run wrote for a finding, where it can be reused, and where each
    finding's text lands this time."""

    def __init__(self, reuse: Reuse | None = None, fmt: str = "", context: str = "") -> None:
        self.reuse = reuse
        self.fmt = fmt
        self.context = context
        size = reuse.origins.size if reuse is not None else 0
        self.offsets, self.lengths, self.modes = (array(code, [empty]) * size
                                                  for (code, _), empty in zip(LAYOUT, (-1, 0, 0)))
        self.complete = False
        self._file: BinaryIO | None = None
        self._slots: array | None = None

    def use_previous(self, path: Path, noted: dict[str, Any], slots: array) -> None:
        file = _open_noted(path, noted, buffering=1 << 20)
        if file is None:
            return
        self._file, self._slots = file, slots
        self._old_offsets, self._old_lengths, self._old_modes = noted["offsets"], noted["lengths"], noted["modes"]

    def piece(self, finding: Finding, render: Callable[..., Any], *args: Any, mode: int = 0) -> Any:
        """`render(finding, *args)`; for a finding from a store row (`ledger.origins`), as a `Piece` (so where it
        lands is noted), or `Copied` when the last run's text for it can be copied."""
        slot = origin(finding)
        if slot is None or self.reuse is None:
            return render(finding, *args)
        old = self._old(slot, mode)
        if old >= 0:
            return Copied(slot, old, mode)
        return Piece(slot, render(finding, *args), mode)

    def pieces(self, findings: Sequence[Finding], render: Callable[[int], Any], modes: int | Sequence[int] = 0,
               between: bytes = b"") -> Iterator[Any]:
        """`piece` of each finding in turn (`render(n)` renders the n-th; `modes`: one for all, or each one's, where
        `UNNOTED` renders it plain), except that findings copied from one stretch of the last run's file, each two
        `between` apart there as here, come as one `CopiedRun`: a quarter of a million findings passed one by one
        through every layer that writes them, 7 µs each."""
        slots = self._slots if self.reuse is not None else None
        if slots is None:
            for n, finding in enumerate(findings):
                yield self._rendered(finding, render(n), modes if type(modes) is int else modes[n])
            return
        old_offsets, old_lengths, old_modes = self._old_offsets, self._old_lengths, self._old_modes
        gap = len(between)
        run_slots: list[int] = []
        run_olds: list[int] = []
        start = end = 0  # the run's stretch of the last file
        for n, finding in enumerate(findings):
            mode = modes if type(modes) is int else modes[n]
            slot = finding.__dict__.get(ORIGIN)
            if slot is not None and mode >= 0:
                old = slots[slot]
                if old >= 0:
                    offset = old_offsets[old]
                    if offset >= 0 and old_modes[old] == mode:
                        if run_slots and (offset != end + gap or end - start >= _RUN_MAX):
                            yield CopiedRun(run_slots, run_olds, between)
                            run_slots, run_olds = [], []
                        if not run_slots:
                            start = offset
                        run_slots.append(slot)
                        run_olds.append(old)
                        end = offset + old_lengths[old]
                        continue
            if run_slots:
                yield CopiedRun(run_slots, run_olds, between)
                run_slots, run_olds = [], []
            yield self._rendered(finding, render(n), mode)
        if run_slots:
            yield CopiedRun(run_slots, run_olds, between)

    def _rendered(self, finding: Finding, text: Any, mode: int) -> Any:
        """A finding's text just rendered: as a `Piece` to note, when it came from a store row and the run notes."""
        slot = origin(finding)
        return text if slot is None or self.reuse is None or mode < 0 else Piece(slot, text, mode)

    def fresh(self, findings: Iterable[Finding], mode: int = 0) -> list[Finding]:
        """The findings whose text `piece` renders rather than copies (those whose facts it needs)."""
        return [f for f in findings if self._old(origin(f), mode) < 0]

    def _old(self, slot: int | None, mode: int) -> int:
        """The slot's place in the last run's notes when its text there can be copied, else -1."""
        if self._slots is None or slot is None:
            return -1
        old = self._slots[slot]
        return old if old >= 0 and self._old_offsets[old] >= 0 and self._old_modes[old] == mode else -1

    def positioned(self, chunks: Iterable[Any], position: int) -> Iterator[bytes]:
        """`Reuse.positioned` from the first finding on. Findings copied one after another from one stretch of the
        last run's file, with what the format writes between them the same as there, are copied as one read."""
        offsets, lengths, modes = self.offsets, self.lengths, self.modes
        run: list[tuple[Copied, int, bytes]] = []  # copied findings: (finding, offset, what the format wrote before it)
        end = 0  # where the run's last finding ends in the last run's file
        between: list[bytes] = []  # what the format wrote since the run's last finding, held back
        held = 0
        for chunk in chunks:
            kind = type(chunk)
            if kind is CopiedRun:
                position = yield from self._release(run, between, held, position)
                run, between, held = [], [], 0
                position = yield from self._copy_run(chunk, position)
                continue
            if kind is Copied:
                offset = self._old_offsets[chunk.old]
                if run and offset == end + held and held <= _BETWEEN_MAX and end - run[0][1] < _RUN_MAX:
                    run.append((chunk, offset, b"".join(between)))
                else:
                    position = yield from self._release(run, between, held, position)
                    run = [(chunk, offset, b"")]
                end = offset + self._old_lengths[chunk.old]
                between, held = [], 0
                continue
            if kind is Piece:
                text = chunk.text
                data = text if type(text) is bytes else text.encode("utf-8", SURROGATES_AS_FFFD)
            else:
                data = chunk if kind is bytes else chunk.encode("utf-8", SURROGATES_AS_FFFD)
            if run and kind is not Piece and held + len(data) <= _BETWEEN_MAX:
                between.append(data)
                held += len(data)
                continue
            position = yield from self._release(run, between, held, position)
            run, between, held = [], [], 0
            if kind is Piece:
                offsets[chunk.slot] = position
                lengths[chunk.slot] = len(data)
                modes[chunk.slot] = chunk.mode
            position += len(data)
            yield data
        yield from self._release(run, between, held, position)
        self.complete = True
        self.close()

    def _release(self, run: list[tuple[Copied, int, bytes]], between: list[bytes], held: int,
                 position: int) -> Iterator[bytes]:
        """The run of copied findings held back (if any), then what the format wrote since (`held` bytes); returns
        the position after them."""
        if run:
            position = yield from self._flush(run, position)
        yield from between
        return position + held

    def _flush(self, run: list[tuple[Copied, int, bytes]], position: int) -> Iterator[bytes]:
        """Copy a run of findings from the last run's file; returns the position after it."""
        start = run[0][1]
        last, last_offset, _ = run[-1]
        data = self._read(start, last_offset + self._old_lengths[last.old] - start)
        same = all(data[offset - start - len(before):offset - start] == before for _, offset, before in run)
        offsets, lengths, modes, old_lengths = self.offsets, self.lengths, self.modes, self._old_lengths
        if same:  # as it was: one piece
            for copied, offset, _ in run:
                offsets[copied.slot] = position + offset - start
                lengths[copied.slot] = old_lengths[copied.old]
                modes[copied.slot] = copied.mode
            yield data
            return position + len(data)
        for copied, offset, before in run:  # something else between them this time
            yield before
            position += len(before)
            length = old_lengths[copied.old]
            offsets[copied.slot], lengths[copied.slot], modes[copied.slot] = position, length, copied.mode
            yield data[offset - start:offset - start + length]
            position += length
        return position

    def _copy_run(self, run: CopiedRun, position: int) -> Iterator[bytes]:
        """Copy a `CopiedRun` from the last run's file; returns the position after it."""
        old_offsets, old_lengths, old_modes = self._old_offsets, self._old_lengths, self._old_modes
        start = old_offsets[run.olds[0]]
        data = self._read(start, old_offsets[run.olds[-1]] + old_lengths[run.olds[-1]] - start)
        between, gap = run.between, len(run.between)
        offsets, lengths, modes = self.offsets, self.lengths, self.modes
        if not gap or all(data[old_offsets[old] - start - gap:old_offsets[old] - start] == between
                          for old in run.olds[1:]):
            shift = position - start
            for slot, old in zip(run.slots, run.olds):
                offsets[slot] = old_offsets[old] + shift
                lengths[slot] = old_lengths[old]
                modes[slot] = old_modes[old]
            yield data
            return position + len(data)
        for n, (slot, old) in enumerate(zip(run.slots, run.olds)):  # something else between them there
            if n:
                yield between
                position += gap
            at, length = old_offsets[old] - start, old_lengths[old]
            offsets[slot], lengths[slot], modes[slot] = position, length, old_modes[old]
            yield data[at:at + length]
            position += length
        return position

    def _read(self, offset: int, length: int) -> bytes:
        file = self._file
        assert file is not None
        file.seek(offset)
        text = file.read(length)
        if len(text) != length:
            raise LedgerError("changed while this run copied from it: run again", file.name)
        return text

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._slots = None


class Texts:
    """One facts format's articles (`facts.jsonl`, `facts.csv`): where each one's text lands this time, and where
    the last run's file holds the text kept under its key, to copy it from there."""

    def __init__(self, context: str) -> None:
        self.context = context
        self.keys = bytearray()
        self.offsets, self.lengths = array("q"), array("q")
        self.complete = False
        self._file: BinaryIO | None = None
        self._old: dict[str, tuple[int, int]] = {}

    def use_previous(self, path: Path, noted: dict[str, Any]) -> None:
        if min(noted["offsets"], default=0) < 0:  # every article noted stands somewhere
            return
        file = _open_noted(path, noted)
        if file is None:
            return
        keys = noted["keys"]
        self._file = file
        self._old = {keys[n * KEY_BYTES:(n + 1) * KEY_BYTES].hex(): (offset, length)
                     for n, (offset, length) in enumerate(zip(noted["offsets"], noted["lengths"]))}

    def copyable(self, key: str) -> bool:
        return key in self._old

    def old(self, key: str) -> tuple[int, int]:
        return self._old[key]

    def span(self, offset: int, length: int) -> Span:
        assert self._file is not None
        return Span(self._file, offset, length)

    def note(self, key: str, position: int, length: int) -> None:
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            return
        if len(raw) == KEY_BYTES:
            self.keys += raw
            self.offsets.append(position)
            self.lengths.append(length)

    def blob(self) -> bytes:
        """The notes as bytes: keys, offsets, lengths (read back by `_texts_at`)."""
        return bytes(self.keys) + self.offsets.tobytes() + self.lengths.tobytes()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _texts_at(data: bytes | memoryview, count: int) -> tuple[bytes, array, array, int]:
    """(keys, offsets, lengths, bytes read) of `count` articles' notes at the start of `data` (`Texts.blob`);
    ValueError when `data` is cut short."""
    keys = bytes(data[:count * KEY_BYTES])
    position = count * KEY_BYTES
    arrays = []
    for _ in range(2):
        values = array("q")
        values.frombytes(data[position:position + count * 8])
        position += count * 8
        arrays.append(values)
    if len(keys) != count * KEY_BYTES or any(len(values) != count for values in arrays):
        raise ValueError("notes cut short")
    return keys, arrays[0], arrays[1], position


def _open_noted(path: Path, noted: dict[str, Any], buffering: int = -1) -> BinaryIO | None:
    """The last run's file, when it is still the one noted and the notes fit it (else None)."""
    try:
        file = open(path, "rb", buffering=buffering)
    except OSError:
        return None
    stat = os.fstat(file.fileno())
    if _stat(stat) != noted["stat"] or any(
            offset + length > stat.st_size for offset, length in zip(noted["offsets"], noted["lengths"])):
        file.close()
        return None
    return file


def _stat(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev]


def _read_notes(path: Path) -> dict[str, Any]:
    """The last run's notes: which files, and per finding slot the offset, length and mode of its text in each;
    {} when there are none or they cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    try:
        if not data.startswith(MAGIC):
            return {}
        start = len(MAGIC)
        end = data.index(b"\n", start)
        header = json.loads(data[start:end])
        rows = header["rows"]
        position = end + 1
        keys = data[position:position + rows * KEY_BYTES]
        position += rows * KEY_BYTES
        counts = array("q")
        counts.frombytes(data[position:position + rows * 8])
        position += rows * 8
        if len(keys) != rows * KEY_BYTES or len(counts) != rows or min(counts, default=0) < 0:
            return {}
        size = sum(counts)
        files = {}
        for name, noted in header["files"].items():
            arrays = []
            for code, width in LAYOUT:
                values = array(code)
                values.frombytes(data[position:position + size * width])
                if len(values) != size:
                    return {}
                position += size * width
                arrays.append(values)
            files[name] = {"stat": noted["stat"], "context": noted["context"], "offsets": arrays[0],
                           "lengths": arrays[1], "modes": arrays[2]}
        texts = {}
        for name, noted in header["texts"].items():
            article_keys, offsets, lengths, size = _texts_at(memoryview(data)[position:], noted["articles"])
            position += size
            texts[name] = {"stat": noted["stat"], "context": noted["context"], "keys": article_keys,
                           "offsets": offsets, "lengths": lengths}
        if position != len(data):
            return {}
    except (ValueError, KeyError, TypeError):
        return {}
    return {"files": files, "texts": texts, "keys": keys, "counts": counts}
