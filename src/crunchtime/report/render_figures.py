"""The run report's figures: outcomes, timelines, risk, knobs and paired differences, each an inline SVG
(`crunchtime.report.figures` draws them), or a note saying which table a figure needed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa

from crunchtime.report import data as D
from crunchtime.report import figures as F
from crunchtime.report.style import (
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    PLAN_PALETTE,
    SOURCE_COLORS,
    SOURCE_LABELS,
    actor_colors,
    fmt_diff,
    palette,
    pretty,
)


def _knob_order() -> tuple[tuple[str, ...], set[str]]:
    """Knob names in the model's order and the 0/1 action knobs (falls back to data order)."""
    try:
        from crunchtime.model.knobs import ACTION_KNOBS, KNOB_NAMES
    except ImportError:  # pragma: no cover - the model package is optional for the report
        return (), set()
    return tuple(KNOB_NAMES), set(ACTION_KNOBS)


#: figures a comparison report draws (a single run has no differences figure); for progress
FIGURE_COUNT = 9


def _render_figure(fid: str, title: str, caption: str, fig: Any) -> dict[str, str]:
    return {"id": fid, "title": title, "caption": caption, "svg": F.to_svg(fig, fid)}


def _missing(fid: str, title: str, table: str) -> dict[str, str]:
    return {
        "id": fid,
        "title": title,
        "caption": "",
        "svg": "",
        "missing": f"This run has no “{table}” table, so this figure cannot be drawn.",
    }


class Figures:
    """The report's figures in drawing order, reporting `progress(done, total)` as each is drawn."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None):
        self.total, self.progress = total, progress
        self.drawn = 0
        self.figs: list[dict[str, str]] = []

    def draw(self, fid: str, title: str, caption: str, fig: Any) -> None:
        self.figs.append(_render_figure(fid, title, caption, fig))
        self.drawn += 1
        if self.progress is not None:
            self.progress(min(self.drawn, self.total), self.total)

    def missing(self, *figures: tuple[str, str], table: str) -> None:
        self.figs += [_missing(fid, title, table) for fid, title in figures]


def figure_total(summary: Mapping[str, Any]) -> int:
    """How many figures the report draws: no differences for a single run, no horizon risk if saved before it."""
    return (
        FIGURE_COUNT
        - (0 if summary.get("kind") == "compare" and summary.get("differences") else 1)
        - (0 if all(s.get("horizon_risk") for s in D.plan_summaries(summary).values()) else 1)
    )  # saved before it


def outcome_figures(figs: Figures, per_plan: Mapping[str, Mapping[str, Any]], plan_colors: Mapping[str, str]) -> None:
    """The outcome probabilities and, where the run reports it, the risk left at the horizon."""
    figs.draw(
        "fig-outcomes",
        "Outcome probabilities",
        "Probability of each exclusive outcome by the horizon; error bars are 95% Monte Carlo "
        "intervals (±1.96 standard errors).",
        F.outcomes_figure(per_plan, plan_colors),
    )

    if all(s.get("horizon_risk") for s in per_plan.values()):
        h0 = next(iter(per_plan.values()))["horizon_risk"]
        figs.draw(
            "fig-horizon-risk",
            "Risk left at the horizon",
            f"P(catastrophe) by the horizon (solid) and, hatched, the chance that worlds still "
            f"unresolved there end in catastrophe within the {h0['months_after']} months after it "
            f"if their last month's hazard holds (1 − (1 − h)^{h0['months_after']}); error bars: "
            f"95% intervals of the sum. A plan that keeps the race going leaves more of its risk "
            f"past the horizon.",
            F.horizon_risk_figure(per_plan, plan_colors),
        )


def timeline_figures(
    figs: Figures, traj: pa.Table | None, plans: list[str], plan_colors: Mapping[str, str], start: float, horizon: int
) -> dict[str, list]:
    """The milestone and outcome timelines; returns the milestone statistics per plan (empty without trajectories)."""
    stats = {p: D.milestone_stats(D.for_plan(traj, p)) for p in plans} if traj is not None else {}
    if traj is not None:
        figs.draw(
            "fig-milestones",
            "Milestone timeline (essay Figure 2)",
            "When each milestone is first crossed, among trajectories that reach it "
            "(share reaching it in the table below).",
            F.milestones_figure(stats, plan_colors, start, horizon),
        )
        cums = {p: D.cumulative_outcomes(D.for_plan(traj, p), horizon) for p in plans}
        figs.draw(
            "fig-outcome-timelines",
            "Outcome timelines (essay Figures 3 and 4)",
            "Cumulative probability that each outcome (coordinated pause, self-destruction, "
            "catastrophe, obsolescence) has happened by each date; shaded: 95% intervals. "
            "The remainder is still unresolved.",
            F.outcome_timelines_figure(cums, start, horizon),
        )
    else:
        figs.missing(
            ("fig-milestones", "Milestone timeline (essay Figure 2)"),
            ("fig-outcome-timelines", "Outcome timelines (essay Figures 3 and 4)"),
            table="trajectories",
        )
    return stats


def risk_figures(
    figs: Figures, risk: pa.Table | None, per_plan: Mapping[str, Mapping[str, Any]], start: float, horizon: int
) -> None:
    """Risk over time, stacked by source and by actor."""
    if risk is None:
        figs.missing(
            ("fig-risk-source", "Risk by source over time"), ("fig-risk-actor", "Risk by actor over time"), table="risk"
        )
        return
    plans = list(per_plan)
    src_stacks = {p: D.risk_stack(risk, p, "source", horizon) for p in plans}
    act_stacks = {p: D.risk_stack(risk, p, "actor", horizon) for p in plans}
    cat_se = {p: (s.get("outcomes") or {}).get("catastrophe", {}).get("se", float("nan")) for p, s in per_plan.items()}
    sources = list(dict.fromkeys(k for _, ks, _ in src_stacks.values() for k in ks))
    actors = list(dict.fromkeys(k for _, ks, _ in act_stacks.values() for k in ks))
    figs.draw(
        "fig-risk-source",
        "Risk by source over time",
        "Probability of catastrophe per month, stacked by source (goal 1's risks). The areas sum to P(catastrophe).",
        F.risk_figure(
            src_stacks, palette(sources, PLAN_PALETTE[::-1], SOURCE_COLORS), SOURCE_LABELS, start, horizon, cat_se
        ),
    )
    figs.draw(
        "fig-risk-actor",
        "Risk by actor over time",
        "Probability of catastrophe per month, stacked by the actor whose AI (or staff) causes it.",
        F.risk_figure(act_stacks, actor_colors(actors), {a: a for a in actors}, start, horizon, cat_se),
    )


def knob_figures(
    figs: Figures,
    quant: pa.Table | None,
    plans: list[str],
    stats: Mapping[str, list],
    plan_colors: Mapping[str, str],
    start: float,
    horizon: int,
) -> None:
    """Knob trajectories and preparation versus mitigation efforts."""
    if quant is None:
        figs.missing(
            ("fig-knobs", "Knob trajectories (essay Figure 5)"),
            ("fig-prep-mitigation", "Preparation versus mitigation (essay Figure 6)"),
            table="quantiles",
        )
        return
    order, flags = _knob_order()
    present = [v[5:] for v in D.variables(quant) if v.startswith("knob:")]
    knobs = [k for k in order if k in present] + [k for k in present if k not in order]
    knob_series = {k: {p: D.series(quant, p, f"knob:{k}") for p in plans} for k in knobs}
    figs.draw(
        "fig-knobs",
        "Knob trajectories (essay Figure 5)",
        "How each plan turns Magma's knobs: median with 10th–90th percentile band across "
        "trajectories; for on/off actions, the share of trajectories with the action on.",
        F.knobs_figure(knob_series, flags, plan_colors, start, horizon),
    )
    efforts = {
        p: (D.series(quant, p, "safety_prep_effort"), D.series(quant, p, "safety_mitigation_effort")) for p in plans
    }
    marks = {p: next((m.p50 for m in stats.get(p, []) if m.name == "3x_ai_rd"), float("nan")) for p in plans}
    figs.draw(
        "fig-prep-mitigation",
        "Preparation versus mitigation (essay Figure 6)",
        "Median share of Magma's resources spent on safety preparation (building stocks for "
        "crunch time) and on mitigating current risk; dashed: median date of 3x AI R&D.",
        F.effort_figure(efforts, marks, start, horizon),
    )


def difference_figures(figs: Figures, summary: Mapping[str, Any], compare: bool) -> list[dict]:
    """The paired differences figure of a comparison; returns the differences table's rows."""
    differences = list(summary.get("differences") or [])
    diff_rows = []
    if compare and differences:
        figs.draw(
            "fig-differences",
            "Paired differences between plans",
            "p(a) − p(b) for each outcome, paired over common random numbers, with 95% intervals; "
            "hollow markers: interval includes zero.",
            F.differences_figure(differences),
        )
        diff_rows = [
            {
                "pair": f"{d['a']} − {d['b']}",
                "metric": OUTCOME_LABELS.get(d["metric"], pretty(d["metric"])),
                "color": OUTCOME_COLORS.get(d["metric"]),
                "value": fmt_diff(d["diff"], d.get("ci95")),
            }
            for d in differences
        ]
    return diff_rows
