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


def complete_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Financial years with a budget and all twelve periods of the ledger, oldest first: the
    years whose final outturn is known."""
    rows = con.execute(
        "SELECT financial_year FROM ledger GROUP BY financial_year "
        "HAVING count(DISTINCT period) = 12 "
        "AND financial_year IN (SELECT financial_year FROM budget_lines) ORDER BY 1"
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


def _evidence(
    con: duckdb.DuckDBPyConnection, year: str, first: int, last: int
) -> dict[int, pl.DataFrame]:
    """The care evidence of periods `first`..`last` of `year`, by period, in one query."""
    if last > max(last_period(con, year), 1):
        raise ValueError(f"No care evidence for {year} period {last}: no actuals that far.")
    frame = _frame(
        con,
        "SELECT * EXCLUDE (financial_year) FROM budget_care_evidence "
        "WHERE financial_year = ? AND period BETWEEN ? AND ? "
        "ORDER BY period, segment, settling_left NULLS FIRST",
        [year, first, last],
    )
    parts = frame.partition_by("period", as_dict=True, include_key=False)
    empty = frame.clear().drop("period")
    return {period: parts.get((period,), empty) for period in range(first, last + 1)}


def budget_inputs(con: duckdb.DuckDBPyConnection, year: str, period: int) -> dict:
    """Ledger, budget and care evidence (see `store.budget_evidence`) of `year` as known at
    the end of `period`, keyed as `BudgetInputs`.

    Raises:
        ValueError: If `year` has no actuals up to `period` (no evidence is held for it).
    """
    return inputs_by_period(con, year, period, first=period)[0]


def inputs_by_period(
    con: duckdb.DuckDBPyConnection, year: str, through: int, *, first: int = 1
) -> list[dict]:
    """`budget_inputs` of each period `first`..`through` of `year`, in three queries: the
    ledger and budget are the year's, and the evidence of every period comes at once."""
    year_ledger, year_budget = ledger(con, year), budget(con, year)
    evidence = _evidence(con, year, first, through)
    return [
        {"ledger": year_ledger, "budget": year_budget, "care": evidence[period]}
        for period in range(first, through + 1)
    ]
