"""Running the claims: the simulations they need planned (one `compare` per scenario, shared across claims, so
that both sides of a claim use common random numbers), run, and each claim's difference measured and judged."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from crunchtime.analysis.claims_spec import CLAIMS_SOURCE, Claim, _Term, load_claims
from crunchtime.analysis.claims_verdict import (
    ClaimResult,
    ClaimsResult,
    Measured,
    claim_verdict,
    flip_verdict,
    paired_interval,
)
from crunchtime.engine.backends import check_backend
from crunchtime.errors import InputError

_Runs = dict[tuple[str, str, str], Any]
"""Each simulation result by (scenario text, plan name, plan text)."""


def select_claims(claims: Sequence[Claim], only: str | Iterable[str] | None) -> list[Claim]:
    """The claims whose ids are in `only`, in file order (all of them when `only` is None).

    Parameters
    ----------
    claims : sequence of Claim
        From `load_claims`.
    only : str, sequence of str or None
        Claim ids: comma-separated text or a list.

    Returns
    -------
    list of Claim

    Examples
    --------
    >>> select_claims(load_claims(), "heuristic-1-scale")  # doctest: +SKIP
    """
    if only is None:
        return list(claims)
    ids = [s.strip() for s in only.split(",")] if isinstance(only, str) else [str(s).strip() for s in only]
    ids = [s for s in ids if s]
    known = [c.id for c in claims]
    for s in ids:
        if s not in known:
            raise InputError("--only", None, f"unknown claim id {s!r} (claims: {', '.join(known)})")
    if not ids:
        raise InputError("--only", None, "name at least one claim id")
    return [c for c in claims if c.id in ids]


def _metric_values(res, metric: str, claim: Claim) -> np.ndarray:
    from crunchtime.model.state import MILESTONES

    kind, _, name = metric.partition(":")
    if not name or kind in ("world", "path"):
        return res.indicator(metric)
    if kind == "milestone":
        return (~np.isnan(res.milestones[:, MILESTONES.index(name)])).astype(float)
    if name not in res.events:
        raise InputError(
            CLAIMS_SOURCE, f"{claim.id}.metric", f"no event named {name!r} (events: {', '.join(res.events)})"
        )
    return np.asarray(res.events[name], dtype=float)


def run_claims(
    samples: int = 4000,
    seed: int = 1,
    only: str | Iterable[str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    claims: Sequence[Claim] | None = None,
    backend: str = "local",
    address: str | None = None,
) -> ClaimsResult:
    """Run every claim (or those in `only`) and its flip as paired experiments.

    Parameters
    ----------
    samples : int
        Trajectories per side.
    seed : int
        Run seed; the same seed gives identical results.
    only : str or sequence of str, optional
        Claim ids to run; all by default.
    workers : int
        Processes per simulation; results do not depend on it.
    progress : callable(done, total), optional
        Called as simulated chunks finish.
    claims : sequence of Claim, optional
        Claims to run instead of the shipped ones.
    backend, address
        Where the simulations run, as for `compare`; results do not depend on it.

    Returns
    -------
    ClaimsResult

    Examples
    --------
    >>> run_claims(samples=512, only="heuristic-1-scale")  # doctest: +SKIP
    """
    check_backend(backend, address)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise InputError("--samples", None, f"a paired interval needs at least 2 samples, got {samples!r}")
    selected = select_claims(load_claims() if claims is None else claims, only)

    calls, by_scenario = _plan_calls(selected)
    results = _simulate(calls, by_scenario, samples, seed, workers, progress, backend, address)
    out = []
    for c in selected:
        m, fm = _measure(results, c, c.design, samples), _measure(results, c, c.flip_design, samples)
        out.append(ClaimResult(c, m, claim_verdict(m, c.expected), fm, flip_verdict(fm, c.expected, c.flip_expected)))
    return ClaimsResult(tuple(out), samples, seed)


def _plan_calls(selected: Sequence[Claim]) -> tuple[list[tuple[Any, dict[str, Any]]], dict[str, list[int]]]:
    """The simulations to run: one compare call per scenario (and per clash of plan names), shared across claims.

    Returns the calls as (scenario, plans by name) and, per scenario text, the indices of its calls.
    """
    calls: list[tuple[Any, dict[str, Any]]] = []
    by_scenario: dict[str, list[int]] = {}
    for c in selected:
        for term in (*c.design, *c.flip_design):
            idxs = by_scenario.setdefault(term.scenario_text, [])
            placed = False
            for i in idxs:
                have = calls[i][1].get(term.plan.name)
                if have is None or have.source_text == term.plan.source_text:
                    calls[i][1][term.plan.name] = term.plan
                    placed = True
                    break
            if not placed:
                calls.append((term.scenario, {term.plan.name: term.plan}))
                idxs.append(len(calls) - 1)
    return calls, by_scenario


def _simulate(
    calls: list[tuple[Any, dict[str, Any]]],
    by_scenario: dict[str, list[int]],
    samples: int,
    seed: int,
    workers: int,
    progress: Callable[[int, int], None] | None,
    backend: str,
    address: str | None,
) -> _Runs:
    """Run the planned compare calls, reporting progress over all their chunks together."""
    from crunchtime.engine import DEFAULT_CHUNK
    from crunchtime.results import simulation as sim

    chunks = math.ceil(samples / DEFAULT_CHUNK)
    total = chunks * len(calls)
    results: _Runs = {}
    for k, (scenario, plans) in enumerate(calls):
        cb = None if progress is None else _offset(progress, k * chunks, total)
        cmp = sim.compare(
            scenario,
            list(plans.values()),
            samples=samples,
            seed=seed,
            workers=workers,
            progress=cb,
            backend=backend,
            address=address,
        )
        text = next(t for t, idx in by_scenario.items() if k in idx)
        for name, res in cmp.results.items():
            results[(text, name, plans[name].source_text)] = res
    if progress is not None:
        progress(total, total)
    return results


def _offset(progress: Callable[[int, int], None], before: int, total: int) -> Callable[[int, int], None]:
    """One call's progress as progress over all calls: `before` chunks done before it, `total` in all."""
    return lambda done, _t: progress(before + done, total)


def _measure(results: _Runs, c: Claim, design: tuple[_Term, ...], samples: int) -> Measured:
    """The paired difference of a claim's runs: the sum of each run's metric with its coefficient."""
    d = np.zeros(samples)
    for t in design:
        res = results[(t.scenario_text, t.plan.name, t.plan.source_text)]
        d += t.coef * _metric_values(res, c.metric, c)
    return paired_interval(d)
