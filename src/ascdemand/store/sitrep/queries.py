"""The SQL behind the NHS sitrep view: organisations, and monthly and weekly totals by pathway.

Weekly equivalents spread a month's total evenly over its weeks: patients / (days in month / 7),
so a 31-day month is 4.43 weeks. A pathway whose every cell was `-` stays NULL, not 0.
"""

from __future__ import annotations

import duckdb
import polars as pl

DEFAULT_ICB = "QK1"  # NHS Leicester, Leicestershire and Rutland Integrated Care Board
DEFAULT_TRUST = "RWE"  # University Hospitals of Leicester NHS Trust


def has_sitrep(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when at least one month of the discharge sitrep has been imported (False, too, for
    a database written before the sitrep tables existed)."""
    (tables,) = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sitrep_months'"
    ).fetchall()[0]
    if not tables:
        return False
    (months,) = cur.execute("SELECT count(*) FROM sitrep_months").fetchall()[0]
    return bool(months)


def organisations(cur: duckdb.DuckDBPyConnection, org_type: str) -> pl.DataFrame:
    """Organisations of one type (`england`, `region`, `icb`, `trust`) with their latest name
    and region, by name."""
    return cur.sql(
        """
        SELECT org_code, arg_max(org_name, month) AS org_name, arg_max(region, month) AS region
        FROM sitrep_discharges WHERE org_type = ?
        GROUP BY org_code ORDER BY org_name
        """,
        params=[org_type],
    ).pl()


def monthly_by_pathway(
    cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str
) -> pl.DataFrame:
    """Patients discharged each month by pathway for one organisation, with weekly equivalents.

    Returns:
        One row per month and pathway: `month`, `pathway`, `patients` (NULL when every
        destination of the pathway was suppressed), `days`, `weekly_patients`.
    """
    return cur.sql(
        """
        SELECT month, pathway,
               CAST(sum(patients) AS BIGINT) AS patients,
               CAST(day(last_day(month)) AS INTEGER) AS days,
               sum(patients) / (day(last_day(month)) / 7.0) AS weekly_patients
        FROM sitrep_discharges
        WHERE org_type = ? AND org_code = ?
        GROUP BY month, pathway ORDER BY month, pathway
        """,
        params=[org_type, org_code],
    ).pl()


def imported_months(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each imported month with its source file, publication date and when it was imported."""
    return cur.sql(
        "SELECT month, file_name, published, imported_at FROM sitrep_months ORDER BY month"
    ).pl()
