"""Care cost of a financial year from the care evidence: to date, committed, and new demand.

People already in care stay until their planned end if one is recorded; otherwise they leave at
the segment's observed exit rates (open-ended packages do end). Stays are short or long, so
the rate is observed separately for the first six weeks of a stay and after: at a daily rate
`q`, `x` days ahead hold `(1 - exp(-q x)) / q` expected days in care. New people start at the
rate of the last 13 weeks, cost what recent starters cost, and leave at the same rates; one
start a day over the `D` days left gives `D / q - (1 - exp(-q D)) / q**2` care days at one rate.
The evidence comes summed per segment from the store, so the cost of a forecast does not grow
with the number of people.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import polars.selectors as cs

from ascdemand.store.budget_evidence import SETTLING_DAYS, STARTS_WINDOW_DAYS

_COUNTS = (
    "early_endings",
    "late_endings",
    "recent_starts",
    "recent_costed",
    "people_now",
    "planned_staying",
)
_SUMS = (
    "early_days",
    "late_days",
    "recent_weekly_cost",
    "recent_hours",
    "days_to_date",
    "hour_days_to_date",
    "cost_days_to_date",
    "weekly_cost_now",
    "hours_now",
    "planned_days",
    "planned_hour_days",
    "planned_cost_days",
    "planned_staying_cost",
)
EVIDENCE_COLUMNS = (
    {"segment": pl.String, "service_line": pl.String, "settling_left": pl.Int64}
    | dict.fromkeys(_COUNTS, pl.Int64)
    | dict.fromkeys(_SUMS, pl.Float64)
)
"""The care evidence the forecast reads (`store.budget_evidence`), summed over the packages
and placements known at the as-at day: every column after `settling_left` is additive.

Per segment: `early_endings`/`late_endings` and `early_days`/`late_days` (endings and days in
care over the last year, in and after the first `SETTLING_DAYS` of a stay); the recent
starters' count, costed count, weekly cost and hours; `days_to_date` and its hour and cost
weighted forms (this year to the as-at day); the people in care at the as-at day with their
weekly cost and hours; and for those with a planned end, days in care still to come this year
(plain, hour and cost weighted) and how many stay past year end, with their weekly cost.
`settling_left` is null except on rows of people in care with no planned end, which it splits
by the days left of their settling period (0 once settled).
"""


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


def segment_rates(care: pl.DataFrame) -> pl.DataFrame:
    """Observed exit rates, start rate and recent unit cost of each care segment.

    Exit rates are endings per day in care over the last year, separately for the first
    `SETTLING_DAYS` of a stay and after; a band with no days in care takes the pooled rate.

    Args:
        care: The care evidence (see `EVIDENCE_COLUMNS`) at the as-at day.

    Returns:
        One row per segment: `service_line`, `early_exit_rate`, `late_exit_rate` (a day),
        `starts_per_day`, `new_weekly_cost`, `new_hours` (means of the recent starters; 0 when
        none).
    """
    totals = care.group_by("segment").agg(
        pl.col("service_line").first(), cs.numeric().exclude("settling_left").sum()
    )
    endings = pl.col("early_endings") + pl.col("late_endings")
    exposure = pl.col("early_days") + pl.col("late_days")
    pooled = pl.when(exposure > 0).then(endings / exposure).otherwise(0.0)

    def rate(endings: str, days: str) -> pl.Expr:
        return pl.when(pl.col(days) > 0).then(pl.col(endings) / pl.col(days)).otherwise(pooled)

    def mean(total: str, count: str) -> pl.Expr:
        return pl.when(pl.col(count) > 0).then(pl.col(total) / pl.col(count)).otherwise(0.0)

    return totals.select(
        "segment",
        "service_line",
        rate("early_endings", "early_days").alias("early_exit_rate"),
        rate("late_endings", "late_days").alias("late_exit_rate"),
        (pl.col("recent_starts") / STARTS_WINDOW_DAYS).alias("starts_per_day"),
        mean("recent_weekly_cost", "recent_costed").alias("new_weekly_cost"),
        mean("recent_hours", "recent_starts").alias("new_hours"),
    ).sort("segment")


def care_year(care: pl.DataFrame, *, as_at: date, year_end: date) -> pl.DataFrame:
    """Person-weeks, hour-weeks and cost of each care segment over one financial year.

    Args:
        care: The care evidence (see `EVIDENCE_COLUMNS`) at `as_at`.
        as_at: The forecast day (a period end); days after it are forecast.
        year_end: 31 March of the year.

    Returns:
        One row per segment with `service_line`, `people_now` (in care after `as_at`), the
        three measures `weeks`, `hour_weeks`, `cost` for each of `to_date`, `committed` and
        `new` (e.g. `cost_committed`), and `year_end_people`, `year_end_weekly_cost` (the
        expected caseload and its weekly cost on 31 March, the full-year effect).
    """
    rates = segment_rates(care)
    left = float(max((year_end - as_at).days, 0))
    early, late = pl.col("early_exit_rate"), pl.col("late_exit_rate")
    first = pl.col("settling_left").cast(pl.Float64).clip(0.0, left)
    settled = (-early * first).exp()
    expected = _expected_days(early, first) + settled * _expected_days(late, left - first)
    survive = settled * (-late * (left - first)).exp()
    open_ended = (
        care.filter(pl.col("settling_left").is_not_null())
        .join(rates.select("segment", "early_exit_rate", "late_exit_rate"), on="segment")
        .group_by("segment")
        .agg(
            (pl.col("people_now") * expected).sum().alias("_open_days"),
            (pl.col("hours_now") * expected).sum().alias("_open_hour_days"),
            (pl.col("weekly_cost_now") * expected).sum().alias("_open_cost_days"),
            (pl.col("people_now") * survive).sum().alias("_open_staying"),
            (pl.col("weekly_cost_now") * survive).sum().alias("_open_staying_cost"),
        )
    )
    held = (
        care.group_by("segment")
        .agg(cs.numeric().exclude("settling_left").sum())
        .join(open_ended, on="segment", how="left")
        .fill_null(0.0)
        .select(
            "segment",
            pl.col("people_now").cast(pl.Float64),
            (pl.col("days_to_date") / 7).alias("weeks_to_date"),
            (pl.col("hour_days_to_date") / 7).alias("hour_weeks_to_date"),
            (pl.col("cost_days_to_date") / 7).alias("cost_to_date"),
            ((pl.col("planned_days") + pl.col("_open_days")) / 7).alias("weeks_committed"),
            ((pl.col("planned_hour_days") + pl.col("_open_hour_days")) / 7).alias(
                "hour_weeks_committed"
            ),
            ((pl.col("planned_cost_days") + pl.col("_open_cost_days")) / 7).alias("cost_committed"),
            (pl.col("planned_staying") + pl.col("_open_staying")).alias("_stay_people"),
            (pl.col("planned_staying_cost") + pl.col("_open_staying_cost")).alias("_stay_cost"),
        )
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
