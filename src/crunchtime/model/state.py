"""The world's state: arrays with a leading sample axis (and an actor axis), plus fixed index tables."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

SOURCES = ("direct", "proliferation", "sabotage", "competition", "human_takeover")
OUTCOMES = ("unresolved", "catastrophe", "obsolescence", "coordinated_pause", "self_destruction")
#: the world's outcome (docs/model.md, "Two classifications"): what happened to the world, whoever did it
WORLD_OUTCOMES = ("unresolved", "catastrophe", "coordinated_pause", "trustworthy_obsolescence")
#: Magma's path: what Magma did, or what happened to it, first
MAGMA_PATHS = ("still_racing", "chose_self_destruction", "overtaken", "deferred", "paused")
MILESTONES = (
    "3x_ai_rd",
    "first_dangerous_ai",
    "tedai",
    "deference",
    "recovery_phase_end",
    "superdangerous_ai",
    "obsolescence",
    "end_of_acute_risk",
)
AREAS = ("security", "alignment", "control", "evaluation", "governance", "defense", "distribution")
MS = {m: i for i, m in enumerate(MILESTONES)}
OUT = {o: i for i, o in enumerate(OUTCOMES)}
#: the outcomes in the order tables show them: the resolved ones first, unresolved last
OUTCOME_ORDER = (*(o for o in OUTCOMES if o != "unresolved"), "unresolved")
#: the world's outcomes and Magma's paths in reading order (docs/model.md, "Two classifications")
WORLD_ORDER = ("catastrophe", "coordinated_pause", "trustworthy_obsolescence", "unresolved")
PATH_ORDER = ("chose_self_destruction", "overtaken", "deferred", "paused", "still_racing")
WORLD = {o: i for i, o in enumerate(WORLD_OUTCOMES)}
PATH = {o: i for i, o in enumerate(MAGMA_PATHS)}
AREA = {a: i for i, a in enumerate(AREAS)}


@dataclass(frozen=True)
class State:
    """All mutable quantities of n sampled worlds; `step` returns a new State."""

    month: int
    # per actor (n, A)
    k: np.ndarray  # capability: doublings of effective compute above the start frontier
    s: np.ndarray  # software doublings gained since the start
    compute: np.ndarray  # log2 physical compute, relative to Magma at the start
    sl: np.ndarray  # security level 1-5
    sec_pipeline: np.ndarray  # security investment not yet in place (SL units)
    alignment: np.ndarray  # alignment research stock (team-years)
    control: np.ndarray  # control and scalable-oversight stock (team-years)
    evaluation: np.ndarray  # evaluation-methodology stock (team-years)
    stolen: np.ndarray  # 1 once the actor runs stolen weights
    # Magma (n, areas) and (n,)
    prep: np.ndarray  # preparation stocks by area (team-years)
    defense: np.ndarray  # world-hardening stock (team-years, capability-weighted)
    velocity_ewm: np.ndarray  # recent average of Magma's velocity (has Magma slowed?)
    # world (n,)
    awareness: np.ndarray
    will: np.ndarray
    incidents: np.ndarray
    pause_active: np.ndarray
    months_in_pause: np.ndarray
    # Magma's path flags (n,)
    reached_3x: np.ndarray
    tedai: np.ndarray
    deferred: np.ndarray
    trustworthy: np.ndarray
    recovery_left: np.ndarray
    self_destructed: np.ndarray
    safe_obsolete: np.ndarray
    # bookkeeping (n,)
    alive: np.ndarray
    cat_month: np.ndarray
    cat_source: np.ndarray  # int index into SOURCES, -1 if none
    cat_actor: np.ndarray  # int actor index, -1 if none
    outcome: np.ndarray  # int index into OUTCOMES (first of obsolescence/pause/self-destruction)
    outcome_month: np.ndarray
    world: np.ndarray  # int index into WORLD_OUTCOMES (first long pause or trustworthy obsolescence)
    world_month: np.ndarray
    path: np.ndarray  # int index into MAGMA_PATHS (Magma's first chosen self-destruction, overtaking, ...)
    path_month: np.ndarray
    milestones: np.ndarray  # (n, len(MILESTONES)) month first reached, NaN if not
    theft_event: np.ndarray
    unsafe_handoff: np.ndarray
    # sabotage (model v3): Magma's sabotaged research that looks like progress, and the false share of the
    # confidence Magma had in its alignment when it handed off (n,)
    hollow_alignment: np.ndarray
    hollow_control: np.ndarray
    handoff_false: np.ndarray
    # 1 once Magma's monitoring has caught its AI helpers sabotaging (research.sabotage_caught) (n,)
    helpers_caught: np.ndarray

    def replace(self, **changes: Any) -> State:
        return State(**{f.name: changes.get(f.name, getattr(self, f.name)) for f in fields(self)})


def initial_state(p: dict[str, np.ndarray], n: int, n_actors: int) -> State:
    """State at month 0 from sampled parameters (see `derive` in dynamics for the derived entries)."""
    z = np.zeros(n)
    za = np.zeros((n, n_actors))
    return State(
        month=0,
        k=p["k_init"].copy(),
        s=za.copy(),
        compute=np.log2(np.maximum(p["a_compute"], 1e-9)),
        sl=p["a_security_level"].copy(),
        sec_pipeline=za.copy(),
        alignment=za.copy(),
        control=za.copy(),
        evaluation=za.copy(),
        stolen=za.copy(),
        prep=np.zeros((n, len(AREAS))),
        defense=z.copy(),
        velocity_ewm=np.ones(n),
        awareness=p["awareness0"].copy(),
        will=p["political_will0"].copy(),
        incidents=z.copy(),
        pause_active=z.copy(),
        months_in_pause=z.copy(),
        reached_3x=z.copy(),
        tedai=z.copy(),
        deferred=z.copy(),
        trustworthy=z.copy(),
        recovery_left=z.copy(),
        self_destructed=z.copy(),
        safe_obsolete=z.copy(),
        alive=np.ones(n),
        cat_month=np.full(n, np.nan),
        cat_source=np.full(n, -1),
        cat_actor=np.full(n, -1),
        outcome=np.zeros(n, dtype=np.int64),
        outcome_month=np.full(n, np.nan),
        world=np.zeros(n, dtype=np.int64),
        world_month=np.full(n, np.nan),
        path=np.zeros(n, dtype=np.int64),
        path_month=np.full(n, np.nan),
        milestones=np.full((n, len(MILESTONES)), np.nan),
        theft_event=z.copy(),
        unsafe_handoff=z.copy(),
        hollow_alignment=z.copy(),
        hollow_control=z.copy(),
        handoff_false=z.copy(),
        helpers_caught=z.copy(),
    )
