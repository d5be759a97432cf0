"""How far the outturn forecast has been from the final outturn, period by period, over the
complete years in the data; and the year-end range that record gives today's forecast.

The range is empirical: the forecast's own past errors at the same point of the year (the
period itself and its neighbours, so each year gives up to three), not a model's assumption.
With few complete years the range is wide and honest about it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.budget.outturn import Forecast, position

NEIGHBOURS = 1
"""Periods either side whose errors also count towards a period's range."""
_SCHEMA = {
    "year": pl.String,
    "period": pl.Int64,
    "forecast": pl.Float64,
    "outturn": pl.Float64,
    "error": pl.Float64,
}


@dataclass(frozen=True, slots=True)
class OutturnRange:
    """An interval for the year-end net position (£, + = overspend) and what it rests on."""

    low: float
    high: float
    level: float
    errors: int
    """How many past forecasts' errors it was drawn from."""
    years: tuple[str, ...]


def track_record(forecasts: Mapping[str, Sequence[Forecast]]) -> pl.DataFrame:
    """The forecast net position at each period of each complete year against that year's
    final outturn (the forecast at period 12, which is the ledger's actuals).

    Args:
        forecasts: For each complete year, its forecasts as at periods 1 to 12 in order.

    Returns:
        One row per year and period 1-11: `year`, `period`, `forecast`, `outturn` (the net
        position, £), `error` (forecast - outturn: + means the forecast was too high).
    """
    rows = []
    for year, by_period in forecasts.items():
        if len(by_period) != 12:
            raise ValueError(f"{year}: a complete year needs 12 periods, got {len(by_period)}")
        outturn = position(by_period[-1].lines).net_overspend
        for forecast in by_period[:-1]:
            net = position(forecast.lines).net_overspend
            rows.append(
                {
                    "year": year,
                    "period": forecast.period,
                    "forecast": net,
                    "outturn": outturn,
                    "error": net - outturn,
                }
            )
    return pl.DataFrame(rows, schema=_SCHEMA)


def outturn_range(
    forecast: float, period: int, record: pl.DataFrame, *, level: float = 0.8
) -> OutturnRange | None:
    """The `level` range of the year-end net position around `forecast` made at `period`:
    the forecast plus or minus the `level` quantile of the record's absolute errors at that
    point of the year. Symmetric on purpose: a handful of past years cannot tell a lasting
    bias from bad luck.

    Worked example: errors +2, -1, +4 and 0 (£m) near period 4 and a forecast of £13m: the
    absolute errors 0, 1, 2, 4 have an 80% quantile of 2 + 0.4 × (4 - 2) = 2.8 (linear
    interpolation), so the range is £10.2m to £15.8m.

    Returns None when the record holds fewer than 3 errors near `period`, or at period 12
    (the outturn is known).
    """
    if period >= 12:
        return None
    near = record.filter((pl.col("period") - period).abs() <= NEIGHBOURS)
    if near.height < 3:
        return None
    spread = float(np.quantile(np.abs(near["error"].to_numpy()), level))
    return OutturnRange(
        low=forecast - spread,
        high=forecast + spread,
        level=level,
        errors=near.height,
        years=tuple(sorted(near["year"].unique().to_list())),
    )


def range_coverage(record: pl.DataFrame, *, level: float = 0.8) -> float | None:
    """Out of sample, how often the range held the final outturn: each complete year's
    forecasts judged against ranges built from the other years' errors only."""
    hits = []
    for year in record["year"].unique().to_list():
        others = record.filter(pl.col("year") != year)
        for row in record.filter(pl.col("year") == year).iter_rows(named=True):
            found = outturn_range(row["forecast"], row["period"], others, level=level)
            if found is not None:
                hits.append(found.low <= row["outturn"] <= found.high)
    return float(np.mean(hits)) if hits else None


def record_by_period(record: pl.DataFrame) -> pl.DataFrame:
    """The track record summarised for the Director: per period, the typical size of the
    error (median absolute) and the largest, over the complete years."""
    return (
        record.group_by("period")
        .agg(
            pl.col("error").abs().median().alias("typical_error"),
            pl.col("error").abs().max().alias("largest_error"),
            pl.col("year").n_unique().alias("years"),
        )
        .sort("period")
    )
