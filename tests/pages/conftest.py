"""AppTest helpers shared by every page test: open the app on a database, go to a page, and
check that it ran without an exception and shows its title."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP_TIMEOUT = 120
"""Seconds an AppTest run may take: the first run of a page fits its forecasts."""
PAGE_TITLES = {
    "overview": "Overview",
    "budget": "Budget and outturn",
    "homecare": "Homecare",
    "temporary_residential": "Temporary residential care",
    "discharges": "Hospital discharges",
    "scenarios": "Scenarios",
    "briefing": "Committee briefing",
    "benchmarks": "Benchmarks",
    "data": "Data",
}
"""Each page (its file stem under `pages/`) and the title it shows."""


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Cached results never carry over from one test to the next."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def check_title(at: AppTest, page: str) -> None:
    """The page ran without an exception and shows its own title."""
    assert not at.exception, [e.value for e in at.exception]
    titles = [t.value for t in at.title]
    assert titles[:1] == [PAGE_TITLES[page]], f"pages/{page}.py shows {titles}"


@pytest.fixture
def open_app(app_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`open_app(page, db=...)`: run `app.py` on the database at `db`, switch to
    `pages/<page>.py` and check it ran without an exception and shows its title.

    Keywords: `query` (address-bar parameters), `secrets` and `user` (single sign-on), and
    `timeout`. With `page=None` the app stays on its default page, unchecked: which one that is
    depends on the user's role.
    """

    def _open(
        page: str | None = None,
        *,
        db: Path,
        query: Mapping[str, str | list[str]] | None = None,
        secrets: Mapping[str, Any] | None = None,
        user: Mapping[str, Any] | None = None,
        timeout: float = APP_TIMEOUT,
    ) -> AppTest:
        monkeypatch.setenv("ASCDEMAND_DB", str(db))
        at = AppTest.from_file(str(app_path), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = dict(user)
        at.run()
        if page is None:
            assert not at.exception, [e.value for e in at.exception]
        else:
            # The default page's own run is not checked here: a test of one page may give the
            # app a database that only that page is meant for.
            at.switch_page(f"pages/{page}.py").run()
            check_title(at, page)
        return at

    return _open


@pytest.fixture
def open_direct_link(app_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`open_direct_link(page, db=...)`: a link straight to `pages/<page>.py` opened on a
    freshly started server, before any session has run `st.navigation` (the app is switched to
    the page before its first run, so Streamlit starts in its legacy `pages/` folder mode and
    runs the page file on its own). Returns the session, unchecked."""

    def _open(
        page: str,
        *,
        db: Path,
        secrets: Mapping[str, Any] | None = None,
        user: Mapping[str, Any] | None = None,
        timeout: float = APP_TIMEOUT,
    ) -> AppTest:
        monkeypatch.setenv("ASCDEMAND_DB", str(db))
        at = AppTest.from_file(str(app_path), default_timeout=timeout)
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = dict(user)
        at.switch_page(f"pages/{page}.py")
        return at.run()

    return _open


@pytest.fixture
def open_page_script(app_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`open_page_script(page, db=..., session_state=...)`: run `pages/<page>.py` on its own,
    without the app around it (no sidebar: the filters go in `session_state`), and check it
    ran without an exception and shows its title."""

    def _open(
        page: str,
        *,
        db: Path,
        session_state: Mapping[str, Any] | None = None,
        timeout: float = APP_TIMEOUT,
    ) -> AppTest:
        monkeypatch.setenv("ASCDEMAND_DB", str(db))
        at = AppTest.from_file(
            str(app_path.parent / "pages" / f"{page}.py"), default_timeout=timeout
        )
        for key, value in (session_state or {}).items():
            at.session_state[key] = value
        at.run()
        check_title(at, page)
        return at

    return _open


@pytest.fixture
def open_page(demo_db: Path, open_app: Callable[..., AppTest]) -> Callable[..., AppTest]:
    """Open `pages/<name>.py` of the app on the demo database, with optional query params."""

    def _open(name: str, **query: str | list[str]) -> AppTest:
        return open_app(name, db=demo_db, query=query)

    return _open


@pytest.fixture
def open_empty_page(tmp_path: Path, open_app: Callable[..., AppTest]) -> Callable[[str], AppTest]:
    """Open a page of the app with no database at all."""

    def _open(name: str) -> AppTest:
        return open_app(name, db=tmp_path / "missing.duckdb", timeout=60)

    return _open
