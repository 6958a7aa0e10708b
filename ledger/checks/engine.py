"""Running rules over facts: group the facts each rule looks at, call the kind's `check()` per group, and
keep going when a check raises (the crash becomes a failing finding). Findings come out sorted by rule id,
then group.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator, Mapping

from ledger.checks.base import Aliases
from ledger.checks.cache import FindingCache, decode, encode
from ledger.checks.cache import fingerprint as cache_fingerprint
from ledger.checks.facts import Context, FactSet, UnitMismatch
from ledger.checks.registry import KINDS
from ledger.model import (Article, Fact, Finding, article_ids, facts_of_articles, facts_in_chunks, placed,
                          reads_on_demand, share_values)


def _group_sort_key(group: dict[str, Any]) -> str:
    return _SORT_KEY.encode(group)


_SORT_KEY = json.JSONEncoder(sort_keys=True, default=str)
"""`json.dumps(group, sort_keys=True, default=str)`, made once: `dumps` makes an encoder per call when given
options (a third of the time, for 46,000 groups)."""


def crash_finding(rule: Any, group: dict[str, Any], error: BaseException) -> Finding:
    text = str(error).splitlines()[0] if str(error) else ""
    return Finding(rule=rule.id, kind=rule.kind, severity=rule.severity, status="fail",
                   message=f"engine crash: {type(error).__name__}{': ' + text if text else ''}", group=dict(group))


def groups_for(rule: Any, context: Context) -> list[tuple[dict[str, Any], list[Fact]]]:
    """The groups (by the rule's `group_by`) of the facts any of its roles matches; one empty group when none."""
    relevant: set[str] = set()
    for selector in rule.roles().values():
        relevant.update(fact.id for fact in context.select(selector))
    keys = rule.grouping()
    grouped: dict[tuple[Any, ...], list[Fact]] = {}
    for fact in [f for f in context.facts if f.id in relevant]:
        key = context.group_key(fact, keys)
        if key is None:
            continue
        grouped.setdefault(key, []).append(fact)
    if not grouped:
        return [({}, [])]
    return [(dict(key), facts) for key, facts in grouped.items()]


def run_rule(rule: Any, context: Context, if_none_matched: bool = True) -> list[Finding]:
    """The rule's findings, group by group; when no fact matched, the kind's own word on that (usually a
    skipped finding), unless `if_none_matched` is False (some articles of many: the others may match)."""
    module = KINDS[rule.kind]
    try:
        groups = groups_for(rule, context)
    except Exception as e:  # noqa: BLE001 - a broken rule must not stop the others
        return [crash_finding(rule, {}, e)]
    if not if_none_matched and groups == [({}, [])]:
        return []
    findings: list[Finding] = []
    for group, facts in sorted(groups, key=lambda g: _group_sort_key(g[0])):
        fact_set = FactSet(rule=rule, group=group, facts=facts, context=context)
        try:
            findings.extend(module.check(rule, fact_set))
        except UnitMismatch as e:
            findings.append(fact_set.skipped(f"skipped: units do not convert: {e}",
                                             roles={"facts": facts}))
        except Exception as e:  # noqa: BLE001
            findings.append(crash_finding(rule, group, e))
    return findings


def separable(rule: Any) -> bool:
    """Whether the rule's findings about an article depend on that article alone: it groups by article, or its
    kind judges each figure on its own (`PER_FACT`)."""
    return "article" in rule.grouping() or getattr(KINDS[rule.kind], "PER_FACT", False)


def fact_order(fact: Fact) -> tuple[str, int, int, str]:
    return (fact.article, fact.start, fact.end, fact.id)


def run_rules(ruleset: Any, facts: Iterable[Fact], articles: Iterable[Article], aliases: Aliases | None = None,
              cache: FindingCache | None = None,
              aside: Callable[[], Mapping[str, list[Finding]] | None] | None = None) -> list[Finding]:
    """Every rule's findings over the facts, sorted by rule id and group (stable within a group).

    Separable rules are run article by article; with a `cache`, an article whose content and rules are
    unchanged since the last run keeps its findings, and only the others are checked. Facts that read their
    articles on demand (`ledger.pipeline.LazyFacts`) are read only where a rule needs them. `aside` gives the
    findings of the rules over the whole corpus as `whole_corpus` worked them out meanwhile (in a forked child),
    or None; taken when they are those of every rule left to run over the whole corpus."""
    aliases = _aliases(ruleset, aliases)
    article_map = {a.id: a for a in articles}
    rules = sorted(ruleset.rules, key=lambda r: r.id)
    local = [r for r in rules if separable(r)]
    contexts = _Contexts(facts, article_map, aliases)
    whole = [r for r in rules if not separable(r)]
    hits: dict[str, bool] = {}  # article -> whether a fact of it is one `whole`'s selectors match (seen in passing)
    by_article = _by_article(local, contexts, cache, _selectors(whole) if whole else None, hits) if local else None
    global_rules = [r for r in rules if by_article is None or r.id not in by_article]
    told = aside() if aside is not None and global_rules else None
    if told is not None and set(told) == {r.id for r in global_rules}:
        by_article = {**(by_article or {}), **told}
        global_rules = []
    context = _global_context(global_rules, contexts, cache, hits if global_rules == whole else {}) \
        if global_rules else Context(facts=[], articles=article_map, aliases=aliases)
    del contexts
    findings: list[Finding] = []
    for rule in rules:
        found = by_article[rule.id] if by_article is not None and rule.id in by_article else run_rule(rule, context)
        findings.extend(share_values(found, {}))  # a rule may find once per fact: keep them small
    return findings


def whole_corpus(ruleset: Any, facts: Iterable[Fact], articles: Iterable[Article],
                 cache: FindingCache | None = None) -> bytes | None:
    """The findings of the rules that judge the whole corpus at once (not `separable`), as `run_rules` works them
    out, encoded for `read_whole_corpus`; None when there are none. Worked out by the agreement child
    (`ledger.checks.auto.agreement_aside`) while `run_rules` checks the others article by article: their context
    took the parent 0.5 s of a 1.0M re-run's critical path."""
    rules = sorted((r for r in ruleset.rules if not separable(r)), key=lambda r: r.id)
    if not rules:
        return None
    article_map = {a.id: a for a in articles}
    context = _global_context(rules, _Contexts(facts, article_map, _aliases(ruleset, None)), cache, {})
    found = {rule.id: list(run_rule(rule, context)) for rule in rules}
    # where their facts stand: the reports read them from there (this process read them, the parent did not)
    by_id = {f.id: f for f in context.facts}
    for rule_findings in found.values():
        placed(rule_findings, by_id, article_map)
    header = json.dumps([[rule_id, len(rule_findings)] for rule_id, rule_findings in found.items()])
    return header.encode() + b"\n" + encode(tuple(found), [f for rule_findings in found.values() for f in rule_findings])


def read_whole_corpus(data: bytes | None) -> dict[str, list[Finding]] | None:
    """Rule id -> its findings, from what `whole_corpus` gave; None for anything else."""
    if not data:
        return None
    header, _, record = data.partition(b"\n")
    decoded = decode(record, {})
    try:
        counts = [(str(rule_id), int(count)) for rule_id, count in json.loads(header)]
    except (ValueError, TypeError):
        return None
    if decoded is None or sum(count for _, count in counts) != len(decoded[2]):
        return None
    findings, out, start = decoded[2], {}, 0
    for rule_id, count in counts:
        out[rule_id] = findings[start:start + count]
        start += count
    return out


def stored_share(ruleset: Any, cache: FindingCache, aliases: Aliases | None = None) -> float:
    """The share of articles whose findings of the rules judged article by article the store keeps (sampled):
    those `run_rules` will not read the facts of."""
    local = sorted((r for r in ruleset.rules if separable(r)), key=lambda r: r.id)
    return cache.stored_share(cache_fingerprint(*local, _aliases(ruleset, aliases)), "checked") if local else 1.0


def _aliases(ruleset: Any, aliases: Aliases | None) -> Aliases:
    return aliases if aliases is not None else getattr(ruleset, "aliases", None) or Aliases()


class _Contexts:
    """Contexts over the facts of some articles, for the rule-file checks of a run."""

    def __init__(self, facts: Iterable[Fact], articles: dict[str, Article], aliases: Aliases) -> None:
        self.facts, self.articles, self.aliases = facts, articles, aliases

    def of(self, articles: Iterable[str] | None = None) -> Context:
        """Over the facts of these articles (None: every fact), in `fact_order`."""
        wanted = frozenset(article_ids(self.facts) if articles is None else articles)
        return Context(facts=sorted(facts_of_articles(self.facts, wanted), key=fact_order), articles=self.articles,
                       aliases=self.aliases)

    def chunks(self, articles: list[str]) -> Iterator[tuple[list[str], Context]]:
        """(articles, a context over their facts) for each chunk of these articles in turn (`in_chunks`): the rules
        that judge one article at a time look at a few thousand facts at once, never index a million."""
        context: Context | None = None
        for chunk, facts in facts_in_chunks(self.facts, articles):
            facts.sort(key=fact_order)
            context = Context(facts=facts, articles=self.articles, aliases=self.aliases) if context is None \
                else context.over(facts)
            yield chunk, context


def _selectors(rules: list[Any]) -> list[Any] | None:
    """Every selector of the rules' roles; None when a rule is broken (`run_rule` says so: it sees every fact)."""
    try:
        return [s for rule in rules for s in rule.roles().values()]
    except Exception:  # noqa: BLE001
        return None


def _global_context(rules: list[Any], contexts: _Contexts, cache: FindingCache | None,
                    hits: Mapping[str, bool]) -> Context:
    """The facts rules over the whole corpus look at: those of the articles with a fact one of the rules' selectors
    matches (a rule's groups hold only facts its selectors match: the rest change nothing). Which articles those
    are was seen in passing by `_by_article` (`hits`), is kept in a cache from an earlier run (for the unchanged
    articles, when facts are read on demand) or is found here; with a cache, it is kept for the next run.
    Without a cache and nothing seen in passing, every fact."""
    order = article_ids(contexts.facts)
    if cache is None and len(hits) < len(order):
        return contexts.of()
    selectors = _selectors(rules)
    if selectors is None:
        return contexts.of()
    stamp = cache_fingerprint("selected", *rules, contexts.aliases)
    kept = cache.load_rows(stamp, "selected") if cache is not None and reads_on_demand(contexts.facts) else {}
    found = dict(hits)
    unknown = [a for a in order if a not in found and a not in kept]
    context = contexts.of(unknown) if unknown else None
    if context is not None:
        matched = {f.article for selector in selectors for f in context.select(selector)}
        found.update((a, a in matched) for a in unknown)
    if cache is not None:
        cache.save_rows(stamp, {a: hit for a, hit in found.items() if kept.get(a) is not hit}, "selected")
    if context is not None and not hits and not any(kept.values()):
        return context  # every article not kept was looked at in it
    return contexts.of(a for a in order if found.get(a, kept.get(a)))


def _by_article(rules: list[Any], contexts: _Contexts, cache: FindingCache | None, selectors: list[Any] | None,
                hits: dict[str, bool]) -> dict[str, list[Finding]]:
    """Rule id -> findings, for the separable `rules` whose every finding is about one article: the cached
    findings of unchanged articles, the rest checked here (and cached), a chunk of articles at a time. The order
    is that of `run_rule` on all facts: by group, then article, then as found. A rule that finds something about
    no article or several is left out, to be run whole. Each article checked here is put in `hits`: whether
    a fact of it is one the `selectors` match (of the rules run over the whole corpus)."""
    articles, aliases = contexts.articles, contexts.aliases
    fingerprint = cache_fingerprint(*rules, aliases)
    every = tuple(r.id for r in rules)
    kept = {a: findings for a, (covered, findings) in (cache.load(fingerprint) if cache else {}).items()
            if covered == every}  # a record from a run that had to leave a rule out is checked again
    found: dict[str, list[Finding]] = {r.id: [] for r in rules}
    fresh: dict[str, list[Finding]] = {}
    for chunk, context in contexts.chunks([a for a in article_ids(contexts.facts) if a not in kept]):
        if context.facts:
            # kept findings are stored with where their facts stand: worked out while those are at hand
            by_id = {f.id: f for f in context.facts} if cache is not None else None
            for r in rules:
                made = run_rule(r, context, if_none_matched=False)
                if by_id is not None:
                    placed(made, by_id, articles)
                found[r.id].extend(made)
            fresh.update((f.article, []) for f in context.facts)
        if selectors is not None:
            matched = {f.article for selector in selectors for f in context.select(selector)}
            hits.update((a, a in matched) for a in chunk)
    whole = {rule_id for rule_id, findings in found.items() if any(len(f.articles) != 1 for f in findings)}
    covered = tuple(rule_id for rule_id in every if rule_id not in whole)
    for rule_id in covered:
        for finding in found[rule_id]:
            fresh.setdefault(finding.articles[0], []).append(finding)
    if cache is not None:
        cache.save(fingerprint, {a: (covered, findings) for a, findings in fresh.items()})
    out: dict[str, list[tuple[str, str, int, Finding]]] = {rule_id: [] for rule_id in covered}
    sort_keys: dict[tuple[Any, ...], str] = {}  # groups of article-level values: a few per article
    for article_id, findings in [*kept.items(), *fresh.items()]:
        for n, finding in enumerate(findings):
            if finding.rule in out:
                out[finding.rule].append((_memo_sort_key(finding.group, sort_keys), article_id, n, finding))
    empty = Context(facts=[], articles=articles, aliases=aliases)
    by_id = {r.id: r for r in rules}
    # (group, article, place) is never the same twice in a rule: the findings themselves are never compared
    return {rule_id: [f for *_, f in sorted(items)] if items else run_rule(by_id[rule_id], empty)
            for rule_id, items in out.items()}


def _memo_sort_key(group: dict[str, Any], memo: dict[tuple[Any, ...], str]) -> str:
    if not group:
        return "{}"
    items = tuple(group.items())
    try:
        key = memo.get(items)
    except TypeError:  # a value that is not hashable
        return _group_sort_key(group)
    if key is None:
        key = memo[items] = _group_sort_key(group)
    return key
