"""What the budget forecast reads: the ledger, the budget, and the care known at a period end.

The care query is what a forecaster could have known on the day: packages and placements that
had started by then, with an end only if it had happened by then. An end after the day counts
as a planned end only on the extract's own as-at date; at earlier days it was still unknown.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl

from ascdemand.store.meta import as_at_date

EVIDENCE_DAYS = 365
"""Care that ended this long before the day still informs exit rates."""

_CARE_SQL = """
WITH items AS (
  SELECT service_type AS segment,
         CASE service_type WHEN 'direct_payment' THEN 'direct_payments' ELSE service_type END
           AS service_line,
         start_date, end_date, weekly_cost, hours_per_week
  FROM care_packages
  UNION ALL
  SELECT placement_type || '_placement', 'residential_nursing', start_date, end_date,
         weekly_cost, CAST(NULL AS DOUBLE)
  FROM placements
)
SELECT segment, service_line, start_date,
       CASE WHEN end_date <= $day THEN end_date END AS end_date,
       CASE WHEN end_date > $day AND $day >= $extract_day THEN end_date END AS planned_end,
       weekly_cost, hours_per_week
FROM items
WHERE start_date <= $day AND (end_date IS NULL OR end_date >= $since)
ORDER BY segment, start_date
"""


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


def care_known_at(con: duckdb.DuckDBPyConnection, day: date, *, since: date) -> pl.DataFrame:
    """Packages and placements as known on `day` that were in care on or after `since`.

    Returns:
        segment, service_line, start_date, end_date (null unless ended by `day`),
        planned_end, weekly_cost, hours_per_week.
    """
    params = {
        "day": day,
        "since": min(since, day - timedelta(days=EVIDENCE_DAYS)),
        "extract_day": as_at_date(con),
    }
    return _frame(con, _CARE_SQL, params)


def budget_inputs(con: duckdb.DuckDBPyConnection, year: str, period_end: date) -> dict:
    """Ledger, budget and care of `year` as known at `period_end`, keyed as `BudgetInputs`."""
    first = date(int(year[:4]), 4, 1)
    return {
        "ledger": ledger(con, year),
        "budget": budget(con, year),
        "care": care_known_at(con, period_end, since=first),
    }
