"""Weekly demand series for forecasting: one measure, the county or one district, to a date.

Stocks (people, hours) are Monday snapshots and every week up to the as-at date counts. Flows
(admissions, discharges) count events in a week, so a week the as-at date cuts short is left
out: a half-counted week would read as a collapse in demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from ascdemand.store.meta import as_at_date

__all__ = ["MEASURES", "Measure", "districts", "weekly_series"]


@dataclass(frozen=True, slots=True)
class Measure:
    """A forecastable weekly measure: its label, unit, and the SQL that reads it."""

    label: str
    unit: str
    flow: bool
    sql: str


def _sql(view: str, column: str) -> str:
    return (
        f"SELECT week_start, CAST(sum({column}) AS DOUBLE) AS value FROM {view} "  # noqa: S608 (constant names)
        "WHERE week_start <= $last_week AND ($district IS NULL OR district = $district) "
        "GROUP BY week_start ORDER BY week_start"
    )


MEASURES: dict[str, Measure] = {
    "homecare_hours": Measure(
        "Homecare hours commissioned per week", "hours", False, _sql("homecare_weekly", "hours")
    ),
    "homecare_people": Measure(
        "People receiving homecare", "people", False, _sql("homecare_weekly", "people")
    ),
    "temp_residential_people": Measure(
        "People in temporary residential care",
        "people",
        False,
        _sql("temp_residential_weekly", "people"),
    ),
    "temp_residential_admissions": Measure(
        "Temporary residential admissions per week",
        "admissions",
        True,
        _sql("temp_residential_weekly", "admissions"),
    ),
    "discharges_to_social_care": Measure(
        "Hospital discharges to social care per week",
        "discharges",
        True,
        _sql("discharges_weekly", "to_social_care"),
    ),
}


def weekly_series(
    con: duckdb.DuckDBPyConnection,
    measure: str,
    *,
    district: str | None = None,
    as_at: dt.date | None = None,
) -> pl.DataFrame:
    """One weekly measure for the county (`district` None) or one district, oldest first.

    Args:
        con: An open connection (read-only is enough).
        measure: A key of `MEASURES`.
        district: A district name, or None for the county total.
        as_at: Last day of data to use; default the database's as-at date.

    Returns:
        `week_start` (Monday) and `value`; flows end at the last complete week.

    Raises:
        KeyError: Unknown measure.
    """
    spec = MEASURES[measure]
    as_at = as_at or as_at_date(con.cursor())  # own cursor: the look-up leaves a result open
    last_week = as_at - dt.timedelta(days=6) if spec.flow else as_at
    return con.sql(spec.sql, params={"last_week": last_week, "district": district}).pl()


def districts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """District names present in the extracts, alphabetically."""
    return [row[0] for row in con.execute("SELECT district FROM districts ORDER BY 1").fetchall()]
