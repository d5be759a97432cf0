"""The audit trail: who loaded, saved or exported what, and when (tables `audit_log`).

A write of the extracts (a load, an import, the profile, the as-at date, a new pseudonym key)
records its entry in the extracts database, in the same transaction as the write; exports and
edits of the app state (scenarios, briefing edits, column mappings) record theirs in the state
file (`store.state`), in the transaction of the edit. `trail` reads both, in time order.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.store import state, writer
from ascdemand.store.sql import utc_now

TRAIL_SCHEMA = {
    "logged_at": pl.Datetime("us"),
    "user_name": pl.String,
    "action": pl.String,
    "detail": pl.String,
}


def record(con: duckdb.DuckDBPyConnection, *, user: str | None, action: str, detail: str) -> None:
    """Append one audit entry (inside the transaction that does the action: the extracts
    writer's for a write of the extracts, the state's for an edit of the app state)."""
    con.execute(
        "INSERT INTO audit_log (logged_at, user_name, action, detail) VALUES (?, ?, ?, ?)",
        [utc_now(), user or "unknown", action, detail],
    )


def record_alone(
    db_path: str | os.PathLike[str],
    *,
    user: str | None,
    action: str,
    detail: str,
    timeout: float = writer.DEFAULT_TIMEOUT_S,
) -> None:
    """Append one audit entry in a state write of its own (an export: nothing else changes).
    The extracts database is not touched, and the app's cached results stay valid.

    Raises:
        writer.DatabaseBusy: Another state write held the lock for longer than `timeout`.
    """
    with state.transaction(db_path, timeout=timeout, changes_state=False) as con:
        record(con, user=user, action=action, detail=detail)


def trail(db_path: str | os.PathLike[str]) -> pl.DataFrame:
    """Every audit entry of the database at `db_path` and of its app state, oldest first."""
    frames = []
    if Path(db_path).exists():
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            frames.append(con.sql("SELECT * FROM audit_log").pl().cast(TRAIL_SCHEMA))
        finally:
            con.close()
    with state.reading(db_path) as con:
        frames.append(con.sql("SELECT * FROM audit_log").pl().cast(TRAIL_SCHEMA))
    return pl.concat(frames).sort("logged_at", maintain_order=True)
