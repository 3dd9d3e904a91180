"""Every built-in plan on both built-in scenarios, through the engine: each does what its name says."""

import numpy as np
import pytest

from crunchtime import compare, load_scenario
from crunchtime.model.plans import list_builtin_plans
from crunchtime.model.state import MS

N = 256
PLANS = [name for name, _ in list_builtin_plans()]


@pytest.fixture(scope="module", params=["default", "clymer-2025"])
def runs(request):
    return compare(load_scenario(request.param), PLANS, samples=N, seed=4).results


def test_every_builtin_plan_runs(runs):
    assert (
        set(runs)
        == set(PLANS)
        >= {"clymer", "stop-now", "build-faster", "idyllic-governance", "race-sometimes-pause-sometimes", "rsp"}
    )
    for r in runs.values():
        assert sum(v["p"] for v in r.summary()["outcomes"].values()) == pytest.approx(1.0)


def test_stop_now_has_velocity_zero_from_the_first_month(runs):
    v = runs["stop-now"].series_kept[:, list_index("knob:velocity"), :]
    assert np.all(v == 0.0)


def test_build_faster_scales_flat_out_and_defers(runs):
    r = runs["build-faster"]
    assert np.all(r.quantiles("knob:velocity")["p10"] >= 0.95)
    assert r.summary()["events"]["deference"]["p"] > 0.5


def test_clymer_scales_and_prepares_before_3x(runs):
    r = runs["clymer"]
    month_3x = r.milestones[:, MS["3x_ai_rd"]]
    months = np.arange(r.series_kept.shape[0])[:, None]
    before = months < np.nan_to_num(month_3x, nan=np.inf)[None, :]
    velocity = r.series_kept[:, list_index("knob:velocity"), :]
    safety = r.series_kept[:, list_index("knob:safety_share"), :]
    prep = r.series_kept[:, list_index("knob:prep_share"), :]
    assert before.any()
    assert np.all(velocity[before] >= 0.95)
    assert np.all(velocity[before] * (1 - safety[before]) >= 0.95 - 1e-6)  # at most a 5% velocity hit
    assert np.all(prep[before] > 0.5)  # most safety effort on preparation


def test_clymer_shifts_from_preparation_to_mitigation_after_3x(runs):
    """Figure 6: the preparation share falls after meaningful acceleration."""
    r = runs["clymer"]
    prep = r.series_kept[:, list_index("knob:prep_share"), :]
    month_3x = r.milestones[:, MS["3x_ai_rd"]]
    reached = ~np.isnan(month_3x) & (month_3x < r.series_kept.shape[0] - 12)
    later = prep[(month_3x[reached] + 12).astype(int), np.nonzero(reached)[0]]
    assert reached.any() and np.median(later) < 0.8


def test_race_sometimes_pause_sometimes_switches(runs):
    v = runs["race-sometimes-pause-sometimes"].series_kept[:, list_index("knob:velocity"), :]
    assert (v >= 0.9).any() and (v <= 0.1).any()


def test_idyllic_governance_advocates_and_joins(runs):
    r = runs["idyllic-governance"]
    assert np.all(r.quantiles("knob:join_pause")["p10"] == 1.0)
    assert r.quantiles("knob:w_governance")["p50"].min() > 0


def test_rsp_pauses_at_danger(runs):
    r = runs["rsp"]
    v = r.series_kept[:, list_index("knob:velocity"), :]
    danger = r.series_kept[:, list_index("danger"), :]
    assert (v[danger > 0.05] < 1.0).any()


def list_index(name):
    from crunchtime.engine import SERIES_ALL

    return SERIES_ALL.index(name)
