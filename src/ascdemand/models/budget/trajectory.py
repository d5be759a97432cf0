"""The forecast re-run as at each period of the year, each time with only what was known then.

This is the report's "over £15m at period 3, £13.5m at period 4, £9.8m at period 5" chart.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.models.budget.outturn import BudgetInputs, Forecast, forecast_outturn, position


def forecasts_by_period(
    inputs: Iterable[BudgetInputs], mtfs: MtfsAssumptions | None = None
) -> list[Forecast]:
    """One forecast per period's inputs, in period order."""
    return [forecast_outturn(i, mtfs) for i in sorted(inputs, key=lambda i: i.period)]


def trajectory_table(forecasts: Iterable[Forecast]) -> pl.DataFrame:
    """The headline position at each period.

    Returns:
        period, budget, outturn, gross_overspend, offsets, net_overspend, and `change` (net
        overspend minus the previous period's; null for the first).
    """
    rows = []
    for forecast in forecasts:
        summary = position(forecast.lines)
        rows.append(
            {
                "period": forecast.period,
                "budget": summary.budget,
                "outturn": summary.outturn,
                "gross_overspend": summary.gross_overspend,
                "offsets": summary.offsets,
                "net_overspend": summary.net_overspend,
            }
        )
    schema = {"period": pl.Int64} | {
        k: pl.Float64 for k in ("budget", "outturn", "gross_overspend", "offsets", "net_overspend")
    }
    table = pl.DataFrame(rows, schema=schema).sort("period")
    return table.with_columns(pl.col("net_overspend").diff().alias("change"))
