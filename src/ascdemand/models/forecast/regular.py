"""Turning a table of dated values, as published, into a regular weekly or monthly series.

Published series are written in many ways: ISO dates, date-times with a midnight time
(`2021-03-26 00:00:00`), DD/MM/YYYY, Excel serial day numbers; weeks labelled by the day they
start or the day they end, and sometimes a change of convention mid-series (NHS England's
weekly discharge series ends its weeks on Fridays until June 2022 and starts them on Mondays
after). Every date is read row by row, then dated by its period: a week by the Monday of the
week it falls in, a month by its first day. A period with no row, or a row with a blank or
suppressed value (`*`, `-`, `..`, `n/a`), is filled by straight-line interpolation between its
neighbours, with a warning naming it; blank values at the very start or end are left out, also
with a warning. Two rows in one period are refused, since a forecast needs one value per period.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import polars as pl

from ascdemand.models.forecast.backtest import needed

__all__ = [
    "DEFAULT_HORIZON",
    "PERIOD",
    "SEASON_LENGTH",
    "Regular",
    "check_length",
    "parse_date",
    "period_start",
    "regular_series",
]

SEASON_LENGTH = {"W": 52, "M": 12}
DEFAULT_HORIZON = {"W": 13, "M": 3}
PERIOD = {"W": "week", "M": "month"}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, counting its phantom 29 February 1900
_SERIAL_RANGE = (10_000, 100_000)  # 1927 to 2173: anything else is not a plausible date
_MISSING = {"", "*", "-", "..", ":", "x", "n/a", "na", "nan", "null", "none"}
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
DATE_FORMATS = "YYYY-MM-DD (with or without a time), DD/MM/YYYY or an Excel serial day number"


@dataclass(frozen=True, slots=True)
class Regular:
    """A regular series: `frame` with `date` (each period's first day) and `value`, oldest
    first, one row per period; `freq` W or M; `warnings`, what was changed to get there."""

    frame: pl.DataFrame
    freq: str
    warnings: tuple[str, ...]

    @property
    def values(self):
        return self.frame["value"].to_numpy()


def parse_date(text: object) -> dt.date | None:
    """One published date as a `date`, or None when it is not one.

    Accepts `date`/`datetime` objects, ISO dates with or without a time, DD/MM/YYYY (UK
    order, with or without a time) and Excel serial day numbers (10000 to 100000, i.e. 1927 to
    2173; 44286 is 31 March 2021).
    """
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if isinstance(text, int | float) and not isinstance(text, bool):
        return _serial(float(text))
    if not isinstance(text, str):
        return None
    s = text.strip()
    try:
        if match := _ISO.fullmatch(s):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _DMY.fullmatch(s):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    if _SERIAL.fullmatch(s):
        return _serial(float(s))
    return None


def _serial(number: float) -> dt.date | None:
    if not number.is_integer() or not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def period_start(date: dt.date, freq: str) -> dt.date:
    """The Monday of the week `date` falls in (W), or the first of its month (M)."""
    if freq == "W":
        return date - dt.timedelta(days=date.weekday())
    return date.replace(day=1)


def _next(date: dt.date, freq: str) -> dt.date:
    if freq == "W":
        return date + dt.timedelta(weeks=1)
    return (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _number(text: object) -> float | None:
    """A published number as a float: thousands commas allowed; None when missing."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return None if math.isnan(text) else float(text)
    s = str(text).strip()
    if s.lower() in _MISSING:
        return None
    if not _NUMBER.fullmatch(s) or not any(c.isdigit() for c in s):
        raise ValueError(s)
    return float(s.replace(",", ""))


def infer_freq(dates: list[dt.date]) -> str:
    """W or M from the typical gap between successive dates.

    Raises:
        ValueError: Too few dates, or gaps that are neither about a week nor about a month.
    """
    ordered = sorted(set(dates))
    gaps = sorted((b - a).days for a, b in zip(ordered, ordered[1:], strict=False))
    if not gaps:
        raise ValueError("Too few dates to tell weekly from monthly data.")
    typical = gaps[len(gaps) // 2]
    if 5 <= typical <= 10:
        return "W"
    if 26 <= typical <= 33:
        return "M"
    raise ValueError(
        f"The dates are typically {typical} days apart: neither weekly nor monthly "
        "(give --freq W or M, or aggregate the data first)."
    )


def check_length(n: int, horizon: int, freq: str) -> None:
    """Refuse a series too short to forecast `horizon` periods, saying how many it needs.

    Raises:
        ValueError: Fewer than `backtest.needed(horizon)` periods.
    """
    if n < needed(horizon):
        unit = PERIOD[freq]
        raise ValueError(
            f"Too short to forecast: {n} {unit}s; {horizon} {unit}s ahead needs at least "
            f"{needed(horizon)} {unit}s (or a shorter --horizon)."
        )


def _fmt(date: dt.date, freq: str) -> str:
    return f"{date:%d %b %Y}" if freq == "W" else f"{date:%b %Y}"


def _listed(dates: list[dt.date], freq: str, most: int = 5) -> str:
    shown = ", ".join(_fmt(d, freq) for d in dates[:most])
    return shown + (f" and {len(dates) - most} more" if len(dates) > most else "")


def regular_series(
    frame: pl.DataFrame, *, date_col: str, value_col: str, freq: str | None = None
) -> Regular:
    """The dated values of `frame` as one value per week or month, oldest first.

    Args:
        frame: Any table with a date column and a numeric column (strings, numbers or dates).
        date_col: Name of the date column.
        value_col: Name of the value column.
        freq: `W` (weekly) or `M` (monthly); None to tell from the dates.

    Returns:
        The regular series and the warnings about what was done to it (weeks redated to
        Mondays when labelled otherwise, periods filled by interpolation, blank ends dropped).

    Raises:
        ValueError: A column is missing; a date or a value does not parse (the first is
            named, with its row); two rows fall in one period; fewer than two values.
    """
    if freq is not None and freq not in SEASON_LENGTH:
        raise ValueError(f"freq must be W or M, got {freq!r}.")
    for col in (date_col, value_col):
        if col not in frame.columns:
            raise ValueError(f"Column {col!r} not found; the columns are {frame.columns}.")
    raw_dates, raw_values = frame[date_col].to_list(), frame[value_col].to_list()
    rows: list[tuple[dt.date, float | None]] = []
    for i, (d, v) in enumerate(zip(raw_dates, raw_values, strict=True), start=2):
        if d is None or (isinstance(d, str) and not d.strip()):
            if _number(v) is None:
                continue  # an empty line, e.g. below the table
            raise ValueError(f"Column {date_col!r} is blank on row {i}.")
        date = parse_date(d)
        if date is None:
            raise ValueError(
                f"Column {date_col!r} has values that are not dates: {d!r} on row {i} "
                f"(accepted: {DATE_FORMATS})."
            )
        try:
            rows.append((date, _number(v)))
        except ValueError:
            raise ValueError(
                f"Column {value_col!r} has a value that is not a number: {v!r} on row {i}."
            ) from None
    freq = freq or infer_freq([d for d, _ in rows])
    return _regularise(rows, freq)


def _regularise(rows: list[tuple[dt.date, float | None]], freq: str) -> Regular:
    notes: list[str] = []
    by_period: dict[dt.date, tuple[dt.date, float | None]] = {}
    for date, value in sorted(rows, key=lambda r: r[0]):
        start = period_start(date, freq)
        if start in by_period:
            first = by_period[start][0]
            raise ValueError(
                f"Two rows fall in the {PERIOD[freq]} of {_fmt(start, freq)}: {first} and "
                f"{date}. A forecast needs one value per {PERIOD[freq]}"
                + (" (is this daily data?)." if (date - first).days <= 2 else ".")
            )
        by_period[start] = (date, value)
    if freq == "W":
        notes += _relabelled(sorted(d for d, _ in by_period.values()))
    periods = sorted(by_period)
    values: dict[dt.date, float | None] = {p: by_period[p][1] for p in periods}
    known = [p for p in periods if values[p] is not None]
    if len(known) < 2:
        raise ValueError(f"Fewer than two {PERIOD[freq]}s have a value.")
    dropped = [p for p in periods if p < known[0] or p > known[-1]]
    if dropped:
        notes.append(
            f"Left out {len(dropped)} {PERIOD[freq]}(s) with no value at the start or end: "
            f"{_listed(dropped, freq)}."
        )
    grid, date = [], known[0]
    while date <= known[-1]:
        grid.append(date)
        date = _next(date, freq)
    missing = [p for p in grid if values.get(p) is None]
    if missing:
        notes.append(
            f"Filled {len(missing)} missing {PERIOD[freq]}(s) by straight-line interpolation "
            f"between their neighbours: {_listed(missing, freq)}."
        )
    series = pl.DataFrame({"date": grid, "value": [values.get(p) for p in grid]}).with_columns(
        pl.col("value").cast(pl.Float64).interpolate()
    )
    return Regular(series, freq, tuple(notes))


def _relabelled(dates: list[dt.date]) -> list[str]:
    """A note when weeks are labelled by another day than Monday, naming any change of day."""
    runs: list[tuple[int, dt.date, dt.date]] = []  # weekday, first, last
    for d in dates:
        if runs and runs[-1][0] == d.weekday():
            runs[-1] = (runs[-1][0], runs[-1][1], d)
        else:
            runs.append((d.weekday(), d, d))
    if len(runs) == 1 and runs[0][0] == 0:
        return []
    if len(runs) == 1:
        return [f"Weeks are labelled on {_WEEKDAYS[runs[0][0]]}; each is dated by its Monday."]
    if len(runs) <= 4:
        story = ", then ".join(
            f"{_WEEKDAYS[day]} ({first:%d %b %Y} to {last:%d %b %Y})" for day, first, last in runs
        )
        return [f"The weeks change labelling day: {story}; each is dated by its Monday."]
    return ["Weeks are labelled on mixed days of the week; each is dated by its Monday."]
