"""Funnel plots and ranked bars of the NHS sitrep comparators: every care board, the
council's own highlighted and the others greyed."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from ascdemand.models.funnel import funnel_limits
from ascdemand.ui.charts.style import style_figure

HOME = "#000000"
OTHERS = "#9E9E9E"
LIMIT_95 = "#0072B2"
LIMIT_998 = "#D55E00"
SOURCE = "NHS England, Acute Discharge Situation Report"


def funnel_figure(
    shown: pl.DataFrame,
    rate: float,
    *,
    home: str | None,
    title: str,
    volume: str,
    months: str,
) -> go.Figure:
    """Each board's proportion against its volume, with the national rate and 95% and 99.8%
    control limits that narrow as volume grows.

    Args:
        shown: `models.funnel.funnel` output, with `org_code`, `org_name`, the volume column
            `n` and `proportion`.
        rate: The pooled national proportion.
        home: The council's care board code (drawn in black and labelled).
        title: What the proportion is.
        volume: What the volume counts (x axis).
        months: The months covered, for the source note.
    """
    grid = np.linspace(max(float(shown["n"].min()) * 0.8, 1.0), float(shown["n"].max()) * 1.05, 200)
    limits = funnel_limits(rate, grid)
    fig = go.Figure()
    for level, colour, dash in (("998", LIMIT_998, "dot"), ("95", LIMIT_95, "dash")):
        name = "99.8% limits" if level == "998" else "95% limits"
        for side in ("lo", "hi"):
            fig.add_scatter(
                x=grid,
                y=limits[f"{side}_{level}"] * 100,
                mode="lines",
                line={"color": colour, "dash": dash, "width": 1.5},
                name=name,
                legendgroup=name,
                showlegend=side == "hi",
                hoverinfo="skip",
            )
    fig.add_scatter(
        x=[grid[0], grid[-1]],
        y=[rate * 100, rate * 100],
        mode="lines",
        line={"color": "#555555", "width": 1.5},
        name=f"England {rate:.1%}",
        hoverinfo="skip",
    )
    for is_home in (False, True):
        rows = shown.filter((pl.col("org_code") == home) == is_home)
        if rows.is_empty():
            continue
        fig.add_scatter(
            x=rows["n"].to_list(),
            y=(rows["proportion"] * 100).to_list(),
            mode="markers+text" if is_home else "markers",
            text=rows["org_code"].to_list() if is_home else None,
            textposition="middle right",
            textfont={"size": 14, "color": HOME},
            marker={
                "color": HOME if is_home else OTHERS,
                "size": 14 if is_home else 9,
                "line": {"color": "#FFFFFF", "width": 1},
            },
            name=f"{home} (your care board)" if is_home else "Other care boards",
            customdata=rows.select("org_name", "position").rows(),
            hovertemplate="%{customdata[0]}<br>%{y:.1f}% of %{x:,.0f}<br>%{customdata[1]}"
            "<extra></extra>",
        )
    fig.update_xaxes(separatethousands=True)
    fig = style_figure(
        fig,
        title=title,
        y_title="Per cent",
        x_title=volume,
        source=f"{SOURCE}, {months}; limits around the England rate (binomial, normal "
        "approximation)",
    )
    fig.update_layout(hovermode="closest")
    return fig


def ranked_bars(
    table: pl.DataFrame, column: str, *, home: str | None, title: str, unit: str, months: str
) -> go.Figure:
    """Every board on one measure, smallest first, the council's board in black."""
    ranked = table.drop_nulls(column).sort(column)
    colours = [HOME if code == home else OTHERS for code in ranked["org_code"]]
    fig = go.Figure(
        go.Bar(
            x=ranked["org_code"].to_list(),
            y=ranked[column].to_list(),
            marker={"color": colours},
            customdata=ranked["org_name"].to_list(),
            hovertemplate="%{customdata}<br>%{y:,.1f}<extra></extra>",
            name="Care boards",
        )
    )
    fig = style_figure(fig, title=title, y_title=unit, source=f"{SOURCE}, {months}")
    fig.update_xaxes(tickangle=-90, tickfont={"size": 9})
    fig.update_layout(hovermode="closest", showlegend=False)
    return fig
