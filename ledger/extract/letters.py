"""Letter classes for the extractor's regexes, to put inside `[...]`: Python's `re` has no `\\p{Lu}`, and an
ASCII `[A-Z][a-z]+` read "Nestlé" as "Nestl", "São Paulo" as "Paulo" and found no name in "Łódź".

Latin (with its extensions), Greek and Cyrillic letters; `\\w` already knows them, but not their case.
"""

from __future__ import annotations

import re
from typing import Callable

_SCRIPTS = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF))


def _members(test: Callable[[str], bool]) -> str:
    return "".join(re.escape(c) for lo, hi in _SCRIPTS for c in map(chr, range(lo, hi + 1)) if test(c))


UPPER = "A-Z" + _members(str.isupper)
"""Capital letters: `rf"[{UPPER}]"`."""
LOWER = "a-z" + _members(str.islower)
"""Small letters: `rf"[{LOWER}]"`."""
LETTER = UPPER + LOWER


_FOLDED = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold(text: str) -> str:
    """`text` in lower case as a case-blind pattern (`(?i)`) reads it: with the letters it takes for "i" or "s"
    made so ("İ", "ı", the long "ſ"), which `str.lower` leaves; as long as `text`. For looking a match up in a
    table of lower-case words ("laſt month" matches "last month": looked up as "last")."""
    return text.translate(_FOLDED).lower()
