"""Insert or update extract rows by key: the core of `load --update`, and of importers whose
files restate rows already stored.

A relation's row whose key is not stored is inserted; one whose key is stored replaces the
stored row when any value differs (and takes the new batch id), each changed column recorded in
`load_changes` with its value before and after; a stored row the relation does not mention is
left alone. It is a few set-based statements of DuckDB SQL (an anti-join for the new rows, a
join comparing every column with IS DISTINCT FROM for the changed ones, then UPDATE ... FROM),
so a million rows cost a few joins, never a Python loop. Table and column names come from the
contract; the batch id and table name are parameters.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import duckdb

from ascdemand.store.contract import Table

_CHANGED = "__upsert_changed__"


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """How many of the relation's rows were new, replaced a stored row, or matched one."""

    inserted: int
    updated: int
    unchanged: int


def _before(column: str) -> str:
    return f"{column}__before"


def upsert(
    con: duckdb.DuckDBPyConnection, table: Table, relation: str, *, batch_id: str
) -> UpsertCounts:
    """Insert or update the rows of the registered relation `relation` (already validated and
    pseudonymised, with the table's contract columns) into `table`, recording each changed
    column in load_changes.

    Run it inside the caller's writer transaction; `relation` must hold each key once (as
    `validate` ensures), and may hold other columns, which are ignored.
    """
    key = list(table.key)
    values = [c for c in table.column_names if c not in table.key]
    on = " AND ".join(f"i.{k} = t.{k}" for k in key)
    differs = " OR ".join(f"i.{c} IS DISTINCT FROM t.{c}" for c in values) or "FALSE"
    row_key = (
        "CAST(to_json(struct_pack(" + ", ".join(f"{k} := i.{k}" for k in key) + ")) AS VARCHAR)"
    )
    after = ", ".join(f"i.{c}" for c in table.column_names)
    before = ", ".join(f"t.{c} AS {_before(c)}" for c in values)
    # Names below come from the contract and module constants, never from user input.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_CHANGED} AS "  # noqa: S608
        f"SELECT {row_key} AS row_key, {after}{', ' if before else ''}{before} "
        f"FROM {relation} i JOIN {table.name} t ON {on} WHERE {differs}"
    )
    try:
        if values:
            changes = " UNION ALL ".join(
                f"SELECT row_key, '{c}' AS column_name, "  # noqa: S608
                f"CAST({_before(c)} AS VARCHAR) AS before, CAST({c} AS VARCHAR) AS after "
                f"FROM {_CHANGED} "
                f"WHERE {c} IS DISTINCT FROM {_before(c)}"
                for c in values
            )
            con.execute(
                "INSERT INTO load_changes "  # noqa: S608
                "(batch_id, table_name, row_key, column_name, before, after) "
                f"SELECT ?, ?, row_key, column_name, before, after FROM ({changes})",
                [batch_id, table.name],
            )
        assign = ", ".join(f"{c} = ch.{c}" for c in values)
        match = " AND ".join(f"{table.name}.{k} = ch.{k}" for k in key)
        updated = con.execute(
            f"UPDATE {table.name} SET {assign}{', ' if assign else ''}batch_id = ? "  # noqa: S608
            f"FROM {_CHANGED} ch WHERE {match}",
            [batch_id],
        ).fetchall()[0][0]
    finally:
        with contextlib.suppress(duckdb.Error):  # an aborted transaction drops it anyway
            con.execute(f"DROP TABLE IF EXISTS {_CHANGED}")
    columns = ", ".join(table.column_names)
    inserted = con.execute(
        f"INSERT INTO {table.name} ({columns}, batch_id) "  # noqa: S608
        f"SELECT {after}, ? FROM {relation} i ANTI JOIN {table.name} t ON {on}",
        [batch_id],
    ).fetchall()[0][0]
    total = con.execute(f"SELECT count(*) FROM {relation}").fetchall()[0][0]  # noqa: S608
    return UpsertCounts(inserted=inserted, updated=updated, unchanged=total - inserted - updated)
