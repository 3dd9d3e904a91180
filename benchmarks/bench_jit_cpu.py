"""Why the jit gains nothing on a CPU: numpy and the jit side by side at 256, 1,024 and 4,096 worlds, and the
cost of each float64 function in numpy and in XLA.

Usage: python benchmarks/bench_jit_cpu.py [--samples 256,1024,4096] [--calls 5] [--one-thread] [--json]

Part 1 (the model): one chunk of N worlds x 2 plans (clymer, stop-now), numpy and jit alternated call by
call in the same run (`bench_jit.run`), p50 of each and their ratio. Part 2 (the diagnosis): nanoseconds
per element of the float64 functions the model calls every month (exp, exp2, log, log2, log1p, power) and
of a multiply-add, numpy against XLA (`jax.jit`) on the same 400k-element array. `--one-thread` sets
XLA's CPU flags for one thread (`--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`);
run it under `taskset -c 0` for one-core figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

#: numpy function, the same in jax.numpy (by name), and the input range it is timed on
FUNCTIONS = {
    "exp": (np.exp, "exp", (0.5, 1.5)),
    "exp2": (np.exp2, "exp2", (0.5, 1.5)),
    "log": (np.log, "log", (0.5, 1.5)),
    "log2": (np.log2, "log2", (0.5, 1.5)),
    "log1p": (np.log1p, "log1p", (0.5, 1.5)),
    "power": (lambda a: a**1.37, "power", (0.5, 1.5)),
    "multiply-add": (lambda a: a * 1.3 + 0.2, None, (0.5, 1.5)),
}


def per_element(size: int = 400_000, repeats: int = 20) -> dict[str, dict[str, float]]:
    """ns per element of each function, numpy and XLA, float64."""
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    out = {}
    for name, (np_fn, jnp_name, (lo, hi)) in FUNCTIONS.items():
        x = np.random.default_rng(0).uniform(lo, hi, size)
        if jnp_name == "power":
            jx_fn = jax.jit(lambda a: jnp.power(a, 1.37))
        elif jnp_name is None:
            jx_fn = jax.jit(lambda a: a * 1.3 + 0.2)
        else:
            jx_fn = jax.jit(getattr(jnp, jnp_name))
        xj = jnp.asarray(x)
        jx_fn(xj).block_until_ready()
        t = time.perf_counter()
        for _ in range(repeats):
            np_fn(x)
        t_np = (time.perf_counter() - t) / repeats
        t = time.perf_counter()
        for _ in range(repeats):
            jx_fn(xj).block_until_ready()
        t_xla = (time.perf_counter() - t) / repeats
        out[name] = {
            "numpy_ns": round(t_np * 1e9 / size, 2),
            "xla_ns": round(t_xla * 1e9 / size, 2),
            "xla_over_numpy": round(t_xla / t_np, 2),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", default="256,1024,4096")
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--one-thread", action="store_true", help="XLA on one thread (set before JAX loads)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.one_thread:
        os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_jit import run

    model = [run(int(s), args.calls, ["clymer", "stop-now"]) for s in args.samples.split(",")]
    functions = per_element()
    report = {
        "cpus": sorted(os.sched_getaffinity(0)),
        "load_average": os.getloadavg(),
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
        "model": model,
        "functions": functions,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"CPUs {report['cpus']}, load average {tuple(round(x, 2) for x in report['load_average'])}, "
        f"XLA_FLAGS={report['xla_flags']!r}; {args.calls} calls per path, alternated"
    )
    print("| worlds x plans | numpy p50 | jit p50 | numpy / jit | first jit call (compile) |")
    print("| --- | --- | --- | --- | --- |")
    for r in model:
        print(
            f"| {r['samples']:,} x 2 | {r['numpy']['p50_ms']:.0f} ms | {r['jit']['p50_ms']:.0f} ms | "
            f"{r['numpy_over_jit_p50']:.2f} | {r['first_call_s']} s |"
        )
    print("\n| float64 function | numpy ns/element | XLA ns/element | XLA / numpy |")
    print("| --- | --- | --- | --- |")
    for name, f in functions.items():
        print(f"| {name} | {f['numpy_ns']} | {f['xla_ns']} | {f['xla_over_numpy']} |")


if __name__ == "__main__":
    main()
