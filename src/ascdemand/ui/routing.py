"""The app's pages, who may open them, and how a page reached without `app.py` gets there.

The page scripts live in a folder named `pages/`, which Streamlit also reads as its legacy
page folder: on a freshly started server, before any session has called `st.navigation`, a
direct link such as `/homecare` runs `pages/homecare.py` on its own, skipping `app.py` (sign-in,
access check, sidebar filters). Streamlit documents that once any session runs
`st.navigation` the app ignores the `pages/` folder, across all sessions. So a page run on its
own calls `st.navigation` with the app's pages and reruns: the rerun goes through `app.py` to
the same page (a page's address is its file's stem either way). Only public commands are used;
`tests/pages/test_routing.py` fails if a direct link ever stops reaching the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from ascdemand import access

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

# section -> (page file, title, icon); the first page a role may open is its default.
PAGES: dict[str, list[tuple[str, str, str]]] = {
    "Director": [
        ("pages/overview.py", "Overview", ":material/dashboard:"),
        ("pages/budget.py", "Budget and outturn", ":material/payments:"),
    ],
    "Demand": [
        ("pages/homecare.py", "Homecare", ":material/home_health:"),
        ("pages/temporary_residential.py", "Temporary residential care", ":material/bed:"),
        ("pages/discharges.py", "Hospital discharges", ":material/local_hospital:"),
    ],
    "Commissioners": [
        ("pages/scenarios.py", "Scenarios", ":material/tune:"),
    ],
    "Committee": [
        ("pages/briefing.py", "Committee briefing", ":material/description:"),
        ("pages/benchmarks.py", "Benchmarks", ":material/leaderboard:"),
    ],
    "Data": [
        ("pages/data.py", "Data", ":material/database:"),
    ],
}
_ROUTED = "_routed_through_app"


def allowed_pages(role: str, config: access.AccessConfig) -> dict[str, list[StreamlitPage]]:
    """The pages `role` may open, by section (sections left empty are dropped); the first is
    the default page."""
    allowed = {
        section: [
            (path, title, icon)
            for path, title, icon in entries
            if access.may_open(role, Path(path).stem, config)
        ]
        for section, entries in PAGES.items()
    }
    first = next(path for entries in allowed.values() for path, _, _ in entries)
    return {
        section: [
            st.Page(path, title=title, icon=icon, default=path == first)
            for path, title, icon in entries
        ]
        for section, entries in allowed.items()
        if entries
    }


def navigation(role: str, config: access.AccessConfig) -> StreamlitPage:
    """Draw the navigation of the pages `role` may open and return the page to run."""
    return st.navigation(allowed_pages(role, config))


def require_app() -> None:
    """Make sure this page runs inside `app.py` (sign-in, access check, filters).

    Called first by every page. Inside the app it returns at once; run on its own (a direct
    link on a fresh server), it switches Streamlit to the app's navigation and reruns through
    `app.py`, once: were that ever to fail, the page says so instead of rerunning forever.
    """
    if "_filters" in st.session_state:
        return
    if st.session_state.get(_ROUTED):
        st.error(
            "This page could not be opened through the app. Open the app's home page and "
            "choose the page from the menu.",
            icon=":material/error:",
        )
        st.stop()
    st.session_state[_ROUTED] = True
    st.navigation(
        [st.Page(path, title=title) for entries in PAGES.values() for path, title, _ in entries],
        position="hidden",
    )
    st.rerun()
