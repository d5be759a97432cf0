"""Read-only access that follows the copy-and-swap writer: reopen when the file is replaced."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ascdemand.store.connection import open_read_only


def file_identity(path: Path) -> tuple[int, int] | None:
    """(inode, mtime in ns) of the database file, which changes on every swap; None if absent."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


class Reader:
    """One shared read-only connection per database snapshot, with a fresh cursor per query.

    DuckDB connections are not thread-safe, cursors are: each query takes its own cursor. When
    a writer swaps a new file in, the next query closes the old connection and opens the new
    file, so readers see each completed load and never a partial one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None

    @property
    def identity(self) -> tuple[int, int] | None:
        """The identity of the snapshot currently on disk."""
        return file_identity(self.path)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        identity = file_identity(self.path)
        if identity is None:
            raise FileNotFoundError(
                f"No database at {self.path}: run `ascdemand demo`, or load extracts on the Data page."
            )
        with self._lock:
            if self._con is None or identity != self._identity:
                if self._con is not None:
                    self._con.close()
                self._con = open_read_only(self.path)
                self._identity = identity
            return self._con

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot, closed after use."""
        cur = self._connection().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def close(self) -> None:
        """Close the shared connection (the next query reopens it)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
