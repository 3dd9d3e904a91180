"""A synthetic but realistic simulation result in exactly the result contract's shape.

Built with numpy from a few per-plan parameters so the report can be developed and tested
before the engine exists. Not a model: numbers only need plausible shapes and consistency
(outcomes sum to one, risk hazards sum to P(catastrophe), milestones ordered in time).
"""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa

MILESTONES = (
    "3x_ai_rd",
    "first_dangerous_ai",
    "tedai",
    "deference",
    "recovery_phase_end",
    "superdangerous_ai",
    "obsolescence",
    "end_of_acute_risk",
)
OUTCOMES = ("catastrophe", "obsolescence", "coordinated_pause", "self_destruction", "unresolved")
SOURCES = ("direct", "proliferation", "sabotage", "competition", "human_takeover")
ACTORS = ("Magma", "Rival-1", "Rival-2")
KNOBS = (
    "velocity",
    "safety_share",
    "prep_share",
    "w_security",
    "w_alignment",
    "w_control",
    "w_evaluation",
    "w_governance",
    "w_defense",
    "w_distribution",
    "advocate_pause",
    "join_pause",
    "share_research",
    "defer_to_tedai",
    "self_destruct",
    "deploy",
    "seek_merger",
)
STATE_VARS = (
    "ai_rd_speedup",
    "capability",
    "political_will",
    "security_level",
    "alignment",
    "control",
    "preparation",
    "p_alive",
)

# per plan: outcome probabilities (catastrophe, obsolescence, pause, self-destruction, unresolved), pace
PLANS = {
    "clymer": ((0.18, 0.42, 0.22, 0.08, 0.10), 1.0),
    "stop-now": ((0.24, 0.10, 0.14, 0.40, 0.12), 0.3),
    "build-faster": ((0.33, 0.52, 0.05, 0.02, 0.08), 1.3),
    "idyllic-governance": ((0.09, 0.28, 0.50, 0.03, 0.10), 0.8),
    "race-then-pause": ((0.22, 0.36, 0.26, 0.06, 0.10), 1.1),
}


def _year_month(start: str, month: int) -> str:
    y, m = (int(x) for x in start.split("-"))
    total = y * 12 + (m - 1) + month
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def _binom(p: float, n: int) -> dict[str, float]:
    return {"p": float(p), "se": float(np.sqrt(max(p * (1 - p), 0.0) / n))}


def make_result(
    plans: tuple[str, ...] = tuple(PLANS), samples: int = 400, horizon: int = 96, seed: int = 0, start: str = "2025-01"
) -> tuple[dict, dict[str, pa.Table]]:
    """(summary, tables) for a comparison of `plans` (kind 'run' when there is one plan)."""
    rng = np.random.default_rng(seed)
    n = samples
    months = np.arange(horizon + 1)
    traj_parts, q_parts, risk_parts, plan_summaries = [], [], [], {}
    base_3x = rng.lognormal(np.log(20), 0.45, n)  # common random numbers across plans
    gaps = rng.lognormal(np.log(5), 0.6, (n, len(MILESTONES) - 1))
    u_outcome, u_when = rng.random(n), rng.random(n)
    u_src, u_act = rng.random(n), rng.random(n)
    for plan in plans:
        probs, pace = PLANS.get(plan, ((0.2, 0.4, 0.2, 0.1, 0.1), 1.0))
        mdates = np.cumsum(np.column_stack([base_3x, gaps / pace]), axis=1)
        mdates[mdates > horizon] = np.nan
        outcome_idx = np.searchsorted(np.cumsum(probs), u_outcome * 0.999999)
        outcome = np.array(OUTCOMES)[outcome_idx]
        lo = np.nan_to_num(mdates[:, 1], nan=horizon * 0.6)
        omonth = np.floor(lo + u_when * (horizon - lo)).clip(0, horizon).astype(float)
        omonth[outcome == "unresolved"] = np.nan
        is_cat = outcome == "catastrophe"
        src_p = np.array([0.45, 0.2, 0.12, 0.13, 0.1])
        act_p = np.array([0.35, 0.4, 0.25])
        source = np.where(is_cat, np.array(SOURCES)[np.searchsorted(np.cumsum(src_p), u_src * 0.999999)], None)
        actor = np.where(is_cat, np.array(ACTORS)[np.searchsorted(np.cumsum(act_p), u_act * 0.999999)], None)
        traj = {
            "plan": pa.array([plan] * n),
            "trajectory": pa.array(np.arange(n, dtype=np.int64)),
            "outcome": pa.array(outcome.tolist()),
            "outcome_month": pa.array(omonth),
            "catastrophe_source": pa.array(source.tolist(), pa.string()),
            "catastrophe_actor": pa.array(actor.tolist(), pa.string()),
        }
        for j, m in enumerate(MILESTONES):
            traj[f"m_{m}"] = pa.array(mdates[:, j])
        traj["max_ai_rd_speedup"] = pa.array(rng.lognormal(np.log(8 * pace), 0.5, n))
        traj["crunch_months"] = pa.array(rng.gamma(3, 3 / pace, n))
        traj["effective_safety_years"] = pa.array(rng.gamma(4, 1.5, n))
        traj_parts.append(pa.table(traj))

        # quantile curves: a logistic ramp around the median 3x date, spread by plan and variable
        t3 = float(np.nanmedian(mdates[:, 0]))
        ramp = 1 / (1 + np.exp(-(months - t3) / 6))
        curves: dict[str, np.ndarray] = {
            "ai_rd_speedup": 1 + 20 * pace * ramp**2,
            "capability": 1 + 10 * pace * ramp,
            "political_will": 0.1 + 0.6 * ramp * (1.2 - 0.2 * pace),
            "security_level": 1 + 3 * ramp,
            "alignment": 0.2 + 0.5 * ramp,
            "control": 0.2 + 0.6 * ramp,
            "preparation": 0.1 + 0.8 * ramp,
            "p_alive": 1 - probs[0] * ramp,
        }
        vel = np.clip(1 - (1 - pace * 0.6) * ramp, 0, 1) if plan != "stop-now" else np.full(len(months), 0.1)
        prep = np.clip(0.85 - 0.6 * ramp, 0.05, 1)
        safety = np.clip(0.05 + 0.4 * ramp * (2 - pace), 0, 1)
        for k in KNOBS:
            if k == "velocity":
                curves[f"knob:{k}"] = vel
            elif k == "prep_share":
                curves[f"knob:{k}"] = prep
            elif k == "safety_share":
                curves[f"knob:{k}"] = safety
            elif k.startswith("w_"):
                curves[f"knob:{k}"] = 0.5 + 0.4 * np.sin(months / 20 + len(k)) * ramp
            else:
                curves[f"knob:{k}"] = (ramp > (0.3 + 0.1 * (len(k) % 5))).astype(float) * 0.8
        curves["safety_prep_effort"] = safety * prep
        curves["safety_mitigation_effort"] = safety * (1 - prep)
        for var, mid in curves.items():
            spread = 0.15 * np.abs(mid) * (0.3 + ramp)
            is_flag = var.startswith("knob:") and var.split(":")[1] in KNOBS[10:]
            if is_flag:
                qs = {
                    "p10": np.zeros_like(mid),
                    "p25": np.zeros_like(mid),
                    "p50": (mid > 0.5).astype(float),
                    "p75": (mid > 0.2).astype(float),
                    "p90": (mid > 0).astype(float),
                    "mean": mid,
                }
            else:
                qs = {
                    "p10": mid - 1.28 * spread,
                    "p25": mid - 0.67 * spread,
                    "p50": mid,
                    "p75": mid + 0.67 * spread,
                    "p90": mid + 1.28 * spread,
                    "mean": mid,
                }
            q_parts.append(
                pa.table(
                    {
                        "plan": pa.array([plan] * len(months)),
                        "variable": pa.array([var] * len(months)),
                        "month": pa.array(months.astype(np.int32)),
                        "date": pa.array([_year_month(start, int(m)) for m in months]),
                        **{k: pa.array(v.astype(float)) for k, v in qs.items()},
                    }
                )
            )

        # risk: hazard mass per (month, source, actor) summing to the plan's P(catastrophe)
        p_cat = float(is_cat.mean())
        rows_m, rows_s, rows_a, rows_h = [], [], [], []
        for (si, s), (ai, a) in itertools.product(enumerate(SOURCES), enumerate(ACTORS)):
            skew = np.exp(-0.5 * ((months - (t3 + 18 / pace) - 4 * si + 6) / 12) ** 2)
            rows_m.append(months)
            rows_s += [s] * len(months)
            rows_a += [a] * len(months)
            rows_h.append(p_cat * src_p[si] * act_p[ai] * skew / skew.sum())
        risk_parts.append(
            pa.table(
                {
                    "plan": pa.array([plan] * len(rows_s)),
                    "month": pa.array(np.concatenate(rows_m).astype(np.int32)),
                    "source": pa.array(rows_s),
                    "actor": pa.array(rows_a),
                    "hazard": pa.array(np.concatenate(rows_h)),
                }
            )
        )

        reached = ~np.isnan(mdates)
        milestones = {}
        for j, m in enumerate(MILESTONES):
            vals = mdates[reached[:, j], j]
            q = np.percentile(vals, [10, 50, 90]) if len(vals) else [None] * 3
            milestones[m] = {
                "p_reached": float(reached[:, j].mean()),
                **{
                    k: (_year_month(start, int(v)) if v is not None else None)
                    for k, v in zip(("p10", "median", "p90"), q)
                },
            }
        plan_summaries[plan] = {
            "kind": "run",
            "scenario": "default",
            "plan": plan,
            "samples": n,
            "seed": seed,
            "start": start,
            "horizon_months": horizon,
            "crunchtime_version": "0.1.0",
            "outcomes": {o: _binom((outcome == o).mean(), n) for o in OUTCOMES},
            "events": {
                **{o: _binom((outcome == o).mean(), n) for o in OUTCOMES[:4]},
                "weight_theft": _binom(0.3 * pace / 1.3, n),
                "unsafe_handoff": _binom(0.05 * pace, n),
                "deference": _binom(float(reached[:, 3].mean()), n),
            },
            "milestones": milestones,
            "risk_by_source": {s: _binom(float((source == s).mean()), n) for s in SOURCES},
            "risk_by_actor": {a: _binom(float((actor == a).mean()), n) for a in ACTORS},
        }
    tables = {
        "trajectories": pa.concat_tables(traj_parts),
        "quantiles": pa.concat_tables(q_parts),
        "risk": pa.concat_tables(risk_parts),
    }
    if len(plans) == 1:
        return plan_summaries[plans[0]], tables
    outcome_by_plan = {p: np.array(t.column("outcome").to_pylist()) for p, t in zip(plans, traj_parts)}
    differences = []
    for a, b in itertools.combinations(plans, 2):
        for metric in OUTCOMES:
            d = (outcome_by_plan[a] == metric).astype(float) - (outcome_by_plan[b] == metric)
            se = d.std(ddof=1) / np.sqrt(n)
            differences.append(
                {
                    "a": a,
                    "b": b,
                    "metric": metric,
                    "diff": float(d.mean()),
                    "ci95": [float(d.mean() - 1.96 * se), float(d.mean() + 1.96 * se)],
                }
            )
    summary = {
        "kind": "compare",
        "scenario": "default",
        "samples": n,
        "seed": seed,
        "start": start,
        "horizon_months": horizon,
        "crunchtime_version": "0.1.0",
        "plans": plan_summaries,
        "differences": differences,
    }
    return summary, tables


def make_provenance(summary: dict) -> dict:
    """Provenance as the engine would record it (texts, hashes, seed, samples, timing)."""
    from crunchtime.results.store import make_provenance as mk

    plans = list(summary["plans"]) if summary["kind"] == "compare" else [summary["plan"]]
    return mk(
        scenario_name="default",
        scenario_text="name: default\nstart: 2025-01\nhorizon_months: 96\n",
        plans={p: f"name: {p}\nrules: []\n" for p in plans},
        seed=summary["seed"],
        samples=summary["samples"],
        started_at="2025-06-01T12:00:00+00:00",
        wall_time_s=3.2,
    )
