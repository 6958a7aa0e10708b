"""`facts.jsonl` and `facts.csv` joined from the ledger store's text by a process of their own, started afresh (not
forked) as the reports begin (`ledger.report.files._spawnable`), while this process orders the findings and renders
the other reports.

Neither file needs anything the check works out or anything of this process's heap: each article's facts are text
the store keeps, or that the last run's file holds (copied from there by the kernel). A fresh interpreter reads
only that, and the articles' order and keys, which it is told on its standard input; it answers with the files it
staged and where each article's text landed in them (`Reuse.export`), on its standard output. (A forked helper
would share this process's pages, and copy those this process writes to: 2.7 GB instead of 1.9 at a million facts.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

from ledger.errors import LedgerError
from ledger.forked import write_all
from ledger.report.files import Syncing, _remove, _staged_write


_MAIN = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r}); "
         "from ledger.report.spawned import main; main()")
"""This very ledger, whatever folder named `ledger` the current one holds."""


class Spawned:
    """The process staging `files` (file name -> format: `facts.jsonl`, `facts.csv`): each article's stored text
    under its key in `keys`, in that order, where the last run noted it in `notes` (if any). Started at once;
    `finish` waits for it, `stop` stops it and leaves nothing behind."""

    def __init__(self, store: Path, keys: list[str], out_dir: Path, files: dict[str, str], notes: Path | None) -> None:
        self.keys, self.out_dir, self.files = keys, out_dir, files
        header = json.dumps({"store": str(store), "out_dir": str(out_dir), "files": files, "keys": keys,
                             "notes": None if notes is None else str(notes)}).encode()
        try:
            # told in a file, not a pipe (3 MB at 49,000 articles): a process forked meanwhile (the check's
            # agreement child) would hold the pipe's end open, and this one would wait for it to end to read it all
            with tempfile.TemporaryFile() as told:
                told.write(header)
                told.seek(0)
                self.child: subprocess.Popen[bytes] | None = subprocess.Popen(
                    [sys.executable, "-c", _MAIN], stdin=told, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise LedgerError(f"cannot start a process to write the reports: {e.strerror or e}", str(out_dir)) \
                from None

    def _done(self) -> tuple[bytes, bytes, subprocess.Popen[bytes]]:
        child, self.child = self.child, None
        assert child is not None
        out, err = child.communicate()
        return out, err, child

    def finish(self, staged: list[tuple[str, Path]], adopt: Callable[[bytes], None] | None) -> None:
        """Wait for it; add the files it wrote to `staged` and give `adopt` where the articles landed in them."""
        out, err, child = self._done()
        answer, told = _answer(out)
        if not answer:
            reason = err.decode("utf-8", "replace").strip().splitlines()
            raise LedgerError(f"the process writing {', '.join(self.files)} failed: "
                              f"{reason[-1] if reason else f'exit status {child.returncode}'}", str(self.out_dir)) \
                from None
        if "error" in answer:
            raise LedgerError(answer["error"], answer.get("path"))
        staged.extend((temporary, self.out_dir / name) for name, temporary in answer["written"])
        if adopt is not None and told:
            adopt(told)

    def stop(self) -> None:
        """Stop it (it removes what it is staging) and remove what it had staged already; nothing when done."""
        if self.child is None:
            return
        self.child.terminate()
        for _, temporary in _answer(self._done()[0])[0].get("written", ()):  # or it was done already
            _remove(temporary)


@contextmanager
def spawned(store: Path, keys: list[str], out_dir: Path, files: dict[str, str], notes: Path | None,
            staged: list[tuple[str, Path]], adopt: Callable[[bytes], None] | None) -> Iterator[None]:
    """`Spawned` while the block runs: when the block is done, `finish`; when it raises, `stop`."""
    child = Spawned(store, keys, out_dir, files, notes)
    try:
        yield
    except BaseException:
        child.stop()
        raise
    child.finish(staged, adopt)


def _answer(out: bytes) -> tuple[dict[str, Any], bytes]:
    """What the process answered (`main`), and the notes after it; ({}, b"") when it said nothing (it failed)."""
    head, _, told = out.partition(b"\n")
    try:
        answer = json.loads(head)
    except ValueError:
        return {}, b""
    return (answer, told) if isinstance(answer, dict) else ({}, b"")


class _Joined:
    """What `render_facts_jsonl` and `render_facts_csv` ask of an `Index`, from the store's text alone."""

    def __init__(self, store: Path, keys: list[str], reuse: Any) -> None:
        from ledger.pipeline import StoredTexts

        self.keys, self.reuse = keys, reuse
        self.stored = StoredTexts(store, dict(zip(keys, keys)))  # each article under its key

    def fact_chunks(self, fmt: str, render: object) -> Iterator[Any]:
        """Each article's text: copied from the last run's file where it holds the text kept under the same key
        (`ArticleCopy`), else joined from the store (`ArticleText`); where each lands is noted (`Reuse.positioned`)."""
        from ledger.report.reuse import ArticleCopy, ArticleText

        texts = self.reuse.article_texts(fmt)
        copied = [texts is not None and texts.copyable(key) for key in self.keys]
        stored = self.stored.texts(fmt, [key for key, copy in zip(self.keys, copied) if not copy])
        for key, copy in zip(self.keys, copied):
            if copy:
                yield ArticleCopy(key)
                continue
            text = next(stored)
            if text is None:
                raise LedgerError("the ledger store changed during the run: run again", str(self.stored.store))
            yield ArticleText(key, text)


def main() -> None:
    # stopped (`terminate`) while writing: exit through Python, so that the staged files are removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops this process
    from ledger.origins import Origins
    from ledger.report.registry import formatter
    from ledger.report.reuse import Reuse

    told = json.loads(sys.stdin.buffer.read())
    out_dir = Path(told["out_dir"])
    reuse = Reuse(Path(told["notes"] or os.devnull), Origins())
    reuse.begin_texts(out_dir, {fmt: name for name, fmt in told["files"].items()})
    joined = _Joined(Path(told["store"]), told["keys"], reuse)
    written: list[tuple[str, str]] = []
    try:
        with Syncing() as syncing:
            for name, fmt in told["files"].items():
                written.append((name, _staged_write(out_dir / name, reuse.positioned(fmt, formatter(fmt)(joined)),
                                                    syncing)))
    except LedgerError as e:
        for _, temporary in written:
            _remove(temporary)
        write_all(1, json.dumps({"error": e.message, "path": e.path}).encode() + b"\n")
        return
    except BaseException:
        for _, temporary in written:
            _remove(temporary)
        raise
    try:
        write_all(1, json.dumps({"written": written}).encode() + b"\n" +
                  (reuse.export(told["files"].values()) if told["notes"] else b""))
    except OSError:  # no one to tell (the run was killed): nothing is left behind
        for _, temporary in written:
            _remove(temporary)
