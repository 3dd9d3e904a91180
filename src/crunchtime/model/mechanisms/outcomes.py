"""Milestones (Figure 2) and the essay's outcomes: obsolescence, a long coordinated pause, self-destruction."""

from __future__ import annotations

import numpy as np

from crunchtime.model.state import MILESTONES, OUT


def mark_milestones(milestones: np.ndarray, month: int, alive: np.ndarray, reached: dict[str, np.ndarray]) -> np.ndarray:
    """Date each milestone (keyed by name, every one of MILESTONES) the first month its condition holds in a
    world that still exists."""
    cond = np.stack([reached[name] for name in MILESTONES], axis=1)
    return np.where(cond & (alive[:, None] > 0) & np.isnan(milestones), month, milestones)


def slowed_down(p: dict[str, np.ndarray], velocity_ewm: np.ndarray, velocity: np.ndarray,
                pausing: np.ndarray) -> np.ndarray:
    """Moving average of Magma's velocity outside coordinated pauses (pausing with the world is not slowing)."""
    m = p["slowdown_memory"]
    return np.where(pausing, velocity_ewm, m * velocity_ewm + (1.0 - m) * velocity)


def classify(p: dict[str, np.ndarray], outcome: np.ndarray, outcome_month: np.ndarray, month: int,
             obsolete: np.ndarray, months_in_pause: np.ndarray, magma_gap: np.ndarray, self_destructed: np.ndarray,
             velocity_ewm: np.ndarray, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first outcome a living world reaches: obsolescence, a long coordinated pause, or self-destruction.

    Self-destruction: Magma is decisively overtaken (`decisive_gap_months`) after self-destructing or
    slowing below `slowed_velocity` on average.
    """
    overtaken = magma_gap >= p["decisive_gap_months"]
    self_destruction = overtaken & ((self_destructed > 0) | (velocity_ewm < p["slowed_velocity"]))
    long_pause = months_in_pause >= p["pause_min_months"]
    code = np.select([obsolete, long_pause, self_destruction],
                     [OUT["obsolescence"], OUT["coordinated_pause"], OUT["self_destruction"]], OUT["unresolved"])
    first = (outcome == OUT["unresolved"]) & (code != OUT["unresolved"]) & (alive > 0)
    return np.where(first, code, outcome), np.where(first, month, outcome_month)
