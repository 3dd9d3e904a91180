"""The arcade's latency targets on a CPU (issue 21): the first answer on one core, the full answer on a worker pool.

Usage: python benchmarks/bench_arcade.py [--workers 1,2] [--jit] [--one-core] [--moves 12] [--rounds 3] [--json]

Each move is what the page sends for a slider move (a new `safety_difficulty` every move, so nothing but the
sampled shocks is cached): `POST /api/compare` with 256 worlds (the first answer), then with 1,024 under the
same `X-Client`/`X-Generation` (the refinement, which adds 768 worlds to the kept first answer). It also
times a plain 1,024-world request (no first answer). For each worker count an app is served in this process
(FastAPI's TestClient; `create_app(workers=N)` starts N warm worker processes, N=1 simulates in-process),
and the apps take turns move by move, so load from other work on the machine hits them alike.

Prints, per worker count and stage, the p50 over each round's moves, then the median and the range (min-max)
of those p50s over the rounds, and the CPU seconds a move used (this process plus the workers, read from
/proc): less sensitive to a shared machine than wall time. `--one-core` pins this process (and so the
workers it spawns) to CPU 0 first, for the issue's one-core figure of the first answer; `--jit` serves
with the JAX-compiled engine (in one process the warm-up move compiles; a pool's workers compile the opening
plans as they start, and the benchmark waits for them). Targets: first
answer p50 <= 150 ms on one core; full answer p50 <= 350 ms with 2 workers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

VALUES = np.geomspace(0.1, 10.0, 7)  # safety_difficulty slider positions, cycled
BODY = {"scenario": "default", "plans": ["stop-now", "clymer"], "seed": 0}
STAGES = ("first_256", "refine_1024", "move_total", "plain_1024")


def _cpu_s(pids: list[int]) -> float:
    """User+system CPU seconds of this process and the given processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(os.times()[:2])
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def _move(client, pids: list[int], i: int, gen: int) -> dict[str, float]:
    """One slider move: first answer, its refinement; then a plain 1,024-world request. Seconds each."""
    body = BODY | {"parameters": {"safety_difficulty": float(VALUES[i % len(VALUES)])}}
    headers = {"X-Client": "bench", "X-Generation": str(gen)}
    out = {}
    c0, t0 = _cpu_s(pids), time.perf_counter()
    r1 = client.post("/api/compare", json=body | {"samples": 256}, headers=headers)
    t1 = time.perf_counter()
    r2 = client.post("/api/compare", json=body | {"samples": 1024}, headers=headers)
    t2, c2 = time.perf_counter(), _cpu_s(pids)
    r3 = client.post("/api/compare", json=body | {"samples": 1024})
    t3 = time.perf_counter()
    assert r1.status_code == r2.status_code == r3.status_code == 200, (r1.text, r2.text, r3.text)
    out.update(first_256=t1 - t0, refine_1024=t2 - t1, move_total=t2 - t0, plain_1024=t3 - t2, move_cpu=c2 - c0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--moves", type=int, default=12, help="moves per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--one-core", action="store_true", help="pin to CPU 0 first (taskset -c 0)")
    ap.add_argument(
        "--jit", action="store_true", help="serve with the jit (`serve --jit`; with workers > 1 each worker compiles)"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.one_core:
        os.sched_setaffinity(0, {0})
    from fastapi.testclient import TestClient

    from crunchtime.web.app import create_app

    counts = [int(w) for w in args.workers.split(",")]
    clients = {w: TestClient(create_app(workers=w, jit=args.jit)).__enter__() for w in counts}
    for c in clients.values():
        if c.app.state.pool is not None:
            c.app.state.pool.wait_ready(300)
        _move(c, [], 0, 0)  # warm-up: imports, caches, the first simulation
    p50s: dict[int, dict[str, list[float]]] = {w: {s: [] for s in (*STAGES, "move_cpu")} for w in counts}
    gen = 1
    for _ in range(args.rounds):
        times: dict[int, list[dict[str, float]]] = {w: [] for w in counts}
        for i in range(args.moves):
            for w, c in clients.items():
                pool = c.app.state.pool
                times[w].append(_move(c, pool.pids() if pool else [], i + 1, gen))
                gen += 1
        for w in counts:
            for s in p50s[w]:
                p50s[w][s].append(statistics.median(m[s] for m in times[w]))
    for c in clients.values():
        c.__exit__(None, None, None)
    report = {
        "cpus": sorted(os.sched_getaffinity(0)),
        "engine": "jit" if args.jit else "numpy",
        "load_average": os.getloadavg(),
        "moves_per_round": args.moves,
        "rounds": args.rounds,
        "results": {
            w: {
                s: {
                    "p50_ms": round(1000 * statistics.median(v), 1),
                    "range_ms": [round(1000 * min(v)), round(1000 * max(v))],
                }
                for s, v in p50s[w].items()
            }
            for w in counts
        },
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{report['engine']}; CPUs {report['cpus']}, load average {tuple(round(x, 2) for x in report['load_average'])}; "
        f"{args.rounds} rounds of {args.moves} moves; p50 per round, then median [min-max] over rounds (ms)"
    )
    print("| workers | first answer (256) | refinement (to 1,024) | move total | plain 1,024 | CPU s per move |")
    print("| --- | --- | --- | --- | --- | --- |")
    for w, r in report["results"].items():
        cells = [f"{r[s]['p50_ms']:.0f} [{r[s]['range_ms'][0]}-{r[s]['range_ms'][1]}]" for s in STAGES]
        print(f"| {w} | " + " | ".join(cells) + f" | {r['move_cpu']['p50_ms'] / 1000:.2f} |")


if __name__ == "__main__":
    main()
