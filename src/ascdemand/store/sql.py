"""Small SQL helpers every store module shares, so each exists once."""

from __future__ import annotations

import datetime as dt

import duckdb

DISTRICTS_PREDICATE = (
    "(len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], district))"
)
"""True for rows in the bound `$districts` list, or for every row when the list is empty."""


def utc_now() -> dt.datetime:
    """The time now in UTC, naive, as DuckDB TIMESTAMP columns store it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def has_table(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the open database has table `name` (a database written by an older version may
    lack a later one until its first write)."""
    rows = cur.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE database_name = current_database() AND table_name = ?",
        [name],
    ).fetchall()
    return bool(rows[0][0])
