"""Effective research time: the essays' two figures, the path form, and the run adapter."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from crunchtime.crunch import effective as eff
from crunchtime.errors import InputError


def test_greenblatt_year_at_3x_and_year_at_10x_half_lost_is_5_5_additional_years():
    res = eff.effective_years([eff.Segment(12, 3), eff.Segment(12, 10)], loss=0.5)
    assert res.calendar_years == 2.0
    assert res.effective_years == 7.5  # 1 * 2 + 1 * 5.5
    assert res.additional_years == 5.5  # "about 6 additional effective years"


def test_eight_months_at_10x_without_loss_holds_6_7_years_6_additional():
    res = eff.effective_years([eff.Segment(8, 10)], loss=0.0)
    assert res.effective_years == pytest.approx(80 / 12)
    assert res.additional_years == pytest.approx(6.0)


def test_full_loss_gives_no_additional_time_and_multiplier_one_is_neutral():
    assert eff.effective_years([eff.Segment(5, 10)], loss=1.0).additional_years == 0.0
    assert eff.effective_years([eff.Segment(5, 1)], loss=0.3).additional_years == 0.0


@pytest.mark.parametrize("loss", [-0.1, 1.5, float("nan")])
def test_loss_outside_0_1_is_an_input_error(loss):
    with pytest.raises(InputError, match="loss"):
        eff.effective_years([eff.Segment(1, 2)], loss)


@given(st.floats(0, 1e4, allow_nan=False), st.floats(0.01, 1e3, allow_nan=False))
def test_segment_parser_round_trips(months, mult):
    seg = eff.parse_segment(f"{months!r}:{mult!r}")
    assert seg == eff.Segment(months, mult)


@pytest.mark.parametrize("text", ["12", "12:", ":3", "a:3", "12:0", "-1:3", "12:3:4", "12:-2"])
def test_bad_segments_are_rejected(text):
    with pytest.raises(InputError, match="--segment"):
        eff.parse_segment(text)


def test_paths_agree_with_segments_and_respect_the_window():
    paths = np.array([[3.0] * 12 + [10.0] * 12, [1.0] * 24])
    out = eff.effective_years_from_paths(paths, 0.5)
    np.testing.assert_allclose(out["additional_years"], [5.5, 0.0])
    mask = eff.window_mask(24, np.array([12.0, np.nan]), np.array([20.0, np.nan]))
    out = eff.effective_years_from_paths(paths, 0.0, mask)
    np.testing.assert_allclose(out["effective_years"], [80 / 12, 0.0])
    np.testing.assert_allclose(out["calendar_years"], [8 / 12, 0.0])


def _fake_run(monkeypatch, run):
    import crunchtime.store as store

    monkeypatch.setattr(store, "load_run", lambda run_id: run, raising=False)


def test_from_run_gives_quantiles_over_trajectories(monkeypatch):
    n = 101
    paths = np.tile(np.where(np.arange(36) >= 12, 10.0, 1.0), (n, 1))
    start = np.full(n, 12.0)
    end = 12.0 + np.arange(n) % 13  # windows of 0..12 months at 10x
    _fake_run(monkeypatch, {"ai_rd_speedup": paths, "first_dangerous_ai": start, "deference": end})
    out = eff.effective_years_from_run("r1", loss=0.0)
    assert out["trajectories"] == n
    assert out["effective_years"]["q50"] == pytest.approx(np.median((end - start) * 10 / 12))
    assert out["additional_years"]["mean"] == pytest.approx(np.mean((end - start) * 9 / 12))


def test_from_run_window_still_open_counts_to_horizon_and_explicit_window(monkeypatch):
    paths = np.full((2, 24), 2.0)
    _fake_run(monkeypatch, {"ai_rd_speedup": paths, "first_dangerous_ai": [12.0, np.nan], "deference": [np.nan, np.nan]})
    out = eff.effective_years_from_run("r2", loss=0.0, quantiles=(0.0, 1.0))
    assert out["calendar_years"]["q100"] == 1.0 and out["calendar_years"]["q00"] == 0.0
    assert out["share_with_window"] == 0.5
    out = eff.effective_years_from_run("r2", loss=0.0, window=(0, 6), quantiles=(0.5,))
    assert out["effective_years"]["q50"] == 1.0


def test_from_run_without_speedups_is_an_input_error(monkeypatch):
    _fake_run(monkeypatch, {"something": [1.0]})
    with pytest.raises(InputError, match="speed-up"):
        eff.effective_years_from_run("r3", loss=0.0)


def test_from_run_without_a_store_says_so(monkeypatch):
    import crunchtime.store as store

    monkeypatch.delattr(store, "load_run", raising=False)
    with pytest.raises(InputError, match="run store is not available"):
        eff.effective_years_from_run("r4", loss=0.0)


def test_run_paths_from_parquet_style_tables():
    pa = pytest.importorskip("pyarrow")
    long = pa.table({"trajectory": [1, 1, 0, 0], "month": [0, 1, 1, 0], "ai_rd_speedup": [3.0, 4.0, 2.0, 1.0]})
    traj = pa.table({"month_first_dangerous_ai": [0.0, None], "month_deference": [1.0, None]})

    class Run:
        def has_table(self, name):
            return name in ("timeseries", "trajectories")

        def table(self, name):
            return long if name == "timeseries" else traj

    paths, start, end = eff.run_speedup_paths(Run())
    np.testing.assert_array_equal(paths, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(start, [0.0, np.nan])
    np.testing.assert_array_equal(end, [1.0, np.nan])
