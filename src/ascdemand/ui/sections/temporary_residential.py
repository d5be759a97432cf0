"""The sections of the Temporary residential care page: headline figures, admissions, lengths
of stay and the cost of new placements."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.formatting import whole
from ascdemand.models.demand import (
    StaySummary,
    admissions_by_type,
    change_over,
    length_of_stay_counts,
    stay_summary,
)
from ascdemand.models.measures import MEASURES
from ascdemand.ui.charts import demand as charts
from ascdemand.ui.common import Filters
from ascdemand.ui.services import cached, demand

Districts = tuple[str, ...]


@cached(shared=True, max_entries=64)
def _admissions_figure(as_at: dt.date, districts: Districts, group: str | None) -> go.Figure:
    monthly = admissions_by_type(demand.placement_admissions(as_at, districts, group))
    return charts.admissions_figure(monthly, as_at=as_at)


@cached(shared=True, max_entries=64)
def _stays_figure(as_at: dt.date, districts: Districts, group: str | None) -> go.Figure:
    stays = demand.temp_stays(as_at, districts, group)
    return charts.length_of_stay_figure(length_of_stay_counts(stays), as_at=as_at)


@cached(shared=True, max_entries=64)
def _cost_figures(
    as_at: dt.date, districts: Districts, group: str | None
) -> tuple[go.Figure, go.Figure]:
    frame = demand.placement_costs(as_at, districts, group)
    return (
        charts.placement_costs_figure(frame, as_at=as_at),
        charts.topups_figure(frame, as_at=as_at),
    )


def stays(filters: Filters) -> StaySummary | None:
    """The temporary stays that ended in the year to the as-at date, summarised (None when
    none did)."""
    return stay_summary(demand.temp_stays(*filters.args))


def headline(weekly: pl.DataFrame, stays: StaySummary | None, filters: Filters) -> None:
    """People in temporary beds and their change, admissions in four weeks, and the share of
    stays ending in a permanent placement."""
    people, people_change = change_over(weekly, "people")
    admissions_4w = int(weekly["admissions"].tail(4).sum())
    cols = st.columns(3)
    measure = MEASURES["temp_residential_people"]
    cols[0].metric(
        measure.name,
        measure.format(people),
        measure.format_change(people_change),
        delta_color=measure.delta_color,
        help=measure.definition,
    )
    cols[1].metric("Admissions in the last four weeks", whole(admissions_4w))
    if stays is not None:
        cols[2].metric(
            "Stays ending in a permanent placement",
            f"{stays.converted_share:.0%}",
            help="Of temporary stays that ended in the last year, the share where the person "
            "moved to a permanent care-home placement within a week.",
        )
    st.caption(f"Changes are over the last four weeks. {filters.caption}")


def admissions(filters: Filters) -> None:
    """Temporary and permanent care-home admissions per month."""
    st.plotly_chart(_admissions_figure(*filters.args), key="temp_admissions")


def length_of_stay(summary: StaySummary | None, filters: Filters) -> None:
    """Stays ended in the last year by length, with the median."""
    st.subheader("Length of stay")
    if summary is None:
        st.info("No temporary stays ended in the year to the as-at date.")
        return
    st.plotly_chart(_stays_figure(*filters.args), key="temp_los")
    st.caption(
        f"Median stay {summary.median_weeks:.0f} weeks; "
        f"{summary.share_12_weeks_or_more:.0%} stayed 12 weeks or more."
    )


def costs(filters: Filters) -> None:
    """The weekly cost of new placements against the standard rate, and the share topped up."""
    st.subheader("Weekly cost")
    costs_figure, topups_figure = _cost_figures(*filters.args)
    st.plotly_chart(costs_figure, key="temp_costs")
    st.plotly_chart(topups_figure, key="temp_topups")
