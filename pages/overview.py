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
    "Changes are against four weeks earlier; the status compares the latest figure with its "
    "target (hover over the status for the rule)."
)

with common.friendly_errors("the budget forecast"):
    overview.budget_tiles(filters)

overview.demand_section(filters)
