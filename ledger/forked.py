"""Work done by a forked child process while this one goes on: the second core, sharing what both read (fork
copies nothing until written), with no pickling of a large state into a worker."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ledger.errors import LedgerError


def can_fork() -> bool:
    """Whether a child on a second core is worth it here: a system that forks, with two cores or more."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Child:
    """A forked child at work: `wait()` for what it returned."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self._read_end: int | None = read_end
        self.output: bytes | None = None
        """What the child's work returned, once waited for; None until then, or when it failed."""
        self._said: bytes | None = None

    def wait(self) -> bytes:
        """Wait for the child; its work's bytes, or its error raised here (a LedgerError as it was, an interrupt
        as KeyboardInterrupt, anything else as RuntimeError)."""
        said = self._finish()
        if said[:1] == b"\x00":
            return said[1:]
        error = json.loads(said[1:] or b"{}")
        if error.get("interrupted"):
            raise KeyboardInterrupt
        if error.get("path"):
            raise LedgerError(error["error"], error["path"])
        raise RuntimeError(error.get("error") or "a forked helper ended without a word")

    def _finish(self) -> bytes:
        if self._said is None:
            said = b""
            if self._read_end is not None:  # read once: an interrupted read leaves nothing more to read
                fd, self._read_end = self._read_end, None
                with os.fdopen(fd, "rb") as pipe:
                    said = pipe.read()
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


@contextmanager
def forked(work: Callable[[], bytes], kill_on_error: bool = False) -> Iterator[Child]:
    """Run `work` in a forked child while the body runs; `Child.wait()` gives its bytes. Leaving the block waits
    for the child (raising its error, unless the body raised one of its own); with `kill_on_error`, a body that
    raises kills the child first (for work that is only worth its result, and safe to stop at any moment)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, say what came of it, never return into the parent's code
        os.close(read_end)
        code, said = 0, b""
        try:
            said = b"\x00" + work()
        except LedgerError as e:
            code, said = 1, b"\x01" + json.dumps({"error": e.message, "path": e.path}).encode()
        except KeyboardInterrupt:
            code, said = 130, b'\x01{"interrupted": true}'
        except BaseException as e:  # noqa: BLE001 - told to the parent, which raises it
            code, said = 1, b"\x01" + json.dumps({"error": f"{type(e).__name__}: {e}"}).encode()
        finally:
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(said)
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
