"""Reads and writes of the Data page: what is loaded and its quality, and loading extracts,
column mappings, NHS sitreps, CLD returns and the as-at date as the signed-in user. Every write
of data gives a new data version, so each page shows it at once; saved column mappings are app
state (`store.state`), read afresh each run."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl

from ascdemand import settings
from ascdemand.models.quality import flag_jumps
from ascdemand.store import audit, load, meta, quality, state, writer
from ascdemand.store import mapping as column_mapping
from ascdemand.store.cld.importer import CldImport, import_cld
from ascdemand.store.contract import EXTRACT_TABLES
from ascdemand.store.sitrep.importer import Edition, import_files
from ascdemand.ui import auth
from ascdemand.ui.services.cache import cached, cursor, state_cursor

CHECKS = quality.CHECKS


@cached
def table_counts() -> pl.DataFrame:
    """Rows held in each extract table."""
    with cursor() as cur:
        return quality.table_counts(cur)


@cached
def load_log() -> pl.DataFrame:
    """Accepted loads, newest first."""
    with cursor() as cur:
        return quality.load_log(cur)


@cached
def check_rows(name: str) -> pl.DataFrame:
    """Rows failing one data-quality check."""
    with cursor() as cur:
        return quality.run_check(cur, name)


@cached
def new_client_jumps() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weekly new homecare packages, and the weeks that jump away from the recent normal."""
    with cursor() as cur:
        weekly = quality.weekly_new_packages(cur)
    return weekly, flag_jumps(weekly, "new_packages")


def upload(
    table: str,
    file_name: str,
    content: bytes,
    as_at: dt.date | None,
    *,
    update: bool = False,
    mapping: str | None = None,
) -> load.LoadResult:
    """Validate and load an uploaded extract, updating stored rows when `update`, through the
    saved column mapping named `mapping` if given.

    Raises:
        mapping.MappingError: The saved mapping is missing, for another table, or no longer
            fits the contract (nothing written).
    """
    chosen = None
    if mapping is not None:
        with state_cursor() as app_state:
            chosen = column_mapping.saved(app_state, mapping, EXTRACT_TABLES[table])
    return load.load_upload(
        settings.db_path(),
        table,
        file_name,
        content,
        as_at=as_at,
        loaded_by=auth.user_name(),
        update=update,
        mapping=chosen,
    )


def saved_mappings(table: str) -> list[str]:
    """The names of the column mappings saved for `table` (none before any data is stored).
    Read afresh each run, from the small state file."""
    if not settings.db_path().exists():
        return []
    with state_cursor() as app_state:
        return column_mapping.saved_names(app_state, table)


def save_mapping(name: str, table: str, text: str, source: str) -> None:
    """Check the mapping `text` (from `source`, a file name) against `table` and save it under
    `name`, with an audit entry, in the app state: the extracts database is not touched.

    Raises:
        mapping.MappingError: The mapping has problems (nothing saved).
        writer.DatabaseBusy: Another state write held the lock too long.
    """
    checked = column_mapping.parse(text, EXTRACT_TABLES[table], name=source)
    with state.transaction(settings.db_path()) as con:
        column_mapping.save(con, checked, name=name, saved_by=auth.user_name())


def import_sitreps(files: list[tuple[str, bytes]]) -> list[Edition]:
    """Import uploaded NHS discharge sitrep workbooks, all or none, from a private temporary
    folder that is removed afterwards.

    Raises:
        SitrepError: A workbook is not a discharge sitrep or cannot be read (nothing written).
    """
    with tempfile.TemporaryDirectory(prefix="ascdemand-sitrep-") as folder:
        paths = []
        for name, content in files:
            path = Path(folder) / Path(name).name
            path.write_bytes(content)
            paths.append(path)
        return import_files(settings.db_path(), paths, user=auth.user_name())


def import_cld_returns(files: list[tuple[str, bytes]], skip_invalid: bool) -> CldImport:
    """Import uploaded CLD returns in one transaction, from a private temporary folder that is
    removed afterwards.

    Raises:
        writer.DatabaseBusy: Another write held the database too long.
        pseudonymise.PseudonymKeyError: The pseudonymisation key is unusable.
    """
    with tempfile.TemporaryDirectory(prefix="ascdemand-cld-") as folder:
        paths = []
        for i, (name, content) in enumerate(files):
            path = Path(folder) / str(i) / (Path(name).name or "upload.csv")
            path.parent.mkdir()
            path.write_bytes(content)
            paths.append(path)
        return import_cld(
            settings.db_path(), paths, skip_invalid=skip_invalid, loaded_by=auth.user_name()
        )


def set_as_at(day: dt.date) -> None:
    """Change the database's as-at date (recorded in the database's audit trail)."""
    with writer.transaction(settings.db_path()) as con:
        meta.set_as_at_date(con, day)
        audit.record(con, user=auth.user_name(), action="set as-at date", detail=day.isoformat())
