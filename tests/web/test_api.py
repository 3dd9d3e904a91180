"""The web app's JSON API through FastAPI's TestClient: same numbers as the CLI, bounded inputs, headers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cli_helpers import cli

pytest.importorskip("fastapi", reason="the web app's tests need FastAPI (pip install '.[test]')")
from fastapi.testclient import TestClient

from crunchtime import api
from crunchtime.web import limits
from crunchtime.web.app import create_app
from crunchtime.web.stale import Generations

N = 256  # one random block: the smallest sample count, fast


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(home=str(tmp_path_factory.mktemp("home")))) as c:
        yield c


def _post(client, body, **headers):
    return client.post("/api/compare", json=body, headers=headers)


def test_compare_equals_the_cli_json(client, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    code, out, err = cli(
        capsys, "compare", "--plans", "stop-now,clymer", "--samples", str(N), "--seed", "3", "--json", "--no-save"
    )
    assert code == 0, err
    r = _post(client, {"scenario": "default", "plans": ["stop-now", "clymer"], "samples": N, "seed": 3})
    assert r.status_code == 200
    body = r.json()
    page = body.pop("page")
    assert body.pop("parameters") == {}
    assert body == json.loads(out)
    assert page["plans"] == ["stop-now", "clymer"]
    assert set(page["milestones"]["clymer"]) == set(api.MILESTONES)


def test_parameters_are_a_design_at_that_value(client):
    """A slider value is every trajectory at that value: the same numbers as api.compare with np.full."""
    body = {
        "scenario": "default",
        "plans": ["clymer", "stop-now"],
        "samples": N,
        "seed": 1,
        "parameters": {"safety_difficulty": 30.0, "Magma.lag_months": 4.0},
    }
    r = _post(client, body)
    assert r.status_code == 200, r.text
    cmp = api.compare(
        "default",
        ["clymer", "stop-now"],
        samples=N,
        seed=1,
        design={"safety_difficulty": np.full(N, 30.0), "Magma.lag_months": np.full(N, 4.0)},
    )
    assert r.json()["plans"] == json.loads(json.dumps(cmp.summary()))["plans"]
    easy = _post(client, {**body, "parameters": {"safety_difficulty": 0.05}}).json()
    # much easier safety (same worlds and shocks) cannot make clymer's catastrophe more likely here
    assert (
        easy["plans"]["clymer"]["outcomes"]["catastrophe"]["p"]
        <= r.json()["plans"]["clymer"]["outcomes"]["catastrophe"]["p"]
    )


def test_plan_yaml_text_is_accepted(client):
    text = "name: lag3\nextends: clymer\nparams: {lagging_months: 3}\n"
    r = _post(client, {"plans": ["clymer", text], "samples": N})
    assert r.status_code == 200, r.text
    assert r.json()["page"]["plans"] == ["clymer", "lag3"]


def test_world_series_are_one_trajectory(client):
    r = _post(client, {"plans": ["clymer", "stop-now"], "samples": N, "seed": 2, "world": 5}).json()
    w = r["page"]["world"]["clymer"]
    assert len(w["series"]["ai_rd_speedup"]) == r["horizon_months"]
    assert w["outcome"] in api.OUTCOMES
    res = api.simulate("default", "clymer", samples=N, seed=2)
    assert w["outcome"] == api.OUTCOMES[int(res.outcome[5])]


@pytest.mark.parametrize(
    "body, needle",
    [
        ({"plans": []}, "plans:"),
        ({"plans": ["no-such-plan"]}, "no built-in plan 'no-such-plan'"),
        ({"plans": ["clymer"], "samples": 0}, "samples:"),
        ({"plans": ["clymer"], "samples": limits.MAX_COMPARE_SAMPLES + 1}, "samples:"),
        ({"plans": ["clymer"], "samples": "many"}, "samples:"),
        ({"plans": ["clymer"], "seed": -1}, "seed:"),
        ({"plans": ["clymer"], "scenario": "/etc/passwd"}, "scenario:"),
        ({"plans": ["clymer", "clymer"]}, "distinct"),
        ({"plans": ["clymer"], "parameters": {"safety_difficulty": 1e9}}, "outside its valid range"),
        ({"plans": ["clymer"], "parameters": {"nope": 1}}, "unknown parameter 'nope'"),
        ({"plans": ["clymer"], "parameters": {"safety_difficulty": "hard"}}, "expected a finite number"),
        ({"plans": ["clymer"], "extra": 1}, "unknown field"),
        ({"plans": ["name: x\nextends: /etc/passwd\n"]}, "built-in plans only"),
        ({"plans": ["name: bad\ndescription: d\ndefaults: {velocity: 7}\n"]}, "velocity"),
        ({"plans": ["name: [unclosed\n"]}, "plans[0]"),
        ({"plans": ["x" * (limits.MAX_PLAN_TEXT + 1) + ":"]}, "longer than"),
    ],
)
def test_bad_input_is_a_400_with_one_line(client, body, needle):
    r = _post(client, {"samples": N, **body})
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert needle in err and "\n" not in err and "Traceback" not in err


def test_not_json_and_not_an_object(client):
    r = client.post("/api/compare", content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "body: not valid JSON"
    r = client.post("/api/compare", json=[1, 2])
    assert r.status_code == 400 and r.json()["error"].startswith("body:")


def test_body_limit(client):
    big = {"plans": ["clymer"], "pad": "x" * (limits.MAX_BODY_BYTES + 10)}
    r = client.post("/api/compare", content=json.dumps(big).encode(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "larger than" in r.json()["error"]


def test_security_headers(client):
    for path in ("/", "/static/app.js", "/api/meta"):
        r = client.get(path)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in client.get("/").text  # no inline script: the CSP would block it


def test_sliders_span_the_belief_within_valid_ranges(client):
    r = client.get("/api/scenario/default").json()
    names = [s["name"] for s in r["sliders"]]
    assert {"doublings_to_3x", "safety_difficulty", "Magma.lag_months", "political_will0"} <= set(names)
    assert "Frontier Lab A.aggression" in names
    for s in r["sliders"]:
        lo, hi = s["valid"]
        assert lo <= s["min"] < s["max"] <= hi and s["min"] <= s["median"] <= s["max"]


def test_plan_endpoint_retunes_and_round_trips(client, tmp_path, capsys):
    info = client.get("/api/plan/clymer").json()
    assert {p["name"] for p in info["params"]} >= {"lagging_months"}
    tuned = client.post("/api/plan", json={"yaml": info["yaml"], "params": {"lagging_months": 2}, "name": "c2"}).json()
    assert tuned["name"] == "c2" and {p["name"]: p["value"] for p in tuned["params"]}["lagging_months"] == 2
    f = tmp_path / "c2.yaml"
    f.write_text(tuned["yaml"], encoding="utf-8")
    code, _, err = cli(capsys, "validate", str(f))
    assert code == 0, err
    bad = client.post("/api/plan", json={"yaml": "name: x\nrules: 3\n"})
    assert bad.status_code == 400 and "\n" not in bad.json()["error"]


def test_stale_requests_are_dropped():
    g = Generations(max_clients=2)
    g.register("a", 1)
    assert not g.superseded("a", 1)
    g.register("a", 3)
    g.register("a", 2)  # a late, older request does not win
    assert g.superseded("a", 1) and g.superseded("a", 2) and not g.superseded("a", 3)
    g.register("b", 1)
    g.register("c", 1)  # bounded: the oldest client is forgotten
    assert not g.superseded("a", 1)


def test_superseded_request_gets_409_without_computing(client):
    client.app.state.generations.register("page1", 10)
    r = _post(client, {"plans": ["clymer"], "samples": N}, **{"X-Client": "page1", "X-Generation": "9"})
    assert r.status_code == 409 and r.json()["superseded"] is True
    ok = _post(client, {"plans": ["clymer"], "samples": N}, **{"X-Client": "page1", "X-Generation": "11"})
    assert ok.status_code == 200
    bad = _post(client, {"plans": ["clymer"], "samples": N}, **{"X-Client": "<script>", "X-Generation": "1"})
    assert bad.status_code == 400


@pytest.mark.slow  # polls the job with sleeps
def test_report_job_runs_to_a_download(client):
    r = client.post("/api/report", json={"plans": ["stop-now", "clymer"], "samples": N, "seed": 0})
    assert r.status_code == 200, r.text
    job = r.json()["job"]
    import time

    for _ in range(600):
        state = client.get(f"/api/report/{job}").json()
        if state["state"] in ("done", "error"):
            break
        time.sleep(0.1)
    assert state["state"] == "done", state
    html = client.get(f"/api/report/{job}/html")
    assert html.status_code == 200 and "<html" in html.text[:500].lower()
    assert "attachment" in html.headers["content-disposition"]
    assert client.get("/api/report/nope").status_code == 404


def test_the_jit_app_answers_as_numpy_does(client, tmp_path):
    pytest.importorskip("jax", reason="the jit needs JAX (pip install '.[test]')")
    body = {
        "scenario": "default",
        "plans": ["clymer", "stop-now"],
        "samples": N,
        "seed": 5,
        "parameters": {"safety_difficulty": 2.0},
    }
    with TestClient(create_app(home=str(tmp_path), jit=True)) as jitted:
        assert jitted.get("/api/meta").json()["engine"] == "jit"
        got = _post(jitted, body).json()
    assert client.get("/api/meta").json()["engine"] == "numpy"
    want = _post(client, body).json()
    for name in ("clymer", "stop-now"):
        assert got["plans"][name]["outcomes"] == want["plans"][name]["outcomes"]


def test_the_page_gets_both_classifications_and_the_risk_left_at_the_horizon(client):
    meta = client.get("/api/meta").json()
    assert meta["world_outcomes"] == ["catastrophe", "coordinated_pause", "trustworthy_obsolescence", "unresolved"]
    assert "overtaken" in meta["magma_paths"] and set(meta["labels"]["magma_paths"]) == set(meta["magma_paths"])
    assert meta["horizon_risk_months"] == 12 and meta["outcomes"][0] == "catastrophe"  # the legacy list stays
    r = _post(client, {"plans": ["rsp", "clymer"], "samples": N, "seed": 2, "world": 3}).json()
    for name in ("rsp", "clymer"):
        s = r["plans"][name]
        assert set(s["world_outcomes"]) == set(meta["world_outcomes"]) and "outcomes" in s
        assert s["horizon_risk"]["months_after"] == 12
        w = r["page"]["world"][name]
        assert w["world_outcome"] in meta["world_outcomes"] and w["magma_path"] in meta["magma_paths"]
    assert r["plans"]["rsp"]["magma_paths"]["chose_self_destruction"]["p"] == 0
    assert any(d["metric"] == "catastrophe_with_horizon_risk" for d in r["world_differences"])
