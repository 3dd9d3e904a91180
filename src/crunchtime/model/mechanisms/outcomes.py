"""Milestones (Figure 2) and the essay's outcomes: obsolescence, a long coordinated pause, self-destruction."""

from __future__ import annotations

import numpy as np

from crunchtime.model.state import MILESTONES, OUT, PATH, WORLD


def mark_milestones(
    milestones: np.ndarray, month: int, alive: np.ndarray, reached: dict[str, np.ndarray]
) -> np.ndarray:
    """Date each milestone (keyed by name, every one of MILESTONES) the first month its condition holds in a
    world that still exists."""
    cond = np.stack([reached[name] for name in MILESTONES], axis=1)
    return np.where(cond & (alive[:, None] > 0) & np.isnan(milestones), month, milestones)


def slowed_down(
    p: dict[str, np.ndarray], velocity_ewm: np.ndarray, velocity: np.ndarray, pausing: np.ndarray
) -> np.ndarray:
    """Moving average of Magma's velocity outside coordinated pauses (pausing with the world is not slowing)."""
    m = p["slowdown_memory"]
    return np.where(pausing, velocity_ewm, m * velocity_ewm + (1.0 - m) * velocity)


def classify(
    p: dict[str, np.ndarray],
    outcome: np.ndarray,
    outcome_month: np.ndarray,
    month: int,
    obsolete: np.ndarray,
    months_in_pause: np.ndarray,
    magma_gap: np.ndarray,
    self_destructed: np.ndarray,
    velocity_ewm: np.ndarray,
    alive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The first outcome a living world reaches: obsolescence, a long coordinated pause, or self-destruction.

    Self-destruction: Magma is decisively overtaken (`decisive_gap_months`) after self-destructing or
    slowing below `slowed_velocity` on average.
    """
    overtaken = magma_gap >= p["decisive_gap_months"]
    self_destruction = overtaken & ((self_destructed > 0) | (velocity_ewm < p["slowed_velocity"]))
    long_pause = months_in_pause >= p["pause_min_months"]
    code = np.select(
        [obsolete, long_pause, self_destruction],
        [OUT["obsolescence"], OUT["coordinated_pause"], OUT["self_destruction"]],
        OUT["unresolved"],
    )
    first = (outcome == OUT["unresolved"]) & (code != OUT["unresolved"]) & (alive > 0)
    return np.where(first, code, outcome), np.where(first, month, outcome_month)


def _first(
    code: np.ndarray, unresolved: int, current: np.ndarray, current_month: np.ndarray, month: int, alive: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keep a classification once made: a living world takes `code` the first month it is not `unresolved`."""
    first = (current == unresolved) & (code != unresolved) & (alive > 0)
    return np.where(first, code, current), np.where(first, month, current_month)


def classify_world(
    p: dict[str, np.ndarray],
    world: np.ndarray,
    world_month: np.ndarray,
    month: int,
    trustworthy_obsolete: np.ndarray,
    months_in_pause: np.ndarray,
    alive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The world's outcome: the first of a long coordinated pause (`pause_min_months`, whoever is still in
    the race) and human researchers made obsolete by a trustworthy AI, in a world that still exists.
    Catastrophe, at any month, overrides both (`engine.chunk_outputs`), as in the legacy outcome.

    Unlike `classify`, it does not stop at what happens to Magma: a pause that comes after Magma has
    dropped out is the world's outcome.
    """
    code = np.select(
        [trustworthy_obsolete, months_in_pause >= p["pause_min_months"]],
        [WORLD["trustworthy_obsolescence"], WORLD["coordinated_pause"]],
        WORLD["unresolved"],
    )
    return _first(code, WORLD["unresolved"], world, world_month, month, alive)


def classify_path(
    p: dict[str, np.ndarray],
    path: np.ndarray,
    path_month: np.ndarray,
    month: int,
    self_destruct: np.ndarray,
    deferring: np.ndarray,
    months_in_pause: np.ndarray,
    magma_gap: np.ndarray,
    alive: np.ndarray,
    magma_pausing: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Magma's path: the first of its plan choosing self-destruction (the `self_destruct` knob), deferring
    to its TEDAI, being in a long coordinated pause, and being decisively overtaken
    (`decisive_gap_months` behind the leader) whatever its velocity; `still_racing` otherwise. In one
    month the order is that list's.

    Being overtaken is not one of the essay's outcomes (2.2: "human researcher obsolescence, a long
    coordinated pause, or self-destruction"); it is a condition of heuristic #3, and heuristic #1 holds at
    any position: "If a successfully coordinated pause is plausible, always pick this option." So an
    `overtaken` path becomes `paused` in the month a long pause (`pause_min_months`) holds with Magma in it
    (`magma_pausing`, Magma's column of the pausing mask; 2.17). A choice (self-destruction) and a hand-off
    stay final: a pause after them is the world's outcome (`classify_world`).
    """
    code = np.select(
        [self_destruct > 0, deferring, months_in_pause >= p["pause_min_months"], magma_gap >= p["decisive_gap_months"]],
        [PATH["chose_self_destruction"], PATH["deferred"], PATH["paused"], PATH["overtaken"]],
        PATH["still_racing"],
    )
    path, path_month = _first(code, PATH["still_racing"], path, path_month, month, alive)
    if magma_pausing is None:
        return path, path_month
    return paused_after_overtaken(p, path, path_month, month, months_in_pause, magma_pausing, alive)


def paused_after_overtaken(
    p: dict[str, np.ndarray],
    path: np.ndarray,
    path_month: np.ndarray,
    month: int,
    months_in_pause: np.ndarray,
    magma_pausing: np.ndarray,
    alive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """An overtaken Magma that is later inside a long coordinated pause has reached outcome #2 (2.17).

    2.2: "Frontier developers might pause to catch their breath for some non-trivial length of time";
    heuristic #1: "If a successfully coordinated pause is plausible, always pick this option." Mask:
    path = overtaken ∧ months_in_pause ≥ pause_min_months ∧ Magma pausing ∧ alive → `paused` (this month).
    """
    later = (path == PATH["overtaken"]) & (months_in_pause >= p["pause_min_months"]) & magma_pausing & (alive > 0)
    return np.where(later, PATH["paused"], path), np.where(later, month, path_month)
