"""Cached reads and the write actions of the Data page (uploads, column mappings, as-at
date)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand import settings
from ascdemand.models.quality import flag_jumps
from ascdemand.store import audit, load, meta, quality, writer
from ascdemand.store import mapping as column_mapping
from ascdemand.store.cld.importer import CldImport, import_cld
from ascdemand.store.contract import EXTRACT_TABLES
from ascdemand.store.sitrep.importer import Edition, import_files
from ascdemand.store.validate import Problem
from ascdemand.ui import auth, common

CHECKS = quality.CHECKS


@st.cache_data(show_spinner=False)
def table_counts() -> pl.DataFrame:
    """Rows held in each extract table."""
    with common.cursor() as cur:
        return quality.table_counts(cur)


@st.cache_data(show_spinner=False)
def load_log() -> pl.DataFrame:
    """Accepted loads, newest first."""
    with common.cursor() as cur:
        return quality.load_log(cur)


@st.cache_data(show_spinner=False)
def check_rows(name: str) -> pl.DataFrame:
    """Rows failing one data-quality check."""
    with common.cursor() as cur:
        return quality.run_check(cur, name)


@st.cache_data(show_spinner=False)
def new_client_jumps() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weekly new homecare packages, and the weeks that jump away from the recent normal."""
    with common.cursor() as cur:
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
    saved column mapping named `mapping` if given; clears cached results when it lands.

    Raises:
        mapping.MappingError: The saved mapping is missing, for another table, or no longer
            fits the contract (nothing written).
    """
    chosen = None
    if mapping is not None:
        with common.cursor() as cur:
            chosen = column_mapping.saved(cur, mapping, EXTRACT_TABLES[table])
    result = load.load_upload(
        settings.db_path(),
        table,
        file_name,
        content,
        as_at=as_at,
        loaded_by=auth.user_name(),
        update=update,
        mapping=chosen,
    )
    if result.status == "loaded":
        st.cache_data.clear()
    return result


def saved_mappings(table: str) -> list[str]:
    """The names of the column mappings saved for `table` (none before any data is stored).
    Read afresh each run: saving one keeps the data version, which the caches follow."""
    try:
        with common.cursor() as cur:
            return column_mapping.saved_names(cur, table)
    except FileNotFoundError:
        return []


def save_mapping(name: str, table: str, text: str, source: str) -> None:
    """Check the mapping `text` (from `source`, a file name) against `table` and save it under
    `name`, with an audit entry; the data, and so every cached result, stays as it was.

    Raises:
        mapping.MappingError: The mapping has problems (nothing saved).
        writer.DatabaseBusy: Another write held the database too long.
    """
    checked = column_mapping.parse(text, EXTRACT_TABLES[table], name=source)
    with writer.transaction(settings.db_path(), changes_data=False) as con:
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
        editions = import_files(settings.db_path(), paths, user=auth.user_name())
    st.cache_data.clear()
    return editions


def import_cld_returns(files: list[tuple[str, bytes]], skip_invalid: bool) -> CldImport:
    """Import uploaded CLD returns in one transaction, from a private temporary folder that is
    removed afterwards; clears cached results when rows land.

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
        result = import_cld(
            settings.db_path(), paths, skip_invalid=skip_invalid, loaded_by=auth.user_name()
        )
    if result.status == "imported":
        st.cache_data.clear()
    return result


def cld_counts(result: CldImport) -> pl.DataFrame:
    """Rows of a CLD import per table (new, updated, unchanged), then those skipped by reason."""
    stored = [
        (name, "new, updated, unchanged", f"{c.inserted:,}, {c.updated:,}, {c.unchanged:,}")
        for name, c in result.tables.items()
    ]
    skipped = [("skipped", reason, f"{n:,}") for reason, n in result.skipped.items() if n]
    return pl.DataFrame(stored + skipped, schema=["table", "rows", "count"], orient="row")


def set_as_at(day: dt.date) -> None:
    """Change the database's as-at date (recorded in the audit trail)."""
    with writer.transaction(settings.db_path()) as con:
        meta.set_as_at_date(con, day)
        audit.record(con, user=auth.user_name(), action="set as-at date", detail=day.isoformat())
    st.cache_data.clear()


def problems_frame(problems: tuple[Problem, ...]) -> pl.DataFrame:
    """Problems as a table a person can sort: file, row, column, what is wrong, and the line of
    the file where a row starts on another line (after a value spanning several lines)."""
    frame = pl.DataFrame(
        {
            "file": [p.file for p in problems],
            "row": [p.row for p in problems],
            "line of the file": [p.line if p.line != p.row else None for p in problems],
            "column": [p.column for p in problems],
            "problem": [p.message for p in problems],
        },
        schema={
            "file": pl.String,
            "row": pl.Int64,
            "line of the file": pl.Int64,
            "column": pl.String,
            "problem": pl.String,
        },
    )
    return (
        frame if frame["line of the file"].is_not_null().any() else frame.drop("line of the file")
    )


def new_packages_figure(weekly: pl.DataFrame, jumps: pl.DataFrame) -> go.Figure:
    """New homecare packages per week, with the weeks that jump marked."""
    fig = go.Figure()
    fig.add_scatter(x=weekly["week_start"], y=weekly["new_packages"], name="New packages")
    fig.add_scatter(
        x=jumps["week_start"],
        y=jumps["new_packages"],
        mode="markers",
        marker={"size": 10, "symbol": "x", "color": common.PALETTE[3]},
        name="Sudden jump",
    )
    return common.style_figure(
        fig,
        title="New homecare packages starting each week",
        y_title="Packages",
        x_title="Week",
        source="council care-package extract",
    )
