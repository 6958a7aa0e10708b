"""The agreement key groups of the last run, kept beside the ledger store, so that a re-run regroups only the
figures of the articles that changed (`ledger.checks.auto.cross_article`).

Grouping every keyed figure of a million-fact archive by its key took a re-run's agreement check 2.4 s, and a
digest of every group 1.1 s more, for the 1 % of articles that changed. So the run keeps, in one file beside the
store (`path_for`), the groups as they were made (before tolls moved between place names and before groups of one
article were dropped), what they were made from (each article's key, the names the keys go under, the article
order) and each checked group's digest. The next run takes them when it may: the same code and aliases made the
figures' keys, the articles it keeps are in the same order, and no name they use goes under another name now;
it then takes out the figures of the articles gone or changed, puts in those of the new and changed ones, and
works out again only the digests of the groups that changed. The file is a cache like the store: written whole
(a temporary file, then renamed), read in `marshal` (plain values only, as Python's bytecode cache), and
anything it does not hold as expected is not taken: the groups are made from every article instead.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

TAG = "ledger key groups 1"
"""What the file starts with: another shape of file is not taken."""

Key = tuple[Any, ...]


@dataclass
class Grouping:
    """Key groups as `cross_article` made them, and what they were made from."""

    stamp: str
    """The fingerprint the figures' keys were made under (ledger's code and the aliases)."""
    salt: str
    """What the digests were worked out with besides the groups (the setting, the aliases and ledger's code)."""
    order: list[str]
    """The articles grouped, in order."""
    keys: dict[str, str]
    """Article id -> its key in the store (its content and the extractor's version)."""
    names: dict[str, str]
    """The names that went under a shorter one (`_entity_prefixes`)."""
    groups: dict[Key, list[Any]]
    """Key -> its members, flat (article id, place among the article's facts, entity), in article order."""
    tolls: list[tuple[str, int, Key, date]]
    """(article id, place, key, published) of each toll, in article order."""
    digests: dict[Key, str]
    """The digest of each group checked (after tolls moved), by key."""
    moved: set[Key]
    """The keys tolls were moved from or to."""


def path_for(store_path: str | Path) -> Path:
    store = Path(store_path)
    return store.with_name(f"{store.name}-groups")


def load(path: Path) -> Grouping | None:
    """The grouping kept at `path`; None when there is none, or it cannot be read as one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        tag, stamp, salt, order, keys, names, groups, tolls, digests, moved = marshal.loads(data)
        if tag != TAG:
            return None
        return Grouping(stamp, salt, order, keys, names, groups,
                        [(a, j, key, date.fromordinal(day)) for a, j, key, day in tolls], digests, set(moved))
    except (EOFError, ValueError, TypeError):
        return None


def save(path: Path, grouping: Grouping) -> None:
    """Keep `grouping` at `path`, whole or not at all. Never raises: without it, the next run groups every figure."""
    tolls = [(a, j, key, day.toordinal()) for a, j, key, day in grouping.tolls]
    try:
        data = marshal.dumps((TAG, grouping.stamp, grouping.salt, grouping.order, grouping.keys, grouping.names,
                              grouping.groups, tolls, grouping.digests, sorted(grouping.moved, key=repr)))
    except ValueError:  # a value marshal does not hold: nothing kept
        remove(path)
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        remove(Path(temporary))


def remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
