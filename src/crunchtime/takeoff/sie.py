"""Software-intelligence-explosion (SIE) model of Davidson & Houlden (2025), vectorised over samples.

Software S is tracked in doublings since ASARA is deployed (compute fixed, AI labour proportional to S).
Each doubling takes `dt` months; after doubling n the next one takes 2**a_n times as long, where
a_n = p * (1 / r_n - 1) and r_n = r0 * (1 - n / D) falls linearly in doublings to 0 at the ceiling D.
See docs/takeoff-sie.md for the derivation, parameters and the comparison with the paper.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from crunchtime.errors import InputError
from crunchtime.takeoff.sie_params import (
    CHUNK_SIZE,
    SIEParams,
    SIESamples,
    sample_chunk,
    samples_from_arrays,
)


@dataclass(frozen=True)
class Condition:
    """'At least `years` of overall AI progress (at recent rates) within at most `months` months'."""

    years: float
    months: float

    def doublings(self, params: SIEParams) -> int:
        """Software doublings that amount to `years` of progress (rounded up; tiny slack for float noise)."""
        return max(1, math.ceil(self.years * params.doublings_per_year - 1e-9))

    def as_json(self) -> dict[str, float | int]:
        """Years and months as JSON numbers (integers stay integers)."""

        def num(x: float) -> float | int:
            return int(x) if float(x).is_integer() else float(x)

        return {"years": num(self.years), "months": num(self.months)}


PAPER_CONDITIONS: tuple[Condition, ...] = (
    Condition(3, 12),
    Condition(10, 12),
    Condition(3, 4),
    Condition(10, 4),
)
"""The paper's results table: >=3 / >=10 years of progress compressed into <=1 year / <=4 months."""

PAPER_REPORTED: dict[tuple[float, float], float] = {(3, 12): 0.57, (10, 12): 0.18, (3, 4): 0.41, (10, 4): 0.12}
"""The paper's reported probabilities (Results table). Its (3, 4) cell was computed with 26 doublings (3.25 years)."""


@dataclass(frozen=True)
class SIEState:
    """State after some doublings: time of the last doubling t, doublings n, next doubling's duration dt (months)."""

    t: np.ndarray
    n: np.ndarray
    dt: np.ndarray


def initial_state(samples: SIESamples) -> SIEState:
    """State when ASARA is deployed: t = 0, no doublings yet, first doubling takes recent time / speed-up."""
    size = len(samples)
    return SIEState(t=np.zeros(size), n=np.zeros(size), dt=samples.initial_doubling_months.copy())


def returns_after(n: np.ndarray, samples: SIESamples, params: SIEParams) -> np.ndarray:
    """r after n doublings: r0 * (1 - n / D), or r0 in the constant-r variant."""
    if params.constant_r:
        return samples.r0
    return samples.r0 * (1.0 - n / samples.limit_doublings)


def pace_exponent(r: np.ndarray, p: np.ndarray, retraining: bool) -> np.ndarray:
    """Doublings-of-doubling-time per software doubling, a = p (1/r - 1) (r > 0); retraining: a / (1 + |a|)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(r > 0, p * (1.0 / np.where(r > 0, r, 1.0) - 1.0), 0.0)
    return a / (1.0 + np.abs(a)) if retraining else a


def step(state: SIEState, samples: SIESamples, params: SIEParams) -> tuple[SIEState, np.ndarray]:
    """One more software doubling for every sample still running; returns (new state, which samples doubled).

    A sample runs while t < horizon and n < D; after doubling, the next doubling time is scaled by 2**a.
    """
    active = (state.t < params.horizon_months) & (state.n < samples.limit_doublings)
    n = state.n + active
    r = returns_after(n, samples, params)
    a = pace_exponent(r, samples.p, params.retraining)
    with np.errstate(over="ignore"):  # a doubling near the ceiling may take "forever" (inf months)
        t = np.where(active, state.t + state.dt, state.t)
        dt = np.where(active & (r > 0), state.dt * np.exp2(a), state.dt)
    return SIEState(t=t, n=n, dt=dt), active


def doubling_times(samples: SIESamples, params: SIEParams) -> np.ndarray:
    """Times (months) of software doublings 0..n_max, shape (n, n_max + 1); inf after a sample stops."""
    size = len(samples)
    n_max = int(np.ceil(samples.limit_doublings.max())) if size else 0
    rows = np.full((n_max + 1, size), np.inf)  # step-major while filling: each step writes one contiguous row
    rows[0] = 0.0
    state, live, idx = initial_state(samples), samples, np.arange(size)
    last = 0
    for i in range(n_max):
        state, doubled = step(state, live, params)
        if not doubled.any():
            break
        last = i + 1
        rows[i + 1, idx[doubled]] = state.t[doubled]
        if doubled.mean() < 0.75:  # drop stopped samples so later steps only touch running ones
            idx, live = idx[doubled], _take(live, doubled)
            state = SIEState(t=state.t[doubled], n=state.n[doubled], dt=state.dt[doubled])
    return rows[: last + 1].T


def shortest_window(times: np.ndarray, k: int) -> np.ndarray:
    """Per sample, the shortest time (months) in which k consecutive doublings happened; inf if never."""
    if k >= times.shape[1]:
        return np.full(times.shape[0], np.inf)
    with np.errstate(invalid="ignore"):  # inf - inf past a sample's end is nan, which fmin skips
        spans = times[:, k:] - times[:, :-k]
    shortest = np.fmin.reduce(spans, axis=1)
    return np.where(np.isnan(shortest), np.inf, shortest)


def condition_hits(times: np.ndarray, conditions: Sequence[Condition], params: SIEParams) -> np.ndarray:
    """Boolean (n, len(conditions)): whether each sample's path satisfies each condition."""
    cols = [shortest_window(times, c.doublings(params)) <= c.months for c in conditions]
    return np.stack(cols, axis=1) if cols else np.zeros((times.shape[0], 0), dtype=bool)


def evaluate(samples: SIESamples, params: SIEParams, conditions: Sequence[Condition]) -> np.ndarray:
    """Simulate given per-sample parameters and return the (n, len(conditions)) hit matrix."""
    return condition_hits(doubling_times(samples, params), conditions, params)


@dataclass(frozen=True)
class SIEResult:
    """Monte Carlo result: per-condition hit counts and per-sample hits (for common-random-number comparisons)."""

    conditions: tuple[Condition, ...]
    hits: np.ndarray  # bool, shape (samples, len(conditions))

    @property
    def samples(self) -> int:
        return int(self.hits.shape[0])

    @property
    def p(self) -> np.ndarray:
        """Probability of each condition (fraction of samples)."""
        return self.hits.mean(axis=0) if self.samples else np.full(len(self.conditions), np.nan)

    @property
    def se(self) -> np.ndarray:
        """Binomial Monte Carlo standard error sqrt(p (1 - p) / N) of each probability."""
        p = self.p
        return np.sqrt(p * (1.0 - p) / max(self.samples, 1))

    def as_json(self) -> dict[str, list[dict[str, float | int]]]:
        """{"conditions": [{"years", "months", "p", "se"}, ...]}."""
        return {
            "conditions": [
                {**c.as_json(), "p": float(p), "se": float(se)}
                for c, p, se in zip(self.conditions, self.p, self.se, strict=True)
            ]
        }


def simulate_sie(
    samples: int,
    seed: int,
    params: SIEParams | None = None,
    conditions: Sequence[Condition] = PAPER_CONDITIONS,
    batch_chunks: int = 16,
    on_chunk: Callable[[int], None] | None = None,
) -> SIEResult:
    """Monte Carlo over the paper's parameter distributions; identical for any batch_chunks (chunked sampling).

    Chunk c's samples always come from SeedSequence([seed, c]); batch_chunks only sets how many chunks are
    simulated together (memory vs speed). on_chunk(count) is called after each batch with its chunk count.
    """
    params = params or SIEParams()
    conditions = tuple(conditions)
    if samples < 0:
        raise InputError("SIE simulation", "samples", f"must be >= 0, got {samples}")
    if batch_chunks < 1:
        raise InputError("SIE simulation", "batch_chunks", f"must be >= 1, got {batch_chunks}")
    n_chunks = -(-samples // CHUNK_SIZE)
    parts: list[np.ndarray] = []
    for first in range(0, n_chunks, batch_chunks):
        chunks = range(first, min(first + batch_chunks, n_chunks))
        drawn = [sample_chunk(params, seed, c, min(CHUNK_SIZE, samples - c * CHUNK_SIZE)) for c in chunks]
        batch = _concat(drawn)
        parts.append(evaluate(batch, params, conditions))
        if on_chunk is not None:
            on_chunk(len(chunks))
    hits = np.concatenate(parts) if parts else np.zeros((0, len(conditions)), dtype=bool)
    return SIEResult(conditions=conditions, hits=hits)


def simulate_sie_arrays(
    speedup: np.ndarray,
    r0: np.ndarray,
    limit_years: np.ndarray,
    p: np.ndarray,
    params: SIEParams | None = None,
    conditions: Sequence[Condition] = PAPER_CONDITIONS,
) -> SIEResult:
    """Run the model on explicit per-sample parameters (1-D arrays, broadcast together); params give constants."""
    params = params or SIEParams()
    drawn = samples_from_arrays(params, speedup, r0, limit_years, p)
    return SIEResult(conditions=tuple(conditions), hits=evaluate(drawn, params, conditions))


def _take(samples: SIESamples, keep: np.ndarray) -> SIESamples:
    """The samples selected by a boolean mask or index array."""
    return SIESamples(
        speedup=samples.speedup[keep],
        r0=samples.r0[keep],
        limit_doublings=samples.limit_doublings[keep],
        p=samples.p[keep],
        initial_doubling_months=samples.initial_doubling_months[keep],
    )


def _concat(parts: Sequence[SIESamples]) -> SIESamples:
    """Join chunks' samples along the sample axis."""
    return SIESamples(
        speedup=np.concatenate([s.speedup for s in parts]),
        r0=np.concatenate([s.r0 for s in parts]),
        limit_doublings=np.concatenate([s.limit_doublings for s in parts]),
        p=np.concatenate([s.p for s in parts]),
        initial_doubling_months=np.concatenate([s.initial_doubling_months for s in parts]),
    )
