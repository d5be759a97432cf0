"""The Overview's tiles: the forecast net overspend with its trend, and the four demand
measures the Director watches, each with a sparkline and a red/amber/green status."""

from __future__ import annotations

import streamlit as st

from ascdemand.formatting import money
from ascdemand.models.budget.outturn import position
from ascdemand.models.budget.summary import non_recurrent_note, summary_sentence
from ascdemand.models.budget.trajectory import trajectory_table
from ascdemand.models.demand import Tile, tile, to_social_care_smoothed
from ascdemand.models.rag import Rag, rag_status
from ascdemand.ui.common import Filters
from ascdemand.ui.services import budget, council, demand

RAG_ICONS = {
    "green": ":material/check_circle:",
    "amber": ":material/warning:",
    "red": ":material/error:",
}
RAG_COLOURS = {"green": "green", "amber": "orange", "red": "red"}


def _badge(rag: Rag, rule: str | None = None) -> None:
    st.badge(
        rag.label, icon=RAG_ICONS[rag.status], color=RAG_COLOURS[rag.status], help=rule or rag.rule
    )


def budget_tiles(filters: Filters) -> None:
    """Forecast net overspend with its period-by-period trend and status against budget."""
    found = budget.budget_period(filters.as_at)
    if found is None:
        st.info("No budget or ledger for the financial year of the as-at date yet.")
        return
    year, period = found
    history = budget.forecasts(year, period)
    table = trajectory_table(history)
    latest = position(history[-1].lines)
    change = float(table["change"][-1]) if table.height > 1 else 0.0
    status = council.profile().status
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
            money(latest.net_overspend),
            f"{money(change, signed=True)} since the previous period",
            delta_color="inverse",
            chart_data=(table["net_overspend"] / 1e6).round(2).to_list(),
            chart_type="bar",
            border=True,
            help="Forecast year-end spend less income, minus the net budget; bars show the "
            "forecast made at each period from P1.",
        )
        _badge(rag, rag.rule.replace(",", ""))
    with right:
        st.markdown(summary_sentence(history[-1], history[-2] if period > 1 else None))
        st.caption(non_recurrent_note(latest))
        st.page_link(
            "pages/budget.py", label="Budget and outturn in detail", icon=":material/payments:"
        )


def demand_tiles(filters: Filters) -> list[Tile]:
    """The four demand measures the Director watches, for the current filters."""
    homecare = demand.homecare_weekly(*filters.args)
    temporary = demand.temp_weekly(*filters.args)
    to_care = to_social_care_smoothed(demand.discharges_weekly(filters.as_at, filters.districts))
    status = council.profile().status
    limits = {"amber": status.demand_amber, "red": status.demand_red}
    return [
        tile("People receiving homecare", homecare["people"], unit="people", **limits),
        tile("Homecare hours per week", homecare["hours"], unit="hours", **limits),
        tile("People in temporary residential care", temporary["people"], unit="people", **limits),
        tile(
            "Hospital discharges to social care per week (4-week average)",
            to_care,
            unit="discharges",
            decimals=1,
            **limits,
        ),
    ]


def show_tile(item: Tile) -> None:
    """A bordered metric with its sparkline, change and RAG status badge."""
    fmt = f"{{:,.{item.decimals}f}}"
    st.metric(
        item.label,
        fmt.format(item.value),
        f"{item.change:+,.{item.decimals}f} in four weeks",
        delta_color="inverse",
        chart_data=item.spark,
        chart_type="area",
        border=True,
        help="Sparkline: the last 26 weeks.",
    )
    _badge(item.rag)


def demand_section(filters: Filters) -> None:
    """The demand tiles, two to a row."""
    st.subheader("Demand")
    tiles = demand_tiles(filters)
    for row_start in range(0, len(tiles), 2):
        for column, item in zip(st.columns(2), tiles[row_start : row_start + 2], strict=False):
            with column:
                show_tile(item)
