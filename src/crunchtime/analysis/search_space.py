"""The search space of `crunchtime optimize`: which numbers of a plan it tunes, and between which bounds.

A plan's numeric `params` are always tuned; with `tune_knobs`, so are its constant knob `defaults`
(named `defaults.KNOB`), bounded by the knob table (`crunchtime.sim.KNOBS`). Default range rule for a
parameter whose start value is `v`:

- `0 <= v <= 1`: the unit interval [0, 1] (probabilities, shares and thresholds on 0..1 scales);
- `v > 1`: [v / RANGE_FACTOR, v * RANGE_FACTOR] (a factor either way around the start value);
- `v < 0`: [v * RANGE_FACTOR, v / RANGE_FACTOR].

A user range (`space={"name": (lo, hi)}`, CLI `--space name=lo:hi,...`) replaces the rule; it must hold
the start value, because trial 0 is the start plan (so the search never reports worse than it began).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crunchtime.errors import ArgumentError

#: a parameter above 1 (or below 0) is searched within this factor of its start value either way: wide
#: enough to find a different regime (a 6-month lag threshold spans 1.5..24 months), narrow enough for
#: 40 trials to cover
RANGE_FACTOR = 4.0
#: how tuned knob defaults are named in the space (the YAML field they live under)
KNOB_PREFIX = "defaults."
#: short outcome names accepted in `--utility` weights
OUTCOME_ALIASES = {"pause": "coordinated_pause"}


@dataclass(frozen=True)
class Dimension:
    """One tuned number: its name, bounds, start value, whether it is a 0/1 action, and the rule that bounded it."""

    name: str
    low: float
    high: float
    start: float
    integer: bool = False
    rule: str = "unit"  # "unit", "factor", "knob" (the knob table) or "user"

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "start": self.start, "integer": self.integer, "rule": self.rule}


def default_range(value: float) -> tuple[float, float, str]:
    """(low, high, rule) for a plan parameter starting at `value` (see the module docstring)."""
    if 0.0 <= value <= 1.0:
        return 0.0, 1.0, "unit"
    if value > 1.0:
        return value / RANGE_FACTOR, value * RANGE_FACTOR, "factor"
    return value * RANGE_FACTOR, value / RANGE_FACTOR, "factor"


def knob_starts(plan_data: Mapping[str, Any], knobs: Any) -> dict[str, tuple[float, Any]]:
    """{knob: (start value, spec)} of the knobs a plan sets to a constant or leaves at the contract default."""
    given = plan_data.get("defaults") or {}
    out = {}
    for spec in knobs:
        value = given.get(spec.name, spec.default)
        if isinstance(value, bool):
            value = float(value)
        if isinstance(value, (int, float)):
            out[spec.name] = (float(value), spec)
    return out


def build_space(
    plan_data: Mapping[str, Any], knobs: Any, tune_knobs: bool, space: Mapping[str, Any] | None
) -> list[Dimension]:
    """The dimensions tuned for a plan (its `to_dict()` data), with user ranges applied and checked.

    Raises an ArgumentError naming `space` for an unknown name, a malformed or reversed range, or one
    that leaves out the start value.
    """
    dims: dict[str, Dimension] = {}
    for name, value in (plan_data.get("params") or {}).items():
        lo, hi, rule = default_range(float(value))
        dims[name] = Dimension(name, lo, hi, float(value), False, rule)
    knob_dims: dict[str, Dimension] = {}
    for name, (value, spec) in knob_starts(plan_data, knobs).items():
        key = KNOB_PREFIX + name
        knob_dims[key] = Dimension(key, float(spec.low), float(spec.high), value, spec.kind == "action", "knob")
    if tune_knobs:
        dims.update(knob_dims)
    if not dims:
        raise ArgumentError(
            "plan",
            "has no numeric params to tune (add params, or tune its knob defaults with tune_knobs / --tune-knobs)",
        )
    for name, bounds in (space or {}).items():
        if name not in dims:
            hint = " (knob defaults are tuned only with tune_knobs / --tune-knobs)" if name in knob_dims else ""
            raise ArgumentError("space", f"unknown parameter {name!r}{hint}; tunable: {', '.join(dims)}")
        lo, hi = _pair(name, bounds)
        d = dims[name]
        if d.rule == "knob" and (lo < knob_dims[name].low or hi > knob_dims[name].high):
            raise ArgumentError(
                "space",
                f"{name}: {lo:g}:{hi:g} leaves the knob's range {knob_dims[name].low:g}:{knob_dims[name].high:g}",
            )
        if not lo <= d.start <= hi:
            raise ArgumentError(
                "space", f"{name}: {lo:g}:{hi:g} must contain the start value {d.start:g} (trial 0 is the start plan)"
            )
        dims[name] = Dimension(name, lo, hi, d.start, d.integer, "user")
    return list(dims.values())


def _pair(name: str, bounds: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ArgumentError("space", f"{name}: give (low, high) numbers, got {bounds!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ArgumentError("space", f"{name}: bounds must be finite numbers, got {lo:g}:{hi:g}")
    if lo > hi:
        raise ArgumentError("space", f"{name}: low {lo:g} is above high {hi:g}")
    return lo, hi


def parse_space(text: str) -> dict[str, tuple[float, float]]:
    """`"lagging_months=2:12,pause_will=0.3:0.9"` as {name: (low, high)} (the CLI's `--space`).

    Examples
    --------
    >>> parse_space("lagging_months=2:12, pause_will=0.3:0.9")
    {'lagging_months': (2.0, 12.0), 'pause_will': (0.3, 0.9)}
    """
    out: dict[str, tuple[float, float]] = {}
    for item in (s.strip() for s in text.split(",")):
        if not item:
            continue
        name, eq, rng = item.partition("=")
        lo, colon, hi = rng.partition(":")
        if not eq or not colon or not name.strip():
            raise ArgumentError("space", f"write NAME=LOW:HIGH, got {item!r}")
        try:
            out[name.strip()] = (float(lo), float(hi))
        except ValueError:
            raise ArgumentError("space", f"{name.strip()}: bounds must be numbers, got {rng!r}") from None
    return out


def parse_weights(text: str) -> dict[str, float]:
    """`"pause=1,obsolescence=0.8"` as {outcome: weight} (the CLI's `--utility`; `pause` = coordinated_pause)."""
    out: dict[str, float] = {}
    for item in (s.strip() for s in text.split(",")):
        if not item:
            continue
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise ArgumentError("utility", f"write OUTCOME=WEIGHT, got {item!r}")
        try:
            out[OUTCOME_ALIASES.get(name.strip(), name.strip())] = float(value)
        except ValueError:
            raise ArgumentError("utility", f"{name.strip()}: weight must be a number, got {value!r}") from None
    return out
