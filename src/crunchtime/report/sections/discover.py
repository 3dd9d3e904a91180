"""Report section of `crunchtime discover`: the peeling trajectory, the boxes' limits, and a table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.report import figures as F
from crunchtime.report.analysis import Section

#: one colour per box, in order (a box past the palette reuses it)
BOX_COLORS = ("#0969da", "#bf3989", "#1a7f37", "#bc4c00", "#8250df")


def _color(i: int) -> str:
    return BOX_COLORS[i % len(BOX_COLORS)]


@F._styled
def trajectory_figure(peeling: pa.Table, boxes: list[Mapping[str, Any]], base_rate: float) -> Any:
    """Coverage against density along each box's peeling trajectory; the picked step and the box reported."""
    fig = F._figure(4.2, 7.5)
    ax = fig.subplots()
    box, cov, den = (peeling[c].to_numpy() for c in ("box", "coverage", "density"))
    phase = np.asarray(peeling["phase"].to_pylist())
    picked, chosen = (peeling[c].to_numpy(zero_copy_only=False) for c in ("picked", "chosen"))
    for i in range(len(boxes)):
        mine = box == i
        peel = mine & (phase == "peel")
        ax.plot(cov[peel], den[peel], ".-", color=_color(i), lw=1, ms=3, alpha=0.7, label=f"box {i + 1}: peeling")
        ax.plot(cov[mine & picked], den[mine & picked], "o", mfc="white", mec=_color(i), ms=8, mew=1.5)
        ax.plot(cov[mine & chosen], den[mine & chosen], "*", color=_color(i), ms=14, mec="black", mew=0.6)
    ax.axhline(base_rate, color="#888", lw=0.9, ls="--")
    ax.text(1.0, base_rate, " base rate", va="bottom", ha="right", color="#666", fontsize=8.5)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("coverage (share of the cases inside the box)")
    ax.set_ylabel("density (share of the box that are cases)")
    ax.legend(loc="lower left", fontsize=8.5)
    return fig


@F._styled
def limits_figure(boxes: list[Mapping[str, Any]]) -> Any:
    """Each restricted belief on its belief's quantile scale (0-1), with each box's interval drawn over it.

    The quantile scale (the share of sampled worlds below a value) puts every belief, however skewed, on
    the same footing: a box from 0.45 to 27 on a lognormal belief is "its upper half", not a sliver.
    """
    rows = [(i, d) for i, b in enumerate(boxes) for d in b["dimensions"]]
    fig = F._figure(0.42 * max(len(rows), 1) + 1.2, 7.5)
    ax = fig.subplots()
    labels = []
    for y, (i, d) in enumerate(reversed(rows)):
        lo, hi = d["limits"]
        a, b = d["quantiles"]
        ax.plot([0, 1], [y, y], color="#d0d7de", lw=6, solid_capstyle="butt")
        ax.plot([a, b], [y, y], color=_color(i), lw=6, solid_capstyle="butt")
        for v, x, side in ((lo, a, "right"), (hi, b, "left")):
            ax.text(
                x + (-0.01 if side == "right" else 0.01),
                y + 0.28,
                f"{v:.3g}",
                ha=side,
                va="center",
                fontsize=7.5,
                color="#444",
            )
        labels.append(f"box {i + 1}: {d['parameter']}")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.6, max(len(rows), 1) - 0.3)  # room for the value labels above each bar
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0 (lowest)", "25%", "median", "75%", "1 (highest)"])
    ax.set_xlabel("belief quantile (share of the sampled worlds below)")
    ax.grid(False)
    if not rows:
        F._no_data(ax, "no box")
    return fig


def _table(boxes: list[Mapping[str, Any]]) -> dict[str, Any]:
    rows = []
    for i, b in enumerate(boxes, 1):
        for d in b["dimensions"]:
            lo, hi = d["limits"]
            rlo, rhi = d["belief_range"]
            qp = [q for q in d["qp"] if q is not None]
            rows.append(
                [
                    f"box {i}",
                    d["parameter"],
                    f"{lo:.3g} to {hi:.3g}" + (f" ({d['unit']})" if d["unit"] not in ("-", "") else ""),
                    f"{rlo:.3g} to {rhi:.3g}",
                    f"{100 * d['quantiles'][0]:.0f}%–{100 * d['quantiles'][1]:.0f}%",
                    f"{min(qp):.2g}" if qp else "–",
                    f"{100 * b['coverage']:.1f}%",
                    f"{100 * b['density']:.1f}%",
                    f"{100 * b['mass']:.1f}%",
                ]
            )
    return {
        "caption": "Boxes: each restricted belief's limits beside its sampled range",
        "header": [
            "box",
            "belief",
            "limits",
            "sampled range",
            "belief quantiles",
            "quasi-p",
            "coverage",
            "density",
            "mass",
        ],
        "rows": rows,
    }


def section(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> Section:
    """The discover section: lead sentence, trajectory and limits figures, and the box table."""
    boxes = list(summary.get("boxes") or [])
    base = float(summary.get("base_rate", 0.0))
    against = f" against {summary['versus']}" if summary.get("versus") else ""
    lead = (
        f"Where in belief space does {summary.get('plan')} {'lose' if against else 'fail'}{against}? "
        f"{summary.get('samples')} worlds drawn as a Latin hypercube over {len(summary.get('parameters', []))} "
        f"beliefs; a world is a case when {summary.get('case')} (base rate {100 * base:.1f}%). PRIM "
        f"(Friedman & Fisher 1999; Bryant & Lempert 2010; EMA Workbench) found {len(boxes)} box"
        f"{'es' if len(boxes) != 1 else ''} covering {100 * float(summary.get('coverage_total', 0)):.1f}% of "
        "the cases. Coverage: share of all cases inside a box; density: share of a box's worlds that are cases."
    )
    if not boxes and summary.get("note"):
        lead += f" No box: {summary['note']}."
    figures = []
    peeling = tables.get("peeling")
    if boxes and peeling is not None and peeling.num_rows:
        figures.append(
            {
                "id": "discover-trajectory",
                "title": "Peeling trajectory",
                "caption": "Each step of PRIM's peeling and pasting (dots); circle: the step picked (largest "
                "coverage × density among those at the density goal); star: the box reported, "
                "after restrictions that chance explains (quasi-p > 0.05) are dropped.",
                "svg": F.to_svg(trajectory_figure(peeling, boxes, base), "discover-trajectory"),
            }
        )
    if boxes:
        figures.append(
            {
                "id": "discover-limits",
                "title": "Box limits",
                "caption": "Each restricted belief's full range on its quantile scale (grey) and the "
                "box's interval on it (colour), labelled with its limits in the belief's units.",
                "svg": F.to_svg(limits_figure(boxes), "discover-limits"),
            }
        )
    return Section(
        title=f"Scenario discovery: {summary.get('plan')}{against}",
        lead=lead,
        tables=[_table(boxes)] if boxes else [],
        figures=figures,
    )
