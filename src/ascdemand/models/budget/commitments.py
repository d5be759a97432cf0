"""Care cost of a financial year from person-level records: to date, committed, and new demand.

People already in care stay until their planned end if one is recorded, otherwise they leave at
the segment's observed exit rate (open-ended packages do end): with a constant daily exit rate
`q` over the `D` days left in the year, a package costing `c` a week is expected to cost
`c / 7 * (1 - exp(-q D)) / q`. New people start at the rate of the last 13 weeks, cost what
recent starters cost, and leave at the same rate, so starts spread over the `D` days cost
`r * c / 7 * (D / q - (1 - exp(-q D)) / q**2)` in expectation.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

EXIT_WINDOW_DAYS = 365
"""Length-of-stay evidence: endings and days in care over the last year."""
STARTS_WINDOW_DAYS = 91
"""Recent demand: the start rate and unit cost of the last 13 weeks."""

CARE_COLUMNS = {
    "segment": pl.String,
    "service_line": pl.String,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "planned_end": pl.Date,
    "weekly_cost": pl.Float64,
    "hours_per_week": pl.Float64,
}
"""The care frame the forecast reads: one row per package or placement known at the as-at day.

`end_date` is the end if it happened on or before the as-at day, else null; `planned_end` a
recorded future end; `hours_per_week` null where care is not bought in hours.
"""


def _overlap_days(start: pl.Expr, end: pl.Expr, first: date, last: date) -> pl.Expr:
    """Days of [start, end] (inclusive) that fall within [first, last]."""
    days = pl.min_horizontal(end, pl.lit(last)) - pl.max_horizontal(start, pl.lit(first))
    return (days.dt.total_days() + 1).clip(lower_bound=0).cast(pl.Float64)


def _expected_days(rate: pl.Expr, days: float) -> pl.Expr:
    """Expected days still in care out of `days`, leaving at a constant daily `rate`."""
    return pl.when(rate > 0).then((1 - (-rate * days).exp()) / rate).otherwise(days)


def _new_starter_days(rate: pl.Expr, days: float) -> pl.Expr:
    """Expected care days, within `days`, of one start a day spread evenly over them."""
    return (
        pl.when(rate > 0)
        .then(days / rate - (1 - (-rate * days).exp()) / rate**2)
        .otherwise(days * days / 2)
    )


def segment_rates(care: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Observed exit rate, start rate and recent unit cost of each care segment at `as_at`.

    Args:
        care: The care frame (see `CARE_COLUMNS`), as known at `as_at`.
        as_at: The last day of evidence.

    Returns:
        One row per segment: `service_line`, `exit_rate` (a day), `starts_per_day`,
        `new_weekly_cost`, `new_hours` (mean of the recent starters; 0 when none).
    """
    window_from = as_at - timedelta(days=EXIT_WINDOW_DAYS - 1)
    starts_from = as_at - timedelta(days=STARTS_WINDOW_DAYS - 1)
    end = pl.col("end_date").fill_null(as_at)
    recent = pl.col("start_date") >= starts_from
    return (
        care.group_by("segment")
        .agg(
            pl.col("service_line").first(),
            pl.col("end_date").is_between(window_from, as_at).sum().alias("_endings"),
            _overlap_days(pl.col("start_date"), end, window_from, as_at).sum().alias("_exposure"),
            (recent.sum() / STARTS_WINDOW_DAYS).alias("starts_per_day"),
            pl.col("weekly_cost").filter(recent).mean().fill_null(0.0).alias("new_weekly_cost"),
            pl.col("hours_per_week")
            .filter(recent)
            .fill_null(0.0)
            .mean()
            .fill_null(0.0)
            .alias("new_hours"),
        )
        .with_columns(
            pl.when(pl.col("_exposure") > 0)
            .then(pl.col("_endings") / pl.col("_exposure"))
            .otherwise(0.0)
            .alias("exit_rate")
        )
        .drop("_endings", "_exposure")
        .sort("segment")
    )


def care_year(care: pl.DataFrame, *, as_at: date, year_start: date, year_end: date) -> pl.DataFrame:
    """Person-weeks, hour-weeks and cost of each care segment over one financial year.

    Args:
        care: The care frame (see `CARE_COLUMNS`), as known at `as_at`.
        as_at: The forecast day (a period end); days after it are forecast.
        year_start: 1 April of the year.
        year_end: 31 March of the year.

    Returns:
        One row per segment with `service_line`, `people_now` (in care after `as_at`), the
        three measures `weeks`, `hour_weeks`, `cost` for each of `to_date`, `committed` and
        `new` (e.g. `cost_committed`), and `year_end_people`, `year_end_weekly_cost` (the
        expected caseload and its weekly cost on 31 March, the full-year effect).
    """
    rates = segment_rates(care, as_at)
    left = float(max((year_end - as_at).days, 0))
    hours = pl.col("hours_per_week").fill_null(0.0)
    cost = pl.col("weekly_cost")
    rate = pl.col("exit_rate")
    done = _overlap_days(
        pl.col("start_date"), pl.col("end_date").fill_null(as_at), year_start, as_at
    )
    active = pl.col("end_date").is_null() & (pl.col("start_date") <= as_at)
    planned = pl.col("planned_end").is_not_null()
    planned_days = _overlap_days(
        pl.lit(as_at + timedelta(days=1)), pl.col("planned_end"), year_start, year_end
    )
    ahead = pl.when(planned).then(planned_days).otherwise(_expected_days(rate, left))
    survive = (
        pl.when(planned)
        .then((pl.col("planned_end") >= year_end).cast(pl.Float64))
        .otherwise((-rate * left).exp())
    )
    items = care.join(rates.select("segment", "exit_rate"), on="segment").with_columns(
        (done / 7).alias("w_done"),
        pl.when(active).then(ahead / 7).otherwise(0.0).alias("w_ahead"),
        pl.when(active).then(survive).otherwise(0.0).alias("survive"),
    )
    held = items.group_by("segment").agg(
        active.sum().cast(pl.Float64).alias("people_now"),
        pl.col("w_done").sum().alias("weeks_to_date"),
        (pl.col("w_done") * hours).sum().alias("hour_weeks_to_date"),
        (pl.col("w_done") * cost).sum().alias("cost_to_date"),
        pl.col("w_ahead").sum().alias("weeks_committed"),
        (pl.col("w_ahead") * hours).sum().alias("hour_weeks_committed"),
        (pl.col("w_ahead") * cost).sum().alias("cost_committed"),
        pl.col("survive").sum().alias("_stay_people"),
        (pl.col("survive") * cost).sum().alias("_stay_cost"),
    )
    new_weeks = pl.col("starts_per_day") * _new_starter_days(rate, left) / 7
    still_new = pl.col("starts_per_day") * _expected_days(rate, left)
    return (
        rates.join(held, on="segment", how="left")
        .fill_null(0.0)
        .with_columns(
            new_weeks.alias("weeks_new"),
            (new_weeks * pl.col("new_hours")).alias("hour_weeks_new"),
            (new_weeks * pl.col("new_weekly_cost")).alias("cost_new"),
            (pl.col("_stay_people") + still_new).alias("year_end_people"),
            (pl.col("_stay_cost") + still_new * pl.col("new_weekly_cost")).alias(
                "year_end_weekly_cost"
            ),
        )
        .drop("_stay_people", "_stay_cost")
        .sort("segment")
    )
