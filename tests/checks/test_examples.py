"""Every kind documents itself (summary, Why it matters, FAIL and PASS), and the examples run."""

from __future__ import annotations

import textwrap

import pytest

from ledger.checks import KINDS, load_text, run_rules
from ledger.checks.docs import examples, sections, summary
from tests.checks.helpers import article, mini_extract, real_extract


def run_example(example, extract):
    arts = [article(md, f"example-{i}") for i, md in enumerate(example.articles)]
    facts = [f for a in arts for f in extract(a)]
    rule = load_text("rules:\n" + textwrap.indent("- " + example.rule.replace("\n", "\n  "), "  "), "example.yaml")
    return run_rules(rule, facts, arts)


def all_examples():
    return [pytest.param(kind, i, id=f"{kind}-{ex.verdict}-{i}")
            for kind, module in KINDS.items() for i, ex in enumerate(examples(module))]


@pytest.mark.parametrize("kind", list(KINDS))
def test_kind_module_shape(kind):
    module = KINDS[kind]
    assert module.KIND == kind and module.__name__.endswith("." + kind)
    assert module.Params.model_fields["kind"].annotation.__args__ == (kind,)
    assert summary(module).endswith(".")
    assert "Why it matters" in sections(module)
    verdicts = [ex.verdict for ex in examples(module)]
    assert "fail" in verdicts and "pass" in verdicts
    headings = list(sections(module))
    assert headings.index("Why it matters") < headings.index("FAIL") < headings.index("PASS")
    assert callable(module.check)


@pytest.mark.parametrize("kind, index", all_examples())
def test_example_verdict_with_stand_in_extractor(kind, index):
    example = examples(KINDS[kind])[index]
    findings = run_example(example, mini_extract)
    assert findings and {f.status for f in findings if f.status != "skipped"} >= {example.verdict}
    if example.verdict == "pass":
        assert all(f.status != "fail" for f in findings), [f.work for f in findings]


@pytest.mark.parametrize("kind, index", all_examples())
def test_example_verdict_with_real_extractor(kind, index):
    extract = real_extract()
    if extract is None:
        pytest.skip("ledger.extract is not ready")
    example = examples(KINDS[kind])[index]
    findings = run_example(example, extract)
    statuses = [f.status for f in findings]
    assert example.verdict in statuses, [(f.status, f.message) for f in findings]
    if example.verdict == "pass":
        assert "fail" not in statuses, [f.work for f in findings]
