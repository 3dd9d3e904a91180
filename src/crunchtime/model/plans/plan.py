"""Plans: validated `Plan` objects that turn observables into knob arrays, and `build_plan` that makes them.

A plan has defaults for its knobs and an ordered list of rules (`when` a condition holds,
`set` some knobs). For each knob and sample the first rule whose condition holds and that
sets the knob gives its value; otherwise the default. Everything is parsed once at load and
evaluated with numpy over all samples at once.

The schema is in `schema.py`, the field checks in `checks.py`, the compiled program in `program.py`,
reading plans from YAML text, files and the built-ins in `loading.py`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import yaml

from crunchtime.errors import InputError
from crunchtime.model.plans.checks import check_param_value, check_plan_data
from crunchtime.model.plans.expr import PARAM_PREFIX, Const, Expr
from crunchtime.model.plans.program import compile_program, observable_arrays, run_program
from crunchtime.model.plans.rule import Rule


class Plan:
    """A validated plan: `decide(observables)` returns every knob as a float64 array of shape (n,)."""

    def __init__(
        self,
        *,
        name: str,
        description: str,
        params: Mapping[str, float],
        defaults: Mapping[str, Expr],
        rules: tuple[Rule, ...],
        source: str,
        source_text: str,
        parents: tuple[str, ...] = (),
    ):
        self.name, self.description = name, description
        self.parents: tuple[str, ...] = tuple(parents)  # the plans it extends, nearest first
        self.params: dict[str, float] = dict(params)
        self.defaults: dict[str, Expr] = dict(defaults)
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.source, self.source_text = source, source_text
        self.observables: frozenset[str] = frozenset().union(
            *(e.observables for e in self.defaults.values()),
            *(r.when.observables for r in self.rules),
            *(v.observables for r in self.rules for v in r.set.values()),
        )
        self._conds, self._program = compile_program(self.rules, self.defaults, self.params)

    def __repr__(self) -> str:
        extends = f", extends={self.parents[0]!r}" if self.parents else ""
        return f"Plan({self.name!r}, rules={len(self.rules)}, source={self.source!r}{extends})"

    def _repr_html_(self) -> str:
        from crunchtime.model.plans.show import plan_html

        return plan_html(self)

    def decide(self, obs: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every knob in KNOB_NAMES as a float64 array of shape (n,), clipped into its range.

        Pure: the result depends on `obs` only. A value that is undefined for a sample (NaN, e.g.
        0/0) means the rule gives no value there; the next rule or the default decides.
        """
        arrays = observable_arrays(self.name, self.observables, obs)
        return run_program(self._conds, self._program, arrays)

    def with_params_as_data(self) -> Plan:
        """The same plan reading its params at run time, each from an observable named `param:NAME` (an
        array like the others), instead of folding them in as constants: one compiled program then serves
        every value of the params (the jit, `crunchtime.engine.jit`). `param_observables` makes those arrays."""
        plan = copy.copy(self)
        plan._conds, plan._program = compile_program(self.rules, self.defaults, {k: None for k in self.params})
        plan.observables = self.observables | {PARAM_PREFIX + k for k in self.params}
        return plan

    def param_observables(self, n: int) -> dict[str, np.ndarray]:
        """This plan's params as the arrays `with_params_as_data()` reads (each value repeated n times)."""
        return {PARAM_PREFIX + k: np.full(n, float(v)) for k, v in self.params.items()}

    def structure_key(self) -> tuple:
        """What a compiled program of `with_params_as_data()` depends on: the rules and defaults as canonical
        text and the params' names (not their values)."""
        return (
            tuple(sorted(self.params)),
            tuple((k, str(e)) for k, e in sorted(self.defaults.items())),
            tuple((str(r.when), tuple((k, str(v)) for k, v in sorted(r.set.items()))) for r in self.rules),
        )

    # constructors and variants
    @classmethod
    def fixed(cls, name: str, description: str | None = None, **knob_values: float) -> Plan:
        """A plan with constant knobs (contract defaults for the rest), validated like a file."""
        data = {
            "name": name,
            "description": description or f"constant knobs: {_kv(knob_values) or 'defaults'}",
            "defaults": dict(knob_values),
        }
        return build_plan(data, {}, source=f"Plan.fixed({name!r})", source_text=dump_yaml(data))

    def with_params(self, **values: float) -> Plan:
        """The same plan with some named parameters changed (for sensitivity analysis and plan search)."""
        source = f"{self.source} with {_kv(values)}"
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise InputError(
                source,
                f"params.{unknown[0]}",
                f"unknown parameter (this plan has: {', '.join(sorted(self.params)) or 'none'})",
            )
        for key, value in values.items():
            check_param_value(value, source, f"params.{key}", None)
        data = self.to_dict()
        data["params"] = {**self.params, **{k: float(v) for k, v in values.items()}}
        return build_plan(data, {}, source=source, source_text=dump_yaml(data))

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (expressions as canonical text); `build_plan(plan.to_dict())` rebuilds it."""

        def value(e: Expr) -> Any:
            return e.node.value if isinstance(e.node, Const) else e.text

        rules = []
        for r in self.rules:
            item: dict[str, Any] = {
                "name": r.name,
                "when": value(r.when),
                "set": {k: value(v) for k, v in r.set.items()},
            }
            if r.why:
                item["why"] = r.why
            rules.append(item)
        return {
            "name": self.name,
            "description": self.description,
            "params": dict(self.params),
            "defaults": {k: value(v) for k, v in self.defaults.items()},
            "rules": rules,
        }


def _kv(values: Mapping[str, Any]) -> str:
    """`a=1, b=2`, for a plan's description or source."""
    return ", ".join(f"{k}={v}" for k, v in values.items())


def dump_yaml(data: Mapping[str, Any]) -> str:
    """Plan data as YAML text, fields in their order."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)


def build_plan(
    data: Any, lines: Mapping[tuple, int], *, source: str, source_text: str, parents: tuple[str, ...] = ()
) -> Plan:
    """Validate plain data (as from YAML) into a Plan; `lines` maps document paths to line numbers.

    `extends` must already be resolved (see `parse_plan`); `parents` records what it named.
    """
    parts = check_plan_data(data, lines, source)
    return Plan(
        name=parts.name,
        description=parts.description,
        params=parts.params,
        defaults=parts.defaults,
        rules=parts.rules,
        source=source,
        source_text=source_text,
        parents=parents,
    )
