"""Importing CLD files into the store: every file of one command in one writer transaction.

The files are read, de-identified, mapped and checked against a read-only snapshot first, so a
rejected import never takes the write lock; under the lock the same is done again against the
current state and, if nothing stops it, the rows are written with `store.upsert`: an event
seen before is updated to its latest submission's values, a new one inserted. Each file gets a
batch, a `load_log` row (table `cld`) and the command an audit entry, as a load does; a file
imported before (same SHA-256) is skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import polars as pl

from ascdemand.store import audit, meta, writer
from ascdemand.store.cld import derive
from ascdemand.store.cld.events import (
    FILE,
    SKIP_REASONS,
    TABLES,
    CldFile,
    Prepared,
    StoredState,
    prepare,
    read_cld,
)
from ascdemand.store.ingest import DEFAULT_MAX_BYTES, UnreadableFile
from ascdemand.store.load import file_sha256
from ascdemand.store.profile import stored_profile
from ascdemand.store.pseudonymise import database_key
from ascdemand.store.sql import utc_now
from ascdemand.store.upsert import UpsertCounts, upsert
from ascdemand.store.validate import Problem

LOG_TABLE = "cld"
Status = Literal["imported", "skipped", "rejected"]
NO_PROFILE = (
    "No council profile is stored: load one first with `ascdemand profile load FILE.toml`, "
    "so postcodes can be placed in districts. Nothing was changed."
)
NO_TRUST = (
    "The council profile names no hospital trust: a discharge from a CLD return is given the "
    'profile\'s first trust (add trusts = ["..."] to its [council] table and load it again). '
    "Nothing was changed."
)
_PERIODS_SCHEMA = {
    "table_name": pl.String,
    "event_reference": pl.String,
    "reporting_period_end": pl.Date,
}


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file: imported (with its batch) or skipped as imported before."""

    file: str
    status: Literal["imported", "skipped"]
    reporting_period_end: dt.date | None = None
    batch_id: str | None = None
    counts: UpsertCounts = UpsertCounts(0, 0, 0)


@dataclass(frozen=True, slots=True)
class CldImport:
    """What one import did: per file, per table (inserted, updated, unchanged), rows skipped by
    reason, stored rows whose derived values changed (`relinked`), and the problems (the first
    `validate.MAX_SHOWN` listed, all counted) and notes."""

    status: Status
    message: str
    files: tuple[FileResult, ...] = ()
    rows_read: int = 0
    tables: dict[str, UpsertCounts] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    discharges_derived: int = 0
    relinked: int = 0
    problems: tuple[Problem, ...] = ()
    problem_total: int = 0
    problem_counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[Problem, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--json`: dates as ISO text, problems as file/row/column/message."""

        def problem(p: Problem) -> dict[str, Any]:
            return {
                "file": p.file,
                "row": p.row,
                "line": p.line,
                "column": p.column,
                "message": p.message,
                "kind": p.kind,
            }

        return {
            "status": self.status,
            "message": self.message,
            "files": [
                {
                    "file": f.file,
                    "status": f.status,
                    "reporting_period_end": f.reporting_period_end.isoformat()
                    if f.reporting_period_end
                    else None,
                    "batch_id": f.batch_id,
                    "inserted": f.counts.inserted,
                    "updated": f.counts.updated,
                    "unchanged": f.counts.unchanged,
                }
                for f in self.files
            ],
            "rows_read": self.rows_read,
            "tables": {
                name: {"inserted": c.inserted, "updated": c.updated, "unchanged": c.unchanged}
                for name, c in self.tables.items()
            },
            "skipped": self.skipped,
            "discharges_derived": self.discharges_derived,
            "relinked": self.relinked,
            "problem_total": self.problem_total,
            "problem_counts": self.problem_counts,
            "problems": [problem(p) for p in self.problems],
            "notes": [problem(n) for n in self.notes],
        }


class _NothingToWrite(Exception):
    """Raised inside the writer transaction so a rejected or skipped import swaps nothing in."""

    def __init__(self, result: CldImport) -> None:
        super().__init__(result.message)
        self.result = result


def _rejected(message: str, prepared: Prepared | None = None, **more: Any) -> CldImport:
    if prepared is None:
        return CldImport(status="rejected", message=message, **more)
    return CldImport(
        status="rejected",
        message=message,
        rows_read=prepared.rows_read,
        skipped=prepared.skipped,
        problems=prepared.problems,
        problem_total=prepared.problem_total,
        problem_counts=prepared.problem_counts,
        notes=prepared.notes,
        **more,
    )


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }


def stored_state(con: duckdb.DuckDBPyConnection) -> tuple[StoredState | None, frozenset[str]]:
    """The state an import depends on (None without a profile) and the SHA-256 of every CLD
    file imported before. Works on a read-only database written by an older version."""
    profile = stored_profile(con)
    if profile is None:
        return None, frozenset()
    tables = _tables(con)
    periods = pl.DataFrame(schema=_PERIODS_SCHEMA)
    if "cld_events" in tables:
        periods = con.sql(
            "SELECT table_name, event_reference, reporting_period_end FROM cld_events"
        ).pl()
    setting = con.execute(
        "SELECT try_cast(value AS DATE) FROM settings WHERE key = ?", [meta.AS_AT_KEY]
    ).fetchall()
    imported = con.execute(
        "SELECT file_sha256 FROM load_log WHERE table_name = ? AND status = 'loaded'", [LOG_TABLE]
    ).fetchall()
    state = StoredState(profile, periods, setting[0][0] if setting else None)
    return state, frozenset(sha for (sha,) in imported)


def _snapshot(db_path: Path) -> tuple[StoredState | None, frozenset[str]]:
    """`stored_state` read without the lock (no profile when there is no database yet)."""
    if not db_path.exists():
        return None, frozenset()
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as err:  # another process holds the file open for writing
        raise writer.DatabaseBusy(f"Database busy, try again: {err}") from None
    try:
        return stored_state(con)
    finally:
        con.close()


def _fresh(
    files: list[CldFile], imported: frozenset[str]
) -> tuple[list[CldFile], list[FileResult]]:
    """The files not imported before (a file given twice counts once), and the rest skipped."""
    fresh: list[CldFile] = []
    skipped: list[FileResult] = []
    seen = set(imported)
    for cld in files:
        if cld.sha256 in seen:
            skipped.append(FileResult(cld.label, "skipped"))
        else:
            seen.add(cld.sha256)
            fresh.append(cld)
    return fresh, skipped


def _check(
    state: StoredState | None,
    imported: frozenset[str],
    files: list[CldFile],
    skip_invalid: bool,
) -> tuple[list[CldFile], list[FileResult], Prepared] | CldImport:
    """The files to import and their prepared rows, or the result that stops the import."""
    if state is None:
        return _rejected(NO_PROFILE)
    if state.profile.default_trust is None:
        return _rejected(NO_TRUST)
    fresh, skipped = _fresh(files, imported)
    if not fresh:
        names = ", ".join(f.file for f in skipped)
        return CldImport(
            status="skipped",
            message=f"Already imported, nothing changed: {names}.",
            files=tuple(skipped),
        )
    prepared = prepare(fresh, state)
    if prepared.problem_total and not skip_invalid:
        shown = (
            f" (the first {len(prepared.problems)} are listed)"
            if prepared.problem_total > len(prepared.problems)
            else ""
        )
        return _rejected(
            f"Not imported: {prepared.problem_total:,} problem(s) found{shown}. Nothing was "
            "changed. Correct the file(s), or import with --skip-invalid to load the valid rows.",
            prepared,
            files=tuple(skipped),
        )
    return fresh, skipped, prepared


def _batch_id() -> str:
    return f"{LOG_TABLE}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"


def _write(
    con: duckdb.DuckDBPyConnection,
    files: list[CldFile],
    prepared: Prepared,
    loaded_by: str | None,
) -> tuple[list[FileResult], dict[str, UpsertCounts], int]:
    """Upsert the prepared rows (each file's under its own batch), record each event's
    reporting period and each discharge's derivation, and log every file."""
    batches = pl.DataFrame(
        {FILE: range(len(files)), "batch_id": [_batch_id() for _ in files]},
        schema={FILE: pl.Int32, "batch_id": pl.String},
    )
    # Stored rows whose derived values change are updated under the newest file's batch.
    newest = max(range(len(files)), key=lambda i: (prepared.period_ends[i] or dt.date.min, i))
    relink_batch = batches["batch_id"][newest]
    for name, frame in prepared.tables.items():
        con.register(derive.NEW[name], frame.to_arrow())
    con.register("cld_batches", batches.to_arrow())
    try:
        derive.derive(con)
        per_file: list[Counter[str]] = [Counter() for _ in files]
        totals: dict[str, Counter[str]] = {name: Counter() for name in TABLES}
        for i, batch in enumerate(batches["batch_id"]):
            for name, table in TABLES.items():
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE cld_batch AS "  # noqa: S608
                    f"SELECT * FROM {derive.UPDATES[name]} WHERE {FILE} = ?",
                    [i],
                )
                counts = upsert(con, table, "cld_batch", batch_id=batch)
                for counted in (per_file[i], totals[name]):
                    counted.update(
                        inserted=counts.inserted, updated=counts.updated, unchanged=counts.unchanged
                    )
        con.execute("DROP TABLE IF EXISTS cld_batch")
        relinked = sum(
            upsert(con, TABLES[name], relation, batch_id=relink_batch).updated
            for name, relation in derive.RELINKED.items()
        )
        for name in TABLES:
            con.execute(
                "INSERT OR REPLACE INTO cld_events "  # noqa: S608
                "(table_name, event_reference, reporting_period_end, batch_id) "
                f"SELECT ?, n.event_reference, n.reporting_period_end, b.batch_id "
                f"FROM {derive.NEW[name]} n JOIN cld_batches b USING ({FILE})",
                [name],
            )
        con.execute(
            "INSERT OR REPLACE INTO discharge_derivations (discharge_id, rule, batch_id) "  # noqa: S608
            f"SELECT p.discharge_id, p.rule, coalesce(b.batch_id, ?) FROM {derive.PATHWAYS} p "
            f"LEFT JOIN cld_batches b USING ({FILE}) "
            "WHERE NOT EXISTS (SELECT 1 FROM discharge_derivations o "
            "WHERE o.discharge_id = p.discharge_id AND o.rule = p.rule)",
            [relink_batch],
        )
    finally:
        derive.drop_work_tables(con)
        for relation in (*derive.NEW.values(), "cld_batches"):
            con.unregister(relation)
    results = []
    for i, cld in enumerate(files):
        counts = UpsertCounts(**per_file[i])
        batch = batches["batch_id"][i]
        period = prepared.period_ends[i]
        stored = counts.inserted + counts.updated + counts.unchanged
        message = (
            f"Imported CLD file {cld.label}"
            + (f" (period ending {period:%d %B %Y})" if period else "")
            + f": {stored:,} events stored ({counts.inserted:,} new, {counts.updated:,} updated, "
            f"{counts.unchanged:,} unchanged)."
        )
        con.execute(
            "INSERT INTO load_log (batch_id, table_name, file_name, file_sha256, rows, loaded_at, "
            "status, message, loaded_by, inserted, updated, unchanged) "
            "VALUES (?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)",
            [
                batch,
                LOG_TABLE,
                cld.label,
                cld.sha256,
                stored,
                utc_now(),
                message,
                loaded_by,
                counts.inserted,
                counts.updated,
                counts.unchanged,
            ],
        )
        results.append(FileResult(cld.label, "imported", period, batch, counts))
    return results, {name: UpsertCounts(**c) for name, c in totals.items()}, relinked


def _summary(tables: dict[str, UpsertCounts], skipped: dict[str, int], rows_read: int) -> str:
    stored = "; ".join(
        f"{name} {c.inserted:,} new, {c.updated:,} updated, {c.unchanged:,} unchanged"
        for name, c in tables.items()
    )
    passed = ", ".join(
        f"{reason} {skipped[reason]:,}" for reason in SKIP_REASONS if skipped[reason]
    )
    return f"{rows_read:,} rows read; {stored}" + (f"; skipped: {passed}" if passed else "")


def import_cld(
    db_path: str | os.PathLike[str],
    paths: Sequence[str | os.PathLike[str]],
    *,
    skip_invalid: bool = False,
    loaded_by: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = writer.DEFAULT_TIMEOUT_S,
    new_key: bool = False,
) -> CldImport:
    """Import CLD files (CSV or Excel) into the database at `db_path`, all in one transaction.

    By default any problem rejects the whole import and nothing changes; with `skip_invalid`
    the valid rows are imported and the invalid ones listed. The database's as-at date moves
    forward to the latest Reporting Period End Date imported.

    Raises:
        writer.DatabaseBusy: Another write held the database for `timeout` seconds.
        pseudonymise.PseudonymKeyError: The pseudonymisation key is unusable.
        pseudonymise.PseudonymKeyMismatch: The key is not the one the database's people were
            pseudonymised with and `new_key` is False (nothing changed).
    """
    db_path = Path(db_path)
    files: list[CldFile] = []
    unreadable: list[Problem] = []
    for path in map(Path, paths):
        try:
            files.append(read_cld(path, file_sha256(path), max_bytes=max_bytes))
        except (UnreadableFile, FileNotFoundError) as err:
            row, column = getattr(err, "row", None), getattr(err, "column", None)
            message = str(err) if isinstance(err, UnreadableFile) else f"{path} does not exist"
            unreadable.append(Problem(path.name, row, column, message, "unreadable file"))
    if unreadable:
        return _rejected(
            f"Not imported: {len(unreadable)} file(s) cannot be read as a CLD return. "
            "Nothing was changed.",
            problems=tuple(unreadable),
            problem_total=len(unreadable),
            problem_counts={"unreadable file": len(unreadable)},
        )
    checked = _check(*_snapshot(db_path), files, skip_invalid)
    if isinstance(checked, CldImport):
        return checked
    try:
        with writer.transaction(db_path, timeout=timeout) as con:
            # The rows were pseudonymised with the key in use as the files were read; the
            # database must have been pseudonymised with the same one, as for any load.
            database_key(con, new_key=new_key, user=loaded_by)
            state, imported = stored_state(con)
            checked = _check(state, imported, files, skip_invalid)
            if isinstance(checked, CldImport):
                raise _NothingToWrite(checked)
            fresh, skipped_files, prepared = checked
            results, tables, relinked = _write(con, fresh, prepared, loaded_by)
            latest = max((d for d in prepared.period_ends if d), default=None)
            if state and latest and (state.as_at_setting is None or latest > state.as_at_setting):
                meta.set_as_at_date(con, latest)
            message = f"Imported {len(results)} CLD file(s)."
            if prepared.problem_total:
                message += f" {prepared.problem_total:,} problem(s) found; those rows were skipped."
            summary = _summary(tables, prepared.skipped, prepared.rows_read)
            audit.record(
                con,
                user=loaded_by,
                action="import-cld",
                detail=f"{message} {summary}. Batches: "
                + ", ".join(f"{r.file} {r.batch_id}" for r in results)
                + ".",
            )
    except _NothingToWrite as stop:
        return stop.result
    return CldImport(
        status="imported",
        message=message,
        files=tuple(results + skipped_files),
        rows_read=prepared.rows_read,
        tables=tables,
        skipped=prepared.skipped,
        discharges_derived=prepared.tables["discharges"].height,
        relinked=relinked,
        problems=prepared.problems,
        problem_total=prepared.problem_total,
        problem_counts=prepared.problem_counts,
        notes=prepared.notes,
    )
