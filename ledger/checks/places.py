"""One event's toll told under different place names, for `auto.agreement` across articles.

One article files "four people were shot" under "Wellston", another under "Oklahoma", a third under the county:
each named what it had nearest. Tolls are only ever compared with tolls published the same day, so the names of
one day's tolls are merged when two articles show they tell one story: the one filed under each name names the
other, and both name someone or something else in common (a victim, a street, a club). An article that files
tolls under both names (a round-up of several shootings) is no such evidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Callable, Iterable

from ledger.extract.letters import LOWER, UPPER

MAX_NAMES_A_DAY = 200
"""A day with more toll names than this (a very large archive) merges none: pairs of names grow as its square."""
NEAR = 40
"""Characters at most between two names of one place."""
SHARED_NAMES = 2
"""Capitalised words, other than the two place names, that both articles must use."""

WORD_RE = re.compile(rf"[{LOWER}0-9][{LOWER}0-9'’-]*")
CAPITAL_RE = re.compile(rf"(?<![.!?\"“]\s)(?<!^)\b[{UPPER}][{LOWER}]{{2,}}\b")
COMMON = frozenset("""police the this that these those there they their then when while after before said says
sheriff officers officer department county city state street avenue road monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november december""".split())


class _Text:
    """An article's lower-case words and the capitalised words it uses mid-sentence, worked out when first asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: frozenset[str] | None = None
        self._capitals: frozenset[str] | None = None

    def names(self, name: str) -> bool:
        if self._words is None:
            self._words = frozenset(WORD_RE.findall(self.text.lower()))
        return set(name.split()) <= self._words

    def near(self, a: str, b: str) -> bool:
        """Whether the two names stand together, as the names of one place do ("Wellston, Oklahoma", "Saybrook
        in northeast Houston"), not merely in one article ("... killed in Dallas", said a Louisiana mother)."""
        lower = self.text.lower()
        a, b = re.escape(a), re.escape(b)
        pattern = rf"\b{a}\b.{{0,{NEAR}}}\b{b}\b|\b{b}\b.{{0,{NEAR}}}\b{a}\b"
        return re.search(pattern, lower, re.S) is not None

    def capitals(self) -> frozenset[str]:
        if self._capitals is None:
            self._capitals = frozenset(w for w in CAPITAL_RE.findall(self.text) if w.lower() not in COMMON)
        return self._capitals


def merged_places(tolls: Iterable[tuple[date, str, str]], text_of: Callable[[str], str]) -> dict[tuple[date, str], str]:
    """`tolls`: (publication day, normal entity name, article id) of every toll figure. Returns (day, name) ->
    the name its tolls go under that day, for the names merged with another (see the module docstring)."""
    by_day: dict[date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for day, name, article in tolls:
        by_day[day][name].add(article)
    texts: dict[str, _Text] = {}

    def text(article: str) -> _Text:
        if article not in texts:
            texts[article] = _Text(text_of(article))
        return texts[article]

    out: dict[tuple[date, str], str] = {}
    for day in sorted(by_day):
        by_name = by_day[day]
        if not 2 <= len(by_name) <= MAX_NAMES_A_DAY:
            continue
        parent = {name: name for name in by_name}

        def find(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        names = sorted(by_name)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if find(a) != find(b) and _one_story(a, b, by_name[a] - by_name[b], by_name[b] - by_name[a], text):
                    parent[find(b)] = find(a)
        groups: dict[str, list[str]] = defaultdict(list)
        for name in names:
            groups[find(name)].append(name)
        for members in groups.values():
            if len(members) > 1:
                # the name most articles use, then the first in order: the same whatever order facts come in
                root = min(members, key=lambda n: (-len(by_name[n]), n))
                out.update(((day, n), root) for n in members if n != root)
    return out


def _one_story(a: str, b: str, under_a: set[str], under_b: set[str], text: Callable[[str], _Text]) -> bool:
    place_words = {w.capitalize() for w in (*a.split(), *b.split())}
    for x in sorted(under_a):
        if not text(x).names(b):
            continue
        for y in sorted(under_b):
            if text(y).names(a) and len((text(x).capitals() & text(y).capitals()) - place_words) >= SHARED_NAMES \
                    and (text(x).near(a, b) or text(y).near(a, b)):
                return True
    return False


__all__ = ["merged_places"]
