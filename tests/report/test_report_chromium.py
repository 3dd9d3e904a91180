"""Open the five-plan report in headless Chromium (file://, no network): every figure renders."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from dom_check import COMPARE_FIGURE_IDS, figures_in

from crunchtime.report import write_html

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="headless test needs /usr/bin/chromium (Debian package `chromium`)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_five_plan_report_in_headless_chromium(five_plan_html: str, tmp_path: Path) -> None:
    report = write_html(five_plan_html, tmp_path / "report.html")
    url = report.as_uri()
    dom = _chromium(tmp_path, "--dump-dom", url).stdout
    figs = figures_in(dom)
    for fid in COMPARE_FIGURE_IDS:
        assert fid in figs and figs[fid]["svg"] >= 1 and figs[fid]["path"] > 10, (fid, figs.get(fid))

    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,6000", url)
    from PIL import Image

    image = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert image.shape == (6000, 1400)
    # drawn, not blank: every 1000-pixel band of the page has ink on it
    bands = image.reshape(6, 1000, 1400)
    assert (bands.std(axis=(1, 2)) > 10).all()


def test_seven_plan_tables_fit_a_laptop_window(tmp_path: Path) -> None:
    """Every table of a report comparing all seven built-in plans fits a 1280-pixel window: no sideways scroll."""
    playwright = pytest.importorskip("playwright.sync_api", reason="the layout check drives Chromium with Playwright")
    from crunchtime import api

    plans = [name for name, _ in api.list_plans()]
    assert len(plans) >= 7
    cmp = api.compare("default", plans, samples=256, seed=1)
    report = api.write_report(api.save_run(cmp, home=tmp_path), tmp_path / "seven.html", home=tmp_path)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri())
        widths = page.evaluate("[...document.querySelectorAll('.tablewrap')].map(w => [w.scrollWidth, w.clientWidth])")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert len(widths) >= 8
    assert all(scroll <= client for scroll, client in widths), widths
    assert page_width <= 1280
