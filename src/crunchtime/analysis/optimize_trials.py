"""The trials of `crunchtime optimize`: their history, the trial to write out, the trials table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.analysis.search_space import Dimension


def trial_history(done: list[Any], dims: list[Dimension], pareto: bool, objective: str) -> list[dict[str, Any]]:
    """One entry per completed trial: its objective, best so far, all scores and params, Pareto membership."""
    key = "catastrophe_risk" if (pareto or objective == "catastrophe") else "utility"
    sign = 1.0 if key == "catastrophe_risk" else -1.0  # lower sign * value is better
    values = np.array([t.user_attrs[key] for t in done])
    best_so_far = sign * np.minimum.accumulate(sign * values)
    risk = np.array([t.user_attrs["catastrophe_risk"] for t in done])
    front = np.array([t.user_attrs["frontier"] for t in done])
    # on the front: no other trial at least as safe and as often at the frontier, and strictly better in one
    dominated = np.asarray(
        (
            (risk[None, :] <= risk[:, None])
            & (front[None, :] >= front[:, None])
            & ((risk[None, :] < risk[:, None]) | (front[None, :] > front[:, None]))
        ).any(axis=1)
    )
    return [
        {
            "trial": i,
            "value": float(values[i]),
            "best_so_far": float(best_so_far[i]),
            "catastrophe_risk": float(risk[i]),
            "frontier": float(front[i]),
            "utility": float(t.user_attrs["utility"]),
            "start": bool(t.user_attrs.get("start", False)),
            "on_front": bool(not dominated[i]),
            "params": {d.name: float(t.params[d.name]) for d in dims},
        }
        for i, t in enumerate(done)
    ]


def start_trial(history: list[dict[str, Any]]) -> int:
    """The trial that ran the start plan."""
    return next(h["trial"] for h in history if h["start"])


def select_trial(history: list[dict[str, Any]], pareto: bool, objective: str) -> int:
    """The trial to write out. One objective: the best value (ties: the earliest, so the start plan wins them).

    Pareto: among front trials at the frontier at least as often as the start plan, the safest (there is
    always one: the start plan is on the front or dominated by a trial that is).
    """
    if pareto:
        s = history[start_trial(history)]
        ok = [h for h in history if h["on_front"] and h["frontier"] >= s["frontier"]]
        return min(ok, key=lambda h: (h["catastrophe_risk"], h["trial"]))["trial"]
    sign = 1.0 if objective == "catastrophe" else -1.0
    return min(history, key=lambda h: (sign * h["value"], h["trial"]))["trial"]


def trials_table(history: list[dict[str, Any]], dims: list[Dimension]) -> pa.Table:
    """The table "trials": one row per trial, its scores and a `param.NAME` column per dimension."""
    cols: dict[str, Any] = {
        k: [h[k] for h in history]
        for k in ("trial", "value", "best_so_far", "catastrophe_risk", "frontier", "utility", "start", "on_front")
    }
    cols.update({f"param.{d.name}": [h["params"][d.name] for h in history] for d in dims})
    return pa.table(cols)
