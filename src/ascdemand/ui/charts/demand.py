"""Figures of the demand pages: weekly lines, lines by district, ranked bars, and the care-home
admissions, stays and costs of temporary residential care."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from ascdemand.ui.charts.style import style_figure

SOURCE_PACKAGES = "council care-package extract (homecare packages active each Monday)"
SOURCE_PLACEMENTS = "council placements extract"
SOURCE_DISCHARGES = "council hospital-discharge extract"


def weekly_lines(
    frame: pl.DataFrame,
    columns: dict[str, str],
    *,
    title: str,
    y_title: str,
    source: str,
    kind: str = "line",
    as_at: dt.date | None = None,
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
    return style_figure(
        fig, title=title, y_title=y_title, source=source, x_title="Week", as_at=as_at
    )


def by_district_lines(
    frame: pl.DataFrame,
    column: str,
    *,
    title: str,
    y_title: str,
    source: str,
    as_at: dt.date | None = None,
) -> go.Figure:
    """One line per district of a weekly by-district frame."""
    fig = go.Figure()
    for (district,), part in frame.group_by("district", maintain_order=True):
        fig.add_scatter(x=part["week_start"], y=part[column], name=district, mode="lines")
    return style_figure(
        fig, title=title, y_title=y_title, source=source, x_title="Week", as_at=as_at
    )


def bars(
    frame: pl.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    value_title: str,
    source: str,
    percent: bool = False,
    as_at: dt.date | None = None,
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
    fig = style_figure(
        fig,
        title=title,
        y_title="",
        x_title=value_title,
        source=source,
        height=max(340, 150 + 30 * frame.height),
        note_width=55,
        as_at=as_at,
    )
    fig.update_layout(hovermode="y unified")
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(
        rangemode="tozero", separatethousands=True, tickformat=".0%" if percent else ""
    )
    return fig


def admissions_figure(monthly: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """Care-home admissions per month, temporary and permanent side by side (a frame from
    `models.demand.admissions_by_type`)."""
    fig = go.Figure()
    for kind in ("temporary", "permanent"):
        if kind in monthly.columns:
            fig.add_bar(x=monthly["month"], y=monthly[kind], name=f"{kind.capitalize()} admissions")
    fig.update_layout(barmode="group")
    return style_figure(
        fig,
        title="Care-home admissions per month: temporary and permanent",
        y_title="Admissions per month",
        x_title="Month",
        source=SOURCE_PLACEMENTS,
        as_at=as_at,
    )


def length_of_stay_figure(counts: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """Stays ended in the last year by length in weeks (from
    `models.demand.length_of_stay_counts`)."""
    fig = go.Figure(go.Bar(x=counts["weeks"], y=counts["stays"]))
    return style_figure(
        fig,
        title="Stays ended in the last year, by length",
        y_title="Stays",
        x_title="Length of stay in weeks (26: 26 or more)",
        source=SOURCE_PLACEMENTS,
        as_at=as_at,
    )


def placement_costs_figure(costs: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """The average weekly cost of new placements each month against the standard rate."""
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
    return style_figure(
        fig,
        title="Weekly cost of new placements (£)",
        y_title="£ per week",
        x_title="Month placement began",
        source=SOURCE_PLACEMENTS,
        as_at=as_at,
    )


def topups_figure(costs: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """The share of new placements each month with an additional payment (a top-up)."""
    fig = go.Figure(go.Scatter(x=costs["month"], y=costs["share_additional_payment"], mode="lines"))
    fig = style_figure(
        fig,
        title="New placements with a top-up",
        y_title="Share of placements",
        x_title="Month placement began",
        source=SOURCE_PLACEMENTS,
        as_at=as_at,
    )
    fig.update_yaxes(tickformat=".0%")
    return fig
