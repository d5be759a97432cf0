"""The SQL behind the council's own hospital-discharge views: outcomes, and monthly pathways.

Each function takes a cursor, the as-at date and the districts (empty means the county) and
returns a polars frame; filters are bound parameters. Discharges carry no client group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from ascdemand.store.sql import DISTRICTS_PREDICATE

_WHERE = f"discharge_date <= $as_at AND {DISTRICTS_PREDICATE}"


def _params(as_at: dt.date, districts: Sequence[str]) -> dict[str, object]:
    return {"as_at": as_at, "districts": list(districts)}


def weekly_by_outcome(
    cur: duckdb.DuckDBPyConnection, as_at: dt.date, districts: Sequence[str] = ()
) -> pl.DataFrame:
    """Discharges per week (Monday start) by what followed: no ongoing package, reablement,
    homecare, temporary or permanent residential care, other."""
    return cur.sql(
        f"""
        SELECT CAST(date_trunc('week', discharge_date) AS DATE) AS week_start, outcome,
               count(*) AS discharges
        FROM discharges WHERE {_WHERE}
        GROUP BY 1, 2 ORDER BY week_start, outcome
        """,  # noqa: S608 (constant predicate; values are bound parameters)
        params=_params(as_at, districts),
    ).pl()


def monthly_no_package_share(
    cur: duckdb.DuckDBPyConnection, as_at: dt.date, districts: Sequence[str] = ()
) -> pl.DataFrame:
    """Discharges per calendar month and the share that needed no ongoing package.

    Only whole months up to the as-at date are returned, so a part month cannot dip the line.
    """
    return cur.sql(
        f"""
        SELECT CAST(date_trunc('month', discharge_date) AS DATE) AS month,
               count(*) AS discharges,
               count(*) FILTER (WHERE outcome = 'no_ongoing_package') AS no_ongoing_package,
               count(*) FILTER (WHERE outcome = 'no_ongoing_package') / count(*) AS share
        FROM discharges WHERE {_WHERE}
        GROUP BY 1 HAVING last_day(month) <= $as_at ORDER BY month
        """,  # noqa: S608 (constant predicate; values are bound parameters)
        params=_params(as_at, districts),
    ).pl()


def monthly_by_pathway(
    cur: duckdb.DuckDBPyConnection, as_at: dt.date, districts: Sequence[str] = ()
) -> pl.DataFrame:
    """Discharges per whole calendar month by pathway, with the weekly equivalent
    (discharges / (days in month / 7)), laid out like the NHS sitrep series."""
    return cur.sql(
        f"""
        WITH counts AS (
          SELECT CAST(date_trunc('month', discharge_date) AS DATE) AS month, pathway,
                 count(*) AS patients
          FROM discharges WHERE {_WHERE}
          GROUP BY 1, 2
        )
        SELECT month, pathway, patients, CAST(day(last_day(month)) AS INTEGER) AS days,
               patients / (day(last_day(month)) / 7.0) AS weekly_patients
        FROM counts WHERE last_day(month) <= $as_at ORDER BY month, pathway
        """,  # noqa: S608 (constant predicate; values are bound parameters)
        params=_params(as_at, districts),
    ).pl()
