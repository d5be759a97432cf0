"""The audit trail: who loaded, saved or exported what, and when (table `audit_log`)."""

from __future__ import annotations

import os

import duckdb

from ascdemand.store import writer
from ascdemand.store.sql import utc_now


def record(con: duckdb.DuckDBPyConnection, *, user: str | None, action: str, detail: str) -> None:
    """Append one audit entry (inside the writer transaction that does the action)."""
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
    """Append one audit entry in a write of its own (an export: nothing else changes), which
    keeps the data version, so the app's cached results stay valid.

    Raises:
        writer.DatabaseBusy: Another write held the database for longer than `timeout`.
    """
    with writer.transaction(db_path, timeout=timeout, changes_data=False) as con:
        record(con, user=user, action=action, detail=detail)
