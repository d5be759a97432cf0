"""The first two sections of the Hospital discharges page: the council's own discharges, and
NHS England's discharge sitrep for a chosen care board or trust, side by side with them."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.demand import to_social_care_smoothed
from ascdemand.models.discharges import (
    from_first_activity,
    latest_month,
    mix_table,
    pre_pandemic_share,
    recent_weekly_mean,
)
from ascdemand.models.measures import MEASURES
from ascdemand.ui.charts import discharges as charts
from ascdemand.ui.common import Filters, friendly_errors, has_data, no_data_message, profile
from ascdemand.ui.sections import spc
from ascdemand.ui.services import cached, demand, discharges
from ascdemand.ui.widgets import pickers
from ascdemand.ui.widgets.downloads import table_with_downloads

IMPORT_HELP = (
    "No NHS discharge sitrep imported yet. Download the monthly *Acute Discharge Situation "
    "Report* workbooks (.xlsx) from NHS England's statistics pages, then run "
    "`ascdemand import-sitrep FILE...` (for example `ascdemand import-sitrep ~/Downloads/*.xlsx`). "
    "Each month is checked before anything is written; importing a month again replaces it."
)


@cached(shared=True, max_entries=64)
def _council_figures(
    as_at: dt.date, districts: tuple[str, ...], pandemic_start: dt.date
) -> tuple[go.Figure, go.Figure, go.Figure | None]:
    """The council's discharges by pathway and by outcome per week, and the monthly share with
    no ongoing package (None without whole months)."""
    weekly = from_first_activity(demand.discharges_weekly(as_at, districts), "discharges")
    outcomes = discharges.outcomes_weekly(as_at, districts).filter(
        pl.col("week_start") >= weekly["week_start"].min()
    )
    share = discharges.no_package_share(as_at, districts)
    return (
        charts.pathway_weekly_figure(weekly, as_at=as_at),
        charts.outcome_weekly_figure(outcomes, as_at=as_at),
        None if share.is_empty() else charts.no_package_figure(share, pandemic_start, as_at=as_at),
    )


@cached(shared=True, max_entries=64)
def _sitrep_figure(level: str, code: str, name: str, *, with_p0: bool, weekly: bool) -> go.Figure:
    nhs = discharges.sitrep_monthly(level, code)
    shown = nhs if with_p0 else nhs.filter(pl.col("pathway") != "P0")
    return charts.sitrep_figure(shown, name, weekly=weekly)


@cached(shared=True, max_entries=64)
def _side_by_side_figure(
    as_at: dt.date, districts: tuple[str, ...], level: str, code: str, name: str
) -> go.Figure:
    return charts.side_by_side_figure(
        discharges.council_monthly(as_at, districts),
        discharges.sitrep_monthly(level, code),
        name,
        as_at=as_at,
    )


def _headline(weekly: pl.DataFrame, share: pl.DataFrame, filters: Filters) -> None:
    pandemic_start = profile().pandemic_start
    cols = st.columns(3)
    cols[0].metric(
        "Discharges per week",
        f"{recent_weekly_mean(weekly, 'discharges'):,.0f}",
        help="Average over the last four weeks.",
    )
    needing = MEASURES["discharges_to_social_care"]
    smoothed = to_social_care_smoothed(weekly)
    change = float(smoothed[-1] - smoothed[-5]) if smoothed.len() > 4 else 0.0
    cols[1].metric(
        needing.name,
        needing.format(recent_weekly_mean(weekly, "to_social_care")),
        needing.format_change(change),
        delta_color=needing.delta_color,
        help=needing.definition,
    )
    if not share.is_empty():
        baseline = pre_pandemic_share(share, pandemic_start)
        cols[2].metric(
            f"No ongoing package, {share['month'][-1]:%b %Y}",
            f"{share['share'][-1]:.0%}",
            None
            if baseline is None
            else f"{(share['share'][-1] - baseline) * 100:+.0f} points on before the pandemic",
            help="Share of the month's discharges that needed no package of care; the "
            "change is against the average of the months before "
            f"{pandemic_start:%B %Y}.",
        )
    st.caption(f"{filters.caption} Discharges are not split by client group.")


def council(filters: Filters) -> pl.DataFrame:
    """The council's discharges by pathway and outcome and the share needing no package.

    Returns:
        The council's discharges per month by pathway (empty when there are none), for the
        comparison with the NHS figures.
    """
    st.header("The council's discharges")
    if not has_data():
        no_data_message()
        return pl.DataFrame()
    with friendly_errors("the council's discharge figures"):
        weekly = from_first_activity(
            demand.discharges_weekly(filters.as_at, filters.districts), "discharges"
        )
        if weekly.is_empty() or weekly["discharges"].sum() == 0:
            st.info(
                "No hospital discharges match these filters. Widen the districts or as-at date."
            )
            return pl.DataFrame()
        share = discharges.no_package_share(filters.as_at, filters.districts)
        _headline(weekly, share, filters)
        pathways, outcomes, no_package = _council_figures(
            filters.as_at, filters.districts, profile().pandemic_start
        )
        st.plotly_chart(pathways, key="council_pathways")
        st.plotly_chart(outcomes, key="council_outcomes")
        spc.measure_section(
            weekly.group_by("week_start").agg(pl.col("to_social_care").sum()),
            "to_social_care",
            title="Hospital discharges needing social care, each week",
            unit="Discharges",
            source="council hospital-discharge records",
            key="discharges_spc",
        )
        if no_package is not None:
            st.plotly_chart(no_package, key="council_no_package")
        monthly = discharges.council_monthly(filters.as_at, filters.districts)
        table_with_downloads(
            weekly, "council_discharges_weekly", label="Weekly discharges by pathway (table)"
        )
        return monthly
    return pl.DataFrame()


def sitrep(council_monthly: pl.DataFrame, filters: Filters) -> pickers.Organisation | None:
    """An NHS organisation's discharges by pathway, and the comparison with the council's.

    Returns:
        The organisation chosen, which the delays section shows too (None without a sitrep).
    """
    st.header("NHS discharge sitrep")
    if not discharges.has_sitrep():
        st.info(IMPORT_HELP, icon=":material/upload_file:")
        return None
    org = None
    with friendly_errors("the NHS sitrep figures"):
        org = pickers.sitrep_organisation()
        left, right = st.columns([1, 2])
        per_week = left.toggle("Show weekly equivalents", value=True, key="sitrep_weekly")
        with_p0 = right.toggle(
            "Include P0 (home, no new support)",
            value=True,
            key="sitrep_p0",
            help="P0 is most discharges; leave it out to see pathways 1 to 3 more clearly.",
        )
        nhs = discharges.sitrep_monthly(org.level, org.code)
        _sitrep_headline(nhs)
        st.plotly_chart(
            _sitrep_figure(org.level, org.code, org.name, with_p0=with_p0, weekly=per_week),
            key="sitrep_pathways",
        )
        months = discharges.sitrep_months()
        st.caption(
            f"{months.height} months imported, {months['month'].min():%B %Y} to "
            f"{months['month'].max():%B %Y}. Weekly equivalent = patients in the month / (days "
            "in the month / 7). Cells NHS England shows as '-' are left out, not counted as "
            "zero. Trust and ICB figures exclude discharges to a hospice."
        )
        _side_by_side(council_monthly, nhs, org, filters)
        table_with_downloads(nhs, f"nhs_discharges_{org.code}", label="NHS monthly figures (table)")
    return org


def _sitrep_headline(nhs: pl.DataFrame) -> None:
    latest = latest_month(nhs)
    cols = st.columns(3)
    cols[0].metric(f"Discharges per week, {latest.month:%B %Y}", f"{latest.per_week:,.0f}")
    cols[1].metric("Of which on pathways 1 to 3 per week", f"{latest.supported_per_week:,.0f}")
    cols[2].metric(
        "Share on pathways 1 to 3",
        "not available" if latest.supported_share is None else f"{latest.supported_share:.1%}",
    )


def _side_by_side(
    council_monthly: pl.DataFrame, nhs: pl.DataFrame, org: pickers.Organisation, filters: Filters
) -> None:
    st.subheader("Side by side with the council's discharges")
    if council_monthly.is_empty():
        st.info("Load the council's discharge extract to compare it with the NHS figures here.")
        return
    st.plotly_chart(
        _side_by_side_figure(filters.as_at, filters.districts, org.level, org.code, org.name),
        key="side_by_side",
    )
    mix = mix_table(council_monthly, nhs, org.name, charts.PATHWAY_LABELS)
    st.dataframe(
        mix,
        hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="percent") for c in mix.columns[1:]},
    )
    st.caption(
        "Share of discharges needing support (P1 to P3) on each pathway, each over its own "
        "latest twelve months."
    )
