"""The coordinated pause (essay 2.2): forms from political will and every frontier actor's willingness,
lasts while will holds, and can break down."""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col


def pause_threshold(p: dict[str, np.ndarray], governance_readiness: np.ndarray) -> np.ndarray:
    """Political will a pause needs (n,); Magma's governance preparation (agreed triggers, its coverage
    `governance_readiness`) lowers it by up to `pause_prep_discount`."""
    return p["pause_threshold"] * (1.0 - p["pause_prep_discount"] * governance_readiness)


def willing_to_pause(
    p: dict[str, np.ndarray], will: np.ndarray, threshold: np.ndarray, willingness: np.ndarray
) -> np.ndarray:
    """Which actors would join (n, A'): will above the threshold plus a margin that shrinks with willingness.

    Willingness 1 joins at the threshold; willingness 0 only `willingness_margin` of the way from the
    threshold to full will.
    """
    thr = threshold[:, None]
    return will[:, None] > thr + col(p, "willingness_margin") * (1.0 - willingness) * (1.0 - thr)


def coordinated_pause(
    p: dict[str, np.ndarray],
    will: np.ndarray,
    governance_readiness: np.ndarray,
    gap: np.ndarray,
    magma_joins: np.ndarray,
    pause_active: np.ndarray,
    eligible: np.ndarray,
    u_breakdown: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Whether a coordinated pause holds this month (n,) and which actors pause (n, A).

    Every frontier actor (within `frontier_window_months` of the leader) must be willing, Magma through
    its knob; a pause in force survives will down to `pause_hysteresis` of the threshold, and breaks down
    with monthly probability `pause_breakdown_rate` (its month count restarts; it may re-form later, but a
    long pause needs `pause_min_months` unbroken months).
    """
    hold = np.where(pause_active > 0, p["pause_hysteresis"], 1.0)
    threshold = pause_threshold(p, governance_readiness) * hold
    willing = willing_to_pause(p, will, threshold, p["a_coordination_willingness"])
    is_magma = np.arange(gap.shape[1]) == 0
    willing = np.where(is_magma, magma_joins[:, None], willing)
    frontier = gap <= col(p, "frontier_window_months")
    breaks = (pause_active > 0) & (u_breakdown < p["pause_breakdown_rate"])
    holds = np.all(willing | ~frontier, axis=1) & (will >= threshold) & eligible & ~breaks
    return holds, holds[:, None] & willing
