"""Deterministic run contents for store tests: every table is recomputable from the summary's `check` seed."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def make_run(check: int, rows: int = 1000) -> tuple[dict, dict, dict[str, pa.Table]]:
    """(provenance, summary, tables) whose data are a pure function of `check` and `rows`."""
    rng = np.random.default_rng(check)
    trajectories = pa.table(
        {
            "plan": pa.array(["clymer"] * rows),
            "trajectory": pa.array(np.arange(rows, dtype=np.int64)),
            "outcome_month": pa.array(rng.uniform(0, 96, rows)),
            "m_tedai": pa.array(rng.normal(30, 5, rows)),
        }
    )
    months = np.arange(max(rows // 10, 1), dtype=np.int32)
    risk = pa.table(
        {
            "plan": pa.array(["clymer"] * len(months)),
            "month": pa.array(months),
            "hazard": pa.array(rng.uniform(0, 1e-3, len(months))),
        }
    )
    summary = {
        "kind": "run",
        "scenario": "default",
        "plan": "clymer",
        "samples": rows,
        "seed": check,
        "check": check,
        "rows": rows,
        "outcomes": {"catastrophe": {"p": 0.2, "se": 0.01}},
    }
    provenance = {
        "scenario_name": "default",
        "scenario_text": f"scenario {check}\n",
        "plans": {"clymer": f"plan {check}\n"},
        "wall_time_s": 1.5,
        "started_at": "2025-01-01T00:00:00+00:00",
    }
    return provenance, summary, {"trajectories": trajectories, "risk": risk}


def assert_run_intact(stored) -> None:
    """The stored run's tables equal what `make_run` produces for its summary's check seed."""
    _, _, expected = make_run(stored.summary["check"], stored.summary["rows"])
    assert set(stored.table_names) == set(expected)
    for name, table in expected.items():
        assert stored.table(name).equals(table), name
