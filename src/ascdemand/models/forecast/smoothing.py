"""Simple exponential smoothing and the Theta method, in numpy.

Simple exponential smoothing (ETS(A,N,N)) forecasts a flat line at a weighted average of the
past, recent weeks weighted most: between naive (weight 1 on the last value) and the mean. The
smoothing weight alpha minimises the one-step squared error over a grid of 50 values (0.02 to
1), with the first value as the starting level. Scanning the grid along the series once gives
the fit at every origin, so backtesting a hundred origins costs about as much as one fit.

The Theta method is simple exponential smoothing plus half the slope of the least-squares line
through the history (Hyndman & Billah 2003, "Unmasking the Theta method", International
Journal of Forecasting 19(2), the form statsmodels' ThetaModel uses without deseasonalising).
References: FPP3 section 8.1, https://otexts.com/fpp3/ses.html; table 8.8 for the variance.
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

__all__ = ["ALPHAS", "ses", "theta"]

ALPHAS = np.round(np.arange(1, 51) / 50, 2)  # 0.02, 0.04, ..., 1.0

Arrays = tuple[np.ndarray, np.ndarray]


def _ses_fits(y: np.ndarray, origins: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alpha, final level and one-step RMS error of the best grid fit at every origin.

    One pass along the series keeps, for every alpha on the grid, the level after each point
    and the running sum of squared one-step errors; at origin T the best alpha is the one with
    the smallest sum over the first T points (the smallest alpha on a tie).
    """
    t = check_origins(origins, y.size)
    end = int(t.max())
    levels = np.empty((end, ALPHAS.size))
    totals = np.empty((end, ALPHAS.size))
    level = np.full(ALPHAS.size, y[0])
    total = np.zeros(ALPHAS.size)
    levels[0], totals[0] = level, total
    for i in range(1, end):
        error = y[i] - level
        total = total + error * error
        level = level + ALPHAS * error
        levels[i], totals[i] = level, total
    best = np.argmin(totals[t - 1], axis=1)
    sse = totals[t - 1, best]
    sigma = np.sqrt(np.divide(sse, t - 1, out=np.zeros(t.size), where=t > 1))
    return ALPHAS[best], levels[t - 1, best], sigma


def _ses_sd(alpha: np.ndarray, sigma: np.ndarray, horizon: int) -> np.ndarray:
    """ETS(A,N,N) forecast sd: sigma * sqrt(1 + (h - 1) alpha^2) (FPP3 table 8.8)."""
    h = np.arange(horizon)[None, :]
    return sigma[:, None] * np.sqrt(1 + h * alpha[:, None] ** 2)


def _ses(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """Flat forecast at the smoothed level, at every origin."""
    alpha, level, sigma = _ses_fits(y, origins)
    return np.repeat(level[:, None], horizon, axis=1), _ses_sd(alpha, sigma, horizon)


def _theta(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int) -> Arrays:
    """SES plus half the least-squares slope b: b/2 * (h - 1 + 1/alpha - (1 - alpha)^T/alpha)."""
    t = check_origins(origins, y.size, minimum=2)
    alpha, level, sigma = _ses_fits(y, t)
    index = np.arange(y.size, dtype=float)
    centre = y - y[0]
    sum_y = np.concatenate([[0.0], np.cumsum(centre)])[t]
    sum_iy = np.concatenate([[0.0], np.cumsum(index * centre)])[t]
    n = t.astype(float)
    sum_i, sum_ii = n * (n - 1) / 2, (n - 1) * n * (2 * n - 1) / 6
    slope = (n * sum_iy - sum_i * sum_y) / (n * sum_ii - sum_i**2)
    h = np.arange(horizon)[None, :]
    a = alpha[:, None]
    trend = slope[:, None] / 2 * (h + 1 / a - (1 - a) ** n[:, None] / a)
    return level[:, None] + trend, _ses_sd(alpha, sigma, horizon)


def ses(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Simple exponential smoothing: a flat forecast at the exponentially weighted level.

    Args:
        y: Regular series, oldest first; no NaN.
        horizon: Steps to forecast; at least 1.
        season_length: Unused; accepted so that every model has the same signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; sd at step h is sigma * sqrt(1 + (h - 1) alpha^2),
        sigma the RMS one-step error of the fit.
    """
    y = check_series(y, horizon)
    mean, sd = _ses(y, np.array([y.size]), horizon, season_length)
    return gaussian_frame(mean[0], sd[0], levels=levels, nonnegative=nonnegative)


def theta(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """The Theta method: simple exponential smoothing plus half the linear trend.

    Seasonality is left to the seasonal candidates; a constant history forecasts the constant.

    Args:
        y: Regular series, oldest first; no NaN; at least 4 points.
        horizon: Steps to forecast; at least 1.
        season_length: Unused; accepted so that every model has the same signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; the SES forecast variance.
    """
    y = check_series(y, horizon, minimum=4)
    mean, sd = _theta(y, np.array([y.size]), horizon, season_length)
    return gaussian_frame(mean[0], sd[0], levels=levels, nonnegative=nonnegative)
