"""Work done by a forked child process while this one goes on: the second core, sharing what both read (fork
copies nothing until written), with no pickling of a large state into a worker."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import BinaryIO

from ledger.errors import LedgerError


def can_fork() -> bool:
    """Whether a child on a second core is worth it here: a system that forks, with two cores or more."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Child:
    """A forked child at work: `heard()` what it said on the way, `wait()` for what it returned."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self._pipe: BinaryIO | None = os.fdopen(read_end, "rb")
        self.output: bytes | None = None
        """What the child's work returned, once waited for; None until then, or when it failed."""
        self._said: bytes | None = None

    def heard(self) -> bytes | None:
        """The next thing the child's work said (`say`) before it returned, waiting for it; None when it said no
        more (then `wait()` gives its result or raises its error)."""
        if self._pipe is None:
            return None
        tag = self._pipe.read(1)
        if tag != _TOLD:
            self._finish(tag)
            return None
        header = self._pipe.read(8)
        size = int.from_bytes(header, "big")
        said = self._pipe.read(size) if len(header) == 8 else b""
        if len(header) < 8 or len(said) < size:  # cut off: the child died saying it, and left no last word
            self._finish()
            return None
        return said

    def wait(self) -> bytes:
        """Wait for the child; its work's bytes, or its error raised here (a LedgerError as it was, an interrupt
        as KeyboardInterrupt, anything else as RuntimeError). What it said and was not heard is passed over."""
        while self.heard() is not None:
            pass
        said = self._finish()
        if said[:1] == b"\x00":
            return said[1:]
        error = json.loads(said[1:] or b"{}")
        if error.get("interrupted"):
            raise KeyboardInterrupt
        if error.get("path"):
            raise LedgerError(error["error"], error["path"])
        raise RuntimeError(error.get("error") or "a forked helper ended without a word")

    def _finish(self, tag: bytes = b"") -> bytes:
        """Read the child's last word (after `tag`, its first byte if already read) and reap it."""
        if self._said is None:
            said = tag
            if self._pipe is not None:  # read once: an interrupted read leaves nothing more to read
                pipe, self._pipe = self._pipe, None
                with pipe:
                    said += pipe.read()
            os.waitpid(self.pid, 0)
            self._said = said
            if said[:1] == b"\x00":
                self.output = said[1:]
        return self._said

    def kill(self) -> None:
        if self._said is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def write_all(fd: int, data: bytes) -> None:
    """All of `data` to the pipe `fd`. A write stopped by a signal (Ctrl-Z, a debugger or profiler attaching) ends
    early, having written part; Python's buffered stdout then drops the rest without a word (CPython 3.11)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_TOLD = b"\x02"
"""Starts what the child says on the way (then its length in 8 bytes, then it); its last word starts with \\x00
(its result) or \\x01 (its error) and runs to the end."""


@contextmanager
def forked(work: Callable[..., bytes], kill_on_error: bool = False, telling: bool = False) -> Iterator[Child]:
    """Run `work` in a forked child while the body runs; `Child.wait()` gives its bytes. Leaving the block waits
    for the child (raising its error, unless the body raised one of its own); with `kill_on_error`, a body that
    raises kills the child first (for work that is only worth its result, and safe to stop at any moment).
    `telling`: `work` is given `say`, to send bytes on the way (`Child.heard`), such as what the parent can
    start on before the work ends."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, say what came of it, never return into the parent's code
        os.close(read_end)
        code, said = 0, b""
        # what `say` is told is written by a thread: a pipe holds 64 KB, and the parent reads when it is free
        telling_pool = ThreadPoolExecutor(max_workers=1) if telling else None
        told: list[Future[None]] = []

        def say(data: bytes) -> None:
            told.append(telling_pool.submit(write_all, write_end, _TOLD + len(data).to_bytes(8, "big") + data))  # type: ignore[union-attr]

        try:
            result = work(say) if telling else work()
            for future in told:
                future.result()
            said = b"\x00" + result
        except LedgerError as e:
            code, said = 1, b"\x01" + json.dumps({"error": e.message, "path": e.path}).encode()
        except KeyboardInterrupt:
            code, said = 130, b'\x01{"interrupted": true}'
        except BaseException as e:  # noqa: BLE001 - told to the parent, which raises it
            code, said = 1, b"\x01" + json.dumps({"error": f"{type(e).__name__}: {e}"}).encode()
        finally:
            try:
                for future in told:  # the last word never cuts into a message
                    future.exception()
                write_all(write_end, said)
            finally:
                os._exit(code)  # even when the parent is gone
    os.close(write_end)
    child = Child(pid, read_end)
    try:
        yield child
    except BaseException:
        if kill_on_error:
            child.kill()
        child._finish()
        raise
    child.wait()
