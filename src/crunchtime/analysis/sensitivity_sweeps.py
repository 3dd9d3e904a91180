"""Switch points: one-dimensional sweeps of the top beliefs, and where the preferred plan changes.

Step 3 of the sensitivity method (docs/analysis.md, "Sensitivity"): for the top parameters by ST, a sweep
over the belief's quantiles, the other beliefs drawn as usual and common random numbers across grid
points; the paired difference with its 95% interval at each point, and where it crosses zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.analysis.common import mean_ci
from crunchtime.analysis.sensitivity_runs import SALT_SWEEP, chunk_size, output, stream
from crunchtime.model import design as _design
from crunchtime.results import simulation as sim

#: the belief quantiles a switch-point sweep spans by default: the central 90%, where the belief puts its weight
SWEEP_RANGE = (0.05, 0.95)

_SWEEP_SCHEMA = pa.schema(
    [
        ("parameter", pa.string()),
        ("quantile", pa.float64()),
        ("value", pa.float64()),
        ("diff", pa.float64()),
        ("lo", pa.float64()),
        ("hi", pa.float64()),
        ("within_belief", pa.bool_()),
    ]
)


def crossing(q: np.ndarray, values: np.ndarray, diff: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> dict[str, Any]:
    """Where the mean difference first changes sign along the sweep (linear interpolation), and how clearly."""
    sign = np.sign(diff)
    flips = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    zeros = np.flatnonzero(sign == 0)
    if flips.size == 0 and zeros.size == 0:
        return {"value": None, "quantile": None, "crossings": 0, "clear": False}
    if zeros.size and (flips.size == 0 or zeros[0] <= flips[0]):
        i, t = int(zeros[0]), 0.0
    else:
        i = int(flips[0])
        t = float(diff[i] / (diff[i] - diff[i + 1]))
    j = min(i + 1, q.size - 1)
    value = float(values[i] + t * (values[j] - values[i]))
    quantile = float(q[i] + t * (q[j] - q[i]))
    below, above = slice(0, i + 1), slice(i + 1 if t > 0 else i, q.size)
    # clear: an interval wholly on one side of zero before the crossing and wholly on the other after it
    clear = bool((np.any(hi[below] < 0) and np.any(lo[above] > 0)) or (np.any(lo[below] > 0) and np.any(hi[above] < 0)))
    return {"value": value, "quantile": quantile, "crossings": int(flips.size + zeros.size), "clear": clear}


def sweeps(
    sc: Any,
    plan: Any,
    versus: Any,
    params: Sequence[Any],
    seed: int,
    metric: str,
    points: int,
    samples: int,
    workers: int,
    tick: Any,
    quantiles: tuple[float, float] = SWEEP_RANGE,
    backend: str = "local",
    address: str | None = None,
) -> tuple[list[dict[str, Any]], pa.Table]:
    """One-dimensional sweeps of `params` over their beliefs' quantiles, on common random numbers.

    Each grid column is one `sim.compare` call of len(params) * samples trajectories; block k sets parameter k
    to the column's value and the other swept parameters to fixed draws from their beliefs, so trajectory i
    of block k keeps its shocks and its other beliefs in every column. Columns: the valid range's low end,
    the `points` belief quantiles, the valid range's high end (the ends tell whether the answer switches
    beyond what the belief takes seriously).
    """
    q = np.linspace(quantiles[0], quantiles[1], points)
    grid = np.array([np.r_[p.spec.low, p.ppf(q), p.spec.high] for p in params])  # (k, points + 2)
    diffs = _sweep_differences(sc, plan, versus, params, grid, seed, metric, samples, workers, tick, backend, address)
    out, rows = [], []
    for j, p in enumerate(params):
        entry, table_rows = _switch_point(p, q, grid[j], diffs[j], plan.name, versus.name, metric, quantiles)
        out.append(entry)
        rows += table_rows
    return out, pa.Table.from_pylist(rows, schema=_SWEEP_SCHEMA)


def _sweep_differences(
    sc: Any,
    plan: Any,
    versus: Any,
    params: Sequence[Any],
    grid: np.ndarray,
    seed: int,
    metric: str,
    samples: int,
    workers: int,
    tick: Any,
    backend: str,
    address: str | None,
) -> np.ndarray:
    """Paired differences plan - versus at every grid column, shape (parameters, columns, samples)."""
    k, columns = len(params), grid.shape[1]
    u = np.random.default_rng(stream(seed, SALT_SWEEP)).random((k * samples, k))
    base = _design.from_unit(params, u)
    block = np.repeat(np.arange(k), samples)
    diffs = np.empty((k, columns, samples))
    for g in range(columns):
        design = {p.name: np.where(block == j, grid[j, g], base[p.name]) for j, p in enumerate(params)}
        cmp = sim.compare(
            sc,
            [plan, versus],
            samples=k * samples,
            seed=seed,
            workers=workers,
            chunk_size=chunk_size(k * samples, workers),
            design=design,
            progress=tick(k * samples),
            backend=backend,
            address=address,
        )
        diffs[:, g, :] = output(cmp, plan.name, versus.name, metric).reshape(k, samples)
    return diffs


def _switch_point(
    p: Any,
    q: np.ndarray,
    grid: np.ndarray,
    diffs: np.ndarray,
    plan: str,
    versus: str,
    metric: str,
    quantiles: tuple[float, float],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One parameter's switch point (with its note and sweep) and its rows of the sweeps table."""
    points = q.size
    stats = [mean_ci(diffs[g]) for g in range(points + 2)]
    mean = np.array([s["value"] for s in stats])
    lo = np.array([s["ci95"][0] for s in stats])
    hi = np.array([s["ci95"][1] for s in stats])
    inner = slice(1, points + 1)
    cross = crossing(q, grid[inner], mean[inner], lo[inner], hi[inner])
    cross["within_belief"] = cross["value"] is not None
    note = _switch_note(cross, p, grid, mean, lo, hi, plan, versus, metric, quantiles)
    entry = {
        "parameter": p.name,
        "value": cross["value"],
        "quantile": cross["quantile"],
        "within_belief": cross["within_belief"],
        "clear": cross["clear"],
        "crossings": cross["crossings"],
        "unit": p.spec.unit,
        "note": note,
        "sweep": [
            {
                "value": float(grid[g]),
                "quantile": float(q[g - 1]),
                "diff": float(mean[g]),
                "ci95": [float(lo[g]), float(hi[g])],
            }
            for g in range(1, points + 1)
        ],
        "range_ends": [
            {"value": float(grid[g]), "diff": float(mean[g]), "ci95": [float(lo[g]), float(hi[g])]}
            for g in (0, points + 1)
        ],
    }
    rows = [
        {
            "parameter": p.name,
            "quantile": float(q[g - 1]) if 0 < g <= points else float("nan"),
            "value": float(grid[g]),
            "diff": float(mean[g]),
            "lo": float(lo[g]),
            "hi": float(hi[g]),
            "within_belief": 0 < g <= points,
        }
        for g in range(points + 2)
    ]
    return entry, rows


def _switch_note(
    cross: dict[str, Any],
    p: Any,
    grid: np.ndarray,
    mean: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    plan: str,
    versus: str,
    metric: str,
    quantiles: tuple[float, float],
) -> str:
    """The sentence saying which plan is preferred where; fills ``cross`` from a switch beyond the belief's range."""
    first = _preferred(mean[1], plan, versus, metric)
    other = versus if first == plan else plan
    if cross["value"] is not None:
        return f"{first} is preferred below {cross['value']:.4g} {p.spec.unit}, {other} above" + (
            "" if cross["clear"] else " (not clear: no interval excludes zero on both sides)"
        )
    span = f"{_pct(quantiles[0])}-{_pct(quantiles[1])}"
    note = f"no switch within the belief's {span} range: {first} is ahead throughout"
    beyond = _beyond(grid, mean, lo, hi, grid.size - 2)
    if beyond is not None:
        cross.update(beyond)
        side = "below" if beyond["side"] == "low" else "above"
        winner = _preferred(mean[0 if side == "below" else -1], plan, versus, metric)
        note += (
            f"; beyond it, {winner} is preferred {side} about {beyond['value']:.4g} {p.spec.unit} "
            f"(between {grid[0 if side == 'below' else -2]:.4g} and "
            f"{grid[1 if side == 'below' else -1]:.4g}, interpolated)"
        )
        cross.pop("side")
    return note


def _preferred(diff: float, plan: str, versus: str, metric: str) -> str:
    """The plan a paired difference plan - versus favours (lower risk; higher utility)."""
    return plan if (diff < 0) == (metric != "utility") else versus


def _beyond(values: np.ndarray, mean: np.ndarray, lo: np.ndarray, hi: np.ndarray, points: int) -> dict[str, Any] | None:
    """A sign change between a valid range's end and the nearest belief quantile (no switch inside)."""
    for side, (a, b) in (("low", (0, 1)), ("high", (points, points + 1))):
        if values[a] == values[b] or np.sign(mean[a]) == np.sign(mean[b]):
            continue
        t = float(mean[a] / (mean[a] - mean[b])) if mean[a] != mean[b] else 0.0
        inside, end = slice(1, points + 1), (0 if side == "low" else points + 1)
        # clear: some interval inside the belief's range and the end's interval on opposite sides of zero
        clear = bool((np.any(hi[inside] < 0) and lo[end] > 0) or (np.any(lo[inside] > 0) and hi[end] < 0))
        return {
            "value": float(values[a] + t * (values[b] - values[a])),
            "quantile": None,
            "clear": clear,
            "crossings": 1,
            "within_belief": False,
            "side": side,
        }
    return None


def _pct(q: float) -> str:
    return f"{100 * q:.3g}%"
