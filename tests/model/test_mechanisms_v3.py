"""Directions of effect of the v3 mechanisms (issue 20), each in isolation (pure functions on small arrays)."""

import numpy as np
import pytest

from crunchtime import api
from crunchtime.engine import BLOCK, chunk_inputs
from crunchtime.model.mechanisms import deference, governance, hazards, research, security
from crunchtime.model.state import AREA, AREAS, SOURCES


@pytest.fixture(scope="module")
def p():
    return chunk_inputs(api.load_scenario("default"), 0, 0, BLOCK)[0]


N, A = BLOCK, 4


def _stocks(x):
    return {a: np.full((N, A), x) for a in research.RESEARCH_AREAS}


def test_sabotaged_research_is_hollow_not_lost_and_only_in_research_areas(p):
    gross = np.ones((N, len(AREAS)))
    none = research.sabotaged_output(gross, np.zeros(N), np.ones(N))
    some = research.sabotaged_output(gross, np.full(N, 0.3), np.ones(N))
    assert (none == 0).all()
    for a in research.RESEARCH_AREAS:
        assert np.allclose(some[:, AREA[a]], 0.3)
    assert (some[:, AREA["security"]] == 0).all() and (some[:, AREA["governance"]] == 0).all()


def test_hollow_research_inflates_what_magma_sees_unless_evaluations_catch_it(p):
    k, stocks = np.zeros((N, A)), _stocks(0.2)
    true = research.safety_levels(p, k, stocks)
    clean = research.seen_levels(p, k, stocks, np.full(N, 0.2), np.zeros(N), np.zeros(N))
    fooled = research.seen_levels(p, k, stocks, np.full(N, 0.2), np.full(N, 0.5), np.full(N, 0.5))
    # perfect evaluations catch all of it only where no sabotage is stealthy (`sabotage_stealth` 0)
    caught = research.seen_levels(
        dict(p, sabotage_stealth=np.zeros(N)), k, stocks, np.ones(N), np.full(N, 0.5), np.full(N, 0.5)
    )
    assert np.allclose(clean["alignment"], true["alignment"][:, 0])
    assert (fooled["alignment"] > clean["alignment"]).all() and (fooled["control"] > clean["control"]).all()
    assert np.allclose(caught["alignment"], clean["alignment"])


def test_sabotage_rises_with_sabotage_rate_and_falls_with_control(p):
    n_areas = len(AREAS)
    unwatched = np.ones((N, n_areas))
    unwatched[:, AREA["control"]] = 0.0  # no monitoring prepared for the helpers
    args = dict(
        team_years=np.ones(N),
        weights=np.full((N, n_areas), 1.0 / n_areas),
        prep_share=np.zeros(N),
        prep_cov=unwatched,
        helper_speed=np.full(N, 10.0),
        trusted_deferral=np.zeros(N, bool),
        relevance_magma=np.ones(N),
    )
    low = {"alignment": np.zeros((N, A)), "control": np.zeros((N, A)), "evaluation": np.zeros((N, A))}
    high_ctl = dict(low, control=np.full((N, A), 0.9))
    q = dict(p, misalignment_propensity=np.full(N, 0.5))
    mild = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.1)), levels=low, **args)
    harsh = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.9)), levels=low, **args)
    controlled = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.9)), levels=high_ctl, **args)
    assert (harsh["sabotage"] > mild["sabotage"]).all() and (controlled["sabotage"] < harsh["sabotage"]).all()
    assert (harsh["hollow"].sum(1) > mild["hollow"].sum(1)).all()
    assert (harsh["output"].sum(1) < mild["output"].sum(1)).all()
    watched = research.magma_research(
        dict(q, sabotage_rate=np.full(N, 0.9)), levels=low, **dict(args, prep_cov=np.ones((N, n_areas)))
    )
    assert (watched["sabotage"] == 0).all() and (watched["attempted"] > 0).all()  # tried, all stopped


def test_false_confidence_and_its_attribution_to_sabotage(p):
    assert np.allclose(deference.false_confidence(np.array([0.4, 0.8]), np.array([0.8, 0.8])), [0.5, 0.0])
    zero = {s: np.zeros((N, A)) for s in SOURCES}
    forced, alive, u = np.ones(N, bool), np.ones(N), np.zeros(N)
    ua = np.linspace(0.0, 1.0, N, endpoint=False)
    _, pick0, _, _ = hazards.catastrophe_draw(zero, forced, alive, u, ua, np.zeros(N))
    _, pick1, _, _ = hazards.catastrophe_draw(zero, forced, alive, u, ua, np.full(N, 0.5))
    direct, sabotage = SOURCES.index("direct") * A, SOURCES.index("sabotage") * A
    assert (pick0 == direct).all()
    assert set(np.unique(pick1)) == {direct, sabotage} and abs((pick1 == sabotage).mean() - 0.5) < 0.02


def test_rivals_adopt_exported_security_but_open_weights_stay_at_sl1(p):
    sl = np.full((N, A), 1.5)
    sl[:, 0] = 4.0
    none = security.adopted_security(p, sl, np.zeros(N))
    full = security.adopted_security(p, sl, np.full(N, 0.8))
    closed = p["a_open_weights"] == 0
    closed[:, 0] = False
    assert np.allclose(none[closed], 1.5) and (full[closed] > 1.5).all()
    assert (full[:, 0] == 4.0).all() and (full[p["a_open_weights"] > 0] == 1.0).all()


def test_a_warning_shot_moves_political_will(p):
    n = N
    args = dict(
        awareness=np.full(n, 0.6),
        will=np.full(n, 0.2),
        governance_effort=np.zeros(n),
        cred=np.ones(n),
        demo=np.ones(n),
        advocate_pause=np.zeros(n),
        evident=np.zeros(n),
        heard=np.ones(n),
    )
    _, quiet = governance.public_opinion(p, incident=np.zeros(n), **args)
    _, shot = governance.public_opinion(p, incident=np.ones(n), **args)
    off = governance.warning_shot(
        dict(p, incident_will_share=np.zeros(n)), np.ones(n), np.full(n, 0.6), np.full(n, 0.2)
    )
    assert (shot > quiet + 0.05).all() and (off == 0).all()


def test_evident_danger_rises_from_first_dangerous_to_superdangerous_ai(p):
    k_d, k_sd = p["k_dangerous"][:, None], p["k_superdangerous"][:, None]
    below = governance.evident_danger(p, np.repeat(k_d - 1.0, A, axis=1))
    middle = governance.evident_danger(p, np.concatenate([(k_d + k_sd) / 2, np.repeat(k_d - 5, A - 1, axis=1)], 1))
    beyond = governance.evident_danger(p, np.repeat(k_sd + 3.0, A, axis=1))
    assert (below == 0).all() and np.allclose(middle, 0.5) and (beyond == 1).all()


def test_evident_danger_keeps_awareness_and_will_up(p):
    """Awareness fades toward what the evident danger sustains, not below it; no evidence, the old decay."""
    n = N
    args = dict(
        awareness=np.full(n, 0.2),
        will=np.full(n, 0.2),
        governance_effort=np.zeros(n),
        cred=np.ones(n),
        demo=np.ones(n),
        advocate_pause=np.zeros(n),
        incident=np.zeros(n),
        heard=np.ones(n),
    )
    a0, w0 = governance.public_opinion(p, evident=np.zeros(n), **args)
    a1, w1 = governance.public_opinion(p, evident=np.ones(n), **args)
    assert (a0 < 0.2).all() and (a1 >= np.minimum(p["danger_salience"], 1.0) - 1e-12).all()
    assert (w1 > w0).all() and (a1 >= a0).all()
    flat = governance.public_opinion(dict(p, danger_salience=np.zeros(n)), evident=np.ones(n), **args)
    assert np.allclose(flat[0], a0) and np.allclose(flat[1], w0)


# --- issue 20, second round ---------------------------------------------------------------------------------

from crunchtime.model.mechanisms import competition  # noqa: E402


def test_lag_is_in_calendar_months_at_the_leaders_pace(p):
    """The same capability gap reads as fewer months behind the faster the leader now grows (Appendix A)."""
    k = np.zeros((N, A))
    k[:, 1] = 2.0  # a rival two doublings ahead
    slow = np.ones((N, A)) * p["v0"][:, None]
    fast = slow * 10.0
    lead_slow = competition.magma_lead(k, competition.leader_pace(p, slow))
    lead_fast = competition.magma_lead(k, competition.leader_pace(p, fast))
    assert (lead_slow < 0).all() and (lead_fast < 0).all()
    assert (-lead_fast < -lead_slow).all()
    # at the starting speed-up, a month is the scenario's month (g_eff0), so lag_months reads as stated
    assert np.allclose(competition.leader_pace(p, slow)[:, 0], p["g_eff0"])
    assert np.allclose(-lead_slow, 2.0 / p["g_eff0"])
    # the gaps the race feels use the same pace; capability distance keeps g_eff0
    gap, _ = competition.frontier_gaps(p, k, competition.leader_pace(p, fast))
    dist, _ = competition.frontier_gaps(p, k, p["g_eff0"][:, None])
    assert np.allclose(gap[:, 0], -lead_fast) and (gap[:, 0] < dist[:, 0]).all()


def test_helpers_are_misaligned_as_a_hidden_fact_that_alignment_can_change():
    u = np.linspace(0.0, 1.0, N, endpoint=False)
    low = research.helpers_misaligned(np.full(N, 0.1), u)
    high = research.helpers_misaligned(np.full(N, 0.6), u)
    assert set(np.unique(low)) <= {0.0, 1.0}
    assert (high >= low).all() and high.mean() > low.mean()
    assert abs(high.mean() - 0.6) < 0.01 and abs(low.mean() - 0.1) < 0.01


def test_helpers_draw_is_uniform_and_shares_the_successors_draw_only_as_far_as_the_correlation_says():
    rng = np.random.default_rng(0)
    n = 20000
    u_trust, u_helpers = rng.random(n), rng.random(n)
    draws = {
        rho: research.helpers_uniform({"helper_successor_correlation": np.full(n, rho)}, u_trust, u_helpers)
        for rho in (0.0, 0.5, 1.0)
    }
    for v in draws.values():  # exactly uniform marginals
        assert abs(v.mean() - 0.5) < 0.01 and abs((v < 0.2).mean() - 0.2) < 0.01
    assert np.array_equal(draws[1.0], u_trust)
    corr = {rho: np.corrcoef(v, u_trust)[0, 1] for rho, v in draws.items()}
    assert abs(corr[0.0]) < 0.03 and abs(corr[0.5] - 0.5) < 0.03
    # helpers and successor are different models: with rho < 1 scheming helpers can precede a trustworthy
    # successor, so sabotage can change the hand-off's outcome (trustworthy iff u_trust < al·(1−mis))
    al, mis = 0.7, 0.3
    trustworthy = u_trust < al * (1.0 - mis)
    assert not ((research.helpers_misaligned(np.full(n, mis), draws[1.0]) > 0) & trustworthy).any()
    assert ((research.helpers_misaligned(np.full(n, mis), draws[0.5]) > 0) & trustworthy).mean() > 0.03


def test_stealthy_sabotage_passes_evaluations_and_lowers_true_trust_at_the_same_seen_level(p):
    ev = np.full(N, 0.9)
    assert np.allclose(research.sabotage_missed(dict(p, sabotage_stealth=np.zeros(N)), ev), 0.1)
    assert np.allclose(research.sabotage_missed(dict(p, sabotage_stealth=np.full(N, 0.5)), ev), 0.55)
    k, stocks = np.zeros((N, A)), _stocks(0.2)
    hollow = np.full(N, 1.0)
    seen = {
        s: research.seen_levels(dict(p, sabotage_stealth=np.full(N, s)), k, stocks, ev, hollow, hollow)["alignment"]
        for s in (0.0, 0.5)
    }
    assert (seen[0.5] > seen[0.0]).all()
    # trust at hand-off reads the TRUE alignment: the same plan decision on sabotaged (lower) true alignment
    # is less often trustworthy
    u = np.linspace(0.0, 1.0, N, endpoint=False)
    args = dict(
        wants=np.ones(N, bool),
        tedai=np.ones(N),
        deferred=np.zeros(N),
        trustworthy=np.zeros(N),
        recovery_left=np.zeros(N),
        blocked=np.zeros(N, bool),
        evaluation=ev,
        u_trust=u,
        u_detect=np.ones(N),
    )
    clean = deference.deference(p, alignment=np.full(N, 0.8), misalignment=np.full(N, 0.1), **args)
    sabotaged = deference.deference(p, alignment=np.full(N, 0.6), misalignment=np.full(N, 0.2), **args)
    assert (sabotaged["trustworthy"] <= clean["trustworthy"]).all()
    assert sabotaged["trustworthy"].mean() < clean["trustworthy"].mean()


def test_sabotage_share_needs_misaligned_helpers_grows_with_ai_work_and_falls_with_control(p):
    rate = dict(p, sabotage_rate=np.full(N, 0.9))
    args = dict(control=np.full(N, 0.2), ai_mult=np.full(N, 10.0))
    on = research.sabotage_share(rate, np.ones(N), **args)
    off = research.sabotage_share(rate, np.zeros(N), **args)
    assert (off == 0).all() and np.allclose(on, 0.9 * 0.8 * 0.9)
    assert (research.sabotage_share(rate, np.ones(N), np.full(N, 0.8), np.full(N, 10.0)) < on).all()
    assert (research.sabotage_share(rate, np.ones(N), np.full(N, 0.2), np.full(N, 2.0)) < on).all()
    assert (research.sabotage_share(dict(p, sabotage_rate=np.full(N, 0.3)), np.ones(N), **args) < on).all()


def test_prepared_monitoring_or_control_research_each_oversee_the_helpers():
    """Category #2: research security and scalable oversight, prepared for AI labour, watch the helpers."""
    none = research.helper_oversight(np.zeros(N), np.zeros(N))
    assert (none == 0).all()
    assert np.allclose(research.helper_oversight(np.zeros(N), np.full(N, 0.7)), 0.7)
    assert np.allclose(research.helper_oversight(np.full(N, 0.4), np.zeros(N)), 0.4)
    assert np.allclose(research.helper_oversight(np.full(N, 0.5), np.full(N, 0.5)), 0.75)
    assert (research.helper_oversight(np.ones(N), np.full(N, 0.3)) == 1).all()


def test_sabotage_is_attempted_only_by_misaligned_helpers_and_oversight_stops_the_share_it_sees(p):
    rate = dict(p, sabotage_rate=np.full(N, 0.9))
    tried = research.sabotage_attempted(rate, np.ones(N), np.full(N, 10.0))
    assert np.allclose(tried, 0.9 * 0.9)
    assert (research.sabotage_attempted(rate, np.zeros(N), np.full(N, 10.0)) == 0).all()
    done = research.sabotage_share(rate, np.ones(N), np.full(N, 0.25), np.full(N, 10.0))
    assert np.allclose(done, tried * 0.75)


def test_monitoring_catches_sabotage_in_proportion_to_oversight_and_attempts_and_only_while_watching(p):
    q = dict(p, sabotage_catch_rate=np.full(N, 0.5))
    u = (np.arange(N) + 0.5) / N  # evenly spread uniforms: the caught share is the probability
    watching = np.ones(N, bool)
    full = research.sabotage_caught(q, np.full(N, 0.8), np.ones(N), u, watching)
    half = research.sabotage_caught(q, np.full(N, 0.8), np.full(N, 0.5), u, watching)
    assert abs(full.mean() - 0.4) < 2 / N and abs(half.mean() - 0.2) < 2 / N
    assert not research.sabotage_caught(q, np.zeros(N), np.ones(N), u, watching).any()  # nothing tried, nothing seen
    assert not research.sabotage_caught(q, np.full(N, 0.8), np.zeros(N), u, watching).any()  # nobody watching
    assert not research.sabotage_caught(q, np.full(N, 0.8), np.ones(N), u, np.zeros(N, bool)).any()
    assert not research.sabotage_caught(
        dict(p, sabotage_catch_rate=np.zeros(N)), np.ones(N), np.ones(N), u, watching
    ).any()


def test_caught_sabotage_no_longer_inflates_what_magma_sees(p):
    k, stocks = np.zeros((N, A)), _stocks(0.2)
    true = research.safety_levels(p, k, stocks)
    fooled = research.seen_levels(p, k, stocks, np.full(N, 0.2), np.full(N, 0.5), np.full(N, 0.5))
    found = research.seen_levels(p, k, stocks, np.full(N, 0.2), np.full(N, 0.5), np.full(N, 0.5), np.ones(N))
    assert (fooled["alignment"] > true["alignment"][:, 0]).all()
    assert np.allclose(found["alignment"], true["alignment"][:, 0]) and np.allclose(
        found["control"], true["control"][:, 0]
    )


def test_published_stolen_weights_lift_the_takers_to_the_stolen_capability_and_no_one_else(p):
    k = np.tile(np.array([10.0, 8.0, 12.0, 4.0]), (N, 1))
    s = k / 2
    takers = np.tile(np.array([False, True, True, True]), (N, 1))
    q = {**p, "published_uptake": np.ones(N)}
    k2, s2 = security.publish_stolen(q, k, s, takers, k[:, 0], s[:, 0])
    assert (k2[:, 0] == 10).all() and (k2[:, 1] == 10).all() and (s2[:, 1] == 5).all()
    assert (k2[:, 2] == 12).all()  # ahead of the stolen model: keeps its own
    assert (k2[:, 3] == 10).all()
    none, _ = security.publish_stolen({**p, "published_uptake": np.zeros(N)}, k, s, takers, k[:, 0], s[:, 0])
    assert (none == k).all()
    idle, _ = security.publish_stolen(q, k, s, np.zeros((N, A), bool), k[:, 0], s[:, 0])
    assert (idle == k).all()


def test_an_open_weights_thief_publishes_what_it_steals(p):
    k = np.tile(np.array([10.0, 8.0, 6.0, 4.0]), (N, 1))
    q = {
        **p,
        "published_uptake": np.ones(N),
        "theft_rate_sl1": np.ones(N),
        "security_factor": np.ones(N),
        "a_safety_culture": np.tile(np.array([0.8, 0.5, 0.3, 0.1]), (N, 1)),
        "a_open_weights": np.tile(np.array([0.0, 0.0, 0.0, 1.0]), (N, 1)),
    }
    u = np.ones((N, A))
    u[:, 0] = 0.0  # only Magma's weights are stolen, by the most reckless actor behind it: the open-weights follower
    sl, stolen = np.ones((N, A)), np.zeros((N, A))
    k_big = k + 20.0  # capable enough to be worth stealing at any speed-up
    k2, _, stolen2, robbed = security.steal_weights(q, k_big, k_big / 2, stolen, sl, u, np.ones(N))
    assert robbed.all() and (stolen2[:, 3] == 1).all()
    assert np.allclose(k2[:, 1:], k_big[:, :1])  # published: the less careful labs take it up too
    closed = {**q, "a_open_weights": np.zeros((N, A))}
    k3, _, _, _ = security.steal_weights(closed, k_big, k_big / 2, stolen, sl, u, np.ones(N))
    assert np.allclose(k3[:, 1:3], k_big[:, 1:3]) and np.allclose(k3[:, 3], k_big[:, 0])


# --- issue 20, fifth round (2.17): advocacy reaches people through the developer's voice ---------------------


def test_a_frontier_developer_is_heard_more_and_keeps_some_standing_behind(p):
    """Section 5: scaling buys "government, industry, and public influence", which is inelastic."""
    front = governance.voice(p, np.ones(N))
    behind = governance.voice(p, np.zeros(N))
    assert np.allclose(front, 1.0) and (behind < front).all() and (behind >= p["public_standing"] - 1e-12).all()


def test_advocacy_effort_saturates(p):
    """P0 is cheap: a small team uses most of a developer's reach; more effort never lowers it."""
    c = [governance.advocacy_coverage(p, np.full(N, t)) for t in (0.0, 0.01, 0.1, 1.0)]
    assert (c[0] == 0).all() and (c[1] > c[0]).all() and (c[-1] <= 1).all()
    assert all((c[i + 1] >= c[i]).all() for i in range(len(c) - 1))  # saturates: equal once reach is used up
    assert ((c[2] - c[1]) / 0.09 < (c[1] - c[0]) / 0.01).all()  # diminishing returns per team-year


def test_advocacy_moves_awareness_and_will_with_voice_credibility_and_demonstrations(p):
    n = N
    base = dict(
        awareness=np.full(n, 0.2),
        will=np.full(n, 0.2),
        governance_effort=np.full(n, 0.05),
        incident=np.zeros(n),
        advocate_pause=np.ones(n),
        evident=np.zeros(n),
    )

    def run(**kw):
        args = dict(base, cred=np.ones(n), demo=np.ones(n), heard=np.ones(n))
        args.update(kw)
        return governance.public_opinion(p, **args)

    a, w = run()
    silent = run(governance_effort=np.zeros(n), advocate_pause=np.zeros(n))
    quiet = run(heard=np.full(n, 0.3))
    shown = run(demo=np.full(n, 2.0))
    signal = run(cred=np.full(n, 2.0))
    assert (a > silent[0]).all() and (w > silent[1]).all()
    assert (quiet[0] < a).all() and (quiet[1] < w).all()
    assert (shown[0] > a).all() and (shown[1] > w).all() and (signal[0] > a).all() and (signal[1] > w).all()


def test_an_overtaken_magma_inside_a_later_long_pause_has_paused():
    """2.17: being overtaken is a condition, not an outcome; a later long pause with Magma in it is outcome #2."""
    from crunchtime.model.mechanisms import outcomes
    from crunchtime.model.state import PATH

    p = {"pause_min_months": np.full(4, 4.0), "decisive_gap_months": np.full(4, 6.0)}
    path = np.array([PATH["overtaken"], PATH["overtaken"], PATH["chose_self_destruction"], PATH["overtaken"]])
    month = np.array([3.0, 3.0, 3.0, 3.0])
    pause = np.array([5.0, 5.0, 5.0, 2.0])
    pausing = np.array([True, False, True, True])
    zeros = np.zeros(4)
    got, got_month = outcomes.classify_path(
        p, path, month, 9, zeros, zeros > 1, pause, np.full(4, 9.0), np.ones(4), pausing
    )
    assert list(got) == [PATH["paused"], PATH["overtaken"], PATH["chose_self_destruction"], PATH["overtaken"]]
    np.testing.assert_array_equal(got_month, [9, 3, 3, 3])
    assert path[0] == PATH["overtaken"]  # no in-place change
