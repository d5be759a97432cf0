"""Sudden jumps in a weekly count: weeks far above or below the recent normal."""

from __future__ import annotations

import polars as pl


def flag_jumps(
    frame: pl.DataFrame, column: str, *, window: int = 8, threshold: float = 0.5
) -> pl.DataFrame:
    """Weeks where `column` differs from the mean of the previous `window` weeks by more than
    `threshold` (a share of that mean), e.g. a doubled week of new clients after a system change.

    Returns the input rows that jump, with `expected` and `change` (as a share) added.
    """
    expected = pl.col(column).shift(1).rolling_mean(window, min_samples=window)
    return (
        frame.with_columns(expected.alias("expected"))
        .with_columns(((pl.col(column) - pl.col("expected")) / pl.col("expected")).alias("change"))
        .filter(pl.col("expected") > 0, pl.col("change").abs() > threshold)
    )
