"""The claims' statistics and verdicts: a paired difference with its 95% interval, whether a claim holds and
whether its flip does, in percentage points for people, and the result types of a run of claims.

The paired difference per trajectory is d_i = x_a,i - x_b,i and the 95% interval is
mean(d) +/- 1.96 sd(d) / sqrt(n) (`paired_interval`). The verdict rules are in `claim_verdict` and
`flip_verdict` (and the docstring of `crunchtime.analysis.claims`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from crunchtime.analysis.claims_spec import Claim

VANISH_TOLERANCE = 0.01
"""A flip expected to "vanish" holds when its interval reaches within this distance of 0 (one
percentage point of probability)."""

Z95 = 1.96
VERDICTS = ("holds", "fails", "inconclusive")


@dataclass(frozen=True)
class Measured:
    """A mean paired difference and its 95% interval [lo, hi]."""

    diff: float
    lo: float
    hi: float

    def to_dict(self) -> dict[str, Any]:
        return {"diff": self.diff, "ci95": [self.lo, self.hi]}


def paired_interval(d: np.ndarray) -> Measured:
    """Mean of per-trajectory differences with the interval mean +/- 1.96 sd(d) / sqrt(n).

    Parameters
    ----------
    d : numpy.ndarray
        Per-trajectory differences x_a,i - x_b,i (at least two).

    Returns
    -------
    Measured
        The mean and its 95% interval.
    """
    d = np.asarray(d, dtype=float)
    if d.size < 2:
        raise ValueError("a paired interval needs at least two differences")
    mean = float(d.mean())
    half = Z95 * float(d.std(ddof=1)) / math.sqrt(d.size)
    return Measured(mean, mean - half, mean + half)


def _oriented(m: Measured, expected: str) -> tuple[float, float]:
    """The interval in the claim's direction: positive means on the claim's expected side."""
    return (m.lo, m.hi) if expected == ">" else (-m.hi, -m.lo)


def claim_verdict(m: Measured, expected: str) -> str:
    """ "holds" if the interval lies entirely on the `expected` side of 0, "fails" if entirely on the other.

    Parameters
    ----------
    m : Measured
        The measured difference a - b.
    expected : {">", "<"}
        The claim's expected sign of a - b.

    Returns
    -------
    str
        "holds", "fails" or "inconclusive".
    """
    lo, hi = _oriented(m, expected)
    if lo > 0:
        return "holds"
    if hi < 0:
        return "fails"
    return "inconclusive"


def flip_verdict(m: Measured, expected: str, flip_expected: str, tol: float = VANISH_TOLERANCE) -> str:
    """Whether the claim vanishes or reverses under the flip's belief change.

    Parameters
    ----------
    m : Measured
        The difference a - b measured under the changed beliefs.
    expected : {">", "<"}
        The claim's original expected sign.
    flip_expected : {"vanish", "reverse"}
        What the belief change should do to the claim.
    tol : float
        Half-width of the band around 0 that counts as "vanished" (default `VANISH_TOLERANCE`).

    Returns
    -------
    str
        "holds" ("reverse": interval entirely on the opposite side; "vanish": interval overlaps
        [-tol, tol] or lies on the opposite side), "fails" (interval entirely beyond `tol` on the
        original side) or "inconclusive".
    """
    lo, hi = _oriented(m, expected)
    if flip_expected == "reverse" and hi < 0:
        return "holds"
    if flip_expected == "vanish" and ((lo <= tol and hi >= -tol) or hi < 0):
        return "holds"
    if lo > tol:
        return "fails"
    return "inconclusive"


def _pp(m: Measured) -> str:
    """A difference in percentage points with its interval, e.g. '+3.1 [+1.2, +5.0]'."""
    return f"{m.diff * 100:+.1f} [{m.lo * 100:+.1f}, {m.hi * 100:+.1f}]"


@dataclass(frozen=True)
class ClaimResult:
    """One claim's measured difference and verdict, and the same under its flip."""

    claim: Claim
    measured: Measured
    verdict: str
    flip_measured: Measured
    flip_verdict: str

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "id": c.id,
            "claim": c.claim,
            "source": c.source,
            "scenario": c.scenario,
            "plans": dict(c.plans),
            "expected": c.expected,
            "measured": self.measured.to_dict(),
            "verdict": self.verdict,
            "flip": {
                "belief_change": c.belief_change,
                "expected": c.flip_expected,
                "measured": self.flip_measured.to_dict(),
                "verdict": self.flip_verdict,
            },
        }


@dataclass(frozen=True)
class ClaimsResult:
    """The outcome of `run_claims`: one `ClaimResult` per claim, with the run's samples and seed."""

    results: tuple[ClaimResult, ...]
    samples: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON document printed by `crunchtime claims --json`."""
        from crunchtime._version import __version__

        return {
            "claims": [r.to_dict() for r in self.results],
            "samples": self.samples,
            "seed": self.seed,
            "vanish_tolerance": VANISH_TOLERANCE,
            "crunchtime_version": __version__,
            "definitions": {
                r.claim.id: {
                    "kind": r.claim.kind,
                    "metric": r.claim.metric,
                    **{k: v for k, v in r.claim.data.items() if k not in ("id", "claim", "source", "expected")},
                }
                for r in self.results
            },
        }

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def __repr__(self) -> str:
        c = self.counts()
        flips = sum(r.flip_verdict == "holds" for r in self.results)
        return (
            f"ClaimsResult({len(self.results)} claims, {self.samples} samples, seed {self.seed}: "
            f"{c['holds']} hold, {c['fails']} fail, {c['inconclusive']} inconclusive; "
            f"{flips} flips as expected)"
        )

    def _repr_html_(self) -> str:
        rows = []
        for r in self.results:
            cells = [
                r.claim.id,
                f"a {r.claim.expected} b",
                _pp(r.measured),
                r.verdict,
                f"{r.claim.flip_expected}: {_pp(r.flip_measured)}",
                r.flip_verdict,
            ]
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in cells) + "</tr>")
        head = "".join(
            f"<th>{h}</th>"
            for h in ("claim", "expected", "measured a-b (pp, 95% CI)", "verdict", "flip (pp)", "flip verdict")
        )
        return (
            f"<table><caption>{len(self.results)} claims, {self.samples} paired trajectories, seed "
            f"{self.seed}: paired comparisons under stated beliefs, not forecasts</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
