"""The one uncertainty convention every number the tool prints follows: a 95% Monte Carlo interval."""

from __future__ import annotations

#: the normal quantile of a two-sided 95% interval
Z95 = 1.96


def interval95(p: float, se: float, n: int = 0) -> tuple[float, float]:
    """The 95% Monte Carlo interval of a probability: p ± 1.96 standard errors, kept inside [0, 1].

    At exactly 0 or 1 of `n` trajectories the standard error is 0 and says nothing; the rule of three then
    gives the 95% bound: [0, 3/n] or [1 - 3/n, 1].

    Examples
    --------
    >>> interval95(0.25, 0.01)
    (0.2304, 0.2696)
    >>> interval95(0.0, 0.0, 2000)
    (0.0, 0.0015)
    """
    count = round(p * n) if n else None
    if count is not None and count in (0, n) and abs(p * n - count) < 1e-9:
        return (0.0, min(1.0, 3.0 / n)) if count == 0 else (max(0.0, 1.0 - 3.0 / n), 1.0)
    return max(0.0, round(p - Z95 * se, 12)), min(1.0, round(p + Z95 * se, 12))
