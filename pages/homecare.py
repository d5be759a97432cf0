"""Homecare: people, hours and hours per person over time, by district, with package sizes."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.charts.demand import SOURCE_PACKAGES
from ascdemand.ui.sections import forecasting, homecare, spc
from ascdemand.ui.services import demand
from ascdemand.ui.widgets import pickers

routing.require_app()
st.title("Homecare")
st.caption(
    "Homecare (domiciliary care): care workers visiting people at home, commissioned in hours "
    "per week. Counts are of people with an active package on each Monday."
)
filters = common.current_filters()
common.stop_if_no_data()

weekly = demand.homecare_weekly(*filters.args)
if weekly.is_empty() or weekly["people"].sum() == 0:
    st.info("No homecare packages match these filters. Widen the districts or client group.")
    st.stop()

homecare.headline(weekly, filters)
measure = pickers.homecare_measure()

st.subheader("Trend and forecast")
forecasting.forecast_panel(
    measure.forecast or "homecare_people",
    weekly,
    measure.column,
    filters,
    title=f"Homecare: {measure.label.lower()}, with forecast",
    y_title=measure.unit,
    source=SOURCE_PACKAGES,
    enabled=measure.forecast is not None,
)

spc.measure_section(
    weekly,
    measure.column,
    title=f"Homecare: {measure.label.lower()}, each week",
    unit=measure.unit,
    source=SOURCE_PACKAGES,
    key="homecare_spc",
)
homecare.by_district(filters, measure)
left, right = st.columns(2)
with left:
    homecare.package_sizes(filters)
with right:
    homecare.providers(filters)
homecare.weekly_table(weekly, "homecare_weekly")
