"""Latency of the arcade: POST /api/compare (1,024 trajectories x 2 plans) against the same api.compare call.

Usage: python benchmarks/bench_web.py [--samples 1024] [--requests 30] [--plans stop-now,clymer] [--jit]

Each request moves a slider (a different safety_difficulty value per request, as the page sends it), so
nothing is cached. The endpoint (through FastAPI's TestClient: validation, simulation, the page's extras,
JSON) and the bare `api.compare` with the same design are timed alternately in the same run, so load on
the machine hits both alike. Prints p50 and p95 (wall) of each, their ratio (the server's overhead), and
CPU-time p50s (a shared machine inflates wall time; CPU time much less). The
issue's target for the endpoint: p50 <= 100 ms, p95 <= 200 ms on one core. `--jit` serves and compares with
the JAX-compiled engine (`crunchtime serve --jit`; its compile happens in the warm-up requests).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from crunchtime import api

#: slider positions cycled through by the requests (a belief in its belief's range, every trajectory at it)
VALUES = np.geomspace(0.1, 10.0, 7)


def _quantiles(xs: list[float]) -> tuple[float, float]:
    a = np.asarray(xs) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=1024)
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--plans", default="stop-now,clymer")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--jit", action="store_true", help="the app and api.compare use the jit")
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from crunchtime.web.app import create_app

    plans = args.plans.split(",")
    client = TestClient(create_app(jit=args.jit))
    endpoint, direct, sizes, cpu_endpoint, cpu_direct = [], [], [], [], []
    for i in range(args.warmup + args.requests):
        v = float(VALUES[i % len(VALUES)])
        body = {
            "scenario": "default",
            "plans": plans,
            "samples": args.samples,
            "seed": 0,
            "parameters": {"safety_difficulty": v},
        }
        c0, t0 = time.process_time(), time.perf_counter()
        r = client.post("/api/compare", json=body)
        c1, t1 = time.process_time(), time.perf_counter()
        api.compare(
            "default",
            plans,
            samples=args.samples,
            seed=0,
            design={"safety_difficulty": np.full(args.samples, v)},
            jit=args.jit,
        )
        c2, t2 = time.process_time(), time.perf_counter()
        assert r.status_code == 200, r.text
        if i >= args.warmup:
            endpoint.append(t1 - t0)
            direct.append(t2 - t1)
            sizes.append(len(r.content))
            cpu_endpoint.append(c1 - c0)
            cpu_direct.append(c2 - c1)
    (ep50, ep95), (d50, d95) = _quantiles(endpoint), _quantiles(direct)
    (cep50, _), (cd50, _) = _quantiles(cpu_endpoint), _quantiles(cpu_direct)
    print(
        json.dumps(
            {
                "samples": args.samples,
                "plans": plans,
                "requests": args.requests,
                "jit": args.jit,
                "endpoint_ms": {"p50": round(ep50, 1), "p95": round(ep95, 1)},
                "api_compare_ms": {"p50": round(d50, 1), "p95": round(d95, 1)},
                "overhead_ratio_p50": round(ep50 / d50, 3),
                "cpu_ms_p50": {"endpoint": round(cep50, 1), "api_compare": round(cd50, 1)},
                "response_kib": round(np.mean(sizes) / 1024, 1),
            }
        )
    )
    print(
        f"POST /api/compare, {args.samples} trajectories x {len(plans)} plans, {args.requests} requests: "
        f"p50 {ep50:.0f} ms, p95 {ep95:.0f} ms"
    )
    print(f"api.compare, same inputs, alternated:            p50 {d50:.0f} ms, p95 {d95:.0f} ms")
    print(
        f"CPU time (this process, all threads) p50: endpoint {cep50:.0f} ms, api.compare {cd50:.0f} ms "
        "(less sensitive to other load on the machine than wall time)"
    )
    print(
        f"server overhead (endpoint p50 / api.compare p50): {ep50 / d50:.2f}x; answer {np.mean(sizes) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
