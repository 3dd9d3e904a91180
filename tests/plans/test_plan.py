"""Plan files: validation errors with file, line and field; first-match rule semantics; decide() contract."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crunchtime.errors import InputError
from crunchtime.model.knobs import KNOB_BY_NAME, KNOB_NAMES, KNOBS
from crunchtime.model.plans import Plan, example_observables, load_plan, parse_plan

from .strategies import booleans, numbers

HEAD = "name: t\ndescription: test plan\n"


def plan(body: str) -> Plan:
    return parse_plan(HEAD + body, source="t.yaml")


def error(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_plan(text, source="t.yaml")
    assert "\n" not in str(info.value)
    return str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            HEAD + "rules:\n  - when: reached_3x\n    set: {velocity: 0}\n  - when: ai_speedup >= 3\n"
            "    set: {self_destruct: 1}\n",
            "t.yaml:6: rules[1].when: unknown name 'ai_speedup' (did you mean 'ai_rd_speedup'?)",
        ),
        (
            HEAD + "defaults:\n  velocty: 1\n",
            "t.yaml:4: defaults.velocty: unknown knob 'velocty' (did you mean 'velocity'?)",
        ),
        (HEAD + "defaults:\n  velocity: 1.5\n", "t.yaml:4: defaults.velocity: 1.5 is out of range for velocity [0, 1]"),
        (
            HEAD + "defaults:\n  velocity: -0.1\n",
            "t.yaml:4: defaults.velocity: -0.1 is out of range for velocity [0, 1]",
        ),
        (
            HEAD + "defaults:\n  velocity: '0.5 * 3'\n",
            "t.yaml:4: defaults.velocity: constant 1.5 is out of range for velocity [0, 1]",
        ),
        (
            HEAD + "defaults:\n  velocity: true\n",
            "t.yaml:4: defaults.velocity: velocity takes a number in [0, 1], not true",
        ),
        (
            HEAD + "defaults:\n  velocity: 'reached_3x'\n",
            "t.yaml:4: defaults.velocity: velocity takes a number, but this expression is a condition (true/false)",
        ),
        (
            HEAD + "defaults:\n  self_destruct: 0.5\n",
            "t.yaml:4: defaults.self_destruct: self_destruct is an action: set it to 0 or 1 (or true/false, or a condition),"
            " not 0.5",
        ),
        (
            HEAD + "defaults:\n  velocity: [1]\n",
            "t.yaml:4: defaults.velocity: expected a number or an expression in quotes, got a list",
        ),
        (
            HEAD + "rules:\n  - when: political_will\n    set: {velocity: 0}\n",
            "t.yaml:4: rules[0].when: expected a condition (true/false), got a number",
        ),
        (
            HEAD + "rules:\n  - when: 3\n    set: {velocity: 0}\n",
            "t.yaml:4: rules[0].when: expected a condition in quotes (or true/false), got a number",
        ),
        (
            HEAD + "rules:\n  - when: reached_3x\n    set: {}\n",
            "t.yaml:5: rules[0].set: a rule must set at least one knob",
        ),
        (HEAD + "rules:\n  - when: reached_3x\n", "t.yaml:4: rules[0].set: required field is missing"),
        (
            HEAD + "rules:\n  - whn: reached_3x\n    set: {velocity: 0}\n",
            "t.yaml:4: rules[0].whn: unknown field 'whn' (did you mean 'when'?)",
        ),
        (
            HEAD + "colour: red\n",
            "t.yaml:3: colour: unknown field 'colour' (allowed: name, description, extends, params, defaults, rules)",
        ),
        ("name: t\n", "t.yaml:1: description: required field is missing"),
        ("name: t\ndescripton: x\n", "t.yaml:2: descripton: unknown field 'descripton' (did you mean 'description'?)"),
        (HEAD + "rules: {a: 1}\n", "t.yaml:3: rules: expected a list, got a mapping"),
        (
            "- 1\n- 2\n",
            "t.yaml:1: a plan file must be a mapping of fields (name, description, extends, params, defaults, rules), "
            "got a list",
        ),
        ("", "t.yaml: the file is empty"),
        (HEAD + "defaults: {velocity: 1\n", "t.yaml:4: invalid YAML: did not find expected ',' or '}'"),
        (
            HEAD + "defaults:\n  velocity: 1\n  velocity: 0\n",
            "t.yaml:5: defaults.velocity: duplicate key 'velocity' (first on line 4)",
        ),
        (
            "name: 'bad name!'\ndescription: x\n",
            "t.yaml:1: name: 'bad name!' is not a valid plan name (letters, digits, '.', '_', '-'; at most 64)",
        ),
        (
            "name: t\ndescription: |\n  two\n  lines\n",
            "t.yaml:2: description: must be one non-empty line of at most 200 characters",
        ),
        (
            HEAD + "params:\n  political_will: 1\n",
            "t.yaml:4: params.political_will: 'political_will' is already an observable, knob, function or keyword; "
            "choose another name",
        ),
        (
            HEAD + "params:\n  x: '1'\n",
            "t.yaml:4: params.x: a parameter must be a finite number (|x| <= 1e+12), got text",
        ),
        (
            HEAD + "params:\n  x: .inf\n",
            "t.yaml:4: params.x: a parameter must be a finite number (|x| <= 1e+12), got inf",
        ),
        (
            HEAD + "rules:\n  - name: a\n    when: true\n    set: {velocity: 0}\n  - name: a\n    when: true\n"
            "    set: {velocity: 1}\n",
            "t.yaml:7: rules[1].name: duplicate rule name 'a' (also rules[0])",
        ),
        (
            HEAD + "rules:\n  - when: 'reached_3x and'\n    set: {velocity: 0}\n",
            "t.yaml:4: rules[0].when: expected a number, name or '(', found end of expression",
        ),
    ],
)
def test_errors_name_file_line_and_field(text, expected):
    assert error(text) == expected


def test_missing_file_and_unknown_builtin(tmp_path):
    with pytest.raises(InputError, match="no such file and not a built-in plan"):
        load_plan(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="no such file and not a built-in plan"):
        load_plan("clymerr")
    with pytest.raises(InputError, match="no such built-in plan"):
        load_plan("builtin:nope")


def test_first_matching_rule_wins_per_knob():
    p = plan(
        "defaults: {velocity: 0.9, safety_share: 0.1}\nrules:\n"
        "  - when: political_will > 0.5\n    set: {velocity: 0.2}\n"
        "  - when: political_will > 0.3\n    set: {velocity: 0.5, safety_share: 0.7}\n"
    )
    obs = example_observables(3, political_will=[0.1, 0.4, 0.6])
    out = p.decide(obs)
    assert out["velocity"].tolist() == [0.9, 0.5, 0.2]
    assert out["safety_share"].tolist() == [0.1, 0.7, 0.7]  # rule 1 does not set it, so rule 2 decides
    assert out["prep_share"].tolist() == [KNOB_BY_NAME["prep_share"].default] * 3


def test_undefined_values_fall_through_to_the_next_rule():
    p = plan(
        "defaults: {velocity: 0.9}\nrules:\n"
        "  - when: true\n    set: {velocity: 'political_will / months_behind_leader'}\n"
        "  - when: political_will > 0\n    set: {velocity: 0.3}\n"
    )
    out = p.decide(example_observables(3, political_will=[0.0, 0.5, 0.2], months_behind_leader=[0, 0, 1]))
    # 0/0 is NaN: rule 2 decides; 0.5/0 is +inf: clipped to 1; 0.2/1 = 0.2
    assert out["velocity"].tolist() == [0.9, 1.0, 0.2]


def test_computed_values_are_clipped_and_actions_are_flags():
    p = plan(
        "defaults:\n  velocity: 'political_will * 10 - 3'\n  self_destruct: 'political_will'\n"
        "  advocate_pause: 'political_will > 0.5'\n"
    )
    out = p.decide(example_observables(4, political_will=[0.0, 0.35, 0.49, 0.9]))
    assert out["velocity"] == pytest.approx([0.0, 0.5, 1.0, 1.0])
    assert out["self_destruct"].tolist() == [0.0, 0.0, 0.0, 1.0]  # numeric action: 1 at >= 0.5
    assert out["advocate_pause"].tolist() == [0.0, 0.0, 0.0, 1.0]


def test_params_and_with_params():
    p = plan("params: {thr: 0.5}\nrules:\n  - when: political_will > thr\n    set: {velocity: 0}\n")
    obs = example_observables(2, political_will=[0.4, 0.6])
    assert p.decide(obs)["velocity"].tolist() == [1.0, 0.0]
    q = p.with_params(thr=0.3)
    assert q.decide(obs)["velocity"].tolist() == [0.0, 0.0]
    assert q.params == {"thr": 0.3} and p.params == {"thr": 0.5}
    assert "thr: 0.3" in q.source_text
    with pytest.raises(InputError, match="unknown parameter"):
        p.with_params(nope=1)


def test_fixed_plans():
    p = Plan.fixed("half-speed", velocity=0.5, advocate_pause=1)
    out = p.decide(example_observables(5))
    assert out["velocity"].tolist() == [0.5] * 5 and out["advocate_pause"].tolist() == [1.0] * 5
    others = {k.name: k.default for k in KNOBS if k.name not in ("velocity", "advocate_pause")}
    assert {k: out[k][0] for k in others} == others
    assert p.name == "half-speed" and "velocity: 0.5" in p.source_text
    with pytest.raises(InputError, match="out of range"):
        Plan.fixed("bad", velocity=2)
    with pytest.raises(InputError, match="unknown knob"):
        Plan.fixed("bad", speed=1)


def test_to_dict_rebuilds_an_equivalent_plan():
    from crunchtime.model.plans import build_plan

    for name in ("clymer", "rsp", "race-sometimes-pause-sometimes"):
        p = load_plan(name)
        q = build_plan(p.to_dict(), {}, source="copy", source_text="")
        obs = example_observables(
            64,
            np.random.default_rng(1),
            reached_3x=np.arange(64) % 2,
            months_behind_leader=np.arange(64) % 9,
            political_will=np.linspace(0, 1, 64),
            coordination_support=(np.arange(64) % 3) / 2,
            eval_danger_signal=np.linspace(0, 0.1, 64),
        )
        a, b = p.decide(obs), q.decide(obs)
        assert all(np.array_equal(a[k], b[k]) for k in KNOB_NAMES)


def test_decide_is_pure_and_does_not_touch_its_input():
    p = load_plan("clymer")
    obs = example_observables(32, np.random.default_rng(3), reached_3x=1, months_since_3x=np.arange(32.0))
    before = {k: v.copy() for k, v in obs.items()}
    first = p.decide(obs)
    first["velocity"][:] = 42  # the caller may write into what it got
    second = p.decide(obs)
    assert all(np.array_equal(obs[k], before[k]) for k in obs)
    assert not np.shares_memory(second["prep_share"], obs["months_since_3x"])
    assert second["velocity"].max() <= 1


def test_decide_needs_the_observables_the_plan_reads():
    with pytest.raises(KeyError, match="reached_3x"):
        load_plan("clymer").decide({"date": np.zeros(3)})


value_texts = st.one_of(numbers, st.floats(-5, 5, allow_nan=False).map(repr))


@settings(max_examples=60, deadline=None)
@given(values=st.fixed_dictionaries({k: value_texts for k in KNOB_NAMES}), when=booleans)
def test_results_are_always_float64_within_knob_ranges(values, when, obs_values):
    defaults, sets = {}, {}
    for k, v in values.items():
        ks = KNOB_BY_NAME[k]
        try:  # constant values out of range are load errors, not clipped; skip those
            c = float(v)
            if ks.kind == "action" or not ks.low <= c <= ks.high:
                continue
        except ValueError:
            pass
        (defaults if len(defaults) <= len(sets) else sets)[k] = v
    body = {
        "name": "gen",
        "description": "generated",
        "defaults": defaults,
        "rules": [{"when": when, "set": sets or {"velocity": 0}}],
    }
    from crunchtime.model.plans import build_plan

    try:
        p = build_plan(body, {}, source="gen", source_text="")
    except InputError as err:
        assert "out of range" in str(err)  # a constant sub-expression folded out of range
        return
    out = p.decide(obs_values)
    assert list(out) == list(KNOB_NAMES)
    for k, arr in out.items():
        ks = KNOB_BY_NAME[k]
        assert arr.dtype == np.float64 and arr.shape == (16,)
        assert np.all((arr >= ks.low) & (arr <= ks.high)), k
        if ks.kind == "action":
            assert set(np.unique(arr)) <= {0.0, 1.0}
