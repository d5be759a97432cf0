"""Browser fixtures shared by the tests in this folder: `streamlit run app.py` on a free port,
Debian's chromium through Playwright, a tab that collects console errors, and the checks every
page must pass. Every test here is marked `browser` (and kept on one xdist worker)."""

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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
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
# Streamlit's front end, opened at a page's own URL, first probes for its server one folder
# down (`/homecare/_stcore/health`) before finding it at the root: expected 404s, not faults.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(host-config|health)$")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, before `-m` selects, and group them on one
    xdist worker (one chromium at a time on a two-core machine)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def serve(app_path: Path) -> Callable[[Path, Path], contextlib.AbstractContextManager[str]]:
    """`with serve(db, log) as url`: `streamlit run app.py` on a free local port against `db`,
    its output in `log`; stopped at the end of the block."""

    @contextlib.contextmanager
    def _serve(db: Path, log: Path) -> Iterator[str]:
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
                    str(app_path),
                    "--server.headless=true",
                    f"--server.port={port}",
                    "--server.address=127.0.0.1",
                    "--browser.gatherUsageStats=false",
                    "--client.showErrorDetails=full",
                ],
                cwd=app_path.parent,
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

    return _serve


@pytest.fixture(scope="module")
def demo_db_module(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the demo database for the server (uploads and saves change it)."""
    target = tmp_path_factory.mktemp("browser_db") / "demo.duckdb"
    shutil.copyfile(demo_db, target)
    return target


@pytest.fixture(scope="module")
def server(
    serve: Callable[..., Any], demo_db_module: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One server for the module, against a private copy of the demo data."""
    with serve(demo_db_module, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh tab whose console errors, page errors and failed requests are collected in
    `tab.console_errors`."""
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
    tab.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=60_000)
    running = tab.get_by_test_id("stStatusWidget")
    idle_checks, deadline = 0, time.monotonic() + 120
    while idle_checks < 3 and time.monotonic() < deadline:
        idle_checks = 0 if running.count() else idle_checks + 1
        tab.wait_for_timeout(500)
    assert idle_checks >= 3, f"{heading}: the page was still running after two minutes"


@pytest.fixture(scope="session")
def settle() -> Callable[[Any, str], None]:
    """`settle(tab, heading)`: wait for the page heading, then until the script has been idle
    for a second and a half (the running indicator can take a moment to appear after the
    heading)."""
    return _settle


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


@pytest.fixture(scope="session")
def assert_clean() -> Callable[[Any, str], None]:
    """`assert_clean(tab, name)`: save a full-page screenshot `tests/artifacts/<name>.png`, then
    fail on any exception box, error message or browser console error."""
    return _assert_clean
