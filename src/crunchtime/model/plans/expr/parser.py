"""Parsing: tokens into a typed tree by precedence climbing; every rule type-checks what it builds."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

import numpy as np

from crunchtime.model.knobs import KNOB_NAMES
from crunchtime.model.plans.expr.errors import ExprError, show
from crunchtime.model.plans.expr.expression import Expr
from crunchtime.model.plans.expr.grammar import (
    FLAG_OBSERVABLES,
    FUNCTIONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_POWER,
    NUMBER_OBSERVABLES,
    Type,
)
from crunchtime.model.plans.expr.tokens import Token, tokenize
from crunchtime.model.plans.expr.tree import Arith, Call, Compare, Const, Logic, Node, Param, Power, Unary, Var

#: binary operator precedence (higher binds tighter); `not` sits between `and` and the comparisons
_BINARY = {"or": 1, "and": 2, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4, "+": 5, "-": 5, "*": 6, "/": 6}


class _Parser:
    """Recursive descent over the token list; every rule type-checks what it builds."""

    def __init__(self, tokens: list[Token], params: Collection[str]):
        self.tokens, self.i, self.depth, self.params = tokens, 0, 0, frozenset(params)

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def expect(self, text: str, what: str) -> Token:
        if not self.at(text):
            raise ExprError(f"expected {text!r} {what}, found {self._found()}", self.tok.pos)
        return self.advance()

    def _found(self) -> str:
        return "end of expression" if self.tok.kind == "end" else f"{show(self.tok.text)} at column {self.tok.pos + 1}"

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"expression nested too deeply (limit {MAX_DEPTH} levels)", self.tok.pos)

    # grammar: precedence climbing (few Python frames per nesting level, flat chains per level)
    def expression(self) -> Node:
        """A parenthesised or argument expression: one nesting level."""
        self.nest()
        node = self.binary(0)
        self.depth -= 1
        return node

    def binary(self, min_prec: int) -> Node:
        """Operators of precedence >= min_prec, left to right; same-level operators form one flat node."""
        lhs = self.prefix()
        level = None  # precedence of the chain `lhs` is, if built in this loop
        while self.tok.kind in ("op", "name") and _BINARY.get(self.tok.text, -1) >= min_prec:
            tok = self.advance()
            prec = _BINARY[tok.text]
            rhs = self.binary(prec + 1)
            self._check(tok, lhs if level != prec else None, rhs)
            lhs = self._combine(tok.text, prec, lhs if level == prec else None, lhs, rhs)
            level = prec
        return lhs

    def _check(self, tok: Token, lhs: Node | None, rhs: Node) -> None:
        op, col = tok.text, tok.pos + 1
        sides = [("left", lhs), ("right", rhs)] if lhs is not None else [("right", rhs)]
        if op in ("and", "or"):
            for side, node in sides:
                if node.type != "boolean":
                    raise ExprError(
                        f"'{op}' needs true/false on both sides, but its {side} side is a number "
                        f"(compare it, e.g. 'x > 0') at column {col}",
                        tok.pos,
                    )
        elif op in ("==", "!="):
            left = lhs if lhs is not None else None
            if left is not None and left.type != rhs.type:
                flag = _flag_hint(left) or _flag_hint(rhs)
                raise ExprError(f"'{op}' cannot compare a number with true/false{flag} at column {col}", tok.pos)
        else:
            what = "compares numbers" if op in ("<", "<=", ">", ">=") else "needs numbers"
            for _, node in sides:
                if node.type != "number":
                    raise ExprError(f"'{op}' {what}, got true/false{_flag_hint(node)} at column {col}", tok.pos)

    def _combine(self, op: str, prec: int, chain: Node | None, lhs: Node, rhs: Node) -> Node:
        if op in ("and", "or"):
            prior = chain.operands if isinstance(chain, Logic) else (lhs,)
            return Logic(op, (*prior, rhs))  # type: ignore[arg-type]
        if prec == _BINARY["<"]:
            if isinstance(chain, Compare):
                if op in ("==", "!=") and chain.operands[-1].type != rhs.type:
                    raise ExprError(f"'{op}' cannot compare a number with true/false")
                return Compare((*chain.operands, rhs), (*chain.ops, op))
            return Compare((lhs, rhs), (op,))
        if isinstance(chain, Arith):
            return Arith(chain.first, (*chain.rest, (op, rhs)))
        return Arith(lhs, ((op, rhs),))

    def prefix(self) -> Node:
        """`not x`, `-x`, `+x`, or a power/atom."""
        if self.at("not"):
            pos = self.advance().pos
            self.nest()
            operand = self.binary(_BINARY["<"])
            self.depth -= 1
            if operand.type != "boolean":
                raise ExprError(f"'not' needs true/false, got a number at column {pos + 1}", pos)
            return Unary("not", operand, "boolean")
        if self.at("-", "+"):
            tok = self.advance()
            self.nest()
            operand = self.prefix()
            self.depth -= 1
            if operand.type != "number":
                raise ExprError(f"unary '{tok.text}' needs a number at column {tok.pos + 1}", tok.pos)
            return operand if tok.text == "+" else Unary("-", operand, "number")
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if not self.at("^"):
            return base
        tok = self.advance()
        if base.type != "number":
            raise ExprError(f"'^' needs a number on its left at column {tok.pos + 1}", tok.pos)
        sign = 1.0
        if self.at("-", "+"):
            sign = -1.0 if self.advance().text == "-" else 1.0
        if self.tok.kind != "num":
            raise ExprError(
                f"the exponent after '^' must be a number literal (at most {MAX_POWER}), found {self._found()}",
                self.tok.pos,
            )
        exponent = sign * self.advance().value
        if abs(exponent) > MAX_POWER:
            raise ExprError(
                f"exponent {exponent:g} is too large (at most {MAX_POWER}) at column {tok.pos + 1}", tok.pos
            )
        if self.at("^"):
            raise ExprError(f"chained '^' is not allowed; add parentheses at column {self.tok.pos + 1}", self.tok.pos)
        return Power(base, exponent)

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind in ("num", "date"):
            self.advance()
            return Const(tok.value, "number")
        if tok.kind == "name":
            self.advance()
            return self.name(tok)
        if self.at("("):
            self.advance()
            node = self.expression()
            self.expect(")", f"to close '(' from column {tok.pos + 1}")
            return node
        raise ExprError(f"expected a number, name or '(', found {self._found()}", tok.pos)

    def name(self, tok: Token) -> Node:
        name = tok.text
        called = self.at("(")
        if name in ("true", "false"):
            return Const(name == "true", "boolean")
        if name in KEYWORDS:
            raise ExprError(f"'{name}' needs something on its left at column {tok.pos + 1}", tok.pos)
        if name in FUNCTIONS:
            if not called:
                raise ExprError(f"'{name}' is a function; call it as {name}(...) at column {tok.pos + 1}", tok.pos)
            return self.call(tok)
        if called:
            known = name in NUMBER_OBSERVABLES or name in FLAG_OBSERVABLES or name in self.params
            what = f"'{name}' is not a function" if known else f"unknown function {show(name)}"
            raise ExprError(f"{what} (functions: {', '.join(sorted(FUNCTIONS))}) at column {tok.pos + 1}", tok.pos)
        if name in self.params:
            return Param(name)
        if name in NUMBER_OBSERVABLES:
            return Var(name, "number")
        if name in FLAG_OBSERVABLES:
            return Var(name, "boolean")
        raise ExprError(self._unknown(name), tok.pos)

    def _unknown(self, name: str) -> str:
        if name in KNOB_NAMES:
            return f"'{name}' is a knob; expressions read observables only, not knobs"
        pool = sorted(NUMBER_OBSERVABLES | FLAG_OBSERVABLES | self.params)
        close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else " (the observables are listed in docs/plans.md)"
        return f"unknown name {show(name)}{hint}"

    def call(self, tok: Token) -> Node:
        name = tok.text
        self.expect("(", "after the function name")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.expression())
            while self.at(","):
                self.advance()
                args.append(self.expression())
        self.expect(")", f"to close {name}( from column {tok.pos + 1}")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            want = f"{low}" if low == high else f"at least {low}"
            raise ExprError(
                f"{name}() takes {want} argument{'s' if low != 1 else ''}, got {len(args)} at column {tok.pos + 1}",
                tok.pos,
            )
        if any(a.type != "number" for a in args):
            raise ExprError(f"{name}() takes numbers, got true/false at column {tok.pos + 1}", tok.pos)
        return Call(name, tuple(args))


def _flag_hint(node: Node) -> str:
    if isinstance(node, Var) and node.name in FLAG_OBSERVABLES:
        return f" ('{node.name}' is a flag: use it as a condition, e.g. '{node.name}' or 'not {node.name}')"
    return ""


def parse(text: str, params: Collection[str] = (), expect: Type | None = None) -> Expr:
    """Parse and type-check `text`; `params` are the plan's parameter names; `expect` the required type."""
    tokens = tokenize(text)
    if len(tokens) == 1:
        raise ExprError("empty expression")
    parser = _Parser(tokens, params)
    try:
        node = parser.binary(0)  # the top level is not a nesting level
    except RecursionError:  # only reachable from an already deep caller stack
        raise ExprError(f"expression nested too deeply (limit {MAX_DEPTH} levels)") from None
    if parser.tok.kind != "end":
        raise ExprError(f"unexpected {parser._found()}", parser.tok.pos)
    if expect is not None and node.type != expect:
        want = "a condition (true/false)" if expect == "boolean" else "a number"
        got = "true/false" if node.type == "boolean" else "a number"
        raise ExprError(f"expected {want}, got {got}{_flag_hint(node)}")
    return Expr(text, node)


def evaluate(text: str, obs: Mapping[str, np.ndarray], params: Mapping[str, float] | None = None) -> np.ndarray:
    """Parse and evaluate in one go (for tests and the REPL; plans parse once and compile once)."""
    return parse(text, params=tuple(params or ())).evaluate(obs, params)
