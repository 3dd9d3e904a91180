"""Safety research (goal 1 and safety distribution): preparation vs mitigation, AI labour, sabotage,
weak proxies, rivals' own research and what they adopt from Magma's exports."""

from __future__ import annotations

import numpy as np

from crunchtime.model.mechanisms.common import col, coverage, row_mean
from crunchtime.model.state import AREA

RESEARCH_AREAS = ("alignment", "control", "evaluation")
_IS_RESEARCH = np.isin(np.arange(len(AREA)), [AREA[a] for a in RESEARCH_AREAS])  # by area (portfolio column)
# "getting ready to elicit safety research from AI" (essay, Category #2): research security, scalable
# oversight and control, evaluation methodology; alignment research itself is not part of it
READINESS_AREAS = ("control", "evaluation")


def safety_levels(p: dict[str, np.ndarray], k: np.ndarray, stocks: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Achieved alignment, control and evaluation coverage per actor (n, A).

    Coverage of a stock is C(stock, safety_difficulty × 2^(decay × doublings beyond TEDAI)): safety
    gets harder as capability runs past TEDAI (alignment at `alignment_decay`, control at
    `control_decay`); control is only trusted as far as evaluations can check it.
    """
    beyond = np.maximum(k - col(p, "k_tedai"), 0.0)
    need = col(p, "safety_difficulty")
    ev = coverage(stocks["evaluation"], need)
    al = coverage(stocks["alignment"], need * np.exp2(col(p, "alignment_decay") * beyond))
    dep = col(p, "control_eval_dependence")
    ct = coverage(stocks["control"], need * np.exp2(col(p, "control_decay") * beyond)) * (1.0 - dep + dep * ev)
    return {"alignment": al, "control": ct, "evaluation": ev}


def staff(p: dict[str, np.ndarray], compute: np.ndarray, month: int) -> np.ndarray:
    """Each actor's whole-staff effort in safety-team-years a month (n, A).

    Scales with compute relative to Magma's trend path (more investment and compute buy more people and
    GPUs for safety): team_years_per_month × 2^(compute_safety_elasticity × (compute − g_c,Magma·t)).
    """
    trend = p["g_c"][:, :1] * (month + 1)  # compute has already grown this month
    return col(p, "team_years_per_month") * np.exp2(col(p, "compute_safety_elasticity") * (compute - trend))


def relevance(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """How much mitigation research on an actor's current models transfers to dangerous ones (weak proxies).

    proxy_validity + (1 − proxy_validity) · exp(−max(k_dangerous − k, 0) / relevance_doublings).
    """
    distance = np.maximum(col(p, "k_dangerous") - k, 0.0)
    pv = col(p, "proxy_validity")
    return pv + (1.0 - pv) * np.exp(-distance / col(p, "relevance_doublings"))


def ai_assistance(speed: np.ndarray, loss: np.ndarray, readiness: np.ndarray | float) -> np.ndarray:
    """Multiplier of safety research from AI labour: 1 + (1 − safety_speedup_loss)(speed − 1)·readiness.

    `speed` is already capped at `max_safety_speedup`; the arguments broadcast against each other.
    """
    return 1.0 + (1.0 - loss) * (speed - 1.0) * readiness


def magma_research(
    p: dict[str, np.ndarray],
    team_years: np.ndarray,
    weights: np.ndarray,
    prep_share: np.ndarray,
    prep_cov: np.ndarray,
    helper_speed: np.ndarray,
    trusted_deferral: np.ndarray,
    levels: dict[str, np.ndarray],
    relevance_magma: np.ndarray,
    u_helpers: np.ndarray | float = 1.0,
) -> dict[str, np.ndarray]:
    """Magma's safety output this month by area (n, areas): preparation builds stocks, mitigation builds safety.

    Preparation multiplies crunch-time productivity ("months now save days later"): mitigation output
    = effort × (1 − prep_share) × (1 + (preparation_multiplier − 1)·C(prep)) × AI multiplier × (1 − sabotage),
    plus `prep_direct_yield` of preparation effort; alignment, control and evaluation output is scaled
    by its relevance (weak proxies). AI help needs readiness (preparation of control and evaluation,
    the essay's pipeline for extracting work from AI agents) and is exposed to sabotage by a misaligned,
    uncontrolled helper: whether this world's helpers are misaligned is a hidden fact (`helpers_misaligned`,
    read from the helpers' per-world uniform `u_helpers`, see `helpers_uniform`), and those that are sabotage
    `sabotage_share` of the work, less what Magma's oversight of its helpers stops (`helper_oversight`).
    """
    area_effort = team_years[:, None] * weights
    prep_gain = area_effort * prep_share[:, None]
    mult = 1.0 + (col(p, "preparation_multiplier") - 1.0) * prep_cov
    is_defense = np.arange(weights.shape[1]) == AREA["defense"]
    defense = AREA["defense"]
    mult = np.where(is_defense, (mult[:, defense] ** p["defense_prep_exponent"])[:, None], mult)
    readiness = row_mean(prep_cov[:, [AREA[a] for a in READINESS_AREAS]])
    speed = np.minimum(helper_speed, p["max_safety_speedup"])
    ai_mult = np.where(trusted_deferral, speed, ai_assistance(speed, p["safety_speedup_loss"], readiness))
    misalignment = p["misalignment_propensity"] * (1.0 - levels["alignment"][:, 0])
    misaligned = helpers_misaligned(misalignment, u_helpers)
    oversight = helper_oversight(levels["control"][:, 0], prep_cov[:, AREA["control"]])
    sabotage = sabotage_share(p, misaligned, oversight, ai_mult)
    attempted = sabotage_attempted(p, misaligned, ai_mult)
    gross = area_effort * (1.0 - prep_share[:, None]) * mult * ai_mult[:, None]
    output = gross * (1.0 - sabotage)[:, None]
    output = output + col(p, "prep_direct_yield") * prep_gain
    output = np.where(_IS_RESEARCH, output * relevance_magma[:, None], output)
    hollow = sabotaged_output(gross, sabotage, relevance_magma)
    return {
        "area_effort": area_effort,
        "prep_gain": prep_gain,
        "output": output,
        "ai_mult": ai_mult,
        "sabotage": sabotage,
        "attempted": attempted,
        "oversight": oversight,
        "misalignment": misalignment,
        "hollow": hollow,
    }


def helpers_uniform(p: dict[str, np.ndarray], u_trust: np.ndarray, u_helpers: np.ndarray) -> np.ndarray:
    """The per-world uniform that decides whether the AI helpers are misaligned (n,), correlated with the successor's.

    Crunch-time essay: "deploying Claude-n to automate much of the safety work that must occur between
    training and deploying Claude-(n+1)": the helpers (Claude-n) and the successor Magma may defer to
    (Claude-(n+1)) are different models, made by the same developer with the same methods. With chance
    rho = `helper_successor_correlation` the helpers' fate is the successor's (the same uniform `u_trust`,
    shared lineage and training); otherwise it is independent. One new uniform w does both: w < rho picks
    the shared draw, else (w − rho) / (1 − rho) is a fresh uniform, so the result is exactly uniform:

        v = u_trust                      if w < rho
        v = (w − rho) / (1 − rho)        otherwise
    """
    rho = p["helper_successor_correlation"]
    fresh = np.clip((u_helpers - rho) / np.maximum(1.0 - rho, 1e-12), 0.0, 1.0)
    return np.where(u_helpers < rho, u_trust, fresh)


def helpers_misaligned(misalignment: np.ndarray, u_helpers: np.ndarray | float) -> np.ndarray:
    """Whether the AI helpers doing Magma's safety research are misaligned (n,), 0 or 1: a hidden fact of the world.

    Goal 1: "Sabotage risks, where AI systems sabotage safety efforts." A helper either schemes against the
    work it is given or it does not; the essays do not describe a helper that sabotages a little. The
    chance is the misalignment the beliefs set, misalignment_propensity × (1 − Magma's true alignment
    coverage), drawn once per world from the helpers' own uniform (`helpers_uniform`, correlated with the
    successor's): helpers are misaligned iff 1 − u_helpers < misalignment. True alignment progress can make
    later helpers aligned (the threshold falls below 1 − u); sabotaged progress that only looks done cannot.
    """
    return ((1.0 - u_helpers) < misalignment) * 1.0


def sabotage_attempted(p: dict[str, np.ndarray], misaligned: np.ndarray, ai_mult: np.ndarray) -> np.ndarray:
    """Share of Magma's mitigation output that misaligned helpers try to sabotage (n,), 0-1, before control.

    sabotage_rate × misaligned helpers × (1 − 1/AI multiplier): only where the helpers are misaligned, in
    proportion to the share of the work AI does.
    """
    return p["sabotage_rate"] * misaligned * (1.0 - 1.0 / ai_mult)


def helper_oversight(control: np.ndarray, control_readiness: np.ndarray) -> np.ndarray:
    """How much of its helpers' work Magma oversees (n,), 0-1: 1 − (1 − control)(1 − control readiness).

    Category #2, on preparing to leverage AI assistance: "Advance 'research security,' which includes [...]
    control measures that allow Magma to faithfully log the actions AI agents take on their servers" and
    "Improve 'scalable oversight,' which includes measures that give human overseers more useful
    information about the code AI agents are running, e.g. leveraging monitoring". Two safeguards, either of
    which can stop a helper's sabotage: the monitoring pipeline Magma prepared for its own AI labour (the
    coverage of its control preparation stock, `control_readiness`) and the control techniques its research
    has achieved (the control coverage of its models, `control`).
    """
    return 1.0 - (1.0 - control) * (1.0 - control_readiness)


def sabotage_share(
    p: dict[str, np.ndarray], misaligned: np.ndarray, control: np.ndarray, ai_mult: np.ndarray
) -> np.ndarray:
    """Share of Magma's mitigation output that misaligned helpers sabotage (n,), 0-1: the attempts control misses.

    sabotage_rate × misaligned helpers × (1 − control) × (1 − 1/AI multiplier) = `sabotage_attempted` ×
    (1 − control). Section 7, P1: "Getting ready to elicit safety research from AI [...] improving
    control/scalable oversight measures": control is what stops a scheming helper's sabotage. `control` is
    the oversight of the helpers (`helper_oversight`: control preparation and control coverage).
    """
    return p["sabotage_rate"] * misaligned * (1.0 - control) * (1.0 - 1.0 / ai_mult)


def sabotage_caught(
    p: dict[str, np.ndarray], attempted: np.ndarray, control: np.ndarray, u: np.ndarray, watching: np.ndarray
) -> np.ndarray:
    """Whether Magma's monitoring catches its helpers sabotaging this month (n,), bool: caught red-handed.

    Category #2: control measures "allow Magma to faithfully log the actions AI agents take on their
    servers"; scalable oversight gives "human overseers more useful information about the code AI agents
    are running, e.g. leveraging monitoring"; category #3: "Magma might monitor internal AI agents so they
    can sound the alarm if models are egregiously misaligned". The attempts oversight stops are attempts it
    saw: with monthly probability sabotage_catch_rate × oversight × attempted (`control` is the oversight of
    the helpers, `helper_oversight`) a monitor flags one and an audit confirms it. `u` is a per-month
    uniform; `watching` says in which worlds Magma's helpers work under its monitoring this month.
    """
    return watching & (u < p["sabotage_catch_rate"] * control * attempted)


def sabotaged_output(gross: np.ndarray, sabotage: np.ndarray, relevance_magma: np.ndarray) -> np.ndarray:
    """Safety research a misaligned helper sabotaged but made look done (n, areas): the lost output, hollow.

    Essay, goal 1: "Sabotage risks, where AI systems sabotage safety efforts." A helper that sabotages the
    work it is given does not hand in nothing: it hands in work that looks like progress. The share
    `sabotage` of the AI-assisted output is lost to the true stocks (`magma_research`) and returned here as
    hollow output (research areas only, scaled by relevance like the true output), which Magma's
    evaluations see as progress unless they catch it (`seen_levels`).
    """
    return np.where(_IS_RESEARCH, gross * (sabotage * relevance_magma)[:, None], 0.0)


def sabotage_missed(p: dict[str, np.ndarray], evaluation: np.ndarray) -> np.ndarray:
    """Share of sabotaged research that Magma's evaluations take for real progress (n,), 0-1.

    Figure 7's pipeline for extracting safety work from AI agents needs "more reliable reward signals for
    safety research"; P1: "Improving alignment evaluation methodologies". Evaluation methodology (coverage
    `evaluation`) catches sabotaged work, but a scheming helper shapes its sabotage to pass the checks it
    expects, so a share `sabotage_stealth` passes even perfect methodology:
    missed = 1 − evaluation × (1 − sabotage_stealth).
    """
    return 1.0 - evaluation * (1.0 - p["sabotage_stealth"])


def seen_levels(
    p: dict[str, np.ndarray],
    k: np.ndarray,
    stocks: dict[str, np.ndarray],
    evaluation: np.ndarray,
    hollow_alignment: np.ndarray,
    hollow_control: np.ndarray,
    caught: np.ndarray | float = 0.0,
) -> dict[str, np.ndarray]:
    """Magma's alignment and control coverage as its own evaluations see them (n,): false confidence.

    Essay 2.1: Magma defers only to agents "at least as trustworthy as human developers", as far as its
    evaluations can tell. Sabotaged research that looks done (`hollow_*`) counts as progress except for the
    share its evaluations catch (`sabotage_missed`: evaluation coverage, less what stealthy sabotage hides):
    seen = levels(true stock + missed × hollow stock). The plan's `alignment_progress` and
    `control_progress`, and the misalignment evaluation, read these; the successor's real trustworthiness at
    hand-off still follows the true levels (`deference.deference`). Once Magma has caught its helpers
    sabotaging (`caught`, `sabotage_caught`) it knows which work to distrust and re-audits it: the hollow
    stock no longer counts (missed × (1 − caught)).
    """
    missed = (sabotage_missed(p, evaluation) * (1.0 - caught))[:, None]
    seen = safety_levels(
        p,
        k[:, :1],
        {
            "alignment": stocks["alignment"][:, :1] + missed * hollow_alignment[:, None],
            "control": stocks["control"][:, :1] + missed * hollow_control[:, None],
            "evaluation": stocks["evaluation"][:, :1],
        },
    )
    return {"alignment": seen["alignment"][:, 0], "control": seen["control"][:, 0]}


def export_strength(
    p: dict[str, np.ndarray], share_research: np.ndarray, distribution_share: np.ndarray, influence: np.ndarray
) -> np.ndarray:
    """Share of Magma's safety stocks other developers adopt (n,): sharing × effort × uptake × influence."""
    effort = np.minimum(
        1.0, p["export_base"] + (1.0 - p["export_base"]) * distribution_share / p["distribution_full_share"]
    )
    return share_research * effort * p["distribution_effect"] * influence


def research_stocks(
    p: dict[str, np.ndarray],
    stocks: dict[str, np.ndarray],
    magma_output: np.ndarray,
    rival_output: np.ndarray,
    export: np.ndarray,
) -> dict[str, np.ndarray]:
    """New alignment, control and evaluation stocks (n, A): own research, and rivals adopt Magma's exports."""
    is_magma = np.arange(rival_output.shape[1]) == 0
    out = {}
    for area in RESEARCH_AREAS:
        own = stocks[area] + np.where(is_magma, magma_output[:, AREA[area], None], rival_output)
        adopted = export[:, None] * own[:, :1]
        out[area] = np.where(is_magma, own, np.maximum(own, adopted))
    return out


def rival_research(
    p: dict[str, np.ndarray],
    staff_rivals: np.ndarray,
    safety_share: np.ndarray,
    speed: np.ndarray,
    relevant: np.ndarray,
) -> np.ndarray:
    """Each rival's research per area (n, A): staff × safety share × unprepared AI help × relevance / 3."""
    ai = ai_assistance(
        np.minimum(speed, col(p, "max_safety_speedup")), col(p, "safety_speedup_loss"), col(p, "unprepared_readiness")
    )
    return staff_rivals * safety_share * ai * relevant / len(RESEARCH_AREAS)
