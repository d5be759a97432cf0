"""Care cost of a financial year from person-level records: to date, committed, and new demand.

People already in care stay until their planned end if one is recorded; otherwise they leave at
the segment's observed exit rates (open-ended packages do end). Stays are short or long, so
the rate is observed separately for the first six weeks of a stay and after: at a daily rate
`q`, `x` days ahead hold `(1 - exp(-q x)) / q` expected days in care. New people start at the
rate of the last 13 weeks, cost what recent starters cost, and leave at the same rates; one
start a day over the `D` days left gives `D / q - (1 - exp(-q D)) / q**2` care days at one rate.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import polars as pl
import polars.selectors as cs

EXIT_WINDOW_DAYS = 365
"""Length-of-stay evidence: endings and days in care over the last year."""
STARTS_WINDOW_DAYS = 91
"""Recent demand: the start rate and unit cost of the last 13 weeks."""
SETTLING_DAYS = 42
"""The early part of a stay, whose exit rate is observed apart: post-discharge packages and
short placements mostly end within six weeks."""

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


def _expected_days(rate: pl.Expr, days: pl.Expr | float) -> pl.Expr:
    """Expected days still in care out of `days`, leaving at a constant daily `rate`."""
    days = days if isinstance(days, pl.Expr) else pl.lit(float(days))
    return pl.when(rate > 0).then((1 - (-rate * days).exp()) / rate).otherwise(days)


def _stay(rate: float, days: float) -> float:
    """Expected days in care out of `days` at a constant daily exit `rate`."""
    return (1 - math.exp(-rate * days)) / rate if rate > 0 else days


def _stay_integral(rate: float, days: float) -> float:
    """Integral of `_stay(rate, h)` for h from 0 to `days`: starts spread evenly over `days`."""
    if rate <= 0:
        return days * days / 2
    return days / rate - (1 - math.exp(-rate * days)) / rate**2


def new_starter_days(early: float, late: float, days: float) -> tuple[float, float]:
    """Expected care days within `days`, and people still in care at the end, of one start a
    day spread evenly over `days`; exits at `early` in the first `SETTLING_DAYS`, then `late`.
    """
    first = min(SETTLING_DAYS, days)
    rest = max(days - SETTLING_DAYS, 0.0)
    settled = math.exp(-early * SETTLING_DAYS)
    care_days = _stay_integral(early, first) + rest * _stay(early, SETTLING_DAYS)
    care_days += settled * _stay_integral(late, rest)
    still_in = _stay(early, first) + settled * _stay(late, rest)
    return care_days, still_in


def segment_rates(care: pl.DataFrame, as_at: date) -> pl.DataFrame:
    """Observed exit rates, start rate and recent unit cost of each care segment at `as_at`.

    Exit rates are endings per day in care over the last year, separately for the first
    `SETTLING_DAYS` of a stay and after; a band with no days in care takes the pooled rate.

    Args:
        care: The care frame (see `CARE_COLUMNS`), as known at `as_at`.
        as_at: The last day of evidence.

    Returns:
        One row per segment: `service_line`, `early_exit_rate`, `late_exit_rate` (a day),
        `starts_per_day`, `new_weekly_cost`, `new_hours` (means of the recent starters; 0 when
        none).
    """
    window_from = as_at - timedelta(days=EXIT_WINDOW_DAYS - 1)
    starts_from = as_at - timedelta(days=STARTS_WINDOW_DAYS - 1)
    start = pl.col("start_date")
    end = pl.col("end_date").fill_null(as_at)
    settled_from = start + timedelta(days=SETTLING_DAYS)
    ended = pl.col("end_date").is_between(window_from, as_at)
    early_end = pl.min_horizontal(end, settled_from - timedelta(days=1))
    recent = start >= starts_from
    rates = (
        care.group_by("segment")
        .agg(
            pl.col("service_line").first(),
            (ended & (pl.col("end_date") < settled_from)).sum().alias("_early_endings"),
            (ended & (pl.col("end_date") >= settled_from)).sum().alias("_late_endings"),
            _overlap_days(start, early_end, window_from, as_at).sum().alias("_early_days"),
            _overlap_days(settled_from, end, window_from, as_at).sum().alias("_late_days"),
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
            pl.when(pl.col("_early_days") + pl.col("_late_days") > 0)
            .then(
                (pl.col("_early_endings") + pl.col("_late_endings"))
                / (pl.col("_early_days") + pl.col("_late_days"))
            )
            .otherwise(0.0)
            .alias("_pooled")
        )
    )
    band = {
        "early": ("_early_endings", "_early_days"),
        "late": ("_late_endings", "_late_days"),
    }
    return (
        rates.with_columns(
            pl.when(pl.col(days) > 0)
            .then(pl.col(endings) / pl.col(days))
            .otherwise(pl.col("_pooled"))
            .alias(f"{name}_exit_rate")
            for name, (endings, days) in band.items()
        )
        .drop(cs.starts_with("_"))
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
    early, late = pl.col("early_exit_rate"), pl.col("late_exit_rate")
    done = _overlap_days(
        pl.col("start_date"), pl.col("end_date").fill_null(as_at), year_start, as_at
    )
    active = pl.col("end_date").is_null() & (pl.col("start_date") <= as_at)
    tenure = (pl.lit(as_at) - pl.col("start_date")).dt.total_days() + 1
    first = (SETTLING_DAYS - tenure).clip(0, left).cast(pl.Float64)
    settled = (-early * first).exp()
    expected = _expected_days(early, first) + settled * _expected_days(late, left - first)
    survive = settled * (-late * (left - first)).exp()
    planned = pl.col("planned_end").is_not_null()
    planned_days = _overlap_days(
        pl.lit(as_at + timedelta(days=1)), pl.col("planned_end"), year_start, year_end
    )
    ahead = pl.when(planned).then(planned_days).otherwise(expected)
    stays = (
        pl.when(planned)
        .then((pl.col("planned_end") >= year_end).cast(pl.Float64))
        .otherwise(survive)
    )
    items = care.join(
        rates.select("segment", "early_exit_rate", "late_exit_rate"), on="segment"
    ).with_columns(
        (done / 7).alias("w_done"),
        pl.when(active).then(ahead / 7).otherwise(0.0).alias("w_ahead"),
        pl.when(active).then(stays).otherwise(0.0).alias("survive"),
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
    starters = [
        new_starter_days(r["early_exit_rate"], r["late_exit_rate"], left)
        for r in rates.iter_rows(named=True)
    ]
    rates = rates.with_columns(
        pl.Series("_starter_days", [d for d, _ in starters], dtype=pl.Float64),
        pl.Series("_starter_stay", [n for _, n in starters], dtype=pl.Float64),
    )
    new_weeks = pl.col("starts_per_day") * pl.col("_starter_days") / 7
    still_new = pl.col("starts_per_day") * pl.col("_starter_stay")
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
        .drop(cs.starts_with("_"))
        .sort("segment")
    )
