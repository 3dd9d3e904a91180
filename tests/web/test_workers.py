"""`crunchtime serve --workers N`: a pool of warm processes answers every move exactly as one process does."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web app's tests need FastAPI (pip install '.[test]')")
from fastapi.testclient import TestClient

from cli_helpers import cli
from crunchtime.web.app import create_app

BODY = {"scenario": "default", "plans": ["stop-now", "clymer"], "seed": 7, "parameters": {"Magma.lag_months": 4}}


def test_a_pool_of_two_answers_first_and_refined_moves_as_one_process_does(tmp_path):
    home = str(tmp_path)
    with TestClient(create_app(home=home)) as one, TestClient(create_app(home=home, workers=2)) as two:
        pool = two.app.state.pool
        assert one.app.state.pool is None and pool is not None and pool.workers == 2
        assert pool.wait_ready(120)
        for samples, gen in ((256, "1"), (1024, "1"), (512, None)):  # first answer, its refinement, a plain one
            headers = {"X-Client": "w", "X-Generation": gen} if gen else {}
            a = one.post("/api/compare", json=BODY | {"samples": samples}, headers=headers)
            b = two.post("/api/compare", json=BODY | {"samples": samples}, headers=headers)
            assert a.status_code == b.status_code == 200
            assert a.content == b.content  # the same bytes, page extras included
    assert pool._closed  # the app's shutdown closed it


def test_serve_workers_goes_to_the_app_and_bad_values_are_one_line(capsys, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn", reason="needs uvicorn (pip install '.[test]')")
    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    code, out, err = cli(capsys, "serve", "--workers", "3", "--port", "9003")
    assert code == 0, err
    assert "workers: 3 warm processes" in out
    code, out, _ = cli(capsys, "serve", "--workers", "1", "--port", "9003")
    assert code == 0 and "workers:" not in out
    code, _out, err = cli(capsys, "serve", "--workers", "0")
    assert code == 2 and err.strip() == "error: --workers: must be a whole number in 1..256, got 0"


def test_serve_jit_on_a_cpu_starts_workers_and_on_a_gpu_refuses_them(capsys, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn", reason="needs uvicorn (pip install '.[test]')")
    pytest.importorskip("jax", reason="needs JAX (pip install '.[test]')")
    from crunchtime import api

    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    monkeypatch.setattr(api, "jit_on_cpu", lambda: True)  # whatever this machine has
    code, out, err = cli(capsys, "serve", "--jit", "--workers", "2", "--port", "9004")
    assert code == 0, err
    assert "workers: 2 warm processes" in out and "each new plan compiles in every worker first" in err
    monkeypatch.setattr(api, "jit_device", lambda: "cuda:0")
    monkeypatch.setattr(api, "jit_on_cpu", lambda: False)
    code, _out, err = cli(capsys, "serve", "--jit", "--workers", "2")
    assert (
        code == 2
        and err.strip() == "error: --workers: the jit runs on cuda:0: one process uses it; give 1 (or leave it out)"
    )
    code, out, err = cli(capsys, "serve", "--jit", "--port", "9004")  # on a GPU the default is one process
    assert code == 0 and "workers:" not in out


@pytest.mark.slow
def test_a_newer_move_cancels_the_older_move_computing_on_the_pool(tmp_path):
    import threading
    import time

    with TestClient(create_app(home=str(tmp_path), workers=2)) as client:
        assert client.app.state.pool.wait_ready(120)
        answers: dict = {}

        def old_move() -> None:
            t0 = time.perf_counter()
            r = client.post(
                "/api/compare", json=BODY | {"samples": 4096}, headers={"X-Client": "c", "X-Generation": "1"}
            )
            answers["old"], answers["old_s"] = r, time.perf_counter() - t0

        thread = threading.Thread(target=old_move)
        thread.start()
        time.sleep(0.5)  # the old move is computing: 4,096 worlds x 2 plans take seconds
        new = client.post("/api/compare", json=BODY | {"samples": 256}, headers={"X-Client": "c", "X-Generation": "2"})
        thread.join(120)
        assert new.status_code == 200 and new.json()["samples"] == 256
        assert answers["old"].status_code == 409 and answers["old"].json()["superseded"] is True


def test_a_jit_pool_says_when_it_compiles_and_refines_the_first_answer(tmp_path):
    pytest.importorskip("jax", reason="needs JAX (pip install '.[test]')")
    body = BODY | {"plans": ["stop-now", "clymer"]}
    with TestClient(create_app(home=str(tmp_path), jit=True, workers=2)) as client:
        pool = client.app.state.pool
        assert client.post("/api/compiled", json=body | {"samples": 256}).json()["compiled"] is False  # warming
        assert pool.wait_ready(300)  # each worker compiled the opening plans as it started
        assert client.post("/api/compiled", json=body | {"samples": 1024}).json() == {"compiled": True, "engine": "jit"}
        rsp = body | {"plans": ["stop-now", "rsp"]}
        assert client.post("/api/compiled", json=rsp | {"samples": 256}).json()["compiled"] is False
        headers = {"X-Client": "j", "X-Generation": "1"}
        first = client.post("/api/compare", json=body | {"samples": 256}, headers=headers)
        assert first.status_code == 200
        kept = client.app.state.first_answers.get(client.app.state.first_answers.key("j", 1, body | {"samples": 256}))
        assert kept is not None  # under the jit on a pool the first answer is kept, to be refined
        refined = client.post("/api/compare", json=body | {"samples": 1024}, headers=headers)
        assert refined.status_code == 200 and refined.json()["samples"] == 1024
        plain = client.post("/api/compare", json=body | {"samples": 1024})  # all 1,024 worlds simulated
        assert plain.status_code == 200 and refined.content == plain.content  # refining only added worlds
