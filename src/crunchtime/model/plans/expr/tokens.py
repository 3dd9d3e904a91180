"""Lexing: expression text into tokens (numbers, YYYY-MM dates, names, operators), refusing anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from crunchtime.model.plans.expr.errors import ExprError, show
from crunchtime.model.plans.expr.grammar import MAX_EXPONENT_DIGITS, MAX_LENGTH, MAX_LITERAL, YEAR_RANGE


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text, its 0-based column and (for numbers and dates) its value."""

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
                raise ExprError(f"malformed number {show(text[pos : m.end() + 8])} at column {pos + 1}", pos)
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
    exponent = tok.lower().partition("e")[2]
    if len(exponent.lstrip("+-")) > MAX_EXPONENT_DIGITS:
        raise ExprError(f"number {show(tok)} has too large an exponent (at most {MAX_EXPONENT_DIGITS} digits)", pos)
    value = float(tok)
    if value > MAX_LITERAL:
        raise ExprError(f"number {show(tok)} is too large (limit {MAX_LITERAL:g})", pos)
    return value


def _date(tok: str, pos: int) -> float:
    year, month = int(tok[:4]), int(tok[5:])
    if not 1 <= month <= 12:
        raise ExprError(f"date {tok} has no month {month:02d} (write YYYY-MM, month 01-12)", pos)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ExprError(f"date {tok} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}", pos)
    return year + (month - 1) / 12
