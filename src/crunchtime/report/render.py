"""Builds the report's HTML: tables of probabilities (each with its 95% interval), inline SVG figures,
provenance; one self-contained file (CSS and figures inline, no network)."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime._version import __version__
from crunchtime.report import data as D
from crunchtime.report import figures as F
from crunchtime.report.analysis import KINDS, render_analysis
from crunchtime.report.page import check_writable, environment, write_html
from crunchtime.report.style import (
    MILESTONE_LABELS,
    OUTCOME_COLORS,
    OUTCOME_LABELS,
    OUTCOMES,
    PATH_COLORS,
    PATH_LABELS,
    PLAN_PALETTE,
    SOURCE_COLORS,
    SOURCE_LABELS,
    WORLD_COLORS,
    WORLD_LABELS,
    actor_colors,
    fmt_diff,
    fmt_prob,
    palette,
    pretty,
)

TABLES_USED = ("trajectories", "quantiles", "risk")


def _knob_order() -> tuple[tuple[str, ...], set[str]]:
    """Knob names in the model's order and the 0/1 action knobs (falls back to data order)."""
    try:
        from crunchtime.model.knobs import ACTION_KNOBS, KNOB_NAMES
    except ImportError:  # pragma: no cover - the model package is optional for the report
        return (), set()
    return tuple(KNOB_NAMES), set(ACTION_KNOBS)


def _month_date(start: float, month: float) -> str:
    if month is None or not np.isfinite(month):
        return "–"
    total = round(start * 12) + int(month)
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


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


def _prob_table(
    per_plan: Mapping[str, Mapping[str, Any]],
    key: str,
    order: tuple[str, ...] = (),
    labels: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> dict:
    """Rows of `name | p [95% interval] per plan` for one dict-of-{p,se} field of the plan summaries.

    Every such p is a share of trajectories, so exact 0 and 1 are shown with the rule of three.
    """
    names = list(order) + [n for s in per_plan.values() for n in (s.get(key) or {}) if n not in order]
    names = [n for n in dict.fromkeys(names) if any(n in (s.get(key) or {}) for s in per_plan.values())]
    rows = []
    for n in names:
        cells = []
        for s in per_plan.values():
            v = (s.get(key) or {}).get(n)
            trajectories = int(s.get("samples") or 0)
            cells.append(fmt_prob(v.get("p"), v.get("se"), trajectories) if v else "–")
        rows.append({"name": (labels or {}).get(n, pretty(n)), "color": (colors or {}).get(n), "cells": cells})
    return {"plans": list(per_plan), "rows": rows}


def _horizon_table(per_plan: Mapping[str, Mapping[str, Any]]) -> dict:
    """Rows of the risk left at the horizon per plan (empty for runs saved before it was reported)."""
    if not all(s.get("horizon_risk") for s in per_plan.values()):
        return {"plans": list(per_plan), "rows": []}
    months = next(iter(per_plan.values()))["horizon_risk"]["months_after"]
    rows = []
    for key, name in (
        ("catastrophe_by_horizon", "Catastrophe by the horizon"),
        ("unresolved", "Unresolved at the horizon"),
        ("catastrophe_after_horizon", f"Catastrophe within {months} months after it (hazard held)"),
        ("catastrophe_with_horizon_risk", f"Catastrophe with those {months} months"),
    ):
        rows.append(
            {
                "name": name,
                "color": None,
                "cells": [
                    fmt_prob(s["horizon_risk"][key]["p"], s["horizon_risk"][key]["se"], int(s.get("samples") or 0))
                    for s in per_plan.values()
                ],
            }
        )
    hz = [s["horizon_risk"].get("mean_monthly_hazard_unresolved") for s in per_plan.values()]
    rows.append(
        {
            "name": "Mean monthly hazard in unresolved worlds",
            "color": None,
            "cells": ["–" if h is None else f"{100 * h:.2f}%" for h in hz],
        }
    )
    return {"plans": list(per_plan), "rows": rows}


def _milestone_table(per_plan: Mapping[str, Mapping[str, Any]], stats: Mapping[str, list], start: float) -> dict:
    names = list(dict.fromkeys(m.name for s in stats.values() for m in s)) or list(
        dict.fromkeys(n for s in per_plan.values() for n in (s.get("milestones") or {}))
    )
    rows = []
    for name in names:
        cells = []
        for plan, s in per_plan.items():
            given = (s.get("milestones") or {}).get(name)
            comp = next((m for m in stats.get(plan, []) if m.name == name), None)
            if comp is not None:
                p, se = comp.p_reached, comp.se
                dates: tuple[str, ...] = (
                    _month_date(start, comp.p10),
                    _month_date(start, comp.p50),
                    _month_date(start, comp.p90),
                )
            elif given:
                n = max(int(s.get("samples") or 0), 1)
                p = given.get("p_reached", float("nan"))
                se = math.sqrt(max(p * (1 - p), 0) / n)
                dates = tuple(given.get(k) or "–" for k in ("p10", "median", "p90"))
            else:
                cells.append({"p": "–", "dates": ""})
                continue
            cells.append(
                {
                    "p": fmt_prob(p, se, int(s.get("samples") or 0)),
                    "dates": f"{dates[1]} ({dates[0]} to {dates[2]})" if dates[1] != "–" else "never reached",
                }
            )
        rows.append({"name": MILESTONE_LABELS.get(name, pretty(name)), "cells": cells})
    return {"plans": list(per_plan), "rows": rows}


def _provenance_rows(
    summary: Mapping[str, Any], provenance: Mapping[str, Any] | None, run_info: Mapping[str, Any] | None
) -> tuple[list[tuple[str, str]], list[dict]]:
    prov = dict(provenance or {})
    rows: list[tuple[str, str]] = []
    if run_info:
        rows.append(("Run id", str(run_info.get("run_id"))))
        rows.append(("Saved", str(run_info.get("created_at", ""))[:19].replace("T", " ") + " UTC"))
    rows += [
        ("Kind", str(summary.get("kind", "run"))),
        ("Scenario", str(prov.get("scenario_name") or summary.get("scenario") or "–")),
        ("Scenario sha256", str(prov.get("scenario_sha256") or "–")),
    ]
    texts = []
    if prov.get("scenario_text"):
        texts.append({"title": f"Scenario {prov.get('scenario_name') or ''}".strip(), "text": prov["scenario_text"]})
    plans = prov.get("plans") or {p: {} for p in D.plan_summaries(summary)}
    for name, meta in plans.items():
        meta = meta if isinstance(meta, Mapping) else {"text": meta}
        rows.append((f"Plan {name}", f"sha256 {meta.get('sha256') or '–'}"))
        if meta.get("text"):
            texts.append({"title": f"Plan {name}", "text": meta["text"]})
    seed = prov.get("seed", summary.get("seed"))
    samples = prov.get("samples", summary.get("samples"))
    rows += [
        ("Seed", str(seed if seed is not None else "–")),
        ("Samples per plan", f"{samples:,}" if isinstance(samples, int) else str(samples or "–")),
        ("Start, horizon", f"{summary.get('start', '–')}, {summary.get('horizon_months', '–')} months"),
        ("crunchtime version (run)", str(prov.get("crunchtime_version") or summary.get("crunchtime_version") or "–")),
        ("Started", str(prov.get("started_at") or "–")),
        ("Wall time", f"{prov['wall_time_s']:.1f} s" if isinstance(prov.get("wall_time_s"), (int, float)) else "–"),
        ("Report written by", f"crunchtime {__version__}"),
    ]
    return rows, texts


class _Figures:
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


def _figure_total(summary: Mapping[str, Any]) -> int:
    """How many figures the report draws: no differences for a single run, no horizon risk if saved before it."""
    return (
        FIGURE_COUNT
        - (0 if summary.get("kind") == "compare" and summary.get("differences") else 1)
        - (0 if all(s.get("horizon_risk") for s in D.plan_summaries(summary).values()) else 1)
    )  # saved before it


def _outcome_figures(figs: _Figures, per_plan: Mapping[str, Mapping[str, Any]], plan_colors: Mapping[str, str]) -> None:
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


def _timeline_figures(
    figs: _Figures, traj: pa.Table | None, plans: list[str], plan_colors: Mapping[str, str], start: float, horizon: int
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


def _risk_figures(
    figs: _Figures, risk: pa.Table | None, per_plan: Mapping[str, Mapping[str, Any]], start: float, horizon: int
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


def _knob_figures(
    figs: _Figures,
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


def _difference_figures(figs: _Figures, summary: Mapping[str, Any], compare: bool) -> list[dict]:
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


def _tables(per_plan: Mapping[str, Mapping[str, Any]], stats: Mapping[str, list], start: float) -> dict[str, dict]:
    """The report's tables: outcomes, world outcomes, Magma's paths, horizon risk, events, risk, milestones."""
    actors = list(dict.fromkeys(a for s in per_plan.values() for a in (s.get("risk_by_actor") or {})))
    return {
        "outcomes": _prob_table(per_plan, "outcomes", OUTCOMES, OUTCOME_LABELS, OUTCOME_COLORS),
        "world_outcomes": _prob_table(per_plan, "world_outcomes", tuple(WORLD_LABELS), WORLD_LABELS, WORLD_COLORS),
        "magma_paths": _prob_table(per_plan, "magma_paths", tuple(PATH_LABELS), PATH_LABELS, PATH_COLORS),
        "horizon_risk": _horizon_table(per_plan),
        "events": _prob_table(per_plan, "events", OUTCOMES[:-1], OUTCOME_LABELS, OUTCOME_COLORS),
        "risk_by_source": _prob_table(per_plan, "risk_by_source", tuple(SOURCE_LABELS), SOURCE_LABELS, SOURCE_COLORS),
        "risk_by_actor": _prob_table(per_plan, "risk_by_actor", (), {a: a for a in actors}, actor_colors(actors)),
        "milestones": _milestone_table(per_plan, stats, start),
    }


def _context(
    summary: Mapping[str, Any], per_plan: Mapping[str, Mapping[str, Any]], plan_colors: Mapping[str, str], horizon: int
) -> dict[str, Any]:
    """The page's heading: title, subtitle, plans with their colours, samples, seed, start and horizon."""
    plans = list(per_plan)
    compare = summary.get("kind") == "compare"
    first = next(iter(per_plan.values()), {})
    return {
        "title": f"crunchtime report: {summary.get('scenario') or first.get('scenario') or 'run'}",
        "subtitle": ("Comparison of " + ", ".join(plans)) if compare else f"Plan {plans[0]}",
        "compare": compare,
        "plans": [{"name": p, "color": plan_colors[p]} for p in plans],
        "samples": summary.get("samples", first.get("samples")),
        "seed": summary.get("seed", first.get("seed")),
        "start": summary.get("start", first.get("start")),
        "horizon": horizon,
    }


def render_report(
    summary: Mapping[str, Any],
    tables: Mapping[str, pa.Table],
    provenance: Mapping[str, Any] | None = None,
    *,
    run_info: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The HTML report of one run or comparison, as a single self-contained string.

    The same inputs give the same bytes (no clock in the text or the figures). `progress(done, total)`
    is called as each figure is drawn.
    """
    figs = _Figures(_figure_total(summary), progress)
    per_plan = D.plan_summaries(summary)
    plans = list(per_plan)
    plan_colors = palette(plans, PLAN_PALETTE)
    start, horizon = D.start_year(summary), D.horizon(summary, tables)
    traj, quant, risk = (tables.get(n) for n in TABLES_USED)

    _outcome_figures(figs, per_plan, plan_colors)
    stats = _timeline_figures(figs, traj, plans, plan_colors, start, horizon)
    _risk_figures(figs, risk, per_plan, start, horizon)
    _knob_figures(figs, quant, plans, stats, plan_colors, start, horizon)
    diff_rows = _difference_figures(figs, summary, summary.get("kind") == "compare")

    prov_rows, texts = _provenance_rows(summary, provenance, run_info)
    context = {
        **_context(summary, per_plan, plan_colors, horizon),
        **_tables(per_plan, stats, start),
        "differences": diff_rows,
        "figures": figs.figs,
        "provenance": prov_rows,
        "texts": texts,
        "generated": _generated(run_info, provenance),
        "version": __version__,
    }
    return environment().get_template("report.html.j2").render(**context)


def _generated(run_info: Mapping[str, Any] | None, provenance: Mapping[str, Any] | None) -> str:
    """When the run was made (not when the report was drawn, so two reports of a run are identical)."""
    when = (run_info or {}).get("created_at") or (provenance or {}).get("started_at")
    return f"from the run of {str(when)[:16].replace('T', ' ')} UTC" if when else "from a run"


def write_report(
    stored_run: Any, path: str | os.PathLike[str], progress: Callable[[int, int], None] | None = None
) -> Path:
    """Render a stored run (crunchtime.results.store.StoredRun) to `path`, written atomically; returns the path."""
    check_writable(Path(path).expanduser())  # fail before the (seconds-long) rendering
    if stored_run.summary.get("kind") in KINDS:
        tables = {n: stored_run.table(n) for n in stored_run.table_names}
        html = render_analysis(stored_run.summary, tables, stored_run.provenance)
        if progress is not None:
            progress(1, 1)
        return write_html(html, path)
    tables = {n: stored_run.table(n) for n in TABLES_USED if stored_run.has_table(n)}
    html = render_report(
        stored_run.summary, tables, stored_run.provenance, run_info=stored_run.info.to_dict(), progress=progress
    )
    return write_html(html, path)
