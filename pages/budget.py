"""Budget and outturn: where the year will end against budget, how the forecast moved, and why."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.sections import budget
from ascdemand.ui.services import budget as forecasts
from ascdemand.ui.widgets import pickers

routing.require_app()
st.title("Budget and outturn")
st.caption(
    f"The year-end forecast for the whole {common.escape_markdown(common.profile().department)} "
    "budget: spending lines "
    "positive, income negative. Actuals come from the finance ledger; the rest of the year "
    "from the people in care at the period end, recent demand and income. Budget figures are "
    "department-wide, so the district and client-group filters do not apply here."
)
common.stop_if_no_data()

years = forecasts.years()
if not years:
    st.info("No budget or ledger loaded yet: load `budget_lines` and `ledger` on the Data page.")
    st.stop()
filters = common.current_filters()
chosen = pickers.budget_year_and_period(filters.as_at, years)
if chosen is None:
    st.stop()

with st.expander("How this forecast is made"):
    st.markdown(budget.METHOD_NOTE)

with common.friendly_errors("the budget forecast"):
    history = forecasts.forecasts(*chosen)
    budget.headline(history[-1], history[-2] if len(history) > 1 else None)
    budget.charts_section(history, filters.as_at)
    budget.track_record(*chosen)
    budget.drivers(history[-1])
    budget.lines(history)
