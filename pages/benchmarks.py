"""Benchmarks: the council against the comparator councils of its profile, with room for
officers to add their own comparators and sources."""

import streamlit as st

from ascdemand.ui import auth, common, routing
from ascdemand.ui.sections import benchmarks
from ascdemand.ui.services import briefing
from ascdemand.ui.widgets import briefing_forms

routing.require_app()
home = common.profile().home_comparator
st.title("Benchmarks")
st.caption(
    f"Money measures for {common.escape_markdown(home)} (solid black) and the comparator "
    "councils of the council profile. Rows marked as added were entered by officers, with "
    "their sources."
)

with common.friendly_errors("the comparators"):
    table = briefing.comparator_table()
    if table.is_empty():
        st.info(
            "No comparator councils yet: add a comparator CSV to the council profile (see the "
            "Data page) or add comparators below.",
            icon=":material/leaderboard:",
        )
    else:
        benchmarks.comparison(table, home)

if auth.can_edit_actions():
    with st.expander("Add or remove a comparator"):
        briefing_forms.comparator_editor()
