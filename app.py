"""ascdemand: the entry point only routes. Filters in the sidebar frame every page."""

from pathlib import Path

import streamlit as st

from ascdemand import access
from ascdemand.ui import auth, common

st.set_page_config(
    page_title="Adult social care demand",
    page_icon="📊",
    layout="wide",
)

# section -> (page file, title, icon); the first page is the default.
PAGES = {
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

config = access.load_config()
role = auth.current_role(config)
if role is None:
    auth.sign_in_or_refuse()
    st.stop()

allowed = {
    section: [
        (path, title, icon)
        for path, title, icon in entries
        if access.may_open(role, Path(path).stem, config)
    ]
    for section, entries in PAGES.items()
}
first = next(path for entries in allowed.values() for path, _, _ in entries)
page = st.navigation(
    {
        section: [
            st.Page(path, title=title, icon=icon, default=path == first)
            for path, title, icon in entries
        ]
        for section, entries in allowed.items()
        if entries
    }
)
if not common.database_readable():
    st.stop()
common.refresh_if_changed()
common.remember_filters(common.sidebar_filters())
if auth.sso_configured():
    with st.sidebar:
        st.caption(f"Signed in as {auth.user_email()} ({role}).")
        st.button("Sign out", on_click=st.logout, key="sign_out")
page.run()
