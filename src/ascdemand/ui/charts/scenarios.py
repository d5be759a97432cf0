"""Figures of the Scenarios page: each series' mean and 80% band for the baseline and every
scenario, the model's fit to recorded history, and a chart as an image or web page."""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go
import polars as pl

from ascdemand.models.scenario.engine import Trajectory
from ascdemand.models.scenario.montecarlo import bands
from ascdemand.models.scenario.summary import BASELINE
from ascdemand.ui.charts.style import PALETTE, style_figure, transparent

SOURCE = "ascdemand discharge scenario model, calibrated on the council's extracts"
CHARTS = {
    "homecare_hours": ("Homecare hours a week", "Hours a week"),
    "temporary": ("People in temporary residential care", "People"),
    "cumulative_spend": ("Spend since the start of the scenario", "£"),
}
FIT_LABELS = {
    "homecare": "People in homecare",
    "homecare_hours": "Homecare hours a week",
    "reablement": "People in reablement",
    "temporary": "People in temporary residential care",
    "permanent": "People in permanent residential care",
}


def band_figure(
    runs: dict[str, Trajectory], series: str, *, horizon: int, as_at: dt.date | None = None
) -> go.Figure:
    """Mean and 80% band of one series (a key of `CHARTS`) for the baseline and each scenario."""
    title, y_title = CHARTS[series]
    fig = go.Figure()
    for i, (name, run) in enumerate(runs.items()):
        colour = PALETTE[i % len(PALETTE)]
        frame = bands(run, (series,))
        x = frame["week_start"].to_list()
        fig.add_scatter(
            x=x + x[::-1],
            y=frame["hi_80"].to_list() + frame["lo_80"].to_list()[::-1],
            fill="toself",
            fillcolor=transparent(colour),
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            name=f"{name} 80% band",
        )
        fig.add_scatter(
            x=x,
            y=frame["mean"],
            name=name,
            line={"color": colour, "width": 3 if name == BASELINE else 2},
            hovertemplate="%{y:,.0f}",
        )
    return style_figure(
        fig,
        title=f"{title}, next {horizon} weeks (shaded: 8 in 10 runs fall inside)",
        y_title=y_title,
        source=SOURCE,
        as_at=as_at,
    )


def fit_figure(frame: pl.DataFrame, series: str, *, as_at: dt.date | None = None) -> go.Figure:
    """Observed against modelled for one series (a key of `FIT_LABELS`) over the calibration
    window."""
    part = frame.filter(pl.col("series") == series)
    fig = go.Figure()
    fig.add_scatter(x=part["week_start"], y=part["observed"], name="Recorded", mode="lines+markers")
    fig.add_scatter(x=part["week_start"], y=part["modelled"], name="Model", line={"dash": "dash"})
    return style_figure(
        fig,
        title=f"{FIT_LABELS[series]}: recorded and reproduced by the model",
        y_title=FIT_LABELS[series],
        source="council extracts; model run from the first Monday with the recorded discharges",
        height=340,
        as_at=as_at,
    )


def chart_png(fig: go.Figure) -> bytes:
    """The chart as a PNG image (plotly through kaleido, which drives the local chromium).

    Raises:
        Exception: Whatever kaleido raises when no browser can be started.
    """
    return fig.to_image(format="png", width=1200, height=560, scale=1)


def chart_html(fig: go.Figure) -> bytes:
    """The chart as a self-contained interactive HTML page."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


DIFFERENCE_SERIES = {
    "spend_total": ("Weekly spend", "£ a week"),
    "temporary": ("People in temporary residential care", "People"),
    "homecare_hours": ("Homecare hours a week", "Hours a week"),
}


def difference_figure(
    runs: dict[str, Trajectory], series: str, *, horizon: int, as_at: dt.date | None = None
) -> go.Figure:
    """Each scenario minus the baseline, run by run (the runs share their random draws), as
    the mean and the 80% band of the difference, around a zero line."""
    title, y_title = DIFFERENCE_SERIES[series]
    base = runs[BASELINE]
    fig = go.Figure()
    for i, (name, run) in enumerate((n, r) for n, r in runs.items() if n != BASELINE):
        colour = PALETTE[(i + 1) % len(PALETTE)]
        difference = run.series[series] - base.series[series]
        low, high = np.percentile(difference, [10, 90], axis=0)
        x = list(run.week_start)
        fig.add_scatter(
            x=x + x[::-1],
            y=list(high) + list(low)[::-1],
            fill="toself",
            fillcolor=transparent(colour),
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
        )
        fig.add_scatter(
            x=x,
            y=difference.mean(axis=0),
            name=name,
            line={"color": colour, "width": 2},
            hovertemplate="%{y:+,.0f}",
        )
    fig.add_hline(y=0, line={"color": "#555555", "width": 1})
    fig = style_figure(
        fig,
        title=f"{title}: difference from the baseline, next {horizon} weeks (shaded: 8 in 10 runs)",
        y_title=y_title,
        source=SOURCE,
        as_at=as_at,
    )
    fig.update_yaxes(rangemode="normal")
    return fig
