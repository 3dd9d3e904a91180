"""Simulate one chunk of trajectories under every plan, on identical worlds and shocks (common random numbers).

The hot path (on by default; `hot_path(False)` turns it off) takes a chunk's draws from a bounded cache
(`crunchtime.engine.inputcache`) and simulates a small chunk's plans as one batched state; results are
bit-identical either way (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from crunchtime.engine.inputs import chunk_inputs
from crunchtime.engine.monthly import SERIES_ALL, ChunkOutput, chunk_outputs, first_carry, month
from crunchtime.engine.sizes import QUANTILE_CAP
from crunchtime.model.design import Design
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import SOURCES, initial_state

if TYPE_CHECKING:
    from crunchtime.model.plans import Plan

# plans of one chunk are simulated as one batched state up to this many samples in all: batching pays numpy's
# per-call overhead once for all plans (the web app's 1,024 x plan + baseline); beyond it arrays outgrow the
# CPU caches and the per-call overhead is small anyway, so bulk runs keep one state per plan
MAX_BATCH = 4096
_HOT_PATH = [True]  # the hot path's switch (see hot_path); a list so the context manager can change it


def simulate_chunk(
    scenario: Scenario,
    plans: Sequence,
    seed: int,
    start: int,
    n: int,
    quantile_cap: int = QUANTILE_CAP,
    design: Design | None = None,
    fast: bool | None = None,
    design_offset: int = 0,
    jit: bool = False,
) -> list[ChunkOutput]:
    """Simulate trajectories [start, start+n) under every plan, on identical worlds and shocks.

    `fast` (default: the `hot_path` setting) takes the inputs from the cache and simulates the plans
    together in one batched state when the batch is small enough (`MAX_BATCH`); results are
    bit-identical to the plain path (each plan on its own, freshly sampled inputs). `design` rows start at
    trajectory `design_offset` (see `chunk_inputs`). `jit` runs the same month function compiled by
    JAX/XLA instead (`crunchtime.engine.jit`: equal to about 1e-12, not bit for bit).
    """
    if jit:
        from crunchtime.engine import jit as compiled

        return compiled.simulate_chunk(scenario, plans, seed, start, n, quantile_cap, design, design_offset)
    fast = _HOT_PATH[0] if fast is None else fast
    params, noise, traj_random = chunk_inputs(scenario, seed, start, n, design, cache=fast, design_offset=design_offset)
    kept = int(np.clip(quantile_cap - start, 0, n))
    if fast and len(plans) > 1 and n * len(plans) <= MAX_BATCH:
        return _run_plans(scenario, plans, params, noise, traj_random, start, n, kept)
    return [_run_plan(scenario, plan, i, params, noise, traj_random, start, n, kept) for i, plan in enumerate(plans)]


@contextmanager
def hot_path(enabled: bool) -> Iterator[None]:
    """Switch the hot path (input cache, batched plans) on or off within a block (benchmarks, tests)."""
    before = _HOT_PATH[0]
    _HOT_PATH[0] = enabled
    try:
        yield
    finally:
        _HOT_PATH[0] = before


def _tile(a: np.ndarray, times: int) -> np.ndarray:
    """`times` copies of `a` one after another along the sample axis (axis 0)."""
    return a if times == 1 else np.concatenate([a] * times)


def _run_plan(
    scenario: Scenario,
    plan: Plan,
    plan_index: int,
    params: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    traj_random: np.ndarray,
    start: int,
    n: int,
    kept: int,
) -> ChunkOutput:
    out = _run_plans(scenario, [plan], params, noise, traj_random, start, n, kept)[0]
    out.plan_index = plan_index
    return out


def _run_plans(
    scenario: Scenario,
    plans: Sequence,
    params: dict[str, np.ndarray],
    noise: dict[str, np.ndarray],
    traj_random: np.ndarray,
    start: int,
    n: int,
    kept: int,
) -> list[ChunkOutput]:
    """Every plan on the same n worlds, simulated as one state of P x n samples (plan i owns rows i*n..).

    Each sample's arithmetic is that of simulating its plan alone; sums over samples are taken per plan
    over the same n contiguous rows, so the outputs are bit-identical to one run per plan.
    """
    P = len(plans)
    N = n * P
    H, A = scenario.horizon_months, len(scenario.actors)
    start_year = float(scenario.decimal_year(0))
    rows = [slice(i * n, (i + 1) * n) for i in range(P)]
    params = {k: _tile(v, P) for k, v in params.items()}
    traj_random = _tile(traj_random, P)
    state = initial_state(params, N, A)
    series_kept = np.empty((P, H, len(SERIES_ALL), kept), dtype=np.float32)
    series_sum = np.empty((P, H, len(SERIES_ALL)))
    risk_sum = np.empty((P, H, len(SOURCES), A))
    speedups = np.empty((P, kept, H), dtype=np.float32)
    carry = first_carry(state, params)
    for t in range(H):
        month_noise = {k: _tile(v[t], P) for k, v in noise.items()}
        carry, (series, risk_mass, speed) = month(carry, month_noise, plans, params, traj_random, rows, start_year)
        row = np.stack([series[v] for v in SERIES_ALL])
        for i, r in enumerate(rows):
            series_kept[i, t] = row[:, r.start : r.start + kept]
            series_sum[i, t] = row[:, r].sum(axis=1)
            risk_sum[i, t] = risk_mass[r].sum(axis=0)
            speedups[i, :, t] = speed[r.start : r.start + kept]
    return chunk_outputs(carry, rows, start, H, series_kept, series_sum, risk_sum, speedups)
