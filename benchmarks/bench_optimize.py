"""What the optimizer's objective saves: trajectories needed to tell two candidate plans apart.

A search compares candidates. The noise that matters is the variance of the per-trajectory difference
between two nearby plans. Measured in one run, on the same worlds, for clymer against a perturbed clymer:

- 0/1 outcomes on independent seeds (no common random numbers): var(a) + var(b), the baseline;
- 0/1 outcomes on common random numbers: var(a - b);
- the smooth `catastrophe_risk` on common random numbers: var(a - b), what `crunchtime optimize` uses.

Each variance ratio against the baseline is how many times more trajectories the baseline needs for the
same standard error of the difference.

Usage: python benchmarks/bench_optimize.py [--samples 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import yaml

from crunchtime import api
from crunchtime.analysis.common import per_trajectory

#: the perturbation: a nearby candidate such as a search proposes (two params moved)
PERTURBATION = {"lagging_months": 9.0, "safety_after": 0.25}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    start = api.load_plan("clymer")
    other = api.parse_plan(
        yaml.safe_dump({**start.with_params(**PERTURBATION).to_dict(), "name": "clymer-nearby"}, sort_keys=False)
    )
    t0 = time.perf_counter()
    cmp = api.compare("default", [start, other], samples=args.samples, seed=args.seed)
    indep = api.simulate("default", other, samples=args.samples, seed=args.seed + 1)
    wall = time.perf_counter() - t0
    a, b = cmp.results["clymer"], cmp.results["clymer-nearby"]
    cat_a, cat_b = per_trajectory(a, "catastrophe"), per_trajectory(b, "catastrophe")
    risk_a, risk_b = per_trajectory(a, "catastrophe_risk"), per_trajectory(b, "catastrophe_risk")
    base = cat_a.var(ddof=1) + per_trajectory(indep, "catastrophe").var(ddof=1)
    crn01 = (cat_b - cat_a).var(ddof=1)
    crn_smooth = (risk_b - risk_a).var(ddof=1)
    n = args.samples
    print(
        f"clymer vs clymer with {PERTURBATION} on default, {n} trajectories each, seed {args.seed} "
        f"({wall:.0f} s of simulation)"
    )
    print(f"difference in P(catastrophe): 0/1 {np.mean(cat_b - cat_a):+.4f}, smooth {np.mean(risk_b - risk_a):+.4f}")
    for label, v in (
        ("0/1, independent seeds (baseline)", base),
        ("0/1, common random numbers", crn01),
        ("smooth catastrophe_risk, common random numbers", crn_smooth),
    ):
        print(
            f"  {label:48s} var of difference {v:.5f}  s.e. {np.sqrt(v / n) * 100:.2f} pp  "
            f"baseline needs {base / v:5.1f}x the trajectories"
        )
    print(
        f"smooth vs 0/1 objective, both on common random numbers: variance ratio {crn01 / crn_smooth:.1f}x "
        "(the 0/1 objective needs this many times the trajectories per trial)"
    )
    print(
        f"per plan (no pairing): var 0/1 {cat_a.var(ddof=1):.4f} vs smooth {risk_a.var(ddof=1):.4f} "
        f"(ratio {cat_a.var(ddof=1) / risk_a.var(ddof=1):.2f}x)"
    )


if __name__ == "__main__":
    main()
