"""Effective research time: the essays' two figures, the path form, and the run adapter."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    """A real (small) world-model comparison saved in a temporary run store."""
    import crunchtime as ct
    from crunchtime.results.store import RunStore

    home = tmp_path_factory.mktemp("store")
    res = ct.compare("default", ["build-faster", "stop-now"], samples=256, seed=0)
    run_id = RunStore(home).save("compare", {"seed": 0, "samples": 256}, res.summary(), res.tables())
    return home, run_id, res


def test_from_run_matches_the_engine_paths(saved_run, monkeypatch):
    home, run_id, res = saved_run
    monkeypatch.setenv("CRUNCHTIME_HOME", str(home))
    out = eff.effective_years_from_run(run_id, loss=0.5)
    assert out["plan"] == "build-faster" and out["trajectories"] == 256
    r = res.results["build-faster"]
    ms = list(r.summary()["milestones"])
    start, end = r.milestones[:, ms.index("first_dangerous_ai")], r.milestones[:, ms.index("deference")]
    end = np.where(np.isfinite(start) & ~np.isfinite(end), r.speedup_paths.shape[1], end)
    want = eff.effective_years_from_paths(
        r.speedup_paths.astype(float), 0.5, eff.window_mask(r.speedup_paths.shape[1], start, end)
    )
    assert out["effective_years"]["mean"] == pytest.approx(want["effective_years"].mean())
    other = eff.effective_years_from_run(run_id, loss=0.5, plan="stop-now")
    assert other["plan"] == "stop-now"
    with pytest.raises(InputError, match="no plan"):
        eff.effective_years_from_run(run_id, loss=0.5, plan="nope")


def test_from_run_explicit_window(saved_run, monkeypatch):
    home, run_id, _ = saved_run
    monkeypatch.setenv("CRUNCHTIME_HOME", str(home))
    out = eff.effective_years_from_run(run_id, loss=0.0, window=(0, 12), quantiles=(0.5,))
    assert out["calendar_years"]["q50"] == pytest.approx(1.0)
    assert out["effective_years"]["q50"] >= 1.0


def test_from_run_without_a_store_says_so(monkeypatch):
    import crunchtime.results.store as store

    monkeypatch.delattr(store, "load_run", raising=False)
    with pytest.raises(InputError, match="run store is not available"):
        eff.effective_years_from_run("r4", loss=0.0)
