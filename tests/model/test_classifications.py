"""The world's outcome and Magma's path (issue 25; docs/model.md, "Two classifications"), and the risk
left at the horizon."""

from __future__ import annotations

import numpy as np
import pytest

import crunchtime as ct
from crunchtime.model.mechanisms import outcomes
from crunchtime.model.state import MAGMA_PATHS, OUTCOMES, PATH, WORLD, WORLD_OUTCOMES
from crunchtime.results.result import HORIZON_RISK_MONTHS, WITH_HORIZON_RISK

N = 1024


@pytest.fixture(scope="module", params=["default", "clymer-2025"])
def runs(request):
    return ct.compare(request.param, ["clymer", "rsp", "spend-the-lead", "stop-now"], samples=N, seed=11)


def test_both_classifications_are_exclusive_and_sum_to_one(runs):
    for name in runs.plans:
        s = runs[name].summary()
        for key, names in (("world_outcomes", WORLD_OUTCOMES), ("magma_paths", MAGMA_PATHS)):
            assert set(s[key]) == set(names)
            assert sum(v["p"] for v in s[key].values()) == pytest.approx(1.0, abs=1e-12)
        assert set(s["outcomes"]) == set(OUTCOMES)  # the legacy key stays


def test_world_catastrophe_is_the_legacy_catastrophe(runs):
    for r in runs.results.values():
        np.testing.assert_array_equal(r.indicator("world:catastrophe"), r.indicator("catastrophe"))


def test_rsp_never_chooses_self_destruction_and_stop_now_always_does(runs):
    assert runs["rsp"].indicator("path:chose_self_destruction").sum() == 0
    assert runs["stop-now"].indicator("path:chose_self_destruction").all()
    # what the legacy label called rsp's self-destruction is, on Magma's path, being overtaken
    legacy = runs["rsp"].indicator("self_destruction") > 0
    assert (
        legacy.any()
        and np.isin(runs["rsp"].magma_path[legacy], [PATH["overtaken"], PATH["paused"], PATH["deferred"]]).all()
    )


def test_legacy_labels_map_onto_the_pair(runs):
    for r in runs.results.values():
        legacy_pause = r.indicator("coordinated_pause") > 0
        assert (r.world_outcome[legacy_pause] == WORLD["coordinated_pause"]).all()
        # a legacy obsolescence is the world's trustworthy obsolescence, or unresolved after an untrusted one
        legacy_obs = r.indicator("obsolescence") > 0
        assert np.isin(r.world_outcome[legacy_obs], [WORLD["trustworthy_obsolescence"], WORLD["unresolved"]]).all()
        # the world's outcome never loses a resolution the legacy one had: unresolved there is unresolved here
        legacy_open = r.indicator("unresolved") > 0
        assert not (r.world_outcome[legacy_open] == WORLD["catastrophe"]).any()


def test_a_late_coordinated_pause_is_the_worlds_outcome():
    # after Magma drops out (legacy self-destruction) the world goes on; a long pause later is its outcome
    r = ct.simulate("default", "clymer", samples=2048, seed=11)
    late = (r.indicator("self_destruction") > 0) & (r.world_outcome == WORLD["coordinated_pause"])
    assert late.any()
    assert (r.world_month[late] > r.outcome_month[late]).all()
    # and the world's pauses are every long pause not overridden by catastrophe or an earlier resolution
    assert (
        r.indicator("world:coordinated_pause").sum() <= (r.events["coordinated_pause"] & ~r.events["catastrophe"]).sum()
    )


def test_classifiers_are_masks_that_keep_the_first_resolution_and_leave_inputs_alone():
    p = {"pause_min_months": np.full(5, 4.0), "decisive_gap_months": np.full(5, 6.0)}
    path = np.array([PATH["still_racing"]] * 4 + [PATH["deferred"]])
    month = np.full(5, np.nan)
    before = path.copy()
    sd = np.array([1.0, 0.0, 0.0, 0.0, 1.0])
    deferring = np.array([True, True, False, False, False])
    pause = np.array([0.0, 0.0, 5.0, 0.0, 0.0])
    gap = np.array([9.0, 9.0, 9.0, 9.0, 9.0])
    alive = np.array([1.0, 1.0, 1.0, 0.0, 1.0])
    got, got_month = outcomes.classify_path(p, path, month, 7, sd, deferring, pause, gap, alive)
    assert [MAGMA_PATHS[i] for i in got] == ["chose_self_destruction", "deferred", "paused", "still_racing", "deferred"]
    np.testing.assert_array_equal(got_month, [7, 7, 7, np.nan, np.nan])
    np.testing.assert_array_equal(path, before)  # no in-place change
    world = np.zeros(3, dtype=np.int64)
    p3 = {k: v[:3] for k, v in p.items()}
    w, _ = outcomes.classify_world(
        p3, world, np.full(3, np.nan), 3, np.array([True, False, False]), np.array([9.0, 4.0, 3.0]), np.ones(3)
    )
    assert [WORLD_OUTCOMES[i] for i in w] == ["trustworthy_obsolescence", "coordinated_pause", "unresolved"]


def test_horizon_risk_is_the_last_hazard_held_for_the_stated_months(runs):
    r = runs["rsp"]
    unresolved = r.world_outcome == WORLD["unresolved"]
    want = np.where(unresolved, 1 - (1 - r.horizon_hazard) ** HORIZON_RISK_MONTHS, 0.0)
    np.testing.assert_allclose(r.horizon_risk(), want)
    assert (r.horizon_hazard[r.indicator("catastrophe") > 0] == 0).all()
    assert ((r.horizon_hazard >= 0) & (r.horizon_hazard <= 1)).all()
    h = r.summary()["horizon_risk"]
    assert h["months_after"] == HORIZON_RISK_MONTHS
    assert h[WITH_HORIZON_RISK]["p"] == pytest.approx(
        h["catastrophe_by_horizon"]["p"] + h["catastrophe_after_horizon"]["p"], abs=1e-12
    )
    # the residual is the hazard an unresolved world carries, so it is positive where worlds stay open
    assert h["unresolved"]["p"] > 0 and h["catastrophe_after_horizon"]["p"] > 0


def test_comparisons_carry_world_differences(runs):
    s = runs.summary()
    metrics = {d["metric"] for d in s["world_differences"]}
    assert {"world:catastrophe", "path:overtaken", WITH_HORIZON_RISK} <= metrics
    assert {d["metric"] for d in s["differences"]} == set(OUTCOMES)  # the legacy list is unchanged
