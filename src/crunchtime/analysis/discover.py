"""Scenario discovery: boxes in belief space where a plan fails, or loses to another plan (PRIM).

The Patient Rule Induction Method (Friedman & Fisher 1999) as used for scenario discovery (Bryant &
Lempert 2010), run by EMA Workbench's implementation (Kwakkel 2017; the `discover` extra). We never
hand-write PRIM: this module only draws the worlds, scores them, and picks boxes off the library's
peeling trajectory by a stated rule.

1. Worlds: a Latin hypercube of `samples` points in the unit cube over the chosen parameters (default:
   every uncertain parameter of the scenario), mapped through each belief's quantile function
   (`crunchtime.model.design.from_unit`). So each world's belief values X are known; parameters left out are
   drawn from the scenario as usual.
2. One `sim.compare` runs the plan (and, with `versus`, the other plan, paired on common random
   numbers) on those worlds.
3. Score: each world's smooth `catastrophe_risk` under the plan (the sum over months of the chance of
   catastrophe given its history, an unbiased and far less noisy estimate than the 0/1 outcome), or with
   `versus` the paired difference risk(plan) - risk(versus). A world is a case of interest when its score
   is above `threshold`: by default risk > 0.5 ("this plan more likely than not ends in catastrophe
   here") or difference > 0 ("this plan is riskier than the other here").
4. PRIM peels the cube towards the cases; on its peeling trajectory (coverage against density) we take
   the box with the largest coverage x density among those whose density is at least `min_density` (if
   none reaches it, among all; see `choose`). Restrictions that chance explains (quasi-p-value above
   QP_MAX on every restricted side) are then dropped from it, and the box is reported with its own
   coverage and density, flagged `meets_min_density: false` if below the goal. Further boxes are sought
   on the worlds outside the boxes found (the covering approach), while each new box still reaches
   `min_density` after its pruning, up to `max_boxes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from scipy.stats import qmc

from crunchtime.analysis.common import Stopwatch, check_whole, mean_ci, package, per_trajectory
from crunchtime.analysis.discover_boxes import PASTE_ALPHA, PEELING_SCHEMA, QP_MAX, find_boxes, prim_module
from crunchtime.analysis.result import AnalysisResult
from crunchtime.errors import ArgumentError
from crunchtime.model import design

Progress = Callable[[int, int], None]


#: a world is a case of interest when its catastrophe risk under the plan exceeds this: more likely than not
#: a catastrophe in that world (risk is a probability; values above 1 are the unbiased estimator's noise)
DEFAULT_RISK_THRESHOLD = 0.5
#: with `versus`: a world is a case of interest when the plan's risk exceeds the other plan's by more than
#: this, i.e. the plan is strictly riskier there (exact ties, where neither plan meets any hazard, are not)
DEFAULT_LOSS_MARGIN = 0.0
#: the box rule's density goal: at least this share of a box's worlds are cases; half
#: is Bryant & Lempert's (2010) "a majority of the box is of interest", readable and usually reachable
DEFAULT_MIN_DENSITY = 0.5
#: PRIM's peeling fraction per step (Friedman & Fisher 1999 recommend 0.05-0.10; EMA Workbench uses 0.05)
DEFAULT_PEEL_ALPHA = 0.05
#: the smallest box as a share of the worlds (EMA Workbench's default: a box of fewer worlds says little)
DEFAULT_MIN_MASS = 0.05
#: boxes reported at most: past three, boxes usually cover few cases and are read as noise
DEFAULT_MAX_BOXES = 3
MAX_BOXES = 10
#: fewer worlds than this cannot carry a 5% box of a few dozen worlds
MIN_SAMPLES = 100
#: tag of the Latin hypercube's random stream, apart from the engine's streams of the same seed
DESIGN_STREAM = 0xD15C


def library_version() -> str:
    """The version of EMA Workbench doing the PRIM work (provenance)."""
    from importlib.metadata import version

    return version("ema_workbench")


def _check_fraction(name: str, value: Any, low: float, high: float) -> float:
    ok = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool) and low < value <= high
    if not ok or not np.isfinite(value):
        raise ArgumentError(name, f"must be a number in ({low:g}, {high:g}], got {value!r}")
    return float(value)


def worlds(params: Sequence[Any], samples: int, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A Latin hypercube of `samples` points over `params`: (unit points, design of belief values)."""
    rng = np.random.default_rng([seed, DESIGN_STREAM])
    u = qmc.LatinHypercube(d=len(params), seed=rng).random(samples)
    return u, design.from_unit(params, u)


def cases(result: Any, plan: str, versus: str | None, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-world score (risk, or paired risk difference) and the 0/1 cases of interest (score > threshold)."""
    score = per_trajectory(result.results[plan], "catastrophe_risk")
    if versus is not None:
        score = score - per_trajectory(result.results[versus], "catastrophe_risk")
    return score, (score > threshold).astype(int)


def discover(
    scenario: Any,
    plan: Any,
    versus: Any = None,
    samples: int = 2000,
    seed: int = 1,
    parameters: Sequence[str] | None = None,
    threshold: float | None = None,
    min_density: float = DEFAULT_MIN_DENSITY,
    peel_alpha: float = DEFAULT_PEEL_ALPHA,
    min_mass: float = DEFAULT_MIN_MASS,
    max_boxes: int = DEFAULT_MAX_BOXES,
    workers: int = 1,
    backend: str = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Find boxes in belief space where a plan fails, or loses to another plan (PRIM scenario discovery).

    Draws `samples` worlds as a Latin hypercube over the chosen beliefs, runs the plan (and `versus`, paired
    on common random numbers) on them, marks each world whose smooth catastrophe risk (or risk difference)
    is above `threshold` as a case of interest, and peels boxes with EMA Workbench's PRIM. A box is the step
    of the peeling trajectory with the largest coverage x density among those whose density reaches
    `min_density`, with restrictions that chance explains (quasi-p-value above 0.05) dropped; further boxes
    cover the remaining cases. See
    docs/analysis.md ("Scenario discovery"). Needs the `discover` extra (`pip install "crunchtime[discover]"`).

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs.
    plan : Plan, str or Path
        The plan whose failures (or losses) are sought.
    versus : Plan, str or Path, optional
        Seek the worlds where `plan` is riskier than this plan instead.
    samples : int
        Worlds (trajectories per plan), at least 100.
    seed : int
        Seed of the worlds' design and of the simulation; the same seed gives identical boxes.
    parameters : sequence of str or str, optional
        Beliefs to vary (names as in `parameters`; comma-separated text accepted); default: every uncertain
        one. The others are drawn from the scenario as usual.
    threshold : float, optional
        A world is a case when its score exceeds this: catastrophe risk (default 0.5), or with `versus` the
        paired risk difference plan - versus (default 0: strictly riskier).
    min_density : float
        The density a box should reach (share of its worlds that are cases), in (0, 1].
    peel_alpha : float
        Share of worlds peeled per PRIM step, in (0, 0.5].
    min_mass : float
        Smallest box as a share of the worlds, in (0, 1].
    max_boxes : int
        Boxes at most, 1..10.
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called after each simulated chunk.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        kind "discover"; `to_dict()["boxes"]` lists each box's `limits` ({parameter: [lo, hi]}, restricted
        parameters only), `coverage`, `density`, `mass` and per-parameter detail with quasi-p-values;
        `tables["peeling"]` holds the peeling trajectories, `tables["worlds"]` the worlds and their scores.

    Examples
    --------
    >>> res = discover("default", "clymer", samples=500, parameters=["safety_difficulty", "eval_noise"])  # doctest: +SKIP
    >>> res.to_dict()["boxes"][0]["limits"]  # doctest: +SKIP
    {'safety_difficulty': [0.9, 83.1]}
    """
    from crunchtime.results import simulation as sim

    clock = Stopwatch()
    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    plan_obj = sim.load_plan(plan)
    other = sim.load_plan(versus) if versus is not None else None
    if other is not None and other.name == plan_obj.name:
        raise ArgumentError("versus", f"must be another plan than {plan_obj.name!r}")
    samples = check_whole("samples", samples, MIN_SAMPLES, sim.MAX_SAMPLES)
    seed = check_whole("seed", seed, 0, 2**63 - 1)
    settings = _settings(min_density, peel_alpha, min_mass, max_boxes)
    threshold = _threshold(threshold, other is not None)
    params = _varied(sc, parameters)
    prim_module()  # a missing extra fails before any simulation

    _, grid = worlds(params, samples, seed)
    plans = [plan_obj] + ([other] if other is not None else [])
    bar = _Bar(progress, settings["max_boxes"])
    result = sim.compare(
        sc,
        plans,
        samples=samples,
        seed=seed,
        workers=workers,
        progress=bar.simulated,
        design=grid,
        backend=backend,
        address=address,
    )
    versus_name = other.name if other is not None else None
    score, y = cases(result, plan_obj.name, versus_name, threshold)
    names = [p.name for p in params]
    x = np.column_stack([grid[n] for n in names])
    units = {p.name: p.spec.unit for p in params}
    boxes, peeling = (
        ([], PEELING_SCHEMA.empty_table())
        if y.min() == y.max()  # no contrast: no box
        else find_boxes(
            x,
            y,
            names,
            units,
            settings["min_density"],
            settings["peel_alpha"],
            settings["min_mass"],
            settings["max_boxes"],
            bar.searched,
        )
    )
    bar.done()
    data = {
        "plan": plan_obj.name,
        "versus": versus_name,
        "case": _case_text(plan_obj.name, versus_name, threshold),
        "threshold": threshold,
        "base_rate": float(y.mean()),
        "cases": int(y.sum()),
        "score_mean": mean_ci(score),
        "boxes": boxes,
        "coverage_total": float(sum(b["coverage"] for b in boxes)),
        "note": _note(y, boxes),
        "parameters": names,
        "units": units,
        "settings": {**settings, "design": "latin hypercube", "library": f"ema_workbench {library_version()}"},
    }
    worlds_table = pa.table({**{n: x[:, j] for j, n in enumerate(names)}, "score": score, "case": y.astype(bool)})
    return package("discover", sc, plans, seed, samples, data, {"peeling": peeling, "worlds": worlds_table}, clock)


def _settings(min_density: float, peel_alpha: float, min_mass: float, max_boxes: int) -> dict[str, Any]:
    """The checked PRIM settings (`to_dict()["settings"]` adds the design and the library)."""
    return {
        "min_density": _check_fraction("min_density", min_density, 0.0, 1.0),
        "peel_alpha": _check_fraction("peel_alpha", peel_alpha, 0.0, 0.5),
        "paste_alpha": PASTE_ALPHA,
        "min_mass": _check_fraction("min_mass", min_mass, 0.0, 1.0),
        "max_boxes": check_whole("max_boxes", max_boxes, 1, MAX_BOXES),
    }


def _threshold(threshold: Any, paired: bool) -> float:
    """The case threshold: the given finite number, or the default for risk (or, `paired`, risk difference)."""
    if threshold is None:
        return DEFAULT_LOSS_MARGIN if paired else DEFAULT_RISK_THRESHOLD
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not np.isfinite(threshold):
        raise ArgumentError("threshold", f"must be a finite number, got {threshold!r}")
    return float(threshold)


def _varied(sc: Any, parameters: Sequence[str] | str | None) -> list[Any]:
    """The uncertain beliefs to vary (comma-separated text accepted); a constant or an empty choice is an error."""
    if isinstance(parameters, str):
        parameters = [p.strip() for p in parameters.split(",") if p.strip()]
    params = design.select(sc, parameters)
    constant = [p.name for p in params if not p.uncertain]
    if constant:
        raise ArgumentError(
            "parameters",
            f"{constant[0]!r} is a constant in scenario {sc.name!r}; discovery varies uncertain parameters only",
        )
    if not params:
        raise ArgumentError("parameters", f"scenario {sc.name!r} has no uncertain parameter to vary")
    return list(params)


class _Bar:
    """One progress bar over the simulated chunks, then over the PRIM searches (one step per box sought)."""

    def __init__(self, progress: Progress | None, searches: int) -> None:
        self.progress, self.searches, self.chunks = progress, searches, 0

    def simulated(self, done: int, total: int) -> None:
        self.chunks = total
        if self.progress is not None:
            self.progress(done, total + self.searches)

    def searched(self, k: int) -> None:
        if self.progress is not None:
            self.progress(self.chunks + k, self.chunks + self.searches)

    def done(self) -> None:
        self.searched(self.searches)


def _case_text(plan: str, versus: str | None, threshold: float) -> str:
    """What makes a world a case, in words a reader can check."""
    if versus is None:
        return f"catastrophe_risk({plan}) > {threshold:g}"
    return f"catastrophe_risk({plan}) - catastrophe_risk({versus}) > {threshold:g}"


def _note(y: np.ndarray, boxes: list[dict[str, Any]]) -> str:
    """Why no box was reported (empty when there are boxes)."""
    if boxes:
        return ""
    if y.min() == 1:
        return "every world is a case"
    if y.max() == 0:
        return "no world is a case"
    return (
        f"no box restricts a belief with a quasi-p-value at most {QP_MAX:g}: chance explains what PRIM "
        "found (try more samples or fewer parameters)"
    )
