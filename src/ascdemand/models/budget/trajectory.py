"""The forecast re-run as at each period of the year, each time with only what was known then.

This is the report's "over £15m at period 3, £13.5m at period 4, £9.8m at period 5" chart. One
implementation serves the Budget page, the Overview, the briefing and the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.models.budget.outturn import BudgetInputs, Forecast, forecast_outturn, position
from ascdemand.store import budget_inputs


def forecasts_by_period(
    inputs: Iterable[BudgetInputs], mtfs: MtfsAssumptions | None = None
) -> list[Forecast]:
    """One forecast per period's inputs, in period order."""
    return [forecast_outturn(i, mtfs) for i in sorted(inputs, key=lambda i: i.period)]


def forecasts_through(cur: duckdb.DuckDBPyConnection, year: str, through: int) -> list[Forecast]:
    """The forecast as at the end of each period 1..`through` of `year`, each made with only
    what was known then, read from the store."""
    frames = budget_inputs.inputs_by_period(cur, year, through)
    return forecasts_by_period(BudgetInputs(year, p, **f) for p, f in enumerate(frames, 1))


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
