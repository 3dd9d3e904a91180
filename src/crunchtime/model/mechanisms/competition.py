"""Competition: who leads, how much race pressure each actor feels, and how rivals respond.

Essay, section 5: scaling costs "increase competitive pressure"; Appendix A: dropping out may "reduce
pressure on the leader". Racing literature (Armstrong, Bostrom and Shulman 2016): teams that fear being
overtaken skimp on safety, more so the closer the race and the more enmity between teams.
"""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col, row_max, row_second


def leader_pace(p: dict[str, np.ndarray], speed: np.ndarray) -> np.ndarray:
    """The frontier's capability growth, in doublings per calendar month, at the leader's current pace (n, 1).

    Appendix A's lag is in calendar time: "if Magma is still six months behind", i.e. six months of the
    leader's current progress, not six months of the progress of 2026. Flat out, an actor at AI R&D
    speed-up v grows g_s0·v + g_c doublings a month (software × speed-up, plus compute); the scenario's
    months (`lag_months`, and every `*_months` threshold) are defined at the starting pace g_eff0, so
    pace = g_eff0 × (g_s0·v_leader + g_c) / (g_s0·v0 + g_c),
    which is g_eff0 at the start and grows with the leader's AI R&D speed-up (v_leader: the largest
    speed-up, since speed-up rises with capability; g_c: Magma's baseline compute growth, as in g_eff0).
    """
    g_s0, g_c = col(p, "g_s0"), p["g_c"][:, :1]
    return col(p, "g_eff0") * (g_s0 * row_max(speed, keepdims=True) + g_c) / (g_s0 * col(p, "v0") + g_c)


def frontier_gaps(p: dict[str, np.ndarray], k: np.ndarray, pace: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Months each actor is behind the leader (n, A), and the leader's lead over the runner-up (n, 1), at `pace`
    doublings a month (n, 1).

    `leader_pace` gives calendar months at the leader's current pace (Appendix A's lag, race pressure, the
    pause's frontier window, advocacy credibility); g_eff0 gives months of pre-automation progress, a
    measure of capability distance (revenue, influence, being decisively overtaken).
    """
    k_lead = row_max(k, keepdims=True)
    second = row_second(k)
    return (k_lead - k) / pace, (k_lead - second) / pace


def magma_lead(k: np.ndarray, pace: np.ndarray) -> np.ndarray:
    """Magma's lead over the best rival in months at `pace` (n, 1; `leader_pace`: calendar months) (n,);
    negative: behind."""
    return (k[:, 0] - row_max(k[:, 1:])) / pace[:, 0]


def race_pressure(p: dict[str, np.ndarray], gap: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Pressure each actor feels (0-1): a leader by how close the runner-up is, a chaser by how far behind it is.

    leader: clip(1 - lead / pressure_lead_months, 0, 1); chaser: gap / (gap + pressure_gap_months).
    """
    leader = np.clip(1.0 - lead / col(p, "pressure_lead_months"), 0.0, 1.0)
    chaser = gap / (gap + col(p, "pressure_gap_months"))
    return np.where(gap <= 1e-9, leader, chaser)


def rival_conduct(p: dict[str, np.ndarray], pressure: np.ndarray, will: np.ndarray) -> dict[str, np.ndarray]:
    """Rivals' velocity, safety share and corner cutting (n, A) given pressure and political will.

    velocity = clip(base_velocity + race_velocity_gain·aggression·pressure − will_restraint·culture·will, 0, 1)
    calm     = culture·(rival_safety_base + rival_safety_from_will·will)
    safety   = calm·(1 − race_safety_cut·aggression·pressure)
    corners  = race_corner_cutting·aggression·pressure   (safeguards skipped when deploying)
    """
    culture, aggression = p["a_safety_culture"], p["a_aggression"]
    w = will[:, None]
    racing = aggression * pressure
    velocity = np.clip(
        p["a_base_velocity"] + col(p, "race_velocity_gain") * racing - col(p, "will_restraint") * culture * w, 0.0, 1.0
    )
    calm = culture * (col(p, "rival_safety_base") + col(p, "rival_safety_from_will") * w)
    return {
        "velocity": velocity,
        "safety_share": calm * (1.0 - col(p, "race_safety_cut") * racing),
        "corner_cutting": col(p, "race_corner_cutting") * racing,
    }


#: what a player steering a rival sets (the race environment's rival agents, `crunchtime.envs.RaceEnv`): the
#: keys of its conduct; the knobs carry them as `rival_<key>`
RIVAL_STEERING: tuple[str, ...] = ("velocity", "safety_share", "corner_cutting")


def steered_conduct(conduct: dict[str, np.ndarray], knobs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rivals' conduct with steered values in place: `knobs["rival_velocity"]` etc. (n, A), where given, hold
    a player's choice for each actor, NaN where the actor follows the scenario's behaviour (`rival_conduct`).
    Without them (every plan: plans steer Magma only) the conduct is returned as it is.
    """
    out = dict(conduct)
    for key in RIVAL_STEERING:
        steer = knobs.get("rival_" + key)
        if steer is not None:
            out[key] = np.where(np.isnan(steer), conduct[key], steer)
    return out


def influence(p: dict[str, np.ndarray], magma_gap: np.ndarray, safe_obsolete: np.ndarray) -> np.ndarray:
    """Magma's influence over frontier actors (0-1): halves per `influence_gap_months` behind the leader.

    Section 5's benefit of scaling, "more government, industry, and public influence"; a trustworthy
    post-hand-off AI at Magma keeps full influence ("continuously distribute [safety recipes]").
    """
    return np.where(safe_obsolete > 0, 1.0, np.exp2(-magma_gap / p["influence_gap_months"]))
