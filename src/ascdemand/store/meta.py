"""The database's as-at date: the day the extracts describe, kept in `settings`."""

from __future__ import annotations

import datetime as dt

import duckdb

AS_AT_KEY = "as_at_date"


def as_at_date(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The stored as-at date, or today when none has been set."""
    rows = con.execute("SELECT value FROM settings WHERE key = ?", [AS_AT_KEY]).fetchall()
    return dt.date.fromisoformat(rows[0][0]) if rows else dt.date.today()


def set_as_at_date(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    """Store `day` as the as-at date (inside a writer transaction)."""
    con.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [AS_AT_KEY, day.isoformat()]
    )
