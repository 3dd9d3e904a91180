"""Report section of `crunchtime table1`: three panels (one per axis) and the table beside the essay's ratings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa
from matplotlib.lines import Line2D

from crunchtime.report import figures as F
from crunchtime.report.analysis import Section

AXES = (
    ("safety_per_cost", "Safety per unit of cost"),
    ("use_to_other_developers", "Use to other developers"),
    ("benefit_of_acting_early", "Benefit of acting early"),
)
#: marker colours of the essay's ratings (and of categories the text does not rate)
RATING_COLORS = {"high": "#1a7f37", "medium": "#bf8700", "low": "#cf222e", None: "#8c959f"}


def _fmt(m: Mapping[str, Any]) -> str:
    if m.get("value") is None:
        return "n/a"
    lo, hi = m["ci95"]
    return f"{m['value']:+.3f} [{lo:+.3f}, {hi:+.3f}]"


@F._styled
def table1_figure(rows: list[Mapping[str, Any]], reference: Mapping[str, Any] | None) -> Any:
    """Three panels: each category's value with its 95% interval; the marker's colour is the essay's rating."""
    fig = F._figure(0.5 * len(rows) + 1.6)
    axes = F._axes_grid(fig, 3, 3, sharey=True)
    labels = [r["label"] for r in rows]
    for ax, (key, title) in zip(axes, AXES):
        for i, r in enumerate(rows):
            y = len(rows) - 1 - i
            m = r[key]
            if m.get("value") is None:
                continue
            lo, hi = m["ci95"]
            rating = r["essay"][key]["rating"]
            color = RATING_COLORS[rating]
            ax.plot([lo, hi], [y, y], color=color, lw=1.8)
            ax.plot([m["value"]], [y], "o", ms=6, color=color, mfc=color if rating else "white", mew=1.4)
        ref = (reference or {}).get(key) or {}
        if ref.get("value") is not None:
            ax.axvline(ref["value"], color="#6e7781", lw=0.9, ls="--")
        ax.axvline(0, color="#444", lw=0.8)
        ax.set_title(title)
        ax.set_xlabel("points of P(catastrophe) per point-year")
        ax.set_yticks(range(len(rows)), list(reversed(labels)))
    handles = [
        Line2D([], [], marker="o", ls="", color=c, mfc=c if k else "white", label=f"essay: {k or 'not rated'}")
        for k, c in RATING_COLORS.items()
    ]
    handles.append(Line2D([], [], color="#6e7781", ls="--", label="reference: the base plan's own mix"))
    fig.legend(handles=handles, loc="outside lower center", ncol=5)
    return fig


def section(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> Section:
    """The Table 1 section: lead, the three-panel figure and the table beside the essay's ratings."""
    rows = summary["rows"]
    reference = summary.get("reference")
    header = ["category", *(t for _, t in AXES), "essay (per axis)", "agreement"]
    body = []
    for r in rows:
        essay = " / ".join(r["essay"][k]["rating"] or "-" for k, _ in AXES)
        agree = " / ".join({True: "agrees", False: "differs", None: "-"}[r[k].get("agrees")] for k, _ in AXES)
        body.append([r["label"], *(_fmt(r[k]) for k, _ in AXES), essay, agree])
    if reference:
        body.append([reference["label"], *(_fmt(reference[k]) for k, _ in AXES), "-", "-"])
    passages = [
        [r["label"], title, r["essay"][k]["rating"] or "not rated", r["essay"][k]["passage"] or ""]
        for r in rows
        for k, title in AXES
    ]
    agreement = summary.get("agreement", {})
    spearman = "; ".join(
        f"{t}: {a['agree']}/{a['rated']} agree"
        + (f", Spearman {a['spearman']:+.2f}" if a.get("spearman") is not None else "")
        for k, t in AXES
        if (a := agreement.get(k))
    )
    lead = (
        f"Each category gets {100 * summary['step']:g} more points of Magma's resources (taken from capability "
        f"work) on top of {summary['base_plan']}, paired on common random numbers with {summary['samples']} "
        f"trajectories per plan. Values: {summary['units']}, with 95% intervals; benefit of acting early is "
        f"the value of a point-year before 3x AI R&D speed-up minus one after. {spearman}. "
        f"{summary.get('essay_source', '')}"
    )
    svg = F.to_svg(table1_figure(rows, reference), "table1")
    return Section(
        title="Table 1 computed by the model",
        lead=lead,
        tables=[
            {
                "caption": "Model values [95% interval] beside the essay's ratings (safety per cost / use to "
                "others / acting early)",
                "header": header,
                "rows": body,
            },
            {
                "caption": "The essay's ratings and the passages they are read from",
                "header": ["category", "axis", "essay", "passage"],
                "rows": passages,
            },
        ],
        figures=[
            {
                "id": "table1",
                "title": "Table 1: the three axes",
                "svg": svg,
                "caption": "Dot: the model's value; bar: 95% interval; colour: the essay's rating (hollow: not "
                "rated); dashed line: the same extra effort spread over the base plan's own mix.",
            }
        ],
    )
