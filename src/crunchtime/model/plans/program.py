"""A plan compiled for deciding: its rules' conditions, and per knob the rules that may set it, run on arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crunchtime.model.knobs import KNOBS, KnobSpec
from crunchtime.model.plans.expr import Compiled, Expr, as_float_array
from crunchtime.model.plans.rule import Rule


def as_float(compiled: Compiled) -> Compiled:
    """Booleans become 0.0/1.0 (action knobs may be set by a condition)."""
    if callable(compiled):
        return lambda obs: compiled(obs).astype(np.float64)
    return np.float64(compiled)


@dataclass
class KnobProgram:
    """How one knob is decided: its default, then the rules that may set it (unreachable ones pruned)."""

    spec: KnobSpec
    default: Compiled
    entries: list[tuple[int, Compiled]] = field(default_factory=list)  # (rule index, value), in rule order


def compile_program(
    rules: Sequence[Rule], defaults: Mapping[str, Expr], params: Mapping[str, float | None]
) -> tuple[list[Compiled], list[KnobProgram]]:
    """Compile once: conditions per rule, and per knob the rules that set it (unreachable ones pruned)."""
    conds = [rule.when.compile(params) for rule in rules]
    program = []
    for spec in KNOBS:
        given = defaults.get(spec.name)
        default = as_float(given.compile(params)) if given is not None else np.float64(spec.default)
        if not callable(default) and np.isnan(default):  # e.g. a constant 0/0: undefined, so the contract default
            default = np.float64(spec.default)
        prog = KnobProgram(spec, default)
        for i, rule in enumerate(rules):
            if spec.name not in rule.set or (not callable(conds[i]) and not conds[i]):
                continue
            value = as_float(rule.set[spec.name].compile(params))
            prog.entries.append((i, value))
            if not callable(conds[i]) and not callable(value) and not np.isnan(value):
                break  # an always-true rule with a defined value: later rules never reach this knob
        program.append(prog)
    return conds, program


def observable_arrays(
    plan_name: str, observables: frozenset[str], obs: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The observables a plan reads (or, if none, the first given) as 1-D float arrays of one length."""
    missing = sorted(observables - set(obs))
    if missing:
        raise KeyError(f"plan {plan_name!r} reads observable(s) not given: {', '.join(missing)}")
    names = observables or set(list(obs)[:1])
    if not names:
        raise ValueError("decide() needs at least one observable array to know the number of samples")
    arrays = {k: as_float_array(obs[k]) for k in names}
    shapes = {a.shape for a in arrays.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        raise ValueError(f"observables must be 1-D arrays of one length, got shapes {sorted(shapes)}")
    return arrays


def run_program(
    conds_compiled: Sequence[Compiled], program: Sequence[KnobProgram], arrays: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Every knob as a float64 array, clipped into its range; a NaN value leaves the decision to the next rule."""
    n = next(iter(arrays.values())).shape[0]
    conds: list[Any] = [None] * len(conds_compiled)
    out: dict[str, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for prog in program:
            value = _default(prog, arrays, n)
            for i, compiled in reversed(prog.entries):
                if conds[i] is None:
                    c = conds_compiled[i]
                    conds[i] = c(arrays) if callable(c) else np.full(n, bool(c))
                v = compiled(arrays) if callable(compiled) else compiled
                take = conds[i] & ~np.isnan(v) if (callable(compiled) or np.isnan(v)) else conds[i]
                value = np.where(take, v, value)
            spec = prog.spec
            if spec.kind == "action":
                out[spec.name] = np.where(value >= 0.5, 1.0, 0.0)
            else:
                out[spec.name] = np.clip(value, spec.low, spec.high).astype(np.float64, copy=False)
    return out


def _default(prog: KnobProgram, arrays: dict[str, np.ndarray], n: int) -> np.ndarray:
    if not callable(prog.default):
        return np.full(n, prog.default, dtype=np.float64)
    v = prog.default(arrays)
    return np.where(np.isnan(v), prog.spec.default, v)
