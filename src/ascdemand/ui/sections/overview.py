"""The Overview's tiles: the forecast net overspend with its trend, and the four demand
measures the Director watches, each with a sparkline and Making Data Count icons."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from ascdemand.formatting import money
from ascdemand.models.budget.outturn import position
from ascdemand.models.budget.status import net_position_status
from ascdemand.models.budget.summary import non_recurrent_note, summary_sentence
from ascdemand.models.budget.trajectory import trajectory_table
from ascdemand.models.demand import Tile, tile, to_social_care_smoothed
from ascdemand.models.measures import MEASURES
from ascdemand.models.rag import Rag
from ascdemand.ui.common import Filters
from ascdemand.ui.sections import spc as spc_section
from ascdemand.ui.services import briefing, budget, council, demand
from ascdemand.ui.widgets.spc import baseline_start

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
    profile = council.profile()
    rag = net_position_status(
        latest, amber=profile.status.budget_amber, red=profile.status.budget_red
    )
    spread = budget.outturn_range(year, period, latest.net_overspend)
    area = f" (whole of {profile.short_name})" if filters.districts or filters.client_group else ""
    left, right = st.columns([1, 2])
    with left:
        st.metric(
            f"Forecast net overspend {year}{area}",
            money(latest.net_overspend),
            f"{money(change, signed=True)} since the previous period",
            delta_color="inverse",
            chart_data=(table["net_overspend"] / 1e6).round(2).to_list(),
            chart_type="bar",
            border=True,
            help="Forecast year-end spend less income, minus the net budget; bars show the "
            "forecast made at each period from P1.",
        )
        if spread is not None:
            st.caption(
                f"80% range {money(spread.low)} to {money(spread.high)}, from the forecast's "
                f"own errors at this point of {len(spread.years)} complete year(s)."
            )
        _badge(rag)
    with right:
        st.markdown(summary_sentence(history[-1], history[-2] if period > 1 else None))
        st.caption(non_recurrent_note(latest))
        st.page_link(
            "pages/budget.py", label="Budget and outturn in detail", icon=":material/payments:"
        )


DEMAND_KEYS = (
    "homecare_people",
    "homecare_hours",
    "temp_residential_people",
    "discharges_to_social_care",
)
DEMAND_LABELS = tuple(MEASURES[key].name for key in DEMAND_KEYS)


def _target(measure: str) -> float | None:
    """The Director's target for a demand measure, if one is set (Committee briefing page)."""
    rows = briefing.targets().filter(pl.col("measure") == measure)
    return None if rows.is_empty() else float(rows["target_value"][0])


def demand_tiles(filters: Filters, baseline_from: dt.date) -> list[Tile | None]:
    """The four demand measures the Director watches (`DEMAND_LABELS`, in order), for the
    current filters, each judged by its XmR chart from `baseline_from`; None for a measure
    with nothing loaded."""
    homecare = demand.homecare_weekly(*filters.args)
    temporary = demand.temp_weekly(*filters.args)
    discharges = demand.discharges_weekly(filters.as_at, filters.districts)
    weekly_care = (
        discharges.group_by("week_start").agg(pl.col("to_social_care").sum()).sort("week_start")
    )
    common = {"baseline_from": baseline_from}
    return [
        tile(
            DEMAND_LABELS[0],
            homecare,
            "people",
            unit="people",
            target=_target("homecare_people"),
            **common,
        ),
        tile(
            DEMAND_LABELS[1],
            homecare,
            "hours",
            unit="hours",
            target=_target("homecare_hours"),
            **common,
        ),
        tile(
            DEMAND_LABELS[2],
            temporary,
            "people",
            unit="people",
            target=_target("temp_residential_people"),
            **common,
        ),
        tile(
            DEMAND_LABELS[3],
            weekly_care,
            "to_social_care",
            unit="discharges",
            target=_target("discharges_to_social_care"),
            shown=to_social_care_smoothed(discharges),
            decimals=1,
            **common,
        ),
    ]


def show_tile(item: Tile | None, label: str) -> None:
    """A bordered metric with its sparkline and change, and its Making Data Count icons; a
    plain note when nothing of the kind is loaded."""
    if item is None:
        st.metric(label, "–", border=True, help="Nothing of this kind is loaded for these filters.")
        st.caption("No records of this kind for these filters.")
        return
    measure = next(m for m in MEASURES.values() if m.name == item.label)
    st.metric(
        item.label,
        measure.format(item.value),
        f"{measure.format_change(item.change)} in four weeks",
        delta_color=measure.delta_color,
        chart_data=item.spark,
        chart_type="area",
        border=True,
        help="Sparkline: the last 26 weeks.",
    )
    spc_section.icons(item.spc)


def demand_section(filters: Filters) -> None:
    """The demand tiles, two to a row, and their XmR charts on request."""
    st.subheader("Demand")
    first, last = demand.filter_options()[:2]
    with st.expander("How the icons are judged (Making Data Count)"):
        st.caption(
            "Each measure is a statistical process control (XmR) chart of its weekly values: "
            "a mean and process limits from the baseline, and NHS England's special-cause "
            "rules (a point outside the limits, a run of 7 on one side of the mean, a trend "
            "of 7, two of three points near a limit). Orange: a change for the worse; blue: "
            "for the better; grey: no significant change. Hover over an icon for the rule."
        )
        baseline_from = baseline_start(first, min(last, filters.as_at))
    tiles = list(zip(DEMAND_LABELS, demand_tiles(filters, baseline_from), strict=True))
    for row_start in range(0, len(tiles), 2):
        for column, (label, item) in zip(
            st.columns(2), tiles[row_start : row_start + 2], strict=False
        ):
            with column:
                show_tile(item, label)
