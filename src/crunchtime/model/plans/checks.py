"""Checking plan data (as from YAML) field by field into the parts of a plan; each problem is one InputError.

`check_plan_data` is the whole check, in named steps: the header (name, description), the params, the
defaults, the rules. `crunchtime.model.plans.plan.build_plan` makes a `Plan` of what it returns.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from crunchtime.errors import InputError
from crunchtime.model.knobs import KNOB_BY_NAME, KNOB_NAMES
from crunchtime.model.plans.expr import MAX_LITERAL, RESERVED, Expr, ExprError, Type, parse
from crunchtime.model.plans.rule import Rule, literal_expr
from crunchtime.model.plans.schema import FIELDS, PlanSpec, RuleSpec, schema_error, type_name
from crunchtime.model.plans.yamlsrc import format_path, line_of

MAX_RULES = 200
MAX_DESCRIPTION = 200
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class PlanParts:
    """What a checked plan is made of (all but where it came from)."""

    name: str
    description: str
    params: dict[str, float]
    defaults: dict[str, Expr]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class _Where:
    """Where the data came from, to name source, field and line in errors."""

    source: str
    lines: Mapping[tuple, int]

    def fail(self, path: tuple, problem: str) -> InputError:
        return InputError(self.source, format_path(path) or None, problem, line=self.line(path))

    def line(self, path: tuple) -> int | None:
        return line_of(dict(self.lines), path)


def check_plan_data(data: Any, lines: Mapping[tuple, int], source: str) -> PlanParts:
    """Validate plain data (as from YAML, `extends` already resolved); `lines` maps document paths to lines."""
    where = _Where(source, lines)
    spec = _check_schema(data, where)
    _check_header(spec, where)
    params = _check_params(spec, where)
    defaults = {k: _knob_value(k, v, ("defaults", k), params, where) for k, v in spec.defaults.items()}
    rules = _check_rules(spec, params, where)
    return PlanParts(spec.name, spec.description.strip(), params, defaults, tuple(rules))


def check_param_value(value: Any, source: str, fieldname: str, line: int | None) -> None:
    """A parameter's value must be a finite number of at most MAX_LITERAL in size (not true/false)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or abs(value) > MAX_LITERAL
    ):
        raise InputError(
            source,
            fieldname,
            f"a parameter must be a finite number (|x| <= {MAX_LITERAL:g}), "
            f"got {type_name(value) if not isinstance(value, (int, float)) else value}",
            line=line,
        )


def _check_schema(data: Any, where: _Where) -> PlanSpec:
    if not isinstance(data, dict):
        raise where.fail(
            (), f"a plan file must be a mapping of fields ({', '.join(FIELDS['plan'])}), got {type_name(data)}"
        )
    try:
        return PlanSpec.model_validate(data)
    except ValidationError as exc:
        raise schema_error(exc, where.lines, where.source) from None


def _check_header(spec: PlanSpec, where: _Where) -> None:
    if spec.extends is not None:
        raise where.fail(("extends",), "extends is resolved when a plan is read: use parse_plan or load_plan")
    if not _NAME.match(spec.name):
        raise where.fail(
            ("name",), f"{spec.name[:40]!r} is not a valid plan name (letters, digits, '.', '_', '-'; at most 64)"
        )
    if not spec.description.strip() or "\n" in spec.description.strip() or len(spec.description) > MAX_DESCRIPTION:
        raise where.fail(("description",), f"must be one non-empty line of at most {MAX_DESCRIPTION} characters")


def _check_params(spec: PlanSpec, where: _Where) -> dict[str, float]:
    params: dict[str, float] = {}
    for key, value in spec.params.items():
        path = ("params", key)
        if not _PARAM.match(key):
            raise where.fail(path, f"{key[:40]!r} is not a valid parameter name (letters, digits, '_')")
        if key in RESERVED or key in KNOB_BY_NAME:
            raise where.fail(path, f"'{key}' is already an observable, knob, function or keyword; choose another name")
        check_param_value(value, where.source, format_path(path), where.line(path))
        params[key] = float(value)
    return params


def _knob_value(knob: str, value: Any, path: tuple, params: Mapping[str, float], where: _Where) -> Expr:
    """A knob's value as written (number, true/false or expression text), checked against the knob."""
    if knob not in KNOB_BY_NAME:
        close = difflib.get_close_matches(knob, KNOB_NAMES, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"knobs: {', '.join(KNOB_NAMES)}"
        raise where.fail(path, f"unknown knob {knob[:40]!r} ({hint})")
    ks = KNOB_BY_NAME[knob]
    action = ks.kind == "action"
    if isinstance(value, bool):
        if not action:
            raise where.fail(path, f"{knob} takes a number in [{ks.low:g}, {ks.high:g}], not {str(value).lower()}")
        return literal_expr(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not ks.low <= value <= ks.high:
            raise where.fail(path, f"{value!r} is out of range for {knob} [{ks.low:g}, {ks.high:g}]")
        if action and value not in (0, 1):
            raise where.fail(
                path, f"{knob} is an action: set it to 0 or 1 (or true/false, or a condition), not {value!r}"
            )
        return literal_expr(value)
    if isinstance(value, str):
        e = _parse(value, params, None, path, where)
        if e.type == "boolean" and not action:
            raise where.fail(path, f"{knob} takes a number, but this expression is a condition (true/false)")
        folded = e.compile(params)
        if (
            not callable(folded)
            and e.type == "number"
            and not np.isnan(folded)
            and not ks.low <= float(folded) <= ks.high
        ):
            raise where.fail(path, f"constant {float(folded):g} is out of range for {knob} [{ks.low:g}, {ks.high:g}]")
        return e
    raise where.fail(path, f"expected a number or an expression in quotes, got {type_name(value)}")


def _parse(text: str, params: Mapping[str, float], expect: Type | None, path: tuple, where: _Where) -> Expr:
    try:
        return parse(text, params=params, expect=expect)
    except ExprError as err:
        raise where.fail(path, err.message) from None


def _check_rules(spec: PlanSpec, params: Mapping[str, float], where: _Where) -> list[Rule]:
    if len(spec.rules) > MAX_RULES:
        raise where.fail(("rules",), f"too many rules ({len(spec.rules)}; the limit is {MAX_RULES})")
    rules: list[Rule] = []
    seen_names: dict[str, int] = {}
    for i, r in enumerate(spec.rules):
        rules.append(_check_rule(i, r, params, seen_names, where))
    return rules


def _check_rule(i: int, r: RuleSpec, params: Mapping[str, float], seen_names: dict[str, int], where: _Where) -> Rule:
    """Rule `i` checked; `seen_names` (name -> index of the rules so far) gains its name."""
    path: tuple[str, int] = ("rules", i)
    name = r.name or f"rule {i + 1}"
    if r.name is not None:
        if r.name in seen_names:
            raise where.fail((*path, "name"), f"duplicate rule name {r.name!r} (also rules[{seen_names[r.name]}])")
        seen_names[r.name] = i
    if isinstance(r.when, bool):
        when = literal_expr(r.when)
    elif isinstance(r.when, str):
        when = _parse(r.when, params, "boolean", (*path, "when"), where)
    else:
        raise where.fail((*path, "when"), f"expected a condition in quotes (or true/false), got {type_name(r.when)}")
    if r.before is not None:
        raise where.fail((*path, "before"), "before places a rule among a parent plan's rules: use it with extends")
    if not r.set:
        raise where.fail((*path, "set"), "a rule must set at least one knob")
    values = {k: _knob_value(k, v, (*path, "set", k), params, where) for k, v in r.set.items()}
    return Rule(name, when, values, r.why, where.line(path))
