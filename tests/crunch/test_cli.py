"""`crunchtime crunch ...`: JSON contracts, readable output, one-line errors with exit code 2."""

import json

import pytest

from crunchtime.cli.main import run_cli


def run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        run_cli(["crunch", *args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code or 0, out.out, out.err


def test_effective_years_json_is_the_essay_figure(capsys):
    code, out, _ = run(
        ["effective-years", "--segment", "12:3", "--segment", "12:10", "--loss", "0.5", "--json"], capsys
    )
    doc = json.loads(out)
    assert (
        code == 0 and doc["additional_years"] == 5.5 and doc["calendar_years"] == 2.0 and doc["effective_years"] == 7.5
    )


def test_effective_years_table(capsys):
    code, out, _ = run(["effective-years", "-s", "8:10"], capsys)
    assert code == 0 and "additional 6.00 y" in out


@pytest.mark.parametrize(
    "args, needle",
    [
        (["effective-years", "--segment", "12:x"], "--segment: 12:x"),
        (["effective-years"], "at least one"),
        (["effective-years", "-s", "12:3", "--loss", "2"], "loss"),
        (["effective-years", "--window", "0:12", "-s", "1:2"], "--window"),
        (["schedule"], "FILE or --example"),
        (["schedule", "--example", "nope"], "no such example"),
        (["evidence", "--validity", "1.5"], "validity"),
        (["exchange-rate", "--prep-share", "2"], "prep_share"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, needle, capsys):
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and err.startswith("error: ")


def test_schedule_example_json(capsys):
    code, out, _ = run(["schedule", "--example", "essay", "--json"], capsys)
    doc = json.loads(out)
    assert code == 0
    assert doc["makespan_months"] == pytest.approx(8.0) and doc["naive_makespan_months"] == pytest.approx(12.2857142857)
    assert {"name", "start", "end"} <= set(doc["projects"][0])
    assert len(doc["projects"]) == 11


def test_schedule_table_shows_plan_and_naive(capsys):
    code, out, _ = run(["schedule", "--example", "essay", "-k", "2"], capsys)
    assert code == 0 and "naive start" in out and "2 researcher(s)" in out


def test_schedule_uncertain_file_shows_scenarios(tmp_path, capsys):
    f = tmp_path / "plan.yaml"
    f.write_text(
        "deadline: 8\n"
        "kinds:\n  small: {}\n  rd:\n    automation:\n      - {from_month: {months: [6, 12], probs: [0.5, 0.5]}, speedup: 3.5}\n"
        "projects:\n  - {name: big, effort: 7, kind: rd, value: 10}\n"
        + "".join(f"  - {{name: s{i}, effort: 0.6, kind: small}}\n" for i in range(3))
    )
    code, out, _ = run(["schedule", str(f)], capsys)
    assert code == 0 and "Automation scenarios" in out and "expected" in out
    code, out, _ = run(["schedule", str(f), "--json"], capsys)
    doc = json.loads(out)
    assert len(doc["scenarios"]) == 2 and "by_scenario" in doc["projects"][0]


def test_exchange_rate_json_documents_every_input(capsys):
    code, out, _ = run(["exchange-rate", "--lab-researchers", "20", "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["inputs"]["lab_researchers"] == 20
    assert set(doc["arguments"]) == set(doc["inputs"])
    assert doc["crunch_hour_value"] == pytest.approx(1e9 / (20 * 12))


def test_evidence_json_and_plot(tmp_path, capsys):
    png = tmp_path / "voi.png"
    code, out, _ = run(["evidence", "--validity", "0.0", "--observed", "1.5", "--plot", str(png), "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["voi_calibrated"] == 0.0 and doc["voi_naive"] < 0
    assert png.stat().st_size > 1000


BAD_FILES = {
    "cycle": "kinds: {k: {}}\nprojects:\n  - {name: a, effort: 1, kind: k, depends_on: [b]}\n  - {name: b, effort: 1, kind: k, depends_on: [a]}\n",
    "negative effort": "kinds: {k: {}}\nprojects:\n  - {name: a, effort: -2, kind: k}\n",
    "unknown kind": "kinds: {k: {}}\nprojects:\n  - {name: a, effort: 1, kind: q}\n",
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_project_file_exit_2(case, tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text(BAD_FILES[case])
    code, out, err = run(["schedule", str(f)], capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(f) in lines[0] and "Traceback" not in err
    assert {"cycle": "dependency cycle", "negative effort": "effort", "unknown kind": "unknown kind"}[case] in lines[0]
