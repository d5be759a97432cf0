"""Figures of delays in leaving hospital (NHS England sitrep Tables 2, 3 and 5): patients ready
to leave, bed days by length of stay, and the reasons people stay."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ascdemand.models.discharges import display_name, latest, months_note
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui.charts.style import legend_right, style_figure

SOURCE_DELAYS = "NHS England, Discharge delays (acute) sitrep"
REASON_GROUP_COLOURS = {
    sitrep_queries.CARE_AFTER_HOSPITAL: "#D55E00",  # vermillion: the council's side stands out
    sitrep_queries.COMMUNITY_SERVICES: "#E69F00",
    sitrep_queries.HOSPITAL_TASKS: "#0072B2",
    sitrep_queries.OTHER_REASONS: "#999999",
}


def criteria_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """Patients no longer meeting the criteria to reside, average per day each month: those still
    in hospital at the end of the day (below) and those discharged that day (above)."""
    fig = go.Figure()
    fig.add_bar(
        x=frame["month"],
        y=frame["remaining_per_day"],
        name="Still in hospital at the end of the day",
        marker_color="#D55E00",
        hovertemplate="%{y:,.0f}",
    )
    fig.add_bar(
        x=frame["month"],
        y=frame["discharged_per_day"],
        name="Discharged the same day",
        marker_color="#0072B2",
        hovertemplate="%{y:,.0f}",
    )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig = style_figure(
        fig,
        title=f"{display_name(org_name)}: patients ready to leave hospital, average per day",
        y_title="Patients per day",
        x_title="Month",
        source=f"{SOURCE_DELAYS}, {months_note(frame)} (Table 2)",
    )
    return legend_right(fig)


def delay_length_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """Bed days after being ready to leave, by length of stay: the latest month, beside the same
    month a year before when it was imported."""
    month = frame["month"].max()
    year_before = month.replace(year=month.year - 1)
    fig = go.Figure()
    for when, colour in ((year_before, "#56B4E9"), (month, "#D55E00")):
        part = frame.filter(pl.col("month") == when)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part["stay"],
            y=part["bed_days"],
            name=f"{when:%B %Y}",
            marker_color=colour,
            text=part["bed_days"],
            texttemplate="%{text:,.0f}",
            textposition="outside",
            hovertemplate="%{y:,.0f}",
        )
    fig.update_layout(barmode="group", bargap=0.3)
    fig = style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: bed days used after patients were ready to leave, "
            f"by length of stay, {month:%B %Y}"
        ),
        y_title="Bed days (average weekly snapshot)",
        x_title="Patient's length of stay in hospital",
        source=f"{SOURCE_DELAYS}, {month:%B %Y} (Table 3)",
    )
    fig.update_yaxes(rangemode="tozero", range=[0, float(frame["bed_days"].max() or 0) * 1.15])
    return fig


def reasons_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """The latest month's reasons for delay as horizontal bars, coloured by group, the group of
    care after hospital (pathways 1 to 3) first; reasons not published are left out."""
    month = frame["month"].max()
    shown = latest(frame).filter(pl.col("average_patients").is_not_null())
    fig = go.Figure()
    for group, colour in REASON_GROUP_COLOURS.items():
        part = shown.filter(pl.col("reason_group") == group)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part["average_patients"],
            y=part["label"],
            orientation="h",
            name=group,
            marker_color=colour,
            text=part["average_patients"],
            texttemplate="%{text:,.1f}",
            textposition="outside",
            hovertemplate="%{x:,.1f} a day<extra>%{fullData.name}</extra>",
        )
    fig = style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: why patients in hospital 14 days or more were "
            f"still there, {month:%B %Y}"
        ),
        y_title="",
        x_title="People per day (average of weekly snapshots)",
        source=f"{SOURCE_DELAYS}, {month:%B %Y} (Table 5)",
        height=200 + 30 * shown.height,
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=shown["label"].reverse().to_list(), automargin=True
    )
    fig.update_xaxes(range=[0, float(shown["average_patients"].max() or 0) * 1.15])
    fig.update_layout(hovermode="closest")
    return legend_right(fig)


def reason_groups_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """People in hospital 14 days or more and delayed, per day each month, by group of reason."""
    fig = go.Figure()
    for group, colour in REASON_GROUP_COLOURS.items():
        part = frame.filter(pl.col("reason_group") == group)
        if part.is_empty():
            continue
        fig.add_scatter(
            x=part["month"],
            y=part["average_patients"],
            mode="lines+markers",
            name=group,
            line={
                "color": colour,
                "width": 3 if group == sitrep_queries.CARE_AFTER_HOSPITAL else 2,
            },
            hovertemplate="%{y:,.1f}",
        )
    fig = style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: delayed patients in hospital 14 days or more, "
            "by reason, people per day"
        ),
        y_title="People per day",
        x_title="Month",
        source=f"{SOURCE_DELAYS}, {months_note(frame)} (Table 5)",
    )
    return legend_right(fig)
