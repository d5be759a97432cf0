"""Headline figures of the demand pages, worked out from the weekly and monthly frames the store
returns: latest values and their change, the overview's tiles, stays, admissions and the
homecare market."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ascdemand.models.spc import Spc, weekly_spc


def change_over(frame: pl.DataFrame, column: str, weeks: int = 4) -> tuple[float, float]:
    """The latest value of `column` and its change over the last `weeks` weeks (0 when the
    history is shorter); null values are skipped."""
    values = frame[column].drop_nulls()
    latest = float(values[-1])
    earlier = float(values[-1 - weeks]) if values.len() > weeks else latest
    return latest, latest - earlier


@dataclass(frozen=True, slots=True)
class Tile:
    """One demand measure as the overview shows it: the latest value, its change, a sparkline,
    and what the Making Data Count chart of the weekly series says about the latest week."""

    label: str
    value: float
    change: float
    spark: list[float]
    spc: Spc | None
    """None when the baseline holds fewer than two weeks."""
    unit: str
    decimals: int = 0


def tile(
    label: str,
    weekly: pl.DataFrame,
    column: str,
    *,
    unit: str,
    baseline_from: dt.date,
    target: float | None = None,
    shown: pl.Series | None = None,
    decimals: int = 0,
    weeks: int = 4,
) -> Tile | None:
    """The latest value of a weekly series (`week_start`, `column`), its change over `weeks`
    weeks, the last 26 weeks as a sparkline, and its XmR chart with limits from the weeks
    since `baseline_from` (a rise is bad news for every demand measure: it costs money).

    `shown` replaces the series for the value, change and sparkline (the discharges' 4-week
    average), while the chart judges the weekly values themselves. None when the series is
    empty (nothing of this kind loaded).
    """
    data = weekly.select("week_start", column).drop_nulls().sort("week_start")
    values = shown.drop_nulls() if shown is not None else data[column]
    if values.is_empty():
        return None
    latest = float(values[-1])
    earlier = float(values[-1 - weeks]) if values.len() > weeks else latest
    chart = weekly_spc(
        data, column, direction="up_is_bad", baseline_from=baseline_from, target=target
    )
    return Tile(
        label=label,
        value=latest,
        change=latest - earlier,
        spark=values.tail(26).round(decimals).to_list(),
        spc=chart,
        unit=unit,
        decimals=decimals,
    )


def to_social_care_smoothed(discharges: pl.DataFrame, weeks: int = 4) -> pl.Series:
    """Discharges needing social care per week (all pathways), as a `weeks`-week rolling mean,
    from a weekly-by-pathway frame (`week_start`, `to_social_care`)."""
    totals = (
        discharges.group_by("week_start").agg(pl.col("to_social_care").sum()).sort("week_start")
    )
    return totals["to_social_care"].rolling_mean(weeks, min_samples=1)


def admissions_by_type(admissions: pl.DataFrame) -> pl.DataFrame:
    """Care-home admissions per month with one column per placement type (`temporary`,
    `permanent`, when present), from rows of `month`, `placement_type`, `admissions`."""
    if admissions.is_empty():
        return pl.DataFrame(schema={"month": admissions.schema.get("month", pl.Date)})
    return admissions.pivot(on="placement_type", index="month", values="admissions").fill_null(0)


def length_of_stay_counts(stays: pl.DataFrame, cap: int = 26) -> pl.DataFrame:
    """Stays by length in whole weeks, the longest counted at `cap` ("26 or more").

    Returns:
        `weeks`, `stays`, one row per length present, shortest first.
    """
    return (
        stays.with_columns(pl.col("weeks").clip(0, cap).alias("weeks"))
        .group_by("weeks")
        .agg(pl.len().alias("stays"))
        .sort("weeks")
    )


@dataclass(frozen=True, slots=True)
class StaySummary:
    """Temporary stays that ended: the median length, the share of 12 weeks or more, and the
    share that became a permanent placement."""

    median_weeks: float
    share_12_weeks_or_more: float
    converted_share: float


def stay_summary(stays: pl.DataFrame) -> StaySummary | None:
    """Summary of a non-empty frame of stays (`weeks`, `converted`), else None."""
    if stays.is_empty():
        return None
    return StaySummary(
        median_weeks=float(stays["weeks"].median()),
        share_12_weeks_or_more=float((stays["weeks"] >= 12).mean()),
        converted_share=float(stays["converted"].mean()),
    )


@dataclass(frozen=True, slots=True)
class ProviderMarket:
    """How concentrated the homecare market is: providers, the largest five's share of hours,
    and the Herfindahl-Hirschman index (0 to 10,000; below 1,500 is unconcentrated)."""

    providers: int
    top_five_share: float
    hhi: float


def provider_market(providers: pl.DataFrame) -> ProviderMarket:
    """The market of a frame of providers, largest first, with `share_of_hours` (0 to 1)."""
    shares = providers["share_of_hours"]
    return ProviderMarket(
        providers=providers.height,
        top_five_share=float(shares.head(5).sum()),
        hhi=float((shares**2).sum()) * 10_000,
    )
