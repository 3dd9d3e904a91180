"""Pieces every analysis shares: per-trajectory metrics, intervals, and packaging a result.

All analyses run the engine through the public API (`crunchtime.sim.compare` with an optional design),
so they keep working as the model's mechanisms change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from crunchtime.errors import ArgumentError

Progress = Callable[[int, int], None]

#: the essay's preference order over outcomes (section 1): best first; catastrophe is the worst
DEFAULT_UTILITY = {
    "coordinated_pause": 1.0,
    "obsolescence": 0.8,
    "self_destruction": 0.5,
    "unresolved": 0.5,
    "catastrophe": 0.0,
}

#: metrics an analysis can ask of a trajectory
METRICS = ("catastrophe", "catastrophe_risk", "utility")


def per_trajectory(result: Any, metric: str, utility: Mapping[str, float] | None = None) -> np.ndarray:
    """One number per trajectory of a SimulationResult.

    `catastrophe`: 0/1. `catastrophe_risk`: the sum over months of the world's chance of catastrophe
    that month given its history, an unbiased and smoother estimate of the same probability (use it for
    search and sensitivity). `utility`: the value of the trajectory's outcome under `utility` weights
    (default: the essay's preference order, DEFAULT_UTILITY); higher is better.
    """
    if metric == "catastrophe":
        return result.indicator("catastrophe")
    if metric == "catastrophe_risk":
        return np.asarray(result.scalars["catastrophe_risk"], dtype=float)
    if metric == "utility":
        weights = utility_weights(utility)
        from crunchtime.model.state import OUTCOMES

        table = np.array([weights[o] for o in OUTCOMES])
        return table[result.outcome]
    raise ArgumentError("metric", f"must be one of {', '.join(METRICS)}; got {metric!r}")


def utility_weights(utility: Mapping[str, float] | None) -> dict[str, float]:
    """Complete, checked utility weights: every outcome named, finite numbers (defaults fill the gaps)."""
    weights = dict(DEFAULT_UTILITY)
    for k, v in (utility or {}).items():
        if k not in weights:
            raise ArgumentError("utility", f"unknown outcome {k!r}; outcomes are {', '.join(weights)}")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not np.isfinite(v):
            raise ArgumentError("utility", f"{k}: must be a finite number, got {v!r}")
        weights[k] = float(v)
    return weights


def mean_ci(x: np.ndarray) -> dict[str, Any]:
    """Mean with its standard error and 95% interval (normal approximation; paired inputs give paired intervals)."""
    x = np.asarray(x, dtype=float)
    m = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")
    return {"value": m, "se": se, "ci95": [m - 1.96 * se, m + 1.96 * se]}


def check_whole(name: str, value: Any, low: int, high: int) -> int:
    """A whole-number argument within [low, high], else one clear ArgumentError."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not low <= value <= high:
        raise ArgumentError(name, f"must be a whole number in {low}..{high}, got {value!r}")
    return int(value)


class Stopwatch:
    """When an analysis started (UTC) and how long it took, for its provenance."""

    def __init__(self) -> None:
        self.started, self._t0 = datetime.now(UTC), time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self._t0


def package(
    kind: str,
    scenario: Any,
    plans: Sequence[Any],
    seed: int,
    samples: int,
    data: dict[str, Any],
    tables: Mapping[str, Any] | None,
    clock: Stopwatch,
):
    """An AnalysisResult with its provenance (scenario and plan texts, seed, samples, timing)."""
    from crunchtime.analysis.result import AnalysisResult

    return AnalysisResult(
        kind=kind,
        scenario_name=scenario.name,
        scenario_text=scenario.source_text,
        plans={p.name: p.source_text for p in plans},
        seed=seed,
        samples=samples,
        data=data,
        tables=dict(tables or {}),
        started_at=clock.started,
        wall_time_s=clock.seconds,
    )
