"""`crunchtime plans list|show` and `crunchtime validate`: JSON contracts, exit codes, one-line errors."""

import json

from cli_helpers import cli
from crunchtime.model.plans import list_builtin_plans

GOOD = (
    "name: mine\ndescription: my plan\nparams: {t: 0.5}\nrules:\n  - when: political_will > t\n    set: {velocity: 0}\n"
)


def test_plans_list_json(capsys):
    code, out, err = cli(capsys, "plans", "list", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == [{"name": n, "description": d} for n, d in list_builtin_plans()]


def test_plans_list_table(capsys):
    code, out, _ = cli(capsys, "plans", "list")
    assert code == 0 and all(name in out for name, _ in list_builtin_plans())


def test_plans_show_json(capsys):
    code, out, _ = cli(capsys, "plans", "show", "clymer", "--json")
    data = json.loads(out)
    assert code == 0 and data["name"] == "clymer" and data["source"] == "builtin:clymer"
    assert [r["name"] for r in data["rules"]] == [
        "join-coordinated-pause",
        "after-3x-pause-if-plausible",
        "after-3x-self-destruct-if-lagging",
        "after-3x-automated-scaling",
    ]
    assert "reached_3x" in data["observables"] and data["yaml"].startswith("#")
    assert data["defaults"]["safety_share"] == 0.05


def test_plans_show_table_and_yaml(capsys):
    code, out, _ = cli(capsys, "plans", "show", "rsp")
    assert code == 0 and "tier1-pause" in out and "eval_danger_signal" in out and "name: rsp" in out


def test_plans_show_a_file(capsys, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    code, out, _ = cli(capsys, "plans", "show", str(path), "--json")
    assert code == 0 and json.loads(out)["params"] == {"t": 0.5}


def test_plans_show_unknown(capsys):
    code, out, err = cli(capsys, "plans", "show", "nope")
    assert code == 2 and out == "" and err.count("\n") == 1 and "not a built-in plan" in err


def test_validate_ok(capsys, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    code, out, err = cli(capsys, "validate", str(path))
    assert code == 0 and err == "" and out.startswith(f"ok: {path}: plan 'mine', 1 rule(s)")
    code, out, _ = cli(capsys, "validate", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["kind"] == "plan" and data["observables"] == ["political_will"]
    assert data["knobs_set"] == ["velocity"]


def test_validate_bad_plan_json_and_text(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("political_will", "politcal_will"))
    code, out, err = cli(capsys, "validate", str(path))
    expected = f"{path}:5: rules[0].when: unknown name 'politcal_will' (did you mean 'political_will'?)"
    assert code == 2 and out == "" and err == f"error: {expected}\n"
    code, out, err = cli(capsys, "validate", str(path), "--json")
    assert code == 2 and json.loads(out) == {"ok": False, "file": str(path), "error": expected}
    assert err.count("\n") == 1


def test_validate_missing_file(capsys, tmp_path):
    code, _out, err = cli(capsys, "validate", str(tmp_path / "none.yaml"))
    assert code == 2 and err.count("\n") == 1 and "no such file" in err


def test_validate_detects_scenarios(capsys, tmp_path):
    path = tmp_path / "sc.yaml"
    path.write_text("extends: default\nactors: 3\n")
    code, out, err = cli(capsys, "validate", str(path))
    assert code == 2 and out == "" and err.count("\n") == 1 and "actors" in err


def test_validate_a_builtin_scenario(capsys):
    from pathlib import Path

    import crunchtime.model.scenario as sc

    path = Path(sc.__file__).parent / "scenarios" / "default.yaml"
    code, out, err = cli(capsys, "validate", str(path), "--json")
    assert code == 0 and err == "" and json.loads(out)["kind"] == "scenario"


def test_plans_show_prints_user_text_literally(capsys, tmp_path):
    path = tmp_path / "markup.yaml"
    path.write_text(
        'name: mk\ndescription: "[bold red]hi[/]"\nrules:\n  - name: "[red]r"\n    why: "[/]x"\n'
        "    when: true\n    set: {velocity: 0.5}\n"
    )
    code, out, _ = cli(capsys, "plans", "show", str(path))
    assert code == 0 and "[bold red]hi[/]" in out and "[red]r" in out
