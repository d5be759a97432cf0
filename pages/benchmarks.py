"""Benchmarks: the council's care board against every other from the NHS discharge sitrep,
then the spending comparators of its profile, with room for officers to add their own."""

import streamlit as st

from ascdemand.formatting import money
from ascdemand.ui import auth, common, routing
from ascdemand.ui.sections import benchmarks
from ascdemand.ui.services import briefing
from ascdemand.ui.services import budget as forecasts
from ascdemand.ui.services.discharges import has_sitrep
from ascdemand.ui.widgets import briefing_forms

routing.require_app()
council = common.profile()
home = council.home_comparator
st.title("Benchmarks")

st.header("Hospital discharges: every care board in England")
st.caption(
    f"The council's integrated care board ({common.escape_markdown(council.icb or 'not set')}, "
    "in black) against all the others, from NHS England's published discharge sitrep over the "
    "latest three months imported. Published aggregates: no small-number suppression needed."
)
with common.friendly_errors("the care-board comparators"):
    if has_sitrep():
        benchmarks.board_comparison(council.icb or None)
    else:
        st.info(
            "Import NHS England's discharge sitrep workbooks on the Data page to compare the "
            "care board with all the others.",
            icon=":material/local_hospital:",
        )

st.header("Spending: comparator councils")
st.caption(
    f"Money measures for {common.escape_markdown(home)} (solid black) and the comparator "
    "councils of the council profile, each with its source and year (the net budget is for "
    "2021/22; the spend measures for 2019/20). Rows marked as added were entered by officers."
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
        own = forecasts.net_budget("2021/22")
        if own is not None:
            st.caption(
                f"Two figures, two sources: the comparator table gives each council's net budget "
                f"for 2021/22 as published for the report; {common.escape_markdown(home)}'s own "
                f"loaded budget for 2021/22 nets to {money(own)} (Budget page), counting the "
                "department's lines and income as the council's finance system holds them."
            )

if auth.can_edit_actions():
    with st.expander("Add or remove a comparator"):
        briefing_forms.comparator_editor()
