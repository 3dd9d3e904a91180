"""The essays' claims as paired experiments: expected sign, measured difference, verdict, and a flip test.

Each claim in `claims.yaml` (shipped beside this module) names a base scenario, two sides `a` and `b`
(each a plan and belief overrides), a per-trajectory metric and the expected sign of
mean(metric_a - metric_b). A claim also names a *belief change* (the flip) under which it should
vanish or reverse, so that a conclusion is seen to follow from beliefs rather than be built in.

Both sides run with the same seed and number of samples; sides on the same scenario run in one
`compare` call (common random numbers). The paired difference per trajectory is
d_i = x_a,i - x_b,i and the 95% interval is mean(d) +/- 1.96 sd(d) / sqrt(n). This interval is valid
whether or not the two sides share their random numbers; sharing them only makes it narrower.

Verdicts (`claim_verdict`, `flip_verdict`):

- the claim "holds" if the interval lies entirely on the expected side of 0, "fails" if entirely on
  the other side, and is "inconclusive" otherwise;
- a flip expected to "reverse" holds if the interval lies entirely on the side opposite to the
  claim's expected sign; one expected to "vanish" holds if the interval overlaps
  [-VANISH_TOLERANCE, +VANISH_TOLERANCE] or lies on the opposite side; either "fails" if the interval
  lies entirely beyond the tolerance on the claim's original side, and is "inconclusive" otherwise.

A claim of kind `difference_in_differences` measures (a - b) under condition `at` minus (a - b)
under condition `relative_to` (e.g. "the advantage of self-destruction grows with Magma's lag").

This module is the claims' public home; the work is done by its parts, each importing only those before it:
`claims_sides` (a side's plan and belief overrides, checked and built), `claims_spec` (claims.yaml loaded and
validated into `Claim`s), `claims_verdict` (intervals, verdicts, the result types) and
`claims_run` (the simulations planned, run and measured). The formatting in percentage points lives here.

Examples
--------
>>> from crunchtime.analysis.claims import run_claims
>>> res = run_claims(samples=500, only=["heuristic-1-scale"])   # doctest: +SKIP
>>> res.to_dict()["claims"][0]["verdict"]                        # doctest: +SKIP
'holds'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crunchtime.analysis.claims_run import run_claims, select_claims
from crunchtime.analysis.claims_sides import scenario_with_beliefs
from crunchtime.analysis.claims_spec import (
    CLAIMS_SOURCE,
    FLIP_EXPECTED,
    KINDS,
    SIGNS,
    Claim,
    claims_from_text,
    load_claims,
)
from crunchtime.analysis.claims_verdict import (
    VANISH_TOLERANCE,
    VERDICTS,
    Z95,
    ClaimResult,
    ClaimsResult,
    Measured,
    _pp,
    claim_verdict,
    flip_verdict,
    paired_interval,
)

__all__ = [
    "CLAIMS_SOURCE",
    "FLIP_EXPECTED",
    "KINDS",
    "SIGNS",
    "VANISH_TOLERANCE",
    "VERDICTS",
    "Z95",
    "Claim",
    "ClaimResult",
    "ClaimsResult",
    "Measured",
    "claim_verdict",
    "claims_from_text",
    "flip_verdict",
    "format_paired_difference",
    "format_pp",
    "load_claims",
    "paired_interval",
    "run_claims",
    "scenario_with_beliefs",
    "select_claims",
    "write_claims_report",
]


def format_pp(m: Measured | Mapping[str, Any]) -> str:
    """A measured difference (object or its JSON dict) in percentage points: '+3.1 [+1.2, +5.0]'."""
    if isinstance(m, Measured):
        return _pp(m)
    return _pp(Measured(m["diff"], m["ci95"][0], m["ci95"][1]))


def format_paired_difference(measured: Any) -> str:
    """A measured paired difference in percentage points with its 95% interval.

    Parameters
    ----------
    measured : Measured or dict
        A measured difference or its JSON dict (`diff`, `ci95`).

    Returns
    -------
    str
        E.g. '+3.1 [+1.2, +5.0]'.

    Examples
    --------
    >>> format_paired_difference({"diff": 0.031, "ci95": [0.012, 0.05]})
    '+3.1 [+1.2, +5.0]'
    """
    return format_pp(measured)


def write_claims_report(result: ClaimsResult, path: str | Path) -> Path:
    """Write the claims as a self-contained HTML page: summary, forest plot, table, sources and flips.

    Parameters
    ----------
    result : ClaimsResult
        What `run_claims` returned.
    path : str or Path
        The HTML file to write (atomically).

    Returns
    -------
    Path
        The absolute path written.

    Examples
    --------
    >>> write_claims_report(run_claims(samples=512), "claims.html")  # doctest: +SKIP
    """
    from crunchtime.report.claims import write_claims_report as _write

    return _write(result.to_dict(), path)
