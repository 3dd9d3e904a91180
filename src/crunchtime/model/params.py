"""The model's parameter table: every uncertain world parameter and actor field, its unit and valid range.

Default distributions live in the built-in scenario files; sources and rationale in docs/model.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    name: str
    unit: str
    low: float
    high: float
    doc: str


def _p(name: str, unit: str, low: float, high: float, doc: str) -> ParamSpec:
    return ParamSpec(name, unit, low, high, doc)


INF = float("inf")

WORLD_PARAMETERS: tuple[ParamSpec, ...] = (
    # capabilities and takeoff
    _p("algorithmic_progress", "x/year", 1.01, 100.0, "software (algorithmic) efficiency growth at today's research inputs"),
    _p("returns_r", "-", 0.05, 10.0, "returns to software R&D: doublings of software per doubling of cumulative research"),
    _p("parallel_lambda", "-", 0.0, 1.0, "diminishing returns to parallel research labour (exponent on labour)"),
    _p("ceiling_ooms", "OOM", 0.5, 100.0, "distance from today's software to effective limits, in orders of magnitude"),
    _p("initial_speedup", "x", 1.0, 2.9, "AI software R&D speed-up of the frontier at the scenario start"),
    _p("doublings_to_3x", "doublings", 0.1, 40.0, "effective-compute doublings from the start frontier to 3x AI R&D speed-up"),
    _p("tedai_speedup", "x", 3.0, 1000.0, "AI R&D speed-up at which AI can automate all software AI development (TEDAI)"),
    _p("dangerous_offset", "doublings", -10.0, 40.0, "effective-compute doublings past 3x at which AI becomes first dangerous"),
    _p("superdangerous_offset", "doublings", 0.0, 60.0, "doublings past TEDAI at which AI becomes superdangerous"),
    _p("dangerous_threshold", "probability", 1e-6, 0.5, "flat-out risk that makes AI 'first dangerous' (Figure 2: 0.3%)"),
    _p("superdangerous_threshold", "probability", 0.01, 0.999, "flat-out risk that makes AI 'superdangerous' (Figure 2: 50%)"),
    _p("exposure_months", "months", 1.0, 120.0, "months of flat-out scaling over which a model's danger is realised"),
    # safety research
    _p("safety_difficulty", "x", 0.01, 1000.0, "research (in Magma-safety-team-years) needed per unit of mitigation; the difficulty of safety"),
    _p("safety_speedup_loss", "share", 0.0, 1.0, "share of the AI speed-up lost for safety work (integration delays, taxes)"),
    _p("preparation_multiplier", "x", 1.0, 100.0, "productivity multiplier of crunch-time safety research with a full preparation stock"),
    _p("preparation_scale", "team-years", 0.01, 100.0, "preparation effort at which the preparation stock is 63% full"),
    _p("misalignment_propensity", "0-1", 0.0, 1.0, "hidden: how misaligned frontier AI is without alignment work"),
    _p("sabotage_rate", "share", 0.0, 1.0, "share of AI-assisted safety output lost to sabotage by a fully misaligned, uncontrolled helper"),
    _p("redeploy_efficiency", "share", 0.0, 1.0, "how much of the resources freed by slowing down becomes safety effort"),
    _p("control_decay", "per doubling", 0.0, 2.0, "how fast control coverage erodes per doubling of capability beyond TEDAI"),
    _p("p_takeover_untrustworthy", "probability", 0.0, 1.0, "chance that an untrustworthy hand-off to TEDAI ends in catastrophe"),
    _p("recovery_months", "months", 0.0, 60.0, "length of the recovery phase after deference"),
    _p("detection_rate", "per month", 0.0, 1.0, "monthly chance, at perfect evaluations, of catching an untrustworthy hand-off"),
    # security and proliferation
    _p("theft_rate_sl1", "per month", 0.0, 1.0, "monthly chance that frontier weights at SL1 are stolen by a capable attacker"),
    _p("security_factor", "x per level", 1.0, 100.0, "factor by which each RAND security level divides the theft hazard"),
    _p("security_lead_months", "months", 0.0, 60.0, "mean lead time from security investment to achieved security level"),
    _p("security_rate", "levels/team-year", 0.0, 100.0, "security levels bought per team-year of security effort"),
    _p("diffusion_rate", "per month", 0.0, 1.0, "share of the capability gap to the leader that laggards close per month at SL1"),
    _p("exfiltration_rate", "per month", 0.0, 1.0, "monthly self-exfiltration chance of a fully misaligned, uncontrolled dangerous model"),
    # governance and coordination
    _p("awareness0", "0-1", 0.0, 1.0, "public and elite awareness of extreme AI risk at the start"),
    _p("political_will0", "0-1", 0.0, 1.0, "political will to regulate and coordinate at the start"),
    _p("advocacy_effect", "per team-year", 0.0, 10.0, "awareness raised per team-year of credible governance and communication"),
    _p("will_adjustment", "per month", 0.0, 1.0, "rate at which political will moves toward awareness"),
    _p("awareness_decay", "per month", 0.0, 1.0, "monthly decay of awareness without new evidence"),
    _p("incident_ratio", "incidents per unit hazard", 0.0, 1000.0, "public warning shots per unit of catastrophe hazard"),
    _p("incident_jump", "0-1", 0.0, 1.0, "awareness jump from one public incident"),
    _p("pause_threshold", "0-1", 0.0, 1.0, "political will needed for a coordinated pause without preparation"),
    _p("credibility_penalty", "share", 0.0, 1.0, "loss of advocacy credibility when Magma races at full velocity"),
    _p("self_destruct_signal", "x", 1.0, 10.0, "advocacy credibility multiplier of a costly signal (self-destruction)"),
    _p("pause_min_months", "months", 1.0, 60.0, "length a coordinated pause must reach to count as long"),
    _p("frontier_window_months", "months", 0.0, 60.0, "actors within this many months of the leader are frontier actors"),
    _p("decisive_gap_months", "months", 0.0, 60.0, "lead (in months of progress) at which Magma is decisively overtaken"),
    _p("human_takeover_share", "x", 0.0, 10.0, "human-takeover (misuse, power concentration) danger relative to AI danger"),
    _p("defense_effect", "share", 0.0, 1.0, "largest cut in rogue-AI catastrophe from full world hardening"),
    _p("distribution_effect", "share", 0.0, 1.0, "share of Magma's exported safety that other developers adopt"),
    _p("revenue_compute_share", "share", 0.0, 1.0, "share of compute growth funded by deployment revenue (goal 3)"),
    _p("eval_noise", "sd", 0.0, 5.0, "noise of Magma's evaluations with no evaluation methodology"),
    _p("intel_noise_months", "months", 0.0, 24.0, "noise of Magma's estimate of rivals' progress"),
    _p("merger_rate", "per month", 0.0, 1.0, "share of the gap to the leader a merger or access deal closes per month"),
    _p("team_years_per_month", "team-years", 0.0, 100.0, "Magma's whole-staff effort per month, in safety-team-years"),
)

ACTOR_FIELDS: tuple[ParamSpec, ...] = (
    _p("lag_months", "months", -60.0, 120.0, "months of progress behind the starting frontier (negative: ahead)"),
    _p("compute", "x Magma", 0.0, 1000.0, "compute relative to Magma's at the start"),
    _p("compute_growth", "x/year", 1.0, 100.0, "growth of the compute the actor can apply"),
    _p("safety_culture", "0-1", 0.0, 1.0, "how much the actor invests in safety unprompted"),
    _p("security_level", "SL", 1.0, 5.0, "RAND security level at the start (SL1-SL5)"),
    _p("coordination_willingness", "0-1", 0.0, 1.0, "willingness to join a coordinated pause"),
    _p("base_velocity", "0-1", 0.0, 1.0, "share of maximum scaling the actor pursues unprompted"),
    _p("aggression", "0-1", 0.0, 1.0, "how much harder the actor races when behind or when the leader's lead shrinks"),
    _p("open_weights", "flag", 0.0, 1.0, "1 if the actor publishes its weights (no security to steal from; its hazard counts as proliferation)"),
)

WORLD_BY_NAME = {p.name: p for p in WORLD_PARAMETERS}
ACTOR_BY_NAME = {p.name: p for p in ACTOR_FIELDS}
