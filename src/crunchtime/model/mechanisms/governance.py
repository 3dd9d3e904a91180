"""Governance and communication (goal 2, category #3): incidents, advocacy credibility, smoking-gun
demonstrations, awareness and political will."""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import row_max


def credibility(p: dict[str, np.ndarray], realised_velocity: np.ndarray, self_destructed: np.ndarray) -> np.ndarray:
    """Advocacy credibility (n,): racing taints it wherever Magma is; self-destruction is a costly signal.

    Section 5's cost of scaling, "Reduce the credibility of advocacy"; Appendix A: a lagging Magma that keeps
    scaling is no exception, "government officials and the public might interpret their pleas as an attempt
    to slow the leader so they can catch up to the frontier", and "pausing might provide a costly signal that
    makes their advocacy much more credible" (2.17: the taint no longer fades with the gap):
    1 − credibility_penalty × realised velocity, times `self_destruct_signal` after self-destruction,
    capped at `max_credibility`.
    """
    cred = 1.0 - p["credibility_penalty"] * realised_velocity
    return np.minimum(np.where(self_destructed > 0, cred * p["self_destruct_signal"], cred), p["max_credibility"])


def voice(p: dict[str, np.ndarray], influence: np.ndarray) -> np.ndarray:
    """How far a developer's advocacy carries with government and the public (n,), 0-1.

    Section 5 lists "More government, industry, and public influence" among the benefits of scaling, and
    adds that "Increases in capability do not meaningfully affect inelastic resources like compute and
    public influence over critical timeframes": a frontier developer is heard because it is at the frontier
    (`competition.influence`, which halves per `influence_gap_months` of capability distance), but a
    developer that falls behind keeps the standing it has built (`public_standing`):
    public_standing + (1 − public_standing) × influence.
    """
    return p["public_standing"] + (1.0 - p["public_standing"]) * influence


def advocacy_coverage(p: dict[str, np.ndarray], governance_effort: np.ndarray) -> np.ndarray:
    """Share of a developer's advocacy reach its governance and communication effort uses (n,), 0-1.

    Heuristic #3's P0, "Raising awareness of risks: Publishing investigations of misalignment risks.
    Publically communicating crucial messages", scored as cheap for what it buys: what a developer can say
    is limited by what it is and shows, not by head-count, so effort saturates:
    1 − exp(−T_governance / advocacy_staff_scale), T in team-years a month.
    """
    return 1.0 - np.exp(-governance_effort / p["advocacy_staff_scale"])


def demonstration(
    p: dict[str, np.ndarray], misalignment: np.ndarray, evaluation: np.ndarray, relevance: np.ndarray
) -> np.ndarray:
    """Strength of smoking-gun demonstrations (n,): 1 + demo_strength × misalignment × evaluation × relevance.

    More capable (more relevant) models give "more compelling demos of risks" (section 5).
    """
    return 1.0 + p["demo_strength"] * misalignment * evaluation * relevance


def evident_danger(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """How far the frontier has visibly moved from Figure 2's first dangerous AI to superdangerous AI (n,), 0-1.

    Section 5: "As capabilities improve [...] Competition becomes more dangerous, and the political will to
    avert it rises." The frontier model's danger is public evidence (deployed models, published evaluations,
    model cards): 0 up to the first dangerous AI (danger 0.3% flat out; "before these speedups, AI systems
    are probably not capable enough to pose significant extreme risks"), 1 at superdangerous AI (50%),
    linear in capability between (the log-odds of danger are linear in capability, 2.6):
    clip((k_lead − k_dangerous) / (k_superdangerous − k_dangerous), 0, 1).
    """
    k_d, k_sd = p["k_dangerous"], p["k_superdangerous"]
    return np.clip((row_max(k) - k_d) / (k_sd - k_d), 0.0, 1.0)


def evidence_floor(p: dict[str, np.ndarray], evident: np.ndarray) -> np.ndarray:
    """Awareness the frontier's evident danger sustains (n,): danger_salience × evident_danger.

    Awareness "fades without new evidence" (`awareness_decay`); a frontier that is evidently dangerous is new
    evidence every month, so awareness does not fade below what it shows, and rises to it as it grows.
    """
    return p["danger_salience"] * evident


def public_opinion(
    p: dict[str, np.ndarray],
    awareness: np.ndarray,
    will: np.ndarray,
    governance_effort: np.ndarray,
    cred: np.ndarray,
    demo: np.ndarray,
    incident: np.ndarray,
    advocate_pause: np.ndarray,
    evident: np.ndarray,
    heard: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Awareness and political will after a month of advocacy, incidents, evident danger and decay.

    Category #3 (governance and communication): "Demonstrate risks by e.g. publishing 'smoking gun'
    examples of misalignment. Advocate for helpful regulation." Appendix A: "leaning into advocacy as hard
    as they can so that governments intervene." Advocacy reaches the public and officials (awareness)
    through the developer's voice (`voice`, argument `heard`), at the credibility it has and with the
    demonstrations it can show; pause advocacy informs government directly (will).

    floor = danger_salience·evident_danger (`evidence_floor`)
    awareness += advocacy_reach·coverage(T_gov)·heard·credibility·demo·(1 − awareness)
                 + incident·incident_jump·(1 − awareness)
                 − awareness_decay·max(awareness − floor, 0);   awareness ← clip(max(awareness, floor), 0, 1)
    will += will_adjustment·(awareness − will) + advocacy_will_rate·advocate_pause·heard·credibility·demo·(1 − will)
            + warning_shot
    """
    floor = evidence_floor(p, evident)
    gain = p["advocacy_reach"] * advocacy_coverage(p, governance_effort) * heard * cred * demo * (1.0 - awareness)
    aware = awareness + gain
    aware = (
        aware + incident * p["incident_jump"] * (1.0 - aware) - p["awareness_decay"] * np.maximum(aware - floor, 0.0)
    )
    aware = np.clip(np.maximum(aware, floor), 0.0, 1.0)
    push = p["advocacy_will_rate"] * advocate_pause * heard * cred * demo
    shock = warning_shot(p, incident, aware, will)
    new_will = np.clip(will + p["will_adjustment"] * (aware - will) + push * (1.0 - will) + shock, 0.0, 1.0)
    return aware, new_will


def warning_shot(p: dict[str, np.ndarray], incident: np.ndarray, awareness: np.ndarray, will: np.ndarray) -> np.ndarray:
    """Political will a public incident moves at once (n,): a warning shot opens a policy window.

    Essay 2.2: "Hopefully, society can agree this is crazy and coordinate a pause"; its P0 (raising
    awareness) matters because awareness is what a warning shot turns into will. Between incidents will
    trails awareness slowly (`will_adjustment` a month); in the month of an incident it closes
    `incident_will_share` of its gap to awareness: incident × incident_will_share × max(awareness − will, 0).
    """
    return incident * p["incident_will_share"] * np.maximum(awareness - will, 0.0)
