"""Magma's partial view: the named observables a plan sees each month (never the hidden true risk)."""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms import competition
from crunchtime.model.mechanisms.common import row_mean, row_sum
from crunchtime.model.mechanisms.pause import pause_threshold, willing_to_pause
from crunchtime.model.observables import OBSERVABLE_NAMES
from crunchtime.model.state import AREA, MS, State
from crunchtime.model.step import month_view


def observe(
    state: State,
    p: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    start_decimal_year: float,
    trajectory_random: np.ndarray,
    view: dict | None = None,
) -> dict[str, np.ndarray]:
    """Compute every observable in OBSERVABLE_NAMES for this month, with evaluation and intelligence noise.

    `view` is `month_view(state, p)` (computed here when not given; the engine shares it with `step`).
    """
    t = state.month
    n, _ = state.k.shape
    view = month_view(state, p) if view is None else view
    speed, levels = view["speed"], view["levels"]
    quality = levels["evaluation"][:, 0]
    noise_sd = p["eval_noise"] * (1.0 - quality)
    seen = view["seen"]  # what Magma's evaluations show: sabotaged work that looks done counts as progress
    misalignment = p["misalignment_propensity"] * (1.0 - seen["alignment"])
    # calendar months at the leader's current pace (Appendix A's "six months behind"), as the race feels them
    lead = competition.magma_lead(state.k, view["pace"]) + p["intel_noise_months"] * noise["z_intel"]
    best_rival = np.argmax(state.k[:, 1:], axis=1) + 1
    rival_speed = np.take_along_axis(speed, best_rival[:, None], axis=1)[:, 0] * np.exp(
        p["intel_speedup_noise"] * noise["z_rival"]
    )
    threshold = pause_threshold(p, view["readiness"][:, AREA["governance"]])
    gap, _ = competition.frontier_gaps(p, state.k, view["pace"])
    frontier_rival = gap[:, 1:] <= p["frontier_window_months"][:, None]
    willing = willing_to_pause(p, state.will, threshold, p["a_coordination_willingness"][:, 1:])
    support = (willing & frontier_rival).sum(axis=1) / np.maximum(frontier_rival.sum(axis=1), 1)
    total_compute = np.exp2(state.compute)
    obs = {
        "date": start_decimal_year + t / 12.0 + np.zeros(n),  # (not np.full: `t` may be traced by the jit)
        "months_elapsed": t + np.zeros(n),
        "capability": state.k[:, 0] * np.log10(2.0),
        "ai_rd_speedup": speed[:, 0],
        "eval_danger_signal": np.clip(view["danger"][:, 0] * np.exp(noise_sd * noise["z_eval_danger"]), 0, 1),
        # helpers caught sabotaging are misalignment seen for certain (research.sabotage_caught)
        "eval_misalignment_signal": np.maximum(
            np.clip(misalignment + noise_sd * noise["z_eval_misalignment"], 0.0, 1.0), state.helpers_caught
        ),
        "lead_months": lead,
        "months_behind_leader": np.maximum(-lead, 0.0),
        "rival_ai_rd_speedup": rival_speed,
        "political_will": state.will,
        "awareness": state.awareness,
        "coordination_support": support,
        "security_level": state.sl[:, 0],
        "preparation": row_mean(view["readiness"]),
        "alignment_progress": seen["alignment"],
        "control_progress": seen["control"],
        "evaluation_progress": quality,
        "incidents": state.incidents,
        "pause_active": state.pause_active,
        "months_in_pause": state.months_in_pause,
        "reached_3x": state.reached_3x,
        "months_since_3x": np.where(
            state.reached_3x > 0, t - np.nan_to_num(state.milestones[:, MS["3x_ai_rd"]], nan=t), 0.0
        ),
        "tedai_reached": state.tedai,
        "deferred": state.deferred,
        "self_destructed": state.self_destructed,
        "compute_share": total_compute[:, 0] / row_sum(total_compute),
        "random": noise["u_plan"],
        "trajectory_random": trajectory_random,
    }
    assert tuple(obs) == OBSERVABLE_NAMES, "observables out of sync with the documented set"
    return obs
