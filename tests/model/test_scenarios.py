"""Scenario files and belief distributions: parsing, validation, extends, sampling."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime import load_scenario
from crunchtime.errors import InputError
from crunchtime.model.distributions import Z90, DistributionError, parse_distribution
from crunchtime.model.params import ACTOR_FIELDS, WORLD_PARAMETERS


def test_builtin_scenarios_load_with_every_parameter():
    for name in ("default", "clymer-2025"):
        sc = load_scenario(name)
        assert set(sc.parameters) == {p.name for p in WORLD_PARAMETERS}
        assert len(sc.actors) >= 4 and sc.actors[0].name == "Magma"
        assert all(set(a.fields) == {f.name for f in ACTOR_FIELDS} for a in sc.actors)


def test_clymer_2025_encodes_the_essay_assumptions():
    sc = load_scenario("clymer-2025")
    assert sc.start == "2025-01"
    assert sc.parameters["doublings_to_3x"].args[1] < load_scenario("default").parameters["doublings_to_3x"].args[1]
    assert sc.parameters["algorithmic_progress"] == load_scenario("default").parameters["algorithmic_progress"]


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 100), st.floats(1.1, 50))
def test_to_interval_is_a_lognormal_90_percent_interval(lo, ratio):
    d = parse_distribution(f"{lo} to {lo * ratio}")
    assert d.family == "lognormal90"
    x = d.sample(np.random.default_rng(0), 20000)
    below, above = (x < lo).mean(), (x > lo * ratio).mean()
    tol = 4 * math.sqrt(0.05 * 0.95 / 20000)
    assert abs(below - 0.05) < tol and abs(above - 0.05) < tol


def test_to_interval_with_a_non_positive_end_is_normal():
    d = parse_distribution("-2 to 4")
    assert d.family == "normal90" and d.mean() == 1.0
    x = d.sample(np.random.default_rng(1), 50000)
    assert x.std() == pytest.approx(3 / Z90, rel=0.02)


@pytest.mark.parametrize(
    "spec,mean",
    [(3, 3.0), ("uniform(1, 3)", 2.0), ("beta(2, 6)", 0.25), ("normal(5, 1)", 5.0), ({"choice": {1: 1, 3: 3}}, 2.5)],
)
def test_family_means(spec, mean):
    d = parse_distribution(spec)
    assert d.mean() == pytest.approx(mean)
    assert d.sample(np.random.default_rng(2), 40000).mean() == pytest.approx(mean, abs=0.05)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_crashes_on_text(text):
    try:
        parse_distribution(text)
    except DistributionError:
        pass


@pytest.mark.parametrize(
    "spec",
    [
        "5 to 1",
        "uniform(3, 1)",
        "loguniform(-1, 2)",
        "beta(0, 1)",
        "gamma(1, 2)",
        "__import__('os')",
        "1e999 to 2e999",
        True,
        [1, 2],
        {"choice": {}},
        "normal(0, -1)",
    ],
)
def test_bad_specs_are_refused(spec):
    with pytest.raises(DistributionError):
        parse_distribution(spec)


def test_extends_overrides_by_name(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "extends: default\nname: mine\nparameters:\n  returns_r: 2\nactors:\n"
        "  - name: Magma\n    lag_months: 6\n  - name: Newcomer\n    lag_months: 1\n    compute: 1\n"
        "    compute_growth: 4\n    safety_culture: 0.5\n    security_level: 2\n"
        "    coordination_willingness: 0.5\n    base_velocity: 1\n    aggression: 0.5\n    open_weights: 0\n"
    )
    sc = load_scenario(str(f))
    assert sc.parameters["returns_r"].args == (2.0,)
    assert sc.actors[0].fields["lag_months"].args == (6.0,)
    assert sc.actors[0].fields["compute"].args == (1.0,)  # inherited
    assert sc.actor_names[-1] == "Newcomer" and len(sc.actors) == 5


@pytest.mark.parametrize(
    "body,field",
    [
        ("extends: default\nparameters:\n  returns: 1\n", "parameters.returns"),
        ("extends: default\nparameters:\n  returns_r: 50\n", "parameters.returns_r"),
        ("extends: default\nstart: 2025-13\n", "start"),
        ("extends: default\nhorizon_months: 0\n", "horizon_months"),
        ("extends: default\nwhatever: 1\n", "whatever"),
        ("extends: default\nactors:\n  - name: Magma\n    speed: 3\n", "actors[0].speed"),
        ("extends: nothing-here\n", None),
        ("name: x\nstart: 2025-01\nparameters: {}\n", "parameters."),
    ],
)
def test_bad_scenarios_name_the_field(tmp_path, body, field):
    f = tmp_path / "s.yaml"
    f.write_text(body)
    with pytest.raises(InputError) as e:
        load_scenario(str(f))
    msg = str(e.value)
    assert "\n" not in msg
    if field:
        assert field in msg
