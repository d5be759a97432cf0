"""The overview tiles: latest value, change over four weeks, sparkline and RAG status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

from ascdemand.models.budget.outturn import position
from ascdemand.models.budget.periods import period_end, period_of
from ascdemand.models.budget.trajectory import trajectory_table
from ascdemand.models.rag import Rag, rag_status
from ascdemand.ui import budget, common, demand

BASELINE_NOTE = "average of the first year of history"
RAG_ICONS = {
    "green": ":material/check_circle:",
    "amber": ":material/warning:",
    "red": ":material/error:",
}


@dataclass(frozen=True, slots=True)
class Tile:
    """One demand measure as the overview shows it."""

    label: str
    value: float
    change: float
    spark: list[float]
    rag: Rag
    unit: str
    decimals: int = 0


def _tile(label: str, series: pl.Series, *, unit: str, decimals: int = 0, weeks: int = 4) -> Tile:
    values = series.drop_nulls()
    latest = float(values[-1])
    earlier = float(values[-1 - weeks]) if values.len() > weeks else latest
    baseline = float(values.head(52).mean())
    status = common.profile().status
    return Tile(
        label=label,
        value=latest,
        change=latest - earlier,
        spark=values.tail(26).round(decimals).to_list(),
        rag=rag_status(
            latest,
            baseline,
            amber=status.demand_amber,
            red=status.demand_red,
            unit=f" {unit} ({BASELINE_NOTE})",
        ),
        unit=unit,
        decimals=decimals,
    )


def demand_tiles(filters: common.Filters) -> list[Tile]:
    """The four demand measures the Director watches, for the current filters."""
    args = (filters.as_at, filters.districts, filters.client_group)
    homecare = demand.homecare_weekly(*args)
    temporary = demand.temp_weekly(*args)
    discharges = (
        demand.discharges_weekly(filters.as_at, filters.districts)
        .group_by("week_start")
        .agg(pl.col("to_social_care").sum())
        .sort("week_start")
    )
    smoothed = discharges["to_social_care"].rolling_mean(4, min_samples=1)
    return [
        _tile("People receiving homecare", homecare["people"], unit="people"),
        _tile("Homecare hours per week", homecare["hours"], unit="hours"),
        _tile("People in temporary residential care", temporary["people"], unit="people"),
        _tile(
            "Hospital discharges to social care per week (4-week average)",
            smoothed,
            unit="discharges",
            decimals=1,
        ),
    ]


def show_tile(tile: Tile) -> None:
    """A bordered metric with its sparkline, change and RAG status badge."""
    fmt = f"{{:,.{tile.decimals}f}}"
    st.metric(
        tile.label,
        fmt.format(tile.value),
        f"{tile.change:+,.{tile.decimals}f} in four weeks",
        delta_color="inverse",
        chart_data=tile.spark,
        chart_type="area",
        border=True,
        help="Sparkline: the last 26 weeks.",
    )
    st.badge(
        tile.rag.label,
        icon=RAG_ICONS[tile.rag.status],
        color={"green": "green", "amber": "orange", "red": "red"}[tile.rag.status],
        help=tile.rag.rule,
    )


def budget_period(as_at: dt.date) -> tuple[str, int] | None:
    """The financial year and the last period with actuals closed by `as_at`, if any."""
    year, period = period_of(as_at)
    if as_at < period_end(year, period):
        period -= 1
    if year not in budget.years() or period < 1:
        return None
    period = min(period, budget.last_period(year))
    return (year, period) if period >= 1 else None


def budget_tiles(filters: common.Filters) -> None:
    """Forecast net overspend with its period-by-period trend and status against budget."""
    found = budget_period(filters.as_at)
    if found is None:
        st.info("No budget or ledger for the financial year of the as-at date yet.")
        return
    year, period = found
    history = budget.forecasts(year, period)
    table = trajectory_table(history)
    latest = position(history[-1].lines)
    change = float(table["change"][-1]) if table.height > 1 else 0.0
    status = common.profile().status
    rag = rag_status(
        latest.outturn,
        latest.budget,
        amber=status.budget_amber,
        red=status.budget_red,
        unit=" net budget",
    )
    left, right = st.columns([1, 2])
    with left:
        st.metric(
            f"Forecast net overspend {year}",
            common.money(latest.net_overspend),
            f"{common.money(change, signed=True)} since the previous period",
            delta_color="inverse",
            chart_data=(table["net_overspend"] / 1e6).round(2).to_list(),
            chart_type="bar",
            border=True,
            help="Forecast year-end spend less income, minus the net budget; bars show the "
            "forecast made at each period from P1.",
        )
        st.badge(
            rag.label,
            icon=RAG_ICONS[rag.status],
            color={"green": "green", "amber": "orange", "red": "red"}[rag.status],
            help=rag.rule.replace(",", ""),
        )
    with right:
        st.markdown(budget.summary_sentence(history[-1], history[-2] if period > 1 else None))
        st.caption(budget.non_recurrent_note(latest))
        st.page_link(
            "pages/budget.py", label="Budget and outturn in detail", icon=":material/payments:"
        )
