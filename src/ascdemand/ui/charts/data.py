"""Figures of the Data page's quality checks."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from ascdemand.ui.charts.style import PALETTE, style_figure


def new_packages_figure(
    weekly: pl.DataFrame, jumps: pl.DataFrame, *, as_at: dt.date | None = None
) -> go.Figure:
    """New homecare packages per week, with the weeks that jump marked."""
    fig = go.Figure()
    fig.add_scatter(x=weekly["week_start"], y=weekly["new_packages"], name="New packages")
    fig.add_scatter(
        x=jumps["week_start"],
        y=jumps["new_packages"],
        mode="markers",
        marker={"size": 10, "symbol": "x", "color": PALETTE[3]},
        name="Sudden jump",
    )
    return style_figure(
        fig,
        title="New homecare packages starting each week",
        y_title="Packages",
        x_title="Week",
        source="council care-package extract",
        as_at=as_at,
    )
