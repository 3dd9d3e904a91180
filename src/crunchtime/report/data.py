"""Turns a result (summary dict + Arrow tables in the result contract's shape) into arrays for figures.

All per-trajectory work is vectorised over the trajectories of one plan at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crunchtime.report.style import MILESTONES, OUTCOMES


def plan_summaries(summary: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-plan run summaries: the comparison's `plans`, or {plan: summary} for a single run."""
    if summary.get("kind") == "compare" and isinstance(summary.get("plans"), Mapping):
        return dict(summary["plans"])
    return {str(summary.get("plan", "plan")): dict(summary)}


def start_year(summary: Mapping[str, Any]) -> float:
    """The scenario's start month ('YYYY-MM') as a decimal year."""
    start = summary.get("start")
    if start is None:
        first = next(iter(plan_summaries(summary).values()), {})
        start = first.get("start", "2025-01")
    y, m = (int(x) for x in str(start).split("-")[:2])
    return y + (m - 1) / 12


def horizon(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> int:
    """The horizon in months: from the summary, else the largest month in the tables."""
    h = summary.get("horizon_months") or next(iter(plan_summaries(summary).values()), {}).get("horizon_months")
    if h:
        return int(h)
    for name in ("quantiles", "risk"):
        if name in tables and tables[name].num_rows:
            return int(pc.max(tables[name]["month"]).as_py())
    return 96


def for_plan(table: pa.Table, plan: str) -> pa.Table:
    """Rows of `table` belonging to `plan`."""
    return table.filter(pc.equal(table["plan"], plan))


def _floats(table: pa.Table, column: str) -> np.ndarray:
    return table[column].to_numpy(zero_copy_only=False).astype(float)


@dataclass(frozen=True)
class Cumulative:
    """Cumulative probability of each dated outcome by month, with binomial standard errors."""

    months: np.ndarray
    p: dict[str, np.ndarray]
    se: dict[str, np.ndarray]
    n: int


def cumulative_outcomes(traj: pa.Table, horizon_months: int) -> Cumulative:
    """P(outcome reached by month m) for each outcome but `unresolved`, from outcome and outcome_month."""
    n = traj.num_rows
    outcome = np.asarray(traj["outcome"].to_pylist(), dtype=object)
    month = _floats(traj, "outcome_month")
    months = np.arange(horizon_months + 1)
    p, se = {}, {}
    for o in OUTCOMES[:-1]:
        sel = (outcome == o) & np.isfinite(month)
        counts = np.bincount(np.clip(month[sel], 0, horizon_months).astype(int), minlength=horizon_months + 1)
        f = np.cumsum(counts) / max(n, 1)
        p[o], se[o] = f, np.sqrt(f * (1 - f) / max(n, 1))
    return Cumulative(months, p, se, n)


@dataclass(frozen=True)
class MilestoneStats:
    name: str
    p_reached: float
    se: float
    p10: float
    p50: float
    p90: float


def milestone_stats(traj: pa.Table) -> list[MilestoneStats]:
    """p_reached and the p10/median/p90 month of each milestone column present (Figure 2 order)."""
    n = max(traj.num_rows, 1)
    names = [m for m in MILESTONES if f"m_{m}" in traj.column_names]
    names += [c[2:] for c in traj.column_names if c.startswith("m_") and c[2:] not in names]
    out = []
    for m in names:
        v = _floats(traj, f"m_{m}")
        v = v[np.isfinite(v)]
        p = len(v) / n
        q = np.percentile(v, [10, 50, 90]) if len(v) else np.full(3, np.nan)
        out.append(MilestoneStats(m, p, float(np.sqrt(p * (1 - p) / n)), *map(float, q)))
    return out


@dataclass(frozen=True)
class Series:
    months: np.ndarray
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    mean: np.ndarray


def series(quantiles: pa.Table, plan: str, variable: str) -> Series | None:
    """One variable's quantile curves for one plan, sorted by month (None if absent)."""
    t = quantiles.filter(pc.and_(pc.equal(quantiles["plan"], plan), pc.equal(quantiles["variable"], variable)))
    if t.num_rows == 0:
        return None
    t = t.sort_by("month")
    return Series(t["month"].to_numpy().astype(int), *(_floats(t, c) for c in ("p10", "p50", "p90", "mean")))


def variables(quantiles: pa.Table) -> list[str]:
    """Distinct variable names in first-appearance order."""
    return list(dict.fromkeys(pc.unique(quantiles["variable"]).to_pylist()))


def risk_stack(risk: pa.Table, plan: str, by: str, horizon_months: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(months, keys, hazard[key, month]) summed over the other dimension for one plan."""
    t = for_plan(risk, plan)
    months = np.arange(horizon_months + 1)
    keys = list(dict.fromkeys(t[by].to_pylist()))
    idx = {k: i for i, k in enumerate(keys)}
    key_i = np.array([idx[k] for k in t[by].to_pylist()], dtype=int)
    m = np.clip(t["month"].to_numpy().astype(int), 0, horizon_months)
    out = np.zeros((len(keys), len(months)))
    np.add.at(out, (key_i, m), _floats(t, "hazard"))
    return months, keys, out
