"""Budget page helpers: cached forecasts, the Director's big numbers, charts and tables."""

from __future__ import annotations

import calendar
import datetime as dt
import io

import plotly.graph_objects as go
import polars as pl
import streamlit as st
import xlsxwriter

from ascdemand import exports
from ascdemand.briefing import money
from ascdemand.models.budget.bridge import bridge, bridge_summary
from ascdemand.models.budget.drivers import drivers
from ascdemand.models.budget.labels import COMPONENT_LABELS, line_label, line_label_expr
from ascdemand.models.budget.outturn import Forecast, Position, position
from ascdemand.models.budget.periods import (
    last_complete_period,
    period_bounds,
    period_of,
)
from ascdemand.models.budget.trajectory import trajectory_table
from ascdemand.models.budget.waterfall import waterfall
from ascdemand.store import budget_inputs
from ascdemand.ui import common

SOURCE = "council finance ledger and budget; care-package and placement extracts"
METHOD_NOTE = """
- **Actuals to date** come from the finance ledger up to the chosen period.
- **Committed care**: everyone in a package or placement at the period end, at their current
  weekly cost, to their planned end or, if none, leaving at the rate seen over the last year
  (counted apart for the first six weeks of a stay, when short packages end).
- **New demand**: people starting at the rate of the last 13 weeks, at what recent starters
  cost, leaving at the same rates.
- **Run on**: staffing, other costs and income continue at the median of the last three
  periods (the median does not repeat a one-off receipt); grants arrive as allocated; the
  NHS one-off transfer counts only once received.
- **Recurrent or one-off**: staffing vacancies, grants and NHS discharge money will not
  repeat; care costs will. The pressure on next year's budget is the full-year cost of the
  people expected in care on 31 March against this budget rolled forward.
- Each earlier period is re-forecast with only what was known at its end.
"""
GROSS_SHOWN_FROM = 250_000.0
"""Overspends smaller than this are left out of the big numbers (they stay in the table)."""
MONEY_COLUMNS = (
    "Budget",
    "Actual to date",
    "Committed care",
    "New demand",
    "Run on",
    "Forecast outturn",
    "Variance",
    "Full-year effect",
)


def period_label(year: str, period: int) -> str:
    """ "P4 (July 2021)": the period and the month it covers."""
    first, _ = period_bounds(year, period)
    return f"P{period} ({calendar.month_name[first.month]} {first.year})"


def short_period_label(year: str, period: int) -> str:
    """ "P4 Jul": for chart axes."""
    first, _ = period_bounds(year, period)
    return f"P{period} {calendar.month_abbr[first.month]}"


@st.cache_data(show_spinner=False)
def years() -> list[str]:
    """Financial years with a budget or ledger, latest first."""
    with common.cursor() as cur:
        return budget_inputs.financial_years(cur)


@st.cache_data(show_spinner=False)
def last_period(year: str) -> int:
    """The last period of `year` with actuals."""
    with common.cursor() as cur:
        return budget_inputs.last_period(cur, year)


def default_choice(as_at: dt.date, available: list[str]) -> tuple[str, int]:
    """The year and last closed period at the sidebar's as-at date, within what is loaded."""
    year, _ = period_of(as_at)
    if year not in available:
        year = available[0]
        return year, last_period(year)
    closed = last_complete_period(year, as_at)
    return year, max(1, min(closed, last_period(year)))


@st.cache_data(show_spinner="Forecasting the outturn period by period ...")
def forecasts(year: str, through: int) -> list[Forecast]:
    """The forecast as at each period 1..`through`, each with only what was known then."""
    with common.cursor() as cur:
        return money.forecasts_through(cur, year, through)


def headline(latest: Forecast, previous: Forecast | None) -> None:
    """The big numbers: net overspend, change since last period, gross overspends by line."""
    now = position(latest.lines)
    before = position(previous.lines) if previous else None
    cols = st.columns(4)
    cols[0].metric(
        "Forecast net overspend",
        common.money(now.net_overspend),
        common.money(now.net_overspend - before.net_overspend, signed=True) if before else None,
        delta_color="inverse",
        help="Forecast year-end spend less income, minus the net budget. The change is since "
        "the previous period's forecast.",
    )
    cols[1].metric(
        "Gross overspends",
        common.money(now.gross_overspend),
        help="The spending lines forecast to go over budget, added up.",
    )
    cols[2].metric(
        "Offsets",
        common.money(now.offsets),
        help="Underspends and income above budget, which reduce the gross overspends.",
    )
    cols[3].metric(
        "Pressure on next year's budget",
        common.money(now.full_year_effect),
        help="Full-year cost of the people in care at year end, and other recurrent "
        "variances, against this year's budget rolled forward (the MTFS pressure).",
    )
    spend = latest.lines.filter(
        (pl.col("variance") >= GROSS_SHOWN_FROM)
        & ~pl.col("service_line").is_in(["nhs_discharge_income", "nhs_one_off_transfer"])
        & ~pl.col("service_line").is_in(["grants", "client_contributions"])
    ).sort("variance", descending=True)
    if spend.height:
        st.markdown("**Gross overspends by service line**")
        cols = st.columns(4)
        for col, row in zip(cols, spend.head(4).iter_rows(named=True), strict=False):
            col.metric(
                line_label(row["service_line"]),
                common.money(row["variance"]),
                "recurrent" if row["recurrent"] else "one-off",
                delta_color="off",
            )


def summary_sentence(latest: Forecast, previous: Forecast | None) -> str:
    """One plain-English sentence on where the year will end and how it moved."""
    now = position(latest.lines)
    text = (
        f"At {period_label(latest.year, latest.period)} the department is forecast to end "
        f"{latest.year} {common.money(abs(now.net_overspend))} "
        f"{'over' if now.net_overspend >= 0 else 'under'} budget: gross overspends of "
        f"{common.money(now.gross_overspend)} offset by {common.money(-now.offsets)} of "
        "underspends and income."
    )
    if previous:
        change = now.net_overspend - position(previous.lines).net_overspend
        word = "up" if change > 0 else "down"
        text += f" That is {word} {common.money(abs(change))} since the previous period."
    return text


def non_recurrent_note(summary: Position) -> str:
    """How much of the position rests on one-off money."""
    return (
        f"Recurrent items add up to {common.money(summary.recurrent, signed=True)}; one-off items "
        f"to {common.money(summary.non_recurrent, signed=True)}. One-off offsets such as NHS "
        "discharge income will not be there next year."
    )


def trajectory_figure(history: list[Forecast]) -> go.Figure:
    """Net overspend forecast at each period, with the gross overspends behind it."""
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
    return common.style_figure(
        fig,
        title=f"Forecast overspend {history[0].year}, as forecast at the end of each period",
        y_title="£ million",
        source=SOURCE,
    )


def _waterfall_figure(steps: pl.DataFrame, title: str) -> go.Figure:
    """A horizontal waterfall in £ million, zoomed on the steps (the axis need not start at
    zero); totals carry their value as text."""
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
            increasing={"marker": {"color": common.PALETTE[3]}},
            decreasing={"marker": {"color": common.PALETTE[2]}},
            totals={"marker": {"color": common.PALETTE[0]}},
        )
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    fig = common.style_figure(
        fig,
        title=title,
        y_title="",
        source=SOURCE,
        height=max(420, 140 + 34 * len(millions)),
    )
    fig.update_yaxes(autorange="reversed", rangemode="normal")
    fig.update_xaxes(range=[low - pad, high + pad])
    return fig


def budget_waterfall_figure(latest: Forecast) -> go.Figure:
    """From the net budget, through each line's variance, to the forecast outturn."""
    return _waterfall_figure(
        waterfall(latest.lines),
        f"From budget to forecast outturn, {period_label(latest.year, latest.period)}: "
        "£ million, net of income",
    )


def bridge_frame(previous: Forecast, latest: Forecast) -> pl.DataFrame:
    """Waterfall steps from last period's net overspend, by cause, to this period's."""
    summary = bridge_summary(bridge(previous, latest)).filter(pl.col("amount").abs() >= 1)
    start = position(previous.lines).net_overspend
    end = position(latest.lines).net_overspend
    return pl.concat(
        [
            pl.DataFrame(
                {
                    "label": [f"Net overspend at P{previous.period}"],
                    "amount": [start],
                    "measure": ["absolute"],
                }
            ),
            summary.select(
                pl.col("component")
                .replace_strict(COMPONENT_LABELS, return_dtype=pl.String)
                .alias("label"),
                "amount",
                pl.lit("relative").alias("measure"),
            ),
            pl.DataFrame(
                {
                    "label": [f"Net overspend at P{latest.period}"],
                    "amount": [end],
                    "measure": ["total"],
                }
            ),
        ]
    )


def bridge_figure(previous: Forecast, latest: Forecast) -> go.Figure:
    """Why the net overspend moved since the previous period."""
    return _waterfall_figure(
        bridge_frame(previous, latest),
        f"What changed between P{previous.period} and P{latest.period}: £ million",
    )


def lines_table(latest: Forecast) -> pl.DataFrame:
    """The forecast by service line with plain-English headings (unrounded pounds)."""
    return latest.lines.select(
        line_label_expr().alias("Service line"),
        pl.col("budget").alias("Budget"),
        pl.col("actual_to_date").alias("Actual to date"),
        pl.col("committed").alias("Committed care"),
        pl.col("new_demand").alias("New demand"),
        pl.col("run_rate").alias("Run on"),
        pl.col("outturn").alias("Forecast outturn"),
        pl.col("variance").alias("Variance"),
        pl.when(pl.col("recurrent"))
        .then(pl.lit("Recurrent"))
        .otherwise(pl.lit("One-off"))
        .alias("Recurrent or one-off"),
        pl.col("full_year_effect").alias("Full-year effect"),
    )


def drivers_table(latest: Forecast) -> pl.DataFrame:
    """People x hours x unit cost of each care line, against what the budget pays for."""
    table = drivers(latest)
    return table.select(
        line_label_expr().alias("Service line"),
        pl.col("people_now").alias("People now"),
        pl.col("average_people").alias("Average people this year"),
        pl.col("budget_people").alias("People the budget pays for"),
        pl.col("hours_per_person").alias("Hours per person a week"),
        pl.col("unit_cost").alias("Unit cost (£ an hour, or a week)"),
        pl.col("cost_per_person_week").alias("Cost per person a week"),
        pl.col("care_cost").alias("Care cost this year"),
    )


MONEY_FORMAT = st.column_config.NumberColumn(format="£%,.0f")


def show_money_table(frame: pl.DataFrame) -> None:
    """A table with money columns shown as whole pounds (the data stay unrounded)."""
    config = {c: MONEY_FORMAT for c in frame.columns if c in MONEY_COLUMNS}
    st.dataframe(frame, hide_index=True, column_config=config, width="stretch")


def show_drivers_table(frame: pl.DataFrame) -> None:
    """The drivers table with people, hours and pounds formatted for reading."""
    people = st.column_config.NumberColumn(format="%,.0f")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        placeholder="n/a",
        column_config={
            "People now": people,
            "Average people this year": people,
            "People the budget pays for": people,
            "Hours per person a week": st.column_config.NumberColumn(format="%.1f"),
            "Unit cost (£ an hour, or a week)": st.column_config.NumberColumn(format="£%,.2f"),
            "Cost per person a week": st.column_config.NumberColumn(format="£%,.0f"),
            "Care cost this year": MONEY_FORMAT,
        },
    )


POUNDS = "£#,##0;[Red]-£#,##0"
WORKBOOK_FORMATS = {
    "People now": "#,##0",
    "Average people this year": "#,##0",
    "People the budget pays for": "#,##0",
    "Hours per person a week": "0.0",
    "Unit cost (£ an hour, or a week)": "£#,##0.00",
    "Cost per person a week": "£#,##0",
}


def trajectory_sheet(history: list[Forecast]) -> pl.DataFrame:
    """The trajectory with plain-English headings, for the workbook."""
    table = trajectory_table(history)
    return table.select(
        pl.col("period")
        .replace_strict(
            {p: period_label(history[0].year, p) for p in range(1, 13)}, return_dtype=pl.String
        )
        .alias("Forecast at the end of"),
        pl.col("budget").alias("Net budget"),
        pl.col("outturn").alias("Forecast outturn"),
        pl.col("gross_overspend").alias("Gross overspends"),
        pl.col("offsets").alias("Offsets"),
        pl.col("net_overspend").alias("Net overspend"),
        pl.col("change").alias("Change since previous period"),
    )


def director_workbook(history: list[Forecast]) -> bytes:
    """One XLSX with the forecast by line, the trajectory, the bridge and the drivers.

    Numbers stay unrounded; the cells carry £, people and hours number formats.
    """
    latest = history[-1]
    sheets = {
        "Forecast by line": lines_table(latest),
        "Trajectory": trajectory_sheet(history),
        "Drivers": drivers_table(latest),
    }
    if len(history) > 1:
        sheets["Bridge"] = bridge_frame(history[-2], latest).select(
            pl.col("label").alias("Step"), pl.col("amount").alias("Amount")
        )
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        for name, frame in sheets.items():
            formats = {
                c: {"num_format": WORKBOOK_FORMATS.get(c, POUNDS)}
                for c, dtype in frame.schema.items()
                if dtype.is_numeric()
            }
            exports.neutralise_formulas(frame).write_excel(
                book, worksheet=name, autofit=True, column_formats=formats
            )
    return buffer.getvalue()
