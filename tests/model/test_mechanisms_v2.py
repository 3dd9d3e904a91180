"""Directions of effect of the v2 mechanisms, each in isolation (pure functions on small arrays)."""

import numpy as np
import pytest

from crunchtime import api
from crunchtime.engine import BLOCK, chunk_inputs
from crunchtime.model.mechanisms import capability, competition, governance, hazards, research


@pytest.fixture(scope="module")
def p():
    params = chunk_inputs(api.load_scenario("default"), 0, 0, BLOCK)[0]
    return params


def test_race_pressure_rises_as_the_runner_up_closes_in(p):
    gap = np.zeros((256, 4)) + np.array([0.0, 1.0, 2.0, 8.0])
    near = competition.race_pressure(p, gap, np.full((256, 1), 1.0))
    far = competition.race_pressure(p, gap, np.full((256, 1), 5.0))
    assert (near[:, 0] > far[:, 0]).all() and np.allclose(near[:, 1:], far[:, 1:])


def test_aggression_under_pressure_cuts_rival_safety_and_safeguards(p):
    calm = competition.rival_conduct(p, np.zeros((256, 4)), np.full(256, 0.3))
    pressed = competition.rival_conduct(p, np.ones((256, 4)), np.full(256, 0.3))
    assert (pressed["safety_share"] <= calm["safety_share"]).all()
    assert (pressed["corner_cutting"] > calm["corner_cutting"]).all()
    assert (calm["corner_cutting"] == 0).all()


def test_corner_cutting_is_competition_risk_and_adds_to_the_total(p):
    n, A = 256, 4
    levels = {k: np.full((n, A), 0.5) for k in ("alignment", "control", "evaluation")}
    prot = hazards.protection(p, levels, np.zeros(n), np.zeros(n))
    args = dict(
        per_month=np.full((n, A), 0.01),
        prot=prot,
        levels=levels,
        danger=np.full((n, A), 0.2),
        sl=np.full((n, A), 2.0),
        stolen=np.zeros((n, A)),
        sabotage=np.zeros(n),
        will=np.full(n, 0.2),
        hard=np.zeros(n),
        pausing=np.zeros((n, A), dtype=bool),
    )
    calm = hazards.hazards(p, corner_cutting=np.zeros((n, A)), **args)
    racing = hazards.hazards(p, corner_cutting=np.full((n, A), 0.5), **args)
    closed = p["a_open_weights"] == 0  # an open-weights actor's extra risk counts as proliferation
    assert (calm["competition"] == 0).all() and (racing["competition"][closed] > 0).all()
    assert np.allclose(calm["direct"], racing["direct"])


def test_stolen_weights_multiply_risk(p):
    n, A = 256, 4
    levels = {k: np.full((n, A), 0.3) for k in ("alignment", "control", "evaluation")}
    prot = hazards.protection(p, levels, np.zeros(n), np.zeros(n))
    common = dict(
        per_month=np.full((n, A), 0.01),
        prot=prot,
        corner_cutting=np.zeros((n, A)),
        levels=levels,
        danger=np.full((n, A), 0.2),
        sl=np.full((n, A), 2.0),
        sabotage=np.zeros(n),
        will=np.full(n, 0.2),
        hard=np.zeros(n),
        pausing=np.zeros((n, A), dtype=bool),
    )
    own = sum(hazards.hazards(p, stolen=np.zeros((n, A)), **common).values())  # all sources, (n, A)
    stolen = sum(hazards.hazards(p, stolen=np.ones((n, A)), **common).values())
    assert (stolen[:, :3] >= own[:, :3]).all() and stolen[:, :3].mean() > 1.1 * own[:, :3].mean()


def test_revenue_and_influence_fall_behind_the_frontier(p):
    gaps = np.zeros((256, 4)) + np.array([0.0, 3.0, 6.0, 12.0])
    g = capability.compute_growth(p, gaps, np.ones((256, 4)))
    assert (np.diff(g / p["g_c"], axis=1) <= 0).all() and (g[:, 3] < g[:, 0] * p["g_c"][:, 3] / p["g_c"][:, 0]).all()
    assert (capability.compute_growth(p, gaps, np.zeros((256, 4))) <= g).all()  # not deploying loses revenue
    inf = competition.influence(p, gaps[:, 3], np.zeros(256))
    assert (inf < 1).all() and (competition.influence(p, gaps[:, 3], np.ones(256)) == 1).all()


def test_research_relevance_rises_toward_dangerous_capability(p):
    k = np.stack([p["k_dangerous"] - d for d in (8.0, 4.0, 1.0, 0.0)], axis=1)
    rel = research.relevance(p, k)
    assert (np.diff(rel, axis=1) > 0).all() and np.allclose(rel[:, -1], 1.0)
    assert (rel[:, 0] >= p["proxy_validity"]).all()


def test_self_destruction_is_a_costly_signal_and_racing_taints_advocacy(p):
    v = np.ones(256)
    racing = governance.credibility(p, v, np.zeros(256))
    stopped = governance.credibility(p, np.zeros(256), np.ones(256))
    assert (stopped > racing).all()
    # Appendix A: a laggard's racing taints its pleas too (2.17: no gap window); slowing restores some
    assert (governance.credibility(p, 0.5 * v, np.zeros(256)) > racing).all()
