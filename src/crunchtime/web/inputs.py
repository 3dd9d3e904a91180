"""Turn a request's JSON into checked arguments of `api.compare`; anything wrong is one `WebInputError` line.

Only built-in scenarios and plans are read by name (the server never opens a path a request names); a
plan given as YAML text goes through the safe parser `api.parse_plan`, and its `extends:` may name
built-in plans only. Parameters are checked against their valid ranges (`api.parameters`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from crunchtime import api
from crunchtime.web import limits

#: the request fields of /api/compare (and of a report job); anything else is refused by name
COMPARE_FIELDS = ("scenario", "plans", "samples", "seed", "parameters", "world")


class WebInputError(ValueError):
    """A bad request: one line naming the field, answered as HTTP 400 {"error": line}."""


@dataclass(frozen=True)
class CompareRequest:
    """Checked inputs of one comparison."""

    scenario: api.Scenario
    plans: tuple[api.Plan, ...]
    samples: int
    seed: int
    parameters: dict[str, float]
    world: int

    def design(self) -> dict[str, np.ndarray] | None:
        """Every trajectory at the slider's value: {name: np.full(samples, value)}."""
        if not self.parameters:
            return None
        return {k: np.full(self.samples, v) for k, v in self.parameters.items()}


def _whole(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def scenario(name: Any) -> api.Scenario:
    """A built-in scenario by name (a request may not name a file)."""
    names = [n for n, _ in api.list_scenarios()]
    if not isinstance(name, str) or name not in names:
        raise WebInputError(f"scenario: expected one of {', '.join(names)}, got {_short(name)}")
    return api.load_scenario(name)


def plan(item: Any, where: str) -> api.Plan:
    """A built-in plan by name, or plan YAML text through the safe parser."""
    builtin = [n for n, _ in api.list_plans()]
    if not isinstance(item, str) or not item.strip():
        raise WebInputError(f"{where}: expected a built-in plan name or plan YAML text")
    if len(item) > limits.MAX_PLAN_TEXT:
        raise WebInputError(f"{where}: plan text is longer than {limits.MAX_PLAN_TEXT} characters")
    if "\n" not in item and ":" not in item:
        if item.strip() not in builtin:
            raise WebInputError(
                f"{where}: no built-in plan {item.strip()!r} (one of {', '.join(builtin)}, or plan YAML text)"
            )
        return api.load_plan(item.strip())
    _check_extends(item, where, builtin)
    try:
        return api.parse_plan(item, source=where)
    except api.CrunchtimeError as exc:
        raise WebInputError(_one_line(str(exc))) from None


def _check_extends(text: str, where: str, builtin: list[str]) -> None:
    """`extends:` in the web app names built-in plans only (never a file on the server)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return  # api.parse_plan reports the syntax error with its line
    parents = data.get("extends") if isinstance(data, dict) else None
    if parents is None:
        return
    for p in parents if isinstance(parents, list) else [parents]:
        if not isinstance(p, str) or p.removeprefix("builtin:") not in builtin:
            raise WebInputError(
                f"{where}: extends: the web app extends built-in plans only ({', '.join(builtin)}), got {_short(p)}"
            )


def retuned(p: api.Plan, params: Any, name: Any) -> api.Plan:
    """The plan with some params changed (and a new name), as YAML text the page can save and send."""
    if not isinstance(params, Mapping) or any(
        isinstance(v, bool) or not isinstance(v, (int, float)) for v in params.values()
    ):
        raise WebInputError("params: expected an object {plan parameter: number}")
    if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 100):
        raise WebInputError("name: expected a plan name")
    try:
        tuned = p.with_params(**{str(k): float(v) for k, v in params.items()})
    except api.CrunchtimeError as exc:
        raise WebInputError(_one_line(str(exc))) from None
    data = tuned.to_dict() | ({"name": name.strip()} if name else {})
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return plan(text, "plan")


def parameters(sc: api.Scenario, given: Any) -> dict[str, float]:
    """Slider values: known parameter names, finite numbers within each parameter's valid range."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise WebInputError("parameters: expected an object {parameter name: number}")
    if len(given) > limits.MAX_PARAMETERS:
        raise WebInputError(f"parameters: at most {limits.MAX_PARAMETERS} parameters")
    table = {p.name: p for p in api.parameters(sc)}
    out = {}
    for name, value in given.items():
        if name not in table:
            raise WebInputError(
                f"parameters: unknown parameter {_short(name)} for scenario {sc.name!r} (world "
                "parameters by name, actor fields as ACTOR.FIELD)"
            )
        spec = table[name].spec
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise WebInputError(f"parameters: {name}: expected a finite number, got {_short(value)}")
        if not spec.low <= value <= spec.high:
            raise WebInputError(
                f"parameters: {name}: {value:g} is outside its valid range [{spec.low:g}, {spec.high:g}] {spec.unit}"
            )
        out[name] = float(value)
    return out


def compare_request(body: Any, max_samples: int = limits.MAX_COMPARE_SAMPLES) -> CompareRequest:
    """Check a /api/compare body; the first problem is one line."""
    if not isinstance(body, Mapping):
        raise WebInputError("body: expected a JSON object")
    unknown = [k for k in body if k not in COMPARE_FIELDS]
    if unknown:
        raise WebInputError(f"{_short(unknown[0])}: unknown field (fields: {', '.join(COMPARE_FIELDS)})")
    sc = scenario(body.get("scenario", "default"))
    plans = body.get("plans")
    if not isinstance(plans, list) or not plans:
        raise WebInputError("plans: expected a non-empty list of plan names or plan YAML texts")
    if len(plans) > limits.MAX_PLANS:
        raise WebInputError(f"plans: at most {limits.MAX_PLANS} plans")
    plan_objs = tuple(plan(p, f"plans[{i}]") for i, p in enumerate(plans))
    names = [p.name for p in plan_objs]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup is not None:
        raise WebInputError(f"plans: plan names must be distinct ({dup!r} appears twice)")
    samples = body.get("samples", limits.INTERACTIVE_SAMPLES)
    if not _whole(samples) or not 1 <= samples <= max_samples:
        raise WebInputError(f"samples: must be a whole number in 1..{max_samples}, got {_short(samples)}")
    seed = body.get("seed", 0)
    if not _whole(seed) or not 0 <= seed < 2**63:
        raise WebInputError(f"seed: must be a non-negative whole number below 2**63, got {_short(seed)}")
    world = body.get("world", 0)
    if not _whole(world) or not 0 <= world < min(samples, limits.MAX_WORLDS):
        raise WebInputError(
            f"world: must be a whole number in 0..{min(samples, limits.MAX_WORLDS) - 1}, got {_short(world)}"
        )
    return CompareRequest(sc, plan_objs, samples, seed, parameters(sc, body.get("parameters")), world)


def _short(x: Any, width: int = 60) -> str:
    text = repr(x)
    return text if len(text) <= width else text[: width - 3] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())
