"""Temporary residential care: people and admissions, lengths of stay, conversions and cost."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.ui import common, demand, forecasting

common.require_app()
st.title("Temporary residential care")
st.caption(
    "Short-term care-home beds, often used straight from hospital when homecare cannot be found "
    "or needs are too high; some people stay on permanently."
)
filters = common.current_filters()
common.stop_if_no_data()

args = (filters.as_at, filters.districts, filters.client_group)
weekly = demand.temp_weekly(*args)
if weekly.is_empty() or weekly["people"].sum() == 0:
    st.info("No temporary placements match these filters. Widen the districts or client group.")
    st.stop()

people, people_change = demand.change_over(weekly, "people")
admissions_4w = int(weekly["admissions"].tail(4).sum())
stays = demand.temp_stays(*args)
cols = st.columns(3)
cols[0].metric("People in temporary care homes", common.whole(people), f"{people_change:+,.0f}")
cols[1].metric("Admissions in the last four weeks", common.whole(admissions_4w))
if stays.height:
    cols[2].metric(
        "Stays ending in a permanent placement",
        f"{stays['converted'].mean():.0%}",
        help="Of temporary stays that ended in the last year, the share where the person "
        "moved to a permanent care-home placement within a week.",
    )
st.caption(f"Changes are over the last four weeks. {filters.caption}")

st.subheader("Trend and forecast")
forecasting.forecast_panel(
    "temp_residential_people",
    weekly,
    "people",
    filters,
    title="People in temporary residential care each Monday, with forecast",
    y_title="People",
    source=demand.SOURCE_PLACEMENTS,
)

admissions = demand.placement_admissions(*args)
monthly = admissions.pivot(on="placement_type", index="month", values="admissions").fill_null(0)
fig = go.Figure()
for kind in ("temporary", "permanent"):
    if kind in monthly.columns:
        fig.add_bar(x=monthly["month"], y=monthly[kind], name=f"{kind.capitalize()} admissions")
fig.update_layout(barmode="group")
st.plotly_chart(
    common.style_figure(
        fig,
        title="Care-home admissions per month: temporary and permanent",
        y_title="Admissions per month",
        x_title="Month",
        source=demand.SOURCE_PLACEMENTS,
    ),
    key="temp_admissions",
)

left, right = st.columns(2)
with left:
    st.subheader("Length of stay")
    if stays.is_empty():
        st.info("No temporary stays ended in the year to the as-at date.")
    else:
        counts = (
            stays.with_columns(pl.col("weeks").clip(0, 26).alias("weeks"))
            .group_by("weeks")
            .len()
            .sort("weeks")
        )
        fig = go.Figure(go.Bar(x=counts["weeks"], y=counts["len"]))
        st.plotly_chart(
            common.style_figure(
                fig,
                title="Stays ended in the last year, by length",
                y_title="Stays",
                x_title="Length of stay in weeks (26: 26 or more)",
                source=demand.SOURCE_PLACEMENTS,
            ),
            key="temp_los",
        )
        st.caption(
            f"Median stay {stays['weeks'].median():.0f} weeks; "
            f"{(stays['weeks'] >= 12).mean():.0%} stayed 12 weeks or more."
        )
with right:
    st.subheader("Weekly cost")
    costs = demand.placement_costs(*args)
    fig = go.Figure()
    fig.add_scatter(
        x=costs["month"], y=costs["mean_weekly_cost"], name="Actual average cost", mode="lines"
    )
    fig.add_scatter(
        x=costs["month"],
        y=costs["mean_standard_rate"],
        name="Standard rate",
        mode="lines",
        line={"dash": "dash"},
    )
    st.plotly_chart(
        common.style_figure(
            fig,
            title="Weekly cost of new placements (£)",
            y_title="£ per week",
            x_title="Month placement began",
            source=demand.SOURCE_PLACEMENTS,
        ),
        key="temp_costs",
    )
    fig = go.Figure(go.Scatter(x=costs["month"], y=costs["share_additional_payment"], mode="lines"))
    fig = common.style_figure(
        fig,
        title="New placements with a top-up",
        y_title="Share of placements",
        x_title="Month placement began",
        source=demand.SOURCE_PLACEMENTS,
    )
    fig.update_yaxes(tickformat=".0%")
    st.plotly_chart(fig, key="temp_topups")

with st.expander("Weekly figures"):
    st.dataframe(weekly, hide_index=True)
    common.download_buttons(weekly, "temporary_residential_weekly")
