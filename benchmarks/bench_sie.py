"""Benchmark: vectorised SIE simulation vs a per-sample Python loop on the same parameter draws.

Run: python benchmarks/bench_sie.py [--samples 4096] [--repeats 3]
Prints the speed-up ratio (baseline time / vectorised time) measured in this run, and checks both agree.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from crunchtime.takeoff.sie import PAPER_CONDITIONS, evaluate
from crunchtime.takeoff.sie_params import CHUNK_SIZE, SIEParams, SIESamples, sample_chunk


def per_sample_hits(samples: SIESamples, params: SIEParams) -> np.ndarray:
    """Baseline: simulate each sample with Python floats, one doubling at a time, then scan its windows."""
    ks = [c.doublings(params) for c in PAPER_CONDITIONS]
    out = np.zeros((len(samples), len(ks)), dtype=bool)
    for i in range(len(samples)):
        r0, d, p, dt = (
            float(x[i]) for x in (samples.r0, samples.limit_doublings, samples.p, samples.initial_doubling_months)
        )
        t, n, times = 0.0, 0, [0.0]
        while t < params.horizon_months and n < d:
            t += dt
            n += 1
            times.append(t)
            r = r0 * (1 - n / d)
            if r > 0:
                try:
                    dt *= 2.0 ** (p * (1 / r - 1))
                except OverflowError:
                    dt = math.inf
        for j, (k, cond) in enumerate(zip(ks, PAPER_CONDITIONS)):
            out[i, j] = any(times[a + k] - times[a] <= cond.months for a in range(len(times) - k))
    return out


def _best_of(fn, repeats: int) -> tuple[float, object]:
    best, value = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=CHUNK_SIZE)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    params = SIEParams()
    chunks = [sample_chunk(params, 0, c) for c in range(-(-args.samples // CHUNK_SIZE))]
    samples = SIESamples(
        *(
            np.concatenate([getattr(s, f) for s in chunks])[: args.samples]
            for f in ("speedup", "r0", "limit_doublings", "p", "initial_doubling_months")
        )
    )
    t_loop, loop_hits = _best_of(lambda: per_sample_hits(samples, params), 1)
    t_vec, vec_hits = _best_of(lambda: evaluate(samples, params, PAPER_CONDITIONS), args.repeats)
    assert np.array_equal(loop_hits, vec_hits), "vectorised and per-sample results differ"
    print(f"samples: {args.samples}")
    print(f"per-sample loop: {t_loop:.3f} s   vectorised: {t_vec:.4f} s")
    print(f"speed-up ratio (loop / vectorised): {t_loop / t_vec:.1f}x")


if __name__ == "__main__":
    main()
