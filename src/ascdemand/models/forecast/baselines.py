"""Benchmark forecasts: naive, seasonal naive, drift and the historical mean.

Each is the textbook method with its textbook error variance (Hyndman & Athanasopoulos,
Forecasting: Principles and Practice, 3rd ed., section 5.5,
https://otexts.com/fpp3/prediction-intervals.html). Any other model must beat these in the
backtest to be chosen.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ascdemand.models.forecast.intervals import Levels, check_series, gaussian_frame

__all__ = ["drift", "historic_mean", "naive", "seasonal_naive"]


def _rms(residuals: np.ndarray) -> float:
    """Root mean square of the one-step residuals (0 when there are none)."""
    return float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0


def naive(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Forecast every future step as the last observed value.

    Args:
        y: Regular series, oldest first; no NaN.
        horizon: Steps to forecast; at least 1.
        season_length: Unused; accepted so that every model has the same signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; sd at step h is sigma * sqrt(h), sigma the RMS of
        the first differences.
    """
    y = check_series(y, horizon)
    h = np.arange(1, horizon + 1)
    sigma = _rms(np.diff(y))
    return gaussian_frame(
        np.full(horizon, y[-1]), sigma * np.sqrt(h), levels=levels, nonnegative=nonnegative
    )


def seasonal_naive(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Forecast each step as the value one season earlier.

    With less than one full season of history it falls back to the naive forecast.

    Args:
        y: Regular series, oldest first; no NaN.
        horizon: Steps to forecast; at least 1.
        season_length: Steps per seasonal cycle (52 for weeks, 12 for months).
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; sd at step h is sigma * sqrt(k + 1) with
        k = floor((h - 1) / m), sigma the RMS of the seasonal differences.
    """
    y = check_series(y, horizon)
    m = season_length
    if m < 2 or y.size < m:
        return naive(y, horizon, levels=levels, nonnegative=nonnegative)
    h = np.arange(1, horizon + 1)
    last_season = y[-m:]
    mean = last_season[(h - 1) % m]
    sigma = _rms(y[m:] - y[:-m])
    return gaussian_frame(
        mean, sigma * np.sqrt((h - 1) // m + 1), levels=levels, nonnegative=nonnegative
    )


def drift(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Extend the straight line from the first to the last observation.

    Args:
        y: Regular series, oldest first; no NaN.
        horizon: Steps to forecast; at least 1.
        season_length: Unused; accepted so that every model has the same signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; mean = y_T + h * (y_T - y_1) / (T - 1), and sd at
        step h is sigma * sqrt(h * (1 + h / T)), sigma the RMS of the differences about the
        slope.
    """
    y = check_series(y, horizon)
    t = y.size
    h = np.arange(1, horizon + 1)
    slope = (y[-1] - y[0]) / (t - 1)
    sigma = _rms(np.diff(y) - slope)
    return gaussian_frame(
        y[-1] + h * slope, sigma * np.sqrt(h * (1 + h / t)), levels=levels, nonnegative=nonnegative
    )


def historic_mean(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Forecast every step as the mean of the whole history.

    Args:
        y: Regular series, oldest first; no NaN.
        horizon: Steps to forecast; at least 1.
        season_length: Unused; accepted so that every model has the same signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; sd = s * sqrt(1 + 1 / T), s the sample standard
        deviation of the history.
    """
    y = check_series(y, horizon)
    sd = float(np.std(y, ddof=1)) * np.sqrt(1 + 1 / y.size)
    return gaussian_frame(
        np.full(horizon, y.mean()), np.full(horizon, sd), levels=levels, nonnegative=nonnegative
    )
