"""One pure monthly step of the world model for all sampled worlds at once (equations in docs/model.md)."""

from __future__ import annotations

import numpy as np

from crunchtime.model.capability import ai_rd_speedup, danger, software_growth, tedai_capability
from crunchtime.model.knobs import PORTFOLIO_KNOBS
from crunchtime.model.state import AREA, MS, OUT, SOURCES, State

NOISE_SHAPES = {  # per month: name -> trailing shape (None means per actor); the order is the draw order
    "u_catastrophe": (), "u_attribution": (), "u_theft": None, "u_incident": (), "u_detect": (),
    "z_eval_danger": (), "z_eval_misalignment": (), "z_intel": (), "z_rival": (), "u_plan": (),
}
MAX_SAFETY_SPEEDUP = 1000.0  # humans in the loop bound how fast AI can speed up safety work
SAFETY_SCALE = 0.5  # team-years of research per unit of need at difficulty 1 (sets the scale of `safety_difficulty`)
UNPREPARED_READINESS = 0.3  # share of the AI speed-up a developer without preparation turns into safety research


def derive(world: dict[str, np.ndarray], actors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Flatten sampled beliefs into one parameter dict, adding derived per-sample constants."""
    p = dict(world)
    p.update({f"a_{k}": v for k, v in actors.items()})
    p["g_s0"] = np.log2(world["algorithmic_progress"]) / 12.0
    p["g_c"] = np.log2(actors["compute_growth"]) / 12.0
    p["g_eff0"] = p["g_s0"] + p["g_c"][:, 0]  # Magma's baseline doublings of effective compute per month
    p["k_init"] = -actors["lag_months"] * p["g_eff0"][:, None]
    v0 = np.minimum(world["initial_speedup"], 2.9)
    p["v0"] = v0
    p["k_tedai"] = tedai_capability(v0, world["doublings_to_3x"], world["tedai_speedup"])
    p["k_dangerous"] = world["doublings_to_3x"] + world["dangerous_offset"]
    p["k_superdangerous"] = np.maximum(p["k_tedai"] + world["superdangerous_offset"], p["k_dangerous"] + 1.0)
    p["ceiling_doublings"] = world["ceiling_ooms"] * np.log2(10.0)
    return p


def speedup_of(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """AI R&D speed-up of each actor at capability k (n, A)."""
    col = lambda name: p[name][:, None]  # noqa: E731
    return ai_rd_speedup(k, col("v0"), col("doublings_to_3x"), col("tedai_speedup"), col("parallel_lambda"),
                         col("k_tedai"))


def danger_of(p: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    return danger(k, p["k_dangerous"][:, None], p["k_superdangerous"][:, None], p["dangerous_threshold"][:, None],
                  p["superdangerous_threshold"][:, None])


def theft_hazard(p: dict[str, np.ndarray], k: np.ndarray, sl: np.ndarray) -> np.ndarray:
    """Monthly chance each actor's weights are stolen: SL1 rate / factor^(SL-1), times how prized they are."""
    attract = np.clip(np.log(speedup_of(p, k)) / np.log(p["tedai_speedup"][:, None]), 0.0, 1.0)
    return (p["theft_rate_sl1"][:, None] * p["security_factor"][:, None] ** (-(sl - 1.0)) * attract
            * (1.0 - p["a_open_weights"]))


def pause_threshold(state: State, p: dict[str, np.ndarray]) -> np.ndarray:
    """Political will a pause needs; Magma's governance preparation (agreed triggers) lowers it by up to 30%."""
    return p["pause_threshold"] * (1.0 - 0.3 * _coverage(state.prep[:, AREA["governance"]], p["preparation_scale"]))


def willing_to_pause(will: np.ndarray, threshold: np.ndarray, willingness: np.ndarray) -> np.ndarray:
    """Actors join a pause once will exceeds the threshold plus a margin that shrinks with their willingness.

    Willingness 1 joins at the threshold; willingness 0 joins only halfway from the threshold to full will.
    """
    thr = threshold[:, None]
    return will[:, None] > thr + 0.5 * (1.0 - willingness) * (1.0 - thr)


def _coverage(stock: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Share of a risk a research stock covers: 1 - exp(-stock / need)."""
    return 1.0 - np.exp(-np.maximum(stock, 0.0) / need)


def safety_levels(state: State, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Achieved alignment, control and evaluation coverage per actor (n, A), including Magma's exports."""
    beyond = np.maximum(state.k - p["k_tedai"][:, None], 0.0)
    need = SAFETY_SCALE * p["safety_difficulty"][:, None]
    decay = p["control_decay"][:, None]
    ev = _coverage(state.evaluation, need)
    al = _coverage(state.alignment, need * np.exp2(decay * beyond))
    ct = _coverage(state.control, need * np.exp2(2.0 * decay * beyond)) * (0.5 + 0.5 * ev)
    return {"alignment": al, "control": ct, "evaluation": ev}


def step(state: State, knobs: dict[str, np.ndarray], p: dict[str, np.ndarray], noise: dict[str, np.ndarray]) -> tuple[State, dict[str, np.ndarray]]:
    """Advance every sampled world one month under Magma's knobs; return the new state and this month's record."""
    n, A = state.k.shape
    t = state.month
    alive = state.alive
    magma = np.zeros(A, dtype=bool)
    magma[0] = True

    # --- Magma's effective knobs: latched actions override the plan -------------------------------
    self_destruct = np.maximum(state.self_destructed, knobs["self_destruct"])
    deferred = state.deferred
    velocity = np.where(self_destruct > 0, 0.0, knobs["velocity"])
    velocity = np.where(deferred > 0, 1.0, velocity)
    safety_share = np.where(self_destruct > 0, 1.0, knobs["safety_share"])
    prep_share = knobs["prep_share"]
    weights = np.stack([knobs[w] for w in PORTFOLIO_KNOBS], axis=1)
    weights = weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    share_research = knobs["share_research"]

    # --- who leads, rivals' behaviour -----------------------------------------------------------------
    g_month = p["g_eff0"][:, None]
    k_lead = state.k.max(axis=1, keepdims=True)
    gap_months = (k_lead - state.k) / g_month                      # months behind the leader (0 for leader)
    second = np.sort(state.k, axis=1)[:, -2:-1]
    lead_months = (k_lead - second) / g_month                      # leader's lead over the runner-up
    is_leader = gap_months <= 1e-9
    pressure = np.where(is_leader, np.clip(1.0 - lead_months / 6.0, 0.0, 1.0),
                        gap_months / (gap_months + 3.0))
    culture = p["a_safety_culture"]
    rival_velocity = np.clip(p["a_base_velocity"] + p["a_aggression"] * pressure * 0.5
                             - 0.5 * culture * state.will[:, None], 0.0, 1.0)
    calm_safety = culture * (0.05 + 0.25 * state.will[:, None])
    rival_safety = calm_safety * (1.0 - 0.7 * p["a_aggression"] * pressure)
    competition_frac = np.clip(1.0 - rival_safety / np.maximum(calm_safety, 1e-12), 0.0, 1.0)

    # coordinated pause: every frontier actor must be willing; Magma through its knob
    threshold = pause_threshold(state, p)
    hold = np.where(state.pause_active > 0, 0.9, 1.0)  # hysteresis: a pause in force survives small dips
    rival_willing = willing_to_pause(state.will, threshold * hold, p["a_coordination_willingness"])
    willing = np.where(magma[None, :], (knobs["join_pause"] > 0.5)[:, None] | (self_destruct > 0)[:, None],
                       rival_willing)
    frontier = gap_months <= p["frontier_window_months"][:, None]
    pause_ok = np.all(willing | ~frontier, axis=1) & (state.will >= threshold * hold) & (alive > 0)
    pause_ok &= deferred == 0
    pausing = pause_ok[:, None] & willing
    months_in_pause = np.where(pause_ok, state.months_in_pause + 1, 0.0)

    # --- efforts ---------------------------------------------------------------------------------------
    velocities = np.where(magma[None, :], velocity[:, None], rival_velocity)
    safeties = np.where(magma[None, :], safety_share[:, None], rival_safety)
    cap_effort = velocities * (1.0 - safeties) * (1 - pausing)
    realised_velocity = velocity * (1 - pausing[:, 0])  # a pause stops Magma's scaling and frees its resources
    magma_safety = safety_share + (1.0 - realised_velocity) * (1.0 - safety_share) * p["redeploy_efficiency"]
    team_years = p["team_years_per_month"] * magma_safety          # Magma's safety effort this month

    # --- capabilities (goal 3: deployment revenue buys compute) ------------------------------------------
    deploy = np.where(magma[None, :], knobs["deploy"][:, None], 1.0)
    g_c = p["g_c"] * (1.0 - p["revenue_compute_share"][:, None] * (1.0 - deploy))
    compute = state.compute + g_c
    speed = speedup_of(p, state.k)
    ds = software_growth(speed, cap_effort, state.s, p["g_s0"][:, None] * t, p["g_s0"][:, None],
                         p["returns_r"][:, None], p["parallel_lambda"][:, None], p["ceiling_doublings"][:, None])
    ds = np.minimum(ds, np.maximum(p["ceiling_doublings"][:, None] - state.s, 0.0))
    dk = ds + g_c * cap_effort
    k = state.k + dk
    s = state.s + ds

    # diffusion toward the leader (slowed by the leader's security) and merger/access deals
    leader = np.argmax(k, axis=1)
    k_lead = k.max(axis=1, keepdims=True)
    sl_lead = np.take_along_axis(state.sl, leader[:, None], axis=1)
    diffusion = p["diffusion_rate"][:, None] * p["security_factor"][:, None] ** (-(sl_lead - 1.0) / 2.0)
    k = k + diffusion * (k_lead - k)
    merge = (knobs["seek_merger"] * p["merger_rate"] *
             np.take_along_axis(p["a_coordination_willingness"], leader[:, None], axis=1)[:, 0])
    k[:, 0] += merge * (k_lead[:, 0] - k[:, 0])

    # weight theft: each actor with weights worth stealing may lose them to the most reckless actor behind it
    p_theft = theft_hazard(p, k, state.sl)
    theft_event = state.theft_event.copy()
    stolen = state.stolen.copy()
    recklessness = 1.0 - culture
    for v in range(A):  # loop over the few actors, never over samples
        behind = k < k[:, v:v + 1] - 1e-9
        score = np.where(behind, recklessness + 1e-6 * np.arange(A), -np.inf)
        thief = np.argmax(score, axis=1)
        happens = (noise["u_theft"][:, v] < p_theft[:, v]) & np.isfinite(score.max(axis=1)) & (alive > 0)
        rows = np.nonzero(happens)[0]
        k[rows, thief[rows]] = k[rows, v]
        s[rows, thief[rows]] = s[rows, v]
        stolen[rows, thief[rows]] = 1.0
        theft_event = np.where(happens & (v == 0), 1.0, theft_event)
    speed = speedup_of(p, k)

    # --- safety research (Magma): preparation vs mitigation by area --------------------------------------
    levels = safety_levels(state, p)
    area_effort = team_years[:, None] * weights
    prep_gain = area_effort * prep_share[:, None]
    prep_cov = _coverage(state.prep, p["preparation_scale"][:, None])
    prep_mult = 1.0 + (p["preparation_multiplier"][:, None] - 1.0) * prep_cov
    prep_mult[:, AREA["defense"]] = np.sqrt(prep_mult[:, AREA["defense"]])  # defense gains least from preparation
    readiness = prep_cov[:, [AREA["control"], AREA["evaluation"], AREA["alignment"]]].mean(axis=1)
    helper_speed = np.minimum(speed[:, 0], MAX_SAFETY_SPEEDUP)
    ai_mult = 1.0 + (1.0 - p["safety_speedup_loss"]) * (helper_speed - 1.0) * readiness
    ai_mult = np.where(deferred * state.trustworthy > 0, helper_speed, ai_mult)
    misalignment = p["misalignment_propensity"][:, None] * (1.0 - levels["alignment"])
    ai_share = 1.0 - 1.0 / ai_mult
    sabotage_loss = p["sabotage_rate"] * misalignment[:, 0] * (1.0 - levels["control"][:, 0]) * ai_share
    mitigation = area_effort * (1.0 - prep_share[:, None]) * prep_mult * ai_mult[:, None]
    mitigation = mitigation * (1.0 - sabotage_loss[:, None]) + 0.25 * prep_gain  # preparation also yields some results
    prep = state.prep + prep_gain

    # rivals' own research, sped up by their AI, plus what Magma exports (safety distribution)
    rival_team_years = p["team_years_per_month"][:, None] * np.exp2(state.compute - state.compute[:, :1]) ** 0.5
    rival_ai = 1.0 + (1.0 - p["safety_speedup_loss"][:, None]) * (np.minimum(speed, MAX_SAFETY_SPEEDUP) - 1.0) \
        * UNPREPARED_READINESS
    rival_research = rival_team_years * rival_safety * rival_ai / 3.0  # split over alignment, control, evaluation
    export = (share_research * (0.3 + 0.7 * np.minimum(1.0, 7.0 * weights[:, AREA["distribution"]]))
              * p["distribution_effect"])

    def research(stock: np.ndarray, area: str) -> np.ndarray:
        own = np.where(magma[None, :], mitigation[:, AREA[area], None], rival_research)
        new = stock + own
        adopted = export[:, None] * new[:, :1]
        return np.where(magma[None, :], new, np.maximum(new, adopted))

    alignment = research(state.alignment, "alignment")
    control = research(state.control, "control")
    evaluation = research(state.evaluation, "evaluation")

    # --- security: investment matures with a lead time; SL4-5 needs forward-looking preparation ----------
    sec_invest = p["security_rate"] * (mitigation[:, AREA["security"]] + prep_gain[:, AREA["security"]])
    lead = np.maximum(p["security_lead_months"], 1.0)
    pipeline = state.sec_pipeline.copy()
    pipeline[:, 0] += sec_invest
    matured = pipeline / lead[:, None]
    pipeline = pipeline - matured
    sl_cap = np.where(magma[None, :], 3.0 + 2.0 * prep_cov[:, AREA["security"], None], 3.0 + 2.0 * state.will[:, None])
    rival_sl_gain = 0.01 * culture * (0.5 + state.will[:, None])
    sl = np.minimum(state.sl + matured + np.where(magma[None, :], 0.0, rival_sl_gain), np.maximum(sl_cap, state.sl))
    sl = np.where(p["a_open_weights"] > 0, 1.0, sl)

    # --- AI defense (world hardening) --------------------------------------------------------------------
    defense = state.defense + mitigation[:, AREA["defense"]]
    defense = np.where(state.safe_obsolete > 0, defense + 2.0 * SAFETY_SCALE * p["safety_difficulty"], defense)
    hardening = _coverage(defense, 4.0 * SAFETY_SCALE * p["safety_difficulty"])

    # --- hazards by source and actor -----------------------------------------------------------------------
    d = danger_of(p, k)
    per_month = d / p["exposure_months"][:, None] * (0.3 + 0.7 * cap_effort)  # scaling drives exposure
    protection = 1.0 - (1.0 - levels["alignment"]) * (1.0 - levels["control"])
    untrusted_deferral = (deferred > 0) & (state.trustworthy == 0)
    trusted_deferral = (deferred > 0) & (state.trustworthy > 0)
    protection[:, 0] = np.where(untrusted_deferral, 0.5 * protection[:, 0], protection[:, 0])
    protection[:, 0] = np.where(trusted_deferral, 1.0 - 0.05 * (1.0 - protection[:, 0]), protection[:, 0])
    misaligned = np.minimum(2.0 * p["misalignment_propensity"][:, None], 1.0)
    rogue = per_month * (1.0 - protection) * misaligned * (1.0 - p["defense_effect"][:, None] * hardening[:, None])
    proliferated = np.maximum(stolen, p["a_open_weights"])
    exfil = (p["exfiltration_rate"][:, None] * d * misalignment * (1.0 - levels["control"])
             * p["security_factor"][:, None] ** (-(sl - 1.0) / 2.0))
    hz = np.zeros((n, len(SOURCES), A))
    hz[:, 0] = rogue * (1.0 - proliferated) * (1.0 - competition_frac * ~magma)
    hz[:, 1] = rogue * proliferated * (1.0 + 0.5 * p["a_open_weights"]) + exfil
    hz[:, 2] = np.where(magma[None, :], per_month * sabotage_loss[:, None] * misaligned, 0.0)
    hz[:, 3] = rogue * (1.0 - proliferated) * competition_frac * ~magma
    hz[:, 4] = (p["human_takeover_share"][:, None] * per_month * (1.0 - 0.7 * state.will[:, None])
                * (1.0 - 0.5 * hardening[:, None]))
    hz = np.clip(hz, 0.0, 0.5)
    hz = np.where(pausing[:, None, :], hz * 0.5, hz)  # paused models are not scaled or widely run
    total = 1.0 - np.prod(1.0 - hz.reshape(n, -1), axis=1)

    # deference outcome at obsolescence: an untrustworthy hand-off becomes catastrophe with some probability
    recovery_left = np.maximum(state.recovery_left - deferred, 0.0)
    superdangerous = d[:, 0] >= p["superdangerous_threshold"] * (1.0 - 1e-9)
    obsolete_now = (deferred > 0) & (recovery_left <= 0) & superdangerous & (state.safe_obsolete == 0) \
        & np.isnan(state.milestones[:, MS["obsolescence"]])
    handoff_fails = obsolete_now & (state.trustworthy == 0) & (noise["u_detect"] < p["p_takeover_untrustworthy"])
    p_cat = np.where(handoff_fails, 1.0, total) * alive
    catastrophe = noise["u_catastrophe"] < p_cat
    flat = hz.reshape(n, -1)
    flat = np.where(handoff_fails[:, None], np.eye(flat.shape[1])[0], flat)  # direct, Magma
    cum = np.cumsum(flat, axis=1)
    pick = np.minimum((cum < (noise["u_attribution"] * cum[:, -1])[:, None]).sum(axis=1), flat.shape[1] - 1)
    mass = flat / np.maximum(cum[:, -1:], 1e-300) * p_cat[:, None]
    cat_source = np.where(catastrophe, pick // A, state.cat_source)
    cat_actor = np.where(catastrophe, pick % A, state.cat_actor)
    cat_month = np.where(catastrophe, t, state.cat_month)
    new_alive = alive * (1.0 - catastrophe)

    # --- governance: awareness, political will, incidents -------------------------------------------------
    ai_hazard = 1.0 - np.prod(1.0 - hz[:, :4].reshape(n, -1), axis=1)  # every source but human takeover
    incident = noise["u_incident"] < np.minimum(1.0, p["incident_ratio"] * ai_hazard)
    credibility = (1.0 - p["credibility_penalty"] * realised_velocity * (1.0 - gap_months[:, 0].clip(0, 6) / 6.0))
    credibility = np.where(self_destruct > 0, credibility * p["self_destruct_signal"], credibility)
    demo = 1.0 + 2.0 * misalignment[:, 0] * levels["evaluation"][:, 0]       # smoking-gun demonstrations
    awareness = state.awareness + (p["advocacy_effect"] * area_effort[:, AREA["governance"]] * credibility * demo
                                   * (1.0 - state.awareness))
    awareness = awareness + incident * p["incident_jump"] * (1.0 - awareness) - p["awareness_decay"] * awareness
    awareness = np.clip(awareness, 0.0, 1.0)
    advocacy = 0.01 * knobs["advocate_pause"] * np.minimum(credibility, 2.0)
    will = state.will + p["will_adjustment"] * (awareness - state.will) + advocacy * (1.0 - state.will)
    will = np.clip(will, 0.0, 1.0)

    # --- Magma's milestones, deference, outcomes -------------------------------------------------------------
    ms = state.milestones.copy()

    def mark(idx: int, cond: np.ndarray) -> None:  # milestones are dated in worlds that still exist
        ms[:, idx] = np.where(cond & (alive > 0) & np.isnan(ms[:, idx]), t, ms[:, idx])

    reached_3x = np.maximum(state.reached_3x, (speed[:, 0] >= 3.0) * 1.0)
    tedai = np.maximum(state.tedai, (speed[:, 0] >= p["tedai_speedup"]) * 1.0)
    mark(MS["3x_ai_rd"], reached_3x > 0)
    mark(MS["first_dangerous_ai"], d[:, 0] >= p["dangerous_threshold"] * (1.0 - 1e-9))
    mark(MS["tedai"], tedai > 0)
    mark(MS["superdangerous_ai"], superdangerous)

    start_defer = (knobs["defer_to_tedai"] > 0.5) & (tedai > 0) & (deferred == 0) & (self_destruct == 0) & ~pause_ok \
        & (alive > 0)
    # trust is judged at hand-off: true trustworthiness follows alignment, its detection follows evaluations
    p_trust = levels["alignment"][:, 0] * (1.0 - misalignment[:, 0])
    trustworthy = np.where(start_defer, (noise["u_trust"] < p_trust) * 1.0, state.trustworthy)  # one draw per world
    recovery_left = np.where(start_defer, p["recovery_months"], recovery_left)
    caught = (deferred > 0) & (trustworthy == 0) & (recovery_left > 0) & \
        (noise["u_detect"] < p["detection_rate"] * levels["evaluation"][:, 0])
    new_deferred = np.where(start_defer, 1.0, np.where(caught, 0.0, deferred))
    mark(MS["deference"], start_defer)
    mark(MS["recovery_phase_end"], (deferred > 0) & (recovery_left <= 0))
    unsafe_handoff = np.maximum(state.unsafe_handoff, (start_defer & (trustworthy == 0)) * 1.0)
    mark(MS["obsolescence"], obsolete_now & ~handoff_fails)
    safe_obsolete = np.maximum(state.safe_obsolete, (obsolete_now & (trustworthy > 0)) * 1.0)
    mark(MS["end_of_acute_risk"], (safe_obsolete > 0) & (hardening >= 0.9))

    velocity_ewm = 0.8 * state.velocity_ewm + 0.2 * velocity * (1.0 - pausing[:, 0])
    overtaken = gap_months[:, 0] >= p["decisive_gap_months"]
    self_destruction = overtaken & ((self_destruct > 0) | (velocity_ewm < 0.7))
    long_pause = months_in_pause >= p["pause_min_months"]
    undecided = state.outcome == OUT["unresolved"]
    code = np.select([obsolete_now & ~handoff_fails, long_pause, self_destruction],
                     [OUT["obsolescence"], OUT["coordinated_pause"], OUT["self_destruction"]], OUT["unresolved"])
    first = undecided & (code != OUT["unresolved"]) & (new_alive > 0)
    outcome = np.where(first, code, state.outcome)
    outcome_month = np.where(first, t, state.outcome_month)

    new = state.replace(
        month=t + 1, k=k, s=s, compute=compute, sl=sl, sec_pipeline=pipeline, alignment=alignment,
        control=control, evaluation=evaluation, stolen=stolen, prep=prep, defense=defense,
        velocity_ewm=velocity_ewm, awareness=awareness, will=will, incidents=state.incidents + incident,
        pause_active=pause_ok * 1.0, months_in_pause=months_in_pause, reached_3x=reached_3x,
        tedai=tedai, deferred=new_deferred, trustworthy=trustworthy, recovery_left=recovery_left,
        self_destructed=self_destruct, safe_obsolete=safe_obsolete, alive=new_alive, cat_month=cat_month,
        cat_source=cat_source, cat_actor=cat_actor, outcome=outcome, outcome_month=outcome_month,
        milestones=ms, theft_event=theft_event, unsafe_handoff=unsafe_handoff,
    )
    record = {
        "risk_mass": mass.reshape(n, len(SOURCES), A),
        "hazard_total": total,
        "danger": d[:, 0],
        "effort_velocity": velocity, "effort_safety_share": safety_share,
        "safety_prep_effort": prep_gain.sum(axis=1),
        "safety_mitigation_effort": area_effort.sum(axis=1) - prep_gain.sum(axis=1),
        "effective_safety_research": mitigation[:, [AREA["alignment"], AREA["control"], AREA["evaluation"]]].sum(axis=1),
        "ai_safety_multiplier": ai_mult,
        "hardening": hardening,
    }
    return new, record
