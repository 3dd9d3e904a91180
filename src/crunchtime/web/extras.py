"""What the page draws beyond `crunchtime compare --json`: milestone months, risk by source over time,
and one sampled world month by month (from the per-trajectory series the result keeps)."""

from __future__ import annotations

from typing import Any

import numpy as np

from crunchtime import api

#: the series of one sampled world the page plays: the race, the knobs, safety and will
WORLD_SERIES = (
    "ai_rd_speedup",
    "frontier_ai_rd_speedup",
    "lead_months",
    "danger",
    "hazard_total",
    "p_alive",
    "political_will",
    "awareness",
    "security_level",
    "alignment",
    "control",
    "evaluation",
    "preparation",
    "pause_active",
    "knob:velocity",
    "knob:safety_share",
    "knob:prep_share",
    "knob:advocate_pause",
    "knob:defer_to_tedai",
    "knob:self_destruct",
)
#: milestone quantiles drawn in the Figure 2 timeline (the report's p10, median, p90)
MILESTONE_QUANTILES = (0.1, 0.5, 0.9)


def _nan_to_none(x: np.ndarray) -> list[float | None]:
    """Values rounded to 6 decimals (JSON stays small), NaN and infinities as None (null)."""
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(x)
    out = np.round(np.where(finite, x, 0.0), 6).tolist()
    return out if finite.all() else [v if ok else None for v, ok in zip(out, finite.tolist())]


def milestones(res: api.SimulationResult) -> dict[str, dict[str, Any]]:
    """Per milestone: share of worlds that reach it and the p10/median/p90 month among them."""
    out = {}
    for i, name in enumerate(api.MILESTONES):
        col = res.milestones[:, i]
        hit = col[np.isfinite(col)]
        q = np.quantile(hit, MILESTONE_QUANTILES, method="inverted_cdf") if hit.size else [np.nan] * 3
        out[name] = {"p_reached": hit.size / res.samples, "months": _nan_to_none(np.asarray(q, dtype=float))}
    return out


def cumulative_risk(res: api.SimulationResult) -> dict[str, list[float | None]]:
    """Per source: probability of catastrophe from that source by each month (summed over actors)."""
    monthly = res.risk.sum(axis=2)  # (H, S)
    cum = np.cumsum(monthly, axis=0)
    return {s: _nan_to_none(cum[:, j]) for j, s in enumerate(api.SOURCES)}


def world(res: api.SimulationResult, index: int) -> dict[str, Any]:
    """One sampled world (trajectory `index`): its series, outcome and milestone months."""
    series = res.kept_series(index, WORLD_SERIES)
    source = int(res.cat_source[index])
    return {
        "series": {v: _nan_to_none(x) for v, x in series.items()},
        "outcome": api.OUTCOMES[int(res.outcome[index])],
        "outcome_month": None if not np.isfinite(res.outcome_month[index]) else float(res.outcome_month[index]),
        "catastrophe_source": api.SOURCES[source] if source >= 0 else None,
        "world_outcome": api.WORLD_OUTCOMES[int(res.world_outcome[index])],
        "world_outcome_month": None if not np.isfinite(res.world_month[index]) else float(res.world_month[index]),
        "magma_path": api.MAGMA_PATHS[int(res.magma_path[index])],
        "magma_path_month": None if not np.isfinite(res.path_month[index]) else float(res.path_month[index]),
        "horizon_hazard": float(res.horizon_hazard[index]),
        "milestones": dict(zip(api.MILESTONES, _nan_to_none(res.milestones[index]))),
    }


def page_data(cmp: api.ComparisonResult, world_index: int) -> dict[str, Any]:
    """The `page` key of the /api/compare answer."""
    first = cmp[cmp.plans[0]]
    kept = first.series_kept.shape[2]
    return {
        "plans": cmp.plans,
        "months": int(first.scenario.horizon_months),
        "start": first.scenario.start,
        "worlds": int(kept),
        "world_index": int(min(world_index, kept - 1)),
        "milestones": {p: milestones(cmp[p]) for p in cmp.plans},
        "cumulative_risk": {p: cumulative_risk(cmp[p]) for p in cmp.plans},
        "world": {p: world(cmp[p], min(world_index, kept - 1)) for p in cmp.plans},
    }
