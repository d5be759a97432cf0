"""Cached queries and charts for the Hospital discharges page: the council's own discharges
and NHS England's discharge sitrep for a chosen ICB or acute trust."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.store import council_discharges
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui import common

PATHWAY_LABELS = {
    "P0": "P0: home, no new support",
    "P1": "P1: home with new support",
    "P2": "P2: short-term bed-based rehabilitation",
    "P3": "P3: new care-home placement",
}
PATHWAY_COLOURS = dict(zip(PATHWAY_LABELS, common.PALETTE, strict=False))
OUTCOME_LABELS = {
    "no_ongoing_package": "No ongoing package",
    "reablement": "Reablement",
    "homecare": "Homecare",
    "temporary_residential": "Temporary residential care",
    "permanent_residential": "Permanent residential care",
    "other": "Other",
}
ORG_LEVELS = {"icb": "Integrated care board", "trust": "Acute trust"}
DEFAULT_ORG = {"icb": sitrep_queries.DEFAULT_ICB, "trust": sitrep_queries.DEFAULT_TRUST}
PANDEMIC_START = dt.date(2020, 3, 1)
SOURCE_COUNCIL = "council hospital-discharge extract"
SOURCE_SITREP = "NHS England, Acute Discharge Situation Report, Table 4"
IMPORT_HELP = (
    "No NHS discharge sitrep imported yet. Download the monthly *Acute Discharge Situation "
    "Report* workbooks (.xlsx) from NHS England's statistics pages, then run "
    "`ascdemand import-sitrep FILE...` (for example `ascdemand import-sitrep ~/Downloads/*.xlsx`). "
    "Each month is checked before anything is written; importing a month again replaces it."
)


@st.cache_data(show_spinner=False)
def outcomes_weekly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per week by outcome."""
    with common.cursor() as cur:
        return council_discharges.weekly_by_outcome(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def no_package_share(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month and the share needing no ongoing package."""
    with common.cursor() as cur:
        return council_discharges.monthly_no_package_share(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def council_monthly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month by pathway, with weekly equivalents."""
    with common.cursor() as cur:
        return council_discharges.monthly_by_pathway(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def has_sitrep() -> bool:
    """True when the database exists and holds at least one imported sitrep month."""
    try:
        with common.cursor() as cur:
            return sitrep_queries.has_sitrep(cur)
    except FileNotFoundError:
        return False


@st.cache_data(show_spinner=False)
def organisations(org_type: str) -> pl.DataFrame:
    """ICBs or trusts in the imported sitrep, by name."""
    with common.cursor() as cur:
        return sitrep_queries.organisations(cur, org_type)


@st.cache_data(show_spinner=False)
def sitrep_monthly(org_type: str, org_code: str) -> pl.DataFrame:
    """One organisation's discharges per month by pathway, with weekly equivalents."""
    with common.cursor() as cur:
        return sitrep_queries.monthly_by_pathway(cur, org_type, org_code)


@st.cache_data(show_spinner=False)
def sitrep_months() -> pl.DataFrame:
    """Imported sitrep months and their source files."""
    with common.cursor() as cur:
        return sitrep_queries.imported_months(cur)


def recent_weekly_mean(frame: pl.DataFrame, column: str, weeks: int = 4) -> float:
    """Mean per week of `column` over the last `weeks` weeks of a weekly-by-pathway frame."""
    totals = frame.group_by("week_start").agg(pl.col(column).sum()).sort("week_start")
    return float(totals[column].tail(weeks).mean() or 0.0)


def pre_pandemic_share(share: pl.DataFrame) -> float | None:
    """Share of discharges with no ongoing package over the months before March 2020
    (pooled: all such discharges / all discharges), or None without pre-pandemic months."""
    before = share.filter(pl.col("month") < PANDEMIC_START)
    if before.is_empty():
        return None
    return before["no_ongoing_package"].sum() / before["discharges"].sum()


def pathway_mix(frame: pl.DataFrame, months: int = 12) -> pl.DataFrame:
    """Share of each supported pathway (P1 to P3) over the last `months` months of a monthly
    frame (`month`, `pathway`, `patients`); P0 is left out as it needs no new care.

    Returns:
        `pathway`, `patients`, `share` (of P1 to P3), one row per pathway present.
    """
    recent = frame.filter(pl.col("month") >= pl.col("month").unique().sort().tail(months).min())
    supported = (
        recent.filter(pl.col("pathway") != "P0")
        .group_by("pathway")
        .agg(pl.col("patients").sum())
        .sort("pathway")
    )
    total = supported["patients"].sum()
    return supported.with_columns(share=pl.col("patients") / total if total else None)


def _stacked(frame: pl.DataFrame, x: str, y: str, series: str, labels: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for key, label in labels.items():
        part = frame.filter(pl.col(series) == key)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part[x],
            y=part[y],
            name=label,
            marker_color=PATHWAY_COLOURS.get(key),
            hovertemplate="%{y:,.0f}",
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    return fig


def pathway_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by pathway."""
    fig = _stacked(frame, "week_start", "discharges", "pathway", PATHWAY_LABELS)
    return common.style_figure(
        fig,
        title="Hospital discharges referred to the council per week, by pathway",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )


def outcome_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by what followed."""
    fig = go.Figure()
    for key, label in OUTCOME_LABELS.items():
        part = frame.filter(pl.col("outcome") == key)
        if not part.is_empty():
            fig.add_bar(x=part["week_start"], y=part["discharges"], name=label)
    fig.update_layout(barmode="stack", bargap=0.1)
    return common.style_figure(
        fig,
        title="Hospital discharges per week, by what support followed",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )


def no_package_figure(frame: pl.DataFrame) -> go.Figure:
    """Monthly share of discharges with no ongoing package, and the pre-pandemic average."""
    fig = go.Figure()
    fig.add_scatter(
        x=frame["month"],
        y=frame["share"],
        mode="lines+markers",
        name="Share with no ongoing package",
        hovertemplate="%{y:.1%}",
    )
    baseline = pre_pandemic_share(frame)
    if baseline is not None:
        fig.add_hline(
            y=baseline,
            line_dash="dash",
            line_color=common.PALETTE[1],
            annotation_text=f"Before the pandemic: {baseline:.0%}",
            annotation_position="top left",
        )
    fig = common.style_figure(
        fig,
        title="Hospital discharges with no ongoing package, % of discharges each month",
        y_title="Share of discharges",
        x_title="Month",
        source=SOURCE_COUNCIL,
    )
    fig.update_yaxes(tickformat=".0%")
    return fig


def monthly_weekly_figure(frame: pl.DataFrame, *, who: str, source: str) -> go.Figure:
    """Weekly-equivalent discharges each month, stacked by pathway (council or NHS)."""
    fig = _stacked(frame, "month", "weekly_patients", "pathway", PATHWAY_LABELS)
    return common.style_figure(
        fig,
        title=f"{who}: discharges per week, by pathway (monthly average)",
        y_title="Patients per week",
        x_title="Month",
        source=source,
    )


def sitrep_figure(frame: pl.DataFrame, org_name: str, *, weekly: bool) -> go.Figure:
    """An organisation's discharges by pathway each month, per week or per month."""
    column = "weekly_patients" if weekly else "patients"
    fig = _stacked(frame, "month", column, "pathway", PATHWAY_LABELS)
    unit = "per week (monthly average)" if weekly else "per month"
    return common.style_figure(
        fig,
        title=f"{org_name.title()}: patients discharged {unit}, by pathway",
        y_title="Patients per week" if weekly else "Patients per month",
        x_title="Month",
        source=SOURCE_SITREP,
    )


def mix_table(council: pl.DataFrame, nhs: pl.DataFrame, nhs_name: str) -> pl.DataFrame:
    """Council and NHS shares of P1 to P3 side by side, each over its own latest 12 months."""
    labels = pl.DataFrame(
        {"pathway": list(PATHWAY_LABELS)[1:], "Pathway": list(PATHWAY_LABELS.values())[1:]}
    )
    council_mix = pathway_mix(council).select("pathway", pl.col("share").alias("Council"))
    nhs_mix = pathway_mix(nhs).select("pathway", pl.col("share").alias(nhs_name.title()))
    return (
        labels.join(council_mix, on="pathway", how="left")
        .join(nhs_mix, on="pathway", how="left")
        .drop("pathway")
    )
