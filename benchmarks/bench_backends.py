"""Local processes against Ray on this machine: throughput, overhead ratio, per-chunk costs, bytes per chunk.

Usage: python benchmarks/bench_backends.py [--samples 16384] [--chunk-size 2048] [--cpus 2] [--plans clymer]
                                           [--rounds 2] [--noop-tasks 200] [--json FILE]

Measured in one run, on the same inputs:
- task size: one chunk in this process, at chunk sizes 256..2048 (vectorisation efficiency of small chunks);
- local: `run_chunks(..., workers=CPUS)` (spawned process pool, its start-up included, as a user pays it);
- ray: a local Ray with CPUS CPUs (start-up timed apart); one cold run (fresh workers import crunchtime),
  then ROUNDS rounds of (local, ray warm) alternated, so that load from other programs on a shared machine
  hits both alike; the overhead ratio is the fastest ray run / the fastest local run (1.0 = no overhead);
- scheduling: NOOP_TASKS empty tasks with the same arguments as a chunk (the job's object ref, start, n):
  wall time per task through CPUS workers, and one-at-a-time round trip latency;
- data returned per chunk: the pickled ChunkOutputs of one chunk (all plans), inside the quantile cap
  (per-month series kept for quantiles) and past it (only per-trajectory outcomes and sums).
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import time

import numpy as np

from crunchtime import load_plan, load_scenario
from crunchtime.engine import BLOCK, QUANTILE_CAP, run_chunks, simulate_chunk
from crunchtime.engine.backends.ray import connect


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _noop(job: dict, start: int, n: int) -> int:
    return start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=16384)
    ap.add_argument("--chunk-size", type=int, default=2048)
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--plans", default="clymer")
    ap.add_argument("--noop-tasks", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args()
    sc = load_scenario("default")
    plans = [load_plan(p) for p in args.plans.split(",")]
    n, chunk = args.samples, args.chunk_size
    chunks = -(-n // chunk)
    work = f"{n} trajectories x {sc.horizon_months} months x {len(plans)} plan(s), {chunks} chunks of {chunk}"
    print(f"workload: {work}, {args.cpus} CPUs")

    sizes = {}
    for size in (256, 512, 1024, 2048):
        sizes[size] = size * len(plans) / _timed(lambda size=size: simulate_chunk(sc, plans, 0, 0, size))[1]
    print(
        "one chunk in this process, trajectories/s by chunk size: "
        + ", ".join(f"{k}: {v:,.0f}" for k, v in sizes.items())
    )
    one, t_chunk = _timed(lambda: simulate_chunk(sc, plans, 0, 0, chunk))
    past_cap = -(-QUANTILE_CAP // BLOCK) * BLOCK
    beyond, _ = _timed(lambda: simulate_chunk(sc, plans, 0, past_cap, chunk))
    bytes_in = len(pickle.dumps(one, protocol=5))
    bytes_out = len(pickle.dumps(beyond, protocol=5))
    print(f"task size: one chunk in this process {t_chunk:.2f} s ({chunk * len(plans) / t_chunk:,.0f} traj/s)")
    print(
        f"returned per chunk: {bytes_in / 1e6:.2f} MB inside the quantile cap (first {QUANTILE_CAP} "
        f"trajectories), {bytes_out / 1e3:.0f} kB past it ({bytes_out / chunk:.0f} B per trajectory)"
    )

    import ray

    _, t_start = _timed(lambda: ray.init(num_cpus=args.cpus, include_dashboard=False, logging_level="WARNING"))
    connect()  # joins the Ray just started
    print(f"ray start-up ({args.cpus} CPUs, this machine): {t_start:.1f} s")
    _, t_cold = _timed(lambda: run_chunks(sc, plans, n, 0, chunk, backend="ray"))
    print(f"ray cold (fresh workers): {t_cold:.1f} s")
    t_locals, t_rays = [], []
    for r in range(args.rounds):
        local, t = _timed(lambda: run_chunks(sc, plans, n, 0, chunk, workers=args.cpus))
        t_locals.append(t)
        warm, t = _timed(lambda: run_chunks(sc, plans, n, 0, chunk, backend="ray"))
        t_rays.append(t)
        print(
            f"round {r + 1}: local {args.cpus} processes {t_locals[-1]:.1f} s, ray warm {t_rays[-1]:.1f} s "
            f"(ratio {t_rays[-1] / t_locals[-1]:.2f})"
        )
    t_local, t_warm = min(t_locals), min(t_rays)
    same = all(
        np.array_equal(a.outcome, b.outcome)
        and np.array_equal(a.series_sum, b.series_sum)
        and np.array_equal(a.series_kept, b.series_kept)
        for ca, cb in zip(local, warm)
        for a, b in zip(ca, cb)
    )
    print(
        f"fastest: local {t_local:.1f} s ({n * len(plans) / t_local:,.0f} traj/s), ray warm {t_warm:.1f} s "
        f"({n * len(plans) / t_warm:,.0f} traj/s); identical outputs: {same}"
    )
    print(f"overhead ratio ray/local: warm {t_warm / t_local:.2f}, cold {t_cold / t_local:.2f}")

    job = ray.put({"scenario": sc, "plans": tuple(p.source_text for p in plans)})
    noop = ray.remote(_noop).options(num_cpus=1)
    ray.get([noop.remote(job, 0, chunk) for _ in range(args.cpus * 2)])  # workers up
    _, t_batch = _timed(lambda: ray.get([noop.remote(job, i, chunk) for i in range(args.noop_tasks)]))
    lat = []
    for i in range(min(50, args.noop_tasks)):
        lat.append(_timed(lambda i=i: ray.get(noop.remote(job, i, chunk)))[1])
    per_task, rtt = t_batch / args.noop_tasks, statistics.median(lat)
    print(
        f"scheduling: {per_task * 1e3:.1f} ms per empty task ({args.noop_tasks} through {args.cpus} workers), "
        f"{rtt * 1e3:.1f} ms round trip one at a time; {per_task / t_chunk * 100:.2f}% of one chunk's compute"
    )
    ray.shutdown()
    figures = {
        "workload": work,
        "cpus": args.cpus,
        "chunk_s": t_chunk,
        "traj_per_s_by_chunk": sizes,
        "local_rounds_s": t_locals,
        "ray_rounds_s": t_rays,
        "bytes_per_chunk_in_cap": bytes_in,
        "bytes_per_chunk_past_cap": bytes_out,
        "local_s": t_local,
        "ray_start_s": t_start,
        "ray_cold_s": t_cold,
        "ray_warm_s": t_warm,
        "overhead_warm": t_warm / t_local,
        "overhead_cold": t_cold / t_local,
        "noop_task_s": per_task,
        "noop_rtt_s": rtt,
        "identical": same,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
