"""Homecare: people, hours and hours per person over time, by district, with package sizes."""

import streamlit as st

from ascdemand.ui import common, demand, forecasting

common.require_app()
st.title("Homecare")
st.caption(
    "Homecare (domiciliary care): care workers visiting people at home, commissioned in hours "
    "per week. Counts are of people with an active package on each Monday."
)
filters = common.current_filters()
common.stop_if_no_data()

args = (filters.as_at, filters.districts, filters.client_group)
weekly = demand.homecare_weekly(*args)
if weekly.is_empty() or weekly["people"].sum() == 0:
    st.info("No homecare packages match these filters. Widen the districts or client group.")
    st.stop()

people, people_change = demand.change_over(weekly, "people")
hours, hours_change = demand.change_over(weekly, "hours")
mean_hours, mean_change = demand.change_over(weekly, "mean_hours")
cols = st.columns(3)
cols[0].metric("People receiving homecare", common.whole(people), f"{people_change:+,.0f}")
cols[1].metric("Hours commissioned per week", common.whole(hours), f"{hours_change:+,.0f}")
cols[2].metric(
    "Average hours per person per week",
    f"{mean_hours:.1f}",
    f"{mean_change:+.1f}",
    delta_color="inverse",
)
st.caption(f"Changes are over the last four weeks. {filters.caption}")

measure = st.radio(
    "Show",
    ["Hours per week", "People", "Average hours per person"],
    horizontal=True,
    key="homecare_measure",
)
column, unit = {
    "Hours per week": ("hours", "Hours per week"),
    "People": ("people", "People"),
    "Average hours per person": ("mean_hours", "Hours per person per week"),
}[measure]

st.subheader("Trend and forecast")
forecasting.forecast_panel(
    "homecare_hours" if column == "hours" else "homecare_people",
    weekly,
    column,
    filters,
    title=f"Homecare: {measure.lower()}, with forecast",
    y_title=unit,
    source=demand.SOURCE_PACKAGES,
    enabled=column != "mean_hours",
)

st.subheader("By district")
by_district = demand.homecare_by_district(*args)
st.plotly_chart(
    demand.by_district_lines(
        by_district,
        column,
        title=f"Homecare {measure.lower()} by district",
        y_title=unit,
        source=demand.SOURCE_PACKAGES,
    ),
    key="homecare_by_district",
)

left, right = st.columns(2)
with left:
    st.subheader("Package sizes")
    bands = demand.size_bands(*args)
    st.plotly_chart(
        demand.bars(
            bands,
            "band",
            "packages",
            title="Open homecare packages by hours per week",
            value_title="Packages",
            source=demand.SOURCE_PACKAGES,
        ),
        key="homecare_bands",
    )
    st.caption(
        "Package reviews look first at the largest packages (often two carers per visit) and "
        "the smallest (where other support may do)."
    )
with right:
    st.subheader("Providers")
    providers = demand.providers(*args)
    top = providers.head(10)
    st.plotly_chart(
        demand.bars(
            top,
            "provider",
            "share_of_hours",
            title="Share of homecare hours: ten largest providers",
            value_title="Share of hours",
            source=demand.SOURCE_PACKAGES,
            percent=True,
        ),
        key="homecare_providers",
    )
    hhi = float((providers["share_of_hours"] ** 2).sum()) * 10_000
    st.caption(
        f"{providers.height} providers; the largest five deliver "
        f"{providers['share_of_hours'].head(5).sum():.0%} of hours. Concentration index "
        f"(HHI) {hhi:,.0f}: below 1,500 is an unconcentrated market."
    )

with st.expander("Weekly figures"):
    st.dataframe(weekly, hide_index=True)
    common.download_buttons(weekly, "homecare_weekly")
