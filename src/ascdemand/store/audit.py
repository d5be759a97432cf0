"""The audit trail: who loaded, saved or exported what, and when (table `audit_log`)."""

from __future__ import annotations

import datetime as dt

import duckdb


def record(con: duckdb.DuckDBPyConnection, *, user: str | None, action: str, detail: str) -> None:
    """Append one audit entry (inside the writer transaction that does the action)."""
    con.execute(
        "INSERT INTO audit_log (logged_at, user_name, action, detail) VALUES (?, ?, ?, ?)",
        [dt.datetime.now(dt.UTC).replace(tzinfo=None), user or "unknown", action, detail],
    )
