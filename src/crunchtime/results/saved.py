"""The run store by id: save a simulation result with its provenance, read, list and delete saved runs."""

from __future__ import annotations

from pathlib import Path

from crunchtime.errors import ArgumentError
from crunchtime.results.comparison import ComparisonResult
from crunchtime.results.result import SimulationResult
from crunchtime.results.store import RunInfo, RunStore, StoredRun, make_provenance


def save_run(result: SimulationResult | ComparisonResult, home: str | Path | None = None) -> str:
    """Save a result in the run store with its provenance (exact inputs, seed, samples, version, timing).

    Parameters
    ----------
    result : SimulationResult or ComparisonResult
        What `simulate` or `compare` returned.
    home : str or Path, optional
        The store's folder (default: $CRUNCHTIME_HOME, else the per-user data folder).

    Returns
    -------
    str
        The new run id (`load_run(run_id)` reads it back; `crunchtime report ID` renders it).

    Examples
    --------
    >>> run_id = save_run(simulate("default", "clymer", samples=256))  # doctest: +SKIP
    """
    if isinstance(result, ComparisonResult):
        kind, res = "compare", result.results
    elif isinstance(result, SimulationResult):
        kind, res = "run", {result.plan_name: result}
    else:
        raise ArgumentError("result", f"expected a SimulationResult or ComparisonResult, got {type(result).__name__}")
    first = next(iter(res.values()))
    prov = make_provenance(
        scenario_name=first.scenario.name,
        scenario_text=first.scenario.source_text,
        plans={k: v.extra.get("plan_source_text") for k, v in res.items()},
        seed=first.seed,
        samples=first.samples,
        started_at=first.extra.get("started_at"),
        wall_time_s=first.extra.get("wall_time_s"),
    )
    return RunStore(home).save(kind, prov, result.summary(), result.tables())


def load_run(run_id: str, home: str | Path | None = None) -> StoredRun:
    """Read a saved run.

    Parameters
    ----------
    run_id : str
        A run id or a unique prefix of one.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    StoredRun
        `.summary`, `.provenance`, `.info` and `.table(name)` (pyarrow).

    Examples
    --------
    >>> load_run(run_id).summary["kind"]  # doctest: +SKIP
    'run'
    """
    return RunStore(home).load(run_id)


def list_runs(home: str | Path | None = None) -> list[RunInfo]:
    """Every saved run, oldest first.

    Parameters
    ----------
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    list of RunInfo

    Examples
    --------
    >>> [info.run_id for info in list_runs()]  # doctest: +SKIP
    """
    return RunStore(home).list()


def delete_run(run_id: str, home: str | Path | None = None) -> RunInfo:
    """Delete a saved run (its folder and catalogue entry).

    Parameters
    ----------
    run_id : str
        A run id or a unique prefix of one.
    home : str or Path, optional
        The store's folder (default as for `save_run`).

    Returns
    -------
    RunInfo
        What was deleted.

    Examples
    --------
    >>> delete_run(run_id).run_id  # doctest: +SKIP
    """
    return RunStore(home).delete(run_id)
