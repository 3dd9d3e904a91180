"""Several plans on the same sampled worlds (`ComparisonResult`): each plan's result, and paired differences on
common random numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from crunchtime._version import __version__
from crunchtime.model.state import OUTCOME_ORDER, PATH_ORDER, WORLD_ORDER
from crunchtime.results.result import WITH_HORIZON_RISK, SimulationResult, paired_difference, results_frame


@dataclass
class ComparisonResult:
    """Several plans on the same sampled worlds; paired differences use common random numbers.

    `cmp["clymer"]` is one plan's SimulationResult; `to_pandas()` gives tables of all plans.
    """

    results: dict[str, SimulationResult]
    #: what `refine` needs to add worlds: (scenario, plans, seed, design, per-chunk outputs); not compared
    _run: Any = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        from crunchtime.results.view import comparison_repr

        return comparison_repr(self)

    def _repr_html_(self) -> str:
        from crunchtime.results.view import comparison_html

        return comparison_html(self)

    def __getitem__(self, plan: str) -> SimulationResult:
        return self.results[plan]

    @property
    def plans(self) -> list[str]:
        """Plan names in the order they were given."""
        return list(self.results)

    def to_pandas(self, table: str = "summary"):
        """A table of every plan as a pandas DataFrame (with a `plan` column).

        Parameters
        ----------
        table : str
            "summary" (plan, kind, name, p, se), "differences" (a, b, metric, diff, ci95_low, ci95_high:
            paired differences p(a) - p(b)), or any table of `SimulationResult.to_pandas`.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> cmp.to_pandas("differences").query("metric == 'catastrophe'")  # doctest: +SKIP
        """
        if table == "differences":
            import pandas as pd

            rows = [
                {**{k: d[k] for k in ("a", "b", "metric", "diff")}, "ci95_low": d["ci95"][0], "ci95_high": d["ci95"][1]}
                for d in self.differences()
            ]
            return pd.DataFrame(rows, columns=["a", "b", "metric", "diff", "ci95_low", "ci95_high"])
        return results_frame(self.results, table)

    def differences(self) -> list[dict[str, Any]]:
        names = list(self.results)
        out = []
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                for metric in OUTCOME_ORDER:
                    out.append(paired_difference(self.results[a], self.results[b], metric))
        return out

    def world_differences(self) -> list[dict[str, Any]]:
        """Paired differences of the world's outcomes, Magma's paths and catastrophe with the risk left
        at the horizon (`WITH_HORIZON_RISK`), each pair of plans in order."""
        names = list(self.results)
        metrics = [f"world:{o}" for o in WORLD_ORDER] + [f"path:{o}" for o in PATH_ORDER] + [WITH_HORIZON_RISK]
        return [
            paired_difference(self.results[a], self.results[b], m)
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            for m in metrics
        ]

    def summary(self) -> dict[str, Any]:
        first = next(iter(self.results.values()))
        return {
            "kind": "compare",
            "scenario": first.scenario.name,
            "samples": first.samples,
            "seed": first.seed,
            "start": first.scenario.start,
            "horizon_months": first.scenario.horizon_months,
            "crunchtime_version": __version__,
            "plans": {k: v.summary() for k, v in self.results.items()},
            "differences": self.differences(),
            "world_differences": self.world_differences(),
        }

    def tables(self) -> dict[str, pa.Table]:
        per = [r.tables() for r in self.results.values()]
        return {k: pa.concat_tables([t[k] for t in per]) for k in per[0]}
