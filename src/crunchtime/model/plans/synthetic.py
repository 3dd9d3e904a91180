"""Synthetic observable arrays: a calm pre-crunch world, for tests, benchmarks and trying plans without the engine."""

from __future__ import annotations

import numpy as np

from crunchtime.model.observables import OBSERVABLE_NAMES

#: a plausible early-2025 reading of every observable (before 3x, no pause, Magma in the pack)
CALM_2025: dict[str, float] = {
    "date": 2025.0,
    "months_elapsed": 0.0,
    "capability": 0.0,
    "ai_rd_speedup": 1.2,
    "eval_danger_signal": 0.0005,
    "eval_misalignment_signal": 0.05,
    "lead_months": 0.0,
    "months_behind_leader": 0.0,
    "rival_ai_rd_speedup": 1.2,
    "political_will": 0.2,
    "awareness": 0.2,
    "coordination_support": 0.0,
    "security_level": 2.0,
    "preparation": 0.1,
    "alignment_progress": 0.1,
    "control_progress": 0.1,
    "evaluation_progress": 0.1,
    "incidents": 0.0,
    "pause_active": 0.0,
    "months_in_pause": 0.0,
    "reached_3x": 0.0,
    "months_since_3x": 0.0,
    "tedai_reached": 0.0,
    "deferred": 0.0,
    "self_destructed": 0.0,
    "compute_share": 0.3,
    "random": 0.5,
    "trajectory_random": 0.5,
}
assert set(CALM_2025) == set(OBSERVABLE_NAMES), "CALM_2025 must cover exactly the observables"


def example_observables(
    n: int, rng: np.random.Generator | None = None, **overrides: float | np.ndarray
) -> dict[str, np.ndarray]:
    """Every observable as a float64 array of shape (n,): CALM_2025 values, fresh uniforms for `random` and
    `trajectory_random` when `rng` is given, then `overrides` (scalars broadcast, arrays must have shape (n,))."""
    unknown = sorted(set(overrides) - set(OBSERVABLE_NAMES))
    if unknown:
        raise KeyError(f"not observables: {', '.join(unknown)}")
    obs = {k: np.full(n, v, dtype=np.float64) for k, v in CALM_2025.items()}
    if rng is not None:
        obs["random"], obs["trajectory_random"] = rng.random(n), rng.random(n)
    for k, v in overrides.items():
        obs[k] = np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy()
    return obs
