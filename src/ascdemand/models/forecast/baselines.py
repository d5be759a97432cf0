"""Benchmark forecasts: naive, seasonal naive, drift and the historical mean.

Each is the textbook method with its textbook error variance (Hyndman & Athanasopoulos,
Forecasting: Principles and Practice, 3rd ed., section 5.5,
https://otexts.com/fpp3/prediction-intervals.html). Any other model must beat naive clearly
out of sample to be chosen.

Every method has a batched core, `_name(y, origins, horizon, season_length)`, that forecasts
from many origins at once (an origin is a training length: the forecast uses `y[:origin]`) with
cumulative sums instead of a refit per origin; the public function is the core at one origin,
the end of the series, turned into the common output frame.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ascdemand.models.forecast.intervals import (
    Levels,
    check_origins,
    check_series,
    gaussian_frame,
)

__all__ = ["drift", "historic_mean", "naive", "seasonal_naive"]

Arrays = tuple[np.ndarray, np.ndarray]


def _steps(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


def _cumulative(values: np.ndarray) -> np.ndarray:
    """Running totals with a leading 0: `out[i]` is the sum of the first `i` values."""
    return np.concatenate([[0.0], np.cumsum(values)])


def _naive(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """Last value; sd at step h = sigma * sqrt(h), sigma the RMS of the first differences of
    the training data (0 with a single point)."""
    t = check_origins(origins, y.size)
    squares = _cumulative(np.diff(y) ** 2)
    sigma = np.sqrt(np.divide(squares[t - 1], t - 1, out=np.zeros(t.size), where=t > 1))
    mean = np.repeat(y[t - 1][:, None], horizon, axis=1)
    return mean, sigma[:, None] * np.sqrt(_steps(horizon))[None, :]


def _seasonal_naive(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """Value one season earlier; sd at step h = sigma * sqrt(floor((h - 1) / m) + 1), sigma the
    RMS of the seasonal differences. Shorter than a season: naive. Exactly one season has no
    seasonal difference to measure a spread with, so it borrows naive's spread instead of
    claiming a perfect forecast."""
    t = check_origins(origins, y.size)
    m = season_length
    mean, sd = _naive(y, t, horizon, season_length)
    if m < 2:
        return mean, sd
    seasonal = t >= m
    h = np.arange(horizon)
    index = (t[seasonal] - m)[:, None] + (h % m)[None, :]
    mean[seasonal] = y[index]
    squares = _cumulative((y[m:] - y[:-m]) ** 2) if y.size > m else np.zeros(1)
    count = t[seasonal] - m
    measured = count > 0
    sigma = np.sqrt(squares[count[measured]] / count[measured])
    rows = np.flatnonzero(seasonal)[measured]
    sd[rows] = sigma[:, None] * np.sqrt(h // m + 1)[None, :]
    return mean, sd


def _drift(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """The line from the first to the last point; sd at step h = sigma * sqrt(h (1 + h / T)),
    sigma the RMS of the differences about the slope."""
    t = check_origins(origins, y.size, minimum=2)
    slope = (y[t - 1] - y[0]) / (t - 1)
    squares = _cumulative(np.diff(y) ** 2)
    # sum of (d - slope)^2 over T - 1 differences = sum d^2 - (T - 1) slope^2
    sigma = np.sqrt(np.maximum(squares[t - 1] / (t - 1) - slope**2, 0.0))
    h = _steps(horizon)[None, :]
    mean = y[t - 1][:, None] + h * slope[:, None]
    return mean, sigma[:, None] * np.sqrt(h * (1 + h / t[:, None]))


def _historic_mean(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """Mean of the history; sd = s * sqrt(1 + 1 / T), s the sample standard deviation."""
    t = check_origins(origins, y.size, minimum=2)
    centre = y - y[0]  # keeps the running sums of squares small for large levels
    total, squares = _cumulative(centre)[t], _cumulative(centre**2)[t]
    mean = total / t
    s = np.sqrt(np.maximum((squares - t * mean**2) / (t - 1), 0.0))
    sd = s * np.sqrt(1 + 1 / t)
    return (
        np.repeat((mean + y[0])[:, None], horizon, axis=1),
        np.repeat(sd[:, None], horizon, axis=1),
    )


def _at_end(core, y: np.ndarray, horizon: int, season_length: int) -> Arrays:
    mean, sd = core(y, np.array([y.size]), horizon, season_length)
    return mean[0], sd[0]


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
    mean, sd = _at_end(_naive, y, horizon, season_length)
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)


def seasonal_naive(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Forecast each step as the value one season earlier.

    With less than one full season of history it falls back to the naive forecast; with
    exactly one season (no seasonal difference to measure) it keeps the seasonal forecast but
    takes naive's spread, never a zero one.

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
    mean, sd = _at_end(_seasonal_naive, y, horizon, season_length)
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)


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
    mean, sd = _at_end(_drift, y, horizon, season_length)
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)


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
    mean, sd = _at_end(_historic_mean, y, horizon, season_length)
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)
