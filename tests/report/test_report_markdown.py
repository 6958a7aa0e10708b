"""consistency.md: counts, a table by rule, failures quoted with the figures in bold, the arithmetic."""

from __future__ import annotations

import re

from ledger.model import Report
from ledger.report import render
from ledger.report.markdown import code, escape


def test_the_seed_example_arithmetic(report):
    text = render("markdown", report)
    assert "`10,000 + ~40,000 = 45,800–54,200 vs ~50,000 (45,000–55,000): pass`" in text
    assert "seeds/wagner-north-korea-arms.md:15:12" in text


def test_counts_by_status_and_severity(report):
    text = render("markdown", report)
    assert text.startswith("# Consistency report\n\n**3 failed, 2 passed, 1 skipped, 1 waived in 7 articles (11 facts)")
    assert "| ❌ fail | 1 | 1 | 1 | 3 |" in text
    assert "| ✅ pass | 1 | 0 | 1 | 2 |" in text
    assert "| `quake.toll.rises` | monotonic | warning | 1 | 0 | 0 | 0 | A cumulative death toll never falls between reports. |" in text
    assert "| `unused.rule` | bounds | warning | 0 | 0 | 0 | 0 | A rule with no findings. |" in text


def test_failures_are_quoted_with_the_figure_in_bold(report):
    text = render("markdown", report)
    failures = text.split("## Failures (3)", 1)[1].split("## Skipped", 1)[0]
    assert "> Analysts put the group's spending at **$3 billion a year**." in failures
    assert "> — `spend-high`, `corpus/spend-high.md:3:38`" in failures
    assert "- expected: 1,080,000,000–1,320,000,000 USD/year" in failures
    assert "- arithmetic: `~1,350 (1,215–1,485) after >1,500 (1,500–∞): not non_decreasing: fail`" in failures
    assert "> By Thursday the quake had killed **more than 1,500 people**." in failures
    assert "## Skipped (1)" in text and "## Waived (1)" in text


def test_passes_are_collapsed(report):
    text = render("markdown", report)
    passes = text.split("## Passes (2)", 1)[1]
    assert passes.lstrip().startswith("<details>") and passes.rstrip().endswith("</details>")
    assert "Analysts put" not in passes


def test_hostile_text_cannot_become_markup(report):
    text = render("markdown", report)
    outside_code = re.sub(r"`[^`]*`", "", text)
    assert not re.search(r"(?<!\\)<(script|img|b>|/script)", outside_code)
    assert r"\<script\>alert('title')\</script\> Hostile" in text
    assert r"\| pipes \| and \`ticks\` \*\*stars\*\* \~tildes\~" in text


def test_escaping_helpers():
    assert escape("a*b_c [x](y) <i> | ~s~ &amp; & done") == r"a\*b\_c \[x\](y) \<i\> \| \~s\~ \&amp; & done"
    assert code("a `b` c") == "``a `b` c``"
    assert code("`x") == "`` `x ``"


def test_empty_report():
    text = render("markdown", Report())
    assert "0 failed, 0 passed in 0 articles (0 facts)" in text
    assert "## Failures" not in text


def test_a_large_run_details_the_first_findings_failing_first_and_counts_the_rest(report, monkeypatch):
    from ledger.report import common

    full = render("markdown", report)
    assert "(all in consistency.json)_" not in full
    monkeypatch.setattr(common, "SHOWN_FINDINGS", 2)  # the report has 3 failures, then skipped, waived, passes
    capped = render("markdown", report)
    assert "## Failures (3)" in capped and "## Passes (2)" in capped  # sections keep their full counts
    assert capped.count("\n### ❌ ") == 2
    assert "_… and 1 more failures (all in consistency.json)_" in capped
    assert "_… and 1 more skipped (all in consistency.json)_" in capped
    assert "_… and 2 more passing checks (all in consistency.json)_" in capped
