"""Determinism and chunk independence of SIE sampling; parameter distributions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crunchtime.errors import InputError
from crunchtime.takeoff.sie import simulate_sie
from crunchtime.takeoff.sie_params import CHUNK_SIZE, SIEParams, parse_range, sample_chunk


def test_same_seed_same_result():
    a, b = simulate_sie(5000, 42), simulate_sie(5000, 42)
    np.testing.assert_array_equal(a.hits, b.hits)
    assert a.as_json() == b.as_json()
    assert not np.array_equal(a.hits, simulate_sie(5000, 43).hits)


@pytest.mark.parametrize("batch_chunks", [1, 2, 5])
def test_batching_does_not_change_results(batch_chunks):
    n = 3 * CHUNK_SIZE + 123
    reference = simulate_sie(n, 9, batch_chunks=16)
    np.testing.assert_array_equal(simulate_sie(n, 9, batch_chunks=batch_chunks).hits, reference.hits)


def test_fewer_samples_is_a_prefix():
    long = simulate_sie(2 * CHUNK_SIZE + 500, 5)
    short = simulate_sie(CHUNK_SIZE + 17, 5)
    np.testing.assert_array_equal(short.hits, long.hits[: CHUNK_SIZE + 17])


def test_distributions_match_the_paper():
    """Log-uniform speed-up 2-32 (median 8), r 0.4-3.6 (median 1.2), p 0.15-0.6 (median 0.3); uniform limits 6-16."""
    params = SIEParams()
    s = sample_chunk(params, 1, 0)
    n = len(s)
    tol = 4 * np.sqrt(0.25 / n)
    assert np.mean(s.speedup < 8) == pytest.approx(0.5, abs=tol)
    assert np.mean(s.r0 < 1.2) == pytest.approx(0.5, abs=tol)
    assert np.mean(s.p < 0.3) == pytest.approx(0.5, abs=tol)
    assert np.mean(s.r0 > 1) == pytest.approx(np.log(3.6) / np.log(9), abs=tol)  # ~60% accelerate
    years = s.limit_doublings / params.doublings_per_year
    assert np.mean(years < 11) == pytest.approx(0.5, abs=tol)
    assert years.min() >= 6 and years.max() <= 16 and s.speedup.min() >= 2 and s.speedup.max() <= 32
    np.testing.assert_allclose(s.initial_doubling_months, 3.0 / s.speedup)
    assert params.doublings_per_year == 8.0


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_parse_range_roundtrip(low, width):
    high = low + width
    assert parse_range(f"{low!r}:{high!r}", "--x") == (low, high)


@pytest.mark.parametrize("text", ["1", "1:2:3", "a:b", "3:1", "nan:1", "1:inf", ""])
def test_parse_range_rejects(text):
    with pytest.raises(InputError, match="--x"):
        parse_range(text, "--x")


def test_log_range_needs_positive_low():
    with pytest.raises(InputError, match="r"):
        SIEParams().with_ranges(r=(0.0, 1.0))
