"""Hazards by source and actor (goal 1's risks), the catastrophe draw and its attribution.

Sources are keyed by name (`SOURCES` in model/state.py); `hazards` returns one (n, A) array per source.
"""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col, coverage, row_cumsum, row_prod
from crunchtime.model.state import SOURCES


def exposure(p: dict[str, np.ndarray], danger: np.ndarray, effort: np.ndarray) -> np.ndarray:
    """Monthly share of each model's flat-out danger realised (n, A): scaling drives exposure.

    danger / exposure_months × (idle_exposure + (1 − idle_exposure) × capability effort).
    """
    idle = col(p, "idle_exposure")
    return danger / col(p, "exposure_months") * (idle + (1.0 - idle) * effort)


def protection(p: dict[str, np.ndarray], levels: dict[str, np.ndarray], deferred: np.ndarray,
               trustworthy: np.ndarray) -> np.ndarray:
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


def hazards(p: dict[str, np.ndarray], per_month: np.ndarray, prot: np.ndarray, corner_cutting: np.ndarray,
            levels: dict[str, np.ndarray], danger: np.ndarray, sl: np.ndarray, stolen: np.ndarray,
            sabotage: np.ndarray, will: np.ndarray, hard: np.ndarray, pausing: np.ndarray) -> dict[str, np.ndarray]:
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
    exfil = (col(p, "exfiltration_rate") * danger * misalignment * (1.0 - levels["control"])
             * col(p, "security_factor") ** (-col(p, "security_leak_exponent") * (sl - 1.0)))
    is_magma = np.arange(per_month.shape[1]) == 0
    hz = {
        "direct": calm * (1.0 - spread),
        "proliferation": racing * spread * col(p, "proliferation_breadth") + exfil,
        "sabotage": np.where(is_magma, per_month * sabotage[:, None] * misaligned, 0.0),
        "competition": (racing - calm) * (1.0 - spread),
        "human_takeover": (col(p, "human_takeover_share") * per_month * (1.0 - col(p, "will_human_takeover_cut") * will[:, None])
                           * (1.0 - col(p, "defense_human_takeover_cut") * hard[:, None])),
    }
    cap = col(p, "max_monthly_hazard")
    paused = np.where(pausing, col(p, "paused_hazard_factor"), 1.0)
    return {name: np.clip(h, 0.0, cap) * paused for name, h in hz.items()}


def stack(hz: dict[str, np.ndarray]) -> np.ndarray:
    """Hazards as one (n, S, A) array in the order of SOURCES."""
    return np.stack([hz[s] for s in SOURCES], axis=1)


def catastrophe_draw(hz: np.ndarray, forced: np.ndarray, alive: np.ndarray, u: np.ndarray, u_attribution: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw this month's catastrophe and attribute it to a (source, actor) in proportion to hazard.

    `forced` worlds (a failed hand-off) are a catastrophe for sure, attributed to Magma's direct risk.
    Returns (catastrophe (n,), flat pick index source·A + actor (n,), probability (n,), risk mass (n, S, A)).
    """
    n, S, A = hz.shape
    flat = hz.reshape(n, S * A)
    total = 1.0 - row_prod(1.0 - flat)
    p_cat = np.where(forced, 1.0, total) * alive
    direct_magma = np.arange(S * A) == SOURCES.index("direct") * A
    flat = np.where(forced[:, None], direct_magma * 1.0, flat)
    cum = row_cumsum(flat)
    pick = np.minimum((cum < (u_attribution * cum[:, -1])[:, None]).sum(axis=1), S * A - 1)
    mass = flat / np.maximum(cum[:, -1:], 1e-300) * p_cat[:, None]
    return u < p_cat, pick, total, mass.reshape(n, S, A)
