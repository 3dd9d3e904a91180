"""The plan expression language: tokenizer, recursive-descent parser, typed AST, numpy compiler.

A deliberately tiny grammar (numbers, dates, observables, named parameters, arithmetic,
comparisons, and/or/not, min/max/clip/abs). Nothing here reaches eval, exec, getattr or
import: text becomes tokens, tokens become a typed tree, the tree becomes numpy closures.

One job per module, each importing only those before it:
    errors      ExprError and how messages quote user text
    grammar     the vocabulary (types, functions, keywords, observables) and the size limits
    tokens      text into tokens
    tree        the typed tree's nodes, `children` and `walk`
    canonical   a tree back into canonical text (`unparse`)
    compiler    a tree into numpy closures (`compile_node`, `evaluate_compiled`, `as_float_array`)
    expression  `Expr`, a parsed expression
    parser      tokens into a tree (`parse`, `evaluate`)
"""

from crunchtime.model.plans.expr.canonical import unparse
from crunchtime.model.plans.expr.compiler import (
    ARRAYS_AS_IS,
    PARAM_PREFIX,
    Compiled,
    as_float_array,
    compile_node,
    evaluate_compiled,
)
from crunchtime.model.plans.expr.errors import ExprError
from crunchtime.model.plans.expr.expression import Expr
from crunchtime.model.plans.expr.grammar import (
    FLAG_OBSERVABLES,
    FUNCTIONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_EXPONENT_DIGITS,
    MAX_LENGTH,
    MAX_LITERAL,
    MAX_POWER,
    NUMBER_OBSERVABLES,
    RESERVED,
    YEAR_RANGE,
    Type,
)
from crunchtime.model.plans.expr.parser import evaluate, parse
from crunchtime.model.plans.expr.tokens import Token, tokenize
from crunchtime.model.plans.expr.tree import (
    Arith,
    Call,
    Compare,
    Const,
    Logic,
    Node,
    Param,
    Power,
    Unary,
    Var,
    children,
    walk,
)

__all__ = [
    "ARRAYS_AS_IS",
    "FLAG_OBSERVABLES",
    "FUNCTIONS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_EXPONENT_DIGITS",
    "MAX_LENGTH",
    "MAX_LITERAL",
    "MAX_POWER",
    "NUMBER_OBSERVABLES",
    "PARAM_PREFIX",
    "RESERVED",
    "YEAR_RANGE",
    "Arith",
    "Call",
    "Compare",
    "Compiled",
    "Const",
    "Expr",
    "ExprError",
    "Logic",
    "Node",
    "Param",
    "Power",
    "Token",
    "Type",
    "Unary",
    "Var",
    "as_float_array",
    "children",
    "compile_node",
    "evaluate",
    "evaluate_compiled",
    "parse",
    "tokenize",
    "unparse",
    "walk",
]
