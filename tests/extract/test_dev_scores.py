"""The extraction dev set: well-formed gold, a scorer that scores gold as perfect, and the extractor's scores.

Scores print in the output of passing tests: `pytest tests/extract/test_dev_scores.py -s` or `-rP`.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ledger.extract.score import Scores, format_scores, gold_spans, load_jsonl, load_quantities, score
from ledger.model import QUALIFIERS, Fact

DEV = Path(__file__).with_name("dev_sentences.jsonl")
QUANTITIES = Path(os.environ.get("LEDGER_QUANTITIES_DEV", "/work/shared/dev/quantities_dev.jsonl"))

REQUIRED_TAGS = ("digits", "scale_words", "scale_suffix", "words", "fractions", "vague", "percent", "currency",
                 "rates", "physical", "durations", "qualifiers", "over_period", "sums", "subjects", "traps")
MIN_PER_TAG = 6

# Floors: conservative on purpose; the lead raises them as the extractor improves.
FLOOR_VALUE_F1 = 0.80
FLOOR_UNIT_F1 = 0.70
FLOOR_QUALIFIER_ACC = 0.85


@lru_cache(maxsize=1)
def dev_items() -> tuple[dict, ...]:
    return tuple(load_jsonl(DEV))


def extractor():
    """`ledger.extract.extract_text`, or None with the reason while it is not there yet."""
    try:
        from ledger.extract import extract_text
    except ImportError as e:
        return None, f"ledger.extract.extract_text not importable: {e}"
    return extract_text, ""


@lru_cache(maxsize=1)
def dev_scores() -> Scores | None:
    predict, _ = extractor()
    return None if predict is None else score(dev_items(), predict)


def as_fact(text: str, gold: dict, start: int, end: int, **changes) -> Fact:
    fields = dict(id="f", article="-", start=start, end=end, line=1, column=start + 1, surface=text[start:end],
                  sentence=text, value=gold["value"], low=gold.get("low"), high=gold.get("high"),
                  qualifier=gold["qualifier"], unit=gold["unit"], subject=gold["subject"])
    fields.update(changes)
    return Fact(**fields)


# --------------------------------------------------------------------------- the gold set


def test_dev_set_is_well_formed():
    from ledger.units import parse_unit

    items = dev_items()
    assert len(items) >= 200
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert len({item["text"] for item in items}) == len(items), "duplicate sentences"
    tags = Counter()
    for item in items:
        text, facts = item["text"], item["facts"]
        tags.update(item["covers"])
        assert set(item["covers"]) <= set(REQUIRED_TAGS), item["id"]
        for fact, span in zip(facts, gold_spans(text, facts)):
            where = f"{item['id']}: {fact.get('surface')!r}"
            assert set(fact) <= {"surface", "value", "unit", "qualifier", "subject", "low", "high"}, where
            assert span is not None, f"{where} not in its text"
            assert fact["qualifier"] in QUALIFIERS, where
            assert isinstance(fact["value"], (int, float)) and math.isfinite(fact["value"]), where
            if fact["unit"] is not None:
                parse_unit(fact["unit"])  # raises on a unit pint does not know
            low, high = fact.get("low"), fact.get("high")
            assert (low is None or low <= fact["value"]) and (high is None or fact["value"] <= high), where
            if fact["qualifier"] == "range":
                assert low is not None and high is not None, where
    missing = {t: tags[t] for t in REQUIRED_TAGS if tags[t] < MIN_PER_TAG}
    assert not missing, f"tags below {MIN_PER_TAG} sentences: {missing}"
    assert sum(1 for item in items if not item["facts"]) >= 10, "too few sentences with no facts"


# --------------------------------------------------------------------------- the scorer


def _gold_as_predictions(items, **changes):
    by_text = {}
    for item in items:
        spans = gold_spans(item["text"], item["facts"])
        by_text[item["text"]] = [as_fact(item["text"], f, *span, **changes) for f, span in zip(item["facts"], spans)]
    return lambda text: by_text[text]


def test_scorer_scores_gold_as_perfect():
    s = score(dev_items(), _gold_as_predictions(dev_items()))
    assert s.value_f1 == s.unit_f1 == s.qualifier_acc == s.subject_acc == s.bounds_acc == 1.0
    assert s.misses == []
    assert s.by_tag["traps"].pred == s.by_tag["traps"].gold


def test_scorer_separates_value_unit_and_qualifier():
    item = {"id": "t", "text": "About 4,000 foreign volunteers and $1.5bn arrived in 2019.", "covers": ["x"],
            "facts": [{"surface": "4,000", "value": 4000, "unit": None, "qualifier": "approx", "subject": "volunteers"},
                      {"surface": "$1.5bn", "value": 1.5e9, "unit": "USD", "qualifier": "exact", "subject": None}]}
    text = item["text"]
    a, b = item["facts"]
    predicted = [
        as_fact(text, a, 0, 11, qualifier="exact", subject="Volunteer"),  # overlapping span, singular subject
        as_fact(text, b, 35, 41, unit="EUR"),  # wrong unit
        as_fact(text, {**b, "value": 2019.0, "unit": None}, 53, 57),  # a year: spurious
    ]
    s = score([item], lambda _: predicted)
    assert (s.gold, s.pred, s.matched, s.matched_unit) == (2, 3, 2, 1)
    assert s.qualifier_acc == 0.5 and s.subject_acc == 1.0
    assert sorted(m.kind for m in s.misses) == ["qualifier", "spurious", "unit"]
    s = score([item], lambda _: [as_fact(text, a, 53, 57)])  # right value, wrong place
    assert s.matched == 0 and {m.kind for m in s.misses} == {"missed", "spurious"}


def test_gold_spans_prefer_whole_tokens():
    text = "Solar supplies 12 percent, up from 2 percent; 17 plants closed in 17 days."
    facts = [{"surface": s} for s in ("2 percent", "12 percent", "17", "17 days")]
    assert [text[a:b] for a, b in gold_spans(text, facts)] == ["2 percent", "12 percent", "17", "17 days"]
    assert gold_spans(text, facts)[0][0] == text.index("from 2") + 5


def test_quantities_loader_maps_units_and_drops_years():
    if not QUANTITIES.exists():
        pytest.skip(f"{QUANTITIES} not here")
    items = load_quantities(QUANTITIES)
    units = Counter(f["unit"] for item in items for f in item["facts"])
    assert units["USD"] and units["GBP"] and units["km"] and units["percent"]
    surfaces = {f["surface"] for item in items for f in item["facts"]}
    assert "1979" not in surfaces and "101" not in surfaces


# --------------------------------------------------------------------------- the extractor's scores


def test_print_dev_scores():
    """Always runs: prints the scores (or why there are none) into the test output."""
    s = dev_scores()
    if s is None:
        print(f"\n[dev scores] {extractor()[1]}")
        return
    print(f"\n[dev scores] {DEV.name}: value F1 {s.value_f1:.3f}, value+unit F1 {s.unit_f1:.3f}, "
          f"qualifier acc {s.qualifier_acc or 0:.3f}, subject acc {s.subject_acc or 0:.3f}")
    print(format_scores(s, DEV.name, misses=40))


def test_print_quantities_scores():
    if not QUANTITIES.exists():
        pytest.skip(f"{QUANTITIES} not here")
    predict, why = extractor()
    if predict is None:
        pytest.skip(why)
    s = score(load_quantities(QUANTITIES), predict)
    print(f"\n[quantities scores] value F1 {s.value_f1:.3f} (value+unit F1 {s.unit_f1:.3f}, unit names mapped roughly)")
    print(format_scores(s, "quantities", misses=0))


def test_dev_score_floors():
    s = dev_scores()
    if s is None:
        pytest.skip(extractor()[1])
    assert s.value_f1 >= FLOOR_VALUE_F1, f"value F1 {s.value_f1:.3f} < {FLOOR_VALUE_F1}"
    assert s.unit_f1 >= FLOOR_UNIT_F1, f"value+unit F1 {s.unit_f1:.3f} < {FLOOR_UNIT_F1}"
    assert (s.qualifier_acc or 0) >= FLOOR_QUALIFIER_ACC, f"qualifier acc {s.qualifier_acc} < {FLOOR_QUALIFIER_ACC}"


# --------------------------------------------------------------------------- counted subjects in real news

NEWS_SUBJECTS = Path(__file__).with_name("news_subjects.jsonl")
FLOOR_NEWS_SUBJECT_ACC = 0.90


def news_subject_scores() -> tuple[int, int, list[str], list[str]]:
    """(right, counted, wrong, spurious) over `news_subjects.jsonl`: 150 figures drawn at random (fixed seed)
    from real local-news articles and judged by hand. `kind` is `count` (a counted figure: `subject` is the
    gold head noun, null when the text names none), `age`, or `not_a_fact` (calibers, phone numbers, URLs)."""
    from ledger.extract import extract_text
    from ledger.extract.score import same_subject

    right = counted = 0
    wrong: list[str] = []
    spurious: list[str] = []
    for item in load_jsonl(NEWS_SUBJECTS):
        facts = [f for f in extract_text(item["text"]) if f.start <= item["start"] < f.end]
        if item["kind"] == "not_a_fact":
            if facts:
                spurious.append(f"{item['id']}: {item['surface']!r} ({item.get('note')})")
            continue
        if item["kind"] != "count":
            continue
        counted += 1
        got = facts[0] if facts else None
        gold = item["subject"]
        ok = got is not None and (same_subject(gold, got) if gold else got.subject is None)
        right += ok
        if not ok:
            wrong.append(f"{item['id']}: {item['surface']!r} gold {gold!r}, got {got.subject if got else 'no fact'!r}")
    return right, counted, wrong, spurious


def test_news_subjects_set_is_well_formed():
    items = load_jsonl(NEWS_SUBJECTS)
    assert len(items) == 150 and len({i["id"] for i in items}) == 150
    for item in items:
        assert item["kind"] in ("count", "age", "not_a_fact"), item["id"]
        assert item["text"][item["start"]:item["start"] + len(item["surface"])] == item["surface"], item["id"]


def test_news_subject_accuracy():
    right, counted, wrong, spurious = news_subject_scores()
    acc = right / counted
    print(f"\n[news subjects] subject acc {acc:.3f} ({right}/{counted} counted figures); "
          f"{len(spurious)} non-facts extracted")
    for line in wrong + spurious:
        print("   ", line)
    assert acc >= FLOOR_NEWS_SUBJECT_ACC, f"news subject acc {acc:.3f} < {FLOOR_NEWS_SUBJECT_ACC}"
