"""Figures of the Budget page: the forecast's trajectory, and waterfalls from budget to outturn
and between two periods."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from ascdemand.models.budget.labels import period_label, short_period_label
from ascdemand.models.budget.outturn import Forecast
from ascdemand.models.budget.tables import bridge_frame
from ascdemand.models.budget.trajectory import trajectory_table
from ascdemand.models.budget.waterfall import waterfall
from ascdemand.ui.charts.style import PALETTE, style_figure

SOURCE = "council finance ledger and budget; care-package and placement extracts"


def trajectory_figure(
    history: list[Forecast],
    *,
    as_at: dt.date | None = None,
    alternative: tuple[str, float] | None = None,
) -> go.Figure:
    """Net overspend forecast at each period, with the gross overspends behind it, and, when
    `alternative` names a scenario and its net overspend (£), that outcome at the latest
    period."""
    table = trajectory_table(history)
    labels = [short_period_label(history[0].year, p) for p in table["period"]]
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=table["net_overspend"] / 1e6,
        name="Net overspend",
        hovertemplate="%{x}: £%{y:,.1f}m<extra>Net overspend</extra>",
    )
    fig.add_scatter(
        x=labels,
        y=table["gross_overspend"] / 1e6,
        name="Gross overspends",
        mode="lines+markers",
        hovertemplate="%{x}: £%{y:,.1f}m<extra>Gross overspends</extra>",
    )
    if alternative is not None:
        name, net = alternative
        fig.add_scatter(
            x=[labels[-1]],
            y=[net / 1e6],
            mode="markers",
            marker={"symbol": "diamond", "size": 16, "color": PALETTE[3]},
            name=f"If '{name}' happens",
            hovertemplate="%{x}: £%{y:,.1f}m<extra>" + name + "</extra>",
        )
    return style_figure(
        fig,
        title=f"Forecast overspend {history[0].year}, as forecast at the end of each period",
        y_title="£ million",
        source=SOURCE,
        as_at=as_at,
    )


def waterfall_figure(steps: pl.DataFrame, title: str, *, as_at: dt.date | None = None) -> go.Figure:
    """A horizontal waterfall in £ million of `label`, `amount` (£), `measure` steps, zoomed on
    the steps (the axis need not start at zero); totals carry their value as text."""
    millions = (steps["amount"] / 1e6).to_list()
    measures = steps["measure"].to_list()
    running, levels = 0.0, []
    for value, measure in zip(millions, measures, strict=True):
        running = value if measure in ("absolute", "total") else running + value
        levels.append(running)
    low, high = min(levels), max(levels)
    pad = max((high - low) * 0.25, 1.0)
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=steps["label"].to_list(),
            x=millions,
            measure=measures,
            text=[
                f"£{v:,.1f}m" if m != "relative" else f"{v:+,.1f}"
                for v, m in zip(millions, measures, strict=True)
            ],
            textposition="outside",
            hovertemplate="%{y}: £%{x:,.2f}m<extra></extra>",
            increasing={"marker": {"color": PALETTE[3]}},
            decreasing={"marker": {"color": PALETTE[2]}},
            totals={"marker": {"color": PALETTE[0]}},
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    fig = style_figure(
        fig,
        title=title,
        y_title="",
        source=SOURCE,
        height=max(420, 140 + 34 * len(millions)),
        as_at=as_at,
    )
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(range=[low - pad, high + pad])
    return fig


def budget_waterfall_figure(latest: Forecast, *, as_at: dt.date | None = None) -> go.Figure:
    """From the net budget, through each line's variance, to the forecast outturn."""
    return waterfall_figure(
        waterfall(latest.lines),
        f"From budget to forecast outturn, {period_label(latest.year, latest.period)}: "
        "£ million, net of income",
        as_at=as_at,
    )


def bridge_figure(
    previous: Forecast, latest: Forecast, *, as_at: dt.date | None = None
) -> go.Figure:
    """Why the net overspend moved since the previous period."""
    return waterfall_figure(
        bridge_frame(previous, latest),
        f"What changed between P{previous.period} and P{latest.period}: £ million",
        as_at=as_at,
    )


def track_record_figure(record: pl.DataFrame, *, year: str) -> go.Figure:
    """How far the forecast made at each period of each complete year was from that year's
    final outturn (+ = forecast too high), one line per year, zero marked."""
    fig = go.Figure()
    for (past,), rows in record.sort("period").group_by("year", maintain_order=True):
        fig.add_scatter(
            x=[short_period_label(past, p) for p in rows["period"]],
            y=(rows["error"] / 1e6).to_list(),
            mode="lines+markers",
            name=str(past),
            hovertemplate="%{x}: £%{y:+,.1f}m<extra>" + str(past) + "</extra>",
        )
    fig.add_hline(y=0, line={"color": "#555555", "width": 1})
    fig.update_xaxes(type="category")
    return style_figure(
        fig,
        title=f"The forecast's track record: forecast minus final outturn, complete years "
        f"before {year}",
        y_title="£ million (+ = forecast too high)",
        source=SOURCE + "; each forecast re-run with only what was known at its period",
    )
