"""Plans: how Magma turns its knobs, as YAML rules over observables (see docs/plans.md)."""

from crunchtime.model.plans.expr import Expr, ExprError
from crunchtime.model.plans.expr import parse as parse_expr
from crunchtime.model.plans.plan import (
    Plan,
    PlanSpec,
    Rule,
    RuleSpec,
    build_plan,
    builtin_plan_names,
    list_builtin_plans,
    load_plan,
    parse_plan,
)
from crunchtime.model.plans.synthetic import example_observables

__all__ = [
    "Expr",
    "ExprError",
    "Plan",
    "PlanSpec",
    "Rule",
    "RuleSpec",
    "build_plan",
    "builtin_plan_names",
    "example_observables",
    "list_builtin_plans",
    "load_plan",
    "parse_expr",
    "parse_plan",
]
