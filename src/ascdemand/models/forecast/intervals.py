"""Input checks and the shared output frame: every model returns the same columns.

A model produces a point forecast and the standard deviation of its error at each step; this
module turns them into Gaussian prediction intervals, clipped at zero for counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy.stats import norm

Levels = Sequence[int]


def check_series(y: np.ndarray | Sequence[float], horizon: int, *, minimum: int = 2) -> np.ndarray:
    """The series as a 1-D float array, after refusing NaN, too few points and a bad horizon.

    Raises:
        ValueError: `y` holds NaN or infinity, is not 1-D, is shorter than `minimum`, or
            `horizon` < 1.
    """
    values = np.asarray(y, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"Expected a 1-D series, got shape {values.shape}.")
    if not np.isfinite(values).all():
        raise ValueError("The series contains NaN or infinite values: fill or drop them first.")
    if values.size < minimum:
        raise ValueError(f"The series needs at least {minimum} points, got {values.size}.")
    if horizon < 1:
        raise ValueError(f"The horizon must be at least 1, got {horizon}.")
    return values


def check_origins(origins: np.ndarray | Sequence[int], n: int, *, minimum: int = 1) -> np.ndarray:
    """Training lengths as an integer array, each between `minimum` and `n`.

    Raises:
        ValueError: An origin leaves fewer than `minimum` points or more than the series has.
    """
    t = np.asarray(origins, dtype=int).reshape(-1)
    if t.size and (t.min() < minimum or t.max() > n):
        raise ValueError(f"Origins must train on {minimum} to {n} points, got {t.min()}-{t.max()}.")
    return t


def z_score(level: int) -> float:
    """The two-sided standard-normal quantile of a `level`% interval (80 -> 1.2816)."""
    return float(norm.ppf(0.5 + level / 200))


def gaussian_frame(
    mean: np.ndarray,
    sd: np.ndarray,
    *,
    levels: Levels,
    nonnegative: bool,
    half_widths: dict[int, np.ndarray] | None = None,
) -> pl.DataFrame:
    """The forecast table: `step`, `mean`, `sd`, then `lo_L`/`hi_L` for every level `L`.

    Args:
        mean: Point forecast per step.
        sd: Standard deviation of the forecast error per step (kept as a column so that the
            backtest can standardise errors and calibrate intervals).
        levels: Interval coverages in percent.
        nonnegative: Clip mean and bounds at zero (counts and hours cannot be negative).
        half_widths: Interval half-widths per level, replacing `z * sd` (calibrated intervals).

    Returns:
        One row per step, oldest first.
    """
    mean = np.asarray(mean, dtype=float)
    sd = np.maximum(np.asarray(sd, dtype=float), 0.0)
    columns: dict[str, np.ndarray] = {
        "step": np.arange(1, mean.size + 1),
        "mean": mean,
        "sd": sd,
    }
    for level in levels:
        half = half_widths[level] if half_widths else z_score(level) * sd
        columns[f"lo_{level}"] = mean - half
        columns[f"hi_{level}"] = mean + half
    if nonnegative:
        for name in columns:
            if name not in ("step", "sd"):
                columns[name] = np.maximum(columns[name], 0.0)
    return pl.DataFrame(columns)
