"""The arcade in a real browser: Playwright driving Debian's /usr/bin/chromium against a live server.

Playwright's own browser download cannot work here; the tests use the system Chromium (`.ci/run`
installs the Debian package) and skip, saying why, only when it or Playwright is absent. The page runs
at 256 worlds per plan (`#n=256` in the URL) to keep each test to seconds.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytest.importorskip("fastapi", reason="the web app's tests need FastAPI (pip install '.[test]')")
uvicorn = pytest.importorskip("uvicorn", reason="the web app's tests need uvicorn (pip install '.[test]')")
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install '.[test]')")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="browser tests need /usr/bin/chromium (Debian package `chromium`)"
)
expect = sync_api.expect
SMALL = "#n=256"
WAIT_MS = 90_000  # one answer on a loaded, shared CPU


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from crunchtime.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(home=str(tmp_path_factory.mktemp("home"))), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1300, "height": 1000})
    pg = context.new_page()
    pg.problems = []  # console errors (a CSP violation is one) and uncaught exceptions
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    yield pg
    context.close()


def _answered(pg):
    expect(pg.locator("#status")).to_contain_text("answered", timeout=WAIT_MS)
    expect(pg.locator("#status")).not_to_have_class(re.compile("busy"), timeout=WAIT_MS)
    return pg.locator("#status").get_attribute("data-catastrophe")


def _move(pg, slider_name, key):
    s = pg.locator(f'input[aria-label="{slider_name}"]')
    s.focus()
    pg.keyboard.press(key)


def test_page_loads_and_draws(server, page):
    page.goto(server + SMALL)
    _answered(page)
    expect(page.locator("#status")).to_contain_text("256 paired worlds")
    for chart in ("outcomes", "world-outcomes", "magma-paths", "horizon", "diff", "timeline", "risk", "world"):
        expect(page.locator(f"#{chart}-chart svg")).to_have_count(1)
    expect(page.locator("#outcomes-chart")).to_contain_text("Catastrophe")
    expect(page.locator("#world-outcomes-chart")).to_contain_text("Trustworthy obsolescence")
    expect(page.locator("#magma-paths-chart")).to_contain_text("Was overtaken")
    expect(page.locator("#horizon-chart")).to_contain_text("12 months after included")
    expect(page.locator("#diff-chart")).to_contain_text("Catastrophe + 12 months after")
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("footer")).to_contain_text("engine: numpy")
    page.locator("#step").click()
    expect(page.locator("#month-label")).to_contain_text("(month 0)")
    assert page.problems == []


def test_moving_a_slider_changes_the_numbers(server, page):
    page.goto(server + SMALL)
    before = _answered(page)
    text_before = page.locator("#outcomes-chart").text_content()
    _move(page, "safety_difficulty", "End")  # the hardest safety the belief allows
    expect(page.locator("#status")).not_to_have_attribute("data-catastrophe", before, timeout=WAIT_MS)
    after = _answered(page)
    assert float(after) > float(before)  # harder safety, same worlds: more catastrophe
    assert page.locator("#outcomes-chart").text_content() != text_before
    expect(page.locator('.slider[data-name="safety_difficulty"]')).to_have_class(re.compile("pinned"))
    assert "x.safety_difficulty=" in page.url


def test_url_state_round_trip(server, page, browser):
    page.goto(server + SMALL)
    _answered(page)
    _move(page, "political_will0", "End")
    _move(page, "lagging_months", "Home")
    page.locator("#seed").fill("7")
    page.locator("#seed").dispatch_event("change")
    expect(page.locator("#status")).to_contain_text("seed 7", timeout=WAIT_MS)
    value = _answered(page)
    page.locator("#share").click()
    url = page.locator("#share-url").input_value()
    assert url.startswith(server) and "x.political_will0=" in url and "k.lagging_months=0" in url
    other = browser.new_page()
    other.goto(url)
    assert _answered(other) == value
    expect(other.locator('.slider[data-name="political_will0"]')).to_have_class(re.compile("pinned"))
    expect(other.locator('.slider[data-name="lagging_months"]')).to_have_class(re.compile("pinned"))
    expect(other.locator("#seed")).to_have_value("7")
    other.close()


def test_save_a_plan_and_load_it_back(server, page, tmp_path, capsys):
    from cli_helpers import cli

    page.goto(server + SMALL)
    _answered(page)
    _move(page, "lagging_months", "Home")  # lagging means any lag at all
    expect(page.locator('.slider[data-name="lagging_months"]')).to_have_class(re.compile("pinned"))
    tuned = _answered(page)
    with page.expect_download() as dl:
        page.locator("#save-plan").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == "clymer-tuned.yaml"
    assert cli(capsys, "validate", str(path))[0] == 0

    fresh = page.context.new_page()
    fresh.goto(server + SMALL)
    _answered(fresh)
    fresh.locator("#load-plan").set_input_files(str(path))
    expect(fresh.locator("#plan-name")).to_have_text("clymer-tuned", timeout=WAIT_MS)
    expect(fresh.locator("#plan option:checked")).to_have_text("clymer-tuned (loaded)")
    expect(fresh.locator("#status")).to_have_attribute("data-catastrophe", tuned, timeout=WAIT_MS)
    expect(fresh.locator("#error")).to_be_hidden()


def test_an_invalid_plan_shows_its_error(server, page):
    page.goto(server + SMALL)
    _answered(page)
    page.locator("#plan-editor summary").click()
    page.locator("#plan-text").fill("name: broken\ndescription: d\ndefaults: {velocity: 7}\n")
    page.locator("#apply-plan").click()
    error = page.locator("#error")
    expect(error).to_be_visible(timeout=WAIT_MS)
    expect(error).to_contain_text("velocity")
    assert "\n" not in error.text_content() and "Traceback" not in error.text_content()
    expect(page.locator("#plan-name")).to_have_text("clymer")  # the page keeps the last good plan
    page.locator("#plan-text").fill('name: markup\ndescription: "<img src=x onerror=alert(1)>"\n')
    page.locator("#apply-plan").click()
    expect(page.locator("#plan-name")).to_have_text("markup", timeout=WAIT_MS)
    expect(page.locator("#plan-description")).to_have_text("<img src=x onerror=alert(1)>")
    assert page.locator("img").count() == 0  # user text is text, never markup


STAGES_JS = """() => {
  window.__stages = [];
  document.addEventListener("DOMContentLoaded", () => {
    const s = document.getElementById("status");
    new MutationObserver(() => window.__stages.push([s.dataset.stage || "", s.dataset.samples || "", s.textContent]))
      .observe(s, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}"""


def test_progressive_first_answer_then_refinement(server, page):
    """At 1,024 worlds the page first shows 256 ("refining…"), then the 1,024-world answer."""
    page.add_init_script(f"({STAGES_JS})()")
    page.goto(server + "#n=1024")
    expect(page.locator("#status")).to_have_attribute("data-stage", "answered", timeout=WAIT_MS)
    _answered(page)
    expect(page.locator("#status")).to_have_attribute("data-samples", "1024")
    expect(page.locator("#status")).to_contain_text("1,024 paired worlds")
    stages = page.evaluate("window.__stages")
    shown = [(stage, n) for stage, n, _ in stages if stage in ("refining", "answered")]
    assert shown[0] == ("refining", "256") and shown[-1] == ("answered", "1024"), shown
    assert any("256 worlds, refining to 1,024" in text for stage, _, text in stages if stage == "refining")
    assert page.problems == []


def test_a_fast_drag_computes_only_the_last_move(server, page, monkeypatch):
    """Ten key presses 60 ms apart: stale first answers are dropped and only the last move is refined."""
    from crunchtime.web import app as web_app_module

    computed = []
    real = web_app_module.compare_payload

    def recording(req, *args):
        computed.append((req.samples, dict(req.parameters)))
        time.sleep(0.2)  # every answer slower than the key presses, on any machine
        return real(req, *args)

    page.goto(server + "#n=1024")
    expect(page.locator("#status")).to_have_attribute("data-stage", "answered", timeout=WAIT_MS)
    _answered(page)
    monkeypatch.setattr(web_app_module, "compare_payload", recording)
    slider = page.locator('input[aria-label="safety_difficulty"]')
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
    expect(page.locator("#status")).to_have_attribute("data-stage", "answered", timeout=WAIT_MS)
    _answered(page)
    expect(page.locator("#status")).to_have_attribute("data-samples", "1024")
    refined = [params for n, params in computed if n == 1024]
    firsts = [params for n, params in computed if n == 256]
    assert len(refined) == 1 and refined[0] == firsts[-1], computed  # only the last position refined
    assert len(firsts) < 10, computed  # stale first answers were dropped, not computed
    assert page.problems == []


def test_under_jit_the_first_compile_is_named(server, page):
    """While /api/compiled says a compile is due, the status says so (the server's answers stubbed as under --jit)."""
    import json

    def meta_as_jit(route):
        body = route.fetch().json() | {"engine": "jit"}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/meta", meta_as_jit)
    page.route(
        "**/api/compiled",
        lambda route: route.fulfill(status=200, content_type="application/json", body='{"compiled": false}'),
    )
    page.add_init_script(f"({STAGES_JS})()")
    page.goto(server + SMALL)
    _answered(page)
    texts = [text for stage, _, text in page.evaluate("window.__stages") if stage == "compiling"]
    assert texts and texts[0] == "compiling the model (once)…", page.evaluate("window.__stages")
    expect(page.locator("footer")).to_contain_text("engine: jit")
