"""Matplotlib figures of the report, each returned as an inline SVG string (Agg backend, no pyplot).

Figure numbers refer to the essay "Planning for extreme AI risks": 2 milestones, 3-4 outcome
timelines, 5 knobs, 6 preparation versus mitigation.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import ArrayLike

from crunchtime.report.data import Cumulative, MilestoneStats, Series
from crunchtime.report.style import (
    KNOB_LABELS,
    MILESTONE_LABELS,
    MITIGATION_COLOR,
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    OUTCOMES,
    PREP_COLOR,
    pretty,
)

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "axes.edgecolor": "#b0b4b8",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e8eaed",
    "grid.linewidth": 0.8,
    "xtick.color": "#4d5156",
    "ytick.color": "#4d5156",
    "legend.frameon": False,
    "svg.fonttype": "path",
}
WIDTH = 11.0  # inches; the page scales the SVG to its column
_ROUND = re.compile(r"(\d\.\d)\d+")


def _styled(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    """Build the figure under the report's matplotlib style (titles, spines, grid, fonts)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with matplotlib.rc_context(_RC):
            return fn(*args, **kwargs)

    return wrapper


def to_svg(fig: Figure, salt: str) -> str:
    """Serialise a figure as an <svg> element that scales to its container; ids salted per figure."""
    buf = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None})  # no timestamp: one run, one byte-identical report
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    # path coordinates to 0.1 pt: invisible at any zoom a reader uses, and about a third smaller
    text = re.sub(r' d="[^"]*"', lambda m: _ROUND.sub(r"\1", m.group(0)), text)
    text = re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        r'<svg\1 width="100%" style="height:auto" role="img"',
        text,
        count=1,
    )
    return text


def _figure(height: float, width: float = WIDTH) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _axes_grid(fig: Figure, n: int, ncols: int, **kw: Any) -> list:
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    with matplotlib.rc_context(_RC):
        axes = fig.subplots(nrows, ncols, squeeze=False, **kw).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return axes[:n]


def _years(months: ArrayLike, start: float) -> np.ndarray:
    return start + np.asarray(months, dtype=float) / 12


def _year_axis(ax, start: float, horizon_months: int, narrow: bool = True) -> None:
    ax.set_xlim(start, start + horizon_months / 12)
    first, last = math.ceil(start), math.floor(start + horizon_months / 12)
    step = max(1, math.ceil((last - first) / (4 if narrow else 10)))
    ax.set_xticks(range(first, last + 1, step))


def _no_data(ax, text: str = "no data") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#888")


@_styled
def outcomes_figure(per_plan: Mapping[str, Mapping[str, Any]], plan_colors: Mapping[str, str]) -> Figure:
    """Outcome probabilities with 95% error bars: one panel per outcome, one bar per plan."""
    plans = list(per_plan)
    outcomes = [o for o in OUTCOMES if any(o in (s.get("outcomes") or {}) for s in per_plan.values())]
    if len(plans) == 1:
        fig = _figure(0.5 * len(outcomes) + 0.9, WIDTH * 0.75)
        ax = _axes_grid(fig, 1, 1)[0]
        oc = per_plan[plans[0]].get("outcomes") or {}
        p = np.array([oc[o]["p"] for o in outcomes])
        se = np.array([oc[o].get("se", np.nan) for o in outcomes])
        y = np.arange(len(outcomes))[::-1]
        ax.barh(
            y,
            p,
            xerr=1.96 * se,
            color=[OUTCOME_COLORS[o] for o in outcomes],
            height=0.62,
            error_kw={"ecolor": "#333", "capsize": 3, "lw": 1},
        )
        ax.set_yticks(y, [OUTCOME_LABELS[o] for o in outcomes])
        for yi, pi, si in zip(y, p, se):
            ax.text(pi + 1.96 * si + 0.01, yi, f"{100 * pi:.1f}%", va="center", fontsize=8.5, color="#333")
        ax.set_xlim(0, min(1, float(np.nanmax(p + 1.96 * se)) + 0.12))
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", visible=False)
        return fig
    fig = _figure(0.32 * len(plans) + 1.1)
    axes = _axes_grid(fig, len(outcomes), len(outcomes), sharey=True)
    y = np.arange(len(plans))[::-1]
    top = max(
        float(s["outcomes"][o]["p"] + 1.96 * s["outcomes"][o].get("se", 0))
        for s in per_plan.values()
        for o in outcomes
        if o in (s.get("outcomes") or {})
    )
    for ax, o in zip(axes, outcomes):
        p = np.array([(s.get("outcomes") or {}).get(o, {}).get("p", np.nan) for s in per_plan.values()])
        se = np.array([(s.get("outcomes") or {}).get(o, {}).get("se", np.nan) for s in per_plan.values()])
        ax.barh(
            y,
            p,
            xerr=1.96 * se,
            color=OUTCOME_COLORS[o],
            height=0.62,
            error_kw={"ecolor": "#333", "capsize": 2.5, "lw": 0.9},
        )
        ax.set_title(OUTCOME_LABELS[o], color=OUTCOME_COLORS[o])
        ax.set_xlim(0, min(1.0, top * 1.08))
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(y, plans)
    for lab in axes[0].get_yticklabels():
        lab.set_color(plan_colors.get(lab.get_text(), "#333"))
    return fig


@_styled
def milestones_figure(
    stats: Mapping[str, Sequence[MilestoneStats]], plan_colors: Mapping[str, str], start: float, horizon_months: int
) -> Figure:
    """Figure 2: each milestone's date (median dot, p10-p90 bar) per plan, in the essay's order."""
    plans = list(stats)
    names = list(dict.fromkeys(m.name for s in stats.values() for m in s))
    fig = _figure(0.42 * len(names) * max(1, 0.35 * len(plans)) + 1.2)
    ax = _axes_grid(fig, 1, 1)[0]
    k = len(plans)
    offsets = (np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for j, plan in enumerate(plans):
        by_name = {m.name: m for m in stats[plan]}
        for i, name in enumerate(names):
            m = by_name.get(name)
            if m is None or not np.isfinite(m.p50):
                continue
            yy = len(names) - 1 - i - offsets[j]
            ax.plot(
                _years([m.p10, m.p90], start),
                [yy, yy],
                color=plan_colors[plan],
                lw=4 if k <= 2 else 3,
                alpha=0.45,
                solid_capstyle="round",
            )
            ax.plot(_years([m.p50], start), [yy], "o", color=plan_colors[plan], ms=5)
            if k == 1:
                ax.text(
                    _years([m.p90], start)[0] + 0.08,
                    yy,
                    f"reached in {100 * m.p_reached:.0f}%",
                    va="center",
                    fontsize=8,
                    color="#555",
                )
    ax.set_yticks(np.arange(len(names))[::-1], [MILESTONE_LABELS.get(n, pretty(n)) for n in names])
    ax.grid(axis="y", visible=False)
    _year_axis(ax, start, horizon_months, narrow=False)
    ax.set_xlabel("date (dot: median among trajectories reaching it; bar: 10th to 90th percentile)")
    if k > 1:
        ax.legend(
            handles=[Line2D([], [], color=plan_colors[p], marker="o", lw=3, alpha=0.8, label=p) for p in plans],
            loc="lower right",
            ncols=min(k, 5),
            fontsize=8.5,
        )
    return fig


@_styled
def outcome_timelines_figure(cums: Mapping[str, Cumulative], start: float, horizon_months: int) -> Figure:
    """Figures 3-4: cumulative probability of each outcome over time, one panel per plan, 95% bands."""
    plans = list(cums)
    ncols = 1 if len(plans) == 1 else 3
    nrows = math.ceil(len(plans) / ncols)
    fig = _figure(3.0 * nrows + 0.6, WIDTH if len(plans) > 1 else WIDTH * 0.75)
    axes = _axes_grid(fig, len(plans), ncols, sharey=True)
    top = max(float(np.max(c.p[o] + 1.96 * c.se[o])) for c in cums.values() for o in c.p) if cums else 1
    for ax, plan in zip(axes, plans):
        c = cums[plan]
        x = _years(c.months, start)
        for o, f in c.p.items():
            band = 1.96 * c.se[o]
            ax.fill_between(
                x, np.clip(f - band, 0, 1), np.clip(f + band, 0, 1), color=OUTCOME_COLORS[o], alpha=0.16, lw=0
            )
            ax.plot(x, f, color=OUTCOME_COLORS[o], lw=1.8)
        ax.set_title(plan if len(plans) > 1 else "Cumulative probability of each outcome")
        ax.set_ylim(0, min(1, top * 1.1))
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        _year_axis(ax, start, horizon_months)
    fig.legend(
        handles=[Line2D([], [], color=OUTCOME_COLORS[o], lw=2, label=OUTCOME_LABELS[o]) for o in OUTCOMES[:-1]],
        loc="outside lower center",
        ncols=4,
    )
    return fig


@_styled
def risk_figure(
    stacks: Mapping[str, tuple[np.ndarray, list[str], np.ndarray]],
    colors: Mapping[str, str],
    labels: Mapping[str, str],
    start: float,
    horizon_months: int,
    se: Mapping[str, float] | None = None,
) -> Figure:
    """Risk per month (catastrophe hazard), stacked by source or by actor, one panel per plan."""
    plans = list(stacks)
    ncols = 1 if len(plans) == 1 else 3
    nrows = math.ceil(len(plans) / ncols)
    fig = _figure(2.7 * nrows + 0.6, WIDTH if len(plans) > 1 else WIDTH * 0.75)
    axes = _axes_grid(fig, len(plans), ncols, sharey=True)
    keys = list(dict.fromkeys(k for _, ks, _ in stacks.values() for k in ks))
    top = max((float(h.sum(axis=0).max()) for _, _, h in stacks.values() if h.size), default=0) or 1e-9
    for ax, plan in zip(axes, plans):
        months, ks, h = stacks[plan]
        if h.size == 0:
            _no_data(ax)
            continue
        ax.stackplot(_years(months, start), h, colors=[colors[k] for k in ks], lw=0, alpha=0.92)
        ax.set_ylim(0, top * 1.08)
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=2))
        if len(plans) > 1:
            ax.set_title(plan)
        s = (se or {}).get(plan, float("nan"))
        ax.text(
            0.02,
            0.97,
            f"P(catastrophe) = {100 * h.sum():.1f}%"
            + (f" [{100 * max(h.sum() - 1.96 * s, 0):.1f}, {100 * (h.sum() + 1.96 * s):.1f}]" if s == s else ""),
            transform=ax.transAxes,
            va="top",
            fontsize=8.5,
            color="#333",
        )
        _year_axis(ax, start, horizon_months)
    axes[0].set_ylabel("catastrophe probability per month")
    fig.legend(
        handles=[Patch(color=colors[k], label=labels.get(k, pretty(k))) for k in keys],
        loc="outside lower center",
        ncols=min(len(keys), 6),
    )
    return fig


@_styled
def knobs_figure(
    knob_series: Mapping[str, Mapping[str, Series | None]],
    flags: set[str],
    plan_colors: Mapping[str, str],
    start: float,
    horizon_months: int,
) -> Figure:
    """Figure 5: each knob's median and 10-90% band per plan (flags: share of trajectories with it on)."""
    knobs = list(knob_series)
    ncols = 4
    nrows = math.ceil(len(knobs) / ncols)
    fig = _figure(2.05 * nrows + 0.5)
    axes = _axes_grid(fig, len(knobs), ncols, sharex=True)
    for ax, knob in zip(axes, knobs):
        is_flag = knob in flags
        for plan, s in knob_series[knob].items():
            if s is None:
                continue
            x = _years(s.months, start)
            if is_flag:
                ax.plot(x, s.mean, color=plan_colors[plan], lw=1.6)
            else:
                ax.fill_between(x, s.p10, s.p90, color=plan_colors[plan], alpha=0.12, lw=0)
                ax.plot(x, s.p50, color=plan_colors[plan], lw=1.6)
        ax.set_title(KNOB_LABELS.get(knob, pretty(knob)) + (" (share on)" if is_flag else ""), fontsize=9.5)
        ax.tick_params(labelbottom=True)
        ax.set_ylim(-0.03, 1.03) if is_flag or _unit_range(knob_series[knob]) else None
        _year_axis(ax, start, horizon_months)
    if len(plan_colors) > 1:
        fig.legend(
            handles=[Line2D([], [], color=c, lw=2, label=p) for p, c in plan_colors.items()],
            loc="outside lower center",
            ncols=min(len(plan_colors), 6),
        )
    return fig


def _unit_range(by_plan: Mapping[str, Series | None]) -> bool:
    vals = [v for s in by_plan.values() if s is not None for v in (s.p10.min(), s.p90.max())]
    return bool(vals) and min(vals) >= -0.01 and max(vals) <= 1.01


@_styled
def effort_figure(
    efforts: Mapping[str, tuple[Series | None, Series | None]],
    marks: Mapping[str, float],
    start: float,
    horizon_months: int,
) -> Figure:
    """Figure 6: median safety effort on preparation and on mitigation over time, one panel per plan."""
    plans = list(efforts)
    ncols = 1 if len(plans) == 1 else 3
    nrows = math.ceil(len(plans) / ncols)
    fig = _figure(2.7 * nrows + 0.6, WIDTH if len(plans) > 1 else WIDTH * 0.75)
    axes = _axes_grid(fig, len(plans), ncols, sharey=True)
    for ax, plan in zip(axes, plans):
        prep, mit = efforts[plan]
        if prep is None or mit is None:
            _no_data(ax)
            continue
        x = _years(prep.months, start)
        ax.stackplot(x, prep.p50, mit.p50, colors=[PREP_COLOR, MITIGATION_COLOR], lw=0, alpha=0.9)
        if plan in marks and np.isfinite(marks[plan]):
            mx = _years([marks[plan]], start)[0]
            ax.axvline(mx, color="#333", lw=1, ls="--")
            ax.text(mx, ax.get_ylim()[1] * 0.97, " median 3x AI R&D", fontsize=7.5, va="top", color="#333")
        ax.set_title(plan if len(plans) > 1 else "Safety effort: preparation vs mitigation")
        _year_axis(ax, start, horizon_months)
    axes[0].set_ylabel("share of Magma's resources")
    fig.legend(
        handles=[
            Patch(color=PREP_COLOR, label="Preparation (stocks for later)"),
            Patch(color=MITIGATION_COLOR, label="Mitigation of current risk"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


@_styled
def differences_figure(differences: Sequence[Mapping[str, Any]]) -> Figure:
    """Forest plot of paired differences p_a - p_b with 95% intervals, one panel per metric."""
    metrics = list(dict.fromkeys(d["metric"] for d in differences))
    pairs = list(dict.fromkeys((d["a"], d["b"]) for d in differences))
    ncols = min(len(metrics), 5)
    nrows = math.ceil(len(metrics) / ncols)
    fig = _figure((0.27 * len(pairs) + 1.0) * nrows + 0.3)
    axes = _axes_grid(fig, len(metrics), ncols, sharey=True)
    y = {pair: len(pairs) - 1 - i for i, pair in enumerate(pairs)}
    span = max((max(abs(d["ci95"][0]), abs(d["ci95"][1])) for d in differences if d.get("ci95")), default=0.05)
    for ax, metric in zip(axes, metrics):
        color = OUTCOME_COLORS.get(metric, "#333")
        for d in (d for d in differences if d["metric"] == metric):
            lo, hi = d.get("ci95") or (d["diff"], d["diff"])
            yy = y[(d["a"], d["b"])]
            clear = lo > 0 or hi < 0
            ax.plot([lo, hi], [yy, yy], color=color, lw=1.6, alpha=1 if clear else 0.55)
            ax.plot([d["diff"]], [yy], "o", ms=5, color=color, mfc=color if clear else "white", mew=1.4)
        ax.axvline(0, color="#555", lw=0.9)
        ax.set_xlim(-span * 1.1, span * 1.1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:+.0f}"))
        ax.set_title(OUTCOME_LABELS.get(metric, pretty(metric)), color=color)
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(list(y.values()), [f"{a} − {b}" for a, b in y])
    fig.supxlabel("difference p(a) − p(b), percentage points", fontsize=9.5)
    return fig


@_styled
def horizon_risk_figure(per_plan: Mapping[str, Mapping[str, Any]], plan_colors: Mapping[str, str]) -> Figure:
    """P(catastrophe) by the horizon (solid) and the risk worlds unresolved at it still carry over the
    stated months after (hatched), stacked per plan, with the 95% interval of their sum."""
    plans = [p for p, s in per_plan.items() if s.get("horizon_risk")]
    fig = _figure(0.36 * len(plans) + 1.5, WIDTH * 0.75)
    ax = _axes_grid(fig, 1, 1)[0]
    y = np.arange(len(plans))[::-1]
    by = np.array([per_plan[p]["horizon_risk"]["catastrophe_by_horizon"]["p"] for p in plans])
    after = np.array([per_plan[p]["horizon_risk"]["catastrophe_after_horizon"]["p"] for p in plans])
    se = np.array([per_plan[p]["horizon_risk"]["catastrophe_with_horizon_risk"]["se"] for p in plans])
    months = per_plan[plans[0]]["horizon_risk"]["months_after"]
    colors = [plan_colors.get(p, "#555") for p in plans]
    ax.barh(y, by, color=colors, height=0.62, label="catastrophe by the horizon")
    ax.barh(
        y,
        after,
        left=by,
        color="white",
        edgecolor=colors,
        hatch="///",
        height=0.62,
        xerr=1.96 * se,
        error_kw={"ecolor": "#333", "capsize": 2.5, "lw": 0.9},
        label=f"within {months} months after it, unresolved worlds' hazard held",
    )
    for yi, b, a, e in zip(y, by, after, se):
        ax.text(
            b + a + 1.96 * e + 0.01, yi, f"{100 * b:.1f}% + {100 * a:.1f}%", va="center", fontsize=8.5, color="#333"
        )
    ax.set_yticks(y, plans)
    ax.set_xlim(0, min(1, float(np.nanmax(by + after + 1.96 * se)) + 0.2))
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=8, frameon=False)
    return fig
