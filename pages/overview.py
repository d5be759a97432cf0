"""The Director's overview: the money, the demand behind it, and how each compares to target."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.sections import overview

routing.require_app()
st.title("Overview")
filters = common.current_filters()
common.stop_if_no_data()

st.caption(
    f"Where the year is heading and the demand that drives it. {filters.caption} "
    "Changes are against four weeks earlier. The money's status weighs the recurrent pressure "
    "as well as the net position; each demand measure carries NHS Making Data Count icons "
    "from its process-control chart (hover over a status or icon for its rule)."
)

with common.friendly_errors("the budget forecast"):
    overview.budget_tiles(filters)

overview.demand_section(filters)
