"""Latency of the web app's call, plain numpy path versus the hot path, measured side by side in one run.

Usage: python benchmarks/bench_hot_path.py [--samples 1024] [--calls 40] [--scenario default]
                                           [--plan clymer] [--baseline stop-now]

Each call is what a slider move costs the server: `api.compare(scenario, [plan, baseline], samples, seed=0,
design={parameter: value})` with the same seed and a new value of one belief each time. Calls alternate
between the plain path (`engine.hot_path(False)`: inputs drawn afresh, one state per plan: the engine as it
was) and the hot path (cached inputs, both plans in one batched state), so machine load hits both alike.
Prints p50/p95 wall-clock and CPU latency for both and their ratio, and checks that both paths give
bit-identical results. Runs single-threaded (BLAS/OpenMP threads pinned to 1 before numpy loads).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from crunchtime import api  # noqa: E402
from crunchtime import engine  # noqa: E402

SLIDER = "safety_difficulty"  # the belief the simulated slider moves


def _call(sc, plans, samples: int, value: float, fast: bool):
    design = {SLIDER: np.full(samples, value)}
    with engine.hot_path(fast):
        w, c = time.perf_counter(), time.process_time()
        res = api.compare(sc, plans, samples=samples, seed=0, design=design)
        return res, time.perf_counter() - w, time.process_time() - c


def _same(a, b) -> bool:
    """Every per-trajectory array and aggregate of two comparisons equal, bit for bit."""
    for name in a.plans:
        x, y = a[name], b[name]
        arrays = [(x.outcome, y.outcome), (x.outcome_month, y.outcome_month), (x.milestones, y.milestones),
                  (x.series_kept, y.series_kept), (x.series_mean, y.series_mean), (x.risk, y.risk),
                  (x.speedup_paths, y.speedup_paths), (x.cat_source, y.cat_source), (x.cat_actor, y.cat_actor)]
        arrays += [(x.events[k], y.events[k]) for k in x.events] + [(x.scalars[k], y.scalars[k]) for k in x.scalars]
        if not all(np.array_equal(u, v, equal_nan=True) for u, v in arrays):
            return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=1024)
    ap.add_argument("--calls", type=int, default=40, help="calls per path (after one warm-up call each)")
    ap.add_argument("--scenario", default="default")
    ap.add_argument("--plan", default="clymer")
    ap.add_argument("--baseline", default="stop-now")
    a = ap.parse_args()
    sc = api.load_scenario(a.scenario)
    plans = [api.load_plan(a.plan), api.load_plan(a.baseline)]
    spec = next(p for p in api.parameters(sc) if p.name == SLIDER)
    values = spec.ppf(np.linspace(0.05, 0.95, a.calls + 1))
    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    identical = True
    for i, v in enumerate(values):
        out = {}
        for fast in ((False, True) if i % 2 else (True, False)):
            out[fast], w, c = _call(sc, plans, a.samples, float(v), fast)
            if i:  # the first round warms up (imports, caches, the input cache's first fill)
                wall[fast].append(w)
                cpu[fast].append(c)
        identical &= _same(out[False], out[True])
    print(f"{a.samples} trajectories x {sc.horizon_months} months x 2 plans ({a.plan} + {a.baseline}), "
          f"{a.calls} calls per path, same seed, {SLIDER} changed each call, one thread")
    for label, fast in (("plain numpy path", False), ("hot path", True)):
        w, c = np.array(wall[fast]) * 1e3, np.array(cpu[fast]) * 1e3
        print(f"{label:>17}: wall p50 {np.percentile(w, 50):6.0f} ms  p95 {np.percentile(w, 95):6.0f} ms   "
              f"CPU p50 {np.percentile(c, 50):6.0f} ms  p95 {np.percentile(c, 95):6.0f} ms")
    ratio_w = np.median(wall[False]) / np.median(wall[True])
    ratio_c = np.median(cpu[False]) / np.median(cpu[True])
    print(f"ratio plain / hot path (medians): wall {ratio_w:.2f}x, CPU {ratio_c:.2f}x")
    print(f"results bit-identical on every call: {identical}")


if __name__ == "__main__":
    main()
