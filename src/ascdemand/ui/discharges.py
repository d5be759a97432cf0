"""Cached queries and charts for the Hospital discharges page: the council's own discharges
and NHS England's discharge sitrep for a chosen ICB or acute trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class LatestMonth:
    """An organisation's latest sitrep month: discharges per week, those on P1 to P3, and
    their share of all discharges (None when every cell was suppressed)."""

    month: dt.date
    per_week: float
    supported_per_week: float
    supported_share: float | None


def latest_month(frame: pl.DataFrame) -> LatestMonth:
    """The headline figures of the latest month of a monthly-by-pathway sitrep frame."""
    month = frame["month"].max()
    latest = frame.filter(pl.col("month") == month)
    supported = latest.filter(pl.col("pathway") != "P0")
    total = latest["patients"].sum()
    return LatestMonth(
        month=month,
        per_week=float(latest["weekly_patients"].sum()),
        supported_per_week=float(supported["weekly_patients"].sum()),
        supported_share=supported["patients"].sum() / total if total else None,
    )


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


_KEEP_CASE = {"NHS", "ICB", "UHL"}
_SMALL_WORDS = {"And", "Of", "The", "For", "In", "On"}


def display_name(name: str) -> str:
    """An NHS organisation's upper-case name in title case, keeping acronyms, with "Integrated
    Care Board" shortened to ICB: "NHS LEICESTER, ... INTEGRATED CARE BOARD" reads
    "NHS Leicester, Leicestershire and Rutland ICB"."""
    words = []
    for i, word in enumerate(name.replace("INTEGRATED CARE BOARD", "ICB").split()):
        bare = word.strip(",()")
        if bare.upper() in _KEEP_CASE:
            words.append(word.upper())
        else:
            titled = word.capitalize()
            words.append(titled.lower() if i and titled in _SMALL_WORDS else titled)
    return " ".join(words)


def from_first_activity(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Drop the empty weeks before the first week with any `column` (the calendar can start
    years before the discharge extract does)."""
    active = frame.filter(pl.col(column) > 0)
    if active.is_empty():
        return frame
    return frame.filter(pl.col("week_start") >= active["week_start"].min())


def _legend_right(fig: go.Figure) -> go.Figure:
    """A vertical legend right of the plot, so long labels never run over the title."""
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"r": 230},
    )
    return fig


def _add_stack(
    fig: go.Figure,
    frame: pl.DataFrame,
    x: str,
    y: str,
    series: str,
    labels: dict[str, str],
    **where: object,
) -> None:
    for i, (key, label) in enumerate(labels.items()):
        part = frame.filter(pl.col(series) == key)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part[x],
            y=part[y],
            name=label,
            legendgroup=key,
            marker_color=PATHWAY_COLOURS.get(key, common.PALETTE[i % len(common.PALETTE)]),
            hovertemplate="%{y:,.0f}",
            **where,
        )


def pathway_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by pathway."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = common.style_figure(
        fig,
        title="Hospital discharges referred to the council per week, by pathway",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )
    return _legend_right(fig)


def outcome_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by what followed."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "outcome", OUTCOME_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = common.style_figure(
        fig,
        title="Hospital discharges per week, by what support followed",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )
    return _legend_right(fig)


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
    fig.update_layout(showlegend=False)
    return fig


def sitrep_figure(frame: pl.DataFrame, org_name: str, *, weekly: bool) -> go.Figure:
    """An organisation's discharges by pathway each month, per week or per month."""
    column = "weekly_patients" if weekly else "patients"
    fig = go.Figure()
    _add_stack(fig, frame, "month", column, "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0.15)
    unit = "per week" if weekly else "per month"
    fig = common.style_figure(
        fig,
        title=f"{display_name(org_name)}: patients discharged {unit}, by pathway",
        y_title="Patients per week" if weekly else "Patients per month",
        x_title="Month",
        source=SOURCE_SITREP,
    )
    return _legend_right(fig)


def side_by_side_figure(council: pl.DataFrame, nhs: pl.DataFrame, org_name: str) -> go.Figure:
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
    fig = common.style_figure(
        fig,
        title="Discharges per week by pathway, monthly average: council and NHS side by side",
        y_title="Patients per week",
        x_title="",
        source=f"{SOURCE_COUNCIL}; {SOURCE_SITREP}",
    )
    fig.update_yaxes(title_text="", row=1, col=2)
    return _legend_right(fig)


def mix_table(council: pl.DataFrame, nhs: pl.DataFrame, nhs_name: str) -> pl.DataFrame:
    """Council and NHS shares of P1 to P3 side by side, each over its own latest 12 months."""
    labels = pl.DataFrame(
        {"pathway": list(PATHWAY_LABELS)[1:], "Pathway": list(PATHWAY_LABELS.values())[1:]}
    )
    council_mix = pathway_mix(council).select("pathway", pl.col("share").alias("Council"))
    nhs_mix = pathway_mix(nhs).select("pathway", pl.col("share").alias(display_name(nhs_name)))
    return (
        labels.join(council_mix, on="pathway", how="left")
        .join(nhs_mix, on="pathway", how="left")
        .drop("pathway")
    )
