"""Capabilities and takeoff: AI R&D speed-up as a function of capability, software feedback, danger.

Capability K is measured in doublings of effective compute (physical training compute x software
efficiency) above the scenario's starting frontier. Software s is the software part of K.
"""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col, row_max


def tedai_capability(v0: np.ndarray, d3: np.ndarray, v_tedai: np.ndarray) -> np.ndarray:
    """Capability (doublings) at which the pre-automation speed-up curve reaches the TEDAI speed-up."""
    return d3 * np.log(v_tedai / v0) / np.log(3.0 / v0)


def ai_rd_speedup(
    k: np.ndarray, v0: np.ndarray, d3: np.ndarray, v_tedai: np.ndarray, lam: np.ndarray, k_tedai: np.ndarray
) -> np.ndarray:
    """AI software R&D speed-up at capability k (broadcast over actors).

    Before TEDAI the speed-up rises log-linearly from v0 (at k=0) through 3x (at k=d3). From TEDAI on,
    AI labour is proportional to effective compute and parallel labour has diminishing returns
    (exponent lambda): v = v_tedai * 2**(lambda * (k - k_tedai)).
    """
    log_v = np.where(
        k < k_tedai, np.log(v0) + np.log(3.0 / v0) * (k / d3), np.log(v_tedai) + np.log(2.0) * lam * (k - k_tedai)
    )
    return np.maximum(np.exp(log_v), 1.0)


def software_growth(
    speedup: np.ndarray,
    effort: np.ndarray,
    s: np.ndarray,
    s_base: np.ndarray,
    g_s0: np.ndarray,
    r0: np.ndarray,
    lam: np.ndarray,
    ceiling: np.ndarray,
) -> np.ndarray:
    """Monthly software doublings: baseline pace x speed-up x effort^lambda, with diminishing returns.

    Along the baseline path s_base (g_s0 doublings a month) growing human research inputs keep the pace;
    software gained beyond it gets harder: d log2(rate)/ds = -lambda / r(s), with returns to research
    r(s) = r0 (1 - s / ceiling) falling to 0 at effective limits. Integrated, the factor is
    ((1 - s/D) / (1 - s_base/D)) ** (ln2 * lambda * D / r0). With compute and human labour fixed and the
    speed-up proportional to 2**(lambda s) (after TEDAI), this is Davidson and Houlden's (2025) SIE law:
    ds/dt = g0 * 2**(lambda s) * (1 - s/D) ** (ln2 * lambda * D / r0).
    """
    top = ceiling * (1.0 - 1e-9)
    s_c = np.minimum(s, top)
    base = np.minimum(s_base, s_c)
    with np.errstate(divide="ignore"):
        log2_factor = (lam * ceiling / r0) * (np.log1p(-s_c / ceiling) - np.log1p(-base / ceiling))
    effort_term = np.where(
        effort > 0, np.maximum(effort, 1e-300) ** lam, 0.0
    )  # no effort, no progress (even at lambda 0)
    return np.where(s < top, g_s0 * speedup * effort_term * np.exp2(log2_factor), 0.0)


def danger(
    k: np.ndarray,
    k_dangerous: np.ndarray,
    k_superdangerous: np.ndarray,
    dangerous_threshold: np.ndarray | float = 0.003,
    superdangerous_threshold: np.ndarray | float = 0.5,
) -> np.ndarray:
    """Extreme-risk probability if scaled flat out: logistic in capability through two anchors.

    It equals `dangerous_threshold` (the essay's 0.3%) at k_dangerous and `superdangerous_threshold` (50%)
    at k_superdangerous.
    """
    lo, hi = _logit(dangerous_threshold), _logit(superdangerous_threshold)
    width = (k_superdangerous - k_dangerous) / (hi - lo)
    return 1.0 / (1.0 + np.exp(-((k - k_superdangerous) / width + hi)))


def _logit(p: np.ndarray | float) -> np.ndarray | float:
    return np.log(p / (1.0 - p))


# --- per-world wrappers over the curves above (p is the flat parameter dict from `derive`) ------------------


def speedup_of(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """AI R&D speed-up of each actor at capability k (n, A)."""
    return ai_rd_speedup(
        k,
        col(p, "v0"),
        col(p, "doublings_to_3x"),
        col(p, "tedai_speedup"),
        col(p, "parallel_lambda"),
        col(p, "k_tedai"),
    )


def danger_of(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """Flat-out extreme-risk probability of each actor's frontier model (n, A)."""
    return danger(
        k,
        col(p, "k_dangerous"),
        col(p, "k_superdangerous"),
        col(p, "dangerous_threshold"),
        col(p, "superdangerous_threshold"),
    )


def compute_growth(p: dict[str, np.ndarray], gap_months: np.ndarray, deploy: np.ndarray) -> np.ndarray:
    """Monthly log2 compute growth per actor (goal 3: deployment revenue and investment buy compute).

    A share `revenue_compute_share` of compute growth is bought with deployment revenue and investment,
    which halve for every `revenue_gap_months` a developer is behind the frontier (customers and
    investors go to the best model) and vanish when it does not deploy.
    """
    market = np.exp2(-gap_months / col(p, "revenue_gap_months")) * deploy
    share = col(p, "revenue_compute_share")
    return p["g_c"] * (1.0 - share + share * market)


def capability_growth(
    p: dict[str, np.ndarray],
    k: np.ndarray,
    s: np.ndarray,
    speed: np.ndarray,
    month: int,
    effort: np.ndarray,
    g_c: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """New capability and software per actor after one month of scaling at `effort` (0-1), given the
    speed-up `speed` at capability k."""
    ds = software_growth(
        speed,
        effort,
        s,
        col(p, "g_s0") * month,
        col(p, "g_s0"),
        col(p, "returns_r"),
        col(p, "parallel_lambda"),
        col(p, "ceiling_doublings"),
    )
    ds = np.minimum(ds, np.maximum(col(p, "ceiling_doublings") - s, 0.0))
    return k + ds + g_c * effort, s + ds


def diffusion(p: dict[str, np.ndarray], k: np.ndarray, sl: np.ndarray, seek_merger: np.ndarray) -> np.ndarray:
    """Laggards close part of the gap to the leader, slowed by the leader's security (÷ security_factor to
    the power security_leak_exponent·(SL − 1)); Magma may merge.

    A merger or access deal closes `merger_rate` of Magma's gap a month, scaled by the leader's
    willingness to coordinate.
    """
    leader = np.argmax(k, axis=1)[:, None]
    k_lead = row_max(k, keepdims=True)
    sl_lead = np.take_along_axis(sl, leader, axis=1)
    rate = col(p, "diffusion_rate") * col(p, "security_factor") ** (-col(p, "security_leak_exponent") * (sl_lead - 1.0))
    merge = seek_merger * p["merger_rate"] * np.take_along_axis(p["a_coordination_willingness"], leader, axis=1)[:, 0]
    is_magma = np.arange(k.shape[1]) == 0
    rate = rate + np.where(is_magma, merge[:, None], 0.0)
    return k + np.minimum(rate, 1.0) * (k_lead - k)
