"""Sensitivity analysis cost and the worth of the smooth metric, each against a baseline measured in the same run.

Usage: python benchmarks/bench_sensitivity.py [--base-samples 64] [--workers 2] [--small-base 128]

1. Throughput: `api.sensitivity` over every uncertain parameter of the default scenario (clymer, one
   replicate, no sweeps: D+2 compare calls of N trajectories, one per Saltelli matrix, plus the probe)
   against one plain `api.compare` of the same number of trajectories with no design. Prints wall time,
   worlds per second, the ratio, and the time projected for the issue's size (60 parameters x 512 base
   samples, ~31k worlds) at the measured rate (conservative: calls of 512 vectorise better than of 64).
2. Smooth versus 0/1 outcome at equal budget: the same design (8 parameters) with metric
   `catastrophe_risk` and with `catastrophe`; prints the mean 95% interval width of ST for each, their
   ratio, and each one's noise share. A ratio above 1 is how much the smooth metric narrows the intervals.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from crunchtime import api

#: the issue's target size: ~60 parameters x 512 base samples
TARGET_PARAMS, TARGET_BASE = 60, 512
#: parameters of the call-size measurement (D+3 calls of TARGET_BASE trajectories)
CALL_SIZE_PARAMS = 6
#: the parameters of the equal-budget comparison: the ones a reader of the essays argues about
SMALL = [
    "safety_difficulty",
    "algorithmic_progress",
    "misalignment_propensity",
    "pause_threshold",
    "advocacy_effect",
    "Frontier Lab A.coordination_willingness",
    "Magma.lag_months",
    "eval_noise",
]


def throughput(base: int, workers: int) -> None:
    sc = api.load_scenario("default")
    d = len(api.parameters(sc, uncertain_only=True))
    t0 = time.perf_counter()
    res = api.sensitivity(sc, "clymer", base_samples=base, seed=1, replicates=1, workers=workers)
    wall = time.perf_counter() - t0
    n = res.to_dict()["trajectories"]
    t0 = time.perf_counter()
    api.compare(sc, ["clymer"], samples=n, seed=1, workers=workers)
    plain = time.perf_counter() - t0
    rate = n / wall
    print(
        f"sensitivity: {d} parameters x {base} base samples, 1 replicate, {workers} worker(s): {n} worlds in "
        f"{wall:.1f} s = {rate:.0f} worlds/s"
    )
    print(
        f"one plain compare of {n} worlds (no design): {plain:.1f} s = {n / plain:.0f} worlds/s; "
        f"sensitivity / compare = {wall / plain:.2f}"
    )
    # the size has calls of 512 trajectories: measure the rate at that call size on a few parameters
    few = [p.name for p in api.parameters(sc, uncertain_only=True)[:CALL_SIZE_PARAMS]]
    t0 = time.perf_counter()
    m = api.sensitivity(
        sc, "clymer", base_samples=TARGET_BASE, seed=1, parameters=few, replicates=1, workers=workers
    ).to_dict()["trajectories"]
    big = m / (time.perf_counter() - t0)
    target = TARGET_BASE * (TARGET_PARAMS + 3)  # the matrices and the probe
    print(
        f"at {TARGET_BASE} trajectories per call ({CALL_SIZE_PARAMS} parameters, {m} worlds): {big:.0f} worlds/s; "
        f"projected for {TARGET_PARAMS} parameters x {TARGET_BASE} base samples ({target} worlds): "
        f"{target / big / 60:.1f} min"
    )


def smooth_vs_binary(base: int, workers: int) -> None:
    widths, shares = {}, {}
    for metric in ("catastrophe_risk", "catastrophe"):
        d = api.sensitivity(
            "default",
            "clymer",
            base_samples=base,
            seed=2,
            parameters=SMALL,
            metric=metric,
            replicates=1,
            workers=workers,
        ).to_dict()
        widths[metric] = float(np.mean([i["ST_ci"][1] - i["ST_ci"][0] for i in d["indices"]]))
        shares[metric] = d["noise"]["share"]
        top = ", ".join(f"{i['parameter']} {i['ST']:.2f}" for i in d["indices"][:3])
        print(f"{metric:17s} mean ST 95% width {widths[metric]:.3f}, noise share {shares[metric]:.0%}; top ST: {top}")
    print(
        f"equal budget ({base} base samples x {len(SMALL) + 2} rows): 0/1 interval width / smooth interval width = "
        f"{widths['catastrophe'] / widths['catastrophe_risk']:.2f}"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-samples", type=int, default=64)
    ap.add_argument("--small-base", type=int, default=128)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    throughput(args.base_samples, args.workers)
    smooth_vs_binary(args.small_base, args.workers)
