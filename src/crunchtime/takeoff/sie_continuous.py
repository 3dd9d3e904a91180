"""Continuous-time form of the SIE model, for embedding in a time-stepped world model.

The paper's model is indexed by software doublings (sie.py). Its continuous analogue is the ODE
ds/dt = g(s) in s = log2(S / S_0), with d log2 g / ds = -p (1 / r(s) - 1) and r(s) = r0 (1 - s / D),
which integrates to g(s) = g0 * 2**(p s) * (1 - s/D)**(ln 2 * p D / r0), g0 = speed-up / recent doubling time.
"""

from __future__ import annotations

import numpy as np

from crunchtime.errors import InputError
from crunchtime.takeoff.sie_params import SIEParams, SIESamples


def growth_rate(s: np.ndarray, samples: SIESamples, params: SIEParams) -> np.ndarray:
    """Software growth rate g(s) in doublings per month at level s (doublings since ASARA); 0 at the ceiling."""
    if params.retraining:
        raise InputError("SIE parameters", "retraining", "the continuous form has no retraining variant")
    g0 = 1.0 / samples.initial_doubling_months
    d, r0, p = samples.limit_doublings, samples.r0, samples.p
    s = np.clip(s, 0.0, d)
    if params.constant_r:
        log2_g = p * (1.0 - 1.0 / r0) * s
        return np.where(s < d, g0 * np.exp2(log2_g), 0.0)
    with np.errstate(divide="ignore"):
        log2_g = p * s + (p * d / r0) * np.log1p(-s / d)  # p s - p * integral_0^s du / r(u)
    return g0 * np.exp2(log2_g)


def step_time(s: np.ndarray, dt_months: float, samples: SIESamples, params: SIEParams) -> np.ndarray:
    """Advance software level s (doublings) by dt_months with one classical Runge-Kutta step; s stays <= D."""

    def g(x: np.ndarray) -> np.ndarray:
        return growth_rate(x, samples, params)

    k1 = g(s)
    k2 = g(s + 0.5 * dt_months * k1)
    k3 = g(s + 0.5 * dt_months * k2)
    k4 = g(s + dt_months * k3)
    return np.minimum(s + dt_months * (k1 + 2 * k2 + 2 * k3 + k4) / 6.0, samples.limit_doublings)
