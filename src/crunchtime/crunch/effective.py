"""Effective research time: how many years of safety research a window of AI speed-ups holds.

A month at speed-up ``m`` with a share ``loss`` of the benefit lost (integration delays, safety
taxes, the difficulty of speeding up safety work) holds ``1 + (1 - loss) * (m - 1)`` months of
research at today's pace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

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


# Names a world-model run may use for the speed-up path and the crunch-window milestones.
SPEEDUP_NAMES = ("ai_rd_speedup", "safety_speedup", "speedup")
WINDOW_START_NAMES = ("first_dangerous_ai", "month_first_dangerous_ai", "first_dangerous")
WINDOW_END_NAMES = ("deference", "month_deference", "deployment", "month_deployment", "deference_to_tedai")
PATH_TABLES = ("speedup_paths", "paths", "timeseries", "series", "trajectory_series")
MILESTONE_TABLES = ("trajectories", "milestones", "summary")
TRAJECTORY_COLUMNS = ("trajectory", "sample", "traj", "trajectory_id")


def _pick(container: Any, names: Sequence[str]) -> np.ndarray | None:
    """First of ``names`` found in a mapping, an object's attributes or a pyarrow table's columns."""
    columns = getattr(container, "column_names", None)
    for name in names:
        value = None
        if columns is not None:
            value = container.column(name).to_pylist() if name in columns else None
        elif isinstance(container, dict):
            value = container.get(name)
        elif hasattr(container, name):
            value = getattr(container, name)
        if value is not None:
            return np.asarray(value, dtype=float)
    return None


def _paths_from_table(table: Any) -> np.ndarray | None:
    """(trajectories, months) speed-ups from a long table (trajectory, month, value) or a list column."""
    if hasattr(table, "column_names"):
        name = next((c for c in SPEEDUP_NAMES if c in table.column_names), None)
        if name is None:
            return None
        col = table.column(name).to_pylist()
        if col and isinstance(col[0], (list, tuple)):
            return np.asarray(col, dtype=float)
        traj = next((c for c in TRAJECTORY_COLUMNS if c in table.column_names), None)
        if traj is None or "month" not in table.column_names:
            return None
        t_ids, t_idx = np.unique(np.asarray(table.column(traj).to_pylist()), return_inverse=True)
        months = np.asarray(table.column("month").to_pylist(), dtype=int)
        out = np.full((len(t_ids), months.max() + 1), np.nan)
        out[t_idx, months] = np.asarray(col, dtype=float)
        return out
    return None


def run_speedup_paths(run: Any) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Speed-up paths and crunch-window months (first dangerous AI, deference) from a stored run.

    Accepts a :class:`crunchtime.store.StoredRun` (Parquet tables) or any mapping/object holding
    the arrays under the names above.
    """
    if hasattr(run, "has_table"):
        paths = start = end = None
        for name in PATH_TABLES:
            if run.has_table(name) and (paths := _paths_from_table(run.table(name))) is not None:
                break
        for name in MILESTONE_TABLES:
            if run.has_table(name):
                table = run.table(name)
                start = start if start is not None else _pick(table, WINDOW_START_NAMES)
                end = end if end is not None else _pick(table, WINDOW_END_NAMES)
        return paths, start, end
    series = getattr(run, "timeseries", run)
    milestones = getattr(run, "milestones", run)
    return _pick(series, SPEEDUP_NAMES), _pick(milestones, WINDOW_START_NAMES), _pick(milestones, WINDOW_END_NAMES)


def effective_years_from_run(
    run_id: str,
    loss: float,
    window: tuple[float, float] | None = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
) -> dict[str, Any]:
    """Distribution of effective crunch-time research years over the trajectories of a saved run.

    The crunch window is from the first dangerous model to deference/deployment per trajectory, or
    the month range ``window`` when given. The run store is imported lazily.
    """
    try:
        from crunchtime.store import load_run  # type: ignore[attr-defined]
    except ImportError:
        raise InputError("--run", None, "the run store is not available in this version (crunchtime.store.load_run)") from None
    run = load_run(run_id)
    speedups, start, end = run_speedup_paths(run)
    if speedups is None:
        raise InputError(f"run {run_id}", "ai_rd_speedup", "the run holds no speed-up path per trajectory")
    speedups = np.atleast_2d(speedups)
    n_traj, n_months = speedups.shape
    if window is not None:
        start, end = np.full(n_traj, window[0]), np.full(n_traj, window[1])
    elif start is None or end is None:
        raise InputError(f"run {run_id}", "milestones", "no first-dangerous-AI / deference months; pass --window START:END")
    start, end = np.broadcast_to(start, (n_traj,)), np.broadcast_to(end, (n_traj,))
    reached = np.isfinite(start)
    end = np.where(reached & ~np.isfinite(end), float(n_months), end)  # window still open at the horizon
    years = effective_years_from_paths(speedups, loss, window_mask(n_months, start, end))
    return {
        "run": run_id,
        "trajectories": int(n_traj),
        "share_with_window": float(reached.mean()),
        "loss": loss,
        **{key: summarise(val, quantiles) for key, val in years.items()},
    }
