"""The jit (JAX/XLA over the same model functions) against the numpy engine, and its guard rails.

One compiled program (256 worlds x clymer + stop-now on `default`) serves every test here: compiling is
the slow part (about 15 s on a CI core), and a plan's params or a design are data, so they reuse it.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax", reason="the jit's tests need JAX (pip install '.[test]')")

from crunchtime import api, engine
from crunchtime.engine import jit
from crunchtime.engine.traced import Traced
from crunchtime.errors import ArgumentError
from crunchtime.model.plans.loading import load_plan
from crunchtime.model.scenario import load_scenario

N = 256
SEED = 5
#: the jit's arithmetic is IEEE double like numpy's but fused and ordered differently: values agree to
#: about 1e-12 relative (measured up to 4e-12 on 1,024 worlds); a difference of 1e-8 means a mechanism differs
REL_TOL = 1e-8


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("default")


def _plans(**clymer_params):
    clymer = load_plan("clymer")
    return [clymer.with_params(**clymer_params) if clymer_params else clymer, load_plan("stop-now")]


def _assert_close(jitted, reference):
    for a, b in zip(jitted, reference):
        same = a.outcome == b.outcome
        # a world can only take another branch where a draw sits within ~1e-12 of a threshold: none of 256
        assert same.all(), f"{(~same).sum()} of {len(same)} worlds end differently"
        np.testing.assert_allclose(
            a.scalars["catastrophe_risk"], b.scalars["catastrophe_risk"], rtol=REL_TOL, atol=1e-12
        )
        np.testing.assert_array_equal(np.isnan(a.milestones), np.isnan(b.milestones))
        np.testing.assert_allclose(a.series_sum, b.series_sum, rtol=REL_TOL, atol=1e-9)
        np.testing.assert_allclose(a.risk_sum, b.risk_sum, rtol=REL_TOL, atol=1e-12)
        np.testing.assert_allclose(a.series_kept, b.series_kept, rtol=1e-5, atol=1e-5)  # float32 either way
        for k in a.events:
            np.testing.assert_array_equal(a.events[k], b.events[k], err_msg=k)
        np.testing.assert_array_equal(a.world_outcome, b.world_outcome)
        np.testing.assert_array_equal(a.magma_path, b.magma_path)
        np.testing.assert_allclose(a.horizon_hazard, b.horizon_hazard, rtol=REL_TOL, atol=1e-12)


def test_the_jit_computes_what_numpy_computes(scenario):
    plans = _plans()
    _assert_close(jit.simulate_chunk(scenario, plans, SEED, 0, N), engine.simulate_chunk(scenario, plans, SEED, 0, N))


def test_a_plan_param_and_a_design_are_data_not_a_new_program(scenario):
    jit.simulate_chunk(scenario, _plans(), SEED, 0, N)
    programs = dict(jit._PROGRAMS)
    plans = _plans(safety_after=0.6, lagging_months=30.0)  # the tuned plan's direction: leaves the frontier
    design = {"safety_difficulty": np.full(N, 3.0)}
    got = jit.simulate_chunk(scenario, plans, SEED, 0, N, design=design)
    assert jit._PROGRAMS == programs  # the same compiled program answered
    want = engine.simulate_chunk(scenario, plans, SEED, 0, N, design=design)
    _assert_close(got, want)
    before = engine.simulate_chunk(scenario, _plans(), SEED, 0, N, design=design)
    assert not np.array_equal(want[0].outcome_month, before[0].outcome_month)  # the params moved the result


def test_api_compare_with_jit_matches_numpy(scenario):
    a = api.compare(scenario, _plans(), samples=N, seed=SEED, jit=True).summary()
    b = api.compare(scenario, _plans(), samples=N, seed=SEED).summary()
    assert a["plans"].keys() == b["plans"].keys()
    for name in a["plans"]:
        for outcome, entry in a["plans"][name]["outcomes"].items():
            assert entry["p"] == b["plans"][name]["outcomes"][outcome]["p"]


def test_jit_must_be_a_boolean_and_names_its_extra_when_jax_is_missing(monkeypatch):
    with pytest.raises(ArgumentError, match="jit: must be True or False"):
        api.compare("default", ["clymer"], samples=N, jit="yes")
    monkeypatch.setattr(jit, "available", lambda: False)
    with pytest.raises(ArgumentError, match=r'pip install "crunchtime\[jit\]"'):
        api.compare("default", ["clymer"], samples=N, jit=True)


def test_traced_arrays_refuse_what_a_jit_cannot_compile():
    import jax.numpy as jnp

    x = Traced(jnp.arange(3.0))
    assert isinstance(np.exp(x), Traced) and isinstance(np.where(x > 1.0, x, 0.0), Traced)
    np.testing.assert_allclose(np.maximum(x, 1.0).a, [1.0, 1.0, 2.0])
    np.testing.assert_allclose(np.stack([x, x], axis=1).a, [[0, 0], [1, 1], [2, 2]])
    with pytest.raises(TypeError, match="branched in Python"):
        bool(x > 1.0)
    with pytest.raises(TypeError, match="in place"):
        x[0] = 1.0
    with pytest.raises(TypeError, match="cannot become a numpy array"):
        np.asarray(x)
    with pytest.raises(TypeError, match="writes in place"):
        np.add(np.zeros(3), x, out=np.zeros(3))
    m = Traced(jnp.arange(6.0).reshape(2, 3))
    np.testing.assert_allclose(np.add.reduce(m).a, [3.0, 5.0, 7.0])  # numpy's default axis 0
    np.testing.assert_allclose([v.a for v in x], [0.0, 1.0, 2.0])  # iteration ends


def test_jit_outputs_are_writeable_like_numpys(scenario):
    out = jit.simulate_chunk(scenario, _plans(), SEED, 0, N)[0]
    assert out.milestones.flags.writeable and out.series_kept.flags.writeable and out.outcome.flags.writeable
