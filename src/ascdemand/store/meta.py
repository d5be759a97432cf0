"""Settings kept in the database: the as-at date the extracts describe, and the data version."""

from __future__ import annotations

import datetime as dt
import uuid

import duckdb

AS_AT_KEY = "as_at_date"
DATA_VERSION_KEY = "data_version"


def as_at_date(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The stored as-at date, or today when none has been set."""
    rows = con.execute("SELECT value FROM settings WHERE key = ?", [AS_AT_KEY]).fetchall()
    return dt.date.fromisoformat(rows[0][0]) if rows else dt.date.today()


def set_as_at_date(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    """Store `day` as the as-at date (inside a writer transaction)."""
    con.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [AS_AT_KEY, day.isoformat()]
    )


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A token that changes with every write of data, and not with an audit entry alone: what
    the app's caches are keyed on ("" for a database never written since versions existed)."""
    rows = con.execute("SELECT value FROM settings WHERE key = ?", [DATA_VERSION_KEY]).fetchall()
    return rows[0][0] if rows else ""


def new_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Give the database a new data version (inside a writer transaction)."""
    con.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
        [DATA_VERSION_KEY, uuid.uuid4().hex],
    )
