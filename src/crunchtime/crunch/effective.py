"""Effective research time: how many years of safety research a window of AI speed-ups holds.

A month at speed-up ``m`` with a share ``loss`` of the benefit lost (integration delays, safety
taxes, the difficulty of speeding up safety work) holds ``1 + (1 - loss) * (m - 1)`` months of
research at today's pace.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crunchtime.errors import InputError

MONTHS_PER_YEAR = 12.0


@dataclass(frozen=True)
class Segment:
    """A stretch of calendar time (months) during which AI speeds research up by ``multiplier``."""

    months: float
    multiplier: float


@dataclass(frozen=True)
class EffectiveTime:
    """Calendar, effective and additional research years held by a window."""

    calendar_years: float
    effective_years: float
    additional_years: float

    def as_dict(self) -> dict[str, float]:
        return {
            "calendar_years": self.calendar_years,
            "effective_years": self.effective_years,
            "additional_years": self.additional_years,
        }


def _check_loss(loss: float, source: str = "--loss") -> None:
    if not (0.0 <= loss <= 1.0) or not np.isfinite(loss):
        raise InputError(source, "loss", f"must be a share between 0 and 1, got {loss!r}")


def effective_rate(multiplier: np.ndarray | float, loss: float) -> np.ndarray | float:
    """Research months per calendar month at a given speed-up once ``loss`` of the benefit is lost."""
    return 1.0 + (1.0 - loss) * (np.asarray(multiplier, dtype=float) - 1.0)


def effective_years(segments: Sequence[Segment], loss: float) -> EffectiveTime:
    """Sum of duration x (1 + (1 - loss) x (multiplier - 1)) over segments, in years."""
    _check_loss(loss)
    months = np.array([s.months for s in segments], dtype=float)
    mult = np.array([s.multiplier for s in segments], dtype=float)
    calendar = float(months.sum()) / MONTHS_PER_YEAR
    effective = float((months * effective_rate(mult, loss)).sum()) / MONTHS_PER_YEAR
    return EffectiveTime(calendar, effective, effective - calendar)


_SEGMENT = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*:\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$")


def parse_segment(text: str, source: str = "--segment") -> Segment:
    """Parse ``MONTHS:MULTIPLIER`` (e.g. ``12:3``); months >= 0, multiplier > 0."""
    match = _SEGMENT.match(text)
    if not match:
        raise InputError(source, text, "expected MONTHS:MULTIPLIER, e.g. 12:3 for a year at 3x")
    months, mult = float(match.group(1)), float(match.group(2))
    if not np.isfinite(months) or not np.isfinite(mult):
        raise InputError(source, text, "months and multiplier must be finite numbers")
    if mult <= 0:
        raise InputError(source, text, "multiplier must be > 0 (1 means no speed-up)")
    return Segment(months, mult)


def parse_window(text: str, source: str = "--window") -> tuple[float, float]:
    """Parse ``START:END`` months (0 <= START < END)."""
    match = _SEGMENT.match(text)
    if not match or float(match.group(1)) >= float(match.group(2)):
        raise InputError(source, text, "expected START:END months with START < END, e.g. 0:24")
    return float(match.group(1)), float(match.group(2))


def window_mask(n_months: int, start: np.ndarray | float, end: np.ndarray | float) -> np.ndarray:
    """Boolean (trajectories, months) mask of months ``start <= t < end``; NaN bounds give an empty window."""
    t = np.arange(n_months, dtype=float)[None, :]
    start = np.atleast_1d(np.asarray(start, dtype=float))[:, None]
    end = np.atleast_1d(np.asarray(end, dtype=float))[:, None]
    return (t >= start) & (t < end)


def effective_years_from_paths(
    speedups: np.ndarray,
    loss: float,
    window: np.ndarray | None = None,
    months_per_step: float = 1.0,
) -> dict[str, np.ndarray]:
    """Per-trajectory calendar, effective and additional years of a (trajectories, steps) speed-up array.

    ``window`` is a boolean mask of the same shape (e.g. from :func:`window_mask`) selecting the
    crunch-time steps; without it every step counts.
    """
    _check_loss(loss)
    paths = np.atleast_2d(np.asarray(speedups, dtype=float))
    mask = np.ones_like(paths, dtype=bool) if window is None else np.broadcast_to(window, paths.shape)
    steps = mask.sum(axis=1) * months_per_step
    rate = np.where(mask, effective_rate(np.nan_to_num(paths, nan=1.0), loss), 0.0)
    effective = rate.sum(axis=1) * months_per_step / MONTHS_PER_YEAR
    calendar = steps / MONTHS_PER_YEAR
    return {"calendar_years": calendar, "effective_years": effective, "additional_years": effective - calendar}


DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def summarise(values: np.ndarray, quantiles: Sequence[float] = DEFAULT_QUANTILES) -> dict[str, float]:
    """Mean and quantiles of a per-trajectory array (keys ``mean``, ``q05``, ``q50``...)."""
    out = {"mean": float(np.mean(values))}
    qs = np.quantile(values, quantiles)
    out.update({f"q{round(q * 100):02d}": float(v) for q, v in zip(quantiles, qs)})
    return out


def run_speedup_paths(run: Any, plan: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Magma's speed-up paths (trajectories, months) and crunch-window months of one plan of a saved run.

    Reads the run store's `speedup_paths` (plan, trajectory, month, ai_rd_speedup) and `trajectories`
    (plan, m_first_dangerous_ai, m_deference) tables; `plan` defaults to the run's first plan.
    """
    import pyarrow.compute as pc

    paths_t, traj_t = run.table("speedup_paths"), run.table("trajectories")
    plans = list(dict.fromkeys(traj_t.column("plan").to_pylist()))
    plan = plan or plans[0]
    if plan not in plans:
        raise InputError("--plan", None, f"run has no plan {plan!r} (plans: {', '.join(plans)})")
    paths_t = paths_t.filter(pc.equal(paths_t.column("plan"), plan))
    traj_t = traj_t.filter(pc.equal(traj_t.column("plan"), plan))
    traj = np.asarray(paths_t.column("trajectory"))
    months = np.asarray(paths_t.column("month"))
    paths = np.full((traj.max() + 1, months.max() + 1), np.nan)
    paths[traj, months] = np.asarray(paths_t.column("ai_rd_speedup"), dtype=float)
    n = paths.shape[0]  # paths are kept for the first trajectories only; align the milestones with them
    start = np.asarray(traj_t.column("m_first_dangerous_ai"), dtype=float)[:n]
    end = np.asarray(traj_t.column("m_deference"), dtype=float)[:n]
    return paths, start, end, plan


def effective_years_from_run(
    run_id: str,
    loss: float,
    window: tuple[float, float] | None = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    plan: str | None = None,
) -> dict[str, Any]:
    """Distribution of effective crunch-time research years over the trajectories of a saved run.

    The crunch window is from the first dangerous model to deference/deployment per trajectory, or
    the month range ``window`` when given. The run store is imported lazily.
    """
    try:
        from crunchtime.results.store import load_run
    except ImportError:
        raise InputError(
            "--run", None, "the run store is not available in this version (crunchtime.results.store.load_run)"
        ) from None
    run = load_run(run_id)
    if not (run.has_table("speedup_paths") and run.has_table("trajectories")):
        raise InputError(f"run {run_id}", "speedup_paths", "the run holds no speed-up path per trajectory")
    speedups, start, end, plan = run_speedup_paths(run, plan)
    n_traj, n_months = speedups.shape
    if window is not None:
        start, end = np.full(n_traj, window[0]), np.full(n_traj, window[1])
    reached = np.isfinite(start)
    end = np.where(reached & ~np.isfinite(end), float(n_months), end)  # window still open at the horizon
    years = effective_years_from_paths(speedups, loss, window_mask(n_months, start, end))
    return {
        "run": run_id,
        "plan": plan,
        "trajectories": int(n_traj),
        "share_with_window": float(reached.mean()),
        "loss": loss,
        **{key: summarise(val, quantiles) for key, val in years.items()},
    }
