"""Array helpers every mechanism shares."""

from __future__ import annotations

import numpy as np


def col(p: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A per-world parameter as a column (n, 1), broadcasting over actors."""
    return p[name][:, None]


def coverage(stock: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Share of a risk a research stock covers: 1 - exp(-stock / need)."""
    return 1.0 - np.exp(-np.maximum(stock, 0.0) / need)
