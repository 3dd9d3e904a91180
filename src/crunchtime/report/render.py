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
from crunchtime.report.analysis import KINDS, render_analysis
from crunchtime.report.page import check_writable, environment, write_html
from crunchtime.report.render_figures import (
    Figures,
    difference_figures,
    figure_total,
    knob_figures,
    outcome_figures,
    risk_figures,
    timeline_figures,
)
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
    fmt_prob,
    palette,
    pretty,
)

TABLES_USED = ("trajectories", "quantiles", "risk")


def _month_date(start: float, month: float) -> str:
    if month is None or not np.isfinite(month):
        return "–"
    total = round(start * 12) + int(month)
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


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
    figs = Figures(figure_total(summary), progress)
    per_plan = D.plan_summaries(summary)
    plans = list(per_plan)
    plan_colors = palette(plans, PLAN_PALETTE)
    start, horizon = D.start_year(summary), D.horizon(summary, tables)
    traj, quant, risk = (tables.get(n) for n in TABLES_USED)

    outcome_figures(figs, per_plan, plan_colors)
    stats = timeline_figures(figs, traj, plans, plan_colors, start, horizon)
    risk_figures(figs, risk, per_plan, start, horizon)
    knob_figures(figs, quant, plans, stats, plan_colors, start, horizon)
    diff_rows = difference_figures(figs, summary, summary.get("kind") == "compare")

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
