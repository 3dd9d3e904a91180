"""The typed expression tree: one frozen dataclass per construct, and how to walk it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from crunchtime.model.plans.expr.grammar import Type


@dataclass(frozen=True, slots=True)
class Const:
    """A number or date literal (a number), or true/false."""

    value: float | bool
    type: Type


@dataclass(frozen=True, slots=True)
class Var:
    """An observable; flags are booleans, everything else a number."""

    name: str
    type: Type


@dataclass(frozen=True, slots=True)
class Param:
    """A named plan parameter: a number fixed when the plan is compiled."""

    name: str
    type: Type = "number"


@dataclass(frozen=True, slots=True)
class Unary:
    """Negation of a number, or `not` of a condition."""

    op: Literal["-", "not"]
    operand: Node
    type: Type


@dataclass(frozen=True, slots=True)
class Arith:
    """A left-to-right chain: first, then (op, operand) pairs with op in + - * / (one precedence level)."""

    first: Node
    rest: tuple[tuple[str, Node], ...]
    type: Type = "number"


@dataclass(frozen=True, slots=True)
class Power:
    """base ^ exponent, the exponent a number literal."""

    base: Node
    exponent: float
    type: Type = "number"


@dataclass(frozen=True, slots=True)
class Compare:
    """a < b <= c ...: each adjacent pair compared, all must hold."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]
    type: Type = "boolean"


@dataclass(frozen=True, slots=True)
class Logic:
    """`and` or `or` over two or more conditions (one flat chain)."""

    op: Literal["and", "or"]
    operands: tuple[Node, ...]
    type: Type = "boolean"


@dataclass(frozen=True, slots=True)
class Call:
    """One of FUNCTIONS applied to numbers."""

    func: str
    args: tuple[Node, ...]
    type: Type = "number"


Node = Const | Var | Param | Unary | Arith | Power | Compare | Logic | Call


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of a node."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Arith):
        return (node.first, *(n for _, n in node.rest))
    if isinstance(node, Power):
        return (node.base,)
    if isinstance(node, (Compare, Logic)):
        return node.operands
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents first."""
    yield node
    for child in children(node):
        yield from walk(child)
