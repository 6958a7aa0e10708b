"""A progress line on a terminal; silent when stderr is not a TTY or in CI."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield `items`, redrawing "label 120/4000 (350/s)" at most ten times a second."""
    if not enabled() or total < 50:
        yield from items
        return
    start = last = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= 0.1 or done == total:
            rate = done / max(now - start, 1e-9)
            sys.stderr.write(f"\r{label} {done:,}/{total:,} ({rate:,.0f}/s)")
            sys.stderr.flush()
            last = now
    sys.stderr.write("\r\x1b[K")
    sys.stderr.flush()


@contextmanager
def step(label: str) -> Iterator[None]:
    """Show "label…" while a step without a count runs (checking, writing reports); cleared when it ends."""
    if not enabled():
        yield
        return
    sys.stderr.write(f"\r{label}…")
    sys.stderr.flush()
    try:
        yield
    finally:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


class Timings:
    """Wall-clock and CPU seconds of each step of a run, for `ledger check --timings`. CPU counts this process
    and the children it has waited for (extraction workers, forked helpers): above the wall-clock time, the
    step ran on several cores."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, float, float, str]] = []
        self._start = self._mark = (time.perf_counter(), _cpu())

    def lap(self, name: str, note: str = "") -> None:
        """End the step `name` here; `note`: what it did, in a few words."""
        now = (time.perf_counter(), _cpu())
        self.steps.append((name, now[0] - self._mark[0], now[1] - self._mark[1], note))
        self._mark = now

    def line(self) -> str:
        """"timings (wall/CPU s): read 0.91/0.90, extract 3.36/5.10 (455 of 45,454 articles extracted), …; total
        27.05/41.50"."""
        wall, cpu = self._mark[0] - self._start[0], self._mark[1] - self._start[1]
        steps = ", ".join(f"{name} {w:.2f}/{c:.2f}" + (f" ({note})" if note else "") for name, w, c, note in self.steps)
        return f"timings (wall/CPU s): {steps}; total {wall:.2f}/{cpu:.2f}"


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
