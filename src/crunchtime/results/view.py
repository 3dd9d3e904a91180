"""How results read in a terminal and a notebook: probabilities with their uncertainty, short reprs,
HTML tables, pandas frames. Every probability shows its Monte Carlo uncertainty; one that was never
observed reads `<0.15% (0 of 2000)` (the rule of three: a 95% upper bound of 3/n)."""

from __future__ import annotations

import math
from typing import Any

from crunchtime.model.state import OUTCOME_ORDER
from crunchtime.htmltable import html_heading, html_table

# the results this module reads (crunchtime.results.result imports it to render them, so it names their types
# in words, not imports): a SimulationResult and a ComparisonResult
SimulationResult = Any
ComparisonResult = Any


#: printed once under every table of results (terminal and notebook)
BELIEFS_NOTE = ("These are comparisons of plans under the beliefs stated in the scenario, not forecasts.")


def _pct(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}%"


def format_probability(p: float, se: float, n: int, percent_sign: bool = False) -> str:
    """A probability in percent with one Monte Carlo standard error, e.g. `21.3±0.9`.

    Parameters
    ----------
    p, se : float
        The estimate and its standard error (fractions, not percent).
    n : int
        Trajectories behind the estimate; used when `p` is exactly 0 or 1, where the standard error
        is 0 and says nothing: then the rule of three gives a 95% bound.
    percent_sign : bool
        Append '%' to the ordinary form.

    Returns
    -------
    str
        `21.3±0.9` (or `21.3±0.9%`), `<0.15% (0 of 2000)` or `>99.85% (2000 of 2000)`.

    Examples
    --------
    >>> format_probability(0.0, 0.0, 2000)
    '<0.15% (0 of 2000)'
    >>> format_probability(0.2134, 0.0092, 2000)
    '21.3±0.9'
    """
    count = round(p * n) if n else 0
    if n and count in (0, n) and abs(p * n - count) < 1e-9:
        bound = 300.0 / n
        decimals = max(1, 1 - math.floor(math.log10(bound))) if bound < 100 else 0
        return f"<{_pct(bound, decimals)} (0 of {n})" if count == 0 else f">{_pct(100 - bound, decimals)} ({n} of {n})"
    return f"{p * 100:.1f}±{se * 100:.1f}" + ("%" if percent_sign else "")


def _outcomes_line(summary: dict[str, Any]) -> str:
    n = summary["samples"]
    return ", ".join(f"{k} {format_probability(v['p'], v['se'], n, True)}" for k, v in summary["outcomes"].items())


def simulation_repr(res: SimulationResult) -> str:
    """Two lines: what ran, and the outcome probabilities."""
    head = (f"SimulationResult(plan={res.plan_name!r}, scenario={res.scenario.name!r}, samples={res.samples}, "
            f"seed={res.seed})")
    return f"{head}\n  {_outcomes_line({'samples': res.samples, 'outcomes': res.outcome_probabilities()})}"


def comparison_repr(cmp: ComparisonResult) -> str:
    """Two lines: what ran, and P(catastrophe) per plan."""
    first = next(iter(cmp.results.values()))
    head = (f"ComparisonResult(plans={list(cmp.results)!r}, scenario={first.scenario.name!r}, "
            f"samples={first.samples}, seed={first.seed})")
    cats = ", ".join(f"{name} {format_probability(*_p(r, 'catastrophe'), r.samples, True)}"
                     for name, r in cmp.results.items())
    return f"{head}\n  P(catastrophe): {cats}"


def _p(res: SimulationResult, outcome: str) -> tuple[float, float]:
    entry = res.outcome_probabilities()[outcome]
    return entry["p"], entry["se"]


def simulation_html(res: SimulationResult) -> str:
    """Outcomes, milestones and risk by source as HTML tables."""
    s = res.summary()
    n = s["samples"]
    parts = [html_heading(f"{s['plan']} on {s['scenario']}",
                          f"{n} trajectories, seed {s['seed']}; ± is one Monte Carlo standard error. {BELIEFS_NOTE}"),
             html_table(["outcome", "probability (%)"],
                        [(k, format_probability(v["p"], v["se"], n)) for k, v in s["outcomes"].items()], "Outcomes"),
             html_table(["milestone", "reached", "p10", "median", "p90"],
                        [(k, f"{v['p_reached'] * 100:.0f}%", v["p10"] or "-", v["median"] or "-", v["p90"] or "-")
                         for k, v in s["milestones"].items()], "Milestones (Magma)"),
             html_table(["source", "probability (%)"],
                        [(k, format_probability(v["p"], v["se"], n)) for k, v in s["risk_by_source"].items()],
                        "Catastrophe by source")]
    return "".join(parts)


def comparison_html(cmp: ComparisonResult) -> str:
    """Outcomes per plan and paired differences against the first plan as HTML tables."""
    first = next(iter(cmp.results.values()))
    n = first.samples
    rows = []
    for name, r in cmp.results.items():
        probs = r.outcome_probabilities()
        rows.append((name, *[format_probability(probs[o]["p"], probs[o]["se"], n) for o in OUTCOME_ORDER]))
    parts = [html_heading(f"{len(cmp.results)} plans on {first.scenario.name}",
                          f"{n} trajectories per plan, common random numbers, seed {first.seed}; "
                          f"± is one Monte Carlo standard error. {BELIEFS_NOTE}"),
             html_table(["plan", *OUTCOME_ORDER], rows, "Outcome probabilities (%)")]
    diffs = baseline_differences(cmp)
    if diffs:
        parts.append(html_table(["plan", "difference", "95% interval"], diffs,
                                f"Paired difference in P(catastrophe) against {first.plan_name}"))
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
        for kind in ("outcomes", "events", "risk_by_source", "risk_by_actor"):
            for name, v in s[kind].items():
                rows.append({"plan": plan, "kind": kind, "name": name, "p": v["p"], "se": v["se"]})
    return pd.DataFrame(rows, columns=["plan", "kind", "name", "p", "se"])
