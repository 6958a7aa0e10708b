"""Sentence bounds: where each figure's sentence starts and ends (abbreviations and initials kept inside)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ledger.extract.letters import UPPER

BREAK_RE = re.compile(rf"[.!?][\"'”’)\]]*[ \t]+(?=[\"'“‘(\[]?[{UPPER}0-9])|\n[ \t]*")
ABBREVIATIONS = frozenset("""
mr mrs ms dr st jr sr gen gov sen rep lt col sgt capt cmdr adm maj prof rev hon pres supt det insp ofc no nos
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u inc corp co ltd bros vs etc al fig approx est ave
blvd rd mt ft p.m a.m
""".split())
MAX_SENTENCE = 400


class Sentences:
    """Sentence starts of one text, found once and looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: tuple[int, ...] = _starts(text)  # shared between passes, so never changed

    def around(self, start: int, end: int) -> str:
        """The sentence holding text[start:end], cut to a window of MAX_SENTENCE characters when longer."""
        i = bisect.bisect_right(self.starts, start) - 1
        s = self.starts[i]
        e = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        if e - s > MAX_SENTENCE:
            half = (MAX_SENTENCE - (end - start)) // 2
            s = max(s, start - max(half, 0))
            e = min(e, max(end + max(half, 0), s + MAX_SENTENCE))
        return self.text[s:e].strip()


@lru_cache(maxsize=4)  # extraction, entities and relations each ask for the sentences of the same article
def _starts(text: str) -> tuple[int, ...]:
    starts = [0]
    for match in BREAK_RE.finditer(text):
        if text[match.start()] == ".":
            word_start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
            word = text[word_start:match.start()].lower().lstrip("(\"'“")
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        starts.append(match.end())
    return tuple(starts)
