"""Kind-level properties: a sum's verdict does not change when its parts are reordered or all scaled."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.checks import load_text, run_rules
from tests.checks.helpers import article, make_fact

WORDS = ["alpha", "beta", "gamma", "delta"]
ARTICLE = article("---\nid: p\n---\nThe total is TOTAL, made of " + ", ".join(f"{w.upper()} {w}s" for w in WORDS) + ".\n", "p")


def verdict(total, parts, order, scale, rel):
    facts = [make_fact(ARTICLE, "TOTAL", total[0] * scale, total[1] * scale, total[2] * scale, subject="totals")]
    for word, (v, lo, hi) in zip(WORDS, parts):
        facts.append(make_fact(ARTICLE, word.upper(), v * scale, lo * scale, hi * scale, subject=word))
    selectors = "\n".join(f"      - {{subject: {WORDS[i]}}}" for i in order)
    text = (f"rules:\n  - id: s\n    kind: sum\n    total: {{subject: total}}\n    parts:\n{selectors}\n"
            f"    tolerance: {{rel: {rel}}}\n")
    [finding] = run_rules(load_text(text), facts, [ARTICLE])
    return finding.status


figure = st.tuples(st.integers(0, 1000), st.integers(0, 100), st.integers(0, 100)).map(
    lambda t: (float(t[0]), float(t[0] - t[1]), float(t[0] + t[2])))


@settings(max_examples=60, deadline=None)
@given(figure, st.lists(figure, min_size=4, max_size=4), st.permutations(range(4)),
       st.sampled_from([1e-3, 0.5, 7.0, 1e6]), st.sampled_from([0.0, 0.01, 0.1]))
def test_sum_verdict_ignores_part_order_and_scale(total, parts, order, scale, rel):
    base = verdict(total, parts, range(4), 1.0, rel)
    assert verdict(total, parts, order, 1.0, rel) == base
    assert verdict(total, parts, range(4), scale, rel) == base
