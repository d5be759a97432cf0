"""The money side of the briefing: forecast net overspend, its change, and the main drivers.

Money needs no disclosure control (BRIEF.md). The forecast is a straight-line projection of
each service line's net spend to date (net to date / periods closed x 12), the simple rule a
finance officer checks by hand; the Budget page holds the fuller forecast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from ascdemand.models.budget.periods import last_complete_period, period_of
from ascdemand.store import briefing as store

METHOD = (
    "Forecast outturn is each service line's net spend to date, projected in a straight line "
    "to the end of the year (spend to date divided by the months closed, times 12)."
)

LINE_LABELS = {
    "homecare": "Homecare",
    "residential_nursing": "Residential and nursing care",
    "supported_living": "Supported living",
    "reablement": "Reablement",
    "direct_payments": "Direct payments",
    "day_care": "Day care",
    "staffing": "Staffing",
    "other": "Other costs",
    "nhs_discharge_income": "NHS hospital discharge income",
    "nhs_one_off_transfer": "NHS one-off transfer",
    "grants": "Grants",
    "client_contributions": "Client contributions",
}


@dataclass(frozen=True, slots=True)
class MoneyPosition:
    """The forecast position of the department at one financial period (money in £)."""

    financial_year: str
    period: int
    net_overspend: float
    previous_net_overspend: float | None
    by_line: pl.DataFrame
    """service_line, label, budget, forecast_outturn, variance (positive = overspend)."""
    trajectory: pl.DataFrame
    """period, net_overspend: the forecast as it stood at each period closed so far."""

    @property
    def change(self) -> float | None:
        """Change in the forecast net overspend since the previous period."""
        if self.previous_net_overspend is None:
            return None
        return self.net_overspend - self.previous_net_overspend


def project_outturn(lines: pl.DataFrame, period: int) -> pl.DataFrame:
    """Straight-line forecast outturn of each line from its net spend to date.

    Args:
        lines: service_line, budget, net_to_date (income lines negative).
        period: Periods closed (1-12) that `net_to_date` covers.

    Returns:
        service_line, label, budget, forecast_outturn, variance (outturn minus budget).
    """
    if not 1 <= period <= 12:
        raise ValueError(f"Period must be 1 to 12, not {period}.")
    return lines.select(
        "service_line",
        pl.col("service_line")
        .replace_strict(LINE_LABELS, default=pl.col("service_line"))
        .alias("label"),
        "budget",
        (pl.col("net_to_date") * 12.0 / period).alias("forecast_outturn"),
    ).with_columns((pl.col("forecast_outturn") - pl.col("budget")).alias("variance"))


def money_position(cur: duckdb.DuckDBPyConnection, as_at: dt.date) -> MoneyPosition | None:
    """The forecast at the last period closed by `as_at` (None when no period has closed)."""
    year, _ = period_of(as_at)
    period = min(last_complete_period(year, as_at), store.latest_ledger_period(cur, year))
    if period < 1:
        return None
    history = []
    for p in range(1, period + 1):
        lines = project_outturn(store.ledger_by_line(cur, year, p), p)
        history.append((p, float(lines["variance"].sum()), lines))
    trajectory = pl.DataFrame(
        {"period": [p for p, _, _ in history], "net_overspend": [v for _, v, _ in history]}
    )
    return MoneyPosition(
        financial_year=year,
        period=period,
        net_overspend=history[-1][1],
        previous_net_overspend=history[-2][1] if period > 1 else None,
        by_line=history[-1][2].sort("variance", descending=True),
        trajectory=trajectory,
    )
