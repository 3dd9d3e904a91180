import numpy as np
import pytest


@pytest.fixture(scope="module")
def obs_values():
    """Observable arrays with awkward values (zeros, negatives, large, NaN-free) for the generated expressions."""
    rng = np.random.default_rng(7)
    n = 16
    return {
        "political_will": np.r_[0.0, 1.0, rng.random(n - 2)],
        "months_behind_leader": np.r_[0.0, 12.0, rng.integers(0, 10, n - 2).astype(float)],
        "ai_rd_speedup": np.r_[-2.0, 3.0, 1 + 9 * rng.random(n - 2)],
        "random": np.r_[0.0, 0.5, rng.random(n - 2)],
        "reached_3x": np.r_[0.0, 1.0, rng.integers(0, 2, n - 2).astype(float)],
        "pause_active": np.r_[1.0, 0.0, rng.integers(0, 2, n - 2).astype(float)],
    }
