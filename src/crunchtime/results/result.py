"""Simulation results: outcome probabilities with standard errors, milestones, risk, quantiles, tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime._version import __version__
from crunchtime.engine.monthly import SERIES_ALL, ChunkOutput
from crunchtime.model.scenario import Scenario
from crunchtime.model.state import (
    MAGMA_PATHS,
    MILESTONES,
    OUTCOME_ORDER,
    OUTCOMES,
    PATH_ORDER,
    SOURCES,
    WORLD_ORDER,
    WORLD_OUTCOMES,
)
from crunchtime.results.interval import interval95

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: months after the horizon over which the risk an unresolved world still carries is reported: its
#: last month's hazard h held constant gives P(catastrophe within them) = 1 - (1 - h)^HORIZON_RISK_MONTHS
HORIZON_RISK_MONTHS = 12
#: the metric that adds that risk to the catastrophes by the horizon (paired differences, claims)
WITH_HORIZON_RISK = "catastrophe_with_horizon_risk"
TABLES = ("trajectories", "quantiles", "risk", "speedup_paths")


def binomial(p: float, n: int) -> dict[str, float]:
    """A probability with its Monte Carlo standard error sqrt(p(1-p)/n) and 95% interval [low, high]."""
    se = float(np.sqrt(max(p * (1.0 - p), 0.0) / max(n, 1)))
    low, high = interval95(float(p), se, n)
    return {"p": float(p), "se": se, "low": low, "high": high}


@dataclass
class SimulationResult:
    """One plan on one scenario: per-trajectory arrays plus per-month aggregates. `summary()` is the JSON.

    In a notebook it shows as tables; `to_pandas()` gives any of its tables as a DataFrame.

    Examples
    --------
    >>> import crunchtime as ct
    >>> res = ct.simulate("default", "clymer", samples=256)
    >>> res.summary()["outcomes"]["catastrophe"]["p"]  # doctest: +SKIP
    0.21
    """

    scenario: Scenario
    plan_name: str
    samples: int
    seed: int
    outcome: np.ndarray  # (N,) index into OUTCOMES
    outcome_month: np.ndarray
    cat_source: np.ndarray
    cat_actor: np.ndarray
    milestones: np.ndarray  # (N, M) month reached or NaN
    events: dict[str, np.ndarray]
    scalars: dict[str, np.ndarray]
    series_kept: np.ndarray  # (H, V, kept)
    series_mean: np.ndarray  # (H, V)
    risk: np.ndarray  # (H, S, A) mean unconditional catastrophe mass
    speedup_paths: np.ndarray  # (kept, H)
    world_outcome: np.ndarray  # (N,) index into WORLD_OUTCOMES
    world_month: np.ndarray
    magma_path: np.ndarray  # (N,) index into MAGMA_PATHS
    path_month: np.ndarray
    horizon_hazard: np.ndarray  # (N,) last month's total hazard (0 where the world ended)
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        from crunchtime.results.view import simulation_repr

        return simulation_repr(self)

    def _repr_html_(self) -> str:
        from crunchtime.results.view import simulation_html

        return simulation_html(self)

    def to_pandas(self, table: str = "trajectories"):
        """One of the result's tables as a pandas DataFrame.

        Parameters
        ----------
        table : str
            "trajectories" (one row per trajectory: outcome, its month, catastrophe source and actor,
            milestone months, events, scalars), "summary" (plan, kind, name, p, se for outcomes, events
            and catastrophe by source and actor), "quantiles" (per month and series), "risk" (per month,
            source and actor) or "speedup_paths".

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> res.to_pandas().outcome.value_counts()  # doctest: +SKIP
        """
        return results_frame({self.plan_name: self}, table)

    def paired_difference(self, other: SimulationResult, metric: str) -> dict[str, Any]:
        """P(metric) here minus in `other`, paired trajectory by trajectory (see `paired_difference`)."""
        return paired_difference(self, other, metric)

    # --- per-trajectory indicators (for paired comparisons) -----------------------------------------------
    def indicator(self, metric: str) -> np.ndarray:
        """Per trajectory, for paired comparisons: 0/1 for an outcome name (the legacy exclusive
        classification), 'world:<outcome>' (the world's outcome), 'path:<path>' (Magma's path); and for
        WITH_HORIZON_RISK, catastrophe by the horizon plus, in an unresolved world, the chance of one in
        the HORIZON_RISK_MONTHS after it (a number in [0, 1])."""
        if metric.startswith("world:"):
            return (self.world_outcome == WORLD_OUTCOMES.index(metric[6:])).astype(float)
        if metric.startswith("path:"):
            return (self.magma_path == MAGMA_PATHS.index(metric[5:])).astype(float)
        if metric == WITH_HORIZON_RISK:
            return self.indicator("catastrophe") + self.horizon_risk()
        return (self.outcome == OUTCOMES.index(metric)).astype(float)

    def horizon_risk(self, months: int = HORIZON_RISK_MONTHS) -> np.ndarray:
        """Per trajectory: in a world unresolved at the horizon, 1 - (1 - h)^months with h its last
        month's hazard (the chance of catastrophe within `months` if nothing changes); 0 elsewhere."""
        unresolved = self.world_outcome == WORLD_OUTCOMES.index("unresolved")
        return np.where(unresolved, 1.0 - (1.0 - self.horizon_hazard) ** months, 0.0)

    def outcome_probabilities(self) -> dict[str, dict[str, float]]:
        return {o: binomial(self.indicator(o).mean(), self.samples) for o in OUTCOME_ORDER}

    def world_outcome_probabilities(self) -> dict[str, dict[str, float]]:
        """The world's outcome: catastrophe, long coordinated pause, trustworthy obsolescence, unresolved."""
        return {o: binomial(self.indicator(f"world:{o}").mean(), self.samples) for o in WORLD_ORDER}

    def magma_path_probabilities(self) -> dict[str, dict[str, float]]:
        """Magma's path: chose self-destruction, overtaken, deferred to its AI, paused, still racing."""
        return {o: binomial(self.indicator(f"path:{o}").mean(), self.samples) for o in PATH_ORDER}

    def horizon_risk_summary(self, months: int = HORIZON_RISK_MONTHS) -> dict[str, Any]:
        """The risk worlds unresolved at the horizon still carry (see `horizon_risk`), and the catastrophe
        probability read with and without it."""
        n = self.samples
        unresolved = self.world_outcome == WORLD_OUTCOMES.index("unresolved")
        after = self.horizon_risk(months)
        total = self.indicator("catastrophe") + after

        def mean_se(x: np.ndarray) -> dict[str, float]:
            m, se = float(x.mean()), float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
            low, high = interval95(m, se) if n > 1 else (float("nan"), float("nan"))
            return {"p": m, "se": se, "low": low, "high": high}

        h = self.horizon_hazard[unresolved]
        return {
            "months_after": months,
            "unresolved": binomial(unresolved.mean(), n),
            "mean_monthly_hazard_unresolved": float(h.mean()) if h.size else None,
            "median_monthly_hazard_unresolved": float(np.median(h)) if h.size else None,
            "catastrophe_after_horizon": mean_se(after),
            "catastrophe_by_horizon": binomial(self.indicator("catastrophe").mean(), n),
            WITH_HORIZON_RISK: mean_se(total),
        }

    def milestone_dates(self) -> dict[str, dict[str, Any]]:
        out = {}
        for i, name in enumerate(MILESTONES):
            col = self.milestones[:, i]
            hit = col[~np.isnan(col)]
            entry: dict[str, Any] = {"p_reached": float(hit.size / self.samples)}
            if hit.size:
                q = np.quantile(hit, [0.1, 0.5, 0.9], method="inverted_cdf")
                entry.update(
                    p10=self.scenario.month_label(q[0]),
                    median=self.scenario.month_label(q[1]),
                    p90=self.scenario.month_label(q[2]),
                )
            else:
                entry.update(p10=None, median=None, p90=None)
            out[name] = entry
        return out

    def summary(self) -> dict[str, Any]:
        """The JSON summary (see `crunchtime run --json`)."""
        n = self.samples
        cat = self.outcome == OUTCOMES.index("catastrophe")
        return {
            "kind": "run",
            "scenario": self.scenario.name,
            "plan": self.plan_name,
            "samples": n,
            "seed": self.seed,
            "start": self.scenario.start,
            "horizon_months": self.scenario.horizon_months,
            "crunchtime_version": __version__,
            "outcomes": self.outcome_probabilities(),
            "world_outcomes": self.world_outcome_probabilities(),
            "magma_paths": self.magma_path_probabilities(),
            "horizon_risk": self.horizon_risk_summary(),
            "events": {k: binomial(v.mean(), n) for k, v in self.events.items()},
            "milestones": self.milestone_dates(),
            "risk_by_source": {s: binomial((cat & (self.cat_source == i)).mean(), n) for i, s in enumerate(SOURCES)},
            "risk_by_actor": {
                a: binomial((cat & (self.cat_actor == i)).mean(), n) for i, a in enumerate(self.scenario.actor_names)
            },
            "crunch": {
                "median_crunch_months": float(np.median(self.scalars["crunch_months"])),
                "median_effective_safety_years": float(np.median(self.scalars["effective_safety_years"])),
            },
        }

    # --- tables ------------------------------------------------------------------------------------------
    def quantile_table(self) -> pa.Table:
        """Per-month quantiles (first QUANTILE_CAP trajectories) and means (all) of every series."""
        H, V, _ = self.series_kept.shape
        qs = np.quantile(self.series_kept.astype(np.float64), QUANTILES, axis=2)  # (Q, H, V)
        months = np.repeat(np.arange(H, dtype=np.int32), V)
        cols = {
            "plan": [self.plan_name] * (H * V),
            "variable": list(SERIES_ALL) * H,
            "month": months,
            "date": [self.scenario.month_label(int(m)) for m in months],
        }
        for q, name in zip(qs, ("p10", "p25", "p50", "p75", "p90")):
            cols[name] = q.reshape(-1)
        cols["mean"] = self.series_mean.reshape(-1)
        return pa.table(cols)

    def quantiles(self, variable: str) -> dict[str, np.ndarray]:
        """Per-month quantiles of one series, e.g. 'ai_rd_speedup' or 'knob:velocity'."""
        j = SERIES_ALL.index(variable)
        data = self.series_kept[:, j, :].astype(np.float64)
        qs = np.quantile(data, QUANTILES, axis=1)
        return {"p10": qs[0], "p25": qs[1], "p50": qs[2], "p75": qs[3], "p90": qs[4], "mean": self.series_mean[:, j]}

    def kept_series(self, index: int, variables: list[str] | tuple[str, ...]) -> dict[str, np.ndarray]:
        """Month-by-month values of one kept trajectory (`index` < the quantile cap) for the named series."""
        cols = [SERIES_ALL.index(v) for v in variables]
        data = self.series_kept[:, cols, index].astype(np.float64)  # (H, len(variables))
        return {v: data[:, j] for j, v in enumerate(variables)}

    def trajectory_table(self) -> pa.Table:
        actor_names = np.array((*self.scenario.actor_names, ""), dtype=object)
        cols: dict[str, Any] = {
            "plan": [self.plan_name] * self.samples,
            "trajectory": np.arange(self.samples, dtype=np.int64),
            "outcome": np.array(OUTCOMES, dtype=object)[self.outcome],
            "outcome_month": self.outcome_month.astype(float),
            "world_outcome": np.array(WORLD_OUTCOMES, dtype=object)[self.world_outcome],
            "world_outcome_month": self.world_month.astype(float),
            "magma_path": np.array(MAGMA_PATHS, dtype=object)[self.magma_path],
            "magma_path_month": self.path_month.astype(float),
            "horizon_hazard": self.horizon_hazard.astype(float),
            "catastrophe_source": pa.array([SOURCES[i] if i >= 0 else None for i in self.cat_source], pa.string()),
            "catastrophe_actor": pa.array([actor_names[i] if i >= 0 else None for i in self.cat_actor], pa.string()),
        }
        for i, m in enumerate(MILESTONES):
            cols[f"m_{m}"] = self.milestones[:, i]
        for k, v in self.events.items():
            cols[f"event_{k}"] = v.astype(bool)
        for k, v in self.scalars.items():
            cols[k] = v.astype(float)
        return pa.table(cols)

    def risk_table(self) -> pa.Table:
        H, S, A = self.risk.shape
        m, s, a = np.meshgrid(np.arange(H), np.arange(S), np.arange(A), indexing="ij")
        return pa.table(
            {
                "plan": [self.plan_name] * self.risk.size,
                "month": m.reshape(-1).astype(np.int32),
                "source": np.array(SOURCES, dtype=object)[s.reshape(-1)],
                "actor": np.array(self.scenario.actor_names, dtype=object)[a.reshape(-1)],
                "hazard": self.risk.reshape(-1),
            }
        )

    def speedup_table(self) -> pa.Table:
        kept, H = self.speedup_paths.shape
        tr, mo = np.meshgrid(np.arange(kept), np.arange(H), indexing="ij")
        return pa.table(
            {
                "plan": [self.plan_name] * (kept * H),
                "trajectory": tr.reshape(-1).astype(np.int64),
                "month": mo.reshape(-1).astype(np.int32),
                "ai_rd_speedup": self.speedup_paths.reshape(-1),
            }
        )

    def tables(self) -> dict[str, pa.Table]:
        """Every table as pyarrow (what the run store saves as Parquet), keyed by TABLES names."""
        return {
            "trajectories": self.trajectory_table(),
            "quantiles": self.quantile_table(),
            "risk": self.risk_table(),
            "speedup_paths": self.speedup_table(),
        }


def assemble(scenario: Scenario, plan_name: str, seed: int, parts: list[ChunkOutput]) -> SimulationResult:
    """Join one plan's chunk outputs (in trajectory order) into a SimulationResult."""
    parts = sorted(parts, key=lambda c: c.start)
    n = sum(c.outcome.size for c in parts)
    cat = lambda attr: np.concatenate([getattr(c, attr) for c in parts])  # noqa: E731
    return SimulationResult(
        scenario=scenario,
        plan_name=plan_name,
        samples=n,
        seed=seed,
        outcome=cat("outcome"),
        outcome_month=cat("outcome_month"),
        cat_source=cat("cat_source"),
        cat_actor=cat("cat_actor"),
        milestones=np.concatenate([c.milestones for c in parts]),
        events={k: np.concatenate([c.events[k] for c in parts]) for k in parts[0].events},
        scalars={k: np.concatenate([c.scalars[k] for c in parts]) for k in parts[0].scalars},
        series_kept=np.concatenate([c.series_kept for c in parts], axis=2),
        series_mean=reduce(np.add, [c.series_sum for c in parts]) / n,  # chunk by chunk, in order
        risk=reduce(np.add, [c.risk_sum for c in parts]) / n,
        speedup_paths=np.concatenate([c.speedup_kept for c in parts], axis=0),
        world_outcome=cat("world_outcome"),
        world_month=cat("world_month"),
        magma_path=cat("magma_path"),
        path_month=cat("path_month"),
        horizon_hazard=cat("horizon_hazard"),
    )


def results_frame(results: dict[str, SimulationResult], table: str):
    """pandas DataFrame of one table across results (see SimulationResult.to_pandas)."""
    from crunchtime.errors import ArgumentError

    if table == "summary":
        from crunchtime.results.view import summary_frame

        return summary_frame({k: r.summary() for k, r in results.items()})
    if table not in TABLES:
        raise ArgumentError("table", f"must be one of summary, {', '.join(TABLES)}; got {table!r}")
    import pyarrow as pa_

    return pa_.concat_tables([r.tables()[table] for r in results.values()]).to_pandas()


def paired_difference(a: SimulationResult, b: SimulationResult, metric: str) -> dict[str, Any]:
    """P_a(metric) - P_b(metric) with a 95% interval from the paired per-trajectory differences."""
    d = a.indicator(metric) - b.indicator(metric)
    n = d.size
    se = float(d.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    diff = float(d.mean())
    return {
        "a": a.plan_name,
        "b": b.plan_name,
        "metric": metric,
        "diff": diff,
        "ci95": [diff - 1.96 * se, diff + 1.96 * se],
    }


def unpaired_interval_width(a: SimulationResult, b: SimulationResult, metric: str) -> float:
    """Width of the 95% interval if the two runs were independent (for showing what pairing buys)."""
    pa_, pb = a.indicator(metric).mean(), b.indicator(metric).mean()
    se = np.sqrt(pa_ * (1 - pa_) / a.samples + pb * (1 - pb) / b.samples)
    return float(2 * 1.96 * se)
