"""The warm worker pool (`api.worker_pool`, `crunchtime serve --workers N`): the same numbers as one process,
a dead worker replaced and its chunks rerun, cancelled runs stopped."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from dataclasses import fields

import numpy as np
import pytest

from crunchtime import api
from crunchtime.engine import simulate_chunk
from crunchtime.engine.backends import Job
from crunchtime.engine.backends.local import LocalBackend
from crunchtime.engine.backends.pool import split_chunks, work_units

PLANS = ["stop-now", "clymer"]


@pytest.fixture(scope="module")
def pool():
    with api.worker_pool(2, warm=False) as p:
        assert p.wait_ready(120)
        yield p


def _assert_same_outputs(a, b):
    """Every field of two chunk outputs, bit for bit."""
    assert a.plan_index == b.plan_index and a.start == b.start
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, dict):
            assert x.keys() == y.keys()
            for k in x:
                np.testing.assert_array_equal(x[k], y[k], err_msg=f"{f.name}[{k}]")
        elif isinstance(x, np.ndarray):
            assert x.dtype == y.dtype
            np.testing.assert_array_equal(x, y, err_msg=f.name)


def test_chunks_are_whole_blocks_shared_out_by_worker_count():
    assert split_chunks(0, 1024, 2, 2) == [(0, 1024)]  # one chunk, one plan per worker
    assert split_chunks(256, 1024, 2, 2) == [(256, 768)]  # a refinement adds 768 worlds
    assert split_chunks(0, 1024, 2, 8) == [(0, 256), (256, 256), (512, 256), (768, 256)]
    assert split_chunks(0, 1000, 2, 4) == [(0, 512), (512, 488)]
    assert split_chunks(0, 5000, 2, 2) == [(0, 1792), (1792, 1792), (3584, 1416)]  # at most DEFAULT_CHUNK each
    assert [g for _, _, g in work_units([(0, 1024)], 2, 2)] == [(0,), (1,)]
    assert [g for _, _, g in work_units([(0, 512), (512, 512)], 2, 2)] == [(0, 1), (0, 1)]
    assert len(work_units(split_chunks(0, 1024, 2, 8), 2, 8)) == 8


def test_pool_outputs_are_one_process_outputs_bit_for_bit(pool):
    """Plans split over workers and chunks cut by the pool: every array equals the in-process run's."""
    sc = api.load_scenario("default")
    plans = [api.load_plan(p) for p in PLANS]
    design = {"safety_difficulty": np.linspace(0.2, 5.0, 512)}
    job = Job(sc, plans, 3, 20_000, design, simulate=simulate_chunk)
    for chunks in ([(0, 512)], [(0, 256), (256, 256)]):
        got = pool.run(job, chunks)
        want = LocalBackend(1).run(job, chunks)
        assert len(got) == len(want) == len(chunks)
        for per_got, per_want in zip(got, want):
            assert [o.plan_index for o in per_got] == [0, 1]
            for a, b in zip(per_got, per_want):
                _assert_same_outputs(a, b)


PER_WORLD = ("outcome", "outcome_month", "cat_source", "milestones", "series_kept", "speedup_paths", "world_outcome")


def _answer(cmp):
    """What the arcade answers from a comparison (its summary), plus per-world arrays, as bytes."""
    worlds = [(name, k, getattr(res, k).tobytes()) for name, res in cmp.results.items() for k in PER_WORLD] + [
        (name, k, v.tobytes()) for name, res in cmp.results.items() for k, v in sorted(res.scalars.items())
    ]
    return json.dumps(cmp.summary(), sort_keys=True, default=str), worlds


def test_compare_and_refine_on_the_pool_answer_what_one_process_does(pool):
    design = {"safety_difficulty": np.full(1024, 0.7)}
    one = api.compare("default", PLANS, samples=1024, seed=1, design=design)
    on_pool = api.compare("default", PLANS, samples=1024, seed=1, design=design, pool=pool)
    assert _answer(on_pool) == _answer(one)
    first = api.compare(
        "default", PLANS, samples=256, seed=1, design={"safety_difficulty": np.full(256, 0.7)}, pool=pool
    )
    assert _answer(api.refine(first, 1024, design=design, pool=pool)) == _answer(one)


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_replaced_and_its_chunks_rerun():
    with api.worker_pool(2, warm=False) as p:
        assert p.wait_ready(120)
        victims = p.pids()
        out: dict = {}

        def run() -> None:
            t0 = time.perf_counter()
            out["cmp"] = api.compare("default", PLANS, samples=2048, seed=2, pool=p)
            out["s"] = time.perf_counter() - t0

        thread = threading.Thread(target=run)
        thread.start()
        time.sleep(0.15)  # a plan's 2,048 worlds take far longer than this: the kill lands mid-chunk
        os.kill(victims[0], signal.SIGKILL)
        thread.join(120)
        assert not thread.is_alive(), "the run hung on a dead worker"
        assert p.restarts == 1 and not set(p.pids()) & set(victims)
        assert _answer(out["cmp"]) == _answer(api.compare("default", PLANS, samples=2048, seed=2))
        # the replaced pool keeps answering
        assert _answer(api.compare("default", PLANS, samples=256, seed=2, pool=p)) == _answer(
            api.compare("default", PLANS, samples=256, seed=2)
        )


def test_broadcast_calls_every_worker_once_and_raises_what_the_call_raises(pool):
    for _ in range(3):
        assert sorted(pool.broadcast(os.getpid)) == pool.pids()
    with pytest.raises(ValueError, match="invalid literal"):
        pool.broadcast(int, "not a number")
    assert sorted(pool.broadcast(os.getpid)) == pool.pids()  # no worker was left waiting at the barrier


def test_broadcast_from_two_threads_still_reaches_every_worker_once(pool):
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(sorted(pool.broadcast(os.getpid)))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [pool.pids()] * 4


def test_broadcast_on_a_pool_whose_idle_worker_died_replaces_it():
    with api.worker_pool(2, warm=False) as p:
        assert p.wait_ready(120)
        os.kill(p.pids()[0], signal.SIGKILL)
        time.sleep(0.5)  # the executor notices the death while idle
        pids = sorted(p.broadcast(os.getpid))
        assert pids == p.pids() and p.restarts == 1


@pytest.mark.slow
def test_a_worker_hung_in_a_broadcast_is_killed_and_the_broadcast_answers():
    with api.worker_pool(2, warm=False) as p:
        assert p.wait_ready(120)
        victim = p.pids()[0]
        os.kill(victim, signal.SIGSTOP)  # alive, never answers
        pids = sorted(p.broadcast(os.getpid, timeout=1.0))
        assert victim not in pids and pids == p.pids() and p.restarts == 1


@pytest.mark.slow
def test_a_hung_worker_is_killed_and_replaced_and_the_run_answers():
    with api.worker_pool(2, warm=False) as p:
        assert p.wait_ready(120)
        p.stall_s = 2.0  # seconds with no unit returning before the workers count as hung
        victims = p.pids()
        out: dict = {}
        thread = threading.Thread(
            target=lambda: out.update(cmp=api.compare("default", PLANS, samples=2048, seed=4, pool=p))
        )
        thread.start()
        time.sleep(0.15)
        os.kill(victims[0], signal.SIGSTOP)  # alive but never answers: a hang, not a death
        thread.join(120)
        assert not thread.is_alive(), "the run waited forever on a hung worker"
        assert p.restarts == 1 and not set(p.pids()) & set(victims)
        assert _answer(out["cmp"]) == _answer(api.compare("default", PLANS, samples=2048, seed=4))


@pytest.mark.slow
def test_cancel_stops_a_run_without_waiting_for_its_chunks(pool):
    caught: dict = {}

    def run() -> None:
        t0 = time.perf_counter()
        try:
            api.compare("default", PLANS, samples=2048, seed=5, pool=pool)
        except api.RunCancelled as exc:
            caught["exc"] = exc
        caught["s"] = time.perf_counter() - t0

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)
    assert pool.cancel() == 1
    thread.join(60)
    assert isinstance(caught.get("exc"), api.RunCancelled)
    assert caught["s"] < 1.5  # 2,048 worlds a plan take seconds on one core
    # the pool is still usable afterwards
    assert _answer(api.compare("default", PLANS, samples=256, seed=5, pool=pool)) == _answer(
        api.compare("default", PLANS, samples=256, seed=5)
    )


def test_worker_pool_refuses_bad_arguments():
    with pytest.raises(api.ArgumentError, match="workers: must be a whole number"):
        api.worker_pool(0)
    with pytest.raises(api.ArgumentError, match="workers"):
        api.worker_pool(True)  # type: ignore[arg-type]
    assert 1 <= api.default_workers() <= 8
