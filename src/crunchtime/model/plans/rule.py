"""A validated rule, and literal values as expressions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crunchtime.model.plans.expr import Const, Expr, Type


@dataclass(frozen=True)
class Rule:
    """A validated rule: a boolean expression and the knob values (expressions) it sets."""

    name: str
    when: Expr
    set: Mapping[str, Expr]
    why: str | None = None
    line: int | None = None


def literal_expr(value: float | bool) -> Expr:
    """A YAML number or true/false as a constant expression (its text canonical)."""
    kind: Type = "boolean" if isinstance(value, bool) else "number"
    text = ("true" if value else "false") if kind == "boolean" else repr(float(value))
    return Expr(text, Const(value if kind == "boolean" else float(value), kind))
