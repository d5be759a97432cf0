"""The money side of the briefing: forecast net overspend, its change, and the main drivers.

Money needs no disclosure control (BRIEF.md). The forecast is the budget model's
(`ascdemand.models.budget`): re-run as at each period closed so far for the trajectory, and
bridged between the last two periods to say why it moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import polars as pl

from ascdemand.models.budget.bridge import bridge, bridge_summary
from ascdemand.models.budget.labels import COMPONENT_LABELS, line_label_expr
from ascdemand.models.budget.outturn import Forecast, Position, position
from ascdemand.models.budget.periods import last_complete_period, period_of
from ascdemand.models.budget.track_record import OutturnRange, outturn_range, track_record
from ascdemand.models.budget.trajectory import forecasts_through, trajectory_table
from ascdemand.store import budget_inputs


@dataclass(frozen=True, slots=True)
class MoneyPosition:
    """The forecast position of the department at one financial period (money in £)."""

    financial_year: str
    period: int
    headline: Position
    previous_net_overspend: float | None
    by_line: pl.DataFrame
    """service_line, label, budget, forecast_outturn, variance (+ = overspend), recurrent."""
    trajectory: pl.DataFrame
    """period, net_overspend: the forecast as it stood at each period closed so far."""
    change_reasons: pl.DataFrame
    """component, label, amount: why the net overspend moved since the previous period."""
    range80: OutturnRange | None = None
    """The 80% range of the net position from the forecast's own past errors (None without
    complete years to judge it by)."""

    @property
    def net_overspend(self) -> float:
        """Forecast outturn minus budget, after underspends and income."""
        return self.headline.net_overspend

    @property
    def change(self) -> float | None:
        """Change in the forecast net overspend since the previous period."""
        if self.previous_net_overspend is None:
            return None
        return self.net_overspend - self.previous_net_overspend


def outturn_track_record(cur: duckdb.DuckDBPyConnection, before: str | None = None) -> pl.DataFrame:
    """The forecast's track record over every complete year (before `before`, if given):
    re-run as at each period with only what was known then, against the final outturn."""
    years = [y for y in budget_inputs.complete_years(cur) if before is None or y < before]
    return track_record({year: forecasts_through(cur, year, 12) for year in years})


def briefing_period(cur: duckdb.DuckDBPyConnection, as_at: dt.date) -> tuple[str, int]:
    """The financial year of `as_at` and its last period closed with actuals (0 if none)."""
    year, _ = period_of(as_at)
    return year, min(last_complete_period(year, as_at), budget_inputs.last_period(cur, year))


ForecastsByPeriod = Callable[[str, int], list[Forecast]]


def money_position(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    *,
    forecasts_by_period: ForecastsByPeriod | None = None,
) -> MoneyPosition | None:
    """The forecast at the last period closed by `as_at` (None when no period has closed).

    `forecasts_by_period(year, through)` may supply the period-by-period forecasts (the app
    passes its cached ones, which the Overview and Budget pages share); by default they are
    computed here.
    """
    year, period = briefing_period(cur, as_at)
    if period < 1:
        return None
    if forecasts_by_period is None:
        forecasts = forecasts_through(cur, year, period)
    else:
        forecasts = forecasts_by_period(year, period)
    trajectory = trajectory_table(forecasts)
    latest = forecasts[-1]
    by_line = latest.lines.select(
        "service_line",
        line_label_expr().alias("label"),
        "budget",
        pl.col("outturn").alias("forecast_outturn"),
        "variance",
        "recurrent",
    ).sort("variance", descending=True)
    if period > 1:
        reasons = bridge_summary(bridge(forecasts[-2], latest)).with_columns(
            pl.col("component").replace_strict(COMPONENT_LABELS, default=None).alias("label")
        )
    else:
        reasons = pl.DataFrame(
            schema={"component": pl.String, "amount": pl.Float64, "label": pl.String}
        )
    return MoneyPosition(
        financial_year=year,
        period=period,
        headline=position(latest.lines),
        previous_net_overspend=float(trajectory["net_overspend"][-2]) if period > 1 else None,
        by_line=by_line,
        trajectory=trajectory.select("period", "net_overspend"),
        change_reasons=reasons.select("component", "label", "amount"),
        range80=outturn_range(
            position(latest.lines).net_overspend,
            period,
            outturn_track_record(cur, before=year),
        ),
    )
