"""Compiling an expression tree into numpy closures over the observables (constant sub-trees folded)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, cast

import numpy as np

from crunchtime.model.plans.expr.errors import ExprError
from crunchtime.model.plans.expr.tree import Arith, Call, Compare, Const, Logic, Node, Param, Power, Unary, Var

#: a compiled expression: a constant (numpy scalar) or a function of the observables
Compiled = np.float64 | np.bool_ | Callable[[Mapping[str, np.ndarray]], np.ndarray]

_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def _clip(x: Any, lo: Any, hi: Any) -> Any:
    return np.minimum(np.maximum(x, lo), hi)


def _reduce(fn: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    return lambda *args: functools.reduce(fn, args)


_FUNCS: dict[str, Callable[..., Any]] = {
    "min": _reduce(np.minimum),
    "max": _reduce(np.maximum),
    "clip": _clip,
    "abs": np.abs,
}


#: a parameter compiled with the value None is read from the observables under this prefix + its name
PARAM_PREFIX = "param:"


def compile_node(node: Node, params: Mapping[str, float | None]) -> Compiled:
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
        return _apply(np.negative if node.op == "-" else np.logical_not, [compile_node(node.operand, params)])
    if isinstance(node, Arith):
        acc = compile_node(node.first, params)
        for op, operand in node.rest:
            acc = _apply(_ARITH[op], [acc, compile_node(operand, params)])
        return acc
    if isinstance(node, Power):
        exponent = np.float64(node.exponent)
        return _apply(lambda b: np.power(b, exponent), [compile_node(node.base, params)])
    if isinstance(node, Compare):
        parts = [compile_node(n, params) for n in node.operands]
        pairs = [_apply(_COMPARE[op], [parts[i], parts[i + 1]]) for i, op in enumerate(node.ops)]
        return functools.reduce(lambda a, b: _apply(np.logical_and, [a, b]), pairs)
    if isinstance(node, Logic):
        fn = np.logical_and if node.op == "and" else np.logical_or
        return functools.reduce(lambda a, b: _apply(fn, [a, b]), [compile_node(n, params) for n in node.operands])
    if isinstance(node, Call):
        return _apply(_FUNCS[node.func], [compile_node(n, params) for n in node.args])
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover - the parser builds only the above


#: float64 array types evaluated as they are (not through np.asarray): the jit's traced arrays register here
#: (`crunchtime.engine.traced`), so a plan's compiled closures run on them unchanged
ARRAYS_AS_IS: list[type] = []


def as_float_array(x: object) -> np.ndarray:
    """x as a float64 numpy array, or x itself when it is one of ARRAYS_AS_IS."""
    if ARRAYS_AS_IS and isinstance(x, tuple(ARRAYS_AS_IS)):
        return x  # type: ignore[return-value]
    return np.asarray(x, dtype=np.float64)


def _apply(fn: Callable[..., Any], args: list[Any]) -> Compiled:
    """Fold when every argument is constant; otherwise return a closure over the argument closures."""
    if not any(callable(a) for a in args):
        with np.errstate(all="ignore"):
            result = fn(*args)
        return cast(Compiled, result[()] if isinstance(result, np.ndarray) else result)
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
