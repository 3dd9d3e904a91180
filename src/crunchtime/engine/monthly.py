"""One month of every world under every plan, and what a chunk keeps of the months: pure functions that the
numpy loop (`crunchtime.engine.chunk`) and the jit (`crunchtime.engine.jit`) both run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crunchtime.model.knobs import KNOB_NAMES
from crunchtime.model.mechanisms.capability import danger_of, speedup_of
from crunchtime.model.mechanisms.common import row_max
from crunchtime.model.mechanisms.competition import leader_pace, magma_lead
from crunchtime.model.observe import observe
from crunchtime.model.state import MS, OUT, WORLD, State
from crunchtime.model.step import month_view, step

SERIES = (
    "ai_rd_speedup",
    "capability",
    "danger",
    "political_will",
    "awareness",
    "security_level",
    "alignment",
    "control",
    "evaluation",
    "preparation",
    "lead_months",
    "hazard_total",
    "frontier_ai_rd_speedup",
    "safety_prep_effort",
    "safety_mitigation_effort",
    "effective_safety_research",
    "ai_safety_multiplier",
    "hardening",
    "p_alive",
    "pause_active",
)
SERIES_ALL = SERIES + tuple(f"knob:{k}" for k in KNOB_NAMES)


@dataclass
class ChunkOutput:
    """What one chunk of one plan contributes to the result."""

    plan_index: int
    start: int  # global index of the chunk's first trajectory
    outcome: np.ndarray  # (n,) int
    outcome_month: np.ndarray
    cat_source: np.ndarray
    cat_actor: np.ndarray
    milestones: np.ndarray  # (n, M)
    events: dict[str, np.ndarray]
    scalars: dict[str, np.ndarray]
    series_kept: np.ndarray  # (H, V, kept) float32
    series_sum: np.ndarray  # (H, V) float64
    risk_sum: np.ndarray  # (H, S, A)
    speedup_kept: np.ndarray  # (kept, H) float32
    world_outcome: np.ndarray  # (n,) int index into WORLD_OUTCOMES (catastrophe at any month overrides)
    world_month: np.ndarray
    magma_path: np.ndarray  # (n,) int index into MAGMA_PATHS
    path_month: np.ndarray
    horizon_hazard: np.ndarray  # (n,) total monthly catastrophe hazard in the last month (0 where the world ended)


def first_carry(
    state: State, params: dict[str, np.ndarray]
) -> tuple[State, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """What `month` carries from month to month, at the start: the state, the speed-up and danger at its
    capability (each month's step hands them to the next month's view), and the running per-world sums."""
    n = state.k.shape[0]
    at_start = {
        "speedup": speedup_of(params, state.k),
        "danger_by_actor": danger_of(params, state.k),
        "hazard_total": np.zeros(n),
    }
    zeros = np.zeros(n)
    acc = {
        "ev_pause": zeros > 1.0,
        "ev_selfd": zeros > 1.0,
        "crunch_years": zeros,
        "crunch_research": zeros,
        "catastrophe_risk": zeros,
        "catastrophe_risk_others": zeros,
    }
    return state, at_start, acc


def month(
    carry: tuple,
    month_noise: dict[str, np.ndarray],
    plans: Sequence,
    params: dict[str, np.ndarray],
    traj_random: np.ndarray,
    rows: list[slice],
    start_year: float,
) -> tuple[tuple, tuple]:
    """One month of every world under every plan (plan i owns `rows[i]`): observe, decide, step, and the
    month's outputs. A pure function of its arguments, so the numpy loop and the jit (`crunchtime.engine.jit`) share it.

    Returns the next carry and (the month's series by name, each (N,), keyed as SERIES_ALL; risk mass
    (N, S, A); Magma's speed-up (N,)).
    """
    state, last, acc = carry
    N = state.k.shape[0]
    view = month_view(state, params, last["speedup"], last["danger_by_actor"])  # last step's, at state.k
    obs = observe(state, params, month_noise, start_year, traj_random, view)
    knobs = _decide(plans, obs, rows, N)
    state, rec = step(state, knobs, params, month_noise, view)
    speed = rec["speedup"]  # the speed-up at the month's new capability (theft happens before it)
    in_crunch = (
        ~np.isnan(state.milestones[:, MS["first_dangerous_ai"]])
        & np.isnan(state.milestones[:, MS["deference"]])
        & (state.alive > 0)
    )
    acc = {
        "crunch_years": acc["crunch_years"] + in_crunch * rec["ai_safety_multiplier"] / 12.0,
        "crunch_research": acc["crunch_research"] + in_crunch * rec["effective_safety_research"],
        "ev_pause": acc["ev_pause"] | (state.months_in_pause >= params["pause_min_months"]),
        "ev_selfd": acc["ev_selfd"]
        | (state.outcome == OUT["self_destruction"])
        | ((state.self_destructed > 0) & (state.alive > 0)),
        "catastrophe_risk": acc["catastrophe_risk"] + rec["risk_mass"].sum(axis=(1, 2)),
        "catastrophe_risk_others": acc["catastrophe_risk_others"] + rec["risk_mass"][:, :, 1:].sum(axis=(1, 2)),
    }
    cols = {
        "ai_rd_speedup": speed[:, 0],
        "capability": state.k[:, 0] * np.log10(2.0),
        "danger": rec["danger"],
        "political_will": state.will,
        "awareness": state.awareness,
        "security_level": state.sl[:, 0],
        "alignment": obs["alignment_progress"],
        "control": obs["control_progress"],
        "evaluation": obs["evaluation_progress"],
        "preparation": obs["preparation"],
        "lead_months": magma_lead(state.k, leader_pace(params, speed)),
        "hazard_total": rec["hazard_total"],
        "frontier_ai_rd_speedup": row_max(speed),
        "safety_prep_effort": rec["safety_prep_effort"],
        "safety_mitigation_effort": rec["safety_mitigation_effort"],
        "effective_safety_research": rec["effective_safety_research"],
        "ai_safety_multiplier": rec["ai_safety_multiplier"],
        "hardening": rec["hardening"],
        "p_alive": state.alive,
        "pause_active": state.pause_active,
    }
    knob_cols = dict(knobs, velocity=rec["effort_velocity"], safety_share=rec["effort_safety_share"])
    cols.update({f"knob:{k}": np.broadcast_to(knob_cols[k], (N,)) for k in KNOB_NAMES})
    last = {"speedup": speed, "danger_by_actor": rec["danger_by_actor"], "hazard_total": rec["hazard_total"]}
    return (state, last, acc), (cols, rec["risk_mass"], speed[:, 0])


def chunk_outputs(
    carry: tuple,
    rows: list[slice],
    start: int,
    H: int,
    series_kept: np.ndarray,
    series_sum: np.ndarray,
    risk_sum: np.ndarray,
    speedups: np.ndarray,
) -> list[ChunkOutput]:
    """Each plan's ChunkOutput from the last month's carry and the per-month outputs gathered by plan."""
    state, last, acc = carry
    speed = last["speedup"]
    dead = state.alive == 0
    outcome = np.where(dead, OUT["catastrophe"], state.outcome)
    outcome_month = np.where(dead, state.cat_month, state.outcome_month)
    world = np.where(dead, WORLD["catastrophe"], state.world)
    world_month = np.where(dead, state.cat_month, state.world_month)
    horizon_hazard = np.where(dead, 0.0, last["hazard_total"])
    ms = state.milestones
    crunch_end = np.fmin(np.fmin(ms[:, MS["deference"]], state.cat_month), H)
    events = {
        "catastrophe": dead,
        "obsolescence": ~np.isnan(ms[:, MS["obsolescence"]]),
        "coordinated_pause": acc["ev_pause"],
        "self_destruction": acc["ev_selfd"],
        "weight_theft": state.theft_event > 0,
        "deference": ~np.isnan(ms[:, MS["deference"]]),
        "unsafe_handoff": state.unsafe_handoff > 0,
        "public_incident": state.incidents > 0,
        "sabotage_caught": state.helpers_caught > 0,
    }
    scalars = {
        "crunch_months": np.where(
            np.isnan(ms[:, MS["first_dangerous_ai"]]), 0.0, crunch_end - ms[:, MS["first_dangerous_ai"]]
        ),
        "effective_safety_years": acc["crunch_years"],
        "crunch_safety_research": acc["crunch_research"],
        "final_political_will": state.will,
        "final_security_level": state.sl[:, 0],
        "max_ai_rd_speedup": speed[:, 0],  # capability never falls, so the last month's speed-up is the largest
        # sum over months of this world's chance of catastrophe that month given its history: an unbiased,
        # smooth estimate of P(catastrophe) for sensitivity and search (its mean equals the outcome share's)
        "catastrophe_risk": acc["catastrophe_risk"],
        # the same, counting only the mass attributed to actors other than Magma (its mean: P(catastrophe by a rival))
        "catastrophe_risk_others": acc["catastrophe_risk_others"],
    }
    return [
        ChunkOutput(
            i,
            start,
            outcome[r],
            outcome_month[r],
            state.cat_source[r],
            state.cat_actor[r],
            ms[r],
            {k: v[r] for k, v in events.items()},
            {k: v[r] for k, v in scalars.items()},
            series_kept[i],
            series_sum[i],
            risk_sum[i],
            speedups[i],
            world[r],
            world_month[r],
            state.path[r],
            state.path_month[r],
            horizon_hazard[r],
        )
        for i, r in enumerate(rows)
    ]


def _decide(plans: Sequence, obs: dict[str, np.ndarray], rows: list[slice], N: int) -> dict[str, np.ndarray]:
    """Each plan's knobs on its own rows of the observables, joined along the sample axis."""
    if len(plans) == 1:
        return plans[0].decide(obs)
    parts = [plan.decide({k: v[r] for k, v in obs.items()}) for plan, r in zip(plans, rows)]
    n = N // len(plans)
    return {
        k: np.concatenate([v if np.shape(v) == (n,) else np.broadcast_to(v, (n,)) for v in (p[k] for p in parts)])
        for k in parts[0]
    }
