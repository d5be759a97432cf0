"""Hand-built ledgers, budgets and care frames for the budget model tests."""

from __future__ import annotations

from datetime import date

import polars as pl

from ascdemand.models.budget.periods import period_end
from ascdemand.store import budget_inputs
from ascdemand.store.connection import memory
from ascdemand.store.meta import set_as_at_date


def ledger(rows: list[tuple[int, str, float, float]], year: str = "2021/22") -> pl.DataFrame:
    """Ledger rows (period, service_line, actual_spend, income) of one year."""
    return pl.DataFrame(
        [(year, *r) for r in rows],
        schema=["financial_year", "period", "service_line", "actual_spend", "income"],
        orient="row",
    )


def budget(lines: dict[str, float], year: str = "2021/22") -> pl.DataFrame:
    """Budget rows of one year from {service_line: budget}."""
    return pl.DataFrame(
        {
            "financial_year": [year] * len(lines),
            "service_line": list(lines),
            "budget": [float(v) for v in lines.values()],
        }
    )


def care(rows: list[tuple], period: int, year: str = "2021/22") -> pl.DataFrame:
    """The care evidence at the end of `period`, summed by the store from package rows
    (segment, start, end, weekly_cost, hours); a `*_placement` segment is a placement. The
    extract is as at the period end, so an end after it is a planned end."""
    con = memory()
    try:
        for n, (segment, start, end, cost, hours) in enumerate(rows):
            if segment.endswith("_placement"):
                con.execute(
                    "INSERT INTO placements VALUES (?, ?, ?, 'residential', 'Blaby', "
                    "'older_adults', ?, ?, ?, ?, 0, NULL, NULL, NULL)",
                    [f"c{n}", f"p{n}", segment.removesuffix("_placement"), start, end, cost, cost],
                )
            else:
                con.execute(
                    "INSERT INTO care_packages VALUES (?, ?, ?, 'Blaby', 'older_adults', ?, ?, "
                    "?, ?, NULL, 'community', NULL)",
                    [f"c{n}", f"p{n}", segment, start, end, hours, cost],
                )
        con.execute("INSERT INTO ledger VALUES (?, ?, 'other', 0, 0, NULL)", [year, period])
        set_as_at_date(con, period_end(year, period))
        return budget_inputs.budget_inputs(con, year, period)["care"]
    finally:
        con.close()


START = date(2021, 4, 1)


def care_segments(rows: list[tuple[str, str, float, float, float, float]]) -> pl.DataFrame:
    """`Forecast.care` rows from (segment, service_line, people_now, weeks, hour_weeks, cost),
    with the year's totals put in the to-date columns and nothing committed or new."""
    frame = pl.DataFrame(
        rows,
        schema=["segment", "service_line", "people_now", "weeks", "hour_weeks", "cost"],
        orient="row",
    )
    zero = pl.lit(0.0)
    return frame.select(
        "segment",
        "service_line",
        "people_now",
        pl.col("weeks").alias("weeks_to_date"),
        pl.col("hour_weeks").alias("hour_weeks_to_date"),
        pl.col("cost").alias("cost_to_date"),
        *(
            zero.alias(f"{m}_{part}")
            for m in ("weeks", "hour_weeks", "cost")
            for part in ("committed", "new")
        ),
    )


def lines(rows: list[tuple[str, float, float]]) -> pl.DataFrame:
    """`Forecast.lines` rows from (service_line, budget, outturn)."""
    frame = pl.DataFrame(rows, schema=["service_line", "budget", "outturn"], orient="row")
    return frame.with_columns(
        (pl.col("outturn") - pl.col("budget")).alias("variance"),
        pl.lit(True).alias("recurrent"),
        pl.lit(0.0).alias("full_year_effect"),
    )
