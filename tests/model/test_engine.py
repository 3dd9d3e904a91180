"""Determinism, chunking and process independence, common random numbers, result invariants."""

import json

import numpy as np
import pytest

from crunchtime import compare, simulate
from crunchtime.model.plans import Plan
from crunchtime.model.state import OUTCOMES
from crunchtime.results.result import unpaired_interval_width

N = 600


def test_same_seed_gives_identical_json(default_scenario, race):
    a = simulate(default_scenario, race, samples=N, seed=7).summary()
    b = simulate(default_scenario, race, samples=N, seed=7).summary()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_different_seed_changes_results(default_scenario, race):
    a = simulate(default_scenario, race, samples=N, seed=1)
    b = simulate(default_scenario, race, samples=N, seed=2)
    assert not np.array_equal(a.milestones, b.milestones, equal_nan=True)


@pytest.mark.parametrize("chunk_size,workers", [(256, 1), (512, 2), (1024, 2)])
def test_chunk_size_and_processes_change_nothing(default_scenario, race, chunk_size, workers):
    ref = simulate(default_scenario, race, samples=N, seed=3, chunk_size=2048)
    got = simulate(default_scenario, race, samples=N, seed=3, chunk_size=chunk_size, workers=workers)
    assert json.dumps(ref.summary(), sort_keys=True) == json.dumps(got.summary(), sort_keys=True)
    np.testing.assert_array_equal(ref.outcome, got.outcome)
    np.testing.assert_array_equal(ref.milestones, got.milestones)
    np.testing.assert_array_equal(ref.series_kept, got.series_kept)
    np.testing.assert_allclose(ref.risk, got.risk, rtol=1e-12)


def test_fewer_samples_are_a_prefix(default_scenario, race):
    big = simulate(default_scenario, race, samples=N, seed=5)
    small = simulate(default_scenario, race, samples=300, seed=5)
    np.testing.assert_array_equal(big.outcome[:300], small.outcome)


def test_plans_share_worlds_and_shocks(default_scenario, race):
    """Common random numbers: the same plan twice in one comparison gives identical trajectories."""
    twin = Plan.fixed("race-twin", velocity=1.0, safety_share=0.05, defer_to_tedai=1)
    res = compare(default_scenario, [race, twin], samples=N, seed=11).results
    np.testing.assert_array_equal(res["race"].outcome, res["race-twin"].outcome)


def test_outcomes_are_exclusive_and_sum_to_one(default_scenario, race, halt):
    for plan in (race, halt):
        s = simulate(default_scenario, plan, samples=N, seed=0).summary()
        assert set(s["outcomes"]) == {
            "catastrophe",
            "obsolescence",
            "coordinated_pause",
            "self_destruction",
            "unresolved",
        }
        assert sum(v["p"] for v in s["outcomes"].values()) == pytest.approx(1.0, abs=1e-12)
        for v in s["outcomes"].values():
            assert v["se"] == pytest.approx(np.sqrt(v["p"] * (1 - v["p"]) / N))


def test_risk_decomposition_adds_up(default_scenario, race):
    r = simulate(default_scenario, race, samples=N, seed=2)
    s = r.summary()
    p_cat = s["outcomes"]["catastrophe"]["p"]
    assert sum(v["p"] for v in s["risk_by_source"].values()) == pytest.approx(p_cat, abs=1e-12)
    assert sum(v["p"] for v in s["risk_by_actor"].values()) == pytest.approx(p_cat, abs=1e-12)
    # the expected hazard mass is an unbiased estimate of P(catastrophe): agree within 4 standard errors
    assert r.risk.sum() == pytest.approx(p_cat, abs=4 * s["outcomes"]["catastrophe"]["se"] + 1e-3)
    assert (r.risk >= 0).all()


def test_events_cover_outcomes(default_scenario, race):
    s = simulate(default_scenario, race, samples=N, seed=4).summary()
    for o in ("catastrophe", "obsolescence", "coordinated_pause"):
        assert s["events"][o]["p"] >= s["outcomes"][o]["p"] - 1e-12


def test_milestones_in_figure_2_order(default_scenario, race):
    r = simulate(default_scenario, race, samples=N, seed=6)
    m = {name: r.milestones[:, i] for i, name in enumerate(r.summary()["milestones"])}
    for early, late in [
        ("3x_ai_rd", "tedai"),
        ("tedai", "deference"),
        ("deference", "recovery_phase_end"),
        ("deference", "obsolescence"),
        ("superdangerous_ai", "obsolescence"),
        ("first_dangerous_ai", "superdangerous_ai"),
        ("obsolescence", "end_of_acute_risk"),
    ]:
        both = ~np.isnan(m[early]) & ~np.isnan(m[late])
        assert both.any(), (early, late)
        assert (m[early][both] <= m[late][both]).all(), (early, late)
        assert not (np.isnan(m[early]) & ~np.isnan(m[late])).any(), (early, late)


def test_quantile_table_and_knob_trajectories(default_scenario, halt):
    r = simulate(default_scenario, halt, samples=300, seed=0)
    q = r.quantiles("knob:velocity")
    assert np.all(q["p90"] == 0.0)
    t = r.tables()["quantiles"].to_pydict()
    assert {"p10", "p50", "p90", "mean", "date"} <= set(t)
    assert "knob:prep_share" in set(t["variable"])
    for row in zip(t["p10"], t["p50"], t["p90"]):
        assert row[0] <= row[1] <= row[2]


def test_paired_intervals_are_narrower_than_unpaired(default_scenario, race):
    careful = Plan.fixed("careful", velocity=0.9, safety_share=0.3, prep_share=0.8, defer_to_tedai=1)
    res = compare(default_scenario, [race, careful], samples=1200, seed=9)
    a, b = res.results["race"], res.results["careful"]
    for row in res.differences():
        if row["metric"] in ("catastrophe", "obsolescence"):
            width = row["ci95"][1] - row["ci95"][0]
            assert width < unpaired_interval_width(a, b, row["metric"])


def test_trajectory_table_columns(default_scenario, race):
    t = simulate(default_scenario, race, samples=256, seed=0).tables()["trajectories"]
    assert t.num_rows == 256
    assert set(t.column("outcome").to_pylist()) <= set(OUTCOMES)
    assert "m_tedai" in t.column_names and "catastrophe_source" in t.column_names
