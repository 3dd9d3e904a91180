"""Nonproliferation (essay, category #1): security levels with lead times, and weight theft."""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.capability import speedup_of
from crunchtime.model.mechanisms.common import col


def theft_hazard(p: dict[str, np.ndarray], speed: np.ndarray, sl: np.ndarray) -> np.ndarray:
    """Monthly chance each actor's weights are stolen: SL1 rate / factor^(SL-1), times how prized they are
    (log speed-up over log TEDAI speed-up, capped at 1)."""
    attract = np.clip(np.log(speed) / np.log(col(p, "tedai_speedup")), 0.0, 1.0)
    return col(p, "theft_rate_sl1") * col(p, "security_factor") ** (-(sl - 1.0)) * attract * (1.0 - p["a_open_weights"])


def steal_weights(
    p: dict[str, np.ndarray],
    k: np.ndarray,
    s: np.ndarray,
    stolen: np.ndarray,
    sl: np.ndarray,
    u_theft: np.ndarray,
    alive: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each actor with weights worth stealing may lose them to the most reckless actor behind it.

    Only an actor less careful than the victim (lower safety culture) steals; the thief takes the
    victim's capability and software. Returns new (k, s, stolen, magma_robbed).
    Victims are processed in actor order (a loop over the few actors, never over samples).
    The thief takes the victim's capability, hence its AI R&D speed-up (`speedup_of` reads capability), and
    runs it behind its own, thinner safeguards (`hazards`: its protection, corner cutting, and
    `proliferation_breadth` for stolen weights). An open-weights thief publishes what it steals
    (`publish_stolen`).
    """
    n, A = k.shape
    p_theft = theft_hazard(p, speedup_of(p, k), sl)
    recklessness = 1.0 - p["a_safety_culture"] + 1e-6 * np.arange(A)
    magma_robbed = np.zeros(n, dtype=bool)
    for v in range(A):
        behind = (k < k[:, v : v + 1] - 1e-9) & (recklessness > recklessness[:, v : v + 1])
        score = np.where(behind, recklessness, -np.inf)
        best = np.argmax(score, axis=1)
        thief = best[:, None] == np.arange(A)
        anyone = np.take_along_axis(behind, best[:, None], axis=1)[:, 0]  # the best score is finite
        happens = (u_theft[:, v] < p_theft[:, v]) & anyone & (alive > 0)
        takes = happens[:, None] & thief
        k = np.where(takes, k[:, v : v + 1], k)
        s = np.where(takes, s[:, v : v + 1], s)
        stolen = np.where(takes, 1.0, stolen)
        published = happens & np.take_along_axis(p["a_open_weights"] > 0, best[:, None], axis=1)[:, 0]
        takers = published[:, None] & (recklessness > recklessness[:, v : v + 1])
        k, s = publish_stolen(p, k, s, takers, k[:, v], s[:, v])
        magma_robbed = magma_robbed | (happens & (v == 0))
    return k, s, stolen, magma_robbed


def publish_stolen(
    p: dict[str, np.ndarray],
    k: np.ndarray,
    s: np.ndarray,
    takers: np.ndarray,
    k_stolen: np.ndarray,
    s_stolen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights stolen by an open-weights actor are published: every actor behind them may take them up (n, A).

    Goal 1: "Proliferation risks, where AI systems proliferate key software, or this software is stolen";
    category #1: "if a developer can steal model weights, they also potentially steal a factory for
    generating algorithmic insights on demand", and "attackers can steal AI from companies with the weakest
    security". An actor that publishes its own weights publishes stolen ones too. Those who would steal
    them would also use them: each actor less careful than the victim (`takers`, (n, A), the same test as
    for a thief in `steal_weights`) closes `published_uptake` of its gap to the stolen capability and
    software at once, k ← k + uptake × max(k_stolen − k, 0) (likewise s); actors ahead keep theirs.
    """
    up = col(p, "published_uptake") * takers
    return (k + up * np.maximum(k_stolen[:, None] - k, 0.0), s + up * np.maximum(s_stolen[:, None] - s, 0.0))


def security_levels(
    p: dict[str, np.ndarray],
    sl: np.ndarray,
    pipeline: np.ndarray,
    invest: np.ndarray,
    security_readiness: np.ndarray,
    will: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Security levels after a month: Magma's investment matures with a lead time; rivals drift up with will.

    Magma's level is capped at `sl_cap_unprepared` + (5 - that) × its security-preparation coverage
    (SL4-5 need forward-looking R&D); rivals' at the same cap plus political will (mandates). Open-weights
    actors stay at SL1. Returns (sl, pipeline), both (n, A).
    """
    A = sl.shape[1]
    is_magma = np.arange(A) == 0
    lead = np.maximum(p["security_lead_months"], 1.0)[:, None]
    pipeline = pipeline + np.where(is_magma, invest[:, None], 0.0)
    matured = pipeline / lead
    base = col(p, "sl_cap_unprepared")
    cap = np.where(is_magma, base + (5.0 - base) * security_readiness[:, None], base + (5.0 - base) * will[:, None])
    drift = np.where(
        is_magma,
        0.0,
        col(p, "rival_security_rate") * p["a_safety_culture"] * (col(p, "rival_security_base_will") + will[:, None]),
    )
    new = np.minimum(sl + matured + drift, np.maximum(cap, sl))
    return np.where(p["a_open_weights"] > 0, 1.0, new), pipeline - matured


def adopted_security(p: dict[str, np.ndarray], sl: np.ndarray, export: np.ndarray) -> np.ndarray:
    """Rivals adopt Magma's exportable security (n, A): sl = max(sl, 1 + export × (SL_Magma − 1)).

    Essay, category #1: forward-looking security measures are "relatively exportable. Exportability is
    crucial because attackers can steal AI from companies with the weakest security, so security
    improvements are most valuable if they are widely adopted by actors at the frontier." Rivals take up
    Magma's security through the same channel as its safety research (`export_strength`: sharing, safety
    distribution effort, uptake, influence); open-weights actors have nothing to secure and stay at SL1.
    """
    adopted = 1.0 + export[:, None] * (sl[:, :1] - 1.0)
    is_magma = np.arange(sl.shape[1]) == 0
    out = np.where(is_magma, sl, np.maximum(sl, adopted))
    return np.where(p["a_open_weights"] > 0, 1.0, out)
