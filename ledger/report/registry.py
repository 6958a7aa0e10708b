"""The formatter registry: a plain dict from format name to a pure `render(report) -> str`.

A formatter reads nothing but its report: it does not print, read the clock, the environment or
the file system, so the same report always renders to the same bytes.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Callable

from ledger.errors import LedgerError
from ledger.model import Report

Formatter = Callable[[Report], str]

FORMATTERS: dict[str, Formatter] = {}


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Lone surrogates (a JSON archive may hold "\\ud800") become U+FFFD, so the text encodes as UTF-8."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def register(name: str) -> Callable[[Formatter], Formatter]:
    """`@register("sarif")` on `def render(report) -> str`; registering a name twice raises.

    The registered function is returned wrapped so that its output always encodes as UTF-8.
    """
    def decorate(function: Formatter) -> Formatter:
        if name in FORMATTERS:
            raise ValueError(f"a formatter named {name!r} is already registered ({FORMATTERS[name].__module__})")

        @functools.wraps(function)
        def formatter(report: Report) -> str:
            return encodable(function(report))

        FORMATTERS[name] = formatter
        return formatter
    return decorate


def formatter(name: str) -> Formatter:
    """The formatter of that name; an unknown name lists the known ones and says "did you mean"."""
    try:
        return FORMATTERS[name]
    except KeyError:
        known = sorted(FORMATTERS)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise LedgerError(f"no report format {name!r} (known: {', '.join(known)}){hint}") from None


def render(name: str, report: Report) -> str:
    return formatter(name)(report)
