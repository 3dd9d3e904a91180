"""`Expr`: a parsed, type-checked expression with its text, what it reads, and how to compile it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from crunchtime.model.plans.expr.canonical import unparse
from crunchtime.model.plans.expr.compiler import Compiled, compile_node, evaluate_compiled
from crunchtime.model.plans.expr.grammar import Type
from crunchtime.model.plans.expr.tree import Node, Param, Var, walk


@dataclass(frozen=True)
class Expr:
    """A parsed, type-checked expression; compile it with `compile(params)` to evaluate it on arrays."""

    text: str
    node: Node

    @property
    def type(self) -> Type:
        """ "number" or "boolean"."""
        return self.node.type

    @functools.cached_property
    def observables(self) -> frozenset[str]:
        """Names of the observables the expression reads."""
        return frozenset(n.name for n in walk(self.node) if isinstance(n, Var))

    @functools.cached_property
    def params(self) -> frozenset[str]:
        """Names of the plan parameters the expression reads."""
        return frozenset(n.name for n in walk(self.node) if isinstance(n, Param))

    def compile(self, params: Mapping[str, float | None] | None = None) -> Compiled:
        """Turn the tree into numpy closures (constant sub-trees are folded; a parameter given as None is read
        from the observables at run time, see `compiler.PARAM_PREFIX`)."""
        return compile_node(self.node, dict(params or {}))

    def evaluate(self, obs: Mapping[str, np.ndarray], params: Mapping[str, float] | None = None) -> np.ndarray:
        """Evaluate on observable arrays (shape (n,)); constants broadcast to the samples' shape."""
        return evaluate_compiled(self.compile(params), obs)

    def __str__(self) -> str:
        return unparse(self.node)
