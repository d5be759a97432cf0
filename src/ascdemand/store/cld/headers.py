"""The CLD columns the import reads, and matching a file's headers to them.

Councils export the headers spaced ("Event Start Date", "Cost Frequency (Unit Type)") and
database copies underscore them (`Event_Start_Date`); both, and any mix of case, spaces,
underscores and punctuation, match the same column.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polars as pl

from ascdemand.store.contract import Column, Table
from ascdemand.store.ingest import DEFAULT_MAX_BYTES, Extract, UnreadableFile, read_extract
from ascdemand.store.validate import ROW, normalise_header

# Field name -> the header as the CLD Release 1 specification writes it. Only these columns
# are read; names, GP details and the rest of the return are never taken from the file.
REQUIRED = {
    "reporting_period_end": "Reporting Period End Date",
    "date_of_birth": "Date of Birth",
    "client_type": "Client Type",
    "primary_support_reason": "Primary Support Reason",
    "postcode": "Postcode",
    "event_type": "Event Type",
    "event_reference": "Event Reference",
    "event_start": "Event Start Date",
    "event_end": "Event End Date",
    "route_of_access": "Request: Route of Access",
    "service_type": "Service Type",
    "service_component": "Service Component",
    "delivery_mechanism": "Delivery Mechanism",
    "unit_cost": "Unit Cost",
    "cost_frequency": "Cost Frequency (Unit Type)",
    "planned_units": "Planned units per week",
}
OPTIONAL = {
    "la_person_id": "LA Person Unique Identifier",
    "nhs_number": "NHS Number",
    "date_of_death": "Date of Death",
    "provider": "Provider CQC Location Name",
}
PERSON_FIELDS = ("la_person_id", "nhs_number")
HEADERS = REQUIRED | OPTIONAL
# Shorter spellings some councils use, by header key.
_ALIASES = {
    "routeofaccess": "route_of_access",
    "costfrequency": "cost_frequency",
    "personuniqueidentifier": "la_person_id",
    "lapersonid": "la_person_id",
}

# A stand-in contract table so the extract readers find the CLD header row (and, in a
# workbook, the sheet holding it) the way they find an extract's.
READER_TABLE = Table(
    name="CLD return",
    description="Adult Social Care Client Level Data return, Release 1",
    key=("event_reference",),
    columns=tuple(Column(normalise_header(h), "text") for h in REQUIRED.values()),
)


def header_key(name: str) -> str:
    """`'Cost Frequency (Unit Type)'` and `'cost_frequency_unit_type'` -> `'costfrequencyunittype'`."""
    return re.sub(r"[^0-9a-z]", "", str(name).replace("\ufeff", "").lower())


_FIELD_BY_KEY = {header_key(h): f for f, h in HEADERS.items()} | _ALIASES


def cld_columns(extract: Extract) -> tuple[pl.DataFrame, dict[str, str]]:
    """The columns the import needs from a file read (text, named by field, blank as null, with
    the spreadsheet row of each record in `ROW`) and each field's header as the file writes it.

    Raises:
        UnreadableFile: A required CLD column is missing or one appears twice.
    """
    columns = [c for c in extract.frame.columns if c != ROW]
    found = {c: _FIELD_BY_KEY.get(header_key(c)) for c in columns}
    fields = Counter(f for f in found.values() if f)
    repeated = sorted(HEADERS[f] for f, n in fields.items() if n > 1)
    missing = [HEADERS[f] for f in REQUIRED if f not in fields]
    if not any(f in fields for f in PERSON_FIELDS):
        missing.append(" or ".join(HEADERS[f] for f in PERSON_FIELDS))
    if repeated or missing:
        reasons = [f"the column {h} appears more than once" for h in repeated]
        reasons += [f"the required column {h} is missing" for h in missing]
        raise UnreadableFile(
            "; ".join(reasons) + " (is this a CLD Release 1 return?)", extract.first_row - 1
        )
    headers = {f: c for c, f in found.items() if f} | {
        f: h for f, h in OPTIONAL.items() if f not in fields
    }
    first = extract.first_row
    frame = extract.frame.select(
        *(
            pl.col(c).cast(pl.String).str.strip_chars().replace("", None).alias(f)
            for c, f in found.items()
            if f
        ),
        *(pl.lit(None, pl.String).alias(f) for f in OPTIONAL if f not in fields),
        pl.int_range(first, first + extract.frame.height, dtype=pl.Int64).alias(ROW),
    )
    return frame, headers


def read_cld_extract(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Extract:
    """Read a CLD file (CSV or Excel) as the extract readers read any file.

    Raises:
        UnreadableFile: Missing, too large, of a type we do not read, corrupt, or with rows of
            the wrong shape.
    """
    extract = read_extract(path, READER_TABLE, max_bytes=max_bytes)
    if extract.problems:
        first = extract.problems[0]
        more = len(extract.problems) - 1
        raise UnreadableFile(
            first.message + (f" (and {more} more such problem(s))" if more else ""),
            first.row,
            first.column,
        )
    return extract
