"""What the budget forecast reads: the ledger, the budget, and the care evidence at a period end.

The care evidence (`store.budget_evidence`) is what a forecaster could have known on the day,
summed per care segment; it is materialised for every period when a writer commits.
"""

from __future__ import annotations

import duckdb
import polars as pl


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict) -> pl.DataFrame:
    """Run a parameterised query and return its result as a polars frame."""
    return con.sql(sql, params=params).pl()


def financial_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Financial years with a budget or ledger rows, latest first."""
    rows = con.execute(
        "SELECT DISTINCT financial_year FROM budget_lines "
        "UNION SELECT DISTINCT financial_year FROM ledger ORDER BY 1 DESC"
    ).fetchall()
    return [r[0] for r in rows]


def last_period(con: duckdb.DuckDBPyConnection, year: str) -> int:
    """The latest period of `year` with ledger rows (0 when none)."""
    rows = con.execute(
        "SELECT coalesce(max(period), 0) FROM ledger WHERE financial_year = ?", [year]
    ).fetchall()
    return int(rows[0][0])


def ledger(con: duckdb.DuckDBPyConnection, year: str) -> pl.DataFrame:
    """Every ledger row of `year`: financial_year, period, service_line, actual_spend, income."""
    return _frame(
        con,
        "SELECT financial_year, period, service_line, actual_spend, income FROM ledger "
        "WHERE financial_year = ? ORDER BY period, service_line",
        [year],
    )


def budget(con: duckdb.DuckDBPyConnection, year: str) -> pl.DataFrame:
    """The budget of `year`: financial_year, service_line, budget (income negative)."""
    return _frame(
        con,
        "SELECT financial_year, service_line, budget FROM budget_lines "
        "WHERE financial_year = ? ORDER BY service_line",
        [year],
    )


def care_evidence(con: duckdb.DuckDBPyConnection, year: str, period: int) -> pl.DataFrame:
    """The care evidence at the end of `period` of `year` (see `store.budget_evidence`).

    Raises:
        ValueError: If `year` has no budget or ledger up to `period` (nothing is held for it).
    """
    frame = _frame(
        con,
        "SELECT * EXCLUDE (financial_year, period) FROM budget_care_evidence "
        "WHERE financial_year = ? AND period = ? ORDER BY segment, settling_left NULLS FIRST",
        [year, period],
    )
    if frame.is_empty() and period > max(last_period(con, year), 1):
        raise ValueError(f"No care evidence for {year} period {period}: no actuals that far.")
    return frame


def budget_inputs(con: duckdb.DuckDBPyConnection, year: str, period: int) -> dict:
    """Ledger, budget and care evidence of `year` as known at the end of `period`, keyed as
    `BudgetInputs`."""
    return {
        "ledger": ledger(con, year),
        "budget": budget(con, year),
        "care": care_evidence(con, year, period),
    }
