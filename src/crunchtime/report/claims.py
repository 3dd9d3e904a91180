"""The claims report: `crunchtime claims --report FILE` (a self-contained HTML page)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib.ticker

from crunchtime._version import __version__
from crunchtime.report import figures as F
from crunchtime.report.page import environment, write_html

VERDICT_COLORS = {"holds": "#1a7f37", "fails": "#cf222e", "inconclusive": "#bf8700"}


def _pp(m: Mapping[str, Any]) -> str:
    lo, hi = m["ci95"]
    return f"{100 * m['diff']:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}] pp"


@F._styled
def claims_figure(claims: list[Mapping[str, Any]]) -> Any:
    """Forest plot: each claim's measured difference (circle) and its flip's (square), with 95% intervals."""
    fig = F._figure(0.42 * len(claims) + 1.0)
    ax = fig.subplots()
    for i, c in enumerate(claims):
        y = len(claims) - 1 - i
        for m, verdict, marker, dy in (
            (c["measured"], c["verdict"], "o", 0.14),
            (c["flip"]["measured"], c["flip"]["verdict"], "s", -0.14),
        ):
            lo, hi = m["ci95"]
            color = VERDICT_COLORS[verdict]
            clear = lo > 0 or hi < 0
            ax.plot([lo, hi], [y + dy, y + dy], color=color, lw=1.6)
            ax.plot([m["diff"]], [y + dy], marker, ms=5, color=color, mfc=color if clear else "white", mew=1.4)
    ax.axvline(0, color="#555", lw=0.9)
    ax.set_xscale("symlog", linthresh=0.05)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:+.0f}"))
    ax.set_yticks(range(len(claims)), [c["id"] for c in reversed(claims)])
    ax.set_xlabel("a − b, percentage points (symmetric log scale); circle: as expected, square: under the flip")
    return fig


def render_claims(data: Mapping[str, Any]) -> str:
    """HTML for a claims result's `to_dict()`: summary, forest plot, table and each claim's source and flip."""
    claims = [
        dict(
            c,
            metric=data.get("definitions", {}).get(c["id"], {}).get("metric", "catastrophe"),
            measured_text=_pp(c["measured"]),
            flip_text=_pp(c["flip"]["measured"]),
        )
        for c in data["claims"]
    ]
    counts = {
        "holds": sum(c["verdict"] == "holds" for c in claims),
        "flip_holds": sum(c["flip"]["verdict"] == "holds" for c in claims),
    }
    return (
        environment()
        .get_template("claims.html.j2")
        .render(
            claims=claims,
            counts=counts,
            n=len(claims),
            samples=data["samples"],
            seed=data["seed"],
            tol=f"{100 * data.get('vanish_tolerance', 0.01):g}",
            version=__version__,
            figure=F.to_svg(claims_figure(claims), "claims"),
        )
    )


def write_claims_report(data: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the claims report for `ClaimsResult.to_dict()` data to `path` (atomically); return its path."""
    return write_html(render_claims(data), path)
