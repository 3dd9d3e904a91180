"""Each built-in plan does what its name (and, for `clymer`, the essay) says, on synthetic observables."""

import numpy as np
import pytest

from crunchtime.model.knobs import KNOB_NAMES
from crunchtime.model.plans import builtin_plan_names, example_observables, list_builtin_plans, load_plan

N = 64
EXPECTED = {
    "clymer",
    "stop-now",
    "build-faster",
    "idyllic-governance",
    "race-sometimes-pause-sometimes",
    "rsp",
    "spend-the-lead",
}


def obs(rng_seed=0, **over):
    return example_observables(N, np.random.default_rng(rng_seed), **over)


def decide(name, **over):
    return load_plan(name).decide(obs(**over))


def test_the_builtin_set():
    assert set(builtin_plan_names()) == EXPECTED
    listed = dict(list_builtin_plans())
    assert set(listed) == EXPECTED and all(d and "\n" not in d for d in listed.values())
    for name in EXPECTED:
        p = load_plan(name)
        assert p.name == name and p.source == f"builtin:{name}" and p.source_text.lstrip().startswith("#")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_plan_sets_every_knob_in_range_in_every_situation(name):
    rng = np.random.default_rng(5)
    flags = {
        f: rng.integers(0, 2, N).astype(float)
        for f in ("reached_3x", "pause_active", "tedai_reached", "self_destructed", "deferred")
    }
    o = obs(
        political_will=rng.random(N),
        coordination_support=rng.random(N),
        months_behind_leader=rng.random(N) * 12,
        months_since_3x=rng.random(N) * 24,
        eval_danger_signal=rng.random(N) * 0.1,
        incidents=rng.integers(0, 3, N),
        control_progress=rng.random(N),
        alignment_progress=rng.random(N),
        security_level=1 + 4 * rng.random(N),
        eval_misalignment_signal=rng.random(N),
        **flags,
    )
    out = load_plan(name).decide(o)
    assert list(out) == list(KNOB_NAMES)
    assert all(a.shape == (N,) and a.dtype == np.float64 and np.isfinite(a).all() for a in out.values())


# ---------------------------------------------------------------- clymer: heuristics 1-3 before 3x


def test_clymer_before_3x_scales_aggressively_with_at_most_a_5_percent_velocity_hit():
    out = decide(
        "clymer", reached_3x=0, ai_rd_speedup=np.linspace(1, 2.9, N), months_behind_leader=np.linspace(0, 12, N)
    )
    assert (out["velocity"] >= 0.95).all() and (out["safety_share"] <= 0.05).all()
    assert (out["velocity"] * (1 - out["safety_share"]) >= 0.95 - 1e-12).all()  # heuristic 1
    assert (out["prep_share"] > 0.5).all()  # heuristic 2
    assert (out["self_destruct"] == 0).all() and (out["defer_to_tedai"] == 0).all()


def test_clymer_portfolio_ranks_p0_p1_p2_and_gives_them_most_effort():
    out = decide("clymer", reached_3x=0)
    w = {k: out[k][0] for k in KNOB_NAMES if k.startswith("w_")}
    p0, p1, p2 = w["w_governance"], min(w["w_control"], w["w_evaluation"]), w["w_security"]
    rest = [w["w_alignment"], w["w_distribution"], w["w_defense"]]
    assert p0 > p1 > p2 > max(rest) > 0  # heuristic 3's order
    top = p0 + w["w_control"] + w["w_evaluation"] + p2
    assert top / sum(w.values()) > 0.5  # "most preparation effort"
    assert w["w_defense"] == min(w.values())  # defense benefits least


# ---------------------------------------------------------------- clymer: Appendix A after 3x


def test_clymer_after_3x_pauses_when_a_coordinated_pause_is_plausible():
    out = decide(
        "clymer",
        reached_3x=1,
        months_since_3x=3,
        political_will=0.8,
        coordination_support=1.0,
        months_behind_leader=np.linspace(0, 12, N),
    )  # even when lagging: heuristic #1 comes first
    assert (out["velocity"] == 0).all() and (out["advocate_pause"] == 1).all() and (out["join_pause"] == 1).all()
    assert (out["self_destruct"] == 0).all()


def test_clymer_after_3x_without_plausible_pause_automates_when_in_the_pack():
    out = decide(
        "clymer",
        reached_3x=1,
        months_since_3x=np.arange(N, dtype=float),
        political_will=0.3,
        coordination_support=0.5,
        months_behind_leader=1.0,
        alignment_progress=0.9,
        control_progress=0.9,
    )
    assert (out["velocity"] == 1).all() and (out["defer_to_tedai"] == 1).all() and (out["self_destruct"] == 0).all()
    # section 2.1: no hand-off until alignment and control evaluations clear the bar; scaling goes on
    unsure = decide("clymer", reached_3x=1, months_behind_leader=1.0, alignment_progress=0.9, control_progress=0.5)
    assert (unsure["defer_to_tedai"] == 0).all() and (unsure["velocity"] == 1).all()
    # Figure 6: mitigation grows, preparation's share falls (monotonically, within bounds)
    assert out["safety_share"][0] > 0.05 and np.all(np.diff(out["safety_share"]) >= 0)
    assert np.all(np.diff(out["prep_share"]) <= 0) and out["prep_share"][-1] < out["prep_share"][0]


def test_clymer_after_3x_self_destructs_when_lagging():
    out = decide(
        "clymer",
        reached_3x=1,
        months_since_3x=2,
        political_will=0.3,
        coordination_support=0.5,
        months_behind_leader=8.0,
    )
    assert (out["self_destruct"] == 1).all() and (out["velocity"] == 0).all()
    assert (out["safety_share"] >= 0.9).all() and (out["advocate_pause"] == 1).all()
    assert (out["w_governance"] == 1).all()


def test_clymer_lagging_threshold_splits_the_pack_from_the_laggards():
    behind = np.linspace(0, 10, N)
    out = decide(
        "clymer",
        reached_3x=1,
        political_will=0.1,
        months_behind_leader=behind,
        alignment_progress=0.9,
        control_progress=0.9,
    )
    lag = load_plan("clymer").params["lagging_months"]
    assert lag == 6  # Appendix A: "If Magma is still six months behind"
    np.testing.assert_array_equal(out["self_destruct"], (behind >= lag).astype(float))
    np.testing.assert_array_equal(out["defer_to_tedai"], (behind < lag).astype(float))


def test_spend_the_lead_slows_only_while_ahead_by_more_than_its_margin():
    lead = np.linspace(-5, 15, N)
    out = decide("spend-the-lead", reached_3x=1, lead_months=lead, months_behind_leader=np.maximum(-lead, 0.0))
    p = load_plan("spend-the-lead").params
    ahead = lead > p["keep_lead"]
    assert (out["velocity"][ahead] == p["lead_velocity"]).all() and (
        out["safety_share"][ahead] == p["lead_safety"]
    ).all()
    base = decide("clymer", reached_3x=1, lead_months=lead, months_behind_leader=np.maximum(-lead, 0.0))
    np.testing.assert_array_equal(out["velocity"][~ahead], base["velocity"][~ahead])
    assert ahead.any() and (~ahead).any()


def test_clymer_stays_self_destructed_and_joins_any_pause():
    out = decide("clymer", reached_3x=1, self_destructed=1, months_behind_leader=0.0)
    assert (out["self_destruct"] == 1).all() and (out["velocity"] == 0).all()
    out = decide("clymer", reached_3x=0, pause_active=1)
    assert (out["velocity"] == 0).all() and (out["join_pause"] == 1).all()


def test_clymer_pause_needs_both_will_and_support():
    out = decide("clymer", reached_3x=1, political_will=0.9, coordination_support=0.5, months_behind_leader=0.0)
    assert (out["velocity"] == 1).all()
    out = decide("clymer", reached_3x=1, political_will=0.3, coordination_support=1.0, months_behind_leader=0.0)
    assert (out["velocity"] == 1).all()


# ---------------------------------------------------------------- the introduction's other plans


def test_stop_now_stops_everywhere_from_the_first_month():
    for o in (obs(), obs(reached_3x=1, months_behind_leader=0.0, political_will=0.0), obs(pause_active=1)):
        out = load_plan("stop-now").decide(o)
        assert (out["velocity"] == 0).all() and (out["safety_share"] == 1).all()
        assert (out["advocate_pause"] == 1).all() and (out["w_governance"] == 1).all()


def test_build_faster_races_without_pauses_and_defers_at_tedai():
    out = decide(
        "build-faster",
        reached_3x=1,
        eval_danger_signal=0.5,
        political_will=1,
        coordination_support=1,
        tedai_reached=1,
        incidents=5,
    )
    assert (out["velocity"] == 1).all() and (out["safety_share"] <= 0.01).all()
    assert (out["advocate_pause"] == 0).all() and (out["join_pause"] == 0).all()
    assert (out["defer_to_tedai"] == 1).all() and (out["w_governance"] == 0).all()


def test_idyllic_governance_coordinates_always():
    calm = decide("idyllic-governance")
    assert (0.3 < calm["velocity"]).all() and (calm["velocity"] < 1).all()
    assert (calm["advocate_pause"] == 1).all() and (calm["join_pause"] == 1).all()
    assert (calm["share_research"] == 1).all() and (calm["w_governance"] == 1).all()
    assert (decide("idyllic-governance", pause_active=1)["velocity"] == 0).all()
    assert (decide("idyllic-governance", eval_danger_signal=0.01)["velocity"] < calm["velocity"]).all()


def test_race_sometimes_pause_sometimes_is_random_and_incoherent():
    p = load_plan("race-sometimes-pause-sometimes")
    assert {"random", "trajectory_random"} <= p.observables
    scared = {"eval_danger_signal": 0.01, "months_behind_leader": 0.0}
    a, b = p.decide(obs(1, **scared)), p.decide(obs(2, **scared))
    v = a["velocity"]
    assert (v == 0).any() and (v > 0.5).any()  # pauses sometimes, races sometimes
    assert not np.array_equal(a["w_security"], b["w_security"])  # the portfolio jumps month to month
    panic = p.params["panic_chance"]
    o = obs(3, **scared)
    np.testing.assert_array_equal(p.decide(o)["velocity"] == 0, o["random"] < panic)
    # same draws, same decisions: randomness only through the observables
    assert all(np.array_equal(p.decide(o)[k], p.decide(o)[k]) for k in KNOB_NAMES)


def test_rsp_pauses_until_safeguards_then_resumes():
    p = load_plan("rsp")
    ctrl = np.linspace(0, 1, N)
    out = p.decide(
        obs(
            eval_danger_signal=0.01,
            control_progress=ctrl,
            security_level=3.0,
            alignment_progress=0.0,
            eval_misalignment_signal=0.0,
        )
    )
    np.testing.assert_array_equal(out["velocity"], np.where(ctrl < p.params["tier1_control"], 0.0, 1.0))
    out = p.decide(obs(eval_danger_signal=0.01, control_progress=1.0, security_level=2.0))
    assert (out["velocity"] == 0).all()  # SL3 missing
    out = p.decide(obs(eval_danger_signal=0.001, control_progress=0.0, security_level=1.0))
    assert (out["velocity"] == 1).all()  # below the danger threshold: scale
    out = p.decide(obs(eval_danger_signal=0.2, control_progress=0.9, alignment_progress=0.9, security_level=5.0))
    assert (out["velocity"] == 1).all()  # tier 2 safeguards met: resume
    out = p.decide(obs(eval_danger_signal=0.2, control_progress=0.9, alignment_progress=0.9, security_level=4.0))
    assert (out["velocity"] == 0).all()
