"""Engine throughput: the vectorised step over all samples versus a per-sample loop, measured in one run.

Usage: python benchmarks/bench_engine.py [--samples 4096] [--loop-samples 32]
Prints trajectories per second for both and their ratio (the claim: vectorised >> per-sample).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from crunchtime import load_plan, load_scenario
from crunchtime.engine.chunk import _run_plan
from crunchtime.engine.inputs import chunk_inputs


def _slice(d: dict[str, np.ndarray], i: int, axis: int) -> dict[str, np.ndarray]:
    return {k: np.take(v, [i], axis=axis) for k, v in d.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=4096)
    ap.add_argument("--loop-samples", type=int, default=32)
    args = ap.parse_args()
    sc, plan = load_scenario("default"), load_plan("clymer")
    n = args.samples
    params, noise, traj = chunk_inputs(sc, 0, 0, n)

    t0 = time.perf_counter()
    _run_plan(sc, plan, 0, params, noise, traj, 0, n, kept=n)
    vec = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i in range(args.loop_samples):
        _run_plan(sc, plan, 0, _slice(params, i, 0), _slice(noise, i, 1), traj[i : i + 1], 0, 1, kept=1)
    loop = time.perf_counter() - t0

    per_vec, per_loop = vec / n, loop / args.loop_samples
    print(f"vectorised: {n} trajectories x {sc.horizon_months} months in {vec:.2f} s ({n / vec:,.0f} trajectories/s)")
    print(f"per-sample loop: {args.loop_samples} trajectories in {loop:.2f} s ({1 / per_loop:,.0f} trajectories/s)")
    print(f"speed-up of the vectorised engine over the per-sample loop: {per_loop / per_vec:,.0f}x")


if __name__ == "__main__":
    main()
