"""Sobol' indices from the design's outputs: the simulator's own noise and the variance it is a share of,
SALib's estimates rescaled to that variance, and the result's data and tables (`crunchtime sensitivity`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from crunchtime.analysis.sensitivity_runs import SALT_BOOTSTRAP, SALT_PROBE, stream
from crunchtime.errors import ArgumentError
from crunchtime.results import simulation as sim

#: two-sided 95% normal quantile, for the intervals
Z95 = 1.959963984540054
#: SALib bootstrap resamples for the intervals (its default; the interval's own Monte Carlo error is ~7%)
BOOTSTRAP_RESAMPLES = 100
#: below this share of output variance left to the beliefs, the result says they are drowned in noise
MIN_SIGNAL_SHARE = 0.02


@dataclass(frozen=True)
class Sizes:
    """The design's dimensions and trajectory counts."""

    d: int  # parameters
    base_samples: int  # Sobol' base samples N
    replicates: int
    step: int  # rows per base sample: the matrices A, AB_1..AB_d, B
    rows: int  # design rows, N * step
    main_n: int  # trajectories of the Sobol' design (with the noise probe)
    n_sweep: int  # parameters to sweep for switch points
    total: int  # trajectories of the whole analysis, for progress

    @classmethod
    def of(
        cls, d: int, base_samples: int, replicates: int, switch_top: int, sweep_points: int, sweep_samples: int
    ) -> Sizes:
        """The sizes of an analysis (``switch_top`` 0 without versus); checks one compare call fits."""
        step = d + 2
        rows = base_samples * step
        per_matrix = base_samples * replicates
        probe = base_samples if replicates == 1 else 0
        main_n = rows * replicates + probe
        n_sweep = min(switch_top, d)
        total = main_n + n_sweep * (sweep_points + 2) * sweep_samples
        if per_matrix > sim.MAX_SAMPLES:
            raise ArgumentError(
                "base_samples",
                f"{base_samples} base samples x {replicates} replicates is more than {sim.MAX_SAMPLES} trajectories",
            )
        return cls(d, base_samples, replicates, step, rows, main_n, n_sweep, total)


@dataclass(frozen=True)
class Variance:
    """The output's variance and the part of it that is the simulator's own noise."""

    sigma2: float  # noise variance of one trajectory
    df: int  # its degrees of freedom
    v_total: float  # output variance over all design rows
    v_ab: float  # output variance over the A and B rows (SALib's normaliser)
    share: float  # share of the output variance that is noise
    share_se: float


def noise_and_variance(
    run: Callable[[np.ndarray, int], np.ndarray],
    unit: np.ndarray,
    size: Sizes,
    seed: int,
    y: np.ndarray,
    rep: np.ndarray,
    y_rows: np.ndarray,
) -> Variance:
    """The noise (from replicates, or a probe on a fresh seed) and the output variance it is a share of."""
    step, base_samples, replicates = size.step, size.base_samples, size.replicates
    # the noise: spread between trajectories of the same design row on different shocks (replicates), or,
    # with one replicate, between the A rows and a probe of the same rows on a fresh seed
    if replicates > 1:
        sigma2 = float(rep.var(axis=2, ddof=1).mean())
        df = step * base_samples * (replicates - 1)
    else:
        again = run(unit[0::step], stream(seed, SALT_PROBE))
        sigma2, df = float(np.var(y[0] - again, ddof=1) / 2), base_samples - 1
    # every design row follows the beliefs' distribution, so all rows estimate the output variance (SALib
    # normalises by the A and B rows alone: 2N values, fragile under this metric's heavy tails)
    v_total = float(np.var(y_rows))
    v_ab = float(np.var(np.r_[y_rows[0::step], y_rows[step - 1 :: step]]))
    share = float(min(sigma2 / replicates / v_total, 1.0))
    share_se = share * float(np.sqrt(2.0 / max(df, 1)))
    return Variance(sigma2, df, v_total, v_ab, share, share_se)


def sobol_indices(
    analyze: Any, problem: dict[str, Any], y_rows: np.ndarray, var: Variance, seed: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """SALib's raw S1 and ST with bootstrap half-widths, the rescaled estimates with intervals, order by ST."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = analyze.analyze(
            problem,
            y_rows,
            calc_second_order=False,
            num_resamples=BOOTSTRAP_RESAMPLES,
            conf_level=0.95,
            seed=stream(seed, SALT_BOOTSTRAP),
        )
    raw = {k: np.asarray(out[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    scaled = {k: v * (var.v_ab / var.v_total) for k, v in raw.items()}
    est = {
        "S1": scaled["S1"],
        "S1_lo": scaled["S1"] - scaled["S1_conf"],
        "S1_hi": scaled["S1"] + scaled["S1_conf"],
        "ST": scaled["ST"],
        "ST_lo": scaled["ST"] - scaled["ST_conf"],
        "ST_hi": scaled["ST"] + scaled["ST_conf"],
    }
    order = np.argsort(-est["ST"], kind="stable")
    return raw, est, order


def result_data(
    params: Sequence[Any],
    metric: str,
    plans: list[Any],
    size: Sizes,
    y: np.ndarray,
    var: Variance,
    raw: dict[str, np.ndarray],
    est: dict[str, np.ndarray],
    order: np.ndarray,
) -> dict[str, Any]:
    """The result's data: indices sorted by ST, the noise, SALib's own estimates, the method and notes."""
    indices = [
        {
            "parameter": params[j].name,
            "S1": float(est["S1"][j]),
            "S1_ci": [float(est["S1_lo"][j]), float(est["S1_hi"][j])],
            "ST": float(est["ST"][j]),
            "ST_ci": [float(est["ST_lo"][j]), float(est["ST_hi"][j])],
        }
        for j in order
    ]
    raw_list = [
        {
            "parameter": params[j].name,
            "S1": float(raw["S1"][j]),
            "S1_ci": [float(raw["S1"][j] - raw["S1_conf"][j]), float(raw["S1"][j] + raw["S1_conf"][j])],
            "ST": float(raw["ST"][j]),
            "ST_ci": [float(raw["ST"][j] - raw["ST_conf"][j]), float(raw["ST"][j] + raw["ST_conf"][j])],
        }
        for j in order
    ]
    notes = []
    if 1.0 - var.share < MIN_SIGNAL_SHARE:
        notes.append(
            f"averaged over worlds, the chosen parameters explain under {MIN_SIGNAL_SHARE:.0%} of the "
            "output's variance; their indices are effects within each world (with its shocks), see "
            "docs/analysis.md"
        )
    per_trajectory_share = float(
        min(var.sigma2 / (var.sigma2 + max(var.v_total - var.sigma2 / size.replicates, 0.0)), 1.0)
    )
    return {
        "indices": indices,
        "metric": metric,
        "output": f"{plans[0].name} - {plans[1].name}" if len(plans) > 1 else plans[0].name,
        "mean_output": float(y.mean()),
        "parameters": len(params),
        "base_samples": size.base_samples,
        "replicates": size.replicates,
        "rows": size.rows,
        "trajectories": size.main_n,
        "noise": {
            "share": var.share,
            "share_ci95": [var.share - Z95 * var.share_se, var.share + Z95 * var.share_se],
            "per_trajectory_share": per_trajectory_share,
            "df": var.df,
        },
        "raw": raw_list,
        "method": "Saltelli/Sobol' design over the beliefs' quantiles (SALib), one call per matrix on common "
        "random numbers; shares of the variance of all design rows; 95% bootstrap intervals",
        "notes": notes,
    }


def result_tables(
    params: Sequence[Any],
    size: Sizes,
    unit: np.ndarray,
    y_rows: np.ndarray,
    raw: dict[str, np.ndarray],
    est: dict[str, np.ndarray],
    order: np.ndarray,
) -> dict[str, pa.Table]:
    """The tables `indices` (sorted by ST, with SALib's own estimates) and `rows` (the design and outputs)."""
    return {
        "indices": pa.table(
            {
                "parameter": [params[j].name for j in order],
                **{k: est[k][order] for k in ("S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi")},
                "S1_raw": raw["S1"][order],
                "S1_raw_conf": raw["S1_conf"][order],
                "ST_raw": raw["ST"][order],
                "ST_raw_conf": raw["ST_conf"][order],
            }
        ),
        "rows": pa.table(
            {
                "row": np.arange(size.rows),
                "matrix": _matrix_names(size.base_samples, size.d),
                "output": y_rows,
                **{p.name: p.ppf(unit[:, j]) for j, p in enumerate(params)},
            }
        ),
    }


def _matrix_names(base_samples: int, d: int) -> list[str]:
    """Which Saltelli matrix each design row belongs to: A, AB1..ABd, B (SALib's order, block by block)."""
    one = ["A"] + [f"AB{i + 1}" for i in range(d)] + ["B"]
    return one * base_samples
