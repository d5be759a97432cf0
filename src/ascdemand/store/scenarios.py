"""Saved what-if scenarios (table `scenarios`): named parameter changes against the baseline,
with who saved them and when. They are app state (`store.state`): every change is one short
transaction on the state file, with its audit entry, and never touches the extracts database.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import duckdb
import polars as pl

from ascdemand.store import audit, state
from ascdemand.store.sql import utc_now

MAX_NAME = 80
LIST_SCHEMA = {
    "scenario_id": pl.String,
    "name": pl.String,
    "description": pl.String,
    "created_by": pl.String,
    "created_at": pl.Datetime("us"),
    "updated_at": pl.Datetime("us"),
}


class ScenarioNotFound(KeyError):
    """No saved scenario has the given id."""


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ValueError("A scenario needs a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A scenario name may have at most {MAX_NAME} characters.")
    return name


def _first(rows: list[tuple]) -> tuple | None:
    return rows[0] if rows else None


def _name_taken(con: duckdb.DuckDBPyConnection, name: str, other_than: str = "") -> bool:
    row = _first(
        con.execute(
            "SELECT count(*) FROM scenarios WHERE lower(name) = lower(?) AND scenario_id <> ?",
            [name, other_than],
        ).fetchall()
    )
    return bool(row and row[0])


def _require(con: duckdb.DuckDBPyConnection, scenario_id: str) -> str:
    row = _first(
        con.execute("SELECT name FROM scenarios WHERE scenario_id = ?", [scenario_id]).fetchall()
    )
    if row is None:
        raise ScenarioNotFound(f"No saved scenario with id {scenario_id!r}.")
    return row[0]


def save_scenario(
    db_path: str | os.PathLike[str],
    name: str,
    changes: dict[str, Any],
    *,
    description: str = "",
    user: str | None,
    replace: bool = False,
) -> str:
    """Save `changes` (parameter name -> value) under `name`; returns the scenario id.

    Args:
        replace: Overwrite a scenario of the same name (keeping its id and creation time)
            instead of refusing.

    Raises:
        ValueError: An empty or over-long name, or a name already used when not `replace`.
    """
    name = _clean_name(name)
    params_json = json.dumps(changes, sort_keys=True, default=str)
    now = utc_now()
    with state.transaction(db_path) as con:
        row = _first(
            con.execute(
                "SELECT scenario_id FROM scenarios WHERE lower(name) = lower(?)", [name]
            ).fetchall()
        )
        if row and not replace:
            raise ValueError(f"A scenario called {name!r} already exists: choose another name.")
        if row:
            scenario_id = row[0]
            con.execute(
                "UPDATE scenarios SET description = ?, params_json = ?, updated_at = ? "
                "WHERE scenario_id = ?",
                [description, params_json, now, scenario_id],
            )
        else:
            scenario_id = uuid.uuid4().hex[:12]
            con.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?)",
                [scenario_id, name, description, params_json, user or "unknown", now, now],
            )
        audit.record(con, user=user, action="scenario_save", detail=f"{scenario_id} {name}")
    return scenario_id


def list_scenarios(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Saved scenarios, most recently changed first (without their parameters)."""
    return cur.sql(
        "SELECT scenario_id, name, description, created_by, created_at, updated_at "
        "FROM scenarios ORDER BY updated_at DESC, name"
    ).pl()


def load_scenario(cur: duckdb.DuckDBPyConnection, scenario_id: str) -> dict[str, Any]:
    """One saved scenario: its `name`, `description`, `changes` (dict) and who saved it when.

    Raises:
        ScenarioNotFound: No scenario has this id.
    """
    row = _first(
        cur.execute(
            "SELECT name, description, params_json, created_by, created_at, updated_at "
            "FROM scenarios WHERE scenario_id = ?",
            [scenario_id],
        ).fetchall()
    )
    if row is None:
        raise ScenarioNotFound(f"No saved scenario with id {scenario_id!r}.")
    name, description, params_json, created_by, created_at, updated_at = row
    return {
        "scenario_id": scenario_id,
        "name": name,
        "description": description,
        "changes": json.loads(params_json),
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": updated_at,
    }


def rename_scenario(
    db_path: str | os.PathLike[str], scenario_id: str, new_name: str, *, user: str | None
) -> None:
    """Give a saved scenario a new name.

    Raises:
        ScenarioNotFound: No scenario has this id.
        ValueError: The new name is empty, too long or already used.
    """
    new_name = _clean_name(new_name)
    with state.transaction(db_path) as con:
        old = _require(con, scenario_id)
        if _name_taken(con, new_name, other_than=scenario_id):
            raise ValueError(f"A scenario called {new_name!r} already exists: choose another name.")
        con.execute(
            "UPDATE scenarios SET name = ?, updated_at = ? WHERE scenario_id = ?",
            [new_name, utc_now(), scenario_id],
        )
        audit.record(
            con, user=user, action="scenario_rename", detail=f"{scenario_id} {old} -> {new_name}"
        )


def delete_scenario(db_path: str | os.PathLike[str], scenario_id: str, *, user: str | None) -> None:
    """Delete a saved scenario.

    Raises:
        ScenarioNotFound: No scenario has this id.
    """
    with state.transaction(db_path) as con:
        name = _require(con, scenario_id)
        con.execute("DELETE FROM scenarios WHERE scenario_id = ?", [scenario_id])
        audit.record(con, user=user, action="scenario_delete", detail=f"{scenario_id} {name}")
