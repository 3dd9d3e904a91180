"""DNS rebinding and cross-origin POSTs: a hostile `Host` gets 421, a foreign `Origin` on a POST 403."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web app's tests need FastAPI (pip install '.[test]')")
from fastapi.testclient import TestClient

from crunchtime.web.app import create_app
from crunchtime.web.security import host_allowed, served_hosts

PLAN_BODY = {"yaml": "name: p\ndescription: d\n"}


@pytest.fixture(scope="module")
def bound(tmp_path_factory):
    """An app told it is served on 127.0.0.1:8765 (as `crunchtime serve` builds it)."""
    app = create_app(home=str(tmp_path_factory.mktemp("home")), allowed_hosts=served_hosts("127.0.0.1", 8765))
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        yield c


@pytest.mark.parametrize("host", ["evil.example:8765", "evil.example", "127.0.0.1:9999", "localhost.evil:8765", ""])
def test_a_hostile_host_is_refused(bound, host):
    r = bound.get("/api/meta", headers={"host": host})
    assert r.status_code == 421
    assert list(r.json()) == ["error"] and "\n" not in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765", "[::1]:8765"])
def test_the_served_address_and_its_loopback_names_pass(bound, host):
    assert bound.get("/api/meta", headers={"host": host}).status_code == 200


def test_a_cross_origin_post_is_refused(bound):
    for origin in ("http://evil.example", "null", "http://localhost:8765", "https://127.0.0.1:8765"):
        r = bound.post("/api/plan", json=PLAN_BODY, headers={"origin": origin})
        assert r.status_code == 403, origin
        assert r.json() == {"error": "origin: cross-origin requests are refused"}


def test_same_origin_and_no_origin_posts_pass(bound):
    assert bound.post("/api/plan", json=PLAN_BODY, headers={"origin": "http://127.0.0.1:8765"}).status_code == 200
    assert (
        bound.post(
            "/api/plan", json=PLAN_BODY, headers={"host": "localhost:8765", "origin": "http://localhost:8765"}
        ).status_code
        == 200
    )
    assert bound.post("/api/plan", json=PLAN_BODY).status_code == 200  # curl, scripts: no Origin


def test_a_cross_origin_get_is_answered_but_unreadable():
    """GETs change nothing; the browser's same-origin policy keeps their answers from another site's script."""
    with TestClient(create_app()) as c:  # the default: TestClient's `testserver` and loopback names
        assert c.get("/api/meta", headers={"origin": "http://evil.example"}).status_code == 200
        assert c.get("/api/meta", headers={"host": "evil.example"}).status_code == 421


def test_served_hosts_and_matching():
    assert served_hosts("127.0.0.1", 80) == ("127.0.0.1:80", "localhost:80", "[::1]:80")
    assert served_hosts("192.168.1.5", 80) == ("192.168.1.5:80",)
    wildcard = served_hosts("0.0.0.0", 80)
    assert host_allowed("192.168.1.5:80", wildcard) and host_allowed("[fe80::1]:80", wildcard)
    assert not host_allowed("rebind.evil:80", wildcard) and not host_allowed("192.168.1.5:81", wildcard)
    assert host_allowed("testserver", ("testserver",)) and not host_allowed("testserver:1", ("x:1",))
