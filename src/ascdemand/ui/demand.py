"""Cached queries and charts for the demand pages: homecare, temporary beds, the overview."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.store import queries
from ascdemand.ui import common

SOURCE_PACKAGES = "council care-package extract (homecare packages active each Monday)"
SOURCE_PLACEMENTS = "council placements extract"
SOURCE_DISCHARGES = "council hospital-discharge extract"


@st.cache_data(show_spinner=False)
def homecare_weekly(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """People, hours and mean hours per person in homecare each Monday."""
    with common.cursor() as cur:
        return queries.homecare_weekly(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def homecare_by_district(
    as_at: dt.date, districts: tuple[str, ...], group: str | None
) -> pl.DataFrame:
    """Homecare people and hours each Monday, by district."""
    with common.cursor() as cur:
        return queries.homecare_weekly(cur, as_at, districts, group, by_district=True)


@st.cache_data(show_spinner=False)
def size_bands(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """Open homecare packages by weekly-hours band on the as-at date."""
    with common.cursor() as cur:
        return queries.homecare_size_bands(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def providers(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """Homecare hours by provider on the as-at date."""
    with common.cursor() as cur:
        return queries.homecare_providers(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def temp_weekly(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """People in temporary residential care each Monday and admissions that week."""
    with common.cursor() as cur:
        return queries.temp_residential_weekly(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def temp_stays(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """Temporary stays that ended in the year to the as-at date, with length and conversion."""
    with common.cursor() as cur:
        return queries.temp_length_of_stay(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def placement_costs(as_at: dt.date, districts: tuple[str, ...], group: str | None) -> pl.DataFrame:
    """Residential placements by start month: mean cost, standard rate, additional payments."""
    with common.cursor() as cur:
        return queries.placement_costs_monthly(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def placement_admissions(
    as_at: dt.date, districts: tuple[str, ...], group: str | None
) -> pl.DataFrame:
    """Care-home admissions per month, temporary and permanent."""
    with common.cursor() as cur:
        return queries.placement_admissions_monthly(cur, as_at, districts, group)


@st.cache_data(show_spinner=False)
def discharges_weekly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Discharges per week by pathway, and those needing social care."""
    with common.cursor() as cur:
        return queries.discharges_weekly(cur, as_at, districts)


def change_over(frame: pl.DataFrame, column: str, weeks: int = 4) -> tuple[float, float]:
    """The latest value of `column` and its change over the last `weeks` weeks."""
    values = frame[column].drop_nulls()
    latest = float(values[-1])
    earlier = float(values[-1 - weeks]) if values.len() > weeks else latest
    return latest, latest - earlier


def weekly_lines(
    frame: pl.DataFrame,
    columns: dict[str, str],
    *,
    title: str,
    y_title: str,
    source: str,
    kind: str = "line",
) -> go.Figure:
    """One trace per column of a weekly frame; `columns` maps column name to legend label."""
    fig = go.Figure()
    for name, label in columns.items():
        if kind == "bar":
            fig.add_bar(x=frame["week_start"], y=frame[name], name=label)
        else:
            fig.add_scatter(x=frame["week_start"], y=frame[name], name=label, mode="lines")
    if kind == "bar":
        fig.update_layout(barmode="stack", bargap=0.05)
    return common.style_figure(fig, title=title, y_title=y_title, source=source, x_title="Week")


def by_district_lines(
    frame: pl.DataFrame, column: str, *, title: str, y_title: str, source: str
) -> go.Figure:
    """One line per district of a weekly by-district frame."""
    fig = go.Figure()
    for district in frame["district"].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col("district") == district)
        fig.add_scatter(x=part["week_start"], y=part[column], name=district, mode="lines")
    return common.style_figure(fig, title=title, y_title=y_title, source=source, x_title="Week")


def bars(
    frame: pl.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    value_title: str,
    source: str,
    percent: bool = False,
) -> go.Figure:
    """Horizontal bars with value labels, the frame's first row at the top: long names such as
    providers' stay readable, and the source note never meets the axis labels."""
    values = frame[value]
    text = [f"{v:.0%}" for v in values] if percent else [f"{v:,.0f}" for v in values]
    fig = go.Figure(
        go.Bar(
            y=frame[category],
            x=values,
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig = common.style_figure(
        fig,
        title=title,
        y_title="",
        x_title=value_title,
        source=source,
        height=max(340, 150 + 30 * frame.height),
        note_width=55,
    )
    fig.update_layout(hovermode="y unified")
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(
        rangemode="tozero", separatethousands=True, tickformat=".0%" if percent else ""
    )
    return fig
