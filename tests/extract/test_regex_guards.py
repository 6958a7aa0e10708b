"""A case-blind word list searched at every offset often opens on a lookahead naming its words' first letters
("(?=[wepf...])(?:will|would|expects|...)"): the regex then fails at once where no word can start. A word added
to the list later with another first letter would silently never match: each such guard must let through every
character what follows it can start with (worked out from the parsed pattern)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import re._constants as C  # noqa: N812 - the names `re` itself parses patterns with
import re._parser as P  # noqa: N812

import ledger.extract


def first(seq, i=0):
    """The first characters a sequence of parse items can start with from item i on; None: any (or unknown)."""
    out = set()
    for op, av in seq[i:] if isinstance(seq, list) else list(seq)[i:]:
        if op is C.LITERAL:
            return out | {chr(av)}
        if op is C.IN:
            chars = set()
            for o, a in av:
                if o is C.LITERAL:
                    chars.add(chr(a))
                elif o is C.RANGE:
                    chars.update(map(chr, range(a[0], a[1] + 1)))
                else:
                    return None
            return out | chars
        if op is C.BRANCH:
            for b in av[1]:
                f = first(list(b))
                if f is None:
                    return None
                out |= f
            return out  # (an empty branch would make it optional: not in these patterns)
        if op is C.SUBPATTERN:
            f = first(list(av[-1]))
            if f is None:
                return None
            return out | f
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF):
            if op is C.GROUPREF:
                return None
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            f = first(list(sub))
            if f is None:
                return None
            out |= f
            if lo == 0:
                continue
            return out
        return None
    return None  # can end here: anything may follow

def guards(seq, flags, path=""):
    """(lookahead chars, chars what follows may start with, ignorecase) for each `(?=[...])` guard."""
    seq = list(seq)
    for k, (op, av) in enumerate(seq):
        if op is C.ASSERT and av[0] == 1:
            inner = list(av[1])
            if len(inner) == 1 and inner[0][0] is C.IN:
                g = first(inner)
                f = first(seq, k + 1)
                if g is not None and f is not None:
                    yield g, f, flags
        if op is C.SUBPATTERN:
            add = av[1]
            yield from guards(av[-1], flags | add)
        elif op is C.BRANCH:
            for b in av[1]:
                yield from guards(b, flags)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            yield from guards(av[2], flags)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            yield from guards(av[1], flags)



def _unguarded(pattern: re.Pattern[str]) -> list[str]:
    """The characters some guard of `pattern` shuts out though what follows it may start with them."""
    out = []
    for g, f, flags in guards(P.parse(pattern.pattern, pattern.flags).data, pattern.flags):
        blind = flags & re.IGNORECASE
        allowed = {c.lower() for c in g} | {c.upper() for c in g} if blind else g
        out += sorted(c for c in f if c not in allowed and not (blind and (c.lower() in allowed or c.upper() in allowed)))
    return out


def test_a_guard_that_shuts_out_a_word_is_found():
    assert _unguarded(re.compile(r"(?i:\b(?=[ab])(?:apple|banana|cherry))")) == ["c"]
    assert _unguarded(re.compile(r"(?i:\b(?=[abc])(?:apple|banana|cherry))")) == []


def test_every_guard_of_the_extractor_lets_its_words_through():
    found = 0
    for module in pkgutil.iter_modules(ledger.extract.__path__, "ledger.extract."):
        for name, value in vars(importlib.import_module(module.name)).items():
            if isinstance(value, re.Pattern):
                found += len(list(guards(P.parse(value.pattern, value.flags).data, value.flags)))
                assert _unguarded(value) == [], f"{module.name}.{name}"
    assert found >= 15  # the guards are still found
