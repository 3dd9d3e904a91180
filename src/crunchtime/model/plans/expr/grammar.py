"""The expression language's vocabulary and limits: types, functions, keywords, observables, size caps."""

from __future__ import annotations

from typing import Literal

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
