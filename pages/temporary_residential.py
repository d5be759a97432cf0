"""Temporary residential care: people and admissions, lengths of stay, conversions and cost."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.charts.demand import SOURCE_PLACEMENTS
from ascdemand.ui.sections import forecasting, homecare, spc, temporary_residential
from ascdemand.ui.services import demand

routing.require_app()
st.title("Temporary residential care")
st.caption(
    "Short-term care-home beds, often used straight from hospital when homecare cannot be found "
    "or needs are too high; some people stay on permanently."
)
filters = common.current_filters()
common.stop_if_no_data()

weekly = demand.temp_weekly(*filters.args)
if weekly.is_empty() or weekly["people"].sum() == 0:
    st.info("No temporary placements match these filters. Widen the districts or client group.")
    st.stop()

summary = temporary_residential.stays(filters)
temporary_residential.headline(weekly, summary, filters)

st.subheader("Trend and forecast")
forecasting.forecast_panel(
    "temp_residential_people",
    weekly,
    "people",
    filters,
    title="People in temporary residential care each Monday, with forecast",
    y_title="People",
    source=SOURCE_PLACEMENTS,
)
spc.measure_section(
    weekly,
    "people",
    title="People in temporary residential care, each Monday",
    unit="People",
    source=SOURCE_PLACEMENTS,
    key="temporary_spc",
)
temporary_residential.admissions(filters)

left, right = st.columns(2)
with left:
    temporary_residential.length_of_stay(summary, filters)
with right:
    temporary_residential.costs(filters)
homecare.weekly_table(weekly, "temporary_residential_weekly")
