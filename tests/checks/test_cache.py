"""Findings kept between runs (`ledger.checks.cache`): a re-run finds exactly what a fresh run finds, checking
only the articles whose content or rules changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.articles import read_articles
from ledger import model
from ledger.checks import engine, load_rules, load_text, run_rules
from ledger.checks.cache import FindingCache
from ledger.checks.loader import RuleSet
from ledger.pipeline import extract_facts

ROOT = Path(__file__).parents[2]
BOUNDS = "rules:\n  - id: z.shares\n    kind: bounds\n    select: {unit: percent}\n    min: 0\n    max: {max}\n"


def ruleset(extra: str = BOUNDS.replace("{max}", "100")):
    shipped = load_rules(ROOT / "rules")
    return RuleSet(rules=[*shipped.rules, *load_text(extra).rules], aliases=shipped.aliases)


def checked(articles, tmp_path, rules, cache: bool):
    extraction = extract_facts(articles, store_path=tmp_path / "ledger.db", jobs=1)
    store_cache = FindingCache(extraction.store, extraction.keys) if cache else None
    # a kept finding says where its facts stand (for reports that do not read them); the verdicts are compared
    return [f.model_copy(update={"places": None}) for f in run_rules(rules, extraction.facts, articles, cache=store_cache)]


@pytest.fixture
def articles():
    return read_articles([str(ROOT / "seeds"), str(ROOT / "tests" / "auto" / "corpus")]).articles


def test_a_rerun_finds_what_a_fresh_run_finds_and_checks_only_what_changed(articles, tmp_path, monkeypatch):
    rules = ruleset()
    fresh = checked(articles, tmp_path, rules, cache=False)
    assert any(f.rule == "z.shares" for f in fresh) and any(f.group.get("article") for f in fresh)
    assert checked(articles, tmp_path, rules, cache=True) == fresh  # fills the cache
    checked_facts: list[int] = []
    real_context = engine.Context

    def counting(*args, **kwargs):
        context = real_context(*args, **kwargs)
        checked_facts.append(len(context.facts))
        return context

    monkeypatch.setattr(engine, "Context", counting)
    assert checked(articles, tmp_path, rules, cache=True) == fresh
    assert checked_facts[0] == 0  # every article's findings came from the cache
    monkeypatch.setattr(engine, "Context", real_context)

    changed = [a.model_copy(update={"text": a.text + "\nSome 140% of voters agreed.\n"}) if n == 0 else a
               for n, a in enumerate(articles)]
    expected = checked(changed, tmp_path / "fresh", rules, cache=False)
    assert expected != fresh
    assert checked(changed, tmp_path, rules, cache=True) == expected


@pytest.mark.parametrize("cache", [False, True])
def test_articles_checked_a_few_at_a_time_find_what_one_pass_finds(articles, tmp_path, monkeypatch, cache):
    rules = ruleset()
    monkeypatch.setattr(model, "CHUNK_ARTICLES", 10**6)
    one_pass = checked(articles, tmp_path / "one", rules, cache)
    monkeypatch.setattr(model, "CHUNK_ARTICLES", 2)
    assert checked(articles, tmp_path / "chunked", rules, cache) == one_pass
    if cache:  # and again, from what the chunked run kept
        assert checked(articles, tmp_path / "chunked", rules, cache) == one_pass


def test_rules_over_the_whole_corpus_look_only_at_articles_with_a_figure_they_select(articles, tmp_path,
                                                                                    monkeypatch):
    rules = ruleset()
    whole = [r for r in rules.rules if not engine.separable(r)]
    assert whole and len(whole) < len(rules.rules)
    every_fact = checked(articles, tmp_path / "alone", RuleSet(rules=whole, aliases=rules.aliases), cache=False)
    asked: list[set[str]] = []
    real_of = engine._Contexts.of
    monkeypatch.setattr(engine._Contexts, "of", lambda self, wanted=None: real_of(self, asked.append(
        set(wanted) if wanted is not None else {a.id for a in articles}) or asked[-1]))
    found = checked(articles, tmp_path / "with", rules, cache=False)
    assert [f for f in found if f.rule in {r.id for r in whole}] == every_fact
    assert len(asked) == 1 and 0 < len(asked[0]) < len(articles)  # seen in passing by the other rules' chunks


def test_changed_rules_are_checked_again(articles, tmp_path):
    checked(articles, tmp_path, ruleset(), cache=True)
    stricter = ruleset(BOUNDS.replace("{max}", "10"))
    assert checked(articles, tmp_path, stricter, cache=True) == checked(articles, tmp_path, stricter, cache=False)


def test_a_rule_that_finds_about_several_articles_at_once_is_run_whole(articles, tmp_path, monkeypatch):
    from ledger.checks import bounds

    real = bounds.check

    def about_everything(params, facts):
        for finding in real(params, facts):
            yield finding.model_copy(update={"articles": ()})  # as if about no one article

    monkeypatch.setattr(bounds, "check", about_everything)
    rules = ruleset()
    assert checked(articles, tmp_path, rules, cache=True) == checked(articles, tmp_path, rules, cache=False)
    assert checked(articles, tmp_path, rules, cache=True) == checked(articles, tmp_path, rules, cache=False)


def test_no_fact_matched_is_said_once_not_per_article(articles, tmp_path):
    rules = ruleset(BOUNDS.replace("{max}", "100").replace("unit: percent", "subject: unicorns"))
    found = [f for f in checked(articles, tmp_path, rules, cache=True) if f.rule == "z.shares"]
    assert [f.status for f in found] == ["skipped"]
    assert found == [f for f in checked(articles, tmp_path, rules, cache=True) if f.rule == "z.shares"]


def test_built_in_findings_are_kept_and_a_changed_article_is_checked_again(articles, tmp_path):
    """auto.agreement per key group, auto.composition and auto.share per article."""
    from ledger.checks.auto import run_auto

    def auto(arts, cache: bool):
        extraction = extract_facts(arts, store_path=tmp_path / "ledger.db", jobs=1)
        store_cache = FindingCache(extraction.store, extraction.keys) if cache else None
        found = run_auto(extraction.facts, extraction.relations, arts, None, None, extraction.clauses, store_cache)
        return [f.model_copy(update={"places": None}) for f in found]  # kept ones say where their facts stand

    fresh = auto(articles, cache=False)
    assert {"auto.agreement", "auto.composition", "auto.share"} <= {f.rule for f in fresh}
    assert auto(articles, cache=True) == fresh == auto(articles, cache=True)
    first = next(a for a in articles if any(a.id in f.articles for f in fresh if f.rule == "auto.agreement"))
    changed = [a.model_copy(update={"text": a.text.replace("0", "9", 1)}) if a is first else a for a in articles]
    assert auto(changed, cache=True) == auto(changed, cache=False)


def test_built_in_findings_of_articles_taken_a_few_at_a_time_are_those_of_one_pass(articles, tmp_path, monkeypatch):
    from ledger.checks.auto import run_auto

    def auto(where: str, cache: bool):
        extraction = extract_facts(articles, store_path=tmp_path / where / "ledger.db", jobs=1)
        store_cache = FindingCache(extraction.store, extraction.keys) if cache else None
        found = run_auto(extraction.facts, extraction.relations, articles, None, None, extraction.clauses, store_cache)
        return [f.model_copy(update={"places": None}) for f in found]

    one_pass = auto("one", cache=False)
    monkeypatch.setattr(model, "CHUNK_ARTICLES", 2)
    assert auto("chunked", cache=False) == one_pass
    assert auto("cached", cache=True) == one_pass == auto("cached", cache=True)


def test_only_key_groups_of_two_articles_or_more_are_stored(tmp_path):
    """A group whose figures all come from one article cannot disagree with another: no row for it."""
    import sqlite3
    from datetime import date

    from ledger.checks.auto import run_auto
    from ledger.model import Article

    texts = ["Wagner spends about $100 million a month on the war. Wagner has about 50,000 fighters in Ukraine.",
             "Wagner spends $1.2 billion a year on the war. Wagner lost 300 tanks in May."]
    arts = [Article(id=f"a{n}", path=f"a{n}.md", text=t, published=date(2023, 1, 3 + n)) for n, t in enumerate(texts)]
    extraction = extract_facts(arts, store_path=tmp_path / "ledger.db", jobs=1)
    cache = FindingCache(extraction.store, extraction.keys)
    found = run_auto(extraction.facts, extraction.relations, arts, None, None, extraction.clauses, cache)
    assert [(f.status, f.articles) for f in found if f.rule == "auto.agreement"] == [("pass", ("a0", "a1"))]
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        assert db.execute("SELECT count(*) FROM agreed").fetchone()[0] == 1
    again = run_auto(extraction.facts, extraction.relations, arts, None, None, extraction.clauses, cache)
    assert [f.model_copy(update={"places": None}) for f in again] == [f.model_copy(update={"places": None}) for f in found]


def test_a_stored_row_reads_back_as_the_findings_it_was_made_of():
    """Rows of findings are stored in `marshal`'s format and read back unvalidated: the same findings, equal and
    dumping the same JSON; a value marshal does not hold (a date in a group) as a JSON round trip gives it."""
    from datetime import date

    from ledger.checks.cache import decode, encode
    from ledger.model import Finding

    plain = Finding(rule="r", kind="bounds", severity="warning", status="fail", message="10% > 5%",
                    group={"article": "a", "n": 2, "x": 0.5, "none": None}, articles=("a",), facts=("f1", "f2"),
                    expected=(0.0, 5.0), actual=(float("inf"), None), unit="percent", work="w",
                    roles={"select": ("f1",)}, waiver="why", baselined=True,
                    places=(("f1", "a", "10%", 3, 4, 3, 7),))
    rules, texts, found = decode(encode(("r", "s"), [plain, Finding(rule="s", kind="k", severity="info",
                                                                     status="pass", message="")], ("t",)), {})
    assert (rules, texts) == (("r", "s"), ("t",)) and found[0] == plain
    assert [f.model_dump_json() for f in found][:1] == [plain.model_dump_json()] and found[1].group == {}
    dated = plain.model_copy(update={"group": {"as_of": date(2024, 5, 1)}})
    assert decode(encode(("r",), [dated]), {})[2] == [Finding.model_validate_json(dated.model_dump_json())]
    assert decode(b"garbage", {}) is None and decode('{"rules": []}', {}) is None


def test_rows_read_back_share_their_repeated_values():
    """Rows read with one pool share each repeated value that `SHAREABLE` names (a million findings' rule ids and
    article ids), and not the values of other fields."""
    from ledger.checks.cache import decode, encode
    from ledger.model import Finding

    def row(n: int) -> bytes:
        return encode(("rule.one",), [Finding(rule="rule.one", kind="bounds", severity="error", status="pass",
                                              message=f"{n}% is within range", articles=("article-1",),
                                              facts=(f"f{n}",), unit="percent", work=f"work {n}")])

    pool: dict = {}
    (first,), (second,) = (decode(row(n), pool)[2] for n in (1, 2))
    assert first.rule is second.rule and first.articles is second.articles and first.unit is second.unit
    assert first.message != second.message and first.facts != second.facts
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__


def test_rules_over_the_whole_corpus_worked_out_aside_find_what_run_rules_finds(articles, tmp_path):
    """`whole_corpus` (the agreement child's first work) gives `run_rules` the findings it would make of the rules
    over the whole corpus, placed; anything else it gives is not taken."""
    rules = ruleset()
    assert any(not engine.separable(r) for r in rules.rules)
    extraction = extract_facts(articles, store_path=tmp_path / "ledger.db", jobs=1)
    plain = run_rules(rules, extraction.facts, articles)
    told = engine.read_whole_corpus(engine.whole_corpus(rules, extraction.facts, articles))
    assert told and all(f.places is not None for found in told.values() for f in found)
    for aside in (lambda: told, lambda: None, lambda: engine.read_whole_corpus(b"[]\nnot a row"),
                  lambda: engine.read_whole_corpus(b'{"a": 1}\n')):
        found = run_rules(rules, extraction.facts, articles, aside=aside)
        assert [f.model_copy(update={"places": None}) for f in found] == plain
    assert engine.whole_corpus(RuleSet(rules=[r for r in rules.rules if engine.separable(r)]), extraction.facts,
                               articles) is None
