"""The budget forecast as tables people read: by service line, the drivers of the care lines,
the bridge between two periods and the trajectory, and the Director's workbook holding them."""

from __future__ import annotations

import io

import polars as pl
import xlsxwriter

from ascdemand import exports
from ascdemand.models.budget.bridge import bridge, bridge_summary
from ascdemand.models.budget.drivers import drivers
from ascdemand.models.budget.labels import COMPONENT_LABELS, line_label_expr, period_label
from ascdemand.models.budget.outturn import Forecast, position
from ascdemand.models.budget.trajectory import trajectory_table

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
POUNDS = "£#,##0;[Red]-£#,##0"
WORKBOOK_FORMATS = {
    "People in care at the period end": "#,##0",
    "Average people this year": "#,##0",
    "People the budget pays for": "#,##0",
    "Hours per person a week, year to date": "0.0",
    "Unit cost (£ an hour, or a week)": "£#,##0.00",
    "Cost per person a week": "£#,##0",
}


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
    return drivers(latest).select(
        line_label_expr().alias("Service line"),
        pl.col("people_now").alias("People in care at the period end"),
        pl.col("average_people").alias("Average people this year"),
        pl.col("budget_people").alias("People the budget pays for"),
        pl.col("hours_per_person").alias("Hours per person a week, year to date"),
        pl.col("unit_cost").alias("Unit cost (£ an hour, or a week)"),
        pl.col("cost_per_person_week").alias("Cost per person a week"),
        pl.col("care_cost").alias("Care cost this year"),
    )


def bridge_frame(previous: Forecast, latest: Forecast) -> pl.DataFrame:
    """Waterfall steps from last period's net overspend, by cause, to this period's.

    Returns:
        `label`, `amount` (£), `measure` (absolute, relative, total), in order.
    """
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
