"""PRIM's boxes for scenario discovery: peel with EMA Workbench, pick a box off the trajectory by a stated rule,
drop the restrictions that chance explains, and cover the remaining cases (see `crunchtime.analysis.discover`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.errors import CrunchtimeError

EXTRA_HINT = 'crunchtime discover needs ema-workbench: pip install "crunchtime[discover]"'


#: PRIM's pasting fraction (EMA Workbench's default)
PASTE_ALPHA = 0.05


#: a restriction whose quasi-p-value (Bryant & Lempert 2010: a one-sided binomial test of the box's density
#: with and without it) exceeds this on both sides is dropped from the picked box: with dozens of parameters
#: PRIM also peels on noise, and a restriction that chance explains only hides the ones that matter
QP_MAX = 0.05


#: the peeling trajectory table: one row per step of each box's peeling and pasting (phase "peel"), then one per
#: dropped restriction (phase "drop"); `picked` marks the step the box rule picked, `chosen` the box reported
PEELING_SCHEMA = pa.schema(
    [
        ("box", pa.int64()),
        ("step", pa.int64()),
        ("coverage", pa.float64()),
        ("density", pa.float64()),
        ("mass", pa.float64()),
        ("res_dim", pa.int64()),
        ("phase", pa.string()),
        ("picked", pa.bool_()),
        ("chosen", pa.bool_()),
    ]
)


def prim_module() -> Any:
    """EMA Workbench's PRIM module, or one line saying how to install it."""
    try:
        with warnings.catch_warnings():  # its package warns about optional parallel back-ends it lacks
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        raise CrunchtimeError(EXTRA_HINT) from None
    return prim


def choose(coverage: np.ndarray, density: np.ndarray, res_dim: np.ndarray, min_density: float) -> tuple[int, bool]:
    """The step of a peeling trajectory to report, and whether it reaches `min_density`.

    The step with the largest coverage x density among those whose density reaches `min_density` (among all,
    if none does). Coverage x density (cases in the box squared, over all cases times the box's worlds)
    rewards a box for holding many cases and few others; on a noisy trajectory, where coverage falls at
    every step, it picks the widest box that reaches the density goal, and where peeling costs no coverage
    it peels on to the denser box. Only boxes that restrict at least one parameter are candidates; returns
    (-1, False) when there are none. The first step wins ties.
    """
    candidate = res_dim > 0
    if not candidate.any():
        return -1, False
    dense = candidate & (density >= min_density)
    pool = dense if dense.any() else candidate
    score = np.where(pool, coverage * density, -np.inf)
    return int(np.argmax(score)), bool(dense.any())


def _min_qp(qp: dict[str, list[float]]) -> float:
    """The smallest quasi-p-value over restricted sides (EMA Workbench writes -1 for an unrestricted side)."""
    return min((q for v in qp.values() for q in v if q >= 0), default=1.0)


def _drop_insignificant(box: Any, step: int) -> list[str]:
    """Drop, one by one, the restrictions of step `step` whose quasi-p-values all exceed QP_MAX; their names.

    Each drop is a new step on the box's trajectory (EMA Workbench's `drop_restriction`), and the box is left
    at the last one. The most significant restriction is always kept, so the box stays a box.
    """
    qp = {k: _min_qp({k: v}) for k, v in box.qp[step].items()}
    keep = min(qp, key=qp.__getitem__) if qp else None
    dropped = [k for k in sorted(qp, key=qp.__getitem__, reverse=True) if qp[k] > QP_MAX and k != keep]
    for name in dropped:
        box.drop_restriction(name)
    return dropped


def _nan_none(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) or x < 0 else float(x)


def _box_record(
    box: Any, step: int, names: Sequence[str], x: np.ndarray, units: dict[str, str], meets: bool
) -> dict[str, Any]:
    """One box in JSON: limits of restricted dimensions, coverage, density, mass, and per-dimension detail."""
    lims = box.box_lims[step]
    first = box.box_lims[0]  # the whole cube the search started from (the data's range)
    qp = box.qp[step]
    limits, dims = {}, []
    for j, name in enumerate(names):
        lo, hi = float(lims.loc[0, name]), float(lims.loc[1, name])
        full = [float(x[:, j].min()), float(x[:, j].max())]
        if lo <= first.loc[0, name] and hi >= first.loc[1, name]:
            continue  # not restricted
        limits[name] = [lo, hi]
        q = qp.get(name, [-1.0, -1.0])
        dims.append(
            {
                "parameter": name,
                "unit": units[name],
                "limits": [lo, hi],
                "belief_range": full,
                "quantiles": [float(np.mean(x[:, j] < lo)), float(np.mean(x[:, j] <= hi))],
                "restricted": [bool(lo > first.loc[0, name]), bool(hi < first.loc[1, name])],
                "qp": [_nan_none(q[0]), _nan_none(q[1])],
            }
        )
    row = box.peeling_trajectory.iloc[step]
    return {
        "limits": limits,
        "coverage": float(row["coverage"]),
        "density": float(row["density"]),
        "mass": float(row["mass"]),
        "worlds": int(row["n"]),
        "cases": int(row["k"]),
        "meets_min_density": bool(meets),
        "peeling_step": int(step),
        "dimensions": dims,
    }


def find_boxes(
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    units: dict[str, str],
    min_density: float,
    peel_alpha: float,
    min_mass: float,
    max_boxes: int,
    on_box: Callable[[int], None] | None = None,
) -> tuple[list[dict[str, Any]], pa.Table]:
    """PRIM boxes (see the module's rule) and every box's peeling trajectory as a table.

    `on_box(k)` is called after the k-th PRIM search (found or not), for a progress bar.
    """
    prim = prim_module()
    import pandas as pd

    with warnings.catch_warnings():  # the library's own pandas deprecations are not the user's concern
        warnings.filterwarnings("ignore", module=r"ema_workbench(\.|$)")
        return _find_boxes(
            prim,
            pd.DataFrame(x, columns=list(names)),
            x,
            y,
            names,
            units,
            min_density,
            peel_alpha,
            min_mass,
            max_boxes,
            on_box,
        )


def _find_boxes(
    prim: Any,
    frame: Any,
    x: np.ndarray,
    y: np.ndarray,
    names: Sequence[str],
    units: dict[str, str],
    min_density: float,
    peel_alpha: float,
    min_mass: float,
    max_boxes: int,
    on_box: Callable[[int], None] | None,
) -> tuple[list[dict[str, Any]], pa.Table]:
    # EMA Workbench 2.5's `threshold` both defines a case (y >= threshold) and drops a final box whose mean is
    # below it: with 0/1 cases, 1/(n+1) counts exactly the ones and never drops a box that holds a case
    alg = prim.Prim(
        frame,
        np.asarray(y, dtype=int),
        threshold=1.0 / (len(y) + 1),
        peel_alpha=peel_alpha,
        paste_alpha=PASTE_ALPHA,
        mass_min=min_mass,
    )
    boxes: list[dict[str, Any]] = []
    rows: list[pa.Table] = []
    while len(boxes) < max_boxes and int(y.sum()) > sum(b["cases"] for b in boxes):
        box = alg.find_box()
        if on_box is not None:
            on_box(len(boxes) + 1)
        if box is None:
            break
        traj = box.peeling_trajectory
        cov, den, res = (traj[k].to_numpy(dtype=float) for k in ("coverage", "density", "res_dim"))
        step, meets = choose(cov, den, res, min_density)
        if step < 0 or (boxes and not meets):
            break
        if _min_qp(box.qp[step]) > QP_MAX:
            break  # every restriction of the picked box is one chance explains: no box worth reporting
        box.select(step)
        dropped = _drop_insignificant(box, step)
        final = len(box.peeling_trajectory) - 1 if dropped else step
        traj = box.peeling_trajectory
        meets = bool(traj["density"].iloc[final] >= min_density)
        if boxes and not meets:
            break  # a further box must reach the density goal after its pruning, or covering stops
        boxes.append(
            _box_record(box, final, names, x, units, meets)
            | {
                "peeling_step": step,
                "dropped": dropped,
                "picked": {k: float(traj[k].iloc[step]) for k in ("coverage", "density", "mass")}
                | {"restricted": int(traj["res_dim"].iloc[step])},
            }
        )
        rows.append(
            pa.table(
                {
                    "box": np.full(len(traj), len(boxes) - 1, dtype=np.int64),
                    "step": np.arange(len(traj), dtype=np.int64),
                    "coverage": traj["coverage"].to_numpy(dtype=float),
                    "density": traj["density"].to_numpy(dtype=float),
                    "mass": traj["mass"].to_numpy(dtype=float),
                    "res_dim": traj["res_dim"].to_numpy(dtype=np.int64),
                    "phase": np.where(np.arange(len(traj)) < len(cov), "peel", "drop"),
                    "picked": np.arange(len(traj)) == step,
                    "chosen": np.arange(len(traj)) == final,
                },
                schema=PEELING_SCHEMA,
            )
        )
    return boxes, pa.concat_tables(rows) if rows else PEELING_SCHEMA.empty_table()
