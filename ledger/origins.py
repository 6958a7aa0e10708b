"""Which row of the ledger store each finding of a run came from or went into, told by the finding itself.

A kept finding renders to the same text as in the last run (`ledger.report.reuse`), so each finding read from or
stored into a row of findings is given a slot: its row's first slot plus its place in the row. The slot is kept in
the finding's `__dict__` under `ORIGIN`, not in a map by `id()`: a map of a million findings took 26 MB more, and
an id may pass to another object once a finding is dropped. It is not a field: the finding's data, equality and
JSON stay as they are. A copy of a finding is another finding and does not carry it (`Finding.__copy__`).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

ORIGIN = "_ledger_origin"
"""The key of a finding's slot in its `__dict__`."""
KEY_BYTES = 32
"""Store row keys are SHA-256 digests (given in hex)."""


class Origins:
    """The rows noted in a run, in order: their keys (`KEY_BYTES` each, one after another) and sizes; row n's
    findings hold slots `sum(counts[:n])` onwards. A row noted twice (read again) gets new slots."""

    def __init__(self) -> None:
        self.keys = bytearray()
        self.counts = array("q")
        self.size = 0

    def note(self, key: str, findings: Sequence[Any]) -> None:
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            return
        if len(raw) != KEY_BYTES:
            return
        self.keys += raw
        self.counts.append(len(findings))
        base = self.size
        for n, finding in enumerate(findings):
            finding.__dict__[ORIGIN] = base + n
        self.size += len(findings)


def origin(finding: Any) -> int | None:
    """The finding's slot, or None when it came from no noted row."""
    return finding.__dict__.get(ORIGIN)
