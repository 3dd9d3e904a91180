"""Design matrices: given belief values per trajectory, on the scenario's common random numbers."""

import numpy as np
import pytest
from scipy import stats

from crunchtime import api
from crunchtime.analysis.common import mean_ci, per_trajectory, utility_weights
from crunchtime.engine import chunk_inputs
from crunchtime.model.distributions import parse_distribution

N = 256


@pytest.mark.parametrize(
    "spec", ["2 to 5", "-1 to 3", "uniform(0.2, 0.6)", "loguniform(4, 32)", "beta(2, 3)", "normal(0, 1.5)", "0.8"]
)
def test_ppf_is_the_distribution_sampling_draws_from(spec):
    d = parse_distribution(spec)
    u = (np.arange(4000) + 0.5) / 4000
    x = d.ppf(u)
    assert np.all(np.diff(x) >= 0)  # a quantile function never decreases
    if d.family == "constant":
        assert np.all(x == 0.8)
        return
    draws = d.sample(np.random.default_rng(0), 4000)
    assert stats.ks_2samp(x, draws).pvalue > 1e-3


def test_choice_ppf_hits_each_value_in_proportion():
    d = parse_distribution({"choice": {1: 1, 2: 3}})
    x = d.ppf((np.arange(1000) + 0.5) / 1000)
    assert (x == 1).sum() == 250 and (x == 2).sum() == 750


def test_a_design_of_the_sampled_values_reproduces_the_run_bit_for_bit():
    sc = api.load_scenario("default")
    params, _, _ = chunk_inputs(sc, 7, 0, N)
    design = {
        "safety_difficulty": params["safety_difficulty"].copy(),
        "Magma.lag_months": params["a_lag_months"][:, 0].copy(),
    }
    plain = api.simulate(sc, "clymer", samples=N, seed=7)
    given = api.simulate(sc, "clymer", samples=N, seed=7, design=design)
    assert np.array_equal(plain.outcome, given.outcome)
    assert np.array_equal(plain.scalars["catastrophe_risk"], given.scalars["catastrophe_risk"])


def test_a_design_moves_the_answer_in_the_mechanisms_direction():
    easy = api.simulate("default", "clymer", samples=N, seed=1, design={"safety_difficulty": np.full(N, 0.05)})
    hard = api.simulate("default", "clymer", samples=N, seed=1, design={"safety_difficulty": np.full(N, 5.0)})
    d = per_trajectory(hard, "catastrophe_risk") - per_trajectory(easy, "catastrophe_risk")
    assert mean_ci(d)["ci95"][0] > 0  # harder safety, more risk, on identical shocks


def test_design_sets_one_actor_and_leaves_the_others():
    sc = api.load_scenario("default")
    from crunchtime.model.design import apply

    params, _, _ = chunk_inputs(sc, 1, 0, 8)
    world = {p.name: params[p.name] for p in api.parameters(sc) if "." not in p.name}
    actors = {k[2:]: v for k, v in params.items() if k.startswith("a_")}
    before = actors["aggression"].copy()
    _, new = apply(sc, world, actors, {"Frontier Lab A.aggression": np.full(8, 0.9)})
    assert np.all(new["aggression"][:, 1] == 0.9)
    assert np.array_equal(new["aggression"][:, [0, 2, 3]], before[:, [0, 2, 3]])
    assert np.array_equal(actors["aggression"], before)  # inputs are never changed


@pytest.mark.parametrize(
    "design, problem",
    [
        ({"nope": np.zeros(4)}, "unknown parameter 'nope'"),
        ({"safety_difficulty": np.zeros(3)}, "one value per trajectory"),
        ({"safety_difficulty": np.full(4, 1e9)}, "within [0.01, 1000]"),
        ({"safety_difficulty": np.full(4, np.nan)}, "finite"),
    ],
)
def test_bad_designs_are_one_clear_line(design, problem):
    with pytest.raises(api.ArgumentError) as exc:
        api.simulate("default", "clymer", samples=4, design=design)
    assert problem in str(exc.value) and "\n" not in str(exc.value)


def test_catastrophe_risk_is_an_unbiased_smooth_estimate_of_the_outcome_share():
    n = 2048
    res = api.simulate("default", "clymer", samples=n, seed=11)
    d = per_trajectory(res, "catastrophe") - per_trajectory(res, "catastrophe_risk")
    ci = mean_ci(d)
    assert ci["ci95"][0] - 0.005 < 0 < ci["ci95"][1] + 0.005
    assert per_trajectory(res, "catastrophe_risk").var() < per_trajectory(res, "catastrophe").var()


def test_utility_follows_the_essays_preference_order_and_checks_weights():
    w = utility_weights(None)
    assert w["coordinated_pause"] > w["obsolescence"] > w["self_destruction"] > w["catastrophe"]
    with pytest.raises(api.ArgumentError, match="unknown outcome 'heaven'"):
        utility_weights({"heaven": 1.0})


def test_parameters_lists_uncertain_beliefs_with_actor_fields():
    names = [p.name for p in api.parameters("default", uncertain_only=True)]
    assert "safety_difficulty" in names and "Magma.lag_months" in names
    assert "team_years_per_month" not in names  # a constant in the default scenario
