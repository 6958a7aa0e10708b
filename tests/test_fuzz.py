"""Bounded fuzzing of every reader of untrusted text: front matter, rule files and `expr` assertions.

Each must either succeed or raise LedgerError (the one-line error the CLI prints); anything else is a
crash. Budgets are small so the suite stays fast; raise them locally with --hypothesis-profile=fuzz.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.articles import split_front_matter
from ledger.checks import load_text
from ledger.checks.arith import ExprError, parse
from ledger.errors import LedgerError

settings.register_profile("fuzz", max_examples=5000, deadline=None)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_BITS = st.sampled_from(["version: 1\n", "rules:\n", "  - ", "id: x\n", "kind: sum\n", "kind: expr\n",
                             "    total: {subject: a}\n", "    parts: [{subject: b}]\n", "assert: 'a == b'\n",
                             "&a ", "*a ", "[", "]", "{", "}", ": ", "- ", "\t", "\n", "'", '"', "!!python/name:os.system",
                             "tolerance: {rel: 0.1}\n", "    select: {unit: USD/year, text: '(a|b)'}\n", "defaults:\n",
                             "aliases:\n", "  severity: error\n", "---\n", "%YAML 1.1\n", "? ", "~", "1e999", "-.inf"])


@FAST
@given(st.lists(YAML_BITS, max_size=30).map("".join) | st.text(max_size=300))
def test_rule_loader_never_crashes(text):
    try:
        load_text(text, "rules/fuzz.yaml")
    except LedgerError as e:
        assert "rules/fuzz.yaml" in str(e)


@FAST
@given(st.text(max_size=300))
def test_front_matter_reader_never_crashes(body):
    for text in ("---\n" + body, "---\n" + body + "\n---\ntext", body):
        try:
            split_front_matter(text, "seeds/fuzz.md")
        except LedgerError as e:
            assert "seeds/fuzz.md" in str(e)


EXPR_BITS = st.sampled_from(["a", "b", "total", " ", "+", "-", "*", "/", "(", ")", "==", "!=", "<", "<=", ">", ">=",
                             "1", "0", "2.5", "1e9", ".", "__class__", "import", "lambda", ",", "'", "[", "]", "**"])


@FAST
@given(st.lists(EXPR_BITS, max_size=40).map("".join) | st.text(max_size=100))
def test_expr_parser_never_crashes(text):
    try:
        parse(text)
    except ExprError:
        pass


@pytest.mark.parametrize("text", ["(" * 10000 + "a" + ")" * 10000 + " == 1", "-" * 10000 + "a == 1",
                                  " + ".join(["a"] * 5000) + " == 1"])
def test_expr_parser_on_pathological_input(text):
    try:
        parse(text)
    except ExprError:
        pass
