"""Making Data Count XmR charts: the measure, its mean and process limits over the baseline,
and the points a special-cause rule picks out, coloured by whether they are good or bad news."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ascdemand.models.spc import Spc
from ascdemand.ui.charts.style import style_figure

COMMON = "#7F7F7F"
CONCERN = "#E69F00"  # Making Data Count's orange
IMPROVEMENT = "#0072B2"  # and blue
LIMIT = "#555555"


def _special_colour(spc: Spc, value: float) -> str:
    """Orange where a special-cause point is bad news for this measure, blue where good."""
    high = value > spc.mean
    kind = spc.direction_of(high)
    return {"improving": IMPROVEMENT, "concerning": CONCERN}.get(kind, COMMON)


def spc_figure(spc: Spc, *, title: str, unit: str, source: str) -> go.Figure:
    """The XmR chart of one measure."""
    points = spc.points
    fig = go.Figure()
    fig.add_scatter(
        x=points["period"].to_list(),
        y=points["value"].to_list(),
        mode="lines+markers",
        line={"color": COMMON, "width": 1.5},
        marker={"color": COMMON, "size": 5},
        name=title,
        hovertemplate="%{x|%d %b %Y}: %{y:,.1f}<extra></extra>",
    )
    special = points.filter(pl.col("rule") != "")
    if not special.is_empty():
        fig.add_scatter(
            x=special["period"].to_list(),
            y=special["value"].to_list(),
            mode="markers",
            marker={
                "color": [_special_colour(spc, v) for v in special["value"]],
                "size": 8,
            },
            name="Special cause",
            customdata=special["rule"].to_list(),
            hovertemplate="%{x|%d %b %Y}: %{y:,.1f}<br>%{customdata}<extra></extra>",
        )
    for name, value, dash in (
        ("Mean", spc.mean, "solid"),
        ("Upper process limit", spc.upper, "dash"),
        ("Lower process limit", spc.lower, "dash"),
    ):
        fig.add_hline(
            y=value,
            line={"color": LIMIT, "dash": dash, "width": 1},
            annotation_text=f"{name} {value:,.0f}",
            annotation_position="top left",
            annotation_font={"size": 10, "color": LIMIT},
        )
    fig.add_vrect(
        x0=spc.baseline_from,
        x1=spc.baseline_to,
        fillcolor="rgba(0, 0, 0, 0.04)",
        line_width=0,
        annotation_text="baseline",
        annotation_position="top left",
        annotation_font={"size": 10, "color": LIMIT},
    )
    fig = style_figure(
        fig,
        title=title,
        y_title=unit,
        source=f"{source}; mean and limits (mean ± 2.66 × the mean moving range) over the "
        f"baseline {spc.baseline_from:%d %b %Y} to {spc.baseline_to:%d %b %Y}",
    )
    fig.update_yaxes(rangemode="normal")
    fig.update_layout(hovermode="closest")
    return fig
