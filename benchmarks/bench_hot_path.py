"""Latency of the web app's call, plain numpy path versus the hot path, measured side by side in one run.

Usage: python benchmarks/bench_hot_path.py [--samples 1024] [--calls 40] [--scenario default]
                                           [--plan clymer] [--baseline stop-now] [--against 119f33d]

Each call is what a slider move costs the server: `api.compare(scenario, [plan, baseline], samples, seed=0,
design={parameter: value})` with the same seed and a new value of one belief each time. Calls alternate
between the plain path (`engine.hot_path(False)`: inputs drawn afresh, one state per plan: the engine as it
was) and the hot path (cached inputs, both plans in one batched state), so machine load hits both alike.
Prints p50/p95 wall-clock and CPU latency for both and their ratio, and checks that both paths give
bit-identical results. Runs single-threaded (BLAS/OpenMP threads pinned to 1 before numpy loads).

`--against COMMIT` also times the same calls with an earlier commit's engine (checked out into a temporary
git worktree, run in a subprocess between rounds of this checkout's calls), e.g. the engine before the hot
path work, and checks its results hash equal to this checkout's.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import ExitStack, contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from crunchtime import api, engine  # noqa: E402

SLIDER = "safety_difficulty"  # the belief the simulated slider moves
ROOT = Path(__file__).resolve().parents[1]

# run in a subprocess with an earlier tree on PYTHONPATH: times `calls` web-app calls, prints JSON
SNIPPET = """
import os, sys, time, json, hashlib
import numpy as np
from crunchtime import api
sc = api.load_scenario({scenario!r}); plans = [api.load_plan({plan!r}), api.load_plan({baseline!r})]
values = {values!r}
out = {{"wall": [], "cpu": [], "digests": []}}
for i, v in enumerate(values):
    design = {{{slider!r}: np.full({samples}, v)}}
    w, c = time.perf_counter(), time.process_time()
    res = api.compare(sc, plans, samples={samples}, seed=0, design=design)
    w, c = time.perf_counter() - w, time.process_time() - c
    if i:
        out["wall"].append(w); out["cpu"].append(c)
    out["digests"].append(__DIGEST__(res))
print(json.dumps(out))
"""


def _call(sc, plans, samples: int, value: float, fast: bool):
    design = {SLIDER: np.full(samples, value)}
    with engine.hot_path(fast):
        w, c = time.perf_counter(), time.process_time()
        res = api.compare(sc, plans, samples=samples, seed=0, design=design)
        return res, time.perf_counter() - w, time.process_time() - c


def _arrays(res) -> list[np.ndarray]:
    out = []
    for name in res.plans:
        x = res[name]
        out += [
            x.outcome,
            x.outcome_month,
            x.milestones,
            x.series_kept,
            x.series_mean,
            x.risk,
            x.speedup_paths,
            x.cat_source,
            x.cat_actor,
        ]
        out += [x.events[k] for k in sorted(x.events)] + [x.scalars[k] for k in sorted(x.scalars)]
    return out


def digest(res) -> str:
    """SHA-256 of every per-trajectory array and aggregate of a comparison (dtype, shape and bytes)."""
    h = hashlib.sha256()
    for a in _arrays(res):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


@contextmanager
def _tree(commit: str) -> Iterator[Path]:
    """`commit`'s sources in a temporary git worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), commit], check=True)
        try:
            yield old / "src"
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)


def _time_tree(src: Path, a, values) -> dict:
    """Time the calls with the engine in `src` in a subprocess (a warm-up call first, then each value)."""
    import inspect

    code = SNIPPET.format(
        scenario=a.scenario,
        plan=a.plan,
        baseline=a.baseline,
        values=[float(values[0])] + [float(v) for v in values],
        slider=SLIDER,
        samples=a.samples,
    )
    helpers = inspect.getsource(_arrays) + "\n" + inspect.getsource(digest)
    code = code.replace("__DIGEST__", "digest").replace(
        "from crunchtime import api", "from crunchtime import api\n" + helpers
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = json.loads(
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    )
    out["digests"] = out["digests"][1:]
    return out


def _same(a, b) -> bool:
    """Every per-trajectory array and aggregate of two comparisons equal, bit for bit."""
    for name in a.plans:
        x, y = a[name], b[name]
        arrays = [
            (x.outcome, y.outcome),
            (x.outcome_month, y.outcome_month),
            (x.milestones, y.milestones),
            (x.series_kept, y.series_kept),
            (x.series_mean, y.series_mean),
            (x.risk, y.risk),
            (x.speedup_paths, y.speedup_paths),
            (x.cat_source, y.cat_source),
            (x.cat_actor, y.cat_actor),
        ]
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
    ap.add_argument("--against", help="also time an earlier commit's engine (e.g. 119f33d, before the hot path)")
    a = ap.parse_args()
    sc = api.load_scenario(a.scenario)
    plans = [api.load_plan(a.plan), api.load_plan(a.baseline)]
    spec = next(p for p in api.parameters(sc) if p.name == SLIDER)
    values = spec.ppf(np.linspace(0.05, 0.95, a.calls + 1))
    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    identical = True
    rounds = 4  # the earlier commit's calls run in this many subprocesses between this checkout's calls
    with ExitStack() as stack:
        old_src = stack.enter_context(_tree(a.against)) if a.against else None
        if old_src:
            wall[a.against], cpu[a.against] = [], []
        for chunk in np.array_split(np.arange(len(values)), rounds):
            digests = []
            for i in chunk:
                out = {}
                for fast in (False, True) if i % 2 else (True, False):
                    out[fast], w, c = _call(sc, plans, a.samples, float(values[i]), fast)
                    if i:  # the first call warms up (imports, caches, the input cache's first fill)
                        wall[fast].append(w)
                        cpu[fast].append(c)
                identical &= _same(out[False], out[True])
                digests.append(digest(out[True]))
            if old_src:
                old = _time_tree(old_src, a, values[chunk])
                wall[a.against] += old["wall"]
                cpu[a.against] += old["cpu"]
                identical &= old["digests"] == digests
    print(
        f"{a.samples} trajectories x {sc.horizon_months} months x 2 plans ({a.plan} + {a.baseline}), "
        f"{a.calls} calls per path, same seed, {SLIDER} changed each call, one thread"
    )
    paths = [(f"engine at {a.against}", a.against)] if a.against else []
    paths += [("plain numpy path", False), ("hot path", True)]
    for label, fast in paths:
        w, c = np.array(wall[fast]) * 1e3, np.array(cpu[fast]) * 1e3
        print(
            f"{label:>19}: wall p50 {np.percentile(w, 50):6.0f} ms  p95 {np.percentile(w, 95):6.0f} ms   "
            f"CPU p50 {np.percentile(c, 50):6.0f} ms  p95 {np.percentile(c, 95):6.0f} ms"
        )
    ratio_w = np.median(wall[False]) / np.median(wall[True])
    ratio_c = np.median(cpu[False]) / np.median(cpu[True])
    print(f"ratio plain / hot path (medians): wall {ratio_w:.2f}x, CPU {ratio_c:.2f}x")
    if a.against:
        print(
            f"ratio engine at {a.against} / hot path (medians): wall "
            f"{np.median(wall[a.against]) / np.median(wall[True]):.2f}x, CPU "
            f"{np.median(cpu[a.against]) / np.median(cpu[True]):.2f}x"
        )
    print(f"results bit-identical on every call{' (all paths)' if a.against else ''}: {identical}")


if __name__ == "__main__":
    main()
