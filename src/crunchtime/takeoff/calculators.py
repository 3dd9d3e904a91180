"""The takeoff model's calculators of the public API (re-exported by `crunchtime.api`): the software-intelligence-
explosion model with its arguments checked, errors naming them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from crunchtime.errors import ArgumentError
from crunchtime.takeoff.sie import PAPER_CONDITIONS, PAPER_REPORTED, Condition, SIEResult
from crunchtime.takeoff.sie_params import SIEParams
from crunchtime.takeoff.sizes import MAX_SIE_SAMPLES

__all__ = [
    "MAX_SIE_SAMPLES",
    "PAPER_CONDITIONS",
    "PAPER_REPORTED",
    "Condition",
    "SIEParams",
    "SIEResult",
    "parse_range",
    "simulate_sie",
]


def parse_range(text: str, name: str) -> tuple[float, float]:
    """Parse a `LOW:HIGH` range of a takeoff-model parameter.

    Parameters
    ----------
    text : str
        The range as written.
    name : str
        How errors name the range (e.g. "--r-range").

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> parse_range("0.4:3.6", "r_range")
    (0.4, 3.6)
    """
    from crunchtime.takeoff.sie_params import parse_range as _parse

    return _parse(text, name)


def simulate_sie(
    samples: int = 100_000,
    seed: int = 0,
    params: SIEParams | None = None,
    conditions: Sequence[Condition] = PAPER_CONDITIONS,
    progress: Callable[[int, int], None] | None = None,
) -> SIEResult:
    """Probability that a software intelligence explosion compresses Y years of AI progress into M months.

    Davidson and Houlden's (2025) model: a Monte Carlo over its parameter distributions.

    Parameters
    ----------
    samples : int
        Monte Carlo samples, 1..MAX_SIE_SAMPLES.
    seed : int
        Random seed (same seed, same result).
    params : SIEParams, optional
        Parameter ranges and variants (default: the paper's).
    conditions : sequence of Condition
        (years, months) pairs to evaluate (default: the paper's four).
    progress : callable(done, total), optional
        Called as chunks of samples finish.

    Returns
    -------
    SIEResult
        Probability and standard error per condition (`as_json()`).

    Examples
    --------
    >>> res = simulate_sie(samples=20_000, seed=1)
    >>> len(res.p) == len(PAPER_CONDITIONS)
    True
    """
    from crunchtime.takeoff.sie import simulate_sie as _sie
    from crunchtime.takeoff.sie_params import CHUNK_SIZE

    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_SIE_SAMPLES:
        raise ArgumentError("samples", f"must be a whole number in 1..{MAX_SIE_SAMPLES}, got {samples!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ArgumentError("seed", f"must be a non-negative whole number below 2**63, got {seed!r}")
    if progress is None:
        return _sie(samples, seed, params, tuple(conditions))
    total, done = -(-samples // CHUNK_SIZE), 0

    def on_chunk(k: int) -> None:
        nonlocal done
        done += k
        progress(done, total)

    return _sie(samples, seed, params, tuple(conditions), on_chunk=on_chunk)
