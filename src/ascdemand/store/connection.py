"""Opening the DuckDB file: a writer that creates the schema, or a read-only reader."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ascdemand.store import writer
from ascdemand.store.schema import create_schema, is_current


class DatabaseUnreadable(RuntimeError):
    """The database file exists but cannot be opened: damaged, truncated, not a DuckDB file,
    or not readable by this user."""


def _open(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open `path`, turning DuckDB's and the system's errors into a plain `DatabaseUnreadable`."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except PermissionError as err:
        raise DatabaseUnreadable(f"Cannot read the database {path}: {err.strerror}.") from None
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise
        raise DatabaseUnreadable(
            f"Cannot open the database {path}: it is damaged, truncated or not an ascdemand "
            f"database ({str(err).splitlines()[0]}). Restore it from a backup, or rebuild it "
            "(`ascdemand demo --force`, or load the extracts again)."
        ) from None
    except duckdb.Error as err:
        raise DatabaseUnreadable(
            f"Cannot open the database {path}: {str(err).splitlines()[0]}. Restore it from a "
            "backup, or rebuild it."
        ) from None


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database. Writers get the schema created; readers must find the file built.

    Raises:
        FileNotFoundError: A reader asked for a database that does not exist yet.
    """
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(
                f"No database at {path}: run `ascdemand demo` or load extracts."
            )
        return open_read_only(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    created = str(path) != ":memory:" and not path.exists()
    con = _open(path, read_only=False)
    if created:
        os.chmod(path, writer.NEW_FILE_MODE)
    create_schema(con)
    return con


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection on an existing database. One written by an older version is
    first brought up to date (schema and materialised views) by an empty write."""
    con = _open(path, read_only=True)
    if is_current(con):
        return con
    con.close()
    with writer.transaction(path):
        pass
    return _open(path, read_only=True)


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the full schema, for tests and scratch work."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con
