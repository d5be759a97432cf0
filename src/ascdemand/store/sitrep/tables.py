"""Turning one sitrep table into tidy rows: organisation blocks, then one value per column.

Every table has the same layout: a heading, a header (a group row such as the day or the month,
then the measure headings), an ENGLAND row and the regions, then an ICB block and a trust block
each under its own `Region | ... Code | ... Name` row. The layout is found from those words, so
moved rows, added rows and added columns are all handled.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ascdemand.store.sitrep.workbook import ENGLAND, Located, SitrepError, parse_date

T = TypeVar("T")

# Cells NHS England uses for "not available / suppressed / not applicable".
_MISSING_MARKS = frozenset({"-", "–", "*", "..", "x", ":", "n/a", "na"})
_PATHWAY = re.compile(r"^\s*p(?:athway)?\s*([0-3])", re.IGNORECASE)
_LOS_BAND = re.compile(r"(\d+)\s*\+\s*days?", re.IGNORECASE)
_WEEK_OF = re.compile(r"(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class Column:
    """One value column: its measure heading and the group heading above it (day, week, month)."""

    index: int
    heading: str
    group: str | None


@dataclass(frozen=True, slots=True)
class Org:
    """One organisation row of a table."""

    org_type: str
    region: str | None
    org_code: str
    org_name: str
    cells: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """A table's value columns and its organisation rows."""

    columns: tuple[Column, ...]
    orgs: tuple[Org, ...]


def _cell(row: tuple[str | None, ...], j: int) -> str | None:
    return row[j] if j < len(row) else None


def _header_rows(located: Located, england_row: int, name_col: int) -> tuple[int, int | None]:
    """The measure heading row (nearest above ENGLAND with text right of the name column) and the
    group row above it, if any."""
    rows = located.sheet.rows

    def has_values(i: int) -> bool:
        return any(v is not None for v in rows[i][name_col + 1 :])

    above = [i for i in range(england_row - 1, located.heading_row, -1) if has_values(i)]
    if not above:
        raise SitrepError(f"sheet '{located.sheet.name}': no column headings above ENGLAND.")
    return above[0], (above[1] if len(above) > 1 else None)


def read_layout(located: Located) -> Layout:
    """Find the value columns and every England, region, ICB and trust row of a table.

    Raises:
        SitrepError: The table has no ENGLAND row or no column headings, or an organisation
            appears twice.
    """
    rows = located.sheet.rows
    where = f"sheet '{located.sheet.name}' ({located.heading[:60]})"
    england = next(
        (
            (i, j)
            for i in range(located.heading_row + 1, len(rows))
            for j, text in enumerate(rows[i])
            if text is not None and ENGLAND.match(text)
        ),
        None,
    )
    if england is None:
        raise SitrepError(f"{where}: no ENGLAND row, so the table's layout is not recognised.")
    england_row, name_col = england
    heading_row, group_row = _header_rows(located, england_row, name_col)
    columns = []
    group = None
    for j in range(name_col + 1, len(rows[heading_row])):
        if group_row is not None:
            group = _cell(rows[group_row], j) or group
        heading = rows[heading_row][j]
        if heading is not None:
            columns.append(Column(index=j, heading=heading, group=group))

    orgs: list[Org] = []
    block: tuple[str, int, int, int] | None = None  # org_type, region, code and name columns
    for row in rows[england_row:]:
        lowered = [(v or "").lower() for v in row]
        if "region" in lowered and any("code" in v for v in lowered):
            code_col = next(j for j, v in enumerate(lowered) if "code" in v)
            name_at = next((j for j, v in enumerate(lowered) if "name" in v), code_col + 1)
            org_type = "icb" if "icb" in lowered[code_col] else "trust"
            block = (org_type, lowered.index("region"), code_col, name_at)
            continue
        cells = tuple(_cell(row, c.index) for c in columns)
        if block is None:
            name = _cell(row, name_col)
            if name is None or all(v is None for v in cells):
                continue
            if ENGLAND.match(name):
                orgs.append(Org("england", None, "ENGLAND", name, cells))
            else:
                orgs.append(Org("region", name, name.upper(), name, cells))
            continue
        org_type, region_col, code_col, name_at = block
        code, name = _cell(row, code_col), _cell(row, name_at)
        if code is None or name is None:
            continue  # blank line or footnote
        orgs.append(Org(org_type, _cell(row, region_col), code.upper(), name, cells))

    seen: set[tuple[str, str]] = set()
    for org in orgs:
        key = (org.org_type, org.org_code)
        if key in seen:
            raise SitrepError(f"{where}: {org.org_type} {org.org_code} appears twice.")
        seen.add(key)
    return Layout(columns=tuple(columns), orgs=tuple(orgs))


def _number(text: str | None, where: Callable[[], str]) -> float | None:
    """A cell's number; None for blank or a suppression mark such as `-`.

    Raises:
        SitrepError: Any other text, or a negative number.
    """
    if text is None or text.strip().lower() in _MISSING_MARKS:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise SitrepError(f"{where()}: expected a number or '-', found {text!r}.") from None
    if value < 0:
        raise SitrepError(f"{where()}: negative value {text!r}.")
    return value


def count(text: str | None, where: Callable[[], str]) -> int | None:
    """A whole-number count from a cell; None for blank or `-`, never 0 by default.

    Raises:
        SitrepError: Text that is not a count.
    """
    value = _number(text, where)
    if value is None:
        return None
    if not value.is_integer():
        raise SitrepError(f"{where()}: expected a whole number, found {text!r}.")
    return int(value)


def average(text: str | None, where: Callable[[], str]) -> float | None:
    """A non-negative average from a cell; None for blank or `-`."""
    return _number(text, where)


def pathway_of(heading: str) -> str | None:
    """`P0`..`P3` from a destination heading (`P3b - Care Home ...` is P3); None otherwise."""
    match = _PATHWAY.match(heading)
    return f"P{match.group(1)}" if match else None


def los_band_of(heading: str) -> int | None:
    """The length-of-stay threshold in days from `... length of stay of 14+ days`, or None."""
    match = _LOS_BAND.search(heading)
    return int(match.group(1)) if match else None


def day_of(group: str | None) -> dt.date | None:
    """The date of a day or week group heading (`2022-04-01 00:00:00`, `w/c 01/04/2022 ...`)."""
    if group is None:
        return None
    direct = parse_date(group)
    if direct is not None:
        return direct
    match = _WEEK_OF.search(group)
    return parse_date(match.group(1)) if match else None


def criteria_measure_of(heading: str) -> str | None:
    """Which Table 2 measure a heading names: `remaining`, `discharged` or
    `not_meeting_criteria` (checked in that order, as all three mention the criteria)."""
    lowered = heading.lower()
    if "remain" in lowered:
        return "remaining"
    if "discharged" in lowered:
        return "discharged"
    if "criteria" in lowered:
        return "not_meeting_criteria"
    return None


def where_in(located: Located, org: Org, column: Column) -> Callable[[], str]:
    """A lazy description of one cell for error messages."""
    return lambda: (
        f"sheet '{located.sheet.name}', {org.org_type} {org.org_code}, column "
        f"'{column.heading[:50]}'" + (f" under '{column.group[:30]}'" if column.group else "")
    )


def values(
    located: Located,
    layout: Layout,
    classify: Callable[[Column], T | None],
    convert: Callable[[str | None, Callable[[], str]], object],
) -> list[tuple[Org, Column, T, object]]:
    """Every (organisation, column, class, value) for the columns `classify` recognises.

    Columns it does not recognise (say, an added total) are left out.
    """
    kept = [(pos, c, k) for pos, c in enumerate(layout.columns) if (k := classify(c)) is not None]
    return [
        (org, col, kind, convert(org.cells[pos], where_in(located, org, col)))
        for org in layout.orgs
        for pos, col, kind in kept
    ]
