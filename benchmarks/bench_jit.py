"""The jit (`crunchtime.engine.jit`, JAX/XLA over the same model functions) against the numpy engine, side by side.

Usage: python benchmarks/bench_jit.py [--samples 1024] [--calls 12] [--plans clymer,stop-now] [--json]

Each call is a slider move in the web app: one chunk of `samples` worlds under plan and baseline on common
random numbers, with one belief (`safety_difficulty`) set to a new value for every world (a design), so
the compiled program is reused and nothing else is cached between calls but the sampled shocks, as in the
app. Calls alternate numpy / jit so machine load hits both alike. Prints the first call's compile time,
p50/p95 wall time of each path, their ratio, and how closely the two agree: the share of worlds with the
same outcome and the largest relative difference of the smooth risk. Pin it to one core with
`taskset -c 0` for the issue's one-core figure; JAX runs on its default device (a GPU where one is).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from crunchtime import engine
from crunchtime.engine import jit
from crunchtime.model.plans.loading import load_plan
from crunchtime.model.scenario import load_scenario

VALUES = np.geomspace(0.1, 10.0, 7)  # safety_difficulty slider positions, cycled


def _ms(xs: list[float]) -> dict[str, float]:
    a = np.asarray(xs) * 1000.0
    return {"p50_ms": round(float(np.percentile(a, 50)), 1), "p95_ms": round(float(np.percentile(a, 95)), 1)}


def run(samples: int, calls: int, plans: list[str], numpy_too: bool = True) -> dict:
    sc = load_scenario("default")
    ps = [load_plan(p) for p in plans]

    def design(i: int) -> dict[str, np.ndarray]:
        return {"safety_difficulty": np.full(samples, float(VALUES[i % len(VALUES)]))}

    t = time.perf_counter()
    first = jit.simulate_chunk(sc, ps, 0, 0, samples, design=design(0))
    compile_s = time.perf_counter() - t
    t_np, t_jit, agree, rel = [], [], [], []
    for i in range(1, calls + 1):
        if numpy_too:
            t0 = time.perf_counter()
            a = engine.simulate_chunk(sc, ps, 0, 0, samples, design=design(i))
            t_np.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b = jit.simulate_chunk(sc, ps, 0, 0, samples, design=design(i))
        t_jit.append(time.perf_counter() - t0)
        if numpy_too:
            for x, y in zip(a, b):
                agree.append(float(np.mean(x.outcome == y.outcome)))
                risk_x, risk_y = x.scalars["catastrophe_risk"], y.scalars["catastrophe_risk"]
                rel.append(float(np.max(np.abs(risk_x - risk_y) / np.maximum(np.abs(risk_x), 1e-300))))
    import jax

    out = {
        "samples": samples,
        "plans": plans,
        "calls": calls,
        "device": str(jax.devices()[0]),
        "first_call_s": round(compile_s, 2),
        "jit": _ms(t_jit),
        "worlds": len(first[0].outcome),
    }
    if numpy_too:
        out["numpy"] = _ms(t_np)
        out["numpy_over_jit_p50"] = round(out["numpy"]["p50_ms"] / out["jit"]["p50_ms"], 2)
        out["same_outcome_min"] = min(agree)
        out["risk_rel_diff_max"] = max(rel)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", default="1024", help="comma-separated world counts")
    ap.add_argument("--calls", type=int, default=12)
    ap.add_argument("--plans", default="clymer,stop-now")
    ap.add_argument("--no-numpy", action="store_true", help="time the jit only (large sizes)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    results = [run(int(s), args.calls, args.plans.split(","), not args.no_numpy) for s in args.samples.split(",")]
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for r in results:
        line = (
            f"{r['samples']:>7} worlds x {len(r['plans'])} plans on {r['device']}: first call {r['first_call_s']} s; "
            f"jit p50 {r['jit']['p50_ms']} ms, p95 {r['jit']['p95_ms']} ms"
        )
        if "numpy" in r:
            line += (
                f"; numpy p50 {r['numpy']['p50_ms']} ms, p95 {r['numpy']['p95_ms']} ms; "
                f"numpy/jit {r['numpy_over_jit_p50']}x; same outcome >= {r['same_outcome_min']:.4f}; "
                f"smooth risk rel. diff <= {r['risk_rel_diff_max']:.1e}"
            )
        print(line)


if __name__ == "__main__":
    main()
