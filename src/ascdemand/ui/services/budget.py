"""Cached reads for the Budget page and the Overview: the financial years loaded, the last
period with actuals, and the forecast made at each period."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.briefing.money import outturn_track_record
from ascdemand.models.budget.labels import period_label, short_period_label
from ascdemand.models.budget.outturn import Forecast
from ascdemand.models.budget.periods import last_complete_period, period_end, period_of
from ascdemand.models.budget.track_record import OutturnRange
from ascdemand.models.budget.track_record import outturn_range as range_from_record
from ascdemand.models.budget.trajectory import forecasts_through
from ascdemand.store import budget_inputs
from ascdemand.ui.services.cache import cached, cursor

__all__ = [
    "budget_period",
    "default_choice",
    "forecasts",
    "last_period",
    "net_budget",
    "outturn_range",
    "track_record",
    "period_label",
    "short_period_label",
    "years",
]


@cached
def years() -> list[str]:
    """Financial years with a budget or ledger, latest first."""
    with cursor() as cur:
        return budget_inputs.financial_years(cur)


@cached
def last_period(year: str) -> int:
    """The last period of `year` with actuals."""
    with cursor() as cur:
        return budget_inputs.last_period(cur, year)


@cached(show_spinner="Forecasting the outturn period by period ...")
def forecasts(year: str, through: int) -> list[Forecast]:
    """The forecast as at each period 1..`through`, each with only what was known then."""
    with cursor() as cur:
        return forecasts_through(cur, year, through)


@cached(show_spinner="Checking the forecast's track record ...")
def track_record(before: str) -> pl.DataFrame:
    """The forecast re-run at every period of every complete year before `before`, against
    each year's final outturn (`models.budget.track_record`)."""
    with cursor() as cur:
        return outturn_track_record(cur, before=before)


def outturn_range(year: str, period: int, net_overspend: float) -> OutturnRange | None:
    """The 80% range of the year-end net position from the forecast's own past errors."""
    return range_from_record(net_overspend, period, track_record(year))


@cached
def net_budget(year: str) -> float | None:
    """The net budget of `year` in the loaded budget lines (income negative), None without."""
    with cursor() as cur:
        lines = budget_inputs.budget(cur, year)
    return None if lines.is_empty() else float(lines["budget"].sum())


def default_choice(as_at: dt.date, available: list[str]) -> tuple[str, int]:
    """The year and last closed period at the sidebar's as-at date, within what is loaded."""
    year, _ = period_of(as_at)
    if year not in available:
        year = available[0]
        return year, last_period(year)
    closed = last_complete_period(year, as_at)
    return year, max(1, min(closed, last_period(year)))


def budget_period(as_at: dt.date) -> tuple[str, int] | None:
    """The financial year and the last period with actuals closed by `as_at`, if any."""
    year, period = period_of(as_at)
    if as_at < period_end(year, period):
        period -= 1
    if year not in years() or period < 1:
        return None
    period = min(period, last_period(year))
    return (year, period) if period >= 1 else None
