"""Data-quality checks on the stored extracts: what an analyst should look at before trusting
the figures. Each check returns a count and a few pseudonymised examples, never names."""

from __future__ import annotations

import duckdb
import polars as pl

CHECKS: dict[str, tuple[str, str]] = {
    "overlapping_homecare": (
        "People with overlapping homecare packages",
        """
        SELECT a.person_id, a.package_id AS first_package, b.package_id AS second_package,
               a.start_date AS first_start, b.start_date AS second_start
        FROM care_packages a JOIN care_packages b
          ON a.person_id = b.person_id AND a.package_id < b.package_id
         AND a.service_type = 'homecare' AND b.service_type = 'homecare'
         AND a.start_date <= coalesce(b.end_date, DATE '9999-12-31')
         AND b.start_date <= coalesce(a.end_date, DATE '9999-12-31')
        ORDER BY a.person_id LIMIT 200
        """,
    ),
    "placements_without_cost": (
        "Placements with no weekly cost",
        """
        SELECT placement_id, person_id, placement_type, start_date, weekly_cost
        FROM placements WHERE weekly_cost = 0 ORDER BY start_date LIMIT 200
        """,
    ),
    "homecare_without_hours": (
        "Open homecare packages with no hours recorded",
        """
        SELECT package_id, person_id, start_date, hours_per_week
        FROM care_packages
        WHERE service_type = 'homecare' AND end_date IS NULL
          AND coalesce(hours_per_week, 0) = 0
        ORDER BY start_date LIMIT 200
        """,
    ),
    "cost_below_standard": (
        "Placements costing less than the standard rate",
        """
        SELECT placement_id, person_id, start_date, weekly_cost, standard_rate
        FROM placements WHERE weekly_cost < standard_rate ORDER BY start_date LIMIT 200
        """,
    ),
}


def run_check(cur: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """The rows (at most 200) that fail one named check."""
    _, sql = CHECKS[name]
    return cur.sql(sql).pl()


def weekly_new_packages(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """New homecare packages starting each week, for spotting sudden jumps in new clients."""
    return cur.sql(
        """
        WITH starts AS (
          SELECT CAST(date_trunc('week', start_date) AS DATE) AS week_start, count(*) AS n
          FROM care_packages WHERE service_type = 'homecare' GROUP BY 1
        )
        SELECT w.week_start, coalesce(s.n, 0) AS new_packages
        FROM calendar_weeks w LEFT JOIN starts s USING (week_start)
        ORDER BY w.week_start
        """
    ).pl()


def load_log(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every accepted load, newest first."""
    return cur.sql(
        """
        SELECT loaded_at, table_name, file_name, rows, inserted, updated, unchanged, status,
               message, loaded_by, left(file_sha256, 12) AS file_fingerprint
        FROM load_log ORDER BY loaded_at DESC
        """
    ).pl()


def table_counts(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows held in each extract table."""
    return cur.sql(
        """
        SELECT 'care_packages' AS table_name, count(*) AS rows FROM care_packages
        UNION ALL SELECT 'discharges', count(*) FROM discharges
        UNION ALL SELECT 'placements', count(*) FROM placements
        UNION ALL SELECT 'budget_lines', count(*) FROM budget_lines
        UNION ALL SELECT 'ledger', count(*) FROM ledger
        """
    ).pl()
