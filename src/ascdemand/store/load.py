"""Loading an extract into the store: validate, refuse duplicates, pseudonymise, insert, log.

`load_frame` and `load_file` run inside a caller's `writer.transaction` and write nothing
until the extract has passed every check; on `rejected` or `skipped` the caller should abort
the transaction so no copy is swapped in. `load_path` (the `load` command) and `load_upload`
(the Data page) do all of that themselves.

Each takes `update=True` for an extract that restates rows already stored (a monthly refresh):
its new keys are inserted and its stored keys updated (`store.upsert`) instead of refused. A
`mapping` (`store.mapping`) renames and recodes another system's export before it is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import duckdb
import polars as pl

from ascdemand.store import audit, meta, writer
from ascdemand.store import mapping as column_mapping
from ascdemand.store.contract import EXTRACT_TABLES, Table
from ascdemand.store.ingest import (
    ALLOWED_SUFFIXES,
    DEFAULT_MAX_BYTES,
    Extract,
    UnreadableFile,
    read_extract,
    too_large,
)
from ascdemand.store.mapping import ColumnMapping
from ascdemand.store.profile import district_names
from ascdemand.store.pseudonymise import database_key, pseudonymise
from ascdemand.store.sql import utc_now
from ascdemand.store.upsert import upsert
from ascdemand.store.validate import MAX_SHOWN, ROW, Problem, Validation, validate

Status = Literal["loaded", "skipped", "rejected"]
_INCOMING = "__incoming_extract__"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What happened to one extract.

    `problems` holds the first problems found (at most `validate.MAX_SHOWN`), `problem_total`
    counts all of them and `problem_counts` counts them per kind; `notes` never stop a load.
    `inserted`, `updated` and `unchanged` count what a loaded extract's rows did (an ordinary
    load only inserts).
    """

    status: Status
    table: str
    file_name: str
    rows: int
    batch_id: str | None
    problems: tuple[Problem, ...] = ()
    message: str = ""
    notes: tuple[Problem, ...] = ()
    problem_total: int = 0
    problem_counts: dict[str, int] = field(default_factory=dict)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _rejected(
    table: str,
    file_name: str,
    problems: tuple[Problem, ...],
    total: int,
    counts: dict[str, int],
    notes: tuple[Problem, ...] = (),
) -> LoadResult:
    shown = f" (the first {len(problems)} are listed)" if total > len(problems) else ""
    return LoadResult(
        status="rejected",
        table=table,
        file_name=file_name,
        rows=0,
        batch_id=None,
        problems=problems,
        message=f"{file_name} was not loaded into {table}: {total:,} problem(s) found{shown}. "
        "Nothing was changed.",
        notes=notes,
        problem_total=total,
        problem_counts=counts,
    )


def _invalid(table: Table, file_name: str, checked: Validation) -> LoadResult:
    return _rejected(
        table.name, file_name, checked.problems, checked.total, checked.counts, checked.notes
    )


def _table(table_name: str) -> Table:
    try:
        return EXTRACT_TABLES[table_name]
    except KeyError:
        raise ValueError(
            f"Unknown table {table_name!r}; choose one of: {', '.join(EXTRACT_TABLES)}"
        ) from None


def _clashes_with_store(
    con: duckdb.DuckDBPyConnection, table: Table, file_name: str
) -> tuple[list[Problem], int]:
    """Rows of the registered incoming frame whose key is already stored."""
    key = list(table.key)
    on = " AND ".join(f"i.{k} = t.{k}" for k in key)
    # Table and column names come from the contract, never from user input.
    sql = f"FROM {_INCOMING} i JOIN {table.name} t ON {on}"  # noqa: S608
    total = con.execute(f"SELECT count(*) {sql}").fetchall()[0][0]  # noqa: S608
    if not total:
        return [], 0
    cols = ", ".join(f"i.{k}" for k in key)
    rows = con.execute(
        f"SELECT i.{ROW}, {cols}, t.batch_id {sql} ORDER BY i.{ROW} LIMIT {MAX_SHOWN}"  # noqa: S608
    ).fetchall()
    problems = [
        Problem(
            file_name,
            rec[0],
            key[-1],
            "already stored: "
            + ", ".join(f"{k} {rec[i + 1]!r}" for i, k in enumerate(key))
            + f" was loaded before (batch {rec[-1]})",
            "duplicate of stored row",
        )
        for rec in rows
    ]
    return problems, total


def _skipped(
    con: duckdb.DuckDBPyConnection, table: Table, file_name: str, file_sha256: str
) -> LoadResult | None:
    """A `skipped` result when the same content was loaded into `table` before."""
    rows = con.execute(
        "SELECT batch_id, loaded_at FROM load_log "
        "WHERE table_name = ? AND file_sha256 = ? AND status = 'loaded' "
        "ORDER BY loaded_at LIMIT 1",
        [table.name, file_sha256],
    ).fetchall()
    if not rows:
        return None
    batch_id, loaded_at = rows[0]
    return LoadResult(
        status="skipped",
        table=table.name,
        file_name=file_name,
        rows=0,
        batch_id=batch_id,
        message=f"{file_name} was already loaded into {table.name} on "
        f"{loaded_at:%d %B %Y %H:%M} (batch {batch_id}); skipped, nothing changed.",
    )


def _store(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    checked: Validation,
    *,
    file_name: str,
    file_sha256: str,
    loaded_by: str | None,
    update: bool = False,
    new_key: bool = False,
) -> LoadResult:
    """Pseudonymise, then insert (refusing keys already stored) or, for an update, insert and
    update by key; record `load_log` and audit."""
    if not checked.ok:
        return _invalid(table, file_name, checked)
    incoming = checked.frame
    for column in table.columns:
        if column.person_id:
            key = database_key(con, new_key=new_key, user=loaded_by)
            incoming = incoming.with_columns(pseudonymise(incoming[column.name], key))
    batch_id = f"{table.name}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
    rows = incoming.height
    con.register(_INCOMING, incoming.to_arrow())
    try:
        if update:
            counts = upsert(con, table, _INCOMING, batch_id=batch_id)
            inserted, updated, unchanged = counts.inserted, counts.updated, counts.unchanged
        else:
            clashes, total = _clashes_with_store(con, table, file_name)
            if total:
                found = {"duplicate of stored row": total}
                return _rejected(table.name, file_name, tuple(clashes), total, found, checked.notes)
            cols = ", ".join(table.column_names)
            con.execute(
                f"INSERT INTO {table.name} ({cols}, batch_id) "  # noqa: S608
                f"SELECT {cols}, ? FROM {_INCOMING}",
                [batch_id],
            )
            inserted, updated, unchanged = rows, 0, 0
    finally:
        con.unregister(_INCOMING)

    note_text = f"; {len(checked.notes)} note(s)" if checked.notes else ""
    if update:
        message = (
            f"Updated {table.name} from {file_name}: {inserted:,} new, {updated:,} updated, "
            f"{unchanged:,} unchanged{note_text}."
        )
    else:
        message = f"Loaded {rows:,} rows from {file_name} into {table.name}{note_text}."
    con.execute(
        "INSERT INTO load_log (batch_id, table_name, file_name, file_sha256, rows, loaded_at, "
        "status, message, loaded_by, inserted, updated, unchanged) "
        "VALUES (?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)",
        [
            batch_id,
            table.name,
            file_name,
            file_sha256,
            rows,
            utc_now(),
            message,
            loaded_by,
            inserted,
            updated,
            unchanged,
        ],
    )
    audit.record(con, user=loaded_by, action="load", detail=f"{message} Batch {batch_id}.")
    return LoadResult(
        status="loaded",
        table=table.name,
        file_name=file_name,
        rows=rows,
        batch_id=batch_id,
        message=message,
        notes=checked.notes,
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
    )


def _check(
    frame: pl.DataFrame,
    table: Table,
    mapping: ColumnMapping | None,
    *,
    file_name: str,
    as_at: dt.date,
    first_row: int,
    districts: tuple[str, ...] | None,
) -> Validation:
    """`validate` the frame, first renamed and recoded by `mapping` when there is one; problems
    then name the file's own column headers."""
    mapped = None
    if mapping is not None:
        header_row = first_row - 1 if first_row > 1 else None
        mapped = column_mapping.apply(mapping, frame, file_name=file_name, header_row=header_row)
        frame = mapped.frame
    checked = validate(
        frame, table, file_name=file_name, as_at=as_at, first_row=first_row, districts=districts
    )
    return checked if mapped is None else column_mapping.relabel(checked, mapped)


def load_frame(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    frame: pl.DataFrame,
    *,
    file_name: str,
    file_sha256: str,
    as_at: dt.date | None = None,
    loaded_by: str | None = None,
    first_row: int = 2,
    update: bool = False,
    mapping: ColumnMapping | None = None,
    new_key: bool = False,
) -> LoadResult:
    """Validate `frame` and, if it passes, add it to `table_name` inside the open transaction.

    Args:
        con: A connection from `writer.transaction` (or an in-memory store in tests).
        table_name: One of `contract.EXTRACT_TABLES`.
        frame: The extract: text columns as read from a file, or typed columns.
        file_name: Shown in problems and recorded in `load_log`.
        file_sha256: Identifies the content; a second load of the same content is skipped.
        as_at: No date may fall after it; default the stored as-at date (else today).
        loaded_by: Recorded in `load_log` and the audit trail.
        first_row: The row number a person sees for the frame's first row (CSV: 2).
        update: The frame restates stored rows: insert its new keys and update its stored
            ones, instead of refusing keys already stored.
        mapping: Renames and recodes the frame (another system's export) before the checks.
        new_key: Start a new pseudonymisation key on purpose when the key in use is not the
            one the database was pseudonymised with (`pseudonymise.database_key`).

    Returns:
        `loaded` (rows inserted or updated, `load_log` and `audit_log` written), `skipped`
        (same content loaded before; nothing written) or `rejected` (problems listed; nothing
        written).
    """
    table = _table(table_name)
    skipped = _skipped(con, table, file_name, file_sha256)
    if skipped:
        return skipped
    checked = _check(
        frame,
        table,
        mapping,
        file_name=file_name,
        as_at=as_at or meta.as_at_date(con),
        first_row=first_row,
        districts=district_names(con),
    )
    return _store(
        con,
        table,
        checked,
        file_name=file_name,
        file_sha256=file_sha256,
        loaded_by=loaded_by,
        update=update,
        new_key=new_key,
    )


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read(
    path: Path, table: Table, max_bytes: int, mapping: ColumnMapping | None
) -> Extract | LoadResult:
    """The extract read from `path`, or a `rejected` result saying why it cannot be read."""
    aliases = mapping.header_names if mapping else frozenset()
    try:
        extract = read_extract(path, table, max_bytes=max_bytes, aliases=aliases)
    except UnreadableFile as err:
        problem = Problem(path.name, err.row, err.column, str(err), "unreadable file")
        return _rejected(table.name, path.name, (problem,), 1, {"unreadable file": 1})
    if extract.problems:
        counts = dict(Counter(p.kind for p in extract.problems))
        problems = tuple(extract.problems[:MAX_SHOWN])
        return _rejected(table.name, extract.label, problems, len(extract.problems), counts)
    return extract


def _located(result: LoadResult, extract: Extract) -> LoadResult:
    """`result` with the line of the file given for each problem and note whose row starts on
    another line (a CSV whose quoted values hold line breaks)."""
    if extract.lines is None:
        return result
    locate = extract.lines.locate
    return replace(result, problems=locate(result.problems), notes=locate(result.notes))


def load_file(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    path: str | Path,
    *,
    as_at: dt.date | None = None,
    loaded_by: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    update: bool = False,
    mapping: ColumnMapping | None = None,
    new_key: bool = False,
) -> LoadResult:
    """Read a CSV, XLSX or Parquet extract and load it with `load_frame`.

    A file that cannot be read (too large, empty, truncated, wrong type) is rejected with one
    problem saying why; nothing is written.
    """
    path = Path(path)
    extract = _read(path, _table(table_name), max_bytes, mapping)
    if isinstance(extract, LoadResult):
        return extract
    result = load_frame(
        con,
        table_name,
        extract.frame,
        file_name=extract.label,
        file_sha256=file_sha256(path),
        as_at=as_at,
        loaded_by=loaded_by,
        first_row=extract.first_row,
        update=update,
        new_key=new_key,
        mapping=mapping,
    )
    return _located(result, extract)


class _NothingToWrite(Exception):
    """Raised inside the writer transaction so a rejected or skipped load swaps nothing in."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__(result.message)
        self.result = result


def _snapshot_state(
    db_path: Path, table: Table, file_name: str, sha: str
) -> tuple[dt.date, LoadResult | None, tuple[str, ...] | None]:
    """The stored as-at date, any earlier load of this content and the profile's districts,
    read without the lock."""
    if not db_path.exists():
        return dt.date.today(), None, None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as err:  # another process holds the file open for writing
        raise writer.DatabaseBusy(f"Database busy, try again: {err}") from None
    try:
        return meta.as_at_date(con), _skipped(con, table, file_name, sha), district_names(con)
    finally:
        con.close()


def load_path(
    db_path: str | os.PathLike[str],
    table_name: str,
    path: str | Path,
    *,
    as_at: dt.date | None = None,
    loaded_by: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = writer.DEFAULT_TIMEOUT_S,
    update: bool = False,
    mapping: ColumnMapping | None = None,
    new_key: bool = False,
) -> LoadResult:
    """Load one file into the database at `db_path` in its own writer transaction.

    The file is read and validated against the current snapshot before the write lock is
    taken, so a bad file never blocks other writers or touches the database. The checks that
    depend on stored data (same content loaded, keys already stored unless `update`, the as-at
    date if it changed meanwhile) are repeated under the lock. An explicit `as_at` becomes the
    database's as-at date when the load succeeds. `update` and `mapping` are as in `load_frame`.

    Raises:
        writer.DatabaseBusy: Another load or save held the database for `timeout` seconds.
    """
    db_path, path = Path(db_path), Path(path)
    table = _table(table_name)
    extract = _read(path, table, max_bytes, mapping)
    if isinstance(extract, LoadResult):
        return extract
    sha = file_sha256(path)
    stored_as_at, skipped, districts = _snapshot_state(db_path, table, extract.label, sha)
    if skipped:
        return skipped
    checked_as_at = as_at or stored_as_at
    checked = _check(
        extract.frame,
        table,
        mapping,
        file_name=extract.label,
        as_at=checked_as_at,
        first_row=extract.first_row,
        districts=districts,
    )
    if not checked.ok:
        return _located(_invalid(table, extract.label, checked), extract)
    try:
        with writer.transaction(db_path, timeout=timeout) as con:
            skipped = _skipped(con, table, extract.label, sha)
            if skipped:
                raise _NothingToWrite(skipped)
            stale = district_names(con) != districts
            if stale or (as_at is None and meta.as_at_date(con) != checked_as_at):
                checked = _check(
                    extract.frame,
                    table,
                    mapping,
                    file_name=extract.label,
                    as_at=as_at or meta.as_at_date(con),
                    first_row=extract.first_row,
                    districts=district_names(con),
                )
            result = _store(
                con,
                table,
                checked,
                file_name=extract.label,
                file_sha256=sha,
                loaded_by=loaded_by,
                update=update,
                new_key=new_key,
            )
            if result.status != "loaded":
                raise _NothingToWrite(result)
            if as_at is not None:
                meta.set_as_at_date(con, as_at)
    except _NothingToWrite as stop:
        return _located(stop.result, extract)
    return _located(result, extract)


def load_upload(
    db_path: str | os.PathLike[str],
    table_name: str,
    file_name: str,
    content: bytes,
    *,
    as_at: dt.date | None = None,
    loaded_by: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    update: bool = False,
    mapping: ColumnMapping | None = None,
    new_key: bool = False,
) -> LoadResult:
    """Load an uploaded file (e.g. from the Data page): type and size are checked first, the
    bytes are written only inside a private temporary folder, which is removed afterwards.
    `update` and `mapping` are as in `load_frame`.
    """
    name = Path(file_name).name or "upload"
    problem = None
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        problem = f"{name} is not a file type we load; use one of: {', '.join(ALLOWED_SUFFIXES)}"
    elif len(content) > max_bytes:
        problem = too_large(len(content), max_bytes)
    if problem:
        found = Problem(name, None, None, problem, "unreadable file")
        return _rejected(_table(table_name).name, name, (found,), 1, {"unreadable file": 1})
    with tempfile.TemporaryDirectory(prefix="ascdemand-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        return load_path(
            db_path,
            table_name,
            path,
            as_at=as_at,
            loaded_by=loaded_by,
            max_bytes=max_bytes,
            update=update,
            new_key=new_key,
            mapping=mapping,
        )
