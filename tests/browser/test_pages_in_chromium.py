"""Every page in a real browser: Playwright drives Debian's chromium over `streamlit run`.

Fails on any exception box, error message or browser console error, and saves a full-page
screenshot of each page under `tests/artifacts/` for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (url path, heading the page must show)
PAGES = [
    ("", "Overview"),
    ("budget", "Budget and outturn"),
    ("homecare", "Homecare"),
    ("temporary_residential", "Temporary residential care"),
    ("discharges", "Hospital discharges"),
    ("scenarios", "Scenarios"),
    ("briefing", "Committee briefing"),
    ("benchmarks", "Benchmarks"),
    ("data", "Data"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _serve(db: Path, log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free local port against `db`; yields its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    port = _free_port()
    env = {**os.environ, "ASCDEMAND_DB": str(db)}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless=true",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false",
                "--client.showErrorDetails=full",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"streamlit did not start:\n{log.read_text()}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_db_module: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module, against a private copy of the demo data."""
    with _serve(demo_db_module, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def demo_db_module(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the demo database for the server (uploads and saves change it)."""
    target = tmp_path_factory.mktemp("browser_db") / "demo.duckdb"
    shutil.copyfile(demo_db, target)
    return target


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Streamlit's front end, opened at a page's own URL, first probes for its server one folder
# down (`/homecare/_stcore/health`) before finding it at the root: expected 404s, not faults.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(host-config|health)$")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and errors.append(msg.text)
        ),
    )
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.on(
        "response",
        lambda r: (
            r.status >= 400
            and not BASE_PATH_PROBE.search(r.url)
            and errors.append(f"HTTP {r.status} {r.url}")
        ),
    )
    tab.on("requestfailed", lambda r: errors.append(f"{r.failure} {r.url}"))
    tab.console_errors = errors  # type: ignore[attr-defined]
    yield tab
    context.close()


def _settle(tab, heading: str) -> None:
    """Wait for the page heading, then until the script has been idle for a second and a half
    (the running indicator can take a moment to appear after the heading)."""
    tab.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=60_000)
    running = tab.get_by_test_id("stStatusWidget")
    idle_checks, deadline = 0, time.monotonic() + 120
    while idle_checks < 3 and time.monotonic() < deadline:
        idle_checks = 0 if running.count() else idle_checks + 1
        tab.wait_for_timeout(500)
    assert idle_checks >= 3, f"{heading}: the page was still running after two minutes"


def _assert_clean(tab, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Streamlit scrolls inside its main container: grow the window to the content to see it all.
    height = tab.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    tab.set_viewport_size({"width": 1400, "height": min(max(int(height), 1000), 12000)})
    tab.wait_for_timeout(300)
    tab.screenshot(path=str(ARTIFACTS / f"{name or 'overview'}.png"), full_page=True)
    tab.set_viewport_size({"width": 1400, "height": 1000})
    exceptions = tab.locator("[data-testid='stException']").all_inner_texts()
    assert not exceptions, f"{name}: exception on the page: {exceptions}"
    errors = tab.locator("[data-testid='stAlertContentError']").all_inner_texts()
    assert not errors, f"{name}: error message on the page: {errors}"
    assert not tab.console_errors, f"{name}: browser console errors: {tab.console_errors}"


def test_direct_link_on_a_fresh_server_goes_through_the_app(demo_db, browser, tmp_path):
    """A shared link to a page, opened before anyone has visited the home page, still gets the
    app's navigation, access check and filters (not Streamlit's bare page-folder mode)."""
    with _serve(demo_db, tmp_path / "server.log") as url:
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(f"{url}/homecare")
        _settle(tab, "Homecare")
        sidebar = tab.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("Filters", exact=True).is_visible()
        assert sidebar.get_by_role("link", name="Budget and outturn").is_visible()
        tab.close()


@pytest.mark.parametrize(("path", "heading"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_page_opens_without_errors(server, page, path, heading):
    """Each page renders its heading and charts with no exception, error box or console error."""
    page.goto(f"{server}/{path}")
    _settle(page, heading)
    _assert_clean(page, path)


def test_district_filter_changes_the_homecare_view(server, page):
    """Choosing a district in the sidebar re-runs the page, narrows the figures and is kept
    in the address bar so the view can be shared."""
    page.goto(f"{server}/homecare")
    _settle(page, "Homecare")
    county = page.get_by_test_id("stMetricValue").first.inner_text()
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Melton", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**district=Melton**", timeout=30_000)
    _settle(page, "Homecare")
    melton = page.get_by_test_id("stMetricValue").first.inner_text()
    assert int(melton.replace(",", "")) < int(county.replace(",", ""))
    _assert_clean(page, "homecare_melton")


def test_csv_download_from_the_homecare_page(server, page):
    """The weekly table downloads as a CSV with a header row."""
    page.goto(f"{server}/homecare")
    _settle(page, "Homecare")
    page.get_by_text("Weekly figures").click()
    # The table inside renders after the expander opens and pushes the buttons down: click only
    # once the layout has settled, or a click on a loaded machine can land on the moving table.
    weekly = page.get_by_test_id("stExpander").filter(has_text="Weekly figures")
    weekly.get_by_test_id("stDataFrame").wait_for()
    button = weekly.get_by_role("button", name="Download CSV")
    button.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    with page.expect_download() as info:
        button.click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("week_start,people,hours")
    assert len(text.splitlines()) > 50


def test_scenario_inputs_change_the_results(server, page):
    """More discharges a week moves the scenario's headline numbers away from the baseline,
    and the slider for the weeks ahead re-runs the model without errors."""
    page.goto(f"{server}/scenarios")
    _settle(page, "Scenarios")
    before = page.get_by_test_id("stMetric").first.inner_text()
    box = page.get_by_label("Hospital discharges referred to social care (people a week)")
    box.fill("200")
    box.press("Enter")
    page.wait_for_timeout(500)
    _settle(page, "Scenarios")
    after = page.get_by_test_id("stMetric").first.inner_text()
    assert after != before
    slider = page.get_by_test_id("stSlider").get_by_role("slider").first
    slider.focus()
    for _ in range(5):
        slider.press("ArrowLeft")
    page.wait_for_timeout(500)
    _settle(page, "Scenarios")
    _assert_clean(page, "scenarios_changed")
