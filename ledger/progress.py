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
