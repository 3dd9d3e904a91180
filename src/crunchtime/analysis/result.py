"""What every analysis returns: its JSON, its tables, and how it is saved and rendered.

An `AnalysisResult` is what `crunchtime optimize`, `sensitivity`, `discover` and `table1` print with
`--json` (`to_dict()`), keep in the run store (`crunchtime.api.save_analysis`, kind = the analysis name)
and render as a report section (`crunchtime report ID`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from crunchtime.errors import ArgumentError
from crunchtime.results.store import RunStore, make_provenance


@dataclass
class AnalysisResult:
    """One analysis: `data` is its JSON (`--json`), `tables` its per-point data for the store and plots.

    `plans` maps each plan involved to its YAML text (provenance); `samples` is the trajectories per
    evaluation that the headline numbers rest on.
    """

    kind: str
    scenario_name: str
    scenario_text: str
    plans: dict[str, str]
    seed: int
    samples: int
    data: dict[str, Any]
    tables: dict[str, pa.Table] = field(default_factory=dict)
    started_at: datetime | None = None
    wall_time_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of the command's `--json`: `kind`, `scenario`, `seed`, `samples` and the analysis' fields."""
        return {
            "kind": self.kind,
            "scenario": self.scenario_name,
            "plans": list(self.plans),
            "seed": self.seed,
            "samples": self.samples,
            **self.data,
        }

    def __repr__(self) -> str:
        return (
            f"<{self.kind} on {self.scenario_name}: plans {', '.join(self.plans)}; seed {self.seed}, "
            f"{self.samples} trajectories per evaluation>"
        )

    def _repr_html_(self) -> str:
        from crunchtime.report.analysis import render_section_html

        return render_section_html(self.to_dict(), self.tables)


def save_analysis(result: AnalysisResult, home: str | Path | None = None) -> str:
    """Save an analysis (optimize, sensitivity, discover, table1) in the run store with its provenance.

    Parameters
    ----------
    result : AnalysisResult
        What `optimize`, `sensitivity`, `discover` or `table1` returned.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    str
        The new run id; `load_run(run_id).summary` is `result.to_dict()`, `crunchtime report ID` renders it.

    Examples
    --------
    >>> run_id = save_analysis(sensitivity("default", "clymer", base_samples=8))  # doctest: +SKIP
    """
    if not isinstance(result, AnalysisResult):
        raise ArgumentError("result", f"expected an AnalysisResult, got {type(result).__name__}")
    prov = make_provenance(
        scenario_name=result.scenario_name,
        scenario_text=result.scenario_text,
        plans=result.plans,
        seed=result.seed,
        samples=result.samples,
        started_at=result.started_at,
        wall_time_s=result.wall_time_s,
    )
    return RunStore(home).save(result.kind, prov, result.to_dict(), result.tables)
