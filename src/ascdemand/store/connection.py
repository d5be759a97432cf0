"""Opening the DuckDB file: a writer that creates the schema, or a read-only reader."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ascdemand.store import writer
from ascdemand.store.schema import create_schema, is_current


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
    con = duckdb.connect(str(path))
    create_schema(con)
    return con


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection on an existing database. One written by an older version is
    first brought up to date (schema and materialised views) by an empty write."""
    con = duckdb.connect(str(path), read_only=True)
    if is_current(con):
        return con
    con.close()
    with writer.transaction(path):
        pass
    return duckdb.connect(str(path), read_only=True)


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the full schema, for tests and scratch work."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con
