"""`facts.jsonl` and `facts.csv` joined from the ledger store's text by a process of their own, started afresh (not
forked) while this one renders the other reports.

A report too large for a forked helper (`files.LIGHT_HELPER_UP_TO`: the parent, rendering, writes to the pages the
child shares, which copies them: 2.7 GB instead of 1.9 at a million facts) still has two formats that need
nothing of its heap: each article's facts are text the store keeps. A fresh interpreter reads only that, and the
articles' order and keys, which it is told on its standard input; it answers with the files it staged and where
each article's text landed in them (`Reuse.export`), on its standard output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable

from ledger.errors import LedgerError
from ledger.report.files import Syncing, _remove, _staged_write


_MAIN = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r}); "
         "from ledger.report.spawned import main; main()")
"""This very ledger, whatever folder named `ledger` the current one holds."""


@contextmanager
def spawned(store: Path, keys: list[str], out_dir: Path, files: dict[str, str], notes: Path | None,
            staged: list[tuple[str, Path]], adopt: Callable[[bytes], None] | None) -> Iterator[None]:
    """Stage `files` (file name -> format: `facts.jsonl`, `facts.csv`) in a spawned process while the block runs:
    each article's stored text under its key in `keys`, in that order. When the block is done, wait for it; add
    the files it wrote to `staged` and give `adopt` where the articles landed in them (when there is a `notes`
    file to keep them in). When the block raises, the process is stopped and leaves nothing behind."""
    header = json.dumps({"store": str(store), "out_dir": str(out_dir), "files": files, "keys": keys,
                         "notes": None if notes is None else str(notes)}).encode()
    try:
        child = subprocess.Popen([sys.executable, "-c", _MAIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    except OSError as e:
        raise LedgerError(f"cannot start a process to write the reports: {e.strerror or e}", str(out_dir)) from None
    assert child.stdin is not None
    feeding = threading.Thread(target=_feed, args=(child.stdin, header), daemon=True)  # 3 MB at 49,000 articles
    feeding.start()
    try:
        yield
    except BaseException:
        child.terminate()  # it removes what it is staging
        feeding.join()
        child.stdin = None  # closed by `_feed`
        for _, temporary in _answer(child.communicate()[0])[0].get("written", ()):  # or it was done already
            _remove(temporary)
        raise
    feeding.join()
    child.stdin = None  # closed by `_feed`
    out, err = child.communicate()
    answer, told = _answer(out)
    if not answer:
        reason = err.decode("utf-8", "replace").strip().splitlines()
        raise LedgerError(f"the process writing {', '.join(files)} failed: "
                          f"{reason[-1] if reason else f'exit status {child.returncode}'}", str(out_dir)) from None
    if "error" in answer:
        raise LedgerError(answer["error"], answer.get("path"))
    staged.extend((temporary, out_dir / name) for name, temporary in answer["written"])
    if adopt is not None and told:
        adopt(told)


def _answer(out: bytes) -> tuple[dict[str, Any], bytes]:
    """What the process answered (`main`), and the notes after it; ({}, b"") when it said nothing (it failed)."""
    head, _, told = out.partition(b"\n")
    try:
        answer = json.loads(head)
    except ValueError:
        return {}, b""
    return (answer, told) if isinstance(answer, dict) else ({}, b"")


def _feed(pipe: Any, data: bytes) -> None:
    try:
        pipe.write(data)
    except OSError:  # it stopped early: its answer says why
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


class _Joined:
    """What `render_facts_jsonl` and `render_facts_csv` ask of an `Index`, from the store's text alone."""

    def __init__(self, store: Path, keys: list[str], reuse: Any) -> None:
        from ledger.pipeline import StoredTexts

        self.keys, self.reuse = keys, reuse
        self.stored = StoredTexts(store, dict(zip(keys, keys)))  # each article under its key

    def fact_chunks(self, fmt: str, render: object) -> Iterator[Any]:
        from ledger.report.reuse import ArticleText

        self.reuse.article_texts(fmt)  # where each article lands is noted (`Reuse.positioned`)
        for key, text in zip(self.keys, self.stored.texts(fmt, self.keys)):
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
    reuse.files, reuse.out_dir = {fmt: name for name, fmt in told["files"].items()}, out_dir
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
        sys.stdout.buffer.write(json.dumps({"error": e.message, "path": e.path}).encode() + b"\n")
        return
    except BaseException:
        for _, temporary in written:
            _remove(temporary)
        raise
    try:
        sys.stdout.buffer.write(json.dumps({"written": written}).encode() + b"\n")
        sys.stdout.buffer.write(reuse.export(told["files"].values()) if told["notes"] else b"")
        sys.stdout.buffer.flush()
    except OSError:  # no one to tell (the run was killed): nothing is left behind
        for _, temporary in written:
            _remove(temporary)
