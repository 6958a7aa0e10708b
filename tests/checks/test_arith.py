"""The `expr` language: parsing, errors with positions, interval evaluation."""

from __future__ import annotations

import pytest

from ledger.checks import arith
from ledger.checks.interval import Interval


@pytest.mark.parametrize("text, rendered", [
    ("a + b == c", "(a + b) == c"),
    ("a + b * c >= 2", "(a + (b * c)) >= 2"),
    ("(a + b) / 2 < c", "((a + b) / 2) < c"),
    ("-a + 1_000 != b", "(-a + 1000) != b"),
    ("0 < a <= b", "0 < a <= b"),
    ("a == 1.5e3", "a == 1500"),
])
def test_parse(text, rendered):
    c = arith.parse(text)
    out = arith.render(c.operands[0])
    for op, operand in zip(c.ops, c.operands[1:]):
        out += f" {op} {arith.render(operand)}"
    assert out == rendered


@pytest.mark.parametrize("text, message", [
    ("a + = b", "unexpected character '=' (write == to compare) (at character 5)"),
    ("a == 1,000,000", "unexpected character ',' (write numbers without a thousands separator: 1000000) (at character 7)"),
    ("a == 5%", "unexpected character '%' (write a percentage as a number and give the name `unit: percent`)"),
    ("a + b", "no comparison"),
    ("a + (b == c", "expected ')'"),
    ("a b == c", "unexpected 'b'"),
    ("", "empty assertion"),
    ("a == __import__('os')", "unexpected character"),
    ("a ==", "expected a name, a number or '(' but found the end"),
    ("(" * 60 + "a" + ")" * 60 + " == b", "nested too deeply"),
])
def test_parse_errors(text, message):
    with pytest.raises(arith.ExprError) as info:
        arith.parse(text)
    assert message in str(info.value)


def test_evaluation_is_interval_arithmetic():
    env = {"a": Interval(1, 3), "b": Interval(2, 2), "c": Interval(5, 6)}
    assert arith.holds(arith.parse("a + b == c"), env)[0]
    assert not arith.holds(arith.parse("a + b > 5"), env)[0]
    assert arith.holds(arith.parse("a + b >= 5"), env)[0]
    assert arith.holds(arith.parse("a * b / 2 <= 1"), env)[0]
    assert not arith.holds(arith.parse("a < b < 0"), env)[0]
    ok, sides = arith.holds(arith.parse("c - a == 2"), env)
    assert ok and sides[0] == Interval(2, 5)
