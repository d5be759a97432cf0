"""People x hours (or weeks) x unit cost of each care line, against what the budget pays for.

The budget does not record its own volumes, so it is read back through today's costs: the
average caseload the line's budget pays for at the forecast cost per person-week. More people
than that is the volume pressure, in people.
"""

from __future__ import annotations

import polars as pl

from ascdemand.models.budget.outturn import Forecast

WEEKS_IN_YEAR = 365 / 7
MIN_CARE_SHARE = 0.5
"""Lines whose care records cover less than this share of the budget (e.g. "other", mostly
non-care costs) are left out: the budget cannot be read back as people."""


def drivers(forecast: Forecast) -> pl.DataFrame:
    """The drivers of each care line's forecast for the year.

    Args:
        forecast: A forecast with person-level care segments.

    Returns:
        One row per care line whose person-level cost is at least half its budget:
        service_line, people_now, average_people (over the year), hours_per_person (a week;
        null where care is bought by the week), unit_cost (per hour, or per week where there
        are no hours), cost_per_person_week, care_cost (person-level cost of the year),
        budget, budget_people (average caseload the budget pays for at
        `cost_per_person_week`), people_over_budget.
    """
    care = forecast.care.group_by("service_line").agg(
        pl.col("people_now").sum(),
        pl.sum_horizontal("weeks_to_date", "weeks_committed", "weeks_new").sum().alias("weeks"),
        pl.sum_horizontal("hour_weeks_to_date", "hour_weeks_committed", "hour_weeks_new")
        .sum()
        .alias("hour_weeks"),
        pl.sum_horizontal("cost_to_date", "cost_committed", "cost_new").sum().alias("care_cost"),
    )
    hourly = pl.col("hour_weeks") > 0
    per_week = pl.col("care_cost") / pl.col("weeks")
    table = (
        care.filter(pl.col("weeks") > 0)
        .join(forecast.lines.select("service_line", "budget"), on="service_line", how="left")
        .filter(pl.col("care_cost") >= MIN_CARE_SHARE * pl.col("budget").fill_null(0.0).abs())
    )
    return (
        table.with_columns(
            (pl.col("weeks") / WEEKS_IN_YEAR).alias("average_people"),
            pl.when(hourly).then(pl.col("hour_weeks") / pl.col("weeks")).alias("hours_per_person"),
            pl.when(hourly)
            .then(pl.col("care_cost") / pl.col("hour_weeks"))
            .otherwise(per_week)
            .alias("unit_cost"),
            per_week.alias("cost_per_person_week"),
            (pl.col("budget").fill_null(0.0) / (WEEKS_IN_YEAR * per_week)).alias("budget_people"),
        )
        .with_columns(
            (pl.col("average_people") - pl.col("budget_people")).alias("people_over_budget")
        )
        .select(
            "service_line",
            "people_now",
            "average_people",
            "hours_per_person",
            "unit_cost",
            "cost_per_person_week",
            "care_cost",
            "budget",
            "budget_people",
            "people_over_budget",
        )
        .sort("care_cost", descending=True)
    )
