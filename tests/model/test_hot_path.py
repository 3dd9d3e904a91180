"""The engine's hot path (input cache, batched plans, column-fold reductions) changes no result, bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from crunchtime import api, engine
from crunchtime.engine.inputcache import InputCache, sampling_key
from crunchtime.model import design as D
from crunchtime.model.distributions import parse_distribution
from crunchtime.model.mechanisms.common import row_max, row_mean, row_prod, row_second, row_sum

FIELDS = (
    "outcome",
    "outcome_month",
    "cat_source",
    "cat_actor",
    "milestones",
    "series_kept",
    "series_sum",
    "risk_sum",
    "speedup_kept",
)


def _assert_identical(a: list[list[engine.ChunkOutput]], b: list[list[engine.ChunkOutput]]) -> None:
    assert len(a) == len(b)
    for chunk_a, chunk_b in zip(a, b):
        for x, y in zip(chunk_a, chunk_b, strict=True):
            assert (x.plan_index, x.start) == (y.plan_index, y.start)
            for f in FIELDS:
                u, v = getattr(x, f), getattr(y, f)
                assert u.dtype == v.dtype and u.shape == v.shape, f
                assert u.tobytes() == v.tobytes(), f  # bit for bit (NaN payloads and signed zeros included)
            for group in ("events", "scalars"):
                gu, gv = getattr(x, group), getattr(y, group)
                assert list(gu) == list(gv)
                for k in gu:
                    assert gu[k].dtype == gv[k].dtype and gu[k].tobytes() == gv[k].tobytes(), (group, k)


@pytest.mark.parametrize(
    "scenario, plans, seed, chunk, cap, with_design",
    [
        # two chunks, the second partial; the quantile cap cuts the second chunk's kept trajectories
        ("default", ["clymer", "rsp"], 3, 256, 280, False),
        ("clymer-2025", ["spend-the-lead", "race-sometimes-pause-sometimes"], 11, 512, engine.QUANTILE_CAP, True),
    ],
)
def test_hot_path_is_bit_identical_to_the_plain_path(scenario, plans, seed, chunk, cap, with_design):
    sc = api.load_scenario(scenario)
    plan_objs = [api.load_plan(p) for p in plans]
    n = 300
    design = None
    if with_design:
        params = D.select(sc, ["safety_difficulty", f"{sc.actors[0].name}.lag_months"])
        design = D.from_unit(params, np.random.default_rng(seed).random((n, 2)))
    engine.INPUT_CACHE.clear()

    def run(fast: bool) -> list:
        return engine.run_chunks(sc, plan_objs, n, seed, chunk, quantile_cap=cap, design=design, fast=fast)

    plain = run(False)
    _assert_identical(plain, run(True))  # inputs drawn into the cache
    _assert_identical(plain, run(True))  # inputs from the cache
    assert engine.INPUT_CACHE.hits >= 1


def test_public_compare_is_the_same_with_the_hot_path_off():
    sc = api.load_scenario("default")
    design = {"safety_difficulty": np.full(256, 0.5)}
    with engine.hot_path(False):
        plain = api.compare(sc, ["clymer", "stop-now"], samples=256, seed=4, design=design)
    fast = api.compare(sc, ["clymer", "stop-now"], samples=256, seed=4, design=design)
    for name in plain.plans:
        assert plain[name].summary()["outcomes"] == fast[name].summary()["outcomes"]
        assert plain[name].series_mean.tobytes() == fast[name].series_mean.tobytes()
        assert plain[name].risk.tobytes() == fast[name].risk.tobytes()


# ---------------------------------------------------------------- column folds equal numpy's reductions


def _awkward(rng: np.random.Generator, n: int, a: int) -> np.ndarray:
    """Values over many scales with ties, signed zeros, infinities and NaNs."""
    x = rng.standard_normal((n, a)) * rng.choice([1e-12, 1.0, 1e9], (n, a))
    x[rng.random((n, a)) < 0.1] = 0.0
    x[rng.random((n, a)) < 0.1] = -0.0
    x[:, -1] = np.where(rng.random(n) < 0.1, x[:, 0], x[:, -1])  # ties
    x[rng.random((n, a)) < 0.02] = np.inf
    x[rng.random((n, a)) < 0.02] = np.nan
    return x


@pytest.mark.parametrize("a", [1, 2, 3, 4, 5, 7, 8, 9, 20])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf - inf and NaN on purpose
def test_row_reductions_match_numpy_bit_for_bit(a):
    rng = np.random.default_rng(a)
    for n in (1, 5, 257, 2048):
        x = _awkward(rng, n, a)
        # max: the same values, bit for bit unless -0.0 and +0.0 tie (numpy's own choice then depends on
        # the array's size; the engine's maxima are over speed-ups >= 1 and capabilities of one sign at 0)
        assert np.array_equal(row_max(x), x.max(axis=1), equal_nan=True)
        unsigned = x + 0.0  # -0.0 becomes +0.0
        assert row_max(unsigned).tobytes() == unsigned.max(axis=1).tobytes()
        assert row_max(unsigned, keepdims=True).tobytes() == unsigned.max(axis=1, keepdims=True).tobytes()
        assert row_prod(x).tobytes() == np.prod(x, axis=1).tobytes()
        assert row_sum(x).tobytes() == x.sum(axis=1).tobytes()
        assert row_mean(x).tobytes() == x.mean(axis=1).tobytes()
        view = x[:, 1:] if a > 1 else x  # a non-contiguous view, as the engine passes (rivals only)
        assert row_max(view + 0.0).tobytes() == (view + 0.0).max(axis=1).tobytes()
        assert row_sum(view).tobytes() == view.sum(axis=1).tobytes()
        if a > 1:
            finite = np.nan_to_num(x, nan=1.0, posinf=2.0)  # capabilities are finite
            # equal values; numpy's sort leaves the order of -0.0 and +0.0 unspecified, and the engine uses
            # the second-largest capability only through a difference that is +0.0 either way
            assert np.array_equal(row_second(finite), np.sort(finite, axis=1)[:, -2:-1])


# ---------------------------------------------------------------- the input cache


def test_cached_inputs_are_read_only_and_reused_only_for_the_same_draws():
    sc = api.load_scenario("default")
    engine.INPUT_CACHE.clear()
    world, actors, noise, traj = engine.cached_inputs(sc, 1, 0, 64)
    assert engine.cached_inputs(sc, 1, 0, 64)[2] is noise  # same scenario, seed, chunk: a hit
    for a in [*world.values(), *actors.values(), *noise.values(), traj]:
        assert not a.flags.writeable
    with pytest.raises(ValueError):
        noise["u_catastrophe"][0, 0] = 0.5
    fresh = engine.sampled_inputs(sc, 1, 0, 64)
    assert all(np.array_equal(noise[k], fresh[2][k]) for k in noise)
    assert all(np.array_equal(world[k], fresh[0][k]) for k in world)
    # another seed or chunk draws anew
    assert not np.array_equal(engine.cached_inputs(sc, 2, 0, 64)[2]["u_catastrophe"], noise["u_catastrophe"])
    assert engine.cached_inputs(sc, 1, 64, 64)[3][0] == engine.sampled_inputs(sc, 1, 64, 64)[3][0]
    # a scenario with the same name and text but another belief is another key, and draws other worlds
    changed = dataclasses.replace(sc, parameters={**sc.parameters, "safety_difficulty": parse_distribution(7.0)})
    assert sampling_key(changed) != sampling_key(sc)
    assert np.all(engine.cached_inputs(changed, 1, 0, 64)[0]["safety_difficulty"] == 7.0)
    assert not np.all(engine.cached_inputs(sc, 1, 0, 64)[0]["safety_difficulty"] == 7.0)


def test_a_design_never_changes_the_cached_draws():
    sc = api.load_scenario("default")
    engine.INPUT_CACHE.clear()
    n = 64
    before = engine.chunk_inputs(sc, 5, 0, n, cache=True)[0]["safety_difficulty"].copy()
    name = f"{sc.actors[0].name}.lag_months"
    design = {"safety_difficulty": np.full(n, 3.0), name: np.full(n, 1.5)}
    p, _, _ = engine.chunk_inputs(sc, 5, 0, n, design=design, cache=True)
    assert np.all(p["safety_difficulty"] == 3.0) and np.all(p["a_lag_months"][:, 0] == 1.5)
    p2, _, _ = engine.chunk_inputs(sc, 5, 0, n, cache=True)
    assert np.array_equal(p2["safety_difficulty"], before)
    assert not np.all(p2["a_lag_months"][:, 0] == 1.5)


def test_cache_stays_within_its_bounds():
    cache = InputCache(max_entries=2, max_bytes=1000)
    make = lambda size: lambda: {"x": np.zeros(size // 8)}  # noqa: E731
    cache.get("a", make(400))
    cache.get("b", make(400))
    cache.get("a", make(400))  # a is now the most recent
    cache.get("c", make(400))  # evicts b (least recent): 3 entries would exceed both bounds
    assert len(cache) == 2 and cache.nbytes <= 1000
    assert cache.get("a", make(8))["x"].size == 50  # still cached (a hit returns the old value)
    big = cache.get("huge", make(8000))  # larger than the whole cache: returned, frozen, not kept
    assert big["x"].size == 1000 and not big["x"].flags.writeable
    assert len(cache) == 2 and cache.nbytes <= 1000


class _PythonPlan:
    """A plan written in Python (any object with a name and decide): a fixed pause, knobs as arrays."""

    name = "python-pause"
    source_text = ""
    source = "test"

    def decide(self, obs):
        return {**api.load_plan("stop-now").decide(obs), "velocity": np.full(obs["date"].shape[0], 0.3)}


def test_a_python_plan_batches_with_a_yaml_plan_bit_for_bit():
    sc = api.load_scenario("default")
    plans = [api.load_plan("clymer"), _PythonPlan()]
    engine.INPUT_CACHE.clear()
    plain = engine.run_chunks(sc, plans, 96, 2, fast=False)
    _assert_identical(plain, engine.run_chunks(sc, plans, 96, 2, fast=True))
