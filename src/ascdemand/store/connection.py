"""Opening the DuckDB file: a writer that creates the schema, or a read-only reader."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ascdemand.store.schema import create_schema


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
        return duckdb.connect(str(path), read_only=True)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    create_schema(con)
    return con


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the full schema, for tests and scratch work."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con
