"""`ledger.forked`: work in a forked child, its result or its error back in the parent, no child left behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ledger.errors import LedgerError
from ledger.forked import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_child_s_bytes_come_back_while_the_parent_works():
    with forked(lambda: b"done in %d" % os.getpid()) as child:
        mine = os.getpid()
        said = child.wait()
    assert said.startswith(b"done in ") and said != b"done in %d" % mine
    assert child.output == said


def test_a_ledger_error_in_the_child_is_raised_in_the_parent_with_its_path():
    def fail() -> bytes:
        raise LedgerError("cannot read", "some/file.md")

    with pytest.raises(LedgerError) as raised:
        with forked(fail) as child:
            child.wait()
    assert raised.value.path == "some/file.md" and "cannot read" in raised.value.message


def test_any_other_error_is_raised_when_the_block_ends():
    def fail() -> bytes:
        raise ValueError("bad value")

    with pytest.raises(RuntimeError, match="ValueError: bad value"):
        with forked(fail):
            pass


def test_a_body_that_raises_kills_the_child_and_keeps_its_own_error():
    def slow() -> bytes:
        time.sleep(30)
        return b"late"

    started = time.monotonic()
    with pytest.raises(KeyError):
        with forked(slow, kill_on_error=True) as child:
            raise KeyError("mine")
    assert time.monotonic() - started < 20 and child.output is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped: no zombie left


def test_what_the_child_says_on_the_way_is_heard_before_it_ends():
    def work(say) -> bytes:
        say(b"first")
        say(b"")
        say(b"x" * 100_000)  # more than a pipe holds at once
        return b"last"

    with forked(work, telling=True) as child:
        heard = [child.heard(), child.heard(), child.heard(), child.heard()]
        assert child.wait() == b"last"
    assert heard == [b"first", b"", b"x" * 100_000, None]


def test_what_is_not_heard_is_passed_over_and_an_error_after_saying_is_still_raised():
    def work(say) -> bytes:
        say(b"on the way")
        raise LedgerError("cannot write", "store.db")

    with forked(lambda say: (say(b"unheard"), b"done")[1], telling=True) as child:
        assert child.wait() == b"done"
    with pytest.raises(LedgerError, match="cannot write"):
        with forked(work, telling=True) as child:
            assert child.heard() == b"on the way"
            child.wait()


def test_saying_much_never_waits_for_the_parent_to_read():
    def work(say) -> bytes:
        started = time.monotonic()
        say(b"y" * 1_000_000)
        return b"%.3f" % (time.monotonic() - started)

    with forked(work, telling=True) as child:
        time.sleep(1.0)  # busy elsewhere: the child's million bytes wait in its writer, not in its work
        assert child.heard() == b"y" * 1_000_000
        assert float(child.wait()) < 0.5


def test_a_child_that_dies_while_saying_something_is_an_error_not_a_short_message():
    def dying(say) -> bytes:
        say(b"whole")
        time.sleep(0.2)
        say(b"x" * 10_000_000)  # more than the pipe holds: cut off by the death below
        os._exit(9)  # as if killed

    with pytest.raises(RuntimeError, match="without a word"):
        with forked(dying, telling=True) as child:
            assert child.heard() == b"whole"
            time.sleep(0.5)
            assert child.heard() is None
            child.wait()


def _stop_and_continue(pid: int) -> None:
    """Stop and continue `pid` a few times, as Ctrl-Z and `fg` (or a profiler attaching) would, while it is held
    up writing to a full pipe."""
    import signal

    time.sleep(0.3)
    for _ in range(5):
        os.kill(pid, signal.SIGSTOP)
        time.sleep(0.02)
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.02)


def test_a_child_stopped_while_it_answers_still_gives_all_its_bytes():
    answer = bytes(range(256)) * 16_000  # 4 MB: the pipe holds 64 KB, so the child waits for the parent to read
    with forked(lambda: answer) as child:
        _stop_and_continue(child.pid)
        assert child.wait() == answer


def test_a_process_stopped_while_it_writes_to_a_pipe_still_writes_all_of_it():
    """`write_all`, as the spawned process answers (`ledger.report.spawned`): Python's buffered stdout kept the
    first 64 KB of 4 MB when the process was stopped and continued during the write, and said nothing."""
    import subprocess
    import sys

    code = "from ledger.forked import write_all; write_all(1, bytes(range(256)) * 16_000)"
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                          cwd=Path(__file__).resolve().parents[1]) as process:
        _stop_and_continue(process.pid)
        out, _ = process.communicate()
    assert out == bytes(range(256)) * 16_000 and process.returncode == 0
