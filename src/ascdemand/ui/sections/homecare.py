"""The sections of the Homecare page: headline figures, trend by district, package sizes and
providers, and the weekly table."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.demand import change_over, provider_market
from ascdemand.models.measures import MEASURES
from ascdemand.ui.charts import demand as charts
from ascdemand.ui.common import Filters
from ascdemand.ui.services import cached, demand
from ascdemand.ui.widgets.downloads import download_buttons
from ascdemand.ui.widgets.pickers import Measure


def headline(weekly: pl.DataFrame, filters: Filters) -> None:
    """People, hours and hours per person on the latest Monday, with their four-week change."""
    people, people_change = change_over(weekly, "people")
    hours, hours_change = change_over(weekly, "hours")
    mean_hours, mean_change = change_over(weekly, "mean_hours")
    cols = st.columns(3)
    shown = (
        ("homecare_people", people, people_change),
        ("homecare_hours", hours, hours_change),
        ("mean_hours_per_person", mean_hours, mean_change),
    )
    for col, (key, value, change) in zip(cols, shown, strict=True):
        measure = MEASURES[key]
        col.metric(
            measure.name,
            measure.format(value),
            measure.format_change(change),
            delta_color=measure.delta_color,
            help=measure.definition,
        )
    st.caption(f"Changes are over the last four weeks. {filters.caption}")


Districts = tuple[str, ...]


@cached(shared=True, max_entries=64)
def _by_district_figure(
    as_at: dt.date, districts: Districts, group: str | None, column: str, label: str, unit: str
) -> go.Figure:
    return charts.by_district_lines(
        demand.homecare_by_district(as_at, districts, group),
        column,
        title=f"Homecare {label.lower()} by district",
        y_title=unit,
        source=charts.SOURCE_PACKAGES,
        as_at=as_at,
    )


@cached(shared=True, max_entries=64)
def _sizes_figure(as_at: dt.date, districts: Districts, group: str | None) -> go.Figure:
    return charts.bars(
        demand.size_bands(as_at, districts, group),
        "band",
        "packages",
        title="Open homecare packages by hours per week",
        value_title="Packages",
        source=charts.SOURCE_PACKAGES,
        as_at=as_at,
    )


@cached(shared=True, max_entries=64)
def _providers_figure(as_at: dt.date, districts: Districts, group: str | None) -> go.Figure:
    return charts.bars(
        demand.providers(as_at, districts, group).head(10),
        "provider",
        "share_of_hours",
        title="Share of homecare hours: ten largest providers",
        value_title="Share of hours",
        source=charts.SOURCE_PACKAGES,
        percent=True,
        as_at=as_at,
    )


def by_district(filters: Filters, measure: Measure) -> None:
    """The chosen measure each Monday, one line per district."""
    st.subheader("By district")
    st.plotly_chart(
        _by_district_figure(*filters.args, measure.column, measure.label, measure.unit),
        key="homecare_by_district",
    )


def package_sizes(filters: Filters) -> None:
    """Open packages by hours a week."""
    st.subheader("Package sizes")
    st.plotly_chart(_sizes_figure(*filters.args), key="homecare_bands")
    st.caption(
        "Package reviews look first at the largest packages (often two carers per visit) and "
        "the smallest (where other support may do)."
    )


def providers(filters: Filters) -> None:
    """The ten largest providers' share of hours, and how concentrated the market is."""
    st.subheader("Providers")
    st.plotly_chart(_providers_figure(*filters.args), key="homecare_providers")
    market = provider_market(demand.providers(*filters.args))
    st.caption(
        f"{market.providers} providers; the largest five deliver {market.top_five_share:.0%} "
        f"of hours. Concentration index (HHI) {market.hhi:,.0f}: below 1,500 is an "
        "unconcentrated market."
    )


def weekly_table(weekly: pl.DataFrame, name: str) -> None:
    """The weekly figures behind the page, with downloads."""
    with st.expander("Weekly figures"):
        st.dataframe(weekly, hide_index=True)
        download_buttons(weekly, name)
