"""Continuous-time form of the SIE model: exact growth law and agreement with the doubling recurrence."""

from __future__ import annotations

import numpy as np

from crunchtime.takeoff.sie import doubling_times
from crunchtime.takeoff.sie_continuous import growth_rate, step_time
from crunchtime.takeoff.sie_params import SIEParams, samples_from_arrays


def test_constant_r_matches_closed_form():
    """r fixed: g(s) = g0 2**(c s), c = p (1 - 1/r), so s(t) = -log2(1 - c ln2 g0 t) / c."""
    params = SIEParams(constant_r=True)
    s0 = samples_from_arrays(params, speedup=[8.0, 3.0], r0=[2.0, 0.7], limit_years=[16.0, 16.0], p=[0.3, 0.4])
    g0, c = 8.0 / 3.0, 0.3 * (1 - 1 / 2.0)
    s, dt = np.zeros(2), 0.01
    for _ in range(100):  # one month
        s = step_time(s, dt, s0, params)
    expected = -np.log2(1 - c * np.log(2) * g0 * 1.0) / c
    assert abs(s[0] - expected) < 1e-9


def test_growth_rate_law_and_ceiling():
    """d log2 g / ds = p (1 - 1/r(s)) with r(s) = r0 (1 - s/D); g vanishes at the ceiling."""
    params = SIEParams()
    smp = samples_from_arrays(params, speedup=[4.0], r0=[1.5], limit_years=[10.0], p=[0.3])
    d = smp.limit_doublings[0]
    s = np.array([10.0])
    h = 1e-5
    slope = (np.log2(growth_rate(s + h, smp, params)) - np.log2(growth_rate(s - h, smp, params))) / (2 * h)
    r = 1.5 * (1 - 10.0 / d)
    np.testing.assert_allclose(slope, 0.3 * (1 - 1 / r), rtol=1e-6)
    assert growth_rate(np.array([d]), smp, params)[0] == 0.0
    assert growth_rate(np.array([0.0]), smp, params)[0] == 4.0 / 3.0


def test_close_to_doubling_recurrence_early_on():
    """Time to the first 10 doublings: continuous and discrete forms agree to within 10%."""
    params = SIEParams(horizon_months=1e9)
    smp = samples_from_arrays(params, speedup=[8.0, 2.0], r0=[2.0, 0.8], limit_years=[12.0, 12.0], p=[0.3, 0.3])
    discrete = doubling_times(smp, params)[:, 10]
    s, t, dt = np.zeros(2), 0.0, 0.001
    reached = np.full(2, np.nan)
    while np.isnan(reached).any():
        s = step_time(s, dt, smp, params)
        t += dt
        reached = np.where(np.isnan(reached) & (s >= 10), t, reached)
    np.testing.assert_allclose(reached, discrete, rtol=0.1)
