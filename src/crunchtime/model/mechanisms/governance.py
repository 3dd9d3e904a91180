"""Governance and communication (goal 2, category #3): incidents, advocacy credibility, smoking-gun
demonstrations, awareness and political will."""

from __future__ import annotations

import numpy as np


def credibility(p: dict[str, np.ndarray], realised_velocity: np.ndarray, magma_gap: np.ndarray,
                self_destructed: np.ndarray) -> np.ndarray:
    """Advocacy credibility (n,): racing taints it, unless Magma is far behind; self-destruction is a costly signal.

    1 − credibility_penalty × velocity × (1 − min(gap, credibility_gap_months)/credibility_gap_months),
    times `self_destruct_signal` after self-destruction, capped at `max_credibility`.
    """
    window = p["credibility_gap_months"]
    cred = 1.0 - p["credibility_penalty"] * realised_velocity * (1.0 - np.clip(magma_gap, 0.0, window) / window)
    return np.minimum(np.where(self_destructed > 0, cred * p["self_destruct_signal"], cred), p["max_credibility"])


def demonstration(p: dict[str, np.ndarray], misalignment: np.ndarray, evaluation: np.ndarray,
                  relevance: np.ndarray) -> np.ndarray:
    """Strength of smoking-gun demonstrations (n,): 1 + demo_strength × misalignment × evaluation × relevance.

    More capable (more relevant) models give "more compelling demos of risks" (section 5).
    """
    return 1.0 + p["demo_strength"] * misalignment * evaluation * relevance


def public_opinion(p: dict[str, np.ndarray], awareness: np.ndarray, will: np.ndarray, governance_effort: np.ndarray,
                   cred: np.ndarray, demo: np.ndarray, incident: np.ndarray, advocate_pause: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Awareness and political will after a month of advocacy, incidents and decay.

    awareness += advocacy_effect·effort·credibility·demo·(1 − awareness) + incident·incident_jump·(1 − awareness)
                 − awareness_decay·awareness
    will += will_adjustment·(awareness − will) + advocacy_will_rate·advocate_pause·credibility·(1 − will)
    """
    gain = p["advocacy_effect"] * governance_effort * cred * demo * (1.0 - awareness)
    aware = awareness + gain
    aware = aware + incident * p["incident_jump"] * (1.0 - aware) - p["awareness_decay"] * aware
    aware = np.clip(aware, 0.0, 1.0)
    push = p["advocacy_will_rate"] * advocate_pause * cred
    shock = warning_shot(p, incident, aware, will)
    new_will = np.clip(will + p["will_adjustment"] * (aware - will) + push * (1.0 - will) + shock, 0.0, 1.0)
    return aware, new_will


def warning_shot(p: dict[str, np.ndarray], incident: np.ndarray, awareness: np.ndarray, will: np.ndarray
                 ) -> np.ndarray:
    """Political will a public incident moves at once (n,): a warning shot opens a policy window.

    Essay 2.2: "Hopefully, society can agree this is crazy and coordinate a pause"; its P0 (raising
    awareness) matters because awareness is what a warning shot turns into will. Between incidents will
    trails awareness slowly (`will_adjustment` a month); in the month of an incident it closes
    `incident_will_share` of its gap to awareness: incident × incident_will_share × max(awareness − will, 0).
    """
    return incident * p["incident_will_share"] * np.maximum(awareness - will, 0.0)
