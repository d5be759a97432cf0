"""Checking that a table of dated values is a regular weekly or monthly series.

Forecast models assume one value per period with no gaps; a missing week silently shifts
every seasonal lag, so gaps and repeated dates are refused with the dates named.
"""

from __future__ import annotations

import polars as pl

__all__ = ["DEFAULT_HORIZON", "SEASON_LENGTH", "regular_series"]

SEASON_LENGTH = {"W": 52, "M": 12}
DEFAULT_HORIZON = {"W": 13, "M": 3}


def regular_series(
    frame: pl.DataFrame, *, date_col: str, value_col: str, freq: str
) -> pl.DataFrame:
    """The `date` and `value` columns of `frame`, oldest first, checked to be regular.

    Args:
        frame: Any table with a date column (dates or ISO strings) and a numeric column.
        date_col: Name of the date column.
        value_col: Name of the value column.
        freq: `W` (one row every 7 days) or `M` (one row per calendar month).

    Returns:
        `date` (Date) and `value` (Float64).

    Raises:
        ValueError: A column is missing, a date or value does not parse or is blank, a date
            repeats, or a period is missing.
    """
    if freq not in SEASON_LENGTH:
        raise ValueError(f"freq must be W or M, got {freq!r}.")
    for col in (date_col, value_col):
        if col not in frame.columns:
            raise ValueError(f"Column {col!r} not found; the columns are {frame.columns}.")
    dates = frame[date_col]
    if dates.dtype == pl.String:
        dates = dates.str.strip_chars().str.to_date(strict=False)
    elif dates.dtype == pl.Datetime:
        dates = dates.dt.date()
    if dates.dtype != pl.Date or dates.null_count():
        raise ValueError(f"Column {date_col!r} has values that are not dates (use YYYY-MM-DD).")
    values = frame[value_col].cast(pl.Float64, strict=False)
    if values.null_count() or values.is_nan().any():
        raise ValueError(f"Column {value_col!r} has blank or non-numeric values.")
    series = pl.DataFrame({"date": dates, "value": values}).sort("date")
    repeated = series.filter(pl.col("date").is_duplicated())["date"].unique().sort()
    if repeated.len():
        raise ValueError(f"Dates repeat: {', '.join(map(str, repeated.head(5)))}.")
    if freq == "W":
        step_ok = series["date"].diff().dt.total_days().drop_nulls() == 7
    else:
        months = series["date"].dt.year() * 12 + series["date"].dt.month()
        step_ok = months.diff().drop_nulls() == 1
    if not step_ok.all():
        gap = series["date"][int(step_ok.arg_min())]
        period = "week" if freq == "W" else "month"
        raise ValueError(f"Not one row per {period}: a gap or uneven step after {gap}.")
    return series
