"""App state kept apart from the extracts: a small DuckDB file beside the database.

The audit entries of exports and edits, saved scenarios, the briefing's mitigations, targets and
added comparators, and saved column mappings live in `<db>.state.duckdb` (`state_path`), not in
the extracts database. They are written directly, in one short DuckDB transaction under their own
lock (`<db>.state.duckdb.lock`), never by the copy-and-swap writer: a scenario save or a download
never copies the extracts and never waits for a load. DuckDB's write-ahead log makes each
transaction all or nothing, so a writer killed at any point leaves the file as it was before or
after its transaction.

DuckDB lets one process open a file for writing and no other process open it meanwhile, so
nobody holds it open: readers open it read-only for one read (`reading`) and writers for one
transaction (`transaction`), each retrying for a few seconds while the other has it.

The extracts database keeps the audit entries of the writes made to it (loads, imports, the
profile, the as-at date, a new pseudonym key), in the same transaction as the write;
`audit.trail` reads both. A database from before this split has its app-state tables moved
here once (`_migrate`), by the first state write or read, or by the first write of the
extracts (`writer.transaction`, which then drops them from the extracts database).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.store import writer
from ascdemand.store.schema import MOVED_TABLES

SUFFIX = ".state.duckdb"
OPEN_RETRY_S = 10.0
"""How long a reader or writer retries while another process has the state file open."""

_OPEN = threading.RLock()
"""Held while this process has the state file open: the app's sessions are threads of one
process, and DuckDB refuses (or races on) a second open of one file in another mode."""

MIGRATED_KEY = "migrated"
VERSION_KEY = "state_version"

# The app-state tables, as they were in the extracts database (migration copies them as is).
STATE_TABLES_DDL = {
    "audit_log": """
    CREATE TABLE IF NOT EXISTS audit_log (
      logged_at TIMESTAMP NOT NULL,
      user_name VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      detail VARCHAR
    )
    """,
    # Column mappings saved on the Data page (`store.mapping`), as their TOML text.
    "column_mappings": """
    CREATE TABLE IF NOT EXISTS column_mappings (
      name VARCHAR PRIMARY KEY,
      table_name VARCHAR NOT NULL,
      toml VARCHAR NOT NULL,
      saved_at TIMESTAMP NOT NULL,
      saved_by VARCHAR
    )
    """,
    "mitigations": """
    CREATE TABLE IF NOT EXISTS mitigations (
      mitigation_id INTEGER PRIMARY KEY,
      action VARCHAR NOT NULL,
      owner VARCHAR,
      status VARCHAR NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      updated_by VARCHAR NOT NULL
    )
    """,
    "targets": """
    CREATE TABLE IF NOT EXISTS targets (
      measure VARCHAR PRIMARY KEY,
      target_value DOUBLE NOT NULL,
      baseline_value DOUBLE,
      due_date DATE,
      note VARCHAR,
      updated_at TIMESTAMP NOT NULL,
      updated_by VARCHAR NOT NULL
    )
    """,
    "user_comparators": """
    CREATE TABLE IF NOT EXISTS user_comparators (
      council VARCHAR PRIMARY KEY,
      net_budget_2021_22_gbp_m DOUBLE,
      gross_asc_spend_2019_20_per_1000_pop_gbp_k DOUBLE,
      long_term_care_65plus_per_head_gbp DOUBLE,
      source VARCHAR NOT NULL,
      added_at TIMESTAMP NOT NULL,
      added_by VARCHAR NOT NULL
    )
    """,
    "scenarios": """
    CREATE TABLE IF NOT EXISTS scenarios (
      scenario_id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL UNIQUE,
      description VARCHAR NOT NULL,
      params_json VARCHAR NOT NULL,
      created_by VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )
    """,
}
META_DDL = """
CREATE TABLE IF NOT EXISTS state_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
)
"""


def state_path(db_path: str | os.PathLike[str]) -> Path:
    """Where the app state of the database at `db_path` lives: `x.duckdb` -> `x.state.duckdb`."""
    path = Path(db_path)
    return path.with_name(path.stem + SUFFIX if path.suffix else path.name + SUFFIX)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every app-state table that does not exist yet."""
    for ddl in (*STATE_TABLES_DDL.values(), META_DDL):
        con.execute(ddl)


def memory() -> duckdb.DuckDBPyConnection:
    """An empty in-memory app state (tests, and a state file that cannot be created)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def _busy(err: duckdb.Error) -> bool:
    """Whether `err` says another connection has the file open in a conflicting mode."""
    text = str(err).lower()
    return any(
        sign in text
        for sign in (
            "set lock",
            "conflicting lock",
            "different configuration",
            "already attached",
            "handle conflict",
        )
    )


def _open(path: Path, *, read_only: bool, wait: float = OPEN_RETRY_S) -> duckdb.DuckDBPyConnection:
    """Open the state file, retrying while another process (or thread) has it open."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as err:
            if not _busy(err) or time.monotonic() >= deadline:
                if _busy(err):
                    raise writer.DatabaseBusy(
                        f"Database busy, try again: the app state {path} stayed open."
                    ) from None
                raise
            time.sleep(0.01)


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        rows = con.execute("SELECT value FROM state_meta WHERE key = ?", [key]).fetchall()
    except duckdb.CatalogException:  # a file whose creation was interrupted
        return None
    return rows[0][0] if rows else None


def _legacy_rows(db_path: Path) -> dict[str, pl.DataFrame] | None:
    """The app-state rows still in an older extracts database (empty when it has none); None
    when it cannot be read now (open for writing by another process, or damaged)."""
    if not db_path.exists():
        return {}
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return None
    try:
        present = legacy_tables(con)
        return {table: con.sql(f"SELECT * FROM {table}").pl() for table in present}  # noqa: S608
    finally:
        con.close()


def legacy_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The moved app-state tables an extracts database still holds."""
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }
    return [table for table in MOVED_TABLES if table in tables]


def _migrate(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Copy an older extracts database's app-state rows here, once: the copy and the mark that
    it was done commit together. Its audit entries stay there (`audit.trail` reads both)."""
    if _meta(con, MIGRATED_KEY) is not None:
        return
    rows = _legacy_rows(db_path)
    if rows is None:
        return  # try again on the next write
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in rows.items():
            if frame.height:
                con.execute(f"INSERT OR IGNORE INTO {table} SELECT * FROM frame")  # noqa: S608
        con.execute(
            "INSERT OR REPLACE INTO state_meta VALUES (?, ?)",
            [MIGRATED_KEY, f"{sum(f.height for f in rows.values())} rows"],
        )
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def _new_file_mode(path: Path) -> int | None:
    """Refuse a state file made read-only; the mode a new one gets, None for an existing one."""
    if path.exists():
        writer.check_writable(path)
        return None
    return writer.NEW_FILE_MODE


@contextlib.contextmanager
def transaction(
    db_path: str | os.PathLike[str],
    *,
    timeout: float = writer.DEFAULT_TIMEOUT_S,
    changes_state: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection on the app state in one transaction, committed when the block exits
    normally and rolled back if it raises. The state gets a new version (what the app's cached
    state reads follow) unless `changes_state` is False, as for an audit entry alone.

    Raises:
        writer.DatabaseBusy: Another state write held the lock for longer than `timeout`.
        writer.DatabaseReadOnly: The state file or its folder is read-only.
    """
    main = Path(db_path)
    path = state_path(main)
    with contextlib.ExitStack() as held:
        with writer.unwritable_folder(path):
            held.enter_context(writer.exclusive_lock(path, timeout))
            held.enter_context(_OPEN)
            mode = _new_file_mode(path)
            con = _open(path, read_only=False)
        try:
            if mode is not None:
                os.chmod(path, mode)
            create_schema(con)
            _migrate(con, main)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                if changes_state:
                    con.execute(
                        "INSERT OR REPLACE INTO state_meta VALUES (?, ?)",
                        [VERSION_KEY, uuid.uuid4().hex],
                    )
                writer.pause_for_test("state_before_commit")
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
        finally:
            con.close()


def ensure(db_path: str | os.PathLike[str], *, timeout: float = writer.DEFAULT_TIMEOUT_S) -> None:
    """Create the state file (moving an older database's app state into it) if needed."""
    with transaction(db_path, timeout=timeout, changes_state=False):
        pass


@contextlib.contextmanager
def reading(db_path: str | os.PathLike[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection on the app state for one read, closed after it. A missing state
    file is created first (and an older database's state moved into it); with neither file, or
    a folder that cannot hold one, the state read is empty.

    Raises:
        writer.DatabaseBusy: A writer kept the file open for longer than `OPEN_RETRY_S`.
    """
    main = Path(db_path)
    path = state_path(main)
    for attempt in range(2):
        if path.exists():
            with _OPEN:
                con = _open(path, read_only=True)
                try:
                    if _meta(con, MIGRATED_KEY) is not None:
                        yield con
                        return
                finally:
                    con.close()
        if attempt or (not main.exists() and not path.exists()):
            break
        try:  # missing, or left by an interrupted first write: create it, then read
            ensure(main)
        except writer.DatabaseReadOnly:
            break
    with contextlib.closing(memory()) as empty:
        yield empty


def migrated(con: duckdb.DuckDBPyConnection) -> str | None:
    """What the one-off move of an older database's app state copied (None: not done yet)."""
    return _meta(con, MIGRATED_KEY)


def identity(db_path: str | os.PathLike[str]) -> tuple[object, ...]:
    """(inode, mtime, size) of the state file and of its write-ahead log: every state write
    changes it (a write closes the file, which checkpoints it), so a version read for one
    identity holds until it changes."""
    path = state_path(db_path)
    found: list[object] = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            info = os.stat(part)
        except FileNotFoundError:
            found.append(None)
        else:
            found.append((info.st_ino, info.st_mtime_ns, info.st_size))
    return tuple(found)


def version(db_path: str | os.PathLike[str]) -> str:
    """The state's version: it changes with every state write but an audit entry alone."""
    with reading(db_path) as con:
        return _meta(con, VERSION_KEY) or ""
