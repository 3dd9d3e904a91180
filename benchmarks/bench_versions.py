"""Throughput of this checkout's engine against an earlier commit's, measured side by side in one run.

Usage: python benchmarks/bench_versions.py [--against 529cc3e] [--samples 2048] [--repeats 5]

The earlier commit is checked out into a temporary git worktree; each round times `simulate` of the
`clymer` plan on `default` in a fresh subprocess for each tree (alternating, so machine load hits both
alike) and keeps each tree's best time. Prints trajectory-months per second for both and their ratio
(the claim for model v2: at least the v1 engine's throughput, ratio >= 1 within noise).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = """
import time
from crunchtime.model.plans import load_plan
from crunchtime.model.scenario import load_scenario
import crunchtime.api as api
sc, plan = load_scenario("default"), load_plan("clymer")
api.simulate(sc, plan, samples=256, seed=0)
t = time.perf_counter(); api.simulate(sc, plan, samples={n}, seed=0)
print(time.perf_counter() - t, sc.horizon_months)
"""


def time_tree(src: Path, samples: int) -> tuple[float, int]:
    """Seconds for one `simulate` of `samples` trajectories with the package from `src`, and the horizon."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET.format(n=samples)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="529cc3e", help="git commit to compare with (default: the v1 model)")
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), a.against], check=True)
        try:
            best = {"this checkout": float("inf"), a.against: float("inf")}
            horizon = {}
            for _ in range(a.repeats):
                for label, src in (("this checkout", ROOT / "src"), (a.against, old / "src")):
                    sec, horizon[label] = time_tree(src, a.samples)
                    best[label] = min(best[label], sec)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
    rate = {k: a.samples * horizon[k] / v for k, v in best.items()}
    for label, r in rate.items():
        print(
            f"{label:>14}: {r:,.0f} trajectory-months/s (best of {a.repeats}: {best[label]:.2f} s for "
            f"{a.samples} trajectories x {horizon[label]} months)"
        )
    print(f"ratio this checkout / {a.against}: {rate['this checkout'] / rate[a.against]:.2f}")


if __name__ == "__main__":
    main()
