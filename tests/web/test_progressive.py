"""Progressive answers: the 256-world first answer is the refined answer's first 256 worlds; the compile notice."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the web app's tests need FastAPI (pip install '.[test]')")
from fastapi.testclient import TestClient

from crunchtime import api
from crunchtime.web.app import create_app

BODY = {"scenario": "default", "plans": ["stop-now", "clymer"], "seed": 5, "parameters": {"safety_difficulty": 20.0}}
PER_WORLD = ("outcome", "outcome_month", "world_outcome", "magma_path", "cat_source", "milestones", "speedup_paths")


def _rest(body):
    import json

    return json.dumps({k: v for k, v in body.items() if k not in ("samples", "world")}, sort_keys=True)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(home=str(tmp_path_factory.mktemp("home")))) as c:
        yield c


def test_the_refined_answer_contains_the_first_answer_world_for_world():
    first = api.compare("default", ["stop-now", "clymer"], samples=256, seed=5)
    full = api.compare("default", ["stop-now", "clymer"], samples=1024, seed=5)
    for name in ("stop-now", "clymer"):
        a, b = first.results[name], full.results[name]
        for field in PER_WORLD:
            np.testing.assert_array_equal(getattr(b, field)[:256], getattr(a, field), err_msg=f"{name}.{field}")
        np.testing.assert_array_equal(b.series_kept[..., :256], a.series_kept)


def test_first_then_refined_through_the_api(client):
    headers = {"X-Client": "prog", "X-Generation": "1"}
    first = client.post("/api/compare", json=BODY | {"samples": 256}, headers=headers)
    refined = client.post("/api/compare", json=BODY | {"samples": 1024}, headers=headers)  # same generation
    assert first.status_code == refined.status_code == 200
    a, b = first.json(), refined.json()
    assert (a["samples"], b["samples"]) == (256, 1024)
    assert set(a) == set(b)  # one shape for both stages
    world_a, world_b = a["page"]["world"], b["page"]["world"]  # world 0: the same sampled world in both
    assert world_a == world_b
    assert client.app.state.first_answers.get(("prog", 1, _rest(BODY))) is not None  # kept, then refined
    whole = client.post("/api/compare", json=BODY | {"samples": 1024}).json()  # no generation: all worlds anew
    assert {k: v for k, v in b.items() if k != "page"} == {k: v for k, v in whole.items() if k != "page"}
    ci = [r["plans"]["clymer"]["outcomes"]["catastrophe"] for r in (a, b)]
    width = [c["high"] - c["low"] for c in ci]
    assert width[1] < width[0]  # the interval narrows as worlds are added


def test_a_newer_move_drops_the_older_refinement(client):
    client.app.state.generations.register("prog2", 2)  # the page has moved on to generation 2
    r = client.post("/api/compare", json=BODY | {"samples": 1024}, headers={"X-Client": "prog2", "X-Generation": "1"})
    assert r.status_code == 409 and r.json()["superseded"] is True


def test_compiled_is_always_true_under_numpy(client):
    r = client.post("/api/compiled", json=BODY | {"samples": 256})
    assert r.json() == {"compiled": True, "engine": "numpy"}
    assert client.post("/api/compiled", json=BODY | {"samples": 0}).status_code == 400


def test_jit_ready_turns_true_after_the_first_compile():
    pytest.importorskip("jax", reason="needs JAX (pip install '.[test]')")
    plans = ["stop-now", "rsp"]
    assert api.jit_ready("default", plans, 256) is False
    with TestClient(create_app(jit=True)) as c:
        assert c.post("/api/compiled", json=BODY | {"plans": plans, "samples": 256}).json()["compiled"] is False
        assert c.post("/api/compare", json=BODY | {"plans": plans, "samples": 256}).status_code == 200
        assert c.post("/api/compiled", json=BODY | {"plans": plans, "samples": 256}).json()["compiled"] is True
    assert api.jit_ready("default", plans, 256) is True
    assert api.jit_ready("default", plans, 512) is False  # a new chunk shape compiles again


def test_refine_adds_worlds_and_equals_the_full_comparison():
    design = {"safety_difficulty": np.full(1024, 20.0)}
    first = api.compare(
        "default",
        ["stop-now", "clymer"],
        samples=256,
        seed=5,
        design={"safety_difficulty": design["safety_difficulty"][:256]},
    )
    refined = api.refine(first, 1024, design=design)
    full = api.compare("default", ["stop-now", "clymer"], samples=1024, seed=5, design=design)
    assert refined.summary() == full.summary()
    for name in full.plans:
        for field in (*PER_WORLD, "series_kept", "horizon_hazard"):
            np.testing.assert_array_equal(getattr(refined[name], field), getattr(full[name], field), err_msg=field)
        for field in ("series_mean", "risk"):  # means summed chunk by chunk: float rounding, as across chunk sizes
            np.testing.assert_allclose(getattr(refined[name], field), getattr(full[name], field), rtol=1e-12)
    with pytest.raises(api.ArgumentError, match="design"):
        api.refine(first, 1024, design={"safety_difficulty": np.full(1024, 21.0)})
    with pytest.raises(api.ArgumentError, match="samples"):
        api.refine(first, 256, design=design)
