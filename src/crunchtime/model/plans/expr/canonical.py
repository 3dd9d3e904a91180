"""Canonical text for an expression tree, with only the parentheses that precedence needs."""

from __future__ import annotations

from crunchtime.model.plans.expr.tree import Arith, Call, Compare, Const, Logic, Node, Param, Power, Unary, Var

_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "*": 6, "neg": 7, "^": 8, "atom": 9}


def _prec(node: Node) -> int:
    if isinstance(node, Logic):
        return _PREC[node.op]
    if isinstance(node, Unary):
        return _PREC["not"] if node.op == "not" else _PREC["neg"]
    if isinstance(node, Compare):
        return _PREC["cmp"]
    if isinstance(node, Arith):
        return _PREC["+"] if node.rest[0][0] in "+-" else _PREC["*"]
    if isinstance(node, Power):
        return _PREC["^"]
    return _PREC["atom"]


def unparse(node: Node) -> str:
    """Canonical text for a node, with only the parentheses precedence needs (parse(unparse(n)) == n)."""

    def wrap(child: Node, min_prec: int) -> str:
        text = unparse(child)
        return f"({text})" if _prec(child) < min_prec else text

    if isinstance(node, Const):
        if node.type == "boolean":
            return "true" if node.value else "false"
        return repr(float(node.value))
    if isinstance(node, (Var, Param)):
        return node.name
    if isinstance(node, Unary):
        if node.op == "not":
            return f"not {wrap(node.operand, _PREC['not'])}"
        return f"-{wrap(node.operand, _PREC['neg'] + 1)}"
    if isinstance(node, Arith):
        p = _prec(node)
        parts = [wrap(node.first, p + 1)] + [f"{op} {wrap(n, p + 1)}" for op, n in node.rest]
        return " ".join(parts)
    if isinstance(node, Power):
        return f"{wrap(node.base, _PREC['atom'])} ^ {node.exponent!r}"
    if isinstance(node, Compare):
        parts = [wrap(node.operands[0], _PREC["cmp"] + 1)]
        for op, n in zip(node.ops, node.operands[1:], strict=False):
            parts.append(f"{op} {wrap(n, _PREC['cmp'] + 1)}")
        return " ".join(parts)
    if isinstance(node, Logic):
        p = _prec(node)
        return f" {node.op} ".join(wrap(n, p + 1) for n in node.operands)
    if isinstance(node, Call):
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover
