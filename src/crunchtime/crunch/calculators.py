"""The crunch-time calculators of the public API (re-exported by `crunchtime.api`): research planning (effective
years, scheduling, the exchange rate of preparation, weak-proxy evidence). Arguments are checked here and errors
name them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crunchtime.crunch import effective as _eff
from crunchtime.crunch.effective import EffectiveTime, Segment
from crunchtime.crunch.evidence import ProxyExperiment
from crunchtime.crunch.exchange import ARGUMENTS as EXCHANGE_ARGUMENTS
from crunchtime.crunch.exchange import ExchangeInputs
from crunchtime.errors import ArgumentError
from crunchtime.model.textfile import read_user_text

__all__ = [
    "EXCHANGE_ARGUMENTS",
    "EffectiveTime",
    "ExchangeInputs",
    "ProxyExperiment",
    "Segment",
    "effective_rate",
    "effective_years",
    "effective_years_from_run",
    "example_projects",
    "exchange_rate",
    "load_projects",
    "parse_segment",
    "parse_window",
    "solve_schedule",
    "weak_proxy_evidence",
]


def effective_rate(multiplier: Any, loss: float) -> Any:
    """Research months per calendar month at an AI speed-up once `loss` of its benefit is lost.

    Parameters
    ----------
    multiplier : float or array
        The AI speed-up of research (1 = none).
    loss : float
        Share of the benefit lost, 0..1.

    Returns
    -------
    float or array
        `1 + (1 - loss) * (multiplier - 1)`.

    Examples
    --------
    >>> float(effective_rate(3.0, 0.5))
    2.0
    """
    return _eff.effective_rate(multiplier, loss)


def parse_segment(text: str, source: str = "--segment") -> Segment:
    """Parse `MONTHS:MULTIPLIER` (e.g. `12:3`: a year at 3x); months >= 0, multiplier > 0.

    Parameters
    ----------
    text : str
        The segment as written.
    source : str
        How errors name where the text came from.

    Returns
    -------
    Segment

    Examples
    --------
    >>> parse_segment("12:3")
    Segment(months=12.0, multiplier=3.0)
    """
    return _eff.parse_segment(text, source)


def parse_window(text: str, source: str = "--window") -> tuple[float, float]:
    """Parse `START:END` months of a run (0 <= start < end).

    Parameters
    ----------
    text : str
        The window as written.
    source : str
        How errors name where the text came from.

    Returns
    -------
    (start, end) : tuple of float

    Examples
    --------
    >>> parse_window("0:12")
    (0.0, 12.0)
    """
    return _eff.parse_window(text, source)


def _share(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ArgumentError(name, f"must be a share between 0 and 1, got {value!r}")
    return float(value)


def effective_years(segments: Sequence[Segment | tuple[float, float] | str], loss: float = 0.0) -> EffectiveTime:
    """Research time a window of AI speed-ups holds: calendar, effective and additional years.

    Parameters
    ----------
    segments : sequence of Segment, (months, multiplier) or "MONTHS:MULTIPLIER"
        Stretches of crunch time and the AI speed-up of research during each.
    loss : float
        Share of the speed-up's benefit lost to integration delays and safety taxes, 0..1.

    Returns
    -------
    EffectiveTime
        `calendar_years`, `effective_years`, `additional_years` (`as_dict()` for JSON).

    Examples
    --------
    >>> round(effective_years(["12:3", "12:10"], loss=0.5).effective_years, 2)
    7.5
    """
    loss = _share("loss", loss)
    if isinstance(segments, str) or not segments:
        raise ArgumentError("segments", "give at least one MONTHS:MULTIPLIER segment")
    parsed = [
        s if isinstance(s, Segment) else parse_segment(s, "segments") if isinstance(s, str) else Segment(*s)
        for s in segments
    ]
    return _eff.effective_years(parsed, loss)


def effective_years_from_run(
    run_id: str, loss: float = 0.0, window: tuple[float, float] | None = None, plan: str | None = None
) -> dict[str, Any]:
    """Distribution of effective crunch-time research years over the trajectories of a saved run.

    Parameters
    ----------
    run_id : str
        A saved run (or a unique prefix of its id).
    loss : float
        Share of the speed-up's benefit lost, 0..1.
    window : (start, end) months, optional
        Count these months of the run (default: first dangerous AI to deference/deployment).
    plan : str, optional
        For a comparison: which plan (default: the first).

    Returns
    -------
    dict
        Quantiles of calendar, effective and additional years, the plan and the trajectory count.

    Examples
    --------
    >>> effective_years_from_run(run_id, loss=0.5)["effective_years"]  # doctest: +SKIP
    """
    return _eff.effective_years_from_run(run_id, _share("loss", loss), window, plan=plan)


def load_projects(path: str | Path, researchers: int | None = None, objective: str | None = None) -> Any:
    """Read a research-project file for the scheduler (see docs/crunch.md).

    Parameters
    ----------
    path : str or Path
        The YAML project file.
    researchers : int, optional
        Team size (overrides the file).
    objective : str, optional
        "value" (by the deadlines) or "makespan" (overrides the file).

    Returns
    -------
    Problem
        The validated scheduling problem.

    Examples
    --------
    >>> problem = load_projects(example_projects("essay"))
    """
    from crunchtime.crunch.projects import load_problem

    read_user_text(Path(path), str(path))  # size, encoding and existence checks with one-line errors
    return load_problem(path, researchers, objective)


def example_projects(name: str = "essay") -> Path:
    """Path of a project file shipped with crunchtime.

    Parameters
    ----------
    name : str
        The example's name ("essay").

    Returns
    -------
    Path

    Examples
    --------
    >>> example_projects("essay").name
    'essay.yaml'
    """
    from crunchtime.crunch.projects import example_path

    return example_path(name)


def solve_schedule(problem: Any, time_limit: float = 10.0) -> Any:
    """Choose start times and order of research projects against automation forecasts (CP-SAT).

    Parameters
    ----------
    problem : Problem
        From `load_projects`.
    time_limit : float
        Solver time limit in seconds (> 0).

    Returns
    -------
    ScheduleResult
        The plan beside the naive file-order plan; `to_dict()` for JSON.

    Examples
    --------
    >>> solve_schedule(load_projects(example_projects()), time_limit=5).to_dict()["makespan_months"]  # doctest: +SKIP
    """
    from crunchtime.crunch.schedule import solve

    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or not 0 < time_limit < math.inf:
        raise ArgumentError("time_limit", f"must be > 0 seconds, got {time_limit!r}")
    return solve(problem, time_limit=float(time_limit))


def exchange_rate(inputs: ExchangeInputs | None = None, **values: float) -> dict[str, Any]:
    """How many pre-crunch months are worth one crunch-time day saved, and whether preparation pays.

    Parameters
    ----------
    inputs : ExchangeInputs, optional
        All inputs (default: the essay's figures).
    **values : float
        Override single inputs by name (see `ExchangeInputs` and `EXCHANGE_ARGUMENTS`).

    Returns
    -------
    dict
        Hour values, break-even rates, days saved, benefit/cost and `worth_it`.

    Examples
    --------
    >>> exchange_rate(lab_researchers=30)["worth_it"] in (True, False)
    True
    """
    from dataclasses import fields, replace

    from crunchtime.crunch.exchange import exchange_rate as _rate

    names = {f.name for f in fields(ExchangeInputs)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ArgumentError(unknown[0], f"not an input (inputs: {', '.join(sorted(names))})")
    return _rate(replace(inputs or ExchangeInputs(), **{k: float(v) for k, v in values.items()}))


def weak_proxy_evidence(
    prior_mean: float = 0.5,
    prior_sd: float = 1.0,
    noise_sd: float = 0.5,
    validity: float = 0.3,
    observed: float | None = None,
    plot: str | Path | None = None,
) -> dict[str, Any]:
    """Value of a weak-proxy experiment to a calibrated and to a naive updater.

    Parameters
    ----------
    prior_mean, prior_sd : float
        Prior on the crunch-time effect difference, technique A minus B.
    noise_sd : float
        The experiment's nominal measurement noise.
    validity : float
        Correlation of the experiment's result with the crunch-time difference, 0..1.
    observed : float, optional
        An observed result: the report then holds both posteriors.
    plot : str or Path, optional
        Save a PNG of value of information against validity here.

    Returns
    -------
    dict
        Values of information, break-even validity, decision now, posteriors (and `plot`).

    Examples
    --------
    >>> weak_proxy_evidence(validity=0.2)["voi_calibrated"] >= 0
    True
    """
    from crunchtime.crunch.evidence import evidence_report, plot_voi
    from crunchtime.errors import InputError

    exp = ProxyExperiment(prior_mean, prior_sd, noise_sd, validity)
    doc = evidence_report(exp, observed)
    if plot is not None:
        try:
            plot_voi(exp, str(plot))
        except OSError as exc:
            raise InputError(str(plot), None, f"cannot write the plot ({exc.strerror or exc})") from None
        doc["plot"] = str(plot)
    return doc
