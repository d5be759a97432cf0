"""ascdemand: the entry point only routes. Filters in the sidebar frame every page."""

import streamlit as st

from ascdemand.ui import common

st.set_page_config(
    page_title="Adult social care demand",
    page_icon=":material/monitoring:",
    layout="wide",
)

PAGES = {
    "Director": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/budget.py", title="Budget and outturn", icon=":material/payments:"),
    ],
    "Demand": [
        st.Page("pages/homecare.py", title="Homecare", icon=":material/home_health:"),
        st.Page(
            "pages/temporary_residential.py",
            title="Temporary residential care",
            icon=":material/bed:",
        ),
        st.Page("pages/discharges.py", title="Hospital discharges", icon=":material/local_hospital:"),
    ],
    "Commissioners": [
        st.Page("pages/scenarios.py", title="Scenarios", icon=":material/tune:"),
    ],
    "Committee": [
        st.Page("pages/briefing.py", title="Committee briefing", icon=":material/description:"),
        st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:"),
    ],
    "Data": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
    ],
}

page = st.navigation(PAGES)
common.refresh_if_changed()
common.remember_filters(common.sidebar_filters())
page.run()
