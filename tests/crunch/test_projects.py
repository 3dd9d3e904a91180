"""Project files: validation errors name the file and field; timing of sped-up projects is exact."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crunchtime.crunch.projects import build_problem, example_path, load_problem
from crunchtime.crunch.timing import end_breakpoints, end_time, inverse_progress, progress
from crunchtime.errors import InputError

KINDS = {"small": {}, "rd": {"automation": [{"from_month": 6, "speedup": 3.5}]}}


def spec(projects, **kw):
    return {"kinds": KINDS, "projects": projects, **kw}


def test_essay_example_loads():
    p = load_problem(example_path("essay"))
    assert p.n == 11 and p.objective == "makespan" and len(p.scenarios) == 1
    assert p.effort.sum() == pytest.approx(13.0)


@pytest.mark.parametrize(
    "projects, match",
    [
        ([{"name": "a", "effort": -1, "kind": "small"}], r"projects\[0\]\.effort \(a\): .*greater than 0"),
        ([{"name": "a", "effort": 1, "kind": "magic"}], r"projects\[0\]\.kind \(a\): unknown kind 'magic'"),
        ([{"name": "a", "effort": 1, "kind": "small", "depends_on": ["b"]}], "unknown project 'b'"),
        (
            [{"name": "a", "effort": 1, "kind": "small"}, {"name": "a", "effort": 1, "kind": "small"}],
            "duplicate project name",
        ),
        (
            [
                {"name": "a", "effort": 1, "kind": "small", "depends_on": ["c"]},
                {"name": "b", "effort": 1, "kind": "small", "depends_on": ["a"]},
                {"name": "c", "effort": 1, "kind": "small", "depends_on": ["b"]},
            ],
            "dependency cycle: a -> c -> b -> a",
        ),
        ([{"name": "a", "effort": 1, "kind": "small", "colour": "red"}], r"projects\[0\]\.colour"),
    ],
)
def test_bad_projects_are_one_line_input_errors(projects, match):
    with pytest.raises(InputError, match=match) as err:
        build_problem(spec(projects), "plan.yaml")
    assert str(err.value).startswith("plan.yaml: ") and "\n" not in str(err.value)


def test_bad_forecasts_and_objectives():
    bad_probs = {
        "small": {},
        "rd": {"automation": [{"from_month": {"months": [1, 2], "probs": [0.5, 0.6]}, "speedup": 2}]},
    }
    with pytest.raises(InputError, match="sum to 1"):
        build_problem({"kinds": bad_probs, "projects": [{"name": "a", "effort": 1, "kind": "rd"}]}, "f")
    with pytest.raises(InputError, match=r"kinds\.rd\.automation\[0\]\.speedup"):
        build_problem(
            {
                "kinds": {"rd": {"automation": [{"from_month": 1, "speedup": 0}]}},
                "projects": [{"name": "a", "effort": 1, "kind": "rd"}],
            },
            "f",
        )
    with pytest.raises(InputError, match="needs a deadline"):
        build_problem(spec([{"name": "a", "effort": 1, "kind": "small"}], objective="value"), "f")


def test_yaml_syntax_error_gives_the_line(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("kinds:\n  small: {}\nprojects:\n  - {name: a, effort: 1, kind: small\n")
    with pytest.raises(InputError, match=r"p\.yaml:\d+: not valid YAML"):
        load_problem(f)


def test_uncertain_automation_dates_expand_into_weighted_scenarios():
    kinds = {
        "a": {"automation": [{"from_month": {"months": [3, 6], "probs": [0.25, 0.75]}, "speedup": 2}]},
        "b": {"automation": [{"from_month": {"months": [1, 2, 4]}, "speedup": 3}]},
    }
    p = build_problem({"kinds": kinds, "projects": [{"name": "x", "effort": 1, "kind": "a"}]}, "f")
    probs = sorted(sc.probability for sc in p.scenarios)
    assert len(probs) == 6 and sum(probs) == pytest.approx(1.0)
    assert probs[0] == pytest.approx(0.25 / 3) and probs[-1] == pytest.approx(0.75 / 3)


def test_essay_timings_are_exact():
    rates = build_problem(spec([{"name": "a", "effort": 1, "kind": "rd"}]), "f").scenarios[0].rates["rd"]
    assert float(end_time(rates, 0.0, 7.0)) == pytest.approx(6 + 1 / 3.5)  # big project first
    assert float(end_time(rates, 6.0, 7.0)) == pytest.approx(8.0)  # big project after the small ones
    s, e = end_breakpoints(rates, 7.0, 20.0)
    np.testing.assert_allclose(s, [0, 6, 20])
    np.testing.assert_allclose(e, [6 + 1 / 3.5, 8, 22])


@given(
    steps=st.lists(st.tuples(st.floats(0, 20), st.floats(0.1, 10)), max_size=4),
    t=st.floats(0, 40),
    effort=st.floats(0.01, 10),
)
def test_progress_inverts_and_end_time_is_increasing(steps, t, effort):
    kinds = {"k": {"automation": [{"from_month": m, "speedup": r} for m, r in steps]}}
    rates = (
        build_problem({"kinds": kinds, "projects": [{"name": "a", "effort": 1, "kind": "k"}]}, "f")
        .scenarios[0]
        .rates["k"]
    )
    assert float(inverse_progress(rates, progress(rates, t))) == pytest.approx(t, abs=1e-9)
    e0, e1 = end_time(rates, np.array([t, t + 0.5]), effort)
    assert t < e0 < e1
    s, e = end_breakpoints(rates, effort, 50.0)
    mid = (s[:-1] + s[1:]) / 2  # f is linear between breakpoints
    np.testing.assert_allclose(end_time(rates, mid, effort), (e[:-1] + e[1:]) / 2, rtol=1e-9, atol=1e-9)
