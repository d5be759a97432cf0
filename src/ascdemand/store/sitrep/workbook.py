"""Reading a sitrep workbook as text grids and finding its parts by their words, not positions.

Editions differ: header rows move, sheets are added before the cover, headings change a little.
So every sheet is read whole as text (fastexcel, in a child process: `safe_workbook`), and the
cover, the period and each table are found by what their cells say.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ascdemand.store.safe_workbook import WorkbookError, read_workbook

Row = tuple[str | None, ...]

# How far down a sheet a title or a table heading may sit.
_HEADING_ROWS = 25
_TABLE_HEADING = re.compile(r"^table\s*\d+[a-z]?\s*[:.\-–]", re.IGNORECASE)
_SITREP_TITLE = re.compile(r"discharge\s+(situation\s+report|sitrep)", re.IGNORECASE)
_MONTHS = [m.lower() for m in calendar.month_name[1:]]
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
ENGLAND = re.compile(r"^england\b", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y")


class SitrepError(ValueError):
    """The workbook cannot be imported as a discharge sitrep; the message says why."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as text: `rows[i][j]` is the cell's text with whitespace collapsed, or None.

    Leading empty rows and columns are dropped by the reader, so indices are not cell addresses.
    """

    name: str
    rows: tuple[Row, ...]

    def cells(self, max_rows: int | None = None) -> Iterable[tuple[int, int, str]]:
        """Every non-empty cell as (row, column, text), top to bottom, left to right."""
        for i, row in enumerate(self.rows[:max_rows]):
            for j, text in enumerate(row):
                if text is not None:
                    yield i, j, text


@dataclass(frozen=True, slots=True)
class Located:
    """A table found in a workbook: its sheet and the row of its `Table N: ...` heading."""

    sheet: Sheet
    heading_row: int
    heading: str


def clean(text: object) -> str | None:
    """Cell text with runs of whitespace (including line breaks) collapsed; None if blank."""
    if text is None:
        return None
    joined = " ".join(str(text).split())
    return joined or None


def read_sheets(path: str | Path) -> tuple[Sheet, ...]:
    """Every non-empty sheet of the workbook at `path`, as text, read in a child process
    (`safe_workbook`) so that a hostile workbook cannot take the app down.

    Raises:
        SitrepError: The file is missing, is not a readable Excel workbook, is out of
            proportion (refused before reading), or crashed or exhausted the reader.
    """
    path = Path(path)
    if not path.is_file():
        raise SitrepError(f"{path.name}: file not found at {path}.")
    try:
        read = read_workbook(path, skip_rows=None)
    except WorkbookError as exc:
        if exc.kind == "unreadable":
            raise _unreadable(path, str(exc)) from exc
        raise SitrepError(f"{path.name}: {exc}.") from exc
    sheets = []
    for sheet in read:
        if sheet.frame is None:
            raise _unreadable(path, sheet.error or "a sheet could not be read")
        rows = tuple(tuple(clean(v) for v in row) for row in sheet.frame.rows())
        sheets.append(Sheet(name=sheet.name, rows=rows))
    return tuple(s for s in sheets if s.rows)


def _unreadable(path: Path, reason: str) -> SitrepError:
    first_line = (reason.splitlines() or [""])[0]
    return SitrepError(
        f"{path.name}: not a readable Excel workbook (.xlsx); it may be damaged or in "
        f"another format ({first_line})."
    )


def is_sitrep(sheets: Iterable[Sheet]) -> bool:
    """Whether any sheet's top rows name the Acute Discharge Situation Report."""
    return any(_SITREP_TITLE.search(text) for s in sheets for _, _, text in s.cells(_HEADING_ROWS))


def find_table(sheets: Iterable[Sheet], *keywords: str) -> Located | None:
    """The first `Table N: ...` heading whose words include every keyword (case-insensitive)
    and that has an ENGLAND row below it.

    Matching words rather than the table number keeps working when tables are renumbered or
    sheets renamed; requiring the ENGLAND row below skips a contents page that repeats the
    heading.
    """
    wanted = [k.lower() for k in keywords]
    for sheet in sheets:
        for i, _, text in sheet.cells(_HEADING_ROWS):
            lowered = text.lower()
            if not (_TABLE_HEADING.match(text) and all(k in lowered for k in wanted)):
                continue
            below = (v for row in sheet.rows[i + 1 :] for v in row if v is not None)
            if any(ENGLAND.match(v) for v in below):
                return Located(sheet=sheet, heading_row=i, heading=text)
    return None


def parse_date(text: str | None) -> dt.date | None:
    """A date from a cell's text (`2022-04-01 00:00:00`, `01/04/2022`, ...), or None."""
    if text is None:
        return None
    candidate = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    return None


def month_named_in(text: str | None) -> dt.date | None:
    """The first day of the month named in text such as `April 2022 - Total ...`, or None."""
    match = _MONTH_YEAR.search(text or "")
    if match is None:
        return None
    return dt.date(int(match.group(2)), _MONTHS.index(match.group(1).lower()) + 1, 1)


@dataclass(frozen=True, slots=True)
class CoverFacts:
    """What the cover sheet says about the edition."""

    period_start: dt.date
    period_end: dt.date
    published: dt.date | None


def read_cover(sheets: Iterable[Sheet]) -> CoverFacts | None:
    """The reporting period and publication date from the cover sheet, wherever it sits.

    The cover is the sheet with a `Period:` label beside dates; the dates are read from the
    cells to the right of the label. Returns None when no sheet has such a label.
    """
    for sheet in sheets:
        labels = {
            text.lower().rstrip(":").strip(): i
            for i, j, text in sheet.cells(_HEADING_ROWS)
            if text.endswith(":") or j == 0
        }
        if "period" not in labels:
            continue
        row = sheet.rows[labels["period"]]
        period = [d for d in map(parse_date, row) if d is not None]
        if not period:
            period = [d for d in map(month_named_in, row) if d is not None]
            period += [d.replace(day=calendar.monthrange(d.year, d.month)[1]) for d in period]
        if not period:
            continue
        published = None
        if "published" in labels:
            published = next(
                (d for d in map(parse_date, sheet.rows[labels["published"]]) if d), None
            )
        return CoverFacts(period_start=min(period), period_end=max(period), published=published)
    return None
