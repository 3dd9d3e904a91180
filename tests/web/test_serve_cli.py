"""`crunchtime serve`: bad arguments are one line; a non-local host warns (checked without serving)."""

from __future__ import annotations

from cli_helpers import cli


def test_bad_port_is_one_line(capsys):
    code, _out, err = cli(capsys, "serve", "--port", "70000")
    assert code == 2 and err.strip() == "error: --port: must be in 1..65535, got 70000"


def test_serve_help_names_the_example(capsys):
    code, out, _ = cli(capsys, "serve", "--help")
    assert code == 0 and "crunchtime serve --port 8765 --open" in out


def test_serve_prints_its_url_and_warns_off_localhost(capsys, monkeypatch):
    uvicorn = __import__("pytest").importorskip("uvicorn", reason="needs uvicorn (pip install '.[test]')")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    code, out, err = cli(capsys, "serve", "--port", "9001")
    assert code == 0 and "http://127.0.0.1:9001/" in out and err == ""
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 9001
    code, out, err = cli(capsys, "serve", "--host", "0.0.0.0")
    assert code == 0 and "http://0.0.0.0:8765/" in out and err.startswith("warning: serving on 0.0.0.0")


def test_missing_fastapi_is_one_line(capsys, monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "crunchtime.web.app", raising=False)
    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if not installed
    code, _out, err = cli(capsys, "serve")
    assert code == 2
    assert (
        err.strip()
        == 'error: the web app needs FastAPI and uvicorn: pip install "crunchtime[web]" (fastapi is missing)'
    )


def test_jit_without_jax_is_one_line(capsys, monkeypatch):
    from crunchtime.engine import jit

    monkeypatch.setattr(jit, "available", lambda: False)
    for argv in (("serve", "--jit"), ("compare", "--plans", "clymer", "--samples", "256", "--jit", "--no-save")):
        code, _out, err = cli(capsys, *argv)
        assert code == 2, argv
        assert err.strip() == 'error: --jit: needs JAX, which is not installed: pip install "crunchtime[jit]"'


def test_serve_jit_hands_the_jit_to_the_app(capsys, monkeypatch):
    uvicorn = __import__("pytest").importorskip("uvicorn", reason="needs uvicorn (pip install '.[test]')")
    __import__("pytest").importorskip("jax", reason="needs JAX (pip install '.[test]')")
    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    code, _out, err = cli(capsys, "serve", "--jit", "--workers", "1", "--port", "9002")
    assert code == 0, err
    assert err.strip() == (
        "jit: the sliders' simulations run compiled on cpu:0; each new pair of plans compiles first (seconds)"
    )
    from fastapi.testclient import TestClient

    served = TestClient(apps[-1], base_url="http://127.0.0.1:9002")
    assert served.get("/api/meta").json()["engine"] == "jit"
    assert TestClient(apps[-1]).get("/api/meta").status_code == 421  # serve passes the bound address
