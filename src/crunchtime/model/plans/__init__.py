"""Plans: how Magma turns its knobs, as YAML rules over observables (see docs/plans.md)."""

from crunchtime.model.plans.expr import ExprError, Expr, parse as parse_expr
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
    "ExprError", "Expr", "parse_expr", "Plan", "PlanSpec", "Rule", "RuleSpec", "build_plan",
    "builtin_plan_names", "list_builtin_plans", "load_plan", "parse_plan", "example_observables",
]
