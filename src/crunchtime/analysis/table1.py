"""`crunchtime table1`: the essay's Table 1 computed by the model, as marginal paired experiments.

For each intervention category (`table1_plans.CATEGORIES`) the base plan gets a small extra share
`step` of Magma's resources put into that category (`table1_plans.variant_plan`): always ("all"), only
before 3x AI R&D speed-up ("early", the preparation phase) or only after it ("late"). Every variant runs
in ONE `sim.compare` with the base plan, so all differences are paired on common random numbers.

Cost is counted in *percentage-point-years* of Magma's resources: the step (in percentage points of
resources) times the months it applies, over twelve; months are counted in the base run, per
trajectory, up to a catastrophe or the horizon (the early phase ends at the `3x_ai_rd` milestone). Each
axis is a ratio of a paired mean difference to the mean cost; the interval is the paired interval of
the numerator divided by the cost, which is treated as fixed (it varies far less than risk does).

1. `safety_per_cost`: reduction in P(catastrophe), in percentage points, per pp-year ("all" variant).
   The estimate uses the smooth per-trajectory `catastrophe_risk`; the 0/1 outcome is reported beside it.
2. `use_to_other_developers`: the same for the catastrophe risk attributed to actors other than Magma
   (the engine's per-trajectory `catastrophe_risk_others`, and 0/1 catastrophes caused by a rival).
3. `benefit_of_acting_early`: per pp-year, the reduction from the early variant minus that from the late
   variant, paired per trajectory: positive means a pp-year before 3x buys more safety than one after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.analysis.common import Progress, Stopwatch, check_whole, mean_ci, package
from crunchtime.analysis.table1_essay import AXES, DEFAULT_STEP, ESSAY, LEVELS, SOURCE_NOTE
from crunchtime.analysis.table1_plans import CATEGORIES, PHASES, REFERENCE, STEP_PARAM, variant_plan
from crunchtime.errors import ArgumentError

#: default extra share of Magma's resources: clymer spends 5% on safety before 3x, so +2 percentage points
#: (+40% of its safety effort) is small enough to stay marginal and large enough to resolve at 2000 pairs
#: the largest step accepted: beyond it the experiment is no longer marginal
MAX_STEP = 0.2
#: model tiers from ranks among the categories: the top share is "high", the bottom share "low"
TIER_SHARE = 0.4
#: what each axis's value means, for tables and the report
UNITS = "percentage points of P(catastrophe) avoided per percentage-point-year of Magma's resources"


def _risk(res: Any) -> dict[str, np.ndarray]:
    """Per-trajectory metrics: smooth and 0/1 risk, in total and attributed to actors other than Magma."""
    from crunchtime.model.state import OUTCOMES

    dead = (res.outcome == OUTCOMES.index("catastrophe")).astype(float)
    return {
        "risk": np.asarray(res.scalars["catastrophe_risk"], float),
        "risk_others": np.asarray(res.scalars["catastrophe_risk_others"], float),
        "cat": dead,
        "cat_others": dead * (res.cat_actor > 0),
    }


def _months(res: Any) -> dict[str, np.ndarray]:
    """Months each phase lasts per trajectory in the base run (to a catastrophe or the horizon)."""
    from crunchtime.model.state import MILESTONES, OUTCOMES

    horizon = res.scenario.horizon_months
    dead = res.outcome == OUTCOMES.index("catastrophe")
    live = np.where(dead, res.outcome_month + 1.0, float(horizon))
    at_3x = res.milestones[:, MILESTONES.index("3x_ai_rd")]
    early = np.minimum(np.where(np.isnan(at_3x), float(horizon), at_3x + 1.0), live)
    return {"all": live, "early": early, "late": live - early}


def _summ(x: np.ndarray) -> dict[str, Any]:
    """mean_ci of a per-trajectory probability per pp-year, in percentage points."""
    x = 100.0 * np.asarray(x, dtype=float)
    if not np.isfinite(x).all():  # a phase that never happens (e.g. no world reaches 3x): no value
        return {"value": None, "ci95": [None, None], "se": None}
    m = mean_ci(x)
    return {"value": m["value"], "ci95": m["ci95"], "se": m["se"]}


def _per_unit(
    base: Mapping[str, np.ndarray], variant: Mapping[str, Mapping[str, np.ndarray]], per: Mapping[str, float]
) -> dict[str, Any]:
    """Per trajectory, for each axis, risk avoided (base minus variant) per pp-year of the extra share."""
    gain = {ph: {m: base[m] - variant[ph][m] for m in base} for ph in PHASES}

    def unit(ph: str, m: str) -> np.ndarray:
        return gain[ph][m] / per[ph] if per[ph] > 0 else np.full(base[m].shape, np.nan)

    return {
        "safety_per_cost": {"risk": unit("all", "risk"), "cat": unit("all", "cat")},
        "use_to_other_developers": {"risk": unit("all", "risk_others"), "cat": unit("all", "cat_others")},
        "benefit_of_acting_early": {
            "risk": unit("early", "risk") - unit("late", "risk"),
            "cat": unit("early", "cat") - unit("late", "cat"),
        },
        "_early": unit("early", "risk"),
        "_late": unit("late", "risk"),
    }


def _tiers(values: Mapping[str, float]) -> dict[str, str]:
    """high / medium / low from each category's rank on one axis (TIER_SHARE at each end)."""
    order = sorted(values, key=lambda k: -values[k])
    n = len(order)
    cut = max(1, round(TIER_SHARE * n))
    return {k: "high" if i < cut else "low" if i >= n - cut else "medium" for i, k in enumerate(order)}


def _spearman(model: Mapping[str, float], essay: Mapping[str, str | None]) -> float | None:
    """Spearman rank correlation between model values and essay ratings (ties averaged); None if undefined."""
    rated = {k: r for k, r in essay.items() if r is not None}
    if len(rated) < 3 or len(set(rated.values())) < 2 or any(model[k] is None for k in rated):
        return None
    from scipy.stats import spearmanr

    rho = spearmanr([model[k] for k in rated], [LEVELS[r] for r in rated.values()]).statistic
    return None if not np.isfinite(rho) else float(rho)


def _check_step(step: Any) -> float:
    if (
        isinstance(step, bool)
        or not isinstance(step, (int, float))
        or not np.isfinite(step)
        or not 0 < step <= MAX_STEP
    ):
        raise ArgumentError(
            "step", f"must be a number in (0, {MAX_STEP:g}] (a share of Magma's resources), got {step!r}"
        )
    return float(step)


def table1(
    scenario: Any = "default",
    plan: Any = "clymer",
    samples: int = 2000,
    seed: int = 1,
    step: float = DEFAULT_STEP,
    workers: int = 1,
    progress: Progress | None = None,
    backend: str = "local",
    address: str | None = None,
):
    """The essay's Table 1 computed by the model: three marginal paired experiments per intervention category.

    Each category (nonproliferation, safety distribution, governance and communication, AI defense, and
    alignment, control and evaluation research) gets `step` more of Magma's resources, taken from capability
    work, always, only before 3x AI R&D speed-up, or only after it; every variant runs on the base plan's
    worlds and shocks (common random numbers). See docs/analysis.md, "Table 1".

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        The base plan; its safety knobs are rewritten as data, its other knobs kept exactly.
    samples : int
        Trajectories per plan (the base and each of the 15 variants).
    seed : int
        Random seed; the same inputs and seed give identical results.
    step : float
        The extra share of Magma's resources, in (0, 0.2].
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each chunk.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        Kind "table1"; `to_dict()["rows"]` has one row per category with `safety_per_cost`,
        `use_to_other_developers` and `benefit_of_acting_early` (each `value`, `ci95`, in percentage points of
        P(catastrophe) per percentage-point-year of resources) and the essay's ratings (`essay`).

    Examples
    --------
    >>> res = table1("default", "clymer", samples=256, seed=1)  # doctest: +SKIP
    >>> [r["category"] for r in res.to_dict()["rows"]][:2]  # doctest: +SKIP
    ['nonproliferation', 'safety_distribution']
    """
    from crunchtime.results import simulation as sim

    step = _check_step(step)
    check_whole("samples", samples, 2, sim.MAX_SAMPLES)
    clock = Stopwatch()
    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    base = sim.load_plan(plan)
    groups = (*CATEGORIES, REFERENCE)
    variants = {(c.key, ph): variant_plan(base, c, ph, step) for c in groups for ph in PHASES}
    cmp = sim.compare(
        sc,
        [base, *variants.values()],
        samples=samples,
        seed=seed,
        workers=workers,
        progress=progress,
        backend=backend,
        address=address,
    )
    b = _risk(cmp[base.name])
    months = _months(cmp[base.name])
    per = {ph: step * 100 * float(months[ph].mean()) / 12 for ph in PHASES}  # pp-years of the step, on average
    # per trajectory and axis: risk avoided per pp-year (the 0/1 versions beside the smooth ones)
    units = {c.key: _per_unit(b, {ph: _risk(cmp[variants[(c.key, ph)].name]) for ph in PHASES}, per) for c in groups}
    rows = [
        {
            "category": c.key,
            "label": c.label,
            "areas": list(c.areas),
            **{ax: _axis(units, c.key, ax) for ax in AXES},
            "essay": {ax: dict(ESSAY[c.key][ax]) for ax in AXES},
        }
        for c in CATEGORIES
    ]
    reference = {
        "category": REFERENCE.key,
        "label": REFERENCE.label,
        **{ax: _axis(units, REFERENCE.key, ax) for ax in AXES},
    }
    agreement, flat = _judge(rows)
    data = {
        "base_plan": base.name,
        "step": step,
        "units": UNITS,
        "cost_pp_years": {ph: per[ph] for ph in PHASES},
        "rows": rows,
        "reference": reference,
        "agreement": agreement,
        "essay_source": SOURCE_NOTE,
        "step_param": STEP_PARAM,
    }
    table = pa.Table.from_pylist(flat, schema=TABLE_SCHEMA)
    return package("table1", sc, [base, *variants.values()], seed, samples, data, {"table1": table}, clock)


#: the flat table: one row per category and axis, with the essay's rating and the model's tier
TABLE_SCHEMA = pa.schema(
    [
        ("category", pa.string()),
        ("axis", pa.string()),
        ("value", pa.float64()),
        ("lo", pa.float64()),
        ("hi", pa.float64()),
        ("essay", pa.string()),
        ("model_tier", pa.string()),
        ("agrees", pa.bool_()),
        ("vs_reference", pa.float64()),
        ("vs_lo", pa.float64()),
        ("vs_hi", pa.float64()),
    ]
)


def _axis(units: dict[str, Any], key: str, ax: str) -> dict[str, Any]:
    """One category's summary on one axis: smooth and 0/1 values, the difference from the reference category,
    and for the benefit of acting early its early and late halves."""
    u = units[key][ax]
    out = {**_summ(u["risk"]), "catastrophe_01": _summ(u["cat"])}
    if key != REFERENCE.key:
        out["vs_reference"] = _summ(u["risk"] - units[REFERENCE.key][ax]["risk"])
    if ax == "benefit_of_acting_early":
        out.update(early=_summ(units[key]["_early"]), late=_summ(units[key]["_late"]))
    return out


def _judge(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Rank the categories into the essay's tiers on each axis, mark each row's agreement with the essay (in
    place on `rows`, which this module built), and return the agreement per axis and the flat table's rows."""
    agreement: dict[str, Any] = {}
    flat: list[dict[str, Any]] = []
    for ax in AXES:
        values = {r["category"]: r[ax]["value"] for r in rows}
        tiers = _tiers(values) if None not in values.values() else {k: None for k in values}
        ratings = {r["category"]: r["essay"][ax]["rating"] for r in rows}
        for r in rows:
            cell, rating, tier = r[ax], ratings[r["category"]], tiers[r["category"]]
            cell["model_tier"] = tier
            cell["agrees"] = None if rating is None or tier is None else tier == rating
            flat.append(
                {
                    "category": r["category"],
                    "axis": ax,
                    "value": cell["value"],
                    "lo": cell["ci95"][0],
                    "hi": cell["ci95"][1],
                    "essay": rating,
                    "model_tier": tier,
                    "agrees": cell["agrees"],
                    "vs_reference": cell["vs_reference"]["value"],
                    "vs_lo": cell["vs_reference"]["ci95"][0],
                    "vs_hi": cell["vs_reference"]["ci95"][1],
                }
            )
        judged = [r[ax]["agrees"] for r in rows if r[ax]["agrees"] is not None]
        agreement[ax] = {"spearman": _spearman(values, ratings), "agree": sum(judged), "rated": len(judged)}
    return agreement, flat
