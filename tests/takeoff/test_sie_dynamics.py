"""Invariants and exact paths of the SIE dynamics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.takeoff.sie import (
    PAPER_CONDITIONS,
    doubling_times,
    evaluate,
    simulate_sie,
    simulate_sie_arrays,
)
from crunchtime.takeoff.sie_params import SIEParams, sample_chunk, samples_from_arrays

PARAMS = SIEParams()


def test_constant_r_gives_geometric_doubling_times():
    """With r fixed, doubling n takes dt0 * q**n with q = 2**(p (1/r - 1)): times are a geometric series."""
    params = SIEParams(constant_r=True, horizon_months=1e9)
    s = samples_from_arrays(params, speedup=[4.0, 8.0], r0=[2.0, 0.5], limit_years=[2.0, 2.0], p=[0.3, 0.2])
    times = doubling_times(s, params)
    n = np.arange(17)  # D = 2 years * 8 doublings = 16
    for row, dt0, r, p in zip(times, [0.75, 0.375], [2.0, 0.5], [0.3, 0.2]):
        q = 2.0 ** (p * (1 / r - 1))
        np.testing.assert_allclose(row, dt0 * (1 - q**n) / (1 - q), rtol=1e-12)


def test_r_falls_linearly_to_zero_at_the_ceiling():
    """Doubling n+1 takes 2**(p (1/r_n - 1)) times doubling n, r_n = r0 (1 - n/D); stops after ceil(D) doublings."""
    params = SIEParams(horizon_months=1e9)
    s = samples_from_arrays(params, speedup=8.0, r0=[1.5], limit_years=[1.3], p=[0.4])  # D = 10.4
    times = doubling_times(s, params)[0]
    finite = times[np.isfinite(times)]
    assert len(finite) == 12  # t_0 .. t_11: 11 = ceil(10.4) doublings
    dts = np.diff(finite)
    r = 1.5 * (1 - np.arange(1, 11) / 10.4)
    np.testing.assert_allclose(dts[1:] / dts[:-1], 2.0 ** (0.4 * (1 / r - 1)), rtol=1e-12)
    assert dts[0] == pytest.approx(3.0 / 8.0)


def test_horizon_stops_the_simulation():
    params = SIEParams(horizon_months=10.0)
    s = samples_from_arrays(params, speedup=1.0, r0=[1.0], limit_years=[16.0], p=[0.3])  # r < 1 after doubling 1
    times = doubling_times(s, params)[0]
    finite = times[np.isfinite(times)]
    assert finite[-2] < 10.0 <= finite[-1]


def test_no_acceleration_when_r_below_one():
    """r0 <= 1: doubling times never shrink, so a hit needs the initial speed-up alone to be enough."""
    params = SIEParams().with_ranges(r=(0.4, 1.0))
    s = sample_chunk(params, seed=3, chunk_index=0)
    times = doubling_times(s, params)
    with np.errstate(invalid="ignore"):
        dts = np.diff(times, axis=1)
    finite = np.isfinite(dts[:, 1:]) & np.isfinite(dts[:, :-1])
    assert np.all(dts[:, 1:][finite] >= dts[:, :-1][finite] * (1 - 1e-12))
    hits = evaluate(s, params, PAPER_CONDITIONS)
    for j, cond in enumerate(PAPER_CONDITIONS):
        fast_enough = cond.doublings(params) * s.initial_doubling_months <= cond.months * (1 + 1e-12)
        assert not np.any(hits[:, j] & ~fast_enough)


def test_no_feedback_means_constant_pace():
    """p = 0 (AI labour adds nothing): every doubling takes dt0; a hit iff k doublings at dt0 fit in the window."""
    params = SIEParams(horizon_months=1e9)
    rng = np.random.default_rng(0)
    speedup = np.exp(rng.uniform(np.log(2), np.log(32), 2000))
    result = simulate_sie_arrays(speedup, r0=2.0, limit_years=16.0, p=0.0, params=params)
    dt0 = 3.0 / speedup
    for j, cond in enumerate(PAPER_CONDITIONS):
        expected = cond.doublings(params) * dt0 <= cond.months
        np.testing.assert_array_equal(result.hits[:, j], expected)


def test_no_explosion_probability_bounded_by_speedup_alone():
    """With r <= 1 the probability of '3 years in 1 year' cannot exceed P(initial speed-up alone does it)."""
    params = SIEParams().with_ranges(r=(0.4, 0.99))
    p = simulate_sie(8192, 1, params).p
    # 24 doublings in 12 months at constant pace needs speed-up >= 6: P = log(32/6) / log(16)
    assert p[0] <= np.log(32 / 6) / np.log(16) + 4 * np.sqrt(0.25 / 8192)


def _hits(r0, limit_years, speedup, p, params=PARAMS):
    return simulate_sie_arrays(speedup, r0, limit_years, p, params=params).hits


positive = st.floats(0.05, 6.0)


@settings(max_examples=60, deadline=None)
@given(
    r0=positive,
    limit_years=st.floats(1.0, 20.0),
    speedup=st.floats(0.5, 64.0),
    p=st.floats(0.0, 1.0),
    factor=st.floats(1.0, 3.0),
)
def test_monotone_in_r_ceiling_and_speedup(r0, limit_years, speedup, p, factor):
    """Raising r0, the distance to the ceiling or the initial speed-up never turns a hit into a miss."""
    base = _hits(r0, limit_years, speedup, p)
    for better in (
        _hits(r0 * factor, limit_years, speedup, p),
        _hits(r0, limit_years * factor, speedup, p),
        _hits(r0, limit_years, speedup * factor, p),
    ):
        assert not np.any(base & ~better)


def test_monotone_under_common_random_numbers():
    """Same seed, higher r range or farther ceiling: per-sample hits only gain, so probabilities never fall."""
    base = simulate_sie(8192, 7)
    for params in (
        SIEParams().with_ranges(r=(0.5, 4.5)),
        SIEParams().with_ranges(limit_years=(8.0, 20.0)),
    ):
        better = simulate_sie(8192, 7, params)
        assert not np.any(base.hits & ~better.hits)
        assert np.all(better.p >= base.p)
        assert np.any(better.hits & ~base.hits)  # and the change matters
