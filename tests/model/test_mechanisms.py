"""The model's mechanisms respond the way the essays argue they do."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime import compare, simulate
from crunchtime.engine import BLOCK, chunk_inputs
from crunchtime.model.mechanisms.capability import software_growth
from crunchtime.model.mechanisms.security import theft_hazard
from crunchtime.model.plans import Plan, parse_plan

N = 1000


def test_halt_against_racing_rivals_is_mostly_self_destruction(default_scenario, halt):
    s = simulate(default_scenario, halt, samples=N, seed=1).summary()
    assert s["outcomes"]["self_destruction"]["p"] > 0.5
    assert s["outcomes"]["obsolescence"]["p"] == 0.0  # Magma never reaches TEDAI to defer


def test_hazards_stay_probabilities(default_scenario, race):
    r = simulate(default_scenario, race, samples=512, seed=3)
    hz = r.quantiles("hazard_total")
    assert np.all(hz["p10"] >= 0) and np.all(hz["p90"] <= 1)
    assert r.series_kept.min() >= -1e9  # no NaN leaked into series
    assert not np.isnan(r.series_kept).any()


def test_security_lowers_theft_hazard_everywhere(default_scenario):
    p = chunk_inputs(default_scenario, 0, 0, BLOCK)[0]
    k = np.full((256, 4), 12.0)
    hazards = [theft_hazard(p, k, np.full((256, 4), sl)) for sl in (1.0, 2.0, 3.5, 5.0)]
    for lo, hi in itertools.pairwise(hazards):
        assert (hi <= lo).all()
    assert (hazards[0] >= 0).all() and (hazards[0] <= 1).all()


def test_more_security_investment_never_raises_theft(default_scenario):
    low = Plan.fixed("low-security", w_security=0.0, safety_share=0.2, prep_share=0.5)
    high = Plan.fixed(
        "high-security", w_security=1.0, w_defense=0.0, w_distribution=0.0, safety_share=0.2, prep_share=0.5
    )
    res = compare(default_scenario, [low, high], samples=N, seed=5)
    t_low = res.results["low-security"].events["weight_theft"]
    t_high = res.results["high-security"].events["weight_theft"]
    diff = t_high.astype(float) - t_low.astype(float)
    assert diff.mean() <= 2 * diff.std(ddof=1) / np.sqrt(N)
    assert t_high.mean() < t_low.mean()


def test_without_ai_assistance_there_is_no_explosion():
    """With a speed-up of 1 the software growth rate never rises above its baseline, whatever r."""
    s = np.linspace(0, 60, 400)
    for r in (0.5, 1.0, 3.0, 10.0):
        g = software_growth(np.ones_like(s), np.ones_like(s), s, np.zeros_like(s), 0.1, r, 0.5, 80.0)
        assert np.all(np.diff(g) <= 1e-15) and g[0] == pytest.approx(0.1)


def test_no_ai_assistance_scenario_never_reaches_tedai(tmp_path, race):
    f = tmp_path / "no-ai.yaml"
    f.write_text(
        "extends: default\nname: no-ai\nparameters:\n  initial_speedup: 1\n  doublings_to_3x: 40\n"
        "  tedai_speedup: 1000\n"
    )
    s = simulate(str(f), race, samples=256, seed=0).summary()
    assert s["milestones"]["tedai"]["p_reached"] == 0.0


def test_sie_special_case_matches_davidson_houlden():
    """After TEDAI, with compute fixed, the speed-up is 2**(lambda s) and the law is the SIE's g(s)."""
    from crunchtime.takeoff.sie_continuous import growth_rate
    from crunchtime.takeoff.sie_params import SIEParams, samples_from_arrays

    rng = np.random.default_rng(0)
    n = 64
    f, r0, lam, years = (
        rng.uniform(2, 32, n),
        rng.uniform(0.4, 3.6, n),
        rng.uniform(0.15, 0.6, n),
        rng.uniform(6, 16, n),
    )
    params = SIEParams()
    sie = samples_from_arrays(params, f, r0, years, lam)
    d = sie.limit_doublings
    for s in (0.0, 5.0, 20.0, 40.0):
        s_arr = np.full(n, s)
        g_sie = growth_rate(s_arr, sie, params)
        g0 = 1.0 / params.recent_doubling_months
        ours = software_growth(f * np.exp2(lam * s_arr), np.ones(n), s_arr, np.zeros(n), g0, r0, lam, d)
        np.testing.assert_allclose(ours, g_sie, rtol=1e-9)


def test_preparation_before_crunch_raises_crunch_time_output(default_scenario):
    def plan(prep):
        return parse_plan(
            f"name: prep-{prep}\ndescription: x\ndefaults: {{safety_share: 0.1, prep_share: {prep}}}\n"
            "rules:\n  - when: reached_3x\n    set: {prep_share: 0}\n",
            source=f"prep-{prep}",
        )

    res = compare(default_scenario, [plan(0.9), plan(0.1)], samples=N, seed=8).results
    hi = res["prep-0.9"].scalars["crunch_safety_research"]
    lo = res["prep-0.1"].scalars["crunch_safety_research"]
    # output is heavy-tailed (AI speed-ups explode after TEDAI): compare on a log scale, paired
    d = np.log1p(hi) - np.log1p(lo)
    assert d.mean() > 3 * d.std(ddof=1) / np.sqrt(N)
    assert np.median(hi) > np.median(lo)


def test_more_safety_difficulty_means_more_catastrophe(tmp_path, race):
    easy, hard = tmp_path / "easy.yaml", tmp_path / "hard.yaml"
    easy.write_text("extends: default\nname: easy\nparameters:\n  safety_difficulty: 0.1\n")
    hard.write_text("extends: default\nname: hard\nparameters:\n  safety_difficulty: 30\n")
    pe = simulate(str(easy), race, samples=N, seed=2).indicator("catastrophe")
    ph = simulate(str(hard), race, samples=N, seed=2).indicator("catastrophe")
    d = ph - pe
    assert d.mean() > 3 * d.std(ddof=1) / np.sqrt(N)


def _pause_world(tmp_path, willingness):
    f = tmp_path / "pause.yaml"
    f.write_text(
        "extends: default\nname: pause\nparameters:\n  political_will0: 0.6\n  awareness0: 0.6\n"
        "  awareness_decay: 0\n  incident_jump: 0\n  advocacy_reach: 0\n  pause_threshold: 0.5\n  frontier_window_months: 60\n  willingness_margin: 1\n"
        "actors:\n"
        + "".join(
            f"  - name: {a}\n    coordination_willingness: {w}\n"
            for a, w in zip(("Frontier Lab A", "Frontier Lab B", "Open-weights follower"), willingness)
        )
    )
    keen = Plan.fixed("keen", join_pause=1)
    return simulate(str(f), keen, samples=256, seed=0).summary()


def test_pause_needs_every_frontier_actor(tmp_path):
    """One unwilling frontier rival blocks a coordinated pause that willing rivals would join."""
    # rare worlds remain where the unwilling rival falls out of the frontier window (diffusion, theft)
    assert _pause_world(tmp_path, (0, 1, 1))["events"]["coordinated_pause"]["p"] < 0.02
    assert _pause_world(tmp_path, (1, 1, 1))["outcomes"]["coordinated_pause"]["p"] > 0.5


@settings(max_examples=15, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_any_knob_setting_keeps_probabilities_valid(velocity, safety):
    from crunchtime import load_scenario

    plan = Plan.fixed("any", velocity=velocity, safety_share=safety)
    s = simulate(load_scenario("default"), plan, samples=256, seed=1).summary()
    assert sum(v["p"] for v in s["outcomes"].values()) == pytest.approx(1.0)
    assert all(0.0 <= v["p"] <= 1.0 for v in s["events"].values())


def test_danger_curve_passes_through_the_figure_2_thresholds():
    from crunchtime.model.mechanisms.capability import danger

    d = danger(np.array([2.0, 9.0, 30.0]), 2.0, 9.0, 0.01, 0.6)
    np.testing.assert_allclose(d[:2], [0.01, 0.6], rtol=1e-12)
    assert d[2] > 0.6 and np.all(np.diff(danger(np.linspace(-5, 40, 100), 2.0, 9.0)) > 0)
