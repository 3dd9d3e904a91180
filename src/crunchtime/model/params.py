"""The model's parameter table: every uncertain world parameter and actor field, its unit and valid range.

Beliefs have their default distributions in the built-in scenario files; behavioural constants carry
theirs in this table (scenario files may omit them). Sources and rationale are in docs/model.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    """One named parameter: unit, valid range, and (for behavioural constants) a default distribution.

    `default` is None for the beliefs every scenario states (they live in the built-in scenario
    files); behavioural constants carry their default here, so scenario files may omit them.
    """

    name: str
    unit: str
    low: float
    high: float
    doc: str
    default: str | float | None = None


def _p(name: str, unit: str, low: float, high: float, doc: str, default: str | float | None = None) -> ParamSpec:
    return ParamSpec(name, unit, low, high, doc, default)


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
    _p("exposure_months", "months", 1.0, 2000.0, "months of flat-out scaling over which a model's danger is realised"),
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
    _p("will_adjustment", "per month", 0.0, 1.0, "rate at which political will moves toward awareness"),
    _p("awareness_decay", "per month", 0.0, 1.0, "monthly decay of awareness without new evidence"),
    _p("incident_ratio", "incidents per unit hazard", 0.0, 1000.0, "public warning shots per unit of catastrophe hazard"),
    _p("incident_jump", "0-1", 0.0, 1.0, "awareness jump from one public incident"),
    _p("pause_threshold", "0-1", 0.0, 1.0, "political will needed for a coordinated pause without preparation"),
    _p("credibility_penalty", "share", 0.0, 1.0, "loss of advocacy credibility when Magma races at full velocity"),
    _p("self_destruct_signal", "x", 1.0, 10.0, "advocacy credibility multiplier of a costly signal (self-destruction)"),
    _p("pause_min_months", "months", 1.0, 60.0, "length a coordinated pause must reach to count as long"),
    _p("frontier_window_months", "months", 0.0, 60.0, "actors within this many calendar months (at the leader's current pace) of the leader are frontier actors"),
    _p("decisive_gap_months", "months", 0.0, 60.0, "lead (in months of progress) at which Magma is decisively overtaken"),
    _p("human_takeover_share", "x", 0.0, 10.0, "human-takeover (misuse, power concentration) danger relative to AI danger"),
    _p("defense_effect", "share", 0.0, 1.0, "largest cut in rogue-AI catastrophe from full world hardening"),
    _p("distribution_effect", "share", 0.0, 1.0, "share of Magma's exported safety that other developers adopt"),
    _p("revenue_compute_share", "share", 0.0, 1.0, "share of compute growth funded by deployment revenue (goal 3)"),
    _p("eval_noise", "sd", 0.0, 5.0, "noise of Magma's evaluations with no evaluation methodology"),
    _p("intel_noise_months", "months", 0.0, 24.0, "noise of Magma's estimate of rivals' progress"),
    _p("merger_rate", "per month", 0.0, 1.0, "share of the gap to the leader a merger or access deal closes per month"),
    _p("team_years_per_month", "team-years", 0.0, 100.0, "Magma's whole-staff effort per month, in safety-team-years"),
    # --- behavioural constants (defaults here; a scenario may override any of them) -------------------------
    # competition and rivals
    _p("pressure_lead_months", "months", 0.1, 60.0, "a leader feels full race pressure at no lead and none at this lead over the runner-up", 6.0),
    _p("pressure_gap_months", "months", 0.1, 60.0, "a chaser this many months behind the leader feels half the full race pressure", 3.0),
    _p("race_velocity_gain", "share", 0.0, 1.0, "velocity a fully aggressive rival adds under full pressure", 0.5),
    _p("will_restraint", "share", 0.0, 1.0, "velocity a fully safety-minded rival gives up at full political will", 0.5),
    _p("rival_safety_base", "share", 0.0, 1.0, "safety share of a fully safety-minded rival at no political will, no pressure", 0.05),
    _p("rival_safety_from_will", "share", 0.0, 1.0, "safety share a fully safety-minded rival adds at full political will", 0.25),
    _p("race_safety_cut", "share", 0.0, 1.0, "share of its calm safety effort a fully aggressive rival cuts under full pressure", 0.7),
    _p("race_corner_cutting", "share", 0.0, 1.0, "share of deployed safeguards a fully aggressive rival skips under full pressure (competition risk)", "uniform(0.2, 0.6)"),
    _p("revenue_gap_months", "months", 0.5, 120.0, "months behind the frontier at which a developer's deployment revenue halves", "3 to 12"),
    _p("compute_safety_elasticity", "-", 0.0, 2.0, "elasticity of a developer's safety staff and compute to its total compute", 0.5),
    _p("influence_gap_months", "months", 0.5, 120.0, "months behind the leader at which Magma's influence over frontier actors halves", "3 to 12"),
    _p("export_base", "share", 0.0, 1.0, "share of full export strength Magma's shared research has with no distribution effort", 0.3),
    _p("distribution_full_share", "share", 0.01, 1.0, "portfolio share of safety distribution at which exports reach full strength", 0.15),
    # safety research
    _p("proxy_validity", "share", 0.0, 1.0, "share of mitigation research on far-from-dangerous models that transfers to dangerous ones (weak proxies)", "beta(2, 6)"),
    _p("relevance_doublings", "doublings", 0.1, 40.0, "capability distance below 'first dangerous' over which research relevance e-folds to the proxy level", 2.0),
    _p("prep_direct_yield", "share", 0.0, 1.0, "share of preparation effort that also yields mitigation results at once", 0.25),
    _p("defense_prep_exponent", "-", 0.0, 1.0, "AI defense gets the preparation multiplier to this power ('benefits less from preparation')", 0.5),
    _p("unprepared_readiness", "share", 0.0, 1.0, "share of the AI speed-up a developer without preparation turns into safety research", 0.3),
    _p("max_safety_speedup", "x", 1.0, 1e6, "largest speed-up of safety work with humans in the loop", 1000.0),
    _p("alignment_decay", "per doubling", 0.0, 2.0, "how fast alignment coverage erodes per doubling of capability beyond TEDAI", "0.05 to 0.25"),
    _p("helper_successor_correlation", "share", 0.0, 1.0, "chance that the AI helpers' misalignment is decided by the same draw as the successor's (shared lineage and training); otherwise independent", 0.5),
    _p("sabotage_stealth", "share", 0.0, 1.0, "share of sabotaged safety research that passes even perfect evaluation methodology (a schemer shapes its sabotage to pass the checks it expects)", 0.5),
    _p("control_eval_dependence", "share", 0.0, 1.0, "share of control coverage that needs evaluation methodology to be trusted", 0.5),
    # security and proliferation
    _p("sl_cap_unprepared", "SL", 1.0, 5.0, "highest security level reachable without forward-looking security preparation (Magma) or mandates (rivals)", 3.0),
    _p("rival_security_rate", "SL/month", 0.0, 1.0, "security a fully safety-minded rival adds per month at moderate political will", 0.01),
    _p("security_leak_exponent", "-", 0.0, 2.0, "share of the security factor per level that also slows capability diffusion and self-exfiltration (leaks are harder to stop than theft)", 0.5),
    _p("rival_security_base_will", "0-1", 0.0, 1.0, "political will equivalent that drives rivals' security investment even without regulation", 0.5),
    _p("proliferation_breadth", "x", 1.0, 100.0, "hazard multiplier of stolen or published weights (many uncontrolled copies)", "1.2 to 3"),
    _p("published_uptake", "share", 0.0, 1.0, "share of its gap to weights stolen and published by an open-weights actor that each other actor closes at once", "uniform(0.5, 1)"),
    # coordinated pause
    _p("pause_prep_discount", "share", 0.0, 1.0, "largest cut in the will a pause needs from Magma's governance preparation (agreed triggers)", 0.3),
    _p("willingness_margin", "share", 0.0, 1.0, "how far above the threshold (share of the way to full will) an unwilling actor needs will to join", 0.5),
    _p("pause_hysteresis", "share", 0.0, 1.0, "share of the threshold that keeps a pause in force once formed", 0.9),
    _p("pause_breakdown_rate", "per month", 0.0, 1.0, "monthly chance that a coordinated pause collapses (defection, verification failure)", "0.01 to 0.08"),
    # hazards
    _p("idle_exposure", "share", 0.0, 1.0, "share of a model's danger realised per month even when its developer is not scaling", 0.3),
    _p("misalignment_risk_factor", "x", 0.0, 10.0, "misalignment propensity to share of danger that is misalignment-driven", 2.0),
    _p("untrusted_deferral_protection", "share", 0.0, 1.0, "share of protection kept after deferring to an untrustworthy TEDAI", 0.5),
    _p("trusted_deferral_residual", "share", 0.0, 1.0, "share of unprotected risk left after deferring to a trustworthy TEDAI", 0.05),
    _p("will_human_takeover_cut", "share", 0.0, 1.0, "largest cut in human-takeover danger from full political will (oversight)", 0.7),
    _p("defense_human_takeover_cut", "share", 0.0, 1.0, "largest cut in human-takeover danger from full world hardening", 0.5),
    _p("max_monthly_hazard", "probability", 0.0, 1.0, "largest monthly catastrophe hazard one source and actor can pose", 0.5),
    _p("paused_hazard_factor", "share", 0.0, 1.0, "hazard of a paused actor's models relative to running them", 0.5),
    _p("defense_scale", "x difficulty", 0.01, 100.0, "world-hardening stock (in units of safety difficulty) that covers 63% of rogue-AI risk", 2.0),
    _p("handoff_defense_boost", "x difficulty", 0.0, 100.0, "world hardening a trustworthy post-hand-off AI adds per month", 1.0),
    # governance
    _p("demo_strength", "x", 0.0, 20.0, "extra advocacy effect of smoking-gun demonstrations from a fully misaligned, well-evaluated frontier model", 2.0),
    _p("advocacy_will_rate", "per month", 0.0, 1.0, "political will moved per month by Magma's public pause advocacy at full credibility", 0.004),
    _p("incident_will_share", "share", 0.0, 1.0, "share of the gap from political will to awareness a public incident (warning shot) closes at once", "uniform(0.2, 0.6)"),
    _p("max_credibility", "x", 1.0, 10.0, "cap on advocacy credibility", 2.0),
    _p("danger_salience", "0-1", 0.0, 1.0, "awareness an evidently superdangerous frontier sustains (it fades to no less than this times evident danger)", "uniform(0.3, 0.9)"),
    _p("advocacy_reach", "per month", 0.0, 1.0, "share of the awareness gap a frontier developer's full, credible advocacy closes in a month", "0.005 to 0.03"),
    _p("advocacy_staff_scale", "team-years/month", 0.0001, 10.0, "governance and communication effort that uses 63% of a developer's advocacy reach", "0.01 to 0.1"),
    _p("public_standing", "0-1", 0.0, 1.0, "share of its voice a developer keeps with government and the public once far from the frontier", "uniform(0.3, 0.7)"),
    _p("slowdown_memory", "share", 0.0, 0.99, "weight on the past in the moving average of Magma's velocity", 0.8),
    _p("slowed_velocity", "0-1", 0.0, 1.0, "average velocity below which an overtaken Magma counts as having slowed down", 0.7),
    _p("intel_speedup_noise", "sd", 0.0, 5.0, "log-noise of Magma's estimate of the leading rival's AI R&D speed-up", 0.2),
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
