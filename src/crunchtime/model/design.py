"""Design matrices: given values of world parameters and actor fields, one per trajectory.

Every analysis (sensitivity, scenario discovery, one-dimensional sweeps, Table 1) runs the engine on a
design instead of (or on top of) the scenario's own sampling. A design is a mapping from parameter names
to arrays with one value per trajectory; trajectory i keeps the monthly shocks of index i, so designs and
plans are compared on common random numbers, and parameters the design leaves out are still drawn from
the scenario as usual.

Names: a world parameter by its name (`safety_difficulty`); an actor field as `ACTOR.FIELD`
(`Magma.lag_months`, `Frontier Lab A.aggression`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crunchtime.errors import ArgumentError
from crunchtime.model.distributions import Distribution
from crunchtime.model.params import ACTOR_FIELDS, WORLD_PARAMETERS, ParamSpec
from crunchtime.model.scenario import Scenario

Design = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Parameter:
    """One designable parameter of a scenario: its name, belief (distribution) and valid range."""

    name: str
    distribution: Distribution
    spec: ParamSpec
    actor: str | None = None  # None for a world parameter

    @property
    def uncertain(self) -> bool:
        """True unless the scenario states it as a constant."""
        return self.distribution.family != "constant"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at probabilities `u` of this belief, clipped into the valid range as sampling clips them."""
        return np.clip(self.distribution.ppf(u), self.spec.low, self.spec.high)


def parameters(scenario: Scenario, uncertain_only: bool = False) -> list[Parameter]:
    """Every parameter a design may set for this scenario, world parameters first, then actor fields."""
    out = [Parameter(p.name, scenario.parameters[p.name], p) for p in WORLD_PARAMETERS]
    out += [Parameter(f"{a.name}.{f.name}", a.fields[f.name], f, a.name) for a in scenario.actors for f in ACTOR_FIELDS]
    return [p for p in out if p.uncertain] if uncertain_only else out


def select(scenario: Scenario, names: Sequence[str] | None = None) -> list[Parameter]:
    """The named parameters (default: every uncertain one); an unknown name is one clear error."""
    if names is None:
        return parameters(scenario, uncertain_only=True)
    table = {p.name: p for p in parameters(scenario)}
    bad = [n for n in names if n not in table]
    if bad:
        raise ArgumentError(
            "parameters",
            f"unknown parameter {bad[0]!r} for scenario {scenario.name!r} "
            "(world parameters by name, actor fields as ACTOR.FIELD)",
        )
    if len(set(names)) != len(names):
        raise ArgumentError("parameters", "each parameter may appear once")
    return [table[n] for n in names]


def from_unit(params: Sequence[Parameter], u: np.ndarray) -> dict[str, np.ndarray]:
    """A design from points of the unit cube (n, len(params)) through each belief's quantile function."""
    u = np.asarray(u, dtype=float)
    return {p.name: p.ppf(u[:, j]) for j, p in enumerate(params)}


def validate(scenario: Scenario, design: Design | None, samples: int) -> dict[str, np.ndarray] | None:
    """Check a design against the scenario: known names, one finite in-range value per trajectory."""
    if design is None:
        return None
    if not isinstance(design, Mapping):
        raise ArgumentError("design", "must map parameter names to arrays of values")
    table = {p.name: p for p in parameters(scenario)}
    out = {}
    for name, values in design.items():
        if name not in table:
            raise ArgumentError(
                "design", f"unknown parameter {name!r} (world parameters by name, actor fields as ACTOR.FIELD)"
            )
        v = np.asarray(values, dtype=float)
        if v.shape != (samples,):
            raise ArgumentError("design", f"{name}: needs one value per trajectory ({samples}), got shape {v.shape}")
        spec = table[name].spec
        if not np.all(np.isfinite(v)) or v.min() < spec.low or v.max() > spec.high:
            raise ArgumentError(
                "design", f"{name}: values must be finite and within [{spec.low:g}, {spec.high:g}] {spec.unit}"
            )
        out[name] = v
    return out


def apply(
    scenario: Scenario,
    world: Mapping[str, np.ndarray],
    actors: Mapping[str, np.ndarray],
    design: Mapping[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Sampled beliefs with the design's columns put in their place (new dicts; the inputs are not changed)."""
    world, actors = dict(world), dict(actors)
    index = {a.name: i for i, a in enumerate(scenario.actors)}
    for name, values in design.items():
        if name in world:
            world[name] = values
            continue
        actor, field = name.rsplit(".", 1)
        col = actors[field].copy()
        col[:, index[actor]] = values
        actors[field] = col
    return world, actors
