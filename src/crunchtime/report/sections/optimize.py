"""Report section of `crunchtime optimize`: trial history, Pareto front, start vs tuned params, out-of-sample check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.ticker
import pyarrow as pa

from crunchtime.report import figures as F
from crunchtime.report.analysis import Section

TRIAL_COLOR, BEST_COLOR, START_COLOR, FRONT_COLOR = "#7f8c8d", "#1f618d", "#c0392b", "#1f618d"


@F._styled
def history_figure(trials: pa.Table, objective_label: str, best: int) -> Any:
    """Each trial's objective (dots; the start plan in red) and the best so far (a step line)."""
    fig = F._figure(3.4)
    ax = fig.subplots()
    t = trials.to_pydict()
    ax.plot(t["trial"], t["value"], "o", ms=4, color=TRIAL_COLOR, label="trial")
    ax.step(t["trial"], t["best_so_far"], where="post", color=BEST_COLOR, lw=1.6, label="best so far")
    starts = [i for i, s in enumerate(t["start"]) if s]
    ax.plot(
        [t["trial"][i] for i in starts],
        [t["value"][i] for i in starts],
        "o",
        ms=7,
        color=START_COLOR,
        label="start plan",
    )
    ax.plot([t["trial"][best]], [t["value"][best]], "*", ms=12, color=BEST_COLOR, label="chosen")
    ax.set_xlabel("trial")
    ax.set_ylabel(objective_label)
    ax.legend(loc="best", frameon=False)
    return fig


@F._styled
def pareto_figure(trials: pa.Table, best: int) -> Any:
    """Every trial's safety against its share at the frontier; the front joined, start and chosen marked."""
    fig = F._figure(3.8)
    ax = fig.subplots()
    t = trials.to_pydict()
    ax.plot(t["catastrophe_risk"], t["frontier"], "o", ms=4, color=TRIAL_COLOR, label="trial")
    front = sorted((r, f) for r, f, on in zip(t["catastrophe_risk"], t["frontier"], t["on_front"]) if on)
    ax.plot([r for r, _ in front], [f for _, f in front], "o-", ms=5, color=FRONT_COLOR, lw=1.2, label="Pareto front")
    s = t["start"].index(True)
    ax.plot([t["catastrophe_risk"][s]], [t["frontier"][s]], "o", ms=7, color=START_COLOR, label="start plan")
    ax.plot([t["catastrophe_risk"][best]], [t["frontier"][best]], "*", ms=12, color=BEST_COLOR, label="chosen")
    pct = matplotlib.ticker.PercentFormatter(1.0)
    ax.xaxis.set_major_formatter(pct)
    ax.yaxis.set_major_formatter(pct)
    ax.set_xlabel("mean catastrophe risk (lower is safer)")
    ax.set_ylabel("share never self-destructing (at the frontier)")
    ax.legend(loc="best", frameon=False)
    return fig


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _pp(m: Mapping[str, Any]) -> str:
    lo, hi = m["ci95"]
    return f"{100 * m['diff']:+.2f} pp [{100 * lo:+.2f}, {100 * hi:+.2f}]"


def section(summary: Mapping[str, Any], tables: Mapping[str, pa.Table]) -> Section:
    """The optimize section of a saved result's summary (its `to_dict()`) and its "trials" table."""
    oos = summary["out_of_sample"]
    verdict = {
        "better": "the interval excludes zero: the tuned plan lowers P(catastrophe)",
        "worse": "the interval lies above zero: the tuned plan raises P(catastrophe); keep the start plan",
        "inconclusive": "the interval includes zero: no evidence that the tuned plan beats the start plan",
    }
    lead = (
        f"{summary['start_plan']} tuned over {summary['trials_completed']} trials of {summary['samples']} "
        f"trajectories on common random numbers (sampler {summary['sampler']}, objective "
        f"{summary['objective']}{', Pareto' if summary['pareto'] else ''}). Out of sample (a fresh seed, "
        f"{oos['samples']} paired trajectories), P(catastrophe) goes from {_pct(oos['start'])} to "
        f"{_pct(oos['tuned'])}: tuned − start {_pp(oos)}; {verdict[summary['verdict']]}."
    )
    space, best = summary["space"], summary["best_params"]
    params = {
        "caption": "Start and tuned values (the search range and the rule that set it)",
        "header": ["parameter", "range", "start", "tuned"],
        "rows": [
            [k, f"{d['low']:g} .. {d['high']:g} ({d['rule']})", f"{d['start']:g}", f"{best[k]:.4g}"]
            for k, d in space.items()
        ],
    }
    rows = [["P(catastrophe), 0/1 outcomes", _pct(oos["start"]), _pct(oos["tuned"]), _pp(oos), str(oos["samples"])]]
    risk = summary.get("out_of_sample_risk")
    if risk:
        rows.append(
            [
                "mean catastrophe risk (smooth)",
                _pct(risk["start"]),
                _pct(risk["tuned"]),
                _pp(risk),
                str(risk["samples"]),
            ]
        )
    check = {
        "caption": f"Out of sample (seed {summary['validation_seed']}): paired differences, tuned − start, "
        "with 95% intervals",
        "header": ["measure", summary["start_plan"], summary["tuned_plan"], "difference", "trajectories"],
        "rows": rows,
    }
    trials = tables["trials"]
    label = "mean catastrophe risk" if summary["objective"] == "catastrophe" or summary["pareto"] else "mean utility"
    figures = [
        {
            "id": "optimize-history",
            "title": "Search history",
            "caption": f"{label} of each trial on the search's worlds (in sample); the chosen trial's "
            "in-sample score is biased towards it, hence the out-of-sample check.",
            "svg": F.to_svg(history_figure(trials, label, summary["best_trial"]), "optimize-history"),
        }
    ]
    if summary["pareto"]:
        figures.append(
            {
                "id": "optimize-pareto",
                "title": "Safety against staying at the frontier",
                "caption": "Each trial's mean catastrophe risk and share of trajectories in which Magma never "
                "self-destructs; the chosen plan is the safest front plan that stays at the "
                "frontier at least as often as the start plan.",
                "svg": F.to_svg(pareto_figure(trials, summary["best_trial"]), "optimize-pareto"),
            }
        )
    return Section(
        title=f"Optimize: {summary['start_plan']} on {summary['scenario']}",
        lead=lead,
        tables=[check, params],
        figures=figures,
    )
