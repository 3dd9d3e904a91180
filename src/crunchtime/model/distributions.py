"""Belief distributions written the way people write them ("2 to 32", "beta(2, 5)"), parsed without eval.

A spec is a number, a string in the small grammar below, or a weighted discrete choice
`{choice: {value: weight, ...}}`. `parse_distribution` returns a `Distribution` whose `sample(rng, n)`
draws n values. "a to b" is a 90% interval: lognormal when both ends are positive, else normal
(the Squiggle / squigglepy convention).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

Z90 = 1.6448536269514722  # standard-normal quantile of 0.95: a 90% interval spans +-Z90 sigma

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?"
_TO = re.compile(rf"^\s*({_NUM})\s+to\s+({_NUM})\s*$")
_CALL = re.compile(rf"^\s*([a-z]+)\s*\(\s*({_NUM})\s*,\s*({_NUM})\s*\)\s*$")
_PLAIN = re.compile(rf"^\s*({_NUM})\s*$")


class DistributionError(ValueError):
    """A spec that is not a valid distribution; the message says why in a few words."""


@dataclass(frozen=True)
class Distribution:
    """One parsed belief: a family name and its numeric arguments."""

    family: str
    args: tuple[float, ...]
    values: tuple[float, ...] = ()  # for `choice`
    weights: tuple[float, ...] = ()

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw n values (float64)."""
        a = self.args
        if self.family == "constant":
            return np.full(n, a[0])
        if self.family == "lognormal90":
            mu, sigma = (math.log(a[0]) + math.log(a[1])) / 2, (math.log(a[1]) - math.log(a[0])) / (2 * Z90)
            return np.exp(mu + sigma * rng.standard_normal(n))
        if self.family == "normal90":
            mu, sigma = (a[0] + a[1]) / 2, (a[1] - a[0]) / (2 * Z90)
            return mu + sigma * rng.standard_normal(n)
        if self.family == "uniform":
            return a[0] + (a[1] - a[0]) * rng.random(n)
        if self.family == "loguniform":
            return np.exp(math.log(a[0]) + (math.log(a[1]) - math.log(a[0])) * rng.random(n))
        if self.family == "normal":
            return a[0] + a[1] * rng.standard_normal(n)
        if self.family == "beta":
            return rng.beta(a[0], a[1], n)
        if self.family == "choice":
            cum = np.cumsum(self.weights) / sum(self.weights)
            idx = np.searchsorted(cum, rng.random(n), side="right")
            return np.asarray(self.values)[np.minimum(idx, len(self.values) - 1)]
        raise AssertionError(self.family)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The quantile function: values at probabilities `u` in (0, 1), for designs (Sobol, PRIM, sweeps).

        A design built from uniform points through `ppf` has exactly this belief's distribution.
        """
        from scipy import stats

        a, u = self.args, np.asarray(u, dtype=float)
        if self.family == "constant":
            return np.full(u.shape, a[0])
        if self.family == "lognormal90":
            mu, sigma = (math.log(a[0]) + math.log(a[1])) / 2, (math.log(a[1]) - math.log(a[0])) / (2 * Z90)
            return np.exp(mu + sigma * stats.norm.ppf(u))
        if self.family == "normal90":
            mu, sigma = (a[0] + a[1]) / 2, (a[1] - a[0]) / (2 * Z90)
            return mu + sigma * stats.norm.ppf(u)
        if self.family == "uniform":
            return a[0] + (a[1] - a[0]) * u
        if self.family == "loguniform":
            return np.exp(math.log(a[0]) + (math.log(a[1]) - math.log(a[0])) * u)
        if self.family == "normal":
            return a[0] + a[1] * stats.norm.ppf(u)
        if self.family == "beta":
            return stats.beta.ppf(u, a[0], a[1])
        if self.family == "choice":
            cum = np.cumsum(self.weights) / sum(self.weights)
            idx = np.searchsorted(cum, u, side="right")
            return np.asarray(self.values, dtype=float)[np.minimum(idx, len(self.values) - 1)]
        raise AssertionError(self.family)

    def mean(self) -> float:
        """Analytic mean (used in docs and tests)."""
        a = self.args
        if self.family == "constant":
            return a[0]
        if self.family == "lognormal90":
            mu, sigma = (math.log(a[0]) + math.log(a[1])) / 2, (math.log(a[1]) - math.log(a[0])) / (2 * Z90)
            return math.exp(mu + sigma**2 / 2)
        if self.family in ("normal90", "uniform"):
            return (a[0] + a[1]) / 2
        if self.family == "loguniform":
            return (a[1] - a[0]) / (math.log(a[1]) - math.log(a[0]))
        if self.family == "normal":
            return a[0]
        if self.family == "beta":
            return a[0] / (a[0] + a[1])
        return float(np.dot(self.values, self.weights) / sum(self.weights))

    def describe(self) -> str:
        """The spec back in the user's notation."""
        a = self.args
        if self.family == "constant":
            return f"{a[0]:g}"
        if self.family in ("lognormal90", "normal90"):
            return f"{a[0]:g} to {a[1]:g}"
        if self.family == "choice":
            return "choice(" + ", ".join(f"{v:g}: {w:g}" for v, w in zip(self.values, self.weights)) + ")"
        return f"{self.family}({a[0]:g}, {a[1]:g})"


def constant(x: float) -> Distribution:
    return Distribution("constant", (float(x),))


def parse_distribution(spec: Any) -> Distribution:
    """Parse a YAML value into a Distribution; raise DistributionError with a short reason."""
    if isinstance(spec, bool):
        raise DistributionError("expected a number or distribution, got a boolean")
    if isinstance(spec, (int, float)):
        if not math.isfinite(spec):
            raise DistributionError("number must be finite")
        return constant(spec)
    if isinstance(spec, dict):
        if set(spec) != {"choice"} or not isinstance(spec["choice"], dict) or not spec["choice"]:
            raise DistributionError("a discrete distribution is written {choice: {value: weight, ...}}")
        vals, wts = [], []
        for v, w in spec["choice"].items():
            try:
                vals.append(float(v))
                wts.append(float(w))
            except (TypeError, ValueError):
                raise DistributionError(f"choice entry {v!r}: {w!r} is not number: weight") from None
        if any(w < 0 or not math.isfinite(w) for w in wts) or sum(wts) <= 0:
            raise DistributionError("choice weights must be non-negative and sum to more than 0")
        return Distribution("choice", (), tuple(vals), tuple(wts))
    if not isinstance(spec, str):
        raise DistributionError(f"expected a number or distribution, got {type(spec).__name__}")
    if len(spec) > 200:
        raise DistributionError("distribution spec is too long")
    if m := _PLAIN.match(spec):
        return parse_distribution(float(m.group(1)))
    if m := _TO.match(spec):
        lo, hi = float(m.group(1)), float(m.group(2))
        _check_finite(lo, hi)
        if not lo < hi:
            raise DistributionError(f"'{spec}': the lower end must be below the upper end")
        return Distribution("lognormal90" if lo > 0 else "normal90", (lo, hi))
    if m := _CALL.match(spec):
        fam, a, b = m.group(1), float(m.group(2)), float(m.group(3))
        _check_finite(a, b)
        if fam in ("uniform", "loguniform"):
            if not a < b:
                raise DistributionError(f"'{spec}': the lower bound must be below the upper bound")
            if fam == "loguniform" and a <= 0:
                raise DistributionError(f"'{spec}': loguniform needs positive bounds")
        elif fam == "normal":
            if b < 0:
                raise DistributionError(f"'{spec}': sigma must be non-negative")
        elif fam == "beta":
            if a <= 0 or b <= 0:
                raise DistributionError(f"'{spec}': beta parameters must be positive")
        else:
            raise DistributionError(
                f"unknown distribution '{fam}' (use 'a to b', uniform, loguniform, normal, beta or choice)"
            )
        return Distribution(fam, (a, b))
    raise DistributionError(
        f"cannot read '{spec}' as a distribution (examples: 0.5, '2 to 32', 'beta(2, 5)', 'uniform(0, 1)')"
    )


def _check_finite(*xs: float) -> None:
    if not all(math.isfinite(x) for x in xs):
        raise DistributionError("numbers must be finite")
