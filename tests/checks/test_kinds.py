"""Each kind on facts built by hand: verdicts, the work shown, roles, skips and group keys."""

from __future__ import annotations

import math

import pytest

from ledger.checks import load_text, run_rules
from tests.checks.helpers import article, make_fact

WAGNER = article("""---
id: wagner
published: 2022-12-22
---
Mr. Kirby said Wagner was spending about $100 million a month in Ukraine.
Wagner has about 50,000 people fighting in Ukraine, including 10,000 contractors and about 40,000 inmates whom the company recruited.
""", "wagner")


def wagner_facts(inmates: float = 40_000):
    a = WAGNER
    return [
        make_fact(a, "about $100 million a month", 100e6, 90e6, 110e6, unit="USD/month", qualifier="approx"),
        make_fact(a, "about 50,000", 50_000, 45_000, 55_000, subject="people", qualifier="approx"),
        make_fact(a, "10,000", 10_000, subject="contractors"),
        make_fact(a, "about 40,000", inmates, inmates * 0.9, inmates * 1.1, subject="inmates", qualifier="approx"),
    ]


def rules(yaml_text: str):
    return load_text(yaml_text, "r.yaml")


SUM = """rules:
  - id: wagner.force.composition
    kind: sum
    message: "{parts} add up to {parts_sum}, but the total is {total}"
    total: {subject: [fighters, people], text: Wagner}
    parts:
      - {subject: contractors}
      - {subject: [inmates, prisoners, convicts]}
    tolerance: {rel: 0.01}
"""


def test_sum_passes_and_shows_its_work():
    [finding] = run_rules(rules(SUM), wagner_facts(), [WAGNER])
    assert finding.status == "pass", finding
    assert finding.rule == "wagner.force.composition" and finding.kind == "sum"
    assert finding.group == {"article": "wagner"} and finding.articles == ("wagner",)
    assert set(finding.roles) == {"total", "parts"} and len(finding.roles["parts"]) == 2
    assert finding.work.startswith("10,000 (9,900–10,100) + ~40,000 (35,640–44,440) = 45,540–54,540 vs ~50,000")
    assert finding.work.endswith(": pass")
    assert finding.expected == pytest.approx((44_550, 55_550))
    assert finding.unit is None


def test_sum_fails_with_the_message_template():
    [finding] = run_rules(rules(SUM), wagner_facts(inmates=20_000), [WAGNER])
    assert finding.status == "fail"
    assert finding.message.startswith("10,000 + about 40,000 add up to 27,720–32,320, but the total is about 50,000")
    assert len(finding.facts) == 3


@pytest.mark.parametrize("template, message", [
    ("{value:,.0f} is over {max:,.0f}", "1,500 is over 1,000"),   # format specs on figures shown as text
    ("{value} of {nothing}", "1500 of {nothing}"),                 # unknown: left as written, the rest filled
    ("{value:.2f} bad {", "{value:.2f} bad {"),                    # broken: as written
])
def test_message_template_fills_each_placeholder_it_can(template, message):
    from ledger.checks.facts import fill_template

    assert fill_template(template, {"value": "1500", "max": 1000.0}) == message


def test_sum_not_exhaustive_allows_parts_below_the_total():
    text = SUM.replace("    tolerance", "    exhaustive: false\n    tolerance")
    [finding] = run_rules(rules(text), wagner_facts(inmates=20_000), [WAGNER])
    assert finding.status == "pass"
    [finding] = run_rules(rules(text), wagner_facts(inmates=60_000), [WAGNER])
    assert finding.status == "fail"


def test_sum_skips_naming_the_role_that_matched_nothing():
    facts = [f for f in wagner_facts() if f.subject != "contractors"]
    [finding] = run_rules(rules(SUM), facts, [WAGNER])
    assert finding.status == "skipped"
    assert "parts[0]" in finding.message


def test_rule_that_matches_nothing_anywhere_is_one_skipped_finding():
    [finding] = run_rules(rules(SUM), [], [WAGNER])
    assert finding.status == "skipped" and finding.group == {}


def test_sum_with_infinite_total():
    a = article("---\nid: x\n---\nMore than 40,000 fighters, including 10,000 contractors and 20,000 inmates.\n", "x")
    facts = [make_fact(a, "More than 40,000", 40_000, 40_000, math.inf, subject="fighters", qualifier="more_than"),
             make_fact(a, "10,000", 10_000, subject="contractors"), make_fact(a, "20,000", 20_000, subject="inmates")]
    [finding] = run_rules(rules(SUM.replace(", text: Wagner", "")), facts, [a])
    assert finding.status == "fail"  # 30,000 cannot be more than 40,000
    assert finding.expected[1] is None  # JSON null for +inf
    facts[2] = make_fact(a, "20,000", 35_000, subject="inmates")
    [finding] = run_rules(rules(SUM.replace(", text: Wagner", "")), facts, [a])
    assert finding.status == "pass"


AGREE = """rules:
  - id: wagner.spending.agrees
    kind: agreement
    select: {unit: USD/year, text: "spend|spending|costs?"}
    tolerance: {rel: 0.05}
"""


def spending_article(article_id: str, sentence: str, surface: str, value: float, unit: str, low=None, high=None):
    a = article(f"---\nid: {article_id}\n---\n{sentence}\n", article_id)
    return a, make_fact(a, surface, value, low, high, unit=unit)


def test_agreement_converts_units_and_passes():
    a1, f1 = spending_article("a1", "Wagner is spending about $100 million a month.", "$100 million a month", 100e6,
                              "USD/month", 90e6, 110e6)
    a2, f2 = spending_article("a2", "Wagner spends $1.2 billion a year.", "$1.2 billion a year", 1.2e9, "USD/year")
    [finding] = run_rules(rules(AGREE), [f1, f2], [a1, a2])
    assert finding.status == "pass" and finding.unit == "USD/year"
    assert finding.group == {} and set(finding.articles) == {"a1", "a2"}


def test_agreement_reports_the_outlier_against_the_consensus():
    made = [spending_article(f"a{i}", "Wagner spends $1.2 billion a year.", "$1.2 billion a year", 1.2e9, "USD/year")
            for i in range(3)]
    out_a, out_f = spending_article("z", "Wagner spends $12 billion a year.", "$12 billion a year", 12e9, "USD/year")
    arts = [a for a, _ in made] + [out_a]
    facts = [f for _, f in made] + [out_f]
    [finding] = run_rules(rules(AGREE), facts, arts)
    assert finding.status == "fail"
    assert finding.articles == ("z",) and finding.facts == (out_f.id,)
    assert finding.expected == pytest.approx((1.2e9 * 0.95, 1.2e9 * 1.05))
    assert "consensus of 3 of 4" in finding.message
    assert len(finding.roles["consensus"]) == 3


def test_agreement_without_majority_names_every_disagreeing_figure():
    a1, f1 = spending_article("a1", "Wagner spends $1 billion a year.", "$1 billion a year", 1e9, "USD/year")
    a2, f2 = spending_article("a2", "Wagner spends $2 billion a year.", "$2 billion a year", 2e9, "USD/year")
    [finding] = run_rules(rules(AGREE), [f1, f2], [a1, a2])
    assert finding.status == "fail" and set(finding.articles) == {"a1", "a2"} and finding.expected is None


def test_agreement_needs_two_figures():
    a1, f1 = spending_article("a1", "Wagner spends $1 billion a year.", "$1 billion a year", 1e9, "USD/year")
    [finding] = run_rules(rules(AGREE), [f1], [a1])
    assert finding.status == "skipped"


def test_agreement_leaves_out_figures_that_do_not_match_the_unit():
    a1, f1 = spending_article("a1", "Wagner spends $1 billion a year.", "$1 billion a year", 1e9, "USD/year")
    a2, f2 = spending_article("a2", "Wagner spends 1,000 rubles a year.", "1,000 rubles a year", 1000, "RUB/year")
    [finding] = run_rules(rules(AGREE), [f1, f2], [a1, a2])
    assert finding.status == "skipped"


RATIO = """rules:
  - id: layoffs.share
    kind: ratio
    numerator: {subject: jobs}
    denominator: {subject: workers}
    share: {unit: percent}
"""


@pytest.mark.parametrize("pct, low, high, status", [(8, 7.5, 8.5, "pass"), (20, 20, 20, "fail"),
                                                    (0.08, 0.08, 0.08, "pass")])
def test_ratio(pct, low, high, status):
    a = article("---\nid: cuts\n---\nThe company will cut 2,000 jobs, or about 8% of its 25,000 workers.\n", "cuts")
    unit = "fraction" if pct < 1 else "percent"
    facts = [make_fact(a, "2,000", 2000, subject="jobs"), make_fact(a, "25,000", 25_000, subject="workers"),
             make_fact(a, "about 8%", pct, low, high, unit=unit, qualifier="approx")]
    [finding] = run_rules(rules(RATIO), facts, [a])
    assert finding.status == status, finding.work
    assert finding.unit == "percent" and finding.actual == pytest.approx((8, 8))


def test_ratio_share_role_only_takes_percentages():
    a = article("---\nid: cuts\n---\nThe company will cut 2,000 jobs of its 25,000 workers.\n", "cuts")
    facts = [make_fact(a, "2,000", 2000, subject="jobs"), make_fact(a, "25,000", 25_000, subject="workers")]
    text = RATIO.replace("share: {unit: percent}", "share: {}")
    [finding] = run_rules(rules(text), facts, [a])
    assert finding.status == "skipped" and "share" in finding.message


BOUNDS = """rules:
  - id: share.range
    kind: bounds
    select: {unit: percent}
    min: 0
    max: 100
"""


def test_bounds_one_finding_per_fact_in_text_order():
    a = article("---\nid: poll\n---\nSome 62% back it, 120% oppose it and a third do not care.\n", "poll")
    facts = [make_fact(a, "62%", 62, unit="percent"), make_fact(a, "120%", 120, unit="percent"),
             make_fact(a, "a third", 1 / 3, unit="fraction"), make_fact(a, "Some", 5)]
    findings = run_rules(rules(BOUNDS), facts, [a])
    assert [f.status for f in findings] == ["pass", "fail", "pass"]
    assert findings[1].facts == (facts[1].id,) and findings[1].expected == (0, 100)
    assert findings[2].actual == pytest.approx((100 / 3, 100 / 3))


def test_bounds_open_interval_passes_when_it_can_be_within():
    a = article("---\nid: poll\n---\nMore than 90% back it.\n", "poll")
    facts = [make_fact(a, "More than 90%", 90, 90, math.inf, unit="percent", qualifier="more_than")]
    [finding] = run_rules(rules(BOUNDS), facts, [a])
    assert finding.status == "pass" and finding.actual == (90, None)


MONO = """rules:
  - id: toll.rises
    kind: monotonic
    select: {text: death toll}
    direction: non_decreasing
"""


def toll(article_id: str, published: str | None, value: float, low=None, high=None):
    front = f"published: {published}\n" if published else ""
    a = article(f"---\nid: {article_id}\n{front}---\nThe death toll rose to {int(value):,} people.\n", article_id)
    return a, make_fact(a, f"{int(value):,}", value, low, high, subject="people")


@pytest.mark.parametrize("direction, values, status", [
    ("non_decreasing", [100, 200, 200, 300], "pass"),
    ("increasing", [100, 200, 200, 300], "fail"),
    ("non_decreasing", [100, 250, 200, 300], "fail"),
    ("decreasing", [300, 200, 100], "pass"),
    ("non_increasing", [300, 300, 400], "fail"),
])
def test_monotonic(direction, values, status):
    made = [toll(f"t{i}", f"2023-01-0{i + 1}", v) for i, v in enumerate(values)]
    text = MONO.replace("non_decreasing", direction)
    [finding] = run_rules(rules(text), [f for _, f in made], [a for a, _ in made])
    assert finding.status == status, finding.work


def test_monotonic_failure_names_the_breaking_articles_and_leaves_out_undated():
    made = [toll("t1", "2023-01-01", 100), toll("t2", "2023-01-02", 250), toll("t3", "2023-01-03", 200),
            toll("t4", "2023-01-04", 300), toll("nodate", None, 5)]
    [finding] = run_rules(rules(MONO), [f for _, f in made], [a for a, _ in made])
    assert finding.status == "fail"
    assert finding.articles == ("t2", "t3")
    assert "without published left out" in finding.work


def test_monotonic_intervals_can_agree():
    made = [toll("t1", "2023-01-01", 300, 270, 330), toll("t2", "2023-01-02", 280, 252, 308)]
    [finding] = run_rules(rules(MONO), [f for _, f in made], [a for a, _ in made])
    assert finding.status == "pass"


def test_monotonic_skips_with_a_single_date():
    made = [toll("t1", "2023-01-01", 300), toll("t2", "2023-01-01", 100)]
    [finding] = run_rules(rules(MONO), [f for _, f in made], [a for a, _ in made])
    assert finding.status == "skipped"


def test_monotonic_by_meta_and_grouped():
    text = MONO + "    order_by: meta.issue\n    group_by: [meta.region]\n"
    arts, facts = [], []
    for i, (region, value) in enumerate([("north", 10), ("north", 20), ("south", 50), ("south", 40)]):
        a = article(f"---\nid: r{i}\nissue: {i}\nregion: {region}\n---\nThe death toll rose to {value} people.\n", f"r{i}")
        arts.append(a)
        facts.append(make_fact(a, str(value), value))
    findings = run_rules(rules(text), facts, arts)
    assert [(f.group, f.status) for f in findings] == [({"meta.region": "north"}, "pass"),
                                                       ({"meta.region": "south"}, "fail")]


EXPR = """rules:
  - id: fund.total
    kind: expr
    facts:
      government: {near: government, unit: USD}
      donors: {near: donors, unit: USD}
      total: {near: total, unit: USD}
    assert: government + donors == total
"""


@pytest.mark.parametrize("total, status", [(3.5e9, "pass"), (4.5e9, "fail")])
def test_expr_with_near(total, status):
    a = article("---\nid: fund\n---\nThe fund received $2 billion from the government and $1.5 billion from private "
                "donors, bringing its total to $3.5 billion.\n", "fund")
    facts = [make_fact(a, "$2 billion", 2e9, unit="USD"), make_fact(a, "$1.5 billion", 1.5e9, unit="USD"),
             make_fact(a, "$3.5 billion", total, unit="USD")]
    [finding] = run_rules(rules(EXPR), facts, [a])
    assert finding.status == status
    assert finding.roles == {"government": (facts[0].id,), "donors": (facts[1].id,), "total": (facts[2].id,)}


def test_expr_chained_and_numbers():
    text = """rules:
  - id: e
    kind: expr
    facts: {a: {subject: contractors}, b: {subject: inmates}}
    assert: 0 < a < b / 2 * (1 + 1)
"""
    [finding] = run_rules(rules(text), wagner_facts(), [WAGNER])
    assert finding.status == "pass"


def test_a_division_by_a_stated_zero_is_skipped_not_passed():
    """[0, 0] as a divisor makes the quotient anything, so `a / b == 1` held whatever a was."""
    a = article("---\nid: z\n---\nThe city has 500 workers and 0 managers.\n", "z")
    facts = [make_fact(a, "500", 500, subject="workers"), make_fact(a, "0", 0, low=0, high=0, subject="managers")]
    text = "rules:\n  - id: e\n    kind: expr\n    facts: {a: {subject: workers}, b: {subject: managers}}\n" \
           "    assert: a / b == 1\n"
    [finding] = run_rules(rules(text), facts, [a])
    assert finding.status == "skipped" and finding.message == "skipped: b is 0, and a division by 0 has no value"


def test_choice_prefers_facts_closest_together_and_says_so():
    a = article("---\nid: two\n---\nEarlier, 90,000 fighters were mentioned.\n"
                "Now 50,000 fighters, including 10,000 contractors and 40,000 inmates.\n", "two")
    facts = [make_fact(a, "90,000", 90_000, subject="fighters"), make_fact(a, "50,000", 50_000, subject="fighters"),
             make_fact(a, "10,000", 10_000, subject="contractors"), make_fact(a, "40,000", 40_000, subject="inmates")]
    [finding] = run_rules(rules(SUM.replace(", text: Wagner", "")), facts, [a])
    assert finding.status == "pass"
    assert finding.roles["total"] == (facts[1].id,)
    assert "total: used '50,000' of 2 candidates" in finding.work


def test_units_that_do_not_convert_skip_the_group():
    a = article("---\nid: m\n---\nWagner has 50,000 fighters, including $10 and 40,000 inmates.\n", "m")
    facts = [make_fact(a, "50,000", 50_000, subject="fighters"), make_fact(a, "$10", 10, unit="USD", subject="contractors"),
             make_fact(a, "40,000", 40_000, subject="inmates")]
    [finding] = run_rules(rules(SUM.replace(", text: Wagner", "")), facts, [a])
    assert finding.status == "skipped" and "units do not convert" in finding.message


def test_agreement_with_two_rival_majorities_names_only_the_disagreeing():
    made = [spending_article("a", "Wagner spends $1 billion a year.", "$1 billion a year", 1e9, "USD/year", 0.5e9, 1.5e9),
            spending_article("b", "Wagner spends $2 billion a year.", "$2 billion a year", 2e9, "USD/year", 1.2e9, 2.8e9),
            spending_article("c", "Wagner spends $3 billion a year.", "$3 billion a year", 3e9, "USD/year", 2.5e9, 3.5e9)]
    [finding] = run_rules(rules(AGREE.replace("tolerance: {rel: 0.05}", "group_by: []")), [f for _, f in made],
                          [a for a, _ in made])
    assert finding.status == "fail" and finding.articles == ("a", "c") and finding.expected is None


def test_expr_names_without_units_convert_to_a_shared_unit():
    a = article("---\nid: s\n---\nIt spends $100 million a month, or $1.2 billion a year.\n", "s")
    facts = [make_fact(a, "$100 million a month", 100e6, unit="USD/month"),
             make_fact(a, "$1.2 billion a year", 1.2e9, unit="USD/year")]
    text = """rules:
  - id: e
    kind: expr
    facts: {monthly: {near: month}, yearly: {near: year}}
    assert: monthly == yearly
"""
    [finding] = run_rules(rules(text), facts, [a])
    assert finding.status == "pass", finding.work


def test_ratio_ignores_a_percentage_in_another_sentence():
    a = article("---\nid: cuts\n---\nThe company will cut 2,000 jobs of its 25,000 workers. Unemployment is 4%.\n", "cuts")
    facts = [make_fact(a, "2,000", 2000, subject="jobs"), make_fact(a, "25,000", 25_000, subject="workers"),
             make_fact(a, "4%", 4, unit="percent")]
    [finding] = run_rules(rules(RATIO), facts, [a])
    assert finding.status == "skipped" and "same sentence" in finding.message


def test_monotonic_without_a_unit_compares_the_commonest_dimension():
    arts, facts = [], []
    for i, (count, money) in enumerate([(100, 5), (200, 1), (300, 2)]):
        a = article(f"---\nid: m{i}\npublished: 2023-01-0{i + 1}\n---\nThe death toll rose to {count} people and damage to ${money} million.\n", f"m{i}")
        arts.append(a)
        facts += [make_fact(a, str(count), count), make_fact(a, f"${money} million", money * 1e6, unit="USD")]
    [finding] = run_rules(rules(MONO), facts, arts)
    assert finding.status == "pass" and "3 figure(s) in other units left out" in finding.work
