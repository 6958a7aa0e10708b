"""The small arithmetic language of `expr` rules: names, numbers, + - * /, parentheses and comparisons.

Parsed by hand (a recursive-descent parser), never `eval`ed. Evaluation is interval arithmetic: a
comparison holds when some values in the intervals make it true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from ledger.checks.interval import Interval, compare

TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                   r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\))|(?P<bad>\S))")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
MAX_LENGTH = 1000
MAX_DEPTH = 50


class ExprError(ValueError):
    def __init__(self, message: str, position: int):
        super().__init__(f"{message} (at character {position + 1})")
        self.position = position


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    name: str
    position: int


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Neg:
    operand: "Node"


Node = Union[Num, Name, BinOp, Neg]


@dataclass(frozen=True)
class Comparison:
    """`a op b op c ...`: holds when every adjacent comparison can hold."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def names(self) -> list[Name]:
        """The names, left to right. Walked with a list, not a nested function that calls itself (a reference
        cycle each call, left to the garbage collector, which the check pauses)."""
        out: list[Name] = []
        stack: list[Node] = list(reversed(self.operands))
        while stack:
            node = stack.pop()
            if isinstance(node, Name):
                out.append(node)
            elif isinstance(node, BinOp):
                stack += (node.right, node.left)
            elif isinstance(node, Neg):
                stack.append(node.operand)
        return out


def tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        kind = m.lastgroup or "bad"
        value = m.group(kind)
        start = m.start(kind)
        if kind == "bad":
            after_number = bool(tokens) and tokens[-1][0] == "number" and tokens[-1][2] + len(tokens[-1][1]) == start
            hint = (" (write == to compare)" if value == "=" else
                    f" (write numbers without a thousands separator: "
                    f"{re.match(r'[0-9,.]*', text[tokens[-1][2]:]).group(0).replace(',', '')})"
                    if value == "," and after_number else
                    " (write a percentage as a number and give the name `unit: percent`)" if value == "%" else "")
            raise ExprError(f"unexpected character {value!r}{hint}", start)
        tokens.append((kind, value, start))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def comparison(self) -> Comparison:
        operands = [self.sum()]
        ops = []
        while self.peek()[0] == "op" and self.peek()[1] in COMPARISONS:
            ops.append(self.take()[1])
            operands.append(self.sum())
        kind, value, pos = self.peek()
        if kind != "end":
            raise ExprError(f"unexpected {value!r}; expected an operator (+ - * /) or a comparison", pos)
        if not ops:
            raise ExprError("no comparison; write e.g. 'parts == total' (== != < <= > >=)", len(self.text))
        return Comparison(tuple(operands), tuple(ops))

    def sum(self) -> Node:
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = self.take()[1]
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = BinOp(op, node, self.unary())
        return node

    def unary(self) -> Node:
        kind, value, pos = self.peek()
        if kind == "op" and value in "+-":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("nested too deeply", pos)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand) if value == "-" else operand
        return self.atom()

    def atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "number":
            return Num(float(value.replace("_", "")))
        if kind == "name":
            return Name(value, pos)
        if kind == "op" and value == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("parentheses nested too deeply", pos)
            node = self.sum()
            self.depth -= 1
            closing = self.take()
            if closing[1] != ")":
                raise ExprError(f"expected ')' but found {closing[1] or 'the end'!r}", closing[2])
            return node
        found = repr(value) if value else "the end"
        raise ExprError(f"expected a name, a number or '(' but found {found}", pos)


def parse(text: str) -> Comparison:
    """Parse an assertion; ExprError (a ValueError) says what was expected and where."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not text.strip():
        raise ExprError("empty assertion; write e.g. 'government + donors == total'", 0)
    return _Parser(text).comparison()


def evaluate(node: Node, env: dict[str, Interval]) -> Interval:
    if isinstance(node, Num):
        return Interval.point(node.value)
    if isinstance(node, Name):
        return env[node.name]
    if isinstance(node, Neg):
        return -evaluate(node.operand, env)
    left, right = evaluate(node.left, env), evaluate(node.right, env)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right.low == right.high == 0:  # [0, 0] would make the quotient anything, and any comparison hold
        raise ZeroDivisionError(render(node.right))
    return left / right


def holds(comparison: Comparison, env: dict[str, Interval]) -> tuple[bool, list[Interval]]:
    values = [evaluate(operand, env) for operand in comparison.operands]
    ok = all(compare(op, values[i], values[i + 1]) for i, op in enumerate(comparison.ops))
    return ok, values


def render(node: Node) -> str:
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return f"-{render(node.operand)}"
    return f"({render(node.left)} {node.op} {render(node.right)})"
