"""Demo finance: care costs by period are exact, deterministic and equal the naive cross join."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ascdemand.demo.build import generate
from ascdemand.demo.finance import _care_items, _overlap_cost, _periods

PERIODS = _periods(2021, date(2021, 6, 30))  # 2021/22 P1 April, P2 May, P3 June
PERIODS_ALL = _periods(2018, date(2021, 10, 31))


def _items(rows: list[tuple[str, float, date | None, date]]) -> pl.DataFrame:
    """Costed intervals from (service_line, weekly_cost, start_date, end_date)."""
    return pl.DataFrame(
        rows,
        schema={
            "service_line": pl.String,
            "weekly_cost": pl.Float64,
            "start_date": pl.Date,
            "end_date": pl.Date,
        },
        orient="row",
    )


def _as_rows(frame: pl.DataFrame) -> list[tuple]:
    return sorted(
        frame.select("financial_year", "start_year", "period", "service_line", "amount").rows()
    )


def _cross_join_reference(items: pl.DataFrame, start: str, end: str) -> pl.DataFrame:
    """The straightforward way: every item against every period, days > 0 summed in floats."""
    days = (
        (
            pl.min_horizontal(pl.col(end), pl.col("last_day"))
            - pl.max_horizontal(pl.col(start), pl.col("first_day"))
        )
        .dt.total_days()
        .add(1)
    )
    return (
        items.filter(pl.col(start).is_not_null() & (pl.col(start) <= pl.col(end)))
        .join(PERIODS_ALL, how="cross")
        .with_columns(days.alias("days"))
        .filter(pl.col("days") > 0)
        .group_by("financial_year", "start_year", "period", "service_line")
        .agg((pl.col("weekly_cost") / 7 * pl.col("days")).sum().alias("amount"))
    )


def test_days_in_each_period_by_line():
    """Homecare £70 a week 25 Apr - 10 May: April 6 days = 70 / 7 x 6 = £60, May 10 days = £100;
    a £0 package active in April still makes an April row (adding £0); reablement £140 a week
    31 May - 2 Jun: May 1 day = £20, June 2 days = £40. An item with no start or ending before
    it starts costs nothing and makes no row."""
    items = _items(
        [
            ("homecare", 70.0, date(2021, 4, 25), date(2021, 5, 10)),
            ("homecare", 0.0, date(2021, 4, 1), date(2021, 4, 1)),
            ("reablement", 140.0, date(2021, 5, 31), date(2021, 6, 2)),
            ("day_care", 700.0, None, date(2021, 6, 2)),
            ("day_care", 700.0, date(2021, 6, 2), date(2021, 6, 1)),
        ]
    )
    assert _as_rows(_overlap_cost(items, PERIODS, "start_date", "end_date")) == [
        ("2021/22", 2021, 1, "homecare", 60.0),
        ("2021/22", 2021, 2, "homecare", 100.0),
        ("2021/22", 2021, 2, "reablement", 20.0),
        ("2021/22", 2021, 3, "reablement", 40.0),
    ]


def test_sums_are_exact_not_float_accumulations():
    """Seven people at £1 a week for one day in April cost exactly £1 (adding the float 1/7
    seven times gives 0.9999999999999998); ten £7-a-week days charged at 30% are exactly £3
    (adding the float 0.3 ten times gives 2.9999999999999996)."""
    assert sum([1 / 7] * 7) != 1.0 and sum([0.3] * 10) != 3.0
    seven = _items([("homecare", 1.0, date(2021, 4, 9), date(2021, 4, 9))] * 7)
    assert _as_rows(_overlap_cost(seven, PERIODS, "start_date", "end_date")) == [
        ("2021/22", 2021, 1, "homecare", 1.0)
    ]
    ten = _items([("homecare", 7.0, date(2021, 6, 30), date(2021, 7, 5))] * 10)
    charged = _overlap_cost(ten, PERIODS, "start_date", "end_date", {"homecare": 0.3})
    assert _as_rows(charged) == [("2021/22", 2021, 3, "homecare", 3.0)]


def test_the_demo_county_matches_the_cross_join_and_is_repeatable():
    """On the scale-1 county (packages and placements, every period since April 2018) the
    per-period pass gives the same rows as crossing every item with every period, to float
    rounding, and exactly the same amounts on a second run."""
    frames = generate(scale=1, seed=2021)
    items = _care_items(frames.care_packages, frames.placements)
    fast = _overlap_cost(items, PERIODS_ALL, "start_date", "end_date")
    crossed = _as_rows(_cross_join_reference(items, "start_date", "end_date"))
    reference = {(y, p, line): amount for _, y, p, line, amount in crossed}
    rows = _as_rows(fast)
    assert len(rows) == len(reference) > 200
    for _, y, p, line, amount in rows:
        assert amount == pytest.approx(reference[(y, p, line)], rel=1e-12)
    assert fast.sort("start_year", "period", "service_line").equals(
        _overlap_cost(items, PERIODS_ALL, "start_date", "end_date").sort(
            "start_year", "period", "service_line"
        )
    )
