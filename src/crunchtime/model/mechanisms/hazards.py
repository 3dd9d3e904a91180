"""Hazards by source and actor (goal 1's risks), the catastrophe draw and its attribution.

Sources are keyed by name (`SOURCES` in model/state.py); `hazards` returns one (n, A) array per source.
"""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col, coverage
from crunchtime.model.state import SOURCES


def exposure(p: dict[str, np.ndarray], danger: np.ndarray, effort: np.ndarray) -> np.ndarray:
    """Monthly share of each model's flat-out danger realised (n, A): scaling drives exposure.

    danger / exposure_months × (idle_exposure + (1 − idle_exposure) × capability effort).
    """
    idle = col(p, "idle_exposure")
    return danger / col(p, "exposure_months") * (idle + (1.0 - idle) * effort)


def protection(
    p: dict[str, np.ndarray], levels: dict[str, np.ndarray], deferred: np.ndarray, trustworthy: np.ndarray
) -> np.ndarray:
    """Share of misalignment risk each actor's safeguards stop (n, A): 1 − (1 − alignment)(1 − control).

    After Magma defers to TEDAI, an untrustworthy successor keeps only `untrusted_deferral_protection`
    of it; a trustworthy one leaves `trusted_deferral_residual` of the unprotected risk.
    """
    prot = 1.0 - (1.0 - levels["alignment"]) * (1.0 - levels["control"])
    magma = prot[:, 0]
    magma = np.where((deferred > 0) & (trustworthy == 0), p["untrusted_deferral_protection"] * magma, magma)
    magma = np.where((deferred > 0) & (trustworthy > 0), 1.0 - p["trusted_deferral_residual"] * (1.0 - magma), magma)
    return np.where(np.arange(prot.shape[1]) == 0, magma[:, None], prot)


def hardening(p: dict[str, np.ndarray], defense: np.ndarray) -> np.ndarray:
    """World hardening (0-1) from the AI-defense stock: C(defense, defense_scale × safety_difficulty)."""
    return coverage(defense, p["defense_scale"] * p["safety_difficulty"])


def hazards(
    p: dict[str, np.ndarray],
    per_month: np.ndarray,
    prot: np.ndarray,
    corner_cutting: np.ndarray,
    levels: dict[str, np.ndarray],
    danger: np.ndarray,
    sl: np.ndarray,
    stolen: np.ndarray,
    sabotage: np.ndarray,
    will: np.ndarray,
    hard: np.ndarray,
    pausing: np.ndarray,
) -> dict[str, np.ndarray]:
    """Monthly catastrophe hazard by source, each (n, A).

    - direct: rogue-AI risk of an actor's own models behind its safeguards;
    - competition: the extra rogue-AI risk when race pressure makes an actor skip safeguards;
    - proliferation: stolen or published weights run by many (× `proliferation_breadth`, with the
      holder's corner cutting), plus self-exfiltration (slowed by security);
    - sabotage: Magma's AI helpers sabotaging safety work;
    - human_takeover: misuse and power concentration, cut by political will and hardening.
    """
    misaligned = np.minimum(col(p, "misalignment_risk_factor") * col(p, "misalignment_propensity"), 1.0)
    unhardened = 1.0 - col(p, "defense_effect") * hard[:, None]
    calm = per_month * (1.0 - prot) * misaligned * unhardened
    racing = per_month * (1.0 - prot * (1.0 - corner_cutting)) * misaligned * unhardened
    spread = np.maximum(stolen, p["a_open_weights"])
    misalignment = col(p, "misalignment_propensity") * (1.0 - levels["alignment"])
    exfil = (
        col(p, "exfiltration_rate")
        * danger
        * misalignment
        * (1.0 - levels["control"])
        * col(p, "security_factor") ** (-col(p, "security_leak_exponent") * (sl - 1.0))
    )
    is_magma = np.arange(per_month.shape[1]) == 0
    hz = {
        "direct": calm * (1.0 - spread),
        "proliferation": racing * spread * col(p, "proliferation_breadth") + exfil,
        "sabotage": np.where(is_magma, per_month * sabotage[:, None] * misaligned, 0.0),
        "competition": (racing - calm) * (1.0 - spread),
        "human_takeover": (
            col(p, "human_takeover_share")
            * per_month
            * (1.0 - col(p, "will_human_takeover_cut") * will[:, None])
            * (1.0 - col(p, "defense_human_takeover_cut") * hard[:, None])
        ),
    }
    cap = col(p, "max_monthly_hazard")
    paused = np.where(pausing, col(p, "paused_hazard_factor"), 1.0)
    return {name: np.clip(h, 0.0, cap) * paused for name, h in hz.items()}


def catastrophe_draw(
    hz: dict[str, np.ndarray],
    forced: np.ndarray,
    alive: np.ndarray,
    u: np.ndarray,
    u_attribution: np.ndarray,
    forced_sabotage: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw this month's catastrophe and attribute it to a (source, actor) in proportion to hazard.

    `hz` is the hazards by source (each (n, A)). `forced` worlds (a failed hand-off) are a catastrophe for
    sure, attributed to Magma's sabotage risk with probability `forced_sabotage` (the share of the
    hand-off's confidence that sabotage made false, `deference.false_confidence`), else to its direct risk. Returns (catastrophe (n,), flat pick index source·A + actor (n,),
    probability (n,), risk mass (n, S, A)). Works column by column over the S·A (source, actor) pairs in
    the order of SOURCES, then actors: the arithmetic of stacking them first, and what a jit compiles
    into fast loops (a stack of the hazards' whole computation is not).
    """
    n, A = hz[SOURCES[0]].shape
    cols = [hz[s][:, a] for s in SOURCES for a in range(A)]
    survive = 1.0 - cols[0]
    for c in cols[1:]:
        survive = survive * (1.0 - c)
    total = 1.0 - survive
    p_cat = np.where(forced, 1.0, total) * alive
    direct_magma, sabotage_magma = SOURCES.index("direct") * A, SOURCES.index("sabotage") * A
    share = forced_sabotage + 0.0 * p_cat
    cols = [
        np.where(forced, (1.0 - share) if j == direct_magma else (share if j == sabotage_magma else 0.0), c)
        for j, c in enumerate(cols)
    ]
    cum = [cols[0]]
    for c in cols[1:]:
        cum.append(cum[-1] + c)
    target = u_attribution * cum[-1]
    below = [(c < target) * 1 for c in cum]
    count = below[0]
    for b in below[1:]:
        count = count + b
    pick = np.minimum(count, len(cols) - 1)
    scale = np.maximum(cum[-1], 1e-300)
    mass = np.stack([c / scale * p_cat for c in cols], axis=1)
    return u < p_cat, pick, total, mass.reshape(n, len(SOURCES), A)
