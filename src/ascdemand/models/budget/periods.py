"""Financial years and periods: April is period 1, March period 12; years are labelled "2021/22"."""

from __future__ import annotations

import calendar
import re
from datetime import date

_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


def year_label(start_year: int) -> str:
    """The label of the financial year that starts in April of `start_year` ("2021/22")."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def start_year(label: str) -> int:
    """The calendar year in which financial year `label` starts.

    Raises:
        ValueError: If `label` is not like "2021/22".
    """
    match = _LABEL.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"Financial year must look like 2021/22, not {label!r}.")
    return int(match[1])


def period_bounds(label: str, period: int) -> tuple[date, date]:
    """First and last day of `period` (1 = April) of financial year `label`."""
    if not 1 <= period <= 12:
        raise ValueError(f"Period must be 1 to 12, not {period}.")
    year = start_year(label) + (1 if period >= 10 else 0)
    month = (period + 2) % 12 + 1
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_end(label: str, period: int) -> date:
    """The last day of `period` of financial year `label`."""
    return period_bounds(label, period)[1]


def year_end(label: str) -> date:
    """31 March at the end of financial year `label`."""
    return date(start_year(label) + 1, 3, 31)


def period_of(day: date) -> tuple[str, int]:
    """The financial year label and period that contain `day`."""
    first = day.year if day.month >= 4 else day.year - 1
    return year_label(first), (day.month - 4) % 12 + 1


def last_complete_period(label: str, as_at: date) -> int:
    """The last period of `label` whose final day is on or before `as_at` (0 if none)."""
    complete = [p for p in range(1, 13) if period_end(label, p) <= as_at]
    return max(complete, default=0)
