"""Plans `extends:` a built-in plan or another file: params/defaults override, rules replace by name or append."""

import json
import os

import pytest
from tests.cli_helpers import invoke

import crunchtime as ct


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_builtin_overrides_params_and_defaults(tmp_path):
    f = _write(
        tmp_path / "lag3.yaml", "name: lag3\nextends: clymer\nparams: {lagging_months: 3}\ndefaults: {w_defense: 0.5}\n"
    )
    plan, base = ct.load_plan(f), ct.load_plan("clymer")
    assert plan.name == "lag3" and plan.description == base.description  # inherited
    assert plan.params == {**base.params, "lagging_months": 3.0}
    assert plan.parents == ("builtin:clymer",)
    assert [r.name for r in plan.rules] == [r.name for r in base.rules]
    from crunchtime.model.plans import example_observables

    # the merged plan decides differently where lagging 3..6 months matters
    o = example_observables(1, reached_3x=1.0, months_since_3x=2.0, months_behind_leader=4.0)
    assert plan.decide(o)["self_destruct"][0] != base.decide(o)["self_destruct"][0]
    before_3x = example_observables(1, reached_3x=0.0)  # no rule fires: the overridden default shows
    assert plan.decide(before_3x)["w_defense"][0] == 0.5 and base.decide(before_3x)["w_defense"][0] != 0.5


def test_rules_replace_by_name_and_append(tmp_path):
    base = ct.load_plan("clymer")
    first = base.rules[0].name
    f = _write(
        tmp_path / "p.yaml",
        f"""name: p
extends: clymer
rules:
  - name: {first}
    when: "false"
    set: {{velocity: 0.1}}
  - name: brand-new
    when: "reached_3x"
    set: {{w_defense: 1}}
""",
    )
    plan = ct.load_plan(f)
    assert [r.name for r in plan.rules] == [r.name for r in base.rules] + ["brand-new"]
    assert plan.rules[0].when.text == "false" and set(plan.rules[0].set) == {"velocity"}


def test_extends_a_file_relative_to_the_extending_file(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    _write(tmp_path / "base.yaml", "name: base\ndescription: base plan\ndefaults: {velocity: 0.5}\n")
    f = _write(sub / "child.yaml", "name: child\nextends: ../base.yaml\ndefaults: {safety_share: 0.3}\n")
    plan = ct.load_plan(str(f))
    assert plan.description == "base plan"
    assert {k: e.text for k, e in plan.defaults.items()} == {"velocity": "0.5", "safety_share": "0.3"}
    # the resolved plan is self-contained: it rebuilds from its own text (as engine workers do)
    again = ct.parse_plan(plan.source_text, source="copy")
    assert again.to_dict() | {"name": "child"} == plan.to_dict()


def test_missing_parent_and_cycles_are_one_line_naming_the_file(tmp_path):
    f = _write(tmp_path / "orphan.yaml", "name: orphan\nextends: no-such-plan\n")
    with pytest.raises(ct.InputError) as err:
        ct.load_plan(str(f))
    assert str(err.value).startswith(f"{f}:2: extends: no such plan file or built-in plan 'no-such-plan'")
    _write(tmp_path / "a.yaml", "name: a\nextends: b.yaml\n")
    _write(tmp_path / "b.yaml", "name: b\nextends: a.yaml\n")
    with pytest.raises(ct.InputError, match="cycle") as err:
        ct.load_plan(str(tmp_path / "a.yaml"))
    assert "\n" not in str(err.value)


def test_error_in_parent_names_the_parent(tmp_path):
    _write(tmp_path / "base.yaml", "name: base\ndescription: d\ndefaults: {velocty: 1}\n")
    f = _write(tmp_path / "child.yaml", "name: child\nextends: base.yaml\n")
    with pytest.raises(ct.InputError, match=r"base\.yaml:3: defaults\.velocty: unknown knob"):
        ct.load_plan(str(f))


def test_error_in_child_rule_names_the_child_line(tmp_path):
    f = _write(
        tmp_path / "child.yaml",
        'name: child\nextends: clymer\nrules:\n  - when: "nonsense_obs > 1"\n    set: {velocity: 1}\n',
    )
    with pytest.raises(ct.InputError) as err:
        ct.load_plan(str(f))
    assert str(err.value).startswith(f"{f}:4: rules[4].when")


def test_plan_files_are_data_never_code(tmp_path):
    f = _write(tmp_path / "evil.yaml", "name: evil\nextends: \"__import__('os').system('touch pwned')\"\n")
    with pytest.raises(ct.InputError, match="no such plan"):
        ct.load_plan(str(f))
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")


def test_cli_validate_tells_plans_from_scenarios_by_fields_and_show_resolves(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # the files are named relative to the working directory

    def _cli(*args):
        r = invoke(capsys, *args)
        assert r.returncode == 0, r.stderr
        return r

    _write(tmp_path / "lag3.yaml", "name: lag3\nextends: clymer\nparams: {lagging_months: 3}\n")
    _write(tmp_path / "sc.yaml", "extends: default\nhorizon_months: 24\n")
    _write(tmp_path / "bare.yaml", "name: bare\nextends: lag3.yaml\n")
    docs = {n: json.loads(_cli("validate", n, "--json").stdout) for n in ("lag3.yaml", "sc.yaml", "bare.yaml")}
    assert docs["lag3.yaml"]["kind"] == "plan" and docs["lag3.yaml"]["extends"] == ["builtin:clymer"]
    assert docs["sc.yaml"]["kind"] == "scenario"
    assert docs["bare.yaml"]["kind"] == "plan" and docs["bare.yaml"]["extends"] == ["lag3.yaml", "builtin:clymer"]
    shown = json.loads(_cli("plans", "show", "lag3.yaml", "--json").stdout)
    assert shown["params"]["lagging_months"] == 3 and len(shown["rules"]) == len(ct.load_plan("clymer").rules)
    assert "lagging_months: 3" in shown["yaml"] and "extends:" not in shown["yaml"].split("\n", 1)[1]
    r = _cli("compare", "--plans", "lag3.yaml,clymer", "--samples", "256", "--no-save")
    assert "against lag3" in r.stdout


def test_before_inserts_a_rule_among_the_parents_and_checks_the_name(tmp_path):
    import pytest

    from crunchtime.errors import InputError

    f = tmp_path / "first.yaml"
    f.write_text(
        "name: first\nextends: clymer\ndescription: d\nrules:\n"
        "  - name: mine\n    before: join-coordinated-pause\n    when: 'reached_3x'\n    set: {velocity: 0.5}\n"
    )
    plan = ct.load_plan(f)
    assert [r.name for r in plan.rules][:2] == ["mine", "join-coordinated-pause"]
    f.write_text(f.read_text().replace("before: join-coordinated-pause", "before: no-such-rule"))
    with pytest.raises(InputError, match="no-such-rule"):
        ct.load_plan(f)
    g = tmp_path / "alone.yaml"
    g.write_text(
        "name: alone\ndescription: d\nrules:\n  - name: x\n    before: y\n    when: 'true'\n    set: {velocity: 1}\n"
    )
    with pytest.raises(InputError, match="extends"):
        ct.load_plan(g)
