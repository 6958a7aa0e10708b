"""The formatter registry: a plain dict from format name to a pure `render(index) -> Iterable[str]` (a piece may
be UTF-8 bytes already: text the ledger store kept).

A formatter reads nothing but the report behind its `Index`: it does not print, read the clock, the
environment or the file system, so the same report always renders to the same bytes. It yields its text
in pieces, so a large report streams to its file instead of being held whole; and every format that
`write_reports` renders shares one `Index`, so what they have in common (order, locations, fingerprints)
is worked out once.
"""

from __future__ import annotations

import codecs
import difflib
import functools
from typing import Callable, Iterable

from ledger.errors import LedgerError
from ledger.model import Report
from ledger.report.common import Index

Formatter = Callable[[Index], Iterable[str | bytes]]

FORMATTERS: dict[str, Formatter] = {}

SURROGATES_AS_FFFD = "ledger-surrogates-as-fffd"
"""The UTF-8 error handler reports are written with: a lone surrogate (a JSON archive may hold "\\ud800")
becomes U+FFFD. It costs nothing while there is none, unlike a pass over every character."""
# the replacement is given as bytes: the UTF-8 encoder takes only ASCII text from an error handler
codecs.register_error(SURROGATES_AS_FFFD, lambda error: ("\ufffd".encode() * (error.end - error.start), error.end))


def encodable(text: str) -> str:
    """`text` with lone surrogates as U+FFFD, so it encodes as UTF-8."""
    return text.encode("utf-8", SURROGATES_AS_FFFD).decode("utf-8")


def register(name: str) -> Callable[[Formatter], Callable[[Report | Index], str]]:
    """`@register("sarif")` on `def render(index) -> Iterable[str]`; registering a name twice raises.

    The decorated name becomes `render(report) -> str` (or of an `Index`), the whole text at once (always encodable
    as UTF-8).
    """
    def decorate(function: Formatter) -> Callable[[Report | Index], str]:
        if name in FORMATTERS:
            raise ValueError(f"a formatter named {name!r} is already registered ({FORMATTERS[name].__module__})")
        FORMATTERS[name] = function

        @functools.wraps(function)
        def whole(report: Report | Index) -> str:
            return _text(function, report)

        return whole
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


def render(name: str, report: Report | Index) -> str:
    """Format `name` of a report, or of the `Index` of one (what it worked out is then not worked out again)."""
    return _text(formatter(name), report)


def _text(function: Formatter, report: Report | Index) -> str:
    index = report if isinstance(report, Index) else Index(report)
    return encodable("".join(c if type(c) is str else c.decode() for c in function(index)))
