"""The jit on a warm worker pool (`crunchtime serve --jit --workers N` on a CPU): one block of one plan a unit,
each plan structure compiled once in every worker, the numbers of the jit in one process, refinement that
only adds worlds, and a compile check that asks no worker."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("jax", reason="the jit's tests need JAX (pip install '.[test]')")

from crunchtime import api
from crunchtime.engine.backends.pool import split_chunks, work_units
from crunchtime.engine.sizes import BLOCK

PLANS = ["stop-now", "clymer"]


@pytest.fixture(scope="module")
def pool():
    with api.worker_pool(2, warm=False, jit=True) as p:
        assert p.wait_ready(120)
        yield p


def test_under_the_jit_every_unit_is_one_block_of_one_plan():
    chunks = split_chunks(256, 1024, 2, 2, per_block=True)
    assert chunks == [(256, BLOCK), (512, BLOCK), (768, BLOCK)]
    units = work_units(chunks, 2, 2, single_plans=True)
    assert [(c, g) for _, c, g in units] == [(c, (p,)) for c in chunks for p in (0, 1)]
    assert split_chunks(0, 300, 2, 2, per_block=True) == [(0, 256), (256, 44)]  # the last block is short


def test_jit_on_the_pool_answers_what_the_jit_in_one_process_does(pool):
    design = {"safety_difficulty": np.geomspace(0.2, 5.0, 768)}
    assert not api.jit_ready("default", PLANS, 256, pool=pool)  # nothing compiled yet
    first = api.compare(
        "default", PLANS, samples=256, seed=3, jit=True, pool=pool, design={k: v[:256] for k, v in design.items()}
    )
    assert api.jit_ready("default", PLANS, 4096, pool=pool)  # every worker holds both plans' block programs
    assert not api.jit_ready("default", ["stop-now", "rsp"], 256, pool=pool)  # a new plan structure would compile
    refined = api.refine(first, 768, design=design, jit=True, pool=pool)
    one = api.compare("default", PLANS, samples=768, seed=3, jit=True, chunk_size=BLOCK, design=design)
    assert json.dumps(refined.summary(), sort_keys=True) == json.dumps(one.summary(), sort_keys=True)
    for plan in PLANS:
        r, o = refined.results[plan], one.results[plan]
        for name in ("outcome", "outcome_month", "world_outcome", "magma_path", "cat_source", "cat_actor"):
            np.testing.assert_array_equal(getattr(r, name), getattr(o, name), err_msg=name)
        np.testing.assert_array_equal(r.milestones, o.milestones)
        # each plan alone (the pool's unit) and both batched (one process) are different XLA programs: their
        # float sums agree to rounding, not bit for bit
        np.testing.assert_allclose(r.series_mean, o.series_mean, rtol=1e-13)
        np.testing.assert_allclose(r.risk, o.risk, rtol=1e-13)
        np.testing.assert_array_equal(r.outcome[:256], first.results[plan].outcome)  # refining added worlds


def test_a_retuned_plan_reuses_the_compiled_program(pool):
    api.compare("default", PLANS, samples=256, seed=0, jit=True, pool=pool)
    tuned = api.parse_plan("name: clymer-tuned\nextends: clymer\nparams: {lagging_months: 3}\n")
    assert api.jit_ready("default", ["stop-now", tuned], 256, pool=pool)  # params are data, not structure
    before = set(pool.prepared)
    api.compare("default", ["stop-now", tuned], samples=256, seed=0, jit=True, pool=pool)
    assert set(pool.prepared) == before


def test_a_short_last_block_is_a_shape_of_its_own_and_is_compiled_before_the_run(pool):
    assert not api.jit_ready("default", PLANS, 300, pool=pool)  # 256 + a block of 44 worlds
    api.compare("default", PLANS, samples=300, seed=0, jit=True, pool=pool)
    assert api.jit_ready("default", PLANS, 300, pool=pool)
    assert sorted(pool.broadcast(_ran_here)) == [True, True]  # each worker ran the 44-world programs


def _ran_here() -> bool:
    from crunchtime.engine import jit
    from crunchtime.model.catalog import load_plan, load_scenario

    sc = load_scenario("default")
    return all(jit.compiled(sc, [load_plan(p)], 256, 44) for p in PLANS)
