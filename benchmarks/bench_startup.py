"""Benchmark: whole-command start-up, this tree against a baseline tree, side by side in one run.

Run: python benchmarks/bench_startup.py --baseline /path/to/old/checkout [--repeats 7]

Each command runs as a fresh process (`python -m crunchtime ...`) with PYTHONPATH pointing at one tree's `src/`,
alternating baseline and current so machine noise hits both alike. Prints min and median wall time per command
and tree, and the ratio baseline/current of the medians (above 1: this tree is faster). Make the baseline with
`git worktree add /tmp/before COMMIT`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "src" / "crunchtime" / "model" / "plans" / "builtin" / "clymer.yaml"
COMMANDS = {
    "--help": ["--help"],
    "validate FILE": ["validate", str(PLAN)],
    "takeoff sie --samples 200000": ["takeoff", "sie", "--samples", "200000", "--json"],
}


def _time(src: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "crunchtime", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{src}: crunchtime {' '.join(args)} failed: {proc.stderr.strip()[-300:]}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, required=True, help="a checkout of the baseline commit")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    trees = {"baseline": args.baseline / "src", "current": ROOT / "src"}
    print(f"{'command':32} {'baseline med':>12} {'current med':>12} {'(min)':>14} {'ratio':>7}")
    for label, cmd in COMMANDS.items():
        times: dict[str, list[float]] = {k: [] for k in trees}
        for _ in range(args.repeats):
            for k, src in trees.items():
                times[k].append(_time(src, cmd))
        med = {k: statistics.median(v) for k, v in times.items()}
        mins = f"{min(times['baseline']):.3f}/{min(times['current']):.3f}"
        print(
            f"{label:32} {med['baseline']:12.3f} {med['current']:12.3f} {mins:>14} {med['baseline'] / med['current']:7.2f}x"
        )


if __name__ == "__main__":
    main()
