"""Parameters of the software-intelligence-explosion (SIE) model and their Monte Carlo sampler.

Defaults follow Davidson & Houlden (2025), "How quick and big would a software intelligence
explosion be?" (Forethought). Sampling is chunked: chunk c of a run with seed K always draws the
same CHUNK_SIZE samples from SeedSequence([K, c]), so results never depend on how chunks are batched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Literal

import numpy as np

from crunchtime.errors import InputError

CHUNK_SIZE = 4096
"""Samples per chunk of the sampling stream; a fixed constant so per-sample draws never move."""

Scale = Literal["log", "linear"]


@dataclass(frozen=True)
class Range:
    """A sampling range: uniform in `scale` (log-uniform when scale == 'log') between low and high."""

    low: float
    high: float
    scale: Scale = "log"

    def transform(self, u: np.ndarray) -> np.ndarray:
        """Map uniforms u in [0, 1) to values; monotone non-decreasing in u, low and high (common random numbers)."""
        if self.scale == "log":
            lo, hi = math.log(self.low), math.log(self.high)
            return np.exp(lo + u * (hi - lo))
        return self.low + u * (self.high - self.low)


@dataclass(frozen=True)
class SIEParams:
    """Sampling ranges and fixed constants of the SIE model (paper defaults)."""

    speedup: Range = Range(2.0, 32.0, "log")
    """initial speed-up f of software progress when ASARA is deployed, vs the recent pace (x)"""
    r: Range = Range(0.4, 3.6, "log")
    """initial (deflated) returns to software R&D r0: software doublings per doubling of cumulative inputs"""
    limit_years: Range = Range(6.0, 16.0, "linear")
    """distance to effective limits of software, in years of overall AI progress at recent rates"""
    p: Range = Range(0.15, 0.6, "log")
    """diminishing returns to parallel labour p = lambda * alpha (pace doublings per doubling of parallel labour)"""
    recent_doubling_months: float = 3.0
    """recent (2020-24) software doubling time, months"""
    software_share: float = 0.5
    """share of recent overall AI progress due to software (the rest from compute)"""
    horizon_months: float = 48.0
    """simulation stops taking doublings once this much time has elapsed"""
    retraining: bool = False
    """'retraining cost' variant: pace exponent a becomes a / (1 + |a|)"""
    constant_r: bool = False
    """variant: r stays at r0 (no decline towards the ceiling); the ceiling still stops progress"""

    def __post_init__(self) -> None:
        for name in ("speedup", "r", "limit_years", "p"):
            rng: Range = getattr(self, name)
            if not (math.isfinite(rng.low) and math.isfinite(rng.high)) or rng.low > rng.high:
                raise InputError("SIE parameters", name, f"range {rng.low}:{rng.high} must have finite low <= high")
            if rng.scale == "log" and rng.low <= 0:
                raise InputError("SIE parameters", name, f"log-uniform range needs low > 0, got {rng.low}")
        if self.limit_years.low <= 0:
            raise InputError("SIE parameters", "limit_years", "distance to effective limits must be > 0 years")
        if self.p.low < 0:
            raise InputError("SIE parameters", "p", "parallel-labour exponent must be >= 0")
        if not self.recent_doubling_months > 0:
            raise InputError("SIE parameters", "recent_doubling_months", "must be > 0")
        if not 0 < self.software_share <= 1:
            raise InputError("SIE parameters", "software_share", "must be in (0, 1]")
        if not self.horizon_months > 0:
            raise InputError("SIE parameters", "horizon_months", "must be > 0")

    @property
    def doublings_per_year(self) -> float:
        """Software doublings equal to one year of overall AI progress at recent rates (4 / 0.5 = 8)."""
        return (12.0 / self.recent_doubling_months) / self.software_share

    def with_ranges(self, **ranges: tuple[float, float]) -> SIEParams:
        """Copy with some ranges' (low, high) replaced, keeping each range's scale."""
        known = {f.name for f in fields(self) if isinstance(getattr(self, f.name), Range)}
        updates = {}
        for name, (low, high) in ranges.items():
            if name not in known:
                raise InputError("SIE parameters", name, f"unknown range; expected one of {sorted(known)}")
            updates[name] = replace(getattr(self, name), low=float(low), high=float(high))
        return replace(self, **updates)


@dataclass(frozen=True)
class SIESamples:
    """Per-sample parameters, each an array with a leading sample axis (shape (n,))."""

    speedup: np.ndarray
    r0: np.ndarray
    limit_doublings: np.ndarray
    p: np.ndarray
    initial_doubling_months: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return int(self.r0.shape[0])


def samples_from_arrays(
    params: SIEParams,
    speedup: np.ndarray,
    r0: np.ndarray,
    limit_years: np.ndarray,
    p: np.ndarray,
) -> SIESamples:
    """Build per-sample parameters from explicit arrays (broadcast to one shape), using params' constants."""
    arrays = (np.atleast_1d(np.asarray(a, dtype=float)) for a in (speedup, r0, limit_years, p))
    speedup, r0, limit_years, p = np.broadcast_arrays(*arrays)
    if speedup.ndim != 1:
        raise InputError("SIE parameters", "arrays", f"expected 1-D per-sample arrays, got shape {speedup.shape}")
    for name, arr, ok in (
        ("speedup", speedup, speedup > 0),
        ("r0", r0, r0 > 0),
        ("limit_years", limit_years, limit_years > 0),
        ("p", p, p >= 0),
    ):
        if not np.all(ok & np.isfinite(arr)):
            raise InputError("SIE parameters", name, "values must be finite and positive (p may be 0)")
    return SIESamples(
        speedup=speedup.copy(),
        r0=r0.copy(),
        limit_doublings=limit_years * params.doublings_per_year,
        p=p.copy(),
        initial_doubling_months=params.recent_doubling_months / speedup,
    )


def chunk_uniforms(seed: int, chunk_index: int) -> np.ndarray:
    """The (4, CHUNK_SIZE) uniforms of one chunk: rows are speed-up, r, limit, p (common random numbers)."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(chunk_index)]))
    return rng.random((4, CHUNK_SIZE))


def sample_chunk(params: SIEParams, seed: int, chunk_index: int, count: int = CHUNK_SIZE) -> SIESamples:
    """Draw the first `count` samples of chunk `chunk_index` from the paper's distributions."""
    u = chunk_uniforms(seed, chunk_index)[:, :count]
    return samples_from_arrays(
        params,
        speedup=params.speedup.transform(u[0]),
        r0=params.r.transform(u[1]),
        limit_years=params.limit_years.transform(u[2]),
        p=params.p.transform(u[3]),
    )


def parse_range(text: str, name: str) -> tuple[float, float]:
    """Parse 'low:high' (e.g. '0.4:3.6') into floats with low <= high; errors name the option."""
    parts = text.split(":")
    if len(parts) != 2:
        raise InputError("command line", name, f"expected LOW:HIGH, got {text!r}")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise InputError("command line", name, f"expected two numbers LOW:HIGH, got {text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise InputError("command line", name, f"expected finite LOW <= HIGH, got {text!r}")
    return low, high
