"""Calibration of the default scenario against published estimates (docs/calibration.md).

Two numbers are fitted, reproducibly: the 90% interval of `exposure_months` (how many months of flat-out
scaling realise a model's danger) is moved as a whole, keeping its width ratio of 4, until the status-quo
plan (`rsp`) on `default` meets the centre of its target band; and the unsourced upper end of
`danger_salience` (its lower end, today's awareness, is sourced) until the long-pause check under the
essay's plan meets the centre of its band. Every other target is a check, not a fit. Run
`python -m crunchtime.analysis.calibration [--samples N] [--fit] [--fit-salience]`.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from importlib import resources

import yaml
from scipy.optimize import brentq

from crunchtime.analysis.claims import scenario_with_beliefs
from crunchtime.model.scenario import Scenario
from crunchtime.results.simulation import compare, load_plan

FIT_PLAN, FIT_TARGET, WIDTH_RATIO = "rsp", 0.25, 4.0
# the second fitted number (issue 20, sixth round): the unsourced upper end of `danger_salience`, whose lower end
# (today's awareness) is sourced, fitted so that the long-pause check meets the centre of its band
SALIENCE_LOW, SALIENCE_TARGET = 0.3, 0.08


@dataclass(frozen=True)
class Target:
    """A published band the model's value should fall in."""

    quantity: str
    low: float
    high: float
    source: str
    scenario_actors: tuple = ()  # actor overrides ((name, field, value), ...) on `default`
    plan: str = "rsp"
    outcome: str = "catastrophe"  # an exclusive outcome, or an event name (e.g. any long coordinated pause)


TARGETS = (
    Target(
        "P(catastrophe), status quo (rsp)",
        0.18,
        0.35,
        "Greenblatt 2025, Plans C-D (20%, 45%); ESPAI 2023 mean 16%; Christiano 2023 22%",
    ),
    Target("P(catastrophe), build faster", 0.35, 0.75, "Greenblatt 2025, Plans D-E (45%, 75%)", plan="build-faster"),
    Target(
        "P(catastrophe), 36-month lead spent on safety",
        0.05,
        0.20,
        "Greenblatt 2025, Plans A-B (7% with ~10 years, 13% with 1-3 years)",
        scenario_actors=(
            ("Frontier Lab A", "lag_months", "normal(36, 1.5)"),
            ("Frontier Lab B", "lag_months", "normal(38, 1.5)"),
            ("Open-weights follower", "lag_months", "40 to 48"),
        ),
        plan="spend-the-lead",
    ),
    Target(
        "P(a long coordinated pause at any time), essay's plan",
        0.01,
        0.15,
        "Greenblatt 2025: Plan A world (international slowdown) 5%",
        plan="clymer",
        outcome="coordinated_pause",
    ),
)


def _scenario(exposure_low: float | None, actors: tuple = (), salience_high: float | None = None) -> Scenario:
    params = (
        {} if exposure_low is None else {"exposure_months": f"{exposure_low:.4g} to {exposure_low * WIDTH_RATIO:.4g}"}
    )
    if salience_high is not None:
        params["danger_salience"] = f"uniform({SALIENCE_LOW:.4g}, {salience_high:.4g})"
    acts: dict[str, dict] = {}
    for name, field, value in actors:
        acts.setdefault(name, {})[field] = value
    return scenario_with_beliefs("default", {"parameters": params, "actors": acts}, source="calibration")


def measure(
    target: Target,
    samples: int,
    seed: int,
    exposure_low: float | None = None,
    metric: str | None = None,
    salience_high: float | None = None,
) -> tuple[float, float]:
    """The model's value for a target (or for `metric` on the target's run) and its Monte Carlo standard error."""
    scenario = _scenario(exposure_low, target.scenario_actors, salience_high)
    res = compare(scenario, [load_plan(target.plan)], samples=samples, seed=seed)
    r = next(iter(res.results.values()))
    metric = metric or target.outcome
    x = r.events[metric].astype(float) if metric in r.events else r.indicator(metric)
    return float(x.mean()), float(x.std(ddof=1) / math.sqrt(samples))


def fit_exposure(samples: int = 2000, seed: int = 7) -> float:
    """Lower end of `exposure_months` at which rsp's P(catastrophe) on default equals FIT_TARGET (CRN, brentq)."""
    goal = next(t for t in TARGETS if t.plan == FIT_PLAN)
    return math.exp(
        brentq(
            lambda lo: measure(goal, samples, seed, math.exp(lo))[0] - FIT_TARGET,
            math.log(6.0),
            math.log(400.0),
            xtol=0.02,
        )
    )


def fit_salience(samples: int = 2000, seed: int = 7) -> float:
    """Upper end of `danger_salience` (lower end SALIENCE_LOW) at which the long-pause check under the essay's
    plan on default equals SALIENCE_TARGET, the centre of its band (CRN, brentq on the upper end)."""
    goal = next(t for t in TARGETS if t.outcome == "coordinated_pause")
    return brentq(
        lambda hi: measure(goal, samples, seed, salience_high=hi)[0] - SALIENCE_TARGET,
        SALIENCE_LOW + 0.01,
        0.9,
        xtol=0.005,
    )


def current_exposure() -> str:
    """The `exposure_months` entry of the built-in default scenario."""
    text = (resources.files("crunchtime.model.scenarios") / "default.yaml").read_text()
    return str(yaml.safe_load(text)["parameters"]["exposure_months"])


def table(samples: int, seed: int) -> str:
    """Markdown table: each target, its band and source, the model's value with a 95% interval; for a
    catastrophe target also the value with the risk left at the horizon (docs/model.md), and for the pause
    target the world's outcome `coordinated_pause` (a pause, first, in a world without catastrophe)."""
    from crunchtime.results.result import HORIZON_RISK_MONTHS, WITH_HORIZON_RISK

    rows = [
        ("| quantity | target band | source | model (95% interval) | inside | read another way (95% interval) |"),
        "|---|---|---|---|---|---|",
    ]
    for t in TARGETS:
        p, se = measure(t, samples, seed)
        inside = "yes" if t.low <= p <= t.high else "no"
        other, label = (
            (WITH_HORIZON_RISK, f"with {HORIZON_RISK_MONTHS} months after the horizon")
            if t.outcome == "catastrophe"
            else ("world:coordinated_pause", "the world's outcome")
        )
        q, qse = measure(t, samples, seed, metric=other)
        rows.append(
            f"| {t.quantity} | {t.low:.0%} – {t.high:.0%} | {t.source} | "
            f"{p:.1%} ({max(p - 1.96 * se, 0):.1%} – {p + 1.96 * se:.1%}) | {inside} | "
            f"{label}: {q:.1%} ({max(q - 1.96 * qse, 0):.1%} – {q + 1.96 * qse:.1%}) |"
        )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fit", action="store_true", help="refit exposure_months (prints the new default.yaml entry)")
    ap.add_argument(
        "--fit-salience",
        action="store_true",
        help="refit danger_salience's upper end (prints the new params.py default)",
    )
    a = ap.parse_args()
    if a.fit:
        lo = fit_exposure()
        print(f"fitted exposure_months: {lo:.3g} to {lo * WIDTH_RATIO:.3g}")
    if a.fit_salience:
        hi = fit_salience()
        print(f"fitted danger_salience: uniform({SALIENCE_LOW:.2g}, {hi:.2f})")
    print(f"default.yaml exposure_months: {current_exposure()}; {a.samples} trajectories, seed {a.seed}\n")
    print(table(a.samples, a.seed))


if __name__ == "__main__":
    main()
