"""Implied dates and takeoff speed of the world model (docs/model.md, "Implied dates and takeoff speed").

Run: python benchmarks/implied_dates.py [--samples 4096] [--seed 2026] [--json]

For each built-in scenario (default, clymer-2025) and two fixed plans -- `steady` (every knob at its
contract default: full velocity, 5% safety, joins pauses, never defers) and the built-in `build-faster` --
prints the milestone dates (p10 / median / p90 from `result.summary()["milestones"]`), the takeoff
intervals between milestones (from `result.milestones`), and the share of trajectories whose capability
grows by at least 3 or 10 "years of progress" in some 12-month window within 48 months after TEDAI
(the Davidson & Houlden 2025 headline conditions; trajectories with no complete window before the
horizon are left out), in two units: D&H's (8 doublings of effective compute = one year) and the
model's own (12 months of Magma's baseline effective-compute growth, 12 * g_eff0).
Milestone dates are capability dates: the world keeps evolving after a catastrophe, so they are
reported over all trajectories (see docs/model.md).
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from crunchtime import Plan, load_plan, load_scenario, simulate
from crunchtime.engine import BLOCK, SERIES_ALL, block_inputs
from crunchtime.model.state import MS

SCENARIOS = ("default", "clymer-2025")
INTERVALS = (
    ("3x_ai_rd", "tedai"),
    ("first_dangerous_ai", "tedai"),
    ("tedai", "superdangerous_ai"),
    ("3x_ai_rd", "superdangerous_ai"),
)
DH_DOUBLINGS_PER_YEAR = 8.0  # Davidson & Houlden's unit: one year of recent overall AI progress


def _plans() -> list:
    plans: list = [Plan.fixed("steady", "every knob at its default (velocity 1)")]
    try:
        plans.append(load_plan("build-faster"))
    except Exception as exc:  # the plan layer may be missing in a partial checkout
        print(f"(build-faster unavailable: {exc})")
    return plans


def _quantiles(x: np.ndarray) -> dict[str, float | None]:
    x = x[~np.isnan(x)]
    if not x.size:
        return {"p10": None, "median": None, "p90": None}
    q = np.quantile(x, [0.1, 0.5, 0.9])
    return {"p10": float(q[0]), "median": float(q[1]), "p90": float(q[2])}


def _baseline_growth(scenario, seed: int, samples: int) -> np.ndarray:
    """Magma's baseline effective-compute doublings per month (g_eff0) of each trajectory, replayed."""
    blocks = -(-samples // BLOCK)
    g = np.concatenate([block_inputs(scenario, seed, b)[0]["g_eff0"] for b in range(blocks)])
    return g[:samples]


def compression(result, g_eff0: np.ndarray, window: int = 12, horizon: int = 48) -> dict[str, float]:
    """Share of trajectories gaining >= 3 / >= 10 years of progress in some 12-month window that starts
    within `horizon` months after TEDAI (D&H's conditions use any window in 48 months after ASARA)."""
    cap = result.series_kept[:, SERIES_ALL.index("capability"), :].astype(float) / np.log10(2.0)  # doublings
    H, kept = cap.shape
    tedai = result.milestones[:kept, MS["tedai"]]
    gains = cap[window:] - cap[:-window]  # (H - window, kept)
    starts = np.arange(H - window)[:, None]
    inside = (starts >= tedai[None, :]) & (starts <= tedai[None, :] + horizon - window)
    ok = inside.any(axis=0)
    best = np.where(inside, gains, -np.inf).max(axis=0)
    native = 12.0 * g_eff0[:kept] * window / 12.0
    out: dict[str, float] = {"n_with_window_after_tedai": int(ok.sum())}
    for years in (3, 10):
        out[f"p_ge_{years}y_dh_units"] = float((best[ok] >= years * DH_DOUBLINGS_PER_YEAR).mean())
        out[f"p_ge_{years}y_model_units"] = float((best[ok] >= years * native[ok]).mean())
    out["median_best_doublings_in_window"] = float(np.median(best[ok]))
    out["median_model_year_doublings"] = float(np.median(12.0 * g_eff0))
    return out


def run(samples: int, seed: int) -> dict:
    report: dict = {"samples": samples, "seed": seed, "scenarios": {}}
    for name in SCENARIOS:
        sc = load_scenario(name)
        g = _baseline_growth(sc, seed, samples)
        per_plan = {}
        for plan in _plans():
            r = simulate(sc, plan, samples=samples, seed=seed)
            s = r.summary()
            ms = r.milestones
            intervals = {
                f"{a}->{b}": {
                    **_quantiles(ms[:, MS[b]] - ms[:, MS[a]]),
                    "p_both": float((~np.isnan(ms[:, MS[a]]) & ~np.isnan(ms[:, MS[b]])).mean()),
                }
                for a, b in INTERVALS
            }
            per_plan[plan.name] = {
                "milestones": s["milestones"],
                "intervals_months": intervals,
                "sie_compression": compression(r, g),
                "outcomes": s["outcomes"],
            }
        report["scenarios"][name] = {"start": sc.start, "horizon_months": sc.horizon_months, "plans": per_plan}
    return report


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}"


def print_report(rep: dict) -> None:
    print(f"samples={rep['samples']} seed={rep['seed']}")
    for sc, d in rep["scenarios"].items():
        for plan, r in d["plans"].items():
            print(f"\n== {sc} (start {d['start']}, horizon {d['horizon_months']} months), plan {plan}")
            for m, e in r["milestones"].items():
                print(f"  {m:22s} P={e['p_reached']:.3f}  p10 {e['p10']}  median {e['median']}  p90 {e['p90']}")
            for k, e in r["intervals_months"].items():
                print(
                    f"  {k:34s} months p10 {_fmt(e['p10'])} median {_fmt(e['median'])} p90 {_fmt(e['p90'])}"
                    f"  (both reached {e['p_both']:.3f})"
                )
            c = r["sie_compression"]
            print(
                f"  after TEDAI (n={c['n_with_window_after_tedai']}): median {c['median_best_doublings_in_window']:.1f}"
                f" doublings in the fastest 12 months; P(>=3y) {c['p_ge_3y_dh_units']:.3f} D&H units,"
                f" {c['p_ge_3y_model_units']:.3f} model units; P(>=10y) {c['p_ge_10y_dh_units']:.3f} / "
                f"{c['p_ge_10y_model_units']:.3f} (model year = {c['median_model_year_doublings']:.2f} doublings)"
            )
            o = r["outcomes"]
            print("  outcomes: " + ", ".join(f"{k} {v['p']:.3f}±{v['se']:.3f}" for k, v in o.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rep = run(a.samples, a.seed)
    if a.json:
        print(json.dumps(rep, indent=1))
    else:
        print_report(rep)


if __name__ == "__main__":
    main()
