"""From measured control to beliefs: a tempered Bayesian update of the model's control parameters.

What a control evaluation measures, in the model's terms (docs/control-evidence.md): among the attacks
that were decisive at the stated audit budget, ``caught`` were caught and ``uncaught`` succeeded unseen. Its
safety estimates the share of misalignment risk the protocol stops, which is the model's control coverage
``K`` (docs/model.md 2.8, ``safety_levels``)::

    K = C(S, N · 2^(control_decay · β)) · (1 − φ_E + φ_E · C(S_E, N)),   C(x, n) = 1 − exp(−x / n)

with N = ``safety_difficulty``, φ_E = ``control_eval_dependence``, β the evaluated model's capability in
effective-compute doublings past TEDAI (stated; 0 at or below TEDAI, where control does not erode), S and
S_E the team-years of control and evaluation-methodology research behind the evaluated protocol (stated).

The update, by importance sampling on the scenario's own draws (the scenario is the prior)::

    w_i ∝ [K_i^caught · (1 − K_i)^uncaught]^validity

a binomial likelihood raised to the user's ``proxy_validity`` (a power prior: validity 1 takes the evaluation
at face value, 0 ignores it; the evaluation is a proxy for crunch-time deployment, the weak-proxy argument of
`crunchtime crunch evidence`). Each uncertain parameter of the formula gets the weighted posterior's 5% and
95% quantiles as a scenario distribution ("a to b", the 90% interval the scenario files use), so the
posterior is written as independent marginals (the update's correlations between them are not kept).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from crunchtime.errors import ArgumentError
from crunchtime.model.mechanisms.research import safety_levels
from crunchtime.model.scenario import Scenario, sample_world, scenario_from_text

#: the parameters of control coverage K the evaluation informs (docs/model.md 2.8)
CONTROL_PARAMETERS = ("safety_difficulty", "control_decay", "control_eval_dependence")
POSTERIOR_DRAWS = 20_000


@dataclass(frozen=True)
class ControlMeasurement:
    """What was measured and the conditions it was measured under (all stated by the user except the counts)."""

    caught: int
    uncaught: int
    audit_budget: float = 1.0  # percent of honest runs audited
    capability: float = 0.0  # doublings of effective compute past TEDAI of the evaluated untrusted model
    control_years: float = 1.0  # team-years of control research behind the protocol (S)
    evaluation_years: float = 1.0  # team-years of evaluation methodology behind it (S_E)
    proxy_validity: float = 0.3  # how far the evaluation stands for crunch-time deployment, 0..1

    def __post_init__(self) -> None:
        checks = [
            ("caught", isinstance(self.caught, int) and self.caught >= 0, "a count >= 0"),
            ("uncaught", isinstance(self.uncaught, int) and self.uncaught >= 0, "a count >= 0"),
            ("capability", math.isfinite(self.capability), "a finite number of doublings"),
            ("control_years", self.control_years > 0 and math.isfinite(self.control_years), "> 0 team-years"),
            ("evaluation_years", self.evaluation_years >= 0 and math.isfinite(self.evaluation_years), ">= 0"),
            ("proxy_validity", 0.0 <= self.proxy_validity <= 1.0, "between 0 and 1"),
        ]
        for name, ok, want in checks:
            if not ok:
                raise ArgumentError(name, f"must be {want}, got {getattr(self, name)!r}")


def informed_parameters(m: ControlMeasurement) -> tuple[str, ...]:
    """The parameters K depends on at the measured capability: `control_decay` only past TEDAI (β > 0)."""
    return tuple(p for p in CONTROL_PARAMETERS if p != "control_decay" or m.capability > 0)


def predicted_safety(world: dict[str, np.ndarray], m: ControlMeasurement) -> np.ndarray:
    """The model's control coverage K of each drawn world (n,) at the measurement's conditions.

    Calls the model's own `safety_levels` for one actor whose control stock is S and evaluation stock S_E,
    at β doublings past TEDAI (k_tedai = 0, k = β).
    """
    n = world["safety_difficulty"].shape[0]
    zero = np.zeros((n, 1))
    p = {
        "k_tedai": np.zeros(n),
        "safety_difficulty": world["safety_difficulty"],
        "alignment_decay": np.zeros(n),
        "control_decay": world["control_decay"],
        "control_eval_dependence": world["control_eval_dependence"],
    }
    stocks = {"control": zero + m.control_years, "evaluation": zero + m.evaluation_years, "alignment": zero}
    return safety_levels(p, zero + max(m.capability, 0.0), stocks)["control"][:, 0]


def log_likelihood(safety: np.ndarray, m: ControlMeasurement) -> np.ndarray:
    """Tempered binomial log-likelihood of the counts: validity · (caught · log K + uncaught · log(1 − K))."""
    k = np.clip(safety, 1e-300, 1.0)
    miss = np.clip(1.0 - safety, 1e-300, 1.0)
    return m.proxy_validity * (m.caught * np.log(k) + m.uncaught * np.log(miss))


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles of draws x with normalised weights w (the weighted empirical distribution, midpoint rule)."""
    order = np.argsort(x)
    xs, ws = x[order], w[order]
    cdf = np.cumsum(ws) - 0.5 * ws
    return np.interp(q, cdf / ws.sum(), xs)


def _spec(lo: float, hi: float) -> str:
    """A scenario distribution from a 90% interval, rounded to 4 significant figures (a point if it is one)."""
    lo, hi = float(f"{lo:.4g}"), float(f"{hi:.4g}")
    return f"{lo:g}" if not lo < hi else f"{lo:g} to {hi:g}"


@dataclass
class ControlPosterior:
    """The scenario's control parameters before and after the evaluation, with the update's diagnostics."""

    base: Scenario
    measurement: ControlMeasurement
    prior: dict[str, str]
    posterior: dict[str, str]
    moved: dict[str, bool]
    prior_safety: float  # the scenario's mean predicted K at the measurement's conditions
    posterior_safety: float
    effective_draws: float
    draws: int
    seed: int
    scenario: Scenario = field(repr=False)
    yaml: str = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """`posterior` of the `--json`: each parameter's prior and posterior distribution, and the diagnostics."""
        return {
            "parameters": {k: {"prior": self.prior[k], "posterior": self.posterior[k]} for k in self.posterior},
            "measurement": self.measurement.__dict__,
            "predicted_safety": {"prior": self.prior_safety, "posterior": self.posterior_safety},
            "effective_draws": self.effective_draws,
            "draws": self.draws,
            "seed": self.seed,
        }

    def write_scenario(self, path: str | Path) -> Path:
        """Write the posterior as a scenario file that `extends` the base scenario."""
        out = Path(path)
        out.write_text(self.yaml, encoding="utf-8")
        return out

    def __repr__(self) -> str:
        moved = ", ".join(f"{k}: {self.prior[k]} -> {self.posterior[k]}" for k in self.posterior) or "nothing uncertain"
        return (
            f"ControlPosterior({self.base.name!r}, caught={self.measurement.caught}, uncaught={self.measurement.uncaught}, "
            f"validity={self.measurement.proxy_validity:g}, K {self.prior_safety:.3f} -> {self.posterior_safety:.3f}; {moved})"
        )


def _extends(base: Scenario) -> str:
    """What the written scenario `extends`: the built-in name, else the base file's absolute path."""
    source = base.source
    return source.split(":", 1)[1] if source.startswith("builtin:") else str(Path(source).resolve())


def scenario_yaml(base: Scenario, posterior: dict[str, str], m: ControlMeasurement, name: str) -> str:
    """A scenario that extends the base one with the posterior distributions (and says where they came from)."""
    import yaml

    head = (
        f"# Posterior of {base.name}'s control parameters after a control evaluation (crunchtime evidence control):\n"
        f"# {m.caught} attacks caught, {m.uncaught} succeeded uncaught at audit budget {m.audit_budget:g}%, capability\n"
        f"# {m.capability:g} doublings past TEDAI, {m.control_years:g} control and {m.evaluation_years:g} evaluation\n"
        f"# team-years behind the protocol, proxy validity {m.proxy_validity:g}. docs/control-evidence.md\n"
    )
    doc = {
        "name": name,
        "description": f"{base.name} updated by a control evaluation ({m.caught} caught, {m.uncaught} uncaught)",
        "extends": _extends(base),
        "parameters": dict(posterior),
    }
    return head + yaml.safe_dump(doc, sort_keys=False)


def update_control(
    base: Scenario, m: ControlMeasurement, draws: int = POSTERIOR_DRAWS, seed: int = 0, name: str | None = None
) -> ControlPosterior:
    """Tempered importance-sampling update of the base scenario's control parameters by the measured counts.

    Parameters
    ----------
    base : Scenario
        The prior beliefs.
    m : ControlMeasurement
        The counts (caught, uncaught successful attacks) and the conditions stated for them.
    draws : int
        Prior draws reweighted by the tempered likelihood (at least 100).
    seed : int
        Seed of the draws.
    name : str, optional
        Name of the posterior scenario (default: BASE-control-posterior).

    Returns
    -------
    ControlPosterior
        Prior and posterior distributions, predicted safety before and after, the effective number of
        draws, and the posterior as a Scenario and as YAML that `extends` the base scenario.

    Examples
    --------
    >>> post = update_control(load_scenario("default"), ControlMeasurement(16, 4, proxy_validity=1.0))  # doctest: +SKIP
    >>> post.posterior  # doctest: +SKIP
    {'safety_difficulty': '0.3504 to 0.7688'}
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 100:
        raise ArgumentError("draws", f"must be a whole number >= 100, got {draws!r}")
    world = sample_world(base, np.random.default_rng(seed), draws).world
    k = predicted_safety(world, m)
    logl = log_likelihood(k, m)
    w = np.exp(logl - logl.max())
    w /= w.sum()
    prior, post, moved = {}, {}, {}
    for p in informed_parameters(m):
        dist = base.parameters[p]
        if dist.family == "constant":
            continue  # a point belief stays a point: nothing to update
        prior[p] = dist.describe()
        lo, hi = weighted_quantile(world[p], w, np.array([0.05, 0.95]))
        post[p] = _spec(lo, hi)
        flat_lo, flat_hi = weighted_quantile(world[p], np.full(draws, 1.0 / draws), np.array([0.05, 0.95]))
        moved[p] = _spec(lo, hi) != _spec(flat_lo, flat_hi)
    label = name or f"{base.name}-control-posterior"
    text = scenario_yaml(base, post, m, label)
    scenario = scenario_from_text(text, f"{label}.yaml")
    return ControlPosterior(
        base=base,
        measurement=m,
        prior=prior,
        posterior=post,
        moved=moved,
        prior_safety=float(k.mean()),
        posterior_safety=float(np.dot(w, k)),
        effective_draws=float(1.0 / np.sum(w**2)),
        draws=draws,
        seed=seed,
        scenario=scenario,
        yaml=text,
    )
