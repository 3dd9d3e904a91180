"""One pure monthly step of the world model for all sampled worlds at once (equations in docs/model.md).

`step` is a composition of the named mechanisms in `crunchtime.model.mechanisms`, in three stages:
the race (who scales how fast, theft, diffusion), safety (research, security, defense, pause), and
consequences (hazards, catastrophe, governance, deference, milestones, outcomes).
"""

from __future__ import annotations

import functools

import numpy as np

from crunchtime.model.knobs import PORTFOLIO_KNOBS
from crunchtime.model.mechanisms import capability as cap
from crunchtime.model.mechanisms import competition, deference, governance, hazards, outcomes, pause, research, security
from crunchtime.model.mechanisms.capability import danger_of, speedup_of, tedai_capability
from crunchtime.model.mechanisms.common import col, coverage, row_prod, row_sum
from crunchtime.model.state import AREA, MS, State

NOISE_SHAPES = {  # per month: name -> trailing shape (None means per actor); the order is the draw order
    "u_catastrophe": (),
    "u_attribution": (),
    "u_theft": None,
    "u_incident": (),
    "u_detect": (),
    "z_eval_danger": (),
    "z_eval_misalignment": (),
    "z_intel": (),
    "z_rival": (),
    "u_plan": (),
    "u_pause_breakdown": (),
}


def derive(world: dict[str, np.ndarray], actors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Flatten sampled beliefs into one parameter dict, adding derived per-sample constants."""
    p = dict(world)
    p.update({f"a_{k}": v for k, v in actors.items()})
    p["g_s0"] = np.log2(world["algorithmic_progress"]) / 12.0
    p["g_c"] = np.log2(actors["compute_growth"]) / 12.0
    p["g_eff0"] = p["g_s0"] + p["g_c"][:, 0]  # Magma's baseline doublings of effective compute per month
    p["k_init"] = -actors["lag_months"] * p["g_eff0"][:, None]
    p["v0"] = np.minimum(world["initial_speedup"], 2.9)
    p["k_tedai"] = tedai_capability(p["v0"], world["doublings_to_3x"], world["tedai_speedup"])
    p["k_dangerous"] = world["doublings_to_3x"] + world["dangerous_offset"]
    p["k_superdangerous"] = np.maximum(p["k_tedai"] + world["superdangerous_offset"], p["k_dangerous"] + 1.0)
    p["ceiling_doublings"] = world["ceiling_ooms"] * np.log2(10.0)
    return p


def month_view(
    state: State, p: dict[str, np.ndarray], speed: np.ndarray | None = None, danger: np.ndarray | None = None
) -> dict:
    """What the start of the month implies, computed once for `observe` and `step`.

    speed: AI R&D speed-up per actor (n, A); danger: flat-out extreme-risk probability per actor (n, A);
    levels: alignment, control and evaluation coverage per actor; seen: Magma's alignment and control
    coverage as its evaluations see them (sabotaged work that looks done included); readiness: coverage of Magma's
    preparation stocks by area (n, areas); pace: the frontier's doublings a calendar month at the leader's pace. `speed` and `danger` at `state.k` may be given when known:
    the previous `step` computed both at the capability it ended on (its record's `speedup` and
    `danger_by_actor`).
    """
    stocks = {a: getattr(state, a) for a in research.RESEARCH_AREAS}
    levels = research.safety_levels(p, state.k, stocks)
    speed = speedup_of(p, state.k) if speed is None else speed
    return {
        "speed": speed,
        "pace": competition.leader_pace(p, speed),  # the frontier's doublings a calendar month (n, 1)
        "danger": danger_of(p, state.k) if danger is None else danger,
        "levels": levels,
        "seen": research.seen_levels(
            p,
            state.k,
            stocks,
            levels["evaluation"][:, 0],
            state.hollow_alignment,
            state.hollow_control,
            state.helpers_caught,
        ),
        "readiness": coverage(state.prep, col(p, "preparation_scale")),
    }


def magma_knobs(state: State, knobs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Magma's effective knobs: self-destruction (irreversible) and deference override the plan."""
    sd = np.maximum(state.self_destructed, knobs["self_destruct"])
    weights = np.stack([knobs[w] for w in PORTFOLIO_KNOBS], axis=1)
    velocity = np.where(state.deferred > 0, 1.0, np.where(sd > 0, 0.0, knobs["velocity"]))
    return {
        **knobs,
        "self_destruct": sd,
        "velocity": velocity,
        "safety_share": np.where(sd > 0, 1.0, knobs["safety_share"]),
        "weights": weights / np.maximum(row_sum(weights)[:, None], 1e-12),
    }


def race(
    state: State, kn: dict[str, np.ndarray], p: dict[str, np.ndarray], noise: dict[str, np.ndarray], view: dict
) -> dict:
    """Competition, the coordinated pause, compute and capability growth, diffusion and weight theft."""
    gap, lead = competition.frontier_gaps(p, state.k, view["pace"])  # calendar months
    distance, _ = competition.frontier_gaps(p, state.k, col(p, "g_eff0"))  # months of pre-automation progress
    conduct = competition.rival_conduct(p, competition.race_pressure(p, gap, lead), state.will)
    rivals = competition.steered_conduct(conduct, kn)  # rivals run by players of the race env, if any
    is_magma = np.arange(state.k.shape[1]) == 0
    joins = (kn["join_pause"] > 0.5) | (kn["self_destruct"] > 0)
    holds, pausing = pause.coordinated_pause(
        p,
        state.will,
        view["readiness"][:, AREA["governance"]],
        gap,
        joins,
        state.pause_active,
        (state.alive > 0) & (state.deferred == 0),
        noise["u_pause_breakdown"],
    )
    velocities = np.where(is_magma, kn["velocity"][:, None], rivals["velocity"])
    safeties = np.where(is_magma, kn["safety_share"][:, None], rivals["safety_share"])
    effort = velocities * (1.0 - safeties) * (1 - pausing)
    g_c = cap.compute_growth(p, distance, np.where(is_magma, kn["deploy"][:, None], 1.0))
    k, s = cap.capability_growth(p, state.k, state.s, view["speed"], state.month, effort, g_c)
    k = cap.diffusion(p, k, state.sl, kn["seek_merger"])
    k, s, stolen, robbed = security.steal_weights(p, k, s, state.stolen, state.sl, noise["u_theft"], state.alive)
    return {
        "gap": gap,
        "distance": distance,
        "rivals": rivals,
        "holds": holds,
        "pausing": pausing,
        "effort": effort,
        "k": k,
        "s": s,
        "compute": state.compute + g_c,
        "stolen": stolen,
        "robbed": robbed,
        "corner_cutting": np.where(is_magma, 0.0, rivals["corner_cutting"]),
        "realised_velocity": kn["velocity"] * (1 - pausing[:, 0]),
    }


def safety(
    state: State, kn: dict[str, np.ndarray], p: dict[str, np.ndarray], r: dict, view: dict, noise: dict[str, np.ndarray]
) -> dict:
    """Magma's and rivals' safety research, exports, security levels and world hardening."""
    levels = view["levels"]
    staff = research.staff(p, r["compute"], state.month)
    freed = (1.0 - r["realised_velocity"]) * (1.0 - kn["safety_share"]) * p["redeploy_efficiency"]
    team_years = staff[:, 0] * (kn["safety_share"] + freed)
    speed = speedup_of(p, r["k"])
    relevance = research.relevance(p, r["k"])
    trusted = (state.deferred > 0) & (state.trustworthy > 0)
    mg = research.magma_research(
        p,
        team_years,
        kn["weights"],
        kn["prep_share"],
        view["readiness"],
        speed[:, 0],
        trusted,
        levels,
        relevance[:, 0],
        research.helpers_uniform(p, noise["u_trust"], noise["u_helpers"]),
    )
    # u_detect is read by deference only in worlds that have handed off (state.deferred > 0), so before a
    # hand-off it is free for the monitoring that catches sabotaging helpers (a disjoint use of one draw)
    watching = (state.deferred == 0) & (state.alive > 0) & (state.helpers_caught == 0)
    caught = research.sabotage_caught(p, mg["attempted"], mg["oversight"], noise["u_detect"], watching)
    influence = competition.influence(p, r["distance"][:, 0], state.safe_obsolete)
    export = research.export_strength(p, kn["share_research"], kn["weights"][:, AREA["distribution"]], influence)
    rival_out = research.rival_research(p, staff, r["rivals"]["safety_share"], speed, relevance)
    stocks = research.research_stocks(
        p, {a: getattr(state, a) for a in research.RESEARCH_AREAS}, mg["output"], rival_out, export
    )
    invest = p["security_rate"] * (mg["output"][:, AREA["security"]] + mg["prep_gain"][:, AREA["security"]])
    sl, pipeline = security.security_levels(
        p, state.sl, state.sec_pipeline, invest, view["readiness"][:, AREA["security"]], state.will
    )
    sl = security.adopted_security(p, sl, export)
    defense = (
        state.defense
        + mg["output"][:, AREA["defense"]]
        + (state.safe_obsolete > 0) * p["handoff_defense_boost"] * p["safety_difficulty"]
    )
    return {
        **mg,
        "levels": levels,
        "speed": speed,
        "seen": view["seen"],
        "caught": caught,
        "relevance": relevance,
        "stocks": stocks,
        "sl": sl,
        "pipeline": pipeline,
        "defense": defense,
        "hardening": hazards.hardening(p, state.defense),
        "prep": state.prep + mg["prep_gain"],
    }


def step(
    state: State,
    knobs: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    view: dict | None = None,
) -> tuple[State, dict[str, np.ndarray]]:
    """Advance every sampled world one month under Magma's knobs; return the new state and this month's record.

    `view` is `month_view(state, p)`; pass the one `observe` used to avoid computing it twice.
    """
    view = month_view(state, p) if view is None else view
    kn = magma_knobs(state, knobs)
    r = race(state, kn, p, noise, view)
    sf = safety(state, kn, p, r, view, noise)
    return consequences(state, kn, p, noise, r, sf)


def consequences(
    state: State, kn: dict[str, np.ndarray], p: dict[str, np.ndarray], noise: dict[str, np.ndarray], r: dict, sf: dict
) -> tuple[State, dict[str, np.ndarray]]:
    """Hazards and the catastrophe draw, then governance, deference, milestones and outcomes."""
    A = state.k.shape[1]
    d = danger_of(p, r["k"])
    prot = hazards.protection(p, sf["levels"], state.deferred, state.trustworthy)
    hz = hazards.hazards(
        p,
        hazards.exposure(p, d, r["effort"]),
        prot,
        r["corner_cutting"],
        sf["levels"],
        d,
        sf["sl"],
        r["stolen"],
        sf["sabotage"],
        state.will,
        sf["hardening"],
        r["pausing"],
    )
    superdangerous = d[:, 0] >= p["superdangerous_threshold"] * (1.0 - 1e-9)
    recovery_left, obsolete_now, fails = deference.handoff_resolution(
        p,
        state.deferred,
        state.recovery_left,
        superdangerous,
        state.safe_obsolete,
        ~np.isnan(state.milestones[:, MS["obsolescence"]]),
        state.trustworthy,
        noise["u_detect"],
    )
    cat, pick, total, mass = hazards.catastrophe_draw(
        hz, fails, state.alive, noise["u_catastrophe"], noise["u_attribution"], state.handoff_false
    )
    awareness, will, incident = public_response(state, kn, p, noise, r, sf, hz)
    alive = state.alive * (1.0 - cat)
    new = hand_off_and_outcomes(
        state, kn, p, noise, r, sf, d, superdangerous, recovery_left, obsolete_now, fails, alive
    )
    new = new.replace(
        k=r["k"],
        s=r["s"],
        compute=r["compute"],
        sl=sf["sl"],
        sec_pipeline=sf["pipeline"],
        stolen=r["stolen"],
        prep=sf["prep"],
        defense=sf["defense"],
        awareness=awareness,
        will=will,
        incidents=state.incidents + incident,
        alive=alive,
        cat_month=np.where(cat, state.month, state.cat_month),
        cat_source=np.where(cat, pick // A, state.cat_source),
        cat_actor=np.where(cat, pick % A, state.cat_actor),
        theft_event=np.maximum(state.theft_event, r["robbed"] * 1.0),
        **sf["stocks"],
        hollow_alignment=state.hollow_alignment + sf["hollow"][:, AREA["alignment"]],
        hollow_control=state.hollow_control + sf["hollow"][:, AREA["control"]],
        helpers_caught=np.maximum(state.helpers_caught, sf["caught"] * 1.0),
    )
    record = month_record(kn, sf, d, mass, total)
    return new, record


def hand_off_and_outcomes(
    state: State,
    kn: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    r: dict,
    sf: dict,
    d: np.ndarray,
    superdangerous: np.ndarray,
    recovery_left: np.ndarray,
    obsolete_now: np.ndarray,
    fails: np.ndarray,
    new_alive: np.ndarray,
) -> State:
    """Deference, trust and recovery; Figure 2 milestones; the pause counter; outcome classification."""
    t, alive = state.month, state.alive
    speed0 = sf["speed"][:, 0]
    reached_3x = np.maximum(state.reached_3x, (speed0 >= 3.0) * 1.0)
    tedai = np.maximum(state.tedai, (speed0 >= p["tedai_speedup"]) * 1.0)
    blocked = (kn["self_destruct"] > 0) | r["holds"] | (alive == 0)
    df = deference.deference(
        p,
        kn["defer_to_tedai"] > 0.5,
        tedai,
        state.deferred,
        state.trustworthy,
        recovery_left,
        blocked,
        sf["levels"]["alignment"][:, 0],
        sf["misalignment"],
        sf["levels"]["evaluation"][:, 0],
        noise["u_trust"],
        noise["u_detect"],
    )
    safe_obsolete = np.maximum(state.safe_obsolete, (obsolete_now & (df["trustworthy"] > 0)) * 1.0)
    ms = outcomes.mark_milestones(
        state.milestones,
        t,
        alive,
        {
            "3x_ai_rd": reached_3x > 0,
            "first_dangerous_ai": d[:, 0] >= p["dangerous_threshold"] * (1.0 - 1e-9),
            "tedai": tedai > 0,
            "superdangerous_ai": superdangerous,
            "deference": df["start"],
            "recovery_phase_end": (state.deferred > 0) & (recovery_left <= 0),
            "obsolescence": obsolete_now & ~fails,
            "end_of_acute_risk": (safe_obsolete > 0) & (sf["hardening"] >= 0.9),
        },
    )
    months_in_pause = np.where(r["holds"], state.months_in_pause + 1, 0.0)
    velocity_ewm = outcomes.slowed_down(p, state.velocity_ewm, kn["velocity"], r["pausing"][:, 0])
    cls = classifications(
        state, kn, p, r, obsolete_now & ~fails, months_in_pause, velocity_ewm, safe_obsolete > 0, df["start"], new_alive
    )
    return state.replace(
        month=t + 1,
        velocity_ewm=velocity_ewm,
        pause_active=r["holds"] * 1.0,
        months_in_pause=months_in_pause,
        reached_3x=reached_3x,
        tedai=tedai,
        deferred=df["deferred"],
        trustworthy=df["trustworthy"],
        recovery_left=df["recovery_left"],
        self_destructed=kn["self_destruct"],
        safe_obsolete=safe_obsolete,
        milestones=ms,
        **cls,
        unsafe_handoff=np.maximum(state.unsafe_handoff, (df["start"] & (df["trustworthy"] == 0)) * 1.0),
        handoff_false=np.where(
            df["start"],
            deference.false_confidence(sf["levels"]["alignment"][:, 0], sf["seen"]["alignment"]),
            state.handoff_false,
        ),
    )


def public_response(
    state: State,
    kn: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    r: dict,
    sf: dict,
    hz: dict[str, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Awareness, political will and whether an incident (a warning shot) happened this month: incidents from the
    month's AI hazards, Magma's advocacy through its voice and credibility, demonstrations, evident danger."""
    survival = [row_prod(1.0 - h) for k, h in hz.items() if k != "human_takeover"]
    ai_hazard = 1.0 - functools.reduce(np.multiply, survival)  # np.prod(axis=0)'s left fold, on any array type
    incident = noise["u_incident"] < np.minimum(1.0, p["incident_ratio"] * ai_hazard)
    # helpers caught sabotaging are a smoking gun: Magma "can sound the alarm if models are egregiously
    # misaligned" (category #3), a public warning shot in the month it catches them
    incident = incident | sf["caught"]
    cred = governance.credibility(p, r["realised_velocity"], kn["self_destruct"])
    heard = governance.voice(p, competition.influence(p, r["distance"][:, 0], state.safe_obsolete))
    demo = governance.demonstration(p, sf["misalignment"], sf["levels"]["evaluation"][:, 0], sf["relevance"][:, 0])
    awareness, will = governance.public_opinion(
        p,
        state.awareness,
        state.will,
        sf["area_effort"][:, AREA["governance"]],
        cred,
        demo,
        incident,
        kn["advocate_pause"],
        governance.evident_danger(p, r["k"]),
        heard,
    )
    return awareness, will, incident


def classifications(
    state: State,
    kn: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    r: dict,
    obsolete: np.ndarray,
    months_in_pause: np.ndarray,
    velocity_ewm: np.ndarray,
    safe_obsolete: np.ndarray,
    deference_starts: np.ndarray,
    new_alive: np.ndarray,
) -> dict[str, np.ndarray]:
    """The month's three classifications (docs/model.md 2.12 and "Two classifications"): the legacy outcome, the
    world's outcome and Magma's path, each with the month it was decided."""
    t = state.month
    outcome, outcome_month = outcomes.classify(
        p,
        state.outcome,
        state.outcome_month,
        t,
        obsolete,
        months_in_pause,
        r["distance"][:, 0],
        kn["self_destruct"],
        velocity_ewm,
        new_alive,
    )
    world, world_month = outcomes.classify_world(
        p, state.world, state.world_month, t, safe_obsolete, months_in_pause, new_alive
    )
    path, path_month = outcomes.classify_path(
        p,
        state.path,
        state.path_month,
        t,
        kn["self_destruct"],
        deference_starts,
        months_in_pause,
        r["distance"][:, 0],
        new_alive,
        r["pausing"][:, 0],
    )
    return {
        "outcome": outcome,
        "outcome_month": outcome_month,
        "world": world,
        "world_month": world_month,
        "path": path,
        "path_month": path_month,
    }


def month_record(
    kn: dict[str, np.ndarray], sf: dict, d: np.ndarray, mass: np.ndarray, total: np.ndarray
) -> dict[str, np.ndarray]:
    """What a month reports besides the state: risk mass and hazard, danger, Magma's efforts, research, speed-ups."""
    return {
        "risk_mass": mass,
        "hazard_total": total,
        "danger": d[:, 0],
        "danger_by_actor": d,
        "effort_velocity": kn["velocity"],
        "effort_safety_share": kn["safety_share"],
        "safety_prep_effort": row_sum(sf["prep_gain"]),
        "safety_mitigation_effort": row_sum(sf["area_effort"]) - row_sum(sf["prep_gain"]),
        "effective_safety_research": row_sum(sf["output"][:, [AREA[a] for a in research.RESEARCH_AREAS]]),
        "ai_safety_multiplier": sf["ai_mult"],
        "hardening": sf["hardening"],
        "speedup": sf["speed"],
    }
