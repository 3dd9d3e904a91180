"""The plan expression language: tokenizer, recursive-descent parser, typed AST, numpy compiler.

A deliberately tiny grammar (numbers, dates, observables, named parameters, arithmetic,
comparisons, and/or/not, min/max/clip/abs). Nothing here reaches eval, exec, getattr or
import: text becomes tokens, tokens become a typed tree, the tree becomes numpy closures.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, Union

import numpy as np

from crunchtime.model.knobs import KNOB_NAMES
from crunchtime.model.observables import OBSERVABLES

MAX_LENGTH = 2000  # characters in one expression
MAX_DEPTH = 50  # nesting of parentheses, function calls, unary minus and `not`
MAX_LITERAL = 1e12  # largest magnitude of a number literal
MAX_EXPONENT_DIGITS = 3  # digits after `e` in scientific notation
MAX_POWER = 64  # largest |exponent| after `^`
YEAR_RANGE = (1900, 2300)  # accepted years in YYYY-MM date literals

Type = Literal["number", "boolean"]
FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "clip": (3, 3), "abs": (1, 1)}
KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
#: observables whose unit is "flag" are booleans in expressions (true when the value is above 0.5)
FLAG_OBSERVABLES = frozenset(o.name for o in OBSERVABLES if o.unit == "flag")
NUMBER_OBSERVABLES = frozenset(o.name for o in OBSERVABLES if o.unit != "flag")
RESERVED = KEYWORDS | set(FUNCTIONS) | FLAG_OBSERVABLES | NUMBER_OBSERVABLES


class ExprError(ValueError):
    """An expression the grammar refuses; `message` is one line, `pos` the 0-based column if known."""

    def __init__(self, message: str, pos: int | None = None):
        self.message, self.pos = message, pos
        super().__init__(message)


def _show(text: str, limit: int = 30) -> str:
    """Quote user text for a one-line message (repr escapes newlines; long text is cut)."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


# ----------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    kind: Literal["num", "date", "name", "op", "end"]
    text: str
    pos: int
    value: float = 0.0


_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<date>\d{4}-\d{2})(?![\w.])"
    r"|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\^|\(|\)|,)"
)
_AFTER_NUMBER = re.compile(r"[\w.]")
_HINTS = {
    "**": "'**' is not an operator; write powers with '^'",
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "!": "use 'not' instead of '!'",
    "=": "use '==' to compare ('=' is not an operator)",
    "[": "indexing is not allowed",
    "]": "indexing is not allowed",
    "{": "braces are not allowed",
    "}": "braces are not allowed",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "%": "'%' is not an operator",
    ":": "':' is not allowed",
    ";": "';' is not allowed",
    "#": "comments are not allowed inside an expression",
    "@": "'@' is not an operator",
    "~": "use 'not' instead of '~'",
    "\\": "backslashes are not allowed",
    "`": "backticks are not allowed",
}


def tokenize(text: str) -> list[Token]:
    """Split an expression into tokens, refusing anything outside the grammar with its column."""
    if not isinstance(text, str):
        raise ExprError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression too long ({len(text)} characters; the limit is {MAX_LENGTH})")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = None if text.startswith("**", pos) else _TOKEN.match(text, pos)
        if m is None:
            raise ExprError(_bad_character(text, pos, tokens), pos)
        kind, tok = m.lastgroup, m.group()
        if kind == "num":
            nxt = text[m.end() : m.end() + 1]
            if nxt and _AFTER_NUMBER.match(nxt):
                raise ExprError(f"malformed number {_show(text[pos : m.end() + 8])} at column {pos + 1}", pos)
            tokens.append(Token("num", tok, pos, _number(tok, pos)))
        elif kind == "date":
            if re.match(r"-\d", text[m.end() : m.end() + 2]):
                raise ExprError(f"dates are written YYYY-MM, without a day (column {pos + 1})", pos)
            tokens.append(Token("date", tok, pos, _date(tok, pos)))
        elif kind in ("name", "op"):
            tokens.append(Token(kind, tok, pos))  # type: ignore[arg-type]
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _bad_character(text: str, pos: int, tokens: list[Token]) -> str:
    ch = text[pos]
    if ch == "." and tokens and (tokens[-1].kind == "name" or tokens[-1].text == ")"):
        return f"attribute access is not allowed (column {pos + 1})"
    hint = _HINTS.get(text[pos : pos + 2]) or _HINTS.get(ch)
    if hint:
        return f"{hint} (column {pos + 1})"
    return f"unexpected character {ch!r} at column {pos + 1}"


def _number(tok: str, pos: int) -> float:
    mantissa, _, exponent = tok.lower().partition("e")
    if len(exponent.lstrip("+-")) > MAX_EXPONENT_DIGITS:
        raise ExprError(f"number {_show(tok)} has too large an exponent (at most {MAX_EXPONENT_DIGITS} digits)", pos)
    value = float(tok)
    if value > MAX_LITERAL:
        raise ExprError(f"number {_show(tok)} is too large (limit {MAX_LITERAL:g})", pos)
    return value


def _date(tok: str, pos: int) -> float:
    year, month = int(tok[:4]), int(tok[5:])
    if not 1 <= month <= 12:
        raise ExprError(f"date {tok} has no month {month:02d} (write YYYY-MM, month 01-12)", pos)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ExprError(f"date {tok} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", pos)
    return year + (month - 1) / 12


# ----------------------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class Const:
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
    op: Literal["and", "or"]
    operands: tuple[Node, ...]
    type: Type = "boolean"


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Node, ...]
    type: Type = "number"


Node = Union[Const, Var, Param, Unary, Arith, Power, Compare, Logic, Call]


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


# ----------------------------------------------------------------------------- parser

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
        return "end of expression" if self.tok.kind == "end" else f"{_show(self.tok.text)} at column {self.tok.pos + 1}"

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
                    raise ExprError(f"'{op}' needs true/false on both sides, but its {side} side is a number "
                                    f"(compare it, e.g. 'x > 0') at column {col}", tok.pos)
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
            raise ExprError(f"the exponent after '^' must be a number literal (at most {MAX_POWER}), "
                            f"found {self._found()}", self.tok.pos)
        exponent = sign * self.advance().value
        if abs(exponent) > MAX_POWER:
            raise ExprError(f"exponent {exponent:g} is too large (at most {MAX_POWER}) at column {tok.pos + 1}",
                            tok.pos)
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
            what = f"'{name}' is not a function" if known else f"unknown function {_show(name)}"
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
        return f"unknown name {_show(name)}{hint}"

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
            raise ExprError(f"{name}() takes {want} argument{'s' if low != 1 else ''}, got {len(args)} "
                            f"at column {tok.pos + 1}", tok.pos)
        if any(a.type != "number" for a in args):
            raise ExprError(f"{name}() takes numbers, got true/false at column {tok.pos + 1}", tok.pos)
        return Call(name, tuple(args))


def _flag_hint(node: Node) -> str:
    if isinstance(node, Var) and node.name in FLAG_OBSERVABLES:
        return f" ('{node.name}' is a flag: use it as a condition, e.g. '{node.name}' or 'not {node.name}')"
    return ""


@dataclass(frozen=True)
class Expr:
    """A parsed, type-checked expression; compile it with `compile(params)` to evaluate it on arrays."""

    text: str
    node: Node

    @property
    def type(self) -> Type:
        return self.node.type

    @functools.cached_property
    def observables(self) -> frozenset[str]:
        """Names of the observables the expression reads."""
        return frozenset(n.name for n in walk(self.node) if isinstance(n, Var))

    @functools.cached_property
    def params(self) -> frozenset[str]:
        """Names of the plan parameters the expression reads."""
        return frozenset(n.name for n in walk(self.node) if isinstance(n, Param))

    def compile(self, params: Mapping[str, float] | None = None) -> Compiled:
        """Turn the tree into numpy closures (constant sub-trees are folded)."""
        return _compile(self.node, dict(params or {}))

    def evaluate(self, obs: Mapping[str, np.ndarray], params: Mapping[str, float] | None = None) -> np.ndarray:
        """Evaluate on observable arrays (shape (n,)); constants broadcast to the samples' shape."""
        return evaluate_compiled(self.compile(params), obs)

    def __str__(self) -> str:
        return unparse(self.node)


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


# ----------------------------------------------------------------------------- compiler

#: a compiled expression: a constant (numpy scalar) or a function of the observables
Compiled = Union[np.float64, np.bool_, Callable[[Mapping[str, np.ndarray]], np.ndarray]]

_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
            "==": np.equal, "!=": np.not_equal}


def _clip(x, lo, hi):
    return np.minimum(np.maximum(x, lo), hi)


def _reduce(fn: Callable) -> Callable:
    return lambda *args: functools.reduce(fn, args)


_FUNCS: dict[str, Callable] = {"min": _reduce(np.minimum), "max": _reduce(np.maximum), "clip": _clip, "abs": np.abs}


#: a parameter compiled with the value None is read from the observables under this prefix + its name
PARAM_PREFIX = "param:"


def _compile(node: Node, params: dict[str, float | None]) -> Compiled:
    """Compile a node; sub-trees without observables fold to numpy scalars (a parameter whose value is
    None is not a constant: it is read from `obs[PARAM_PREFIX + name]` at run time)."""
    if isinstance(node, Const):
        return np.bool_(node.value) if node.type == "boolean" else np.float64(node.value)
    if isinstance(node, Param):
        if node.name not in params:
            raise ExprError(f"no value for parameter '{node.name}'")
        if params[node.name] is None:  # read at run time from the observables, as PARAM_PREFIX + name
            key = PARAM_PREFIX + node.name
            return lambda obs: as_float_array(obs[key])
        return np.float64(params[node.name])
    if isinstance(node, Var):
        name = node.name
        if node.type == "boolean":
            return lambda obs: as_float_array(obs[name]) > 0.5
        return lambda obs: as_float_array(obs[name])
    if isinstance(node, Unary):
        return _apply(np.negative if node.op == "-" else np.logical_not, [_compile(node.operand, params)])
    if isinstance(node, Arith):
        acc = _compile(node.first, params)
        for op, operand in node.rest:
            acc = _apply(_ARITH[op], [acc, _compile(operand, params)])
        return acc
    if isinstance(node, Power):
        exponent = np.float64(node.exponent)
        return _apply(lambda b: np.power(b, exponent), [_compile(node.base, params)])
    if isinstance(node, Compare):
        parts = [_compile(n, params) for n in node.operands]
        pairs = [_apply(_COMPARE[op], [parts[i], parts[i + 1]]) for i, op in enumerate(node.ops)]
        return functools.reduce(lambda a, b: _apply(np.logical_and, [a, b]), pairs)
    if isinstance(node, Logic):
        fn = np.logical_and if node.op == "and" else np.logical_or
        return functools.reduce(lambda a, b: _apply(fn, [a, b]), [_compile(n, params) for n in node.operands])
    if isinstance(node, Call):
        return _apply(_FUNCS[node.func], [_compile(n, params) for n in node.args])
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover - the parser builds only the above


#: float64 array types evaluated as they are (not through np.asarray): the jit's traced arrays register here
#: (`crunchtime.engine.traced`), so a plan's compiled closures run on them unchanged
ARRAYS_AS_IS: list[type] = []


def as_float_array(x: object) -> np.ndarray:
    """x as a float64 numpy array, or x itself when it is one of ARRAYS_AS_IS."""
    if ARRAYS_AS_IS and isinstance(x, tuple(ARRAYS_AS_IS)):
        return x  # type: ignore[return-value]
    return np.asarray(x, dtype=np.float64)


def _apply(fn: Callable, args: list[Compiled]) -> Compiled:
    """Fold when every argument is constant; otherwise return a closure over the argument closures."""
    if not any(callable(a) for a in args):
        with np.errstate(all="ignore"):
            result = fn(*args)
        return result[()] if isinstance(result, np.ndarray) else result
    if len(args) == 1:
        (a,) = args
        return lambda obs: fn(a(obs))
    if len(args) == 2:
        a, b = args
        if callable(a) and callable(b):
            return lambda obs: fn(a(obs), b(obs))
        if callable(a):
            return lambda obs: fn(a(obs), b)
        return lambda obs: fn(a, b(obs))
    return lambda obs: fn(*(x(obs) if callable(x) else x for x in args))


def evaluate_compiled(compiled: Compiled, obs: Mapping[str, np.ndarray]) -> np.ndarray:
    """Run a compiled expression; a constant is broadcast to the shape of the observables."""
    if callable(compiled):
        with np.errstate(all="ignore"):
            return np.asarray(compiled(obs))
    shape = next((np.shape(v) for v in obs.values()), ())
    return np.full(shape, compiled)


def evaluate(text: str, obs: Mapping[str, np.ndarray], params: Mapping[str, float] | None = None) -> np.ndarray:
    """Parse and evaluate in one go (for tests and the REPL; plans parse once and compile once)."""
    return parse(text, params=tuple(params or ())).evaluate(obs, params)


# ----------------------------------------------------------------------------- unparse

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
        for op, n in zip(node.ops, node.operands[1:]):
            parts.append(f"{op} {wrap(n, _PREC['cmp'] + 1)}")
        return " ".join(parts)
    if isinstance(node, Logic):
        p = _prec(node)
        return f" {node.op} ".join(wrap(n, p + 1) for n in node.operands)
    if isinstance(node, Call):
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover
