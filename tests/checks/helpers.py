"""Test helpers: articles from Markdown, facts built by hand, and a tiny stand-in extractor.

The stand-in (`mini_extract`) understands just enough news wording for the examples and planted corpora
("about 50,000 people", "$100 million a month", "8%"), so the rules can be tested before, and apart from,
the real extractor. Tests that need the real one use `real_extract()` and skip cleanly without it.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from ledger.articles import make_article, split_front_matter
from ledger.model import Article, Fact, fact_id

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FIGURE = re.compile(
    r"(?P<q>\b(?:about|around|roughly|nearly|almost|more than|over|at least|up to|at most|less than|fewer than) )?"
    r"(?P<cur>\$)?(?P<num>" + NUMBER + r")(?P<scale> (?:million|billion|thousand)\b)?(?P<pct>%| percent\b)?"
    r"(?P<per> (?:a|per) (?:year|month|week|day)\b)?(?: (?P<noun>[A-Za-z]+))?")
SCALES = {" million": 1e6, " billion": 1e9, " thousand": 1e3}
NOT_NOUNS = {"a", "an", "the", "of", "or", "in", "on", "to", "and", "from", "for", "by", "with", "at", "is", "was",
             "were", "are", "that", "this", "its", "their", "his", "her", "on", "since", "last", "this", "per"}
SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)", re.M)


def article(markdown: str, default_id: str = "article") -> Article:
    meta, body, offset = split_front_matter(markdown, default_id + ".md")
    return make_article(meta, body, default_id, default_id + ".md", offset)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(text) if m.group().strip()]


def sentence_of(art: Article, start: int) -> str:
    for s, e in _sentences(art.text):
        if s <= start < e:
            return art.text[s:e].strip() and art.text[s:e]
    return art.text


def make_fact(art: Article, surface: str, value: float, low: float | None = None, high: float | None = None,
              unit: str | None = None, subject: str | None = None, qualifier: str = "exact", occurrence: int = 0,
              **extra: Any) -> Fact:
    """A fact for `surface` (its `occurrence`-th appearance) in the article, by hand."""
    start = -1
    for _ in range(occurrence + 1):
        start = art.text.index(surface, start + 1)
    end = start + len(surface)
    line, column = art.line_column(start)
    return Fact(id=fact_id(art.id, start, end, surface), article=art.id, start=start, end=end, line=line,
                column=column, surface=surface, sentence=sentence_of(art, start), value=value,
                low=value if low is None else low, high=value if high is None else high, qualifier=qualifier,
                unit=unit, subject=subject, lemma=subject.lower().rstrip("s") if subject else None, **extra)


def mini_extract(art: Article) -> list[Fact]:
    facts = []
    text = art.text
    for m in FIGURE.finditer(text):
        raw = m.group("num")
        if m.group("q") is None and not m.group("cur") and re.fullmatch(r"(19|20)\d\d", raw):
            continue
        value = float(raw.replace(",", "")) * SCALES.get(m.group("scale") or "", 1.0)
        unit = None
        if m.group("cur"):
            unit = "USD" + (f"/{m.group('per').split()[-1]}" if m.group("per") else "")
        elif m.group("pct"):
            unit = "percent"
        noun = (m.group("noun") or "").lower()
        subject = noun if unit is None and noun and noun not in NOT_NOUNS else None
        q = (m.group("q") or "").strip()
        low, high, qualifier = value, value, "exact"
        if q in ("about", "around", "roughly"):
            low, high, qualifier = value * 0.9, value * 1.1, "approx"
        elif q in ("nearly", "almost"):
            low, high, qualifier = value * 0.9, value, "nearly"
        elif q in ("more than", "over"):
            low, high, qualifier = value, math.inf, "more_than"
        elif q == "at least":
            low, high, qualifier = value, math.inf, "at_least"
        elif q in ("up to", "at most"):
            low, high, qualifier = 0.0, value, "at_most"
        elif q in ("less than", "fewer than"):
            low, high, qualifier = 0.0, value, "less_than"
        start = m.start("cur") if m.group("cur") else m.start("num")
        end = max(m.end(g) for g in ("num", "scale", "pct", "per") if m.group(g))
        surface = text[start:end]
        line, column = art.line_column(start)
        facts.append(Fact(id=fact_id(art.id, start, end, surface), article=art.id, start=start, end=end, line=line,
                          column=column, surface=surface, sentence=sentence_of(art, start), value=value, low=low,
                          high=high, qualifier=qualifier, unit=unit, subject=subject,
                          lemma=subject.rstrip("s") if subject else None,
                          dimension="currency" if unit and unit.startswith("USD") else (
                              "percent" if unit == "percent" else "count")))
    return facts


def real_extract() -> Callable[[Article], list[Fact]] | None:
    """The real extractor's `extract_article`, or None while it does not exist yet."""
    try:
        from ledger.extract import extract_article  # type: ignore[attr-defined]
    except ImportError:
        return None
    return extract_article
