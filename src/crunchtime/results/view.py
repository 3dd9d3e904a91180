"""How results read in a terminal and a notebook: probabilities with their uncertainty, short reprs,
HTML tables, pandas frames. Every probability shows its Monte Carlo uncertainty; one that was never
observed reads `<0.15% (0 of 2000)` (the rule of three: a 95% upper bound of 3/n)."""

from __future__ import annotations

import math
from typing import Any

from crunchtime.htmltable import html_heading, html_table
from crunchtime.model.state import OUTCOME_ORDER, PATH_ORDER, WORLD_ORDER
from crunchtime.results.interval import interval95

# the results this module reads (crunchtime.results.result imports it to render them, so it names their types
# in words, not imports): a SimulationResult and a ComparisonResult
SimulationResult = Any
ComparisonResult = Any


#: printed once under every table of results (terminal and notebook)
BELIEFS_NOTE = "These are comparisons of plans under the beliefs stated in the scenario, not forecasts."


def _pct(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}%"


def format_probability(p: float, se: float, n: int, percent_sign: bool = False) -> str:
    """A probability in percent with its 95% Monte Carlo interval, e.g. `21.3 [19.5, 23.1]`: the one
    convention of the CLI, `--json` (`low`, `high`), notebooks, the report and the arcade.

    Parameters
    ----------
    p, se : float
        The estimate and its standard error (fractions, not percent).
    n : int
        Trajectories behind the estimate; used when `p` is exactly 0 or 1, where the standard error
        is 0 and says nothing: then the rule of three gives a 95% bound.
    percent_sign : bool
        Append '%' to the estimate.

    Returns
    -------
    str
        `21.3 [19.5, 23.1]` (or `21.3% [19.5, 23.1]`), `<0.15% (0 of 2000)` or `>99.85% (2000 of 2000)`.

    Examples
    --------
    >>> format_probability(0.0, 0.0, 2000)
    '<0.15% (0 of 2000)'
    >>> format_probability(0.2134, 0.0092, 2000)
    '21.3 [19.5, 23.1]'
    """
    count = round(p * n) if n else 0
    if n and count in (0, n) and abs(p * n - count) < 1e-9:
        bound = 300.0 / n
        decimals = max(1, 1 - math.floor(math.log10(bound))) if bound < 100 else 0
        return f"<{_pct(bound, decimals)} (0 of {n})" if count == 0 else f">{_pct(100 - bound, decimals)} ({n} of {n})"
    low, high = interval95(p, se, n)
    return f"{p * 100:.1f}{'%' if percent_sign else ''} [{low * 100:.1f}, {high * 100:.1f}]"


def _outcomes_line(summary: dict[str, Any]) -> str:
    n = summary["samples"]
    return ", ".join(f"{k} {format_probability(v['p'], v['se'], n, True)}" for k, v in summary["outcomes"].items())


def _line(probs: dict[str, dict[str, float]], n: int) -> str:
    return ", ".join(f"{k} {format_probability(v['p'], v['se'], n, True)}" for k, v in probs.items())


def _horizon_line(res: SimulationResult) -> str:
    h, n = res.horizon_risk_summary(), res.samples
    unresolved = format_probability(h["unresolved"]["p"], h["unresolved"]["se"], n, True)
    with_it = format_probability(
        h["catastrophe_with_horizon_risk"]["p"], h["catastrophe_with_horizon_risk"]["se"], n, True
    )
    return (
        f"risk left at the horizon: unresolved {unresolved}, P(catastrophe within {h['months_after']} months "
        f"after) {h['catastrophe_after_horizon']['p'] * 100:.1f}%, catastrophe with it {with_it}"
    )


def simulation_repr(res: SimulationResult) -> str:
    """What ran; the (legacy) outcome probabilities; the world's outcome; Magma's path; the risk left at
    the horizon."""
    head = (
        f"SimulationResult(plan={res.plan_name!r}, scenario={res.scenario.name!r}, samples={res.samples}, "
        f"seed={res.seed})"
    )
    return (
        f"{head}\n  {_outcomes_line({'samples': res.samples, 'outcomes': res.outcome_probabilities()})}"
        f"\n  world: {_line(res.world_outcome_probabilities(), res.samples)}"
        f"\n  Magma: {_line(res.magma_path_probabilities(), res.samples)}"
        f"\n  {_horizon_line(res)}"
    )


def comparison_repr(cmp: ComparisonResult) -> str:
    """Two lines: what ran, and P(catastrophe) per plan."""
    first = next(iter(cmp.results.values()))
    head = (
        f"ComparisonResult(plans={list(cmp.results)!r}, scenario={first.scenario.name!r}, "
        f"samples={first.samples}, seed={first.seed})"
    )
    cats = ", ".join(
        f"{name} {format_probability(*_p(r, 'catastrophe'), r.samples, True)}" for name, r in cmp.results.items()
    )
    months = next(iter(cmp.results.values())).horizon_risk_summary()["months_after"]
    with_h = ", ".join(
        f"{name} {r.horizon_risk_summary()['catastrophe_with_horizon_risk']['p'] * 100:.1f}%"
        for name, r in cmp.results.items()
    )
    return (
        f"{head}\n  P(catastrophe): {cats}"
        f"\n  with the risk unresolved worlds carry {months} months past the horizon: {with_h}"
    )


def _p(res: SimulationResult, outcome: str) -> tuple[float, float]:
    entry = res.outcome_probabilities()[outcome]
    return entry["p"], entry["se"]


def simulation_html(res: SimulationResult) -> str:
    """Outcomes, milestones and risk by source as HTML tables."""
    s = res.summary()
    n = s["samples"]
    parts = [
        html_heading(
            f"{s['plan']} on {s['scenario']}",
            f"{n} trajectories, seed {s['seed']}; [low, high] is the 95% Monte Carlo interval. {BELIEFS_NOTE}",
        ),
        html_table(
            ["outcome", "probability (%)"],
            [(k, format_probability(v["p"], v["se"], n)) for k, v in s["outcomes"].items()],
            "Outcomes",
        ),
        html_table(
            ["world's outcome", "probability (%)"],
            [(k, format_probability(v["p"], v["se"], n)) for k, v in s["world_outcomes"].items()],
            "The world's outcome",
        ),
        html_table(
            ["Magma's path", "probability (%)"],
            [(k, format_probability(v["p"], v["se"], n)) for k, v in s["magma_paths"].items()],
            "Magma's path",
        ),
        html_table(
            ["risk left at the horizon", "value"], _horizon_rows(s["horizon_risk"], n), "Risk left at the horizon"
        ),
        html_table(
            ["milestone", "reached", "p10", "median", "p90"],
            [
                (k, f"{v['p_reached'] * 100:.0f}%", v["p10"] or "-", v["median"] or "-", v["p90"] or "-")
                for k, v in s["milestones"].items()
            ],
            "Milestones (Magma)",
        ),
        html_table(
            ["source", "probability (%)"],
            [(k, format_probability(v["p"], v["se"], n)) for k, v in s["risk_by_source"].items()],
            "Catastrophe by source",
        ),
    ]
    return "".join(parts)


def _horizon_rows(h: dict[str, Any], n: int) -> list[tuple[str, str]]:
    m = h["months_after"]
    hz = h.get("mean_monthly_hazard_unresolved")
    return [
        ("unresolved at the horizon (%)", format_probability(h["unresolved"]["p"], h["unresolved"]["se"], n)),
        ("mean monthly hazard there (%)", "-" if hz is None else f"{hz * 100:.2f}"),
        (
            f"P(catastrophe within {m} months after, hazard held) (%)",
            format_probability(h["catastrophe_after_horizon"]["p"], h["catastrophe_after_horizon"]["se"], n),
        ),
        (
            "P(catastrophe) by the horizon (%)",
            format_probability(h["catastrophe_by_horizon"]["p"], h["catastrophe_by_horizon"]["se"], n),
        ),
        (
            f"P(catastrophe) with the {m} months after (%)",
            format_probability(h["catastrophe_with_horizon_risk"]["p"], h["catastrophe_with_horizon_risk"]["se"], n),
        ),
    ]


def comparison_html(cmp: ComparisonResult) -> str:
    """Outcomes per plan and paired differences against the first plan as HTML tables."""
    first = next(iter(cmp.results.values()))
    n = first.samples
    rows = []
    for name, r in cmp.results.items():
        probs = r.outcome_probabilities()
        rows.append((name, *[format_probability(probs[o]["p"], probs[o]["se"], n) for o in OUTCOME_ORDER]))
    parts = [
        html_heading(
            f"{len(cmp.results)} plans on {first.scenario.name}",
            f"{n} trajectories per plan, common random numbers, seed {first.seed}; "
            f"[low, high] is the 95% Monte Carlo interval. {BELIEFS_NOTE}",
        ),
        html_table(["plan", *OUTCOME_ORDER], rows, "Outcome probabilities (%)"),
    ]
    for title, key, order in (
        ("The world's outcome (%)", "world_outcome_probabilities", WORLD_ORDER),
        ("Magma's path (%)", "magma_path_probabilities", PATH_ORDER),
    ):
        table = []
        for name, r in cmp.results.items():
            probs = getattr(r, key)()
            table.append((name, *[format_probability(probs[o]["p"], probs[o]["se"], n) for o in order]))
        parts.append(html_table(["plan", *order], table, title))
    h_rows = []
    for name, r in cmp.results.items():
        h = r.horizon_risk_summary()
        h_rows.append(
            (
                name,
                *[
                    format_probability(h[k]["p"], h[k]["se"], n)
                    for k in (
                        "catastrophe_by_horizon",
                        "unresolved",
                        "catastrophe_after_horizon",
                        "catastrophe_with_horizon_risk",
                    )
                ],
            )
        )
    m = first.horizon_risk_summary()["months_after"]
    parts.append(
        html_table(
            [
                "plan",
                "catastrophe by the horizon",
                "unresolved",
                f"catastrophe within {m} months after",
                "catastrophe with them",
            ],
            h_rows,
            "Risk left at the horizon (%)",
        )
    )
    diffs = baseline_differences(cmp)
    if diffs:
        parts.append(
            html_table(
                ["plan", "difference", "95% interval"],
                diffs,
                f"Paired difference in P(catastrophe) against {first.plan_name}",
            )
        )
    return "".join(parts)


def baseline_differences(cmp: ComparisonResult, metric: str = "catastrophe") -> list[tuple[str, str, str]]:
    """(plan, 'd pts', '[lo, hi]') of P(metric) for each plan minus the first plan, paired."""
    results = list(cmp.results.values())
    rows = []
    for other in results[1:]:
        d = other.paired_difference(results[0], metric)
        lo, hi = d["ci95"]
        rows.append((other.plan_name, f"{d['diff'] * 100:+.1f} pts", f"[{lo * 100:+.1f}, {hi * 100:+.1f}]"))
    return rows


def summary_frame(summaries: dict[str, dict[str, Any]]) -> Any:
    """A tidy pandas DataFrame of per-plan probabilities: plan, kind, name, p, se."""
    import pandas as pd

    rows = []
    for plan, s in summaries.items():
        for kind in ("outcomes", "world_outcomes", "magma_paths", "events", "risk_by_source", "risk_by_actor"):
            for name, v in (s.get(kind) or {}).items():
                rows.append({"plan": plan, "kind": kind, "name": name, "p": v["p"], "se": v["se"]})
    return pd.DataFrame(rows, columns=["plan", "kind", "name", "p", "se"])
