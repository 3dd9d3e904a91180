"""Report section of `crunchtime sensitivity`: Sobol' bars (tornado) and the switch-point sweeps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.report import figures as F
from crunchtime.report.analysis import Section

#: parameters drawn in the Sobol' bars (the table lists every one)
TOP = 15
ST_COLOR, S1_COLOR = "#2471a3", "#e59866"
BAND_COLOR, SWITCH_COLOR = "#aed6f1", "#c0392b"


@F._styled
def sobol_figure(indices: Sequence[Mapping[str, Any]]) -> Any:
    """Tornado-style bars: total (ST) and first-order (S1) index of each top parameter, with 95% intervals."""
    top = list(indices[:TOP])
    fig = F._figure(0.34 * len(top) + 1.0)
    ax = fig.subplots()
    y = np.arange(len(top))[::-1]
    for key, color, dy, label in (("ST", ST_COLOR, 0.18, "ST (total)"), ("S1", S1_COLOR, -0.18, "S1 (first order)")):
        vals = np.array([i[key] for i in top])
        lo = np.array([i[f"{key}_ci"][0] for i in top])
        hi = np.array([i[f"{key}_ci"][1] for i in top])
        ax.barh(y + dy, vals, height=0.34, color=color, label=label)
        ax.errorbar(vals, y + dy, xerr=[vals - lo, hi - vals], fmt="none", ecolor="#333", elinewidth=0.9, capsize=2)
    ax.axvline(0, color="#555", lw=0.9)
    ax.set_yticks(y, [i["parameter"] for i in top])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("share of the output's variance (95% bootstrap intervals)")
    ax.legend(loc="lower right")
    return fig


@F._styled
def sweeps_figure(switch_points: Sequence[Mapping[str, Any]], output: str, span: str = "5%-95%") -> Any:
    """Each swept parameter: the paired difference against its value, 95% band, zero line and the switch.

    When the switch lies beyond the belief's range, the valid range's ends are drawn too (hollow, dotted).
    """
    n = len(switch_points)
    fig = F._figure(3.0 * ((n + 2) // 3) + 0.4)
    axes = F._axes_grid(fig, n, 3)
    for ax, sp in zip(axes, switch_points):
        x = np.array([s["value"] for s in sp["sweep"]])
        d = np.array([s["diff"] for s in sp["sweep"]])
        lo = np.array([s["ci95"][0] for s in sp["sweep"]])
        hi = np.array([s["ci95"][1] for s in sp["sweep"]])
        ax.fill_between(x, lo, hi, color=BAND_COLOR, alpha=0.7, lw=0)
        ax.plot(x, d, "o-", color=ST_COLOR, ms=3.5, lw=1.4)
        ends = sp.get("range_ends") or []
        if sp.get("value") is not None and not sp.get("within_belief", True) and len(ends) == 2:
            for end, near in ((ends[0], 0), (ends[1], -1)):
                ax.plot([end["value"], x[near]], [end["diff"], d[near]], ":", color=ST_COLOR, lw=1.0)
                ax.errorbar(
                    [end["value"]],
                    [end["diff"]],
                    yerr=[[end["diff"] - end["ci95"][0]], [end["ci95"][1] - end["diff"]]],
                    fmt="o",
                    mfc="white",
                    color=ST_COLOR,
                    ms=4,
                    elinewidth=0.9,
                )
            x = np.r_[x, ends[0]["value"], ends[1]["value"]]
        ax.axhline(0, color="#555", lw=0.9)
        if sp.get("value") is not None:
            ax.axvline(sp["value"], color=SWITCH_COLOR, lw=1.2, ls="--")
            where = "" if sp.get("within_belief", True) else ", beyond the belief"
            ax.set_title(f"{sp['parameter']}\nswitch at {sp['value']:.3g}{where}", color=SWITCH_COLOR)
        else:
            ax.set_title(f"{sp['parameter']}\nno switch ({span})")
        if x.size and x.min() > 0 and x.max() / x.min() > 20:
            ax.set_xscale("log")
        ax.set_xlabel(f"{sp['parameter']} ({sp.get('unit', '')})")
    if axes:
        axes[0].set_ylabel(output)
    return fig


def section(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> Section:
    """The sensitivity section: lead with the noise share, Sobol' bars, sweeps, and the indices table."""
    indices = summary.get("indices") or []
    noise = summary.get("noise") or {}
    output = summary.get("output", "")
    lead = (
        f"Sobol' indices of {summary.get('metric', 'catastrophe_risk')} of {output} over "
        f"{summary.get('parameters', len(indices))} beliefs: {summary.get('base_samples')} base samples, "
        f"{summary.get('rows')} design rows, {summary.get('replicates')} replicate(s) each. "
        f"Simulation noise (each world's own shocks, and beliefs left out of the design) is "
        f"{noise.get('share', float('nan')):.0%} of the row outputs' variance: that much would remain with "
        "every chosen belief known. The Saltelli matrices share their shocks (common random numbers), so "
        "the noise sets no floor under the indices. ST is a parameter's whole effect, S1 its effect alone; "
        "a wide interval means more base samples are needed to rank it."
    )
    sec = Section(title=f"Which beliefs decide: sensitivity of {output}", lead=lead)
    if indices:
        sec.figures.append(
            {
                "id": "sobol",
                "title": f"Sobol' indices, top {min(TOP, len(indices))}",
                "caption": "Bars: total (ST) and first-order (S1) indices; whiskers: 95% bootstrap intervals.",
                "svg": F.to_svg(sobol_figure(indices), "sobol"),
            }
        )
    switch = summary.get("switch_points") or []
    rng = (summary.get("sweep") or {}).get("range") or [0.05, 0.95]
    span = f"{100 * rng[0]:.3g}%-{100 * rng[1]:.3g}%"
    if switch:
        sec.figures.append(
            {
                "id": "switch",
                "title": "Where the preferred plan switches",
                "caption": f"Paired difference {output} at each belief quantile ({span}), others drawn "
                "as usual on common random numbers; band: 95% interval; dashed: the switch.",
                "svg": F.to_svg(sweeps_figure(switch, output, span), "switch"),
            }
        )
        sec.tables.append(
            {
                "caption": "Switch points",
                "header": ["parameter", "switch value", "belief quantile", "clear", "reading"],
                "rows": [
                    [
                        s["parameter"],
                        "—" if s["value"] is None else f"{s['value']:.4g} {s['unit']}",
                        "—" if s["quantile"] is None else f"{s['quantile']:.0%}",
                        "yes" if s["clear"] else "no",
                        s["note"],
                    ]
                    for s in switch
                ],
            }
        )
    sec.tables.append(
        {
            "caption": "Sobol' indices (95% intervals), by total index",
            "header": ["parameter", "ST", "ST 95%", "S1", "S1 95%"],
            "rows": [
                [
                    i["parameter"],
                    f"{i['ST']:.3f}",
                    f"[{i['ST_ci'][0]:.3f}, {i['ST_ci'][1]:.3f}]",
                    f"{i['S1']:.3f}",
                    f"[{i['S1_ci'][0]:.3f}, {i['S1_ci'][1]:.3f}]",
                ]
                for i in indices
            ],
        }
    )
    return sec
