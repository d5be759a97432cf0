"""Figures of hospital discharges: the council's by pathway and outcome, the share needing no
ongoing package, an NHS organisation's sitrep by pathway, and the two side by side."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from ascdemand.models.discharges import display_name, pre_pandemic_share
from ascdemand.ui.charts.style import PALETTE, legend_right, style_figure

PATHWAY_LABELS = {
    "P0": "P0: home, no new support",
    "P1": "P1: home with new support",
    "P2": "P2: short-term bed-based rehabilitation",
    "P3": "P3: new care-home placement",
}
PATHWAY_COLOURS = dict(zip(PATHWAY_LABELS, PALETTE, strict=False))
OUTCOME_LABELS = {
    "no_ongoing_package": "No ongoing package",
    "reablement": "Reablement",
    "homecare": "Homecare",
    "temporary_residential": "Temporary residential care",
    "permanent_residential": "Permanent residential care",
    "other": "Other",
}
ORG_LEVELS = {"icb": "Integrated care board", "trust": "Acute trust"}
SOURCE_COUNCIL = "council hospital-discharge extract"
SOURCE_SITREP = "NHS England, Acute Discharge Situation Report, Table 4"


def _add_stack(
    fig: go.Figure,
    frame: pl.DataFrame,
    x: str,
    y: str,
    series: str,
    labels: dict[str, str],
    **where: object,
) -> None:
    """One bar trace per value of `series` in `labels` order (absent values skipped)."""
    parts = frame.partition_by(series, as_dict=True, maintain_order=True)
    for i, (key, label) in enumerate(labels.items()):
        part = parts.get((key,))
        if part is None or part.is_empty():
            continue
        fig.add_bar(
            x=part[x],
            y=part[y],
            name=label,
            legendgroup=key,
            marker_color=PATHWAY_COLOURS.get(key, PALETTE[i % len(PALETTE)]),
            hovertemplate="%{y:,.0f}",
            **where,
        )


def pathway_weekly_figure(frame: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """Council discharges per week, stacked by pathway."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = style_figure(
        fig,
        title="Hospital discharges referred to the council per week, by pathway",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
        as_at=as_at,
    )
    return legend_right(fig)


def outcome_weekly_figure(frame: pl.DataFrame, *, as_at: dt.date | None = None) -> go.Figure:
    """Council discharges per week, stacked by what followed."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "outcome", OUTCOME_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = style_figure(
        fig,
        title="Hospital discharges per week, by what support followed",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
        as_at=as_at,
    )
    return legend_right(fig)


def no_package_figure(
    frame: pl.DataFrame, pandemic_start: dt.date, *, as_at: dt.date | None = None
) -> go.Figure:
    """Monthly share of discharges with no ongoing package, and the pre-pandemic average."""
    fig = go.Figure()
    fig.add_scatter(
        x=frame["month"],
        y=frame["share"],
        mode="lines+markers",
        name="Share with no ongoing package",
        hovertemplate="%{y:.1%}",
    )
    baseline = pre_pandemic_share(frame, pandemic_start)
    if baseline is not None:
        fig.add_hline(
            y=baseline,
            line_dash="dash",
            line_color=PALETTE[1],
            annotation_text=f"Before the pandemic: {baseline:.0%}",
            annotation_position="top left",
        )
    fig = style_figure(
        fig,
        title="Hospital discharges with no ongoing package, % of discharges each month",
        y_title="Share of discharges",
        x_title="Month",
        source=SOURCE_COUNCIL,
        as_at=as_at,
    )
    fig.update_yaxes(tickformat=".0%")
    fig.update_layout(showlegend=False)
    return fig


def sitrep_figure(frame: pl.DataFrame, org_name: str, *, weekly: bool) -> go.Figure:
    """An organisation's discharges by pathway each month, per week or per month."""
    column = "weekly_patients" if weekly else "patients"
    fig = go.Figure()
    _add_stack(fig, frame, "month", column, "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0.15)
    unit = "per week" if weekly else "per month"
    fig = style_figure(
        fig,
        title=f"{display_name(org_name)}: patients discharged {unit}, by pathway",
        y_title="Patients per week" if weekly else "Patients per month",
        x_title="Month",
        source=SOURCE_SITREP,
    )
    return legend_right(fig)


def side_by_side_figure(
    council: pl.DataFrame, nhs: pl.DataFrame, org_name: str, *, as_at: dt.date | None = None
) -> go.Figure:
    """Discharges per week by pathway, monthly: the council (left) and the NHS organisation
    (right), each on its own scale, with one legend."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Council", display_name(org_name)),
        horizontal_spacing=0.1,
    )
    _add_stack(fig, council, "month", "weekly_patients", "pathway", PATHWAY_LABELS, row=1, col=1)
    _add_stack(fig, nhs, "month", "weekly_patients", "pathway", PATHWAY_LABELS, row=1, col=2)
    seen: set[str] = set()
    for trace in fig.data:
        trace.showlegend = trace.legendgroup not in seen
        seen.add(trace.legendgroup)
    fig.update_layout(barmode="stack", bargap=0.15)
    fig = style_figure(
        fig,
        title="Discharges per week by pathway, monthly average: council and NHS side by side",
        y_title="Patients per week",
        x_title="",
        source=f"{SOURCE_COUNCIL}; {SOURCE_SITREP}",
        as_at=as_at,
    )
    fig.update_yaxes(title_text="", row=1, col=2)
    return legend_right(fig)
