"""Which beliefs decide the answer: Sobol' indices over the scenario's beliefs, and where a preferred plan switches.

Method (docs/analysis.md, "Sensitivity"):

1. Saltelli's Sobol' design (SALib) on the unit cube of the chosen parameters, each column mapped through
   its belief's quantile function (`crunchtime.model.design.from_unit`), so the indices are with respect to the
   user's own beliefs. Each Saltelli matrix (A, AB_1..AB_d, B) is one `sim.compare` call on the same seed
   (both plans when `versus` is given: the output is then the paired difference plan - versus), so row j
   of every matrix keeps trajectory j's shocks and the beliefs left out of the design: A_j - AB_ij moves
   parameter i alone, and the simulator's own randomness is not read as an effect of every parameter.
2. The simulator is stochastic beyond the beliefs, so part of the output variance belongs to no belief.
   Each row is run `replicates` times (averaged) on different shocks; their spread (or, with one replicate,
   a probe of the A rows on a fresh seed) gives the noise variance and its share of the output variance
   (`noise.share`), reported beside the indices: the parameters' indices share the rest.
3. Switch points (with `versus`): for the top parameters by ST, a one-dimensional sweep over the belief's
   5%..95% quantiles, the other beliefs drawn as usual and common random numbers across grid points; the
   paired difference with its 95% interval at each point, and where it crosses zero.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.results import simulation as sim
from crunchtime.model import design as _design
from crunchtime.analysis.common import METRICS, Progress, Stopwatch, check_whole, mean_ci, package, per_trajectory
from crunchtime.errors import ArgumentError, InputError

#: what to run when SALib is missing
INSTALL_HINT = 'SALib is needed for sensitivity analysis: pip install "crunchtime[sensitivity]"'
#: two-sided 95% normal quantile, for the intervals
Z95 = 1.959963984540054
#: SALib bootstrap resamples for the intervals (its default; the interval's own Monte Carlo error is ~7%)
BOOTSTRAP_RESAMPLES = 100
#: the belief quantiles a switch-point sweep spans by default: the central 90%, where the belief puts its weight
SWEEP_RANGE = (0.05, 0.95)
#: below this share of output variance left to the beliefs, the result says they are drowned in noise
MIN_SIGNAL_SHARE = 0.02
#: trajectories per worker below which a compare call runs in one process: spawning a pool costs about
#: 2 s (each worker imports numpy and the model), about what one process needs for ~1000 trajectories
PARALLEL_MIN = 1024
#: limits of the arguments (each bounds memory and run time, not the method)
MAX_BASE_SAMPLES = 2**16
MAX_REPLICATES = 256
MAX_SWEEP_POINTS = 101
MAX_SWITCH_TOP = 100
MAX_SWEEP_SAMPLES = 1_000_000
#: salts that keep the streams of this analysis apart (SALib's scrambling, its bootstrap, the sweeps)
_SALT_SAMPLE, _SALT_BOOTSTRAP, _SALT_SWEEP, _SALT_PROBE = 1, 2, 3, 4


def _salib() -> tuple[Any, Any]:
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError:
        raise InputError(None, None, INSTALL_HINT) from None
    return sample, analyze


def _stream(seed: int, salt: int) -> int:
    """A non-zero 32-bit seed derived from the run seed (SALib ignores a seed of 0 and goes unseeded)."""
    return int(np.random.SeedSequence([seed, salt]).generate_state(1)[0]) | 1


def _check(plan: Any, versus: Any, base_samples: Any, seed: Any, metric: Any, replicates: Any, switch_top: Any,
           sweep_points: Any, sweep_samples: Any, n_params: int) -> None:
    if n_params < 1:
        raise ArgumentError("parameters", "give at least one uncertain parameter")
    check_whole("base_samples", base_samples, 1, MAX_BASE_SAMPLES)
    check_whole("seed", seed, 0, 2**63 - 1)
    check_whole("replicates", replicates, 1, MAX_REPLICATES)
    check_whole("switch_top", switch_top, 0, MAX_SWITCH_TOP)
    check_whole("sweep_points", sweep_points, 2, MAX_SWEEP_POINTS)
    check_whole("sweep_samples", sweep_samples, 2, MAX_SWEEP_SAMPLES)
    if metric not in METRICS:
        raise ArgumentError("metric", f"must be one of {', '.join(METRICS)}; got {metric!r}")
    if versus is not None and versus.name == plan.name:
        raise ArgumentError("versus", f"must be a different plan from {plan.name!r}")


def _check_range(sweep_range: Any) -> tuple[float, float]:
    """Two belief quantiles 0 < low < high < 1 (the tails 0 and 1 may be infinite)."""
    try:
        low, high = (float(x) for x in sweep_range)
    except (TypeError, ValueError):
        raise ArgumentError("sweep_range", f"give two quantiles low, high; got {sweep_range!r}") from None
    if not 0 < low < high < 1:
        raise ArgumentError("sweep_range", f"needs 0 < low < high < 1, got {low:g}, {high:g}")
    return low, high


def _chunk(samples: int, workers: int) -> int:
    """Chunks as large as the engine likes (DEFAULT_CHUNK), but enough of them to keep every worker busy.

    A call too small to repay starting a pool of worker processes (PARALLEL_MIN per worker) is one chunk,
    which the engine runs in this process.
    """
    if workers <= 1 or samples < workers * PARALLEL_MIN:
        return sim.DEFAULT_CHUNK
    per_worker = -(-samples // workers)
    return int(min(sim.DEFAULT_CHUNK, max(sim.BLOCK, -(-per_worker // sim.BLOCK) * sim.BLOCK)))


def _output(cmp: Any, plan: str, versus: str | None, metric: str) -> np.ndarray:
    """Per-trajectory output: the plan's metric, or the paired difference plan - versus."""
    y = per_trajectory(cmp.results[plan], metric)
    return y - per_trajectory(cmp.results[versus], metric) if versus else y


def _crossing(q: np.ndarray, values: np.ndarray, diff: np.ndarray, lo: np.ndarray, hi: np.ndarray
              ) -> dict[str, Any]:
    """Where the mean difference first changes sign along the sweep (linear interpolation), and how clearly."""
    sign = np.sign(diff)
    flips = np.flatnonzero(sign[:-1] * sign[1:] < 0)
    zeros = np.flatnonzero(sign == 0)
    if flips.size == 0 and zeros.size == 0:
        return {"value": None, "quantile": None, "crossings": 0, "clear": False}
    if zeros.size and (flips.size == 0 or zeros[0] <= flips[0]):
        i, t = int(zeros[0]), 0.0
    else:
        i = int(flips[0])
        t = float(diff[i] / (diff[i] - diff[i + 1]))
    j = min(i + 1, q.size - 1)
    value = float(values[i] + t * (values[j] - values[i]))
    quantile = float(q[i] + t * (q[j] - q[i]))
    below, above = slice(0, i + 1), slice(i + 1 if t > 0 else i, q.size)
    # clear: an interval wholly on one side of zero before the crossing and wholly on the other after it
    clear = bool((np.any(hi[below] < 0) and np.any(lo[above] > 0)) or (np.any(lo[below] > 0) and np.any(hi[above] < 0)))
    return {"value": value, "quantile": quantile, "crossings": int(flips.size + zeros.size), "clear": clear}


def _sweeps(sc: Any, plan: Any, versus: Any, params: Sequence[Any], seed: int, metric: str, points: int,
            samples: int, workers: int, tick: Any, quantiles: tuple[float, float] = SWEEP_RANGE,
            backend: str = "local", address: str | None = None
            ) -> tuple[list[dict[str, Any]], pa.Table]:
    """One-dimensional sweeps of `params` over their beliefs' quantiles, on common random numbers.

    Each grid column is one `sim.compare` call of len(params) * samples trajectories; block k sets parameter k
    to the column's value and the other swept parameters to fixed draws from their beliefs, so trajectory i
    of block k keeps its shocks and its other beliefs in every column. Columns: the valid range's low end,
    the `points` belief quantiles, the valid range's high end (the ends tell whether the answer switches
    beyond what the belief takes seriously).
    """
    q = np.linspace(quantiles[0], quantiles[1], points)
    k = len(params)
    u = np.random.default_rng(_stream(seed, _SALT_SWEEP)).random((k * samples, k))
    base = _design.from_unit(params, u)
    block = np.repeat(np.arange(k), samples)
    grid = np.array([np.r_[p.spec.low, p.ppf(q), p.spec.high] for p in params])  # (k, points + 2)
    diffs = np.empty((k, points + 2, samples))
    for g in range(points + 2):
        design = {p.name: np.where(block == j, grid[j, g], base[p.name]) for j, p in enumerate(params)}
        cmp = sim.compare(sc, [plan, versus], samples=k * samples, seed=seed, workers=workers,
                          chunk_size=_chunk(k * samples, workers), design=design, progress=tick(k * samples),
                          backend=backend, address=address)
        diffs[:, g, :] = _output(cmp, plan.name, versus.name, metric).reshape(k, samples)
    out, rows = [], []
    for j, p in enumerate(params):
        stats = [mean_ci(diffs[j, g]) for g in range(points + 2)]
        mean = np.array([s["value"] for s in stats])
        lo = np.array([s["ci95"][0] for s in stats])
        hi = np.array([s["ci95"][1] for s in stats])
        inner = slice(1, points + 1)
        cross = _crossing(q, grid[j, inner], mean[inner], lo[inner], hi[inner])
        cross["within_belief"] = cross["value"] is not None
        first = _preferred(mean[1], plan.name, versus.name, metric)
        other = versus.name if first == plan.name else plan.name
        if cross["value"] is not None:
            note = (f"{first} is preferred below {cross['value']:.4g} {p.spec.unit}, {other} above"
                    + ("" if cross["clear"] else " (not clear: no interval excludes zero on both sides)"))
        else:
            span = f"{_pct(quantiles[0])}-{_pct(quantiles[1])}"
            note = f"no switch within the belief's {span} range: {first} is ahead throughout"
            beyond = _beyond(grid[j], mean, lo, hi, points)
            if beyond is not None:
                cross.update(beyond)
                side = "below" if beyond["side"] == "low" else "above"
                winner = _preferred(mean[0 if side == "below" else -1], plan.name, versus.name, metric)
                note += (f"; beyond it, {winner} is preferred {side} about {beyond['value']:.4g} {p.spec.unit} "
                         f"(between {grid[j, 0 if side == 'below' else -2]:.4g} and "
                         f"{grid[j, 1 if side == 'below' else -1]:.4g}, interpolated)")
                cross.pop("side")
        out.append({"parameter": p.name, "value": cross["value"], "quantile": cross["quantile"],
                    "within_belief": cross["within_belief"], "clear": cross["clear"], "crossings": cross["crossings"],
                    "unit": p.spec.unit, "note": note,
                    "sweep": [{"value": float(grid[j, g]), "quantile": float(q[g - 1]), "diff": float(mean[g]),
                               "ci95": [float(lo[g]), float(hi[g])]} for g in range(1, points + 1)],
                    "range_ends": [{"value": float(grid[j, g]), "diff": float(mean[g]), "ci95": [float(lo[g]),
                                                                                               float(hi[g])]}
                                   for g in (0, points + 1)]})
        rows += [{"parameter": p.name, "quantile": float(q[g - 1]) if 0 < g <= points else float("nan"),
                  "value": float(grid[j, g]), "diff": float(mean[g]), "lo": float(lo[g]), "hi": float(hi[g]),
                  "within_belief": 0 < g <= points} for g in range(points + 2)]
    schema = pa.schema([("parameter", pa.string()), ("quantile", pa.float64()), ("value", pa.float64()),
                        ("diff", pa.float64()), ("lo", pa.float64()), ("hi", pa.float64()),
                        ("within_belief", pa.bool_())])
    return out, pa.Table.from_pylist(rows, schema=schema)


def _preferred(diff: float, plan: str, versus: str, metric: str) -> str:
    """The plan a paired difference plan - versus favours (lower risk; higher utility)."""
    return plan if (diff < 0) == (metric != "utility") else versus


def _beyond(values: np.ndarray, mean: np.ndarray, lo: np.ndarray, hi: np.ndarray, points: int
            ) -> dict[str, Any] | None:
    """A sign change between a valid range's end and the nearest belief quantile (no switch inside)."""
    for side, (a, b) in (("low", (0, 1)), ("high", (points, points + 1))):
        if values[a] == values[b] or np.sign(mean[a]) == np.sign(mean[b]):
            continue
        t = float(mean[a] / (mean[a] - mean[b])) if mean[a] != mean[b] else 0.0
        inside, end = slice(1, points + 1), (0 if side == "low" else points + 1)
        # clear: some interval inside the belief's range and the end's interval on opposite sides of zero
        clear = bool((np.any(hi[inside] < 0) and lo[end] > 0) or (np.any(lo[inside] > 0) and hi[end] < 0))
        return {"value": float(values[a] + t * (values[b] - values[a])), "quantile": None, "clear": clear,
                "crossings": 1, "within_belief": False, "side": side}
    return None


def _pct(q: float) -> str:
    return f"{100 * q:.3g}%"


class _Ticker:
    """Turns each compare call's chunk progress into trajectories done out of the analysis' total."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def __call__(self, n: int) -> Progress | None:
        if self.progress is None:
            return None
        start = self.done
        self.done += n

        def tick(done: int, chunks: int) -> None:
            self.progress(start + round(n * done / chunks), self.total)  # type: ignore[misc]
        return tick


def sensitivity(scenario: Any, plan: Any, versus: Any = None, base_samples: int = 64, seed: int = 1,
                parameters: Sequence[str] | None = None, metric: str = "catastrophe_risk", replicates: int = 2,
                switch_top: int = 3, sweep_points: int = 9, sweep_samples: int = 512,
                sweep_range: Sequence[float] = SWEEP_RANGE, workers: int = 1, progress: Progress | None = None,
                backend: str = "local", address: str | None = None) -> Any:
    """Which beliefs decide the answer: Sobol' indices over the scenario's beliefs, and switch points.

    A Saltelli/Sobol' design (SALib) over the chosen parameters' belief quantiles, each matrix one paired
    `compare` on common random numbers; first-order (S1) and total (ST) indices with 95% bootstrap
    intervals, and the share of the variance no chosen belief decides (the simulator's own noise,
    estimated from replicates, in `noise`). With `versus`, the indices are of the paired difference plan - versus, and
    the top parameters are swept over their beliefs' 5%..95% quantiles to find where the preferred plan
    switches. Needs the extra `crunchtime[sensitivity]`. Method: docs/analysis.md, "Sensitivity".

    Parameters
    ----------
    scenario : Scenario, str or Path
        Beliefs: a Scenario, a built-in scenario name or a YAML file.
    plan : Plan, str or Path
        The plan whose metric (or difference with `versus`) is analysed.
    versus : Plan, str or Path, optional
        A second plan: analyse the paired difference plan - versus and find switch points.
    base_samples : int
        Sobol' base samples N (a power of two is best); the design has N * (parameters + 2) rows.
    seed : int
        Random seed; the same inputs and seed give identical results, whatever `workers`.
    parameters : sequence of str, optional
        Parameter names (world parameters by name, actor fields as `ACTOR.FIELD`); default: every
        uncertain parameter of the scenario (see `parameters`). The others are drawn as usual.
    metric : str
        `catastrophe_risk` (smooth, default), `catastrophe` (0/1) or `utility`.
    replicates : int
        Trajectories per design row, averaged (more lowers the noise share).
    switch_top : int
        With `versus`: how many top parameters (by ST) to sweep for a switch point (0: none).
    sweep_points, sweep_samples : int
        Grid points of each sweep and paired trajectories at each point.
    sweep_range : (float, float)
        The belief quantiles each sweep spans (default the central 90%: 5% to 95%).
    workers : int
        Processes; results do not depend on it.
    progress : callable(done, total), optional
        Called as trajectories finish.
    backend, address
        Where the simulations run ('local' or 'ray', and the Ray cluster), as for `compare`; results do not
        depend on them.

    Returns
    -------
    AnalysisResult
        kind "sensitivity"; `to_dict()` has `indices` ([{parameter, S1, S1_ci, ST, ST_ci}] sorted by ST),
        `noise`, and with `versus` `switch_points` ([{parameter, value, quantile, sweep: [...]}]); tables
        `indices`, `rows` (the design and each row's output) and `sweeps`.

    Examples
    --------
    >>> res = sensitivity("default", "clymer", base_samples=8, parameters=["safety_difficulty", "eval_noise"])
    >>> sorted(i["parameter"] for i in res.to_dict()["indices"])
    ['eval_noise', 'safety_difficulty']
    """
    clock = Stopwatch()
    sc = scenario if isinstance(scenario, sim.Scenario) else sim.load_scenario(scenario)
    plan_obj = sim.load_plan(plan)
    versus_obj = sim.load_plan(versus) if versus is not None else None
    if isinstance(parameters, str):
        parameters = [s.strip() for s in parameters.split(",") if s.strip()]
    params = _design.select(sc, parameters)
    _check(plan_obj, versus_obj, base_samples, seed, metric, replicates, switch_top, sweep_points, sweep_samples,
           len(params))
    quantiles = _check_range(sweep_range)
    constant = [p.name for p in params if not p.uncertain]
    if constant:
        raise ArgumentError("parameters", f"{constant[0]!r} is a constant in scenario {sc.name!r}; nothing to vary")
    sample, analyze = _salib()

    d = len(params)
    step = d + 2
    rows = base_samples * step
    per_matrix = base_samples * replicates
    probe = base_samples if replicates == 1 else 0
    main_n = rows * replicates + probe
    n_sweep = min(switch_top, d) if versus_obj is not None else 0
    total = main_n + n_sweep * (sweep_points + 2) * sweep_samples
    if per_matrix > sim.MAX_SAMPLES:
        raise ArgumentError("base_samples", f"{base_samples} base samples x {replicates} replicates is more than "
                                            f"{sim.MAX_SAMPLES} trajectories")
    problem = {"num_vars": d, "names": [p.name for p in params], "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings():  # scipy warns when N is not a power of two; the estimates stay valid
        warnings.simplefilter("ignore")
        unit = sample.sample(problem, base_samples, calc_second_order=False, seed=_stream(seed, _SALT_SAMPLE))
    plans = [plan_obj] + ([versus_obj] if versus_obj is not None else [])
    ticker = _Ticker(total, progress)

    def run(points: np.ndarray, run_seed: int) -> np.ndarray:
        """Outputs at design points, each `replicates` times in a row (trajectory j*r+k: row j, replicate k)."""
        n = points.shape[0] * replicates
        cmp = sim.compare(sc, plans, samples=n, seed=run_seed, workers=workers, chunk_size=_chunk(n, workers),
                          design=_design.from_unit(params, np.repeat(points, replicates, axis=0)),
                          progress=ticker(n), backend=backend, address=address)
        return _output(cmp, plan_obj.name, versus_obj.name if versus_obj else None, metric)

    # one call per Saltelli matrix (A, AB_1..AB_d, B), all on the same seed: row j of every matrix keeps the
    # shocks (and the beliefs left out) of trajectory j, so A_j - AB_ij measures parameter i, not noise
    y = np.stack([run(unit[m::step], seed) for m in range(step)])          # (step, N * r)
    rep = y.reshape(step, base_samples, replicates)
    y_rows = rep.mean(axis=2).T.reshape(-1)                                  # SALib's order: row j*step + m
    if np.ptp(y_rows) <= 0:
        raise ArgumentError("versus" if versus_obj else "metric",
                            "the output is the same in every world; there is no variance to attribute")
    # the noise: spread between trajectories of the same design row on different shocks (replicates), or,
    # with one replicate, between the A rows and a probe of the same rows on a fresh seed
    if replicates > 1:
        sigma2 = float(rep.var(axis=2, ddof=1).mean())
        df = step * base_samples * (replicates - 1)
    else:
        again = run(unit[0::step], _stream(seed, _SALT_PROBE))
        sigma2, df = float(np.var(y[0] - again, ddof=1) / 2), base_samples - 1
    # every design row follows the beliefs' distribution, so all rows estimate the output variance (SALib
    # normalises by the A and B rows alone: 2N values, fragile under this metric's heavy tails)
    v_total = float(np.var(y_rows))
    v_ab = float(np.var(np.r_[y_rows[0::step], y_rows[step - 1::step]]))
    share = float(min(sigma2 / replicates / v_total, 1.0))
    share_se = share * float(np.sqrt(2.0 / max(df, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = analyze.analyze(problem, y_rows, calc_second_order=False, num_resamples=BOOTSTRAP_RESAMPLES,
                              conf_level=0.95, seed=_stream(seed, _SALT_BOOTSTRAP))
    raw = {k: np.asarray(raw[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    scaled = {k: v * (v_ab / v_total) for k, v in raw.items()}
    est = {"S1": scaled["S1"], "S1_lo": scaled["S1"] - scaled["S1_conf"], "S1_hi": scaled["S1"] + scaled["S1_conf"],
           "ST": scaled["ST"], "ST_lo": scaled["ST"] - scaled["ST_conf"], "ST_hi": scaled["ST"] + scaled["ST_conf"]}
    order = np.argsort(-est["ST"], kind="stable")
    indices = [{"parameter": params[j].name, "S1": float(est["S1"][j]),
                "S1_ci": [float(est["S1_lo"][j]), float(est["S1_hi"][j])], "ST": float(est["ST"][j]),
                "ST_ci": [float(est["ST_lo"][j]), float(est["ST_hi"][j])]} for j in order]
    raw_list = [{"parameter": params[j].name, "S1": float(raw["S1"][j]),
                 "S1_ci": [float(raw["S1"][j] - raw["S1_conf"][j]), float(raw["S1"][j] + raw["S1_conf"][j])],
                 "ST": float(raw["ST"][j]),
                 "ST_ci": [float(raw["ST"][j] - raw["ST_conf"][j]), float(raw["ST"][j] + raw["ST_conf"][j])]}
                for j in order]
    notes = []
    if 1.0 - share < MIN_SIGNAL_SHARE:
        notes.append(f"averaged over worlds, the chosen parameters explain under {MIN_SIGNAL_SHARE:.0%} of the "
                     "output's variance; their indices are effects within each world (with its shocks), see "
                     "docs/analysis.md")

    tables = {"indices": pa.table({
        "parameter": [params[j].name for j in order],
        **{k: est[k][order] for k in ("S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi")},
        "S1_raw": raw["S1"][order], "S1_raw_conf": raw["S1_conf"][order],
        "ST_raw": raw["ST"][order], "ST_raw_conf": raw["ST_conf"][order]}),
        "rows": pa.table({"row": np.arange(rows), "matrix": _matrix_names(base_samples, d),
                          "output": y_rows, **{p.name: p.ppf(unit[:, j]) for j, p in enumerate(params)}})}
    data: dict[str, Any] = {
        "indices": indices,
        "metric": metric,
        "output": f"{plan_obj.name} - {versus_obj.name}" if versus_obj else plan_obj.name,
        "mean_output": float(y.mean()),
        "parameters": len(params),
        "base_samples": base_samples,
        "replicates": replicates,
        "rows": rows,
        "trajectories": main_n,
        "noise": {"share": share, "share_ci95": [share - Z95 * share_se, share + Z95 * share_se],
                  "per_trajectory_share": float(min(sigma2 / (sigma2 + max(v_total - sigma2 / replicates, 0.0)), 1.0)),
                  "df": df},
        "raw": raw_list,
        "method": "Saltelli/Sobol' design over the beliefs' quantiles (SALib), one call per matrix on common "
                  "random numbers; shares of the variance of all design rows; 95% bootstrap intervals",
        "notes": notes,
    }
    if n_sweep:
        top = [params[j] for j in order[:n_sweep]]
        data["switch_points"], tables["sweeps"] = _sweeps(sc, plan_obj, versus_obj, top, seed, metric, sweep_points,
                                                          sweep_samples, workers, ticker, quantiles,
                                                          backend=backend, address=address)
        data["sweep"] = {"points": sweep_points, "samples": sweep_samples, "range": list(quantiles)}
    data["wall_time_s"] = clock.seconds
    return package("sensitivity", sc, plans, seed, main_n, data, tables, clock)


def _matrix_names(base_samples: int, d: int) -> list[str]:
    """Which Saltelli matrix each design row belongs to: A, AB1..ABd, B (SALib's order, block by block)."""
    one = ["A"] + [f"AB{i + 1}" for i in range(d)] + ["B"]
    return one * base_samples
