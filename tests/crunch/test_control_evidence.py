"""Evidence from control evaluations: real Inspect logs in ControlArena's format, counts chosen so the answers are known.

Skips only when the `control` extra (ControlArena and Inspect) is not installed.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

pytest.importorskip("control_arena.analysis", reason='needs the control extra: pip install "crunchtime[control]"')
pytest.importorskip("inspect_ai.log", reason='needs the control extra: pip install "crunchtime[control]"')

from control_arena.analysis import compute_safety, compute_suspicion_threshold, compute_usefulness, samples_df
from inspect_ai.log import EvalLog, read_eval_log, write_eval_log
from tests.cli_helpers import cli

from crunchtime import api
from crunchtime.crunch.control_example import ControlCounts, attack_samples, write_example_logs
from crunchtime.crunch.control_logs import measure_logs
from crunchtime.crunch.control_update import ControlMeasurement, predicted_safety, update_control
from crunchtime.errors import InputError
from crunchtime.model.catalog import load_scenario

BOOT = 40  # bootstrap resamples in tests (the intervals' values are not what these tests check)
OTHER = ControlCounts(honest_low=48, honest_high=2, honest_success=45, caught=9, uncaught_success=3, uncaught_fail=8)


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return [str(p) for p in write_example_logs(tmp_path_factory.mktemp("control"))]


@pytest.mark.parametrize("counts", [ControlCounts(), OTHER], ids=["example", "other"])
def test_measures_match_the_hand_computation_and_controlarena(tmp_path, counts):
    paths = [str(p) for p in write_example_logs(tmp_path, counts, formats=("json", "eval"))]
    (m,) = measure_logs(paths, audit_budget=1.0, iterations=BOOT)
    hand = counts.expected()
    assert (m.honest_samples, m.attack_samples) == (counts.honest_total, counts.attack_total)
    assert (m.caught, m.uncaught_successful) == (counts.caught, counts.uncaught_success)
    assert m.threshold == hand["threshold"]
    assert m.safety.estimate == pytest.approx(hand["safety"], abs=1e-15)
    assert m.usefulness.estimate == pytest.approx(hand["usefulness"], abs=1e-15)
    assert m.safety.low <= m.safety.estimate <= m.safety.high
    # ControlArena's own functions on the same logs (read by Inspect) give the same numbers
    df = samples_df([read_eval_log(p) for p in paths])
    assert compute_safety(df, "max_suspicion_scorer", 1.0) == m.safety.estimate
    assert compute_usefulness(df) == m.usefulness.estimate
    assert compute_suspicion_threshold(df[df.eval_mode == "honest"], "max_suspicion_scorer", 1.0) == m.threshold


def test_safety_curve_and_name(logs):
    (m,) = measure_logs(logs, audit_budget=2.0, iterations=BOOT)
    assert m.name == "trusted_monitoring"
    curve = dict(m.safety_curve)
    # 3 of 100 honest runs sit at the top score: budgets below 3% keep threshold 7 (safety 0.8); 5% and up audit
    # below it, so every attack above the honest bulk's score 1 is caught (all successes scored 2): safety 1
    assert curve[0.5] == curve[2.0] == pytest.approx(0.8)
    assert curve[5.0] == curve[20.0] == 1.0
    assert "80%" in repr(m.safety) or "0.800" in repr(m.safety)


def test_missing_suspicion_score_names_log_and_field(tmp_path):
    c = ControlCounts()
    samples = attack_samples(c)
    for s in samples:
        del s.scores["max_suspicion_scorer"]
    honest, _ = write_example_logs(tmp_path, c)
    bad = tmp_path / "attack_without_monitor.eval"
    log = read_eval_log(str(honest))
    write_eval_log(EvalLog(status="success", eval=log.eval, samples=samples), str(bad))
    with pytest.raises(InputError) as exc:
        measure_logs([str(honest), str(bad)], iterations=BOOT)
    assert exc.value.source == str(bad) and exc.value.field == "scores.max_suspicion_scorer"


def test_missing_side_task_result(tmp_path):
    c = ControlCounts()
    samples = attack_samples(c)
    for s in samples[:3]:
        s.scores["apps_scorer"].value.pop("side_task_success")
    honest, _ = write_example_logs(tmp_path, c)
    bad = tmp_path / "attack.eval"
    write_eval_log(EvalLog(status="success", eval=read_eval_log(str(honest)).eval, samples=samples), str(bad))
    with pytest.raises(InputError, match="side_task_success"):
        measure_logs([str(honest), str(bad)], iterations=BOOT)


def test_only_honest_runs_is_one_line(tmp_path):
    honest, _ = write_example_logs(tmp_path)
    with pytest.raises(InputError, match="no attack samples"):
        measure_logs([str(honest)], iterations=BOOT)


def test_not_a_log(tmp_path):
    f = tmp_path / "notes.json"
    f.write_text('{"hello": 1}')
    with pytest.raises(InputError) as exc:
        measure_logs([str(f)], iterations=BOOT)
    assert exc.value.source == str(f)


def test_forward_map_is_the_models_formula():
    world = {
        "safety_difficulty": np.array([0.5, 2.0]),
        "control_decay": np.array([0.5, 1.0]),
        "control_eval_dependence": np.array([0.5, 0.2]),
    }
    m = ControlMeasurement(1, 1, capability=2.0, control_years=1.5, evaluation_years=0.7)
    got = predicted_safety(world, m)
    for i in range(2):
        n, d, phi = (world[k][i] for k in ("safety_difficulty", "control_decay", "control_eval_dependence"))
        ev = 1 - math.exp(-0.7 / n)
        want = (1 - math.exp(-1.5 / (n * 2 ** (d * 2.0)))) * (1 - phi + phi * ev)
        assert got[i] == pytest.approx(want, rel=1e-12)


def test_validity_zero_leaves_the_prior_and_evidence_moves_it():
    base = load_scenario("default")
    flat = update_control(base, ControlMeasurement(16, 4, proxy_validity=0.0), draws=4000)
    assert flat.effective_draws == pytest.approx(4000)
    assert flat.posterior_safety == pytest.approx(flat.prior_safety, abs=1e-12)
    assert not any(flat.moved.values())
    good = update_control(base, ControlMeasurement(40, 0, proxy_validity=1.0), draws=4000)
    bad = update_control(base, ControlMeasurement(0, 40, proxy_validity=1.0), draws=4000)
    assert bad.posterior_safety < flat.prior_safety < good.posterior_safety
    # control_decay does not enter at or below TEDAI: it is left out; past TEDAI it is updated
    assert "control_decay" not in good.posterior
    past = update_control(base, ControlMeasurement(16, 4, capability=3.0, proxy_validity=1.0), draws=4000)
    assert "control_decay" in past.posterior


def test_written_scenario_extends_the_base_and_validates(tmp_path, logs, capsys):
    out = tmp_path / "post.yaml"
    code, stdout, stderr = cli(
        capsys, "evidence", "control", *logs, "--bootstrap", str(BOOT), "--write-scenario", str(out)
    )
    assert code == 0, stderr
    assert "Control evaluations" in stdout and "safety_difficulty" in stdout
    assert "extends: default" in out.read_text()
    code, stdout, stderr = cli(capsys, "validate", str(out))
    assert code == 0, stderr
    sc = load_scenario(out)
    assert sc.parameters["safety_difficulty"].family == "lognormal90"


def test_json_shape_and_comparison(logs, capsys):
    code, stdout, stderr = cli(
        capsys, "evidence", "control", *logs, "--json", "--bootstrap", str(BOOT), "--compare", "clymer,rsp", "-n", "64"
    )
    assert code == 0, stderr
    doc = json.loads(stdout)
    (p,) = doc["protocols"]
    for key in ("name", "honest_samples", "attack_samples", "audit_budget", "threshold", "safety", "usefulness"):
        assert key in p
    assert set(p["safety"]) == set(p["usefulness"]) == {"estimate", "low", "high"}
    assert p["safety"]["estimate"] == 0.8 and p["threshold"] == 7.0
    assert set(doc["posterior"]) == {"safety_difficulty"}
    cmp = doc["comparison"]
    assert set(cmp["plans"]) == {"clymer", "rsp"}
    assert cmp["best_changed"] == (cmp["best_prior"] != cmp["best_posterior"])
    assert (cmp["realised_value"]["diff"] == 0.0) == (not cmp["best_changed"])
    assert cmp["realised_value"]["diff"] >= 0.0


def test_bad_log_is_one_line_exit_2(tmp_path, capsys):
    f = tmp_path / "broken.eval"
    f.write_bytes(b"not a zip")
    code, _, stderr = cli(capsys, "evidence", "control", str(f))
    assert code == 2
    assert stderr.count("\n") == 1 and str(f) in stderr and "Traceback" not in stderr


def test_api_repr_is_short(logs):
    ev = api.control_evidence(logs, bootstrap=BOOT)
    text = repr(ev)
    assert "ControlEvidence(1 protocol(s))" in text and "safety_difficulty" in text
    assert len(text.splitlines()) == 3
    assert api.example_control_logs()[0].name.endswith((".eval", ".json"))
