"""Deference to TEDAI, the recovery phase and obsolescence (Figure 2), and the hand-off's outcome."""

from __future__ import annotations

import numpy as np


def handoff_resolution(
    p: dict[str, np.ndarray],
    deferred: np.ndarray,
    recovery_left: np.ndarray,
    superdangerous: np.ndarray,
    safe_obsolete: np.ndarray,
    already_obsolete: np.ndarray,
    trustworthy: np.ndarray,
    u_detect: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count down the recovery phase; at superdangerous AI after it, human researchers become obsolete.

    An untrustworthy hand-off ends in catastrophe with probability `p_takeover_untrustworthy`.
    Returns (recovery_left, obsolete_now, handoff_fails), each (n,).
    """
    left = np.maximum(recovery_left - deferred, 0.0)
    obsolete_now = (deferred > 0) & (left <= 0) & superdangerous & (safe_obsolete == 0) & ~already_obsolete
    fails = obsolete_now & (trustworthy == 0) & (u_detect < p["p_takeover_untrustworthy"])
    return left, obsolete_now, fails


def deference(
    p: dict[str, np.ndarray],
    wants: np.ndarray,
    tedai: np.ndarray,
    deferred: np.ndarray,
    trustworthy: np.ndarray,
    recovery_left: np.ndarray,
    blocked: np.ndarray,
    alignment: np.ndarray,
    misalignment: np.ndarray,
    evaluation: np.ndarray,
    u_trust: np.ndarray,
    u_detect: np.ndarray,
) -> dict[str, np.ndarray]:
    """Start deferring to TEDAI when the plan asks and nothing blocks it; catch a bad hand-off in recovery.

    Trust is judged once, at hand-off: the successor is trustworthy with probability
    alignment × (1 − misalignment); during the recovery phase an untrustworthy hand-off is caught with
    monthly probability detection_rate × evaluation coverage, and Magma takes back control.
    """
    start = wants & (tedai > 0) & (deferred == 0) & ~blocked
    trust = np.where(start, (u_trust < alignment * (1.0 - misalignment)) * 1.0, trustworthy)
    left = np.where(start, p["recovery_months"], recovery_left)
    caught = (deferred > 0) & (trust == 0) & (left > 0) & (u_detect < p["detection_rate"] * evaluation)
    return {
        "start": start,
        "trustworthy": trust,
        "recovery_left": left,
        "deferred": np.where(start, 1.0, np.where(caught, 0.0, deferred)),
    }


def false_confidence(alignment: np.ndarray, seen_alignment: np.ndarray) -> np.ndarray:
    """Share of Magma's confidence in its successor's alignment that sabotage made false (n,), 0-1.

    Issue 20's reading of "Sabotage risks, where AI systems sabotage safety efforts" (goal 1): a hand-off on
    sabotaged evidence defers to an AI that only seems trustworthy. 1 − alignment / seen alignment; a
    hand-off that ends in catastrophe is attributed to sabotage with this probability (`catastrophe_draw`).
    """
    return np.clip(1.0 - alignment / np.maximum(seen_alignment, 1e-12), 0.0, 1.0)
