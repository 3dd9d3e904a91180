"""Array helpers every mechanism shares."""

from __future__ import annotations

import numpy as np


def col(p: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A per-world parameter as a column (n, 1), broadcasting over actors."""
    return p[name][:, None]


def coverage(stock: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Share of a risk a research stock covers: 1 - exp(-stock / need)."""
    return 1.0 - np.exp(-np.maximum(stock, 0.0) / need)


# Row reductions over the short actor/area axis. numpy reduces a short trailing axis element by element
# with a per-row inner loop, which costs tens of times an elementwise operation on (samples, actors)
# arrays; folding the columns left to right instead does the same arithmetic in the same order (numpy's
# reductions over fewer than 8 elements, and every max and product, fold left to right), so results are
# bit-identical (tests/model/test_hot_path.py checks it against numpy's own reductions).
def row_max(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """x.max(axis=1) of a 2-D array, as a left fold of np.maximum over its columns.

    Bit for bit numpy's maximum, NaN included, except that where -0.0 and +0.0 tie either may come out
    (numpy's own choice there depends on the array's size).
    """
    out = x[:, 0]
    for j in range(1, x.shape[1]):
        out = np.maximum(out, x[:, j])
    return out[:, None] if keepdims else out


def row_prod(x: np.ndarray) -> np.ndarray:
    """np.prod(x, axis=1) of a 2-D array, as a left fold of products over its columns."""
    out = x[:, 0]
    for j in range(1, x.shape[1]):
        out = out * x[:, j]
    return out


def row_second(x: np.ndarray) -> np.ndarray:
    """np.sort(x, axis=1)[:, -2:-1]: each row's second-largest value (the largest again if it is tied), (n, 1).

    The same values as the sort (of -0.0 and +0.0, which compare equal, either may come out, as from the sort).
    """
    top = np.argmax(x, axis=1)[:, None]
    return row_max(np.where(np.arange(x.shape[1]) == top, -np.inf, x), keepdims=True)


def row_sum(x: np.ndarray) -> np.ndarray:
    """x.sum(axis=1) of a 2-D array: a left fold over its columns when there are fewer than 8 of them
    (numpy's own order there, starting from +0.0 as numpy does, so -0.0 sums to +0.0); numpy's pairwise sum
    otherwise."""
    if x.shape[1] >= 8:
        return x.sum(axis=1)
    out = 0.0 + x[:, 0]
    for j in range(1, x.shape[1]):
        out = out + x[:, j]
    return out


def row_mean(x: np.ndarray) -> np.ndarray:
    """x.mean(axis=1) of a 2-D float array (its row sum divided by the number of columns, as numpy does)."""
    return row_sum(x) / x.shape[1]
