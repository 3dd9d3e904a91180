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
    caught = research.seen_levels(p, k, stocks, np.ones(N), np.full(N, 0.5), np.full(N, 0.5))
    assert np.allclose(clean["alignment"], true["alignment"][:, 0])
    assert (fooled["alignment"] > clean["alignment"]).all() and (fooled["control"] > clean["control"]).all()
    assert np.allclose(caught["alignment"], clean["alignment"])


def test_sabotage_rises_with_sabotage_rate_and_falls_with_control(p):
    n_areas = len(AREAS)
    args = dict(team_years=np.ones(N), weights=np.full((N, n_areas), 1.0 / n_areas), prep_share=np.zeros(N),
                prep_cov=np.ones((N, n_areas)), helper_speed=np.full(N, 10.0), trusted_deferral=np.zeros(N, bool),
                relevance_magma=np.ones(N))
    low = {"alignment": np.zeros((N, A)), "control": np.zeros((N, A)), "evaluation": np.zeros((N, A))}
    high_ctl = dict(low, control=np.full((N, A), 0.9))
    q = dict(p, misalignment_propensity=np.full(N, 0.5))
    mild = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.1)), levels=low, **args)
    harsh = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.9)), levels=low, **args)
    controlled = research.magma_research(dict(q, sabotage_rate=np.full(N, 0.9)), levels=high_ctl, **args)
    assert (harsh["sabotage"] > mild["sabotage"]).all() and (controlled["sabotage"] < harsh["sabotage"]).all()
    assert (harsh["hollow"].sum(1) > mild["hollow"].sum(1)).all()
    assert (harsh["output"].sum(1) < mild["output"].sum(1)).all()


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
    closed = (p["a_open_weights"] == 0)
    closed[:, 0] = False
    assert np.allclose(none[closed], 1.5) and (full[closed] > 1.5).all()
    assert (full[:, 0] == 4.0).all() and (full[p["a_open_weights"] > 0] == 1.0).all()


def test_a_warning_shot_moves_political_will(p):
    n = N
    args = dict(awareness=np.full(n, 0.6), will=np.full(n, 0.2), governance_effort=np.zeros(n), cred=np.ones(n),
                demo=np.ones(n), advocate_pause=np.zeros(n))
    _, quiet = governance.public_opinion(p, incident=np.zeros(n), **args)
    _, shot = governance.public_opinion(p, incident=np.ones(n), **args)
    off = governance.warning_shot(dict(p, incident_will_share=np.zeros(n)), np.ones(n), np.full(n, 0.6), np.full(n, 0.2))
    assert (shot > quiet + 0.05).all() and (off == 0).all()
