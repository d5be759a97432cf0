"""Parse a monthly sitrep workbook into tidy frames, and write months into the store.

Parsing happens before any write, so a rejected workbook leaves the database untouched; writing
deletes the month from every sitrep table and inserts it again, so re-importing is idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.store import audit
from ascdemand.store.sitrep import tables
from ascdemand.store.sitrep.workbook import (
    Located,
    SitrepError,
    find_table,
    is_sitrep,
    month_named_in,
    read_cover,
    read_sheets,
)
from ascdemand.store.sql import utc_now

# Words that identify each table in its heading (numbers can change, words rarely do).
TABLE4_WORDS = ("discharged", "destination")
TABLE2_WORDS = ("criteria to reside", "discharged")
TABLE3_WORDS = ("additional", "days")
TABLE5_WORDS = ("reason",)

_ORG = {
    "org_type": pl.Utf8,
    "region": pl.Utf8,
    "org_code": pl.Utf8,
    "org_name": pl.Utf8,
}
DISCHARGES_SCHEMA = {
    "month": pl.Date,
    **_ORG,
    "destination": pl.Utf8,
    "pathway": pl.Utf8,
    "patients": pl.Int32,
}
CRITERIA_SCHEMA = {
    "month": pl.Date,
    "day": pl.Date,
    **_ORG,
    "not_meeting_criteria": pl.Int32,
    "discharged": pl.Int32,
    "remaining": pl.Int32,
}
DELAY_DAYS_SCHEMA = {
    "month": pl.Date,
    "week_start": pl.Date,
    **_ORG,
    "min_length_of_stay": pl.Int32,
    "additional_bed_days": pl.Int32,
}
DELAY_REASONS_SCHEMA = {"month": pl.Date, **_ORG, "reason": pl.Utf8, "average_patients": pl.Float64}


@dataclass(frozen=True, slots=True)
class Edition:
    """One parsed monthly workbook: its month and a tidy frame per table."""

    file_name: str
    file_sha256: str
    month: dt.date
    published: dt.date | None
    discharges: pl.DataFrame
    criteria_to_reside: pl.DataFrame
    delay_days: pl.DataFrame
    delay_reasons: pl.DataFrame
    notes: tuple[str, ...]

    @property
    def frames(self) -> dict[str, pl.DataFrame]:
        """The store table each frame is written to."""
        return {
            "sitrep_discharges": self.discharges,
            "sitrep_criteria_to_reside": self.criteria_to_reside,
            "sitrep_delay_days": self.delay_days,
            "sitrep_delay_reasons": self.delay_reasons,
        }

    @property
    def summary(self) -> str:
        """One line for the CLI and the audit trail."""
        counts = ", ".join(
            f"{name.removeprefix('sitrep_')} {f.height:,}" for name, f in self.frames.items()
        )
        return f"{self.file_name}: {self.month:%B %Y} ({counts} rows)"


def _org_fields(org: tables.Org) -> dict[str, str | None]:
    return {
        "org_type": org.org_type,
        "region": org.region,
        "org_code": org.org_code,
        "org_name": org.org_name,
    }


def _unique(frame: pl.DataFrame, located: Located, *columns: str) -> pl.DataFrame:
    """`frame` unchanged if each organisation has one value per `columns`.

    Raises:
        SitrepError: A column heading is repeated, which would make two values for one cell.
    """
    repeated = frame.filter(pl.struct("org_type", "org_code", *columns).is_duplicated())
    if not repeated.is_empty():
        which = ", ".join(str(repeated[c][0]) for c in columns)
        raise SitrepError(f"sheet '{located.sheet.name}': the heading '{which}' appears twice.")
    return frame


def _discharges(located: Located, month: dt.date) -> pl.DataFrame:
    layout = tables.read_layout(located)
    cells = tables.values(located, layout, lambda c: tables.pathway_of(c.heading), tables.count)
    if not cells:
        raise SitrepError(
            f"sheet '{located.sheet.name}': Table 4 has no destination columns headed P0 to P3."
        )
    rows = [
        {
            "month": month,
            **_org_fields(org),
            "destination": col.heading,
            "pathway": pathway,
            "patients": value,
        }
        for org, col, pathway, value in cells
    ]
    return _unique(pl.DataFrame(rows, schema=DISCHARGES_SCHEMA), located, "destination")


def _criteria_to_reside(located: Located, month: dt.date) -> pl.DataFrame:
    layout = tables.read_layout(located)

    def classify(col: tables.Column) -> tuple[dt.date, str] | None:
        day, measure = tables.day_of(col.group), tables.criteria_measure_of(col.heading)
        return (day, measure) if day and measure else None

    wide: dict[tuple[dt.date, str, str], dict[str, object]] = {}
    for org, _, (day, measure), value in tables.values(located, layout, classify, tables.count):
        row = wide.setdefault(
            (day, org.org_type, org.org_code), {"month": month, "day": day, **_org_fields(org)}
        )
        row[measure] = value
    return pl.DataFrame(list(wide.values()), schema=CRITERIA_SCHEMA)


def _delay_days(located: Located, month: dt.date) -> pl.DataFrame:
    layout = tables.read_layout(located)

    def classify(col: tables.Column) -> tuple[dt.date, int] | None:
        week, band = tables.day_of(col.group), tables.los_band_of(col.heading)
        return (week, band) if week and band else None

    rows = [
        {
            "month": month,
            "week_start": week,
            **_org_fields(org),
            "min_length_of_stay": band,
            "additional_bed_days": value,
        }
        for org, _, (week, band), value in tables.values(located, layout, classify, tables.count)
    ]
    return _unique(
        pl.DataFrame(rows, schema=DELAY_DAYS_SCHEMA), located, "week_start", "min_length_of_stay"
    )


def _delay_reasons(located: Located, month: dt.date) -> pl.DataFrame:
    layout = tables.read_layout(located)
    rows = [
        {"month": month, **_org_fields(org), "reason": col.heading, "average_patients": value}
        for org, col, _, value in tables.values(
            located, layout, lambda c: c.heading, tables.average
        )
    ]
    return _unique(pl.DataFrame(rows, schema=DELAY_REASONS_SCHEMA), located, "reason")


def _reporting_month(
    path: Path, sheets: Sequence, table4: Located
) -> tuple[dt.date, dt.date | None]:
    """The month from the cover's period, checked against Table 4's `<Month Year> - ...` label.

    Raises:
        SitrepError: Neither names a month, the period spans months, or the two disagree.
    """
    cover = read_cover(sheets)
    layout = tables.read_layout(table4)
    labelled = next((m for c in layout.columns if (m := month_named_in(c.group))), None)
    if cover is None:
        if labelled is None:
            raise SitrepError(
                f"{path.name}: no reporting period found (no cover sheet 'Period:' and no "
                "month in Table 4's heading)."
            )
        return labelled, None
    start, end = cover.period_start, cover.period_end
    if (start.year, start.month) != (end.year, end.month):
        raise SitrepError(
            f"{path.name}: the cover's period {start:%d %b %Y} to {end:%d %b %Y} is not one month."
        )
    month = start.replace(day=1)
    if labelled is not None and labelled != month:
        raise SitrepError(
            f"{path.name}: the cover says {month:%B %Y} but Table 4 is headed {labelled:%B %Y}."
        )
    return month, cover.published


def parse_workbook(path: str | Path) -> Edition:
    """Read one monthly workbook into tidy frames without touching the database.

    Table 4 is required; Tables 2, 3 and 5 are read when present and noted when absent.

    Raises:
        SitrepError: The file is unreadable, is not a discharge sitrep, lacks Table 4, or has a
            table whose layout or values cannot be read (the message names sheet and cell).
    """
    path = Path(path)
    sheets = read_sheets(path)
    table4 = find_table(sheets, *TABLE4_WORDS)
    if table4 is None:
        if not is_sitrep(sheets):
            raise SitrepError(
                f"{path.name}: not an NHS England Acute Discharge Situation Report (no sheet "
                "is titled 'Discharge Situation Report' and there is no Table 4 of discharges "
                "by destination)."
            )
        raise SitrepError(
            f"{path.name}: a discharge sitrep, but Table 4 (patients discharged by intended "
            "discharge destination) was not found, so it cannot be imported."
        )
    month, published = _reporting_month(path, sheets, table4)
    try:
        discharges = _discharges(table4, month)
        optional = {
            "Table 2 (criteria to reside)": (TABLE2_WORDS, _criteria_to_reside, CRITERIA_SCHEMA),
            "Table 3 (additional bed days)": (TABLE3_WORDS, _delay_days, DELAY_DAYS_SCHEMA),
            "Table 5 (delay reasons)": (TABLE5_WORDS, _delay_reasons, DELAY_REASONS_SCHEMA),
        }
        frames: dict[str, pl.DataFrame] = {}
        notes = []
        for label, (words, parse, schema) in optional.items():
            located = find_table(sheets, *words)
            if located is None:
                notes.append(f"{label} not found; skipped.")
                frames[label] = pl.DataFrame(schema=schema)
            else:
                frames[label] = parse(located, month)
    except SitrepError as err:
        raise SitrepError(f"{path.name}: {err}") from err
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    criteria, delay_days, reasons = frames.values()
    return Edition(
        file_name=path.name,
        file_sha256=digest,
        month=month,
        published=published,
        discharges=discharges,
        criteria_to_reside=criteria,
        delay_days=delay_days,
        delay_reasons=reasons,
        notes=tuple(notes),
    )


def write_editions(
    con: duckdb.DuckDBPyConnection, editions: Sequence[Edition], *, user: str | None
) -> None:
    """Replace each edition's month in every sitrep table, inside the caller's transaction.

    Also records the month's source file (`sitrep_months`), a `load_log` row and an audit entry.

    Raises:
        SitrepError: Two editions are for the same month.
    """
    months = [e.month for e in editions]
    if len(set(months)) != len(months):
        twice = sorted({m for m in months if months.count(m) > 1})
        names = [e.file_name for e in editions if e.month in twice]
        raise SitrepError(
            f"{', '.join(names)} are all for {twice[0]:%B %Y}; import one file per month."
        )
    now = utc_now()
    for table in editions[0].frames if editions else ():
        frame = pl.concat([e.frames[table] for e in editions])
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, month)", [months])  # noqa: S608
        con.register("sitrep_frame", frame.to_arrow())
        try:
            columns = ", ".join(frame.columns)
            con.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM sitrep_frame"  # noqa: S608
            )
        finally:
            con.unregister("sitrep_frame")
    for edition in editions:
        con.execute(
            "INSERT OR REPLACE INTO sitrep_months VALUES (?, ?, ?, ?, ?, ?)",
            [edition.month, edition.file_name, edition.file_sha256, edition.published, now, user],
        )
        con.execute(
            "INSERT INTO load_log (batch_id, table_name, file_name, file_sha256, rows, loaded_at,"
            " status, message, loaded_by) VALUES (?, 'sitrep_discharges', ?, ?, ?, ?, 'loaded', ?, ?)",
            [
                uuid.uuid4().hex,
                edition.file_name,
                edition.file_sha256,
                sum(f.height for f in edition.frames.values()),
                now,
                f"NHS discharge sitrep for {edition.month:%B %Y}",
                user,
            ],
        )
        audit.record(con, user=user, action="import_sitrep", detail=edition.summary)


def import_files(
    db_path: str | Path, paths: Sequence[str | Path], *, user: str | None
) -> list[Edition]:
    """Parse every workbook, then write them all in one writer transaction.

    All or nothing: if any file is rejected, nothing is written.

    Raises:
        SitrepError: A workbook was rejected (nothing written).
        writer.DatabaseBusy: Another write held the database too long.
    """
    from ascdemand.store import writer

    editions = [parse_workbook(p) for p in paths]
    with writer.transaction(db_path) as con:
        write_editions(con, editions, user=user)
    return editions
