"""The Theta method (statsmodels ThetaModel): simple exponential smoothing plus half the
long-run linear trend, on seasonally adjusted data when there are two full seasons.

It won the M3 competition and is cheap to fit. Reference: Hyndman & Billah (2003), "Unmasking
the Theta method", International Journal of Forecasting 19(2).
"""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
from statsmodels.tsa.forecasting.theta import ThetaModel

from ascdemand.models.forecast.intervals import Levels, check_series, gaussian_frame, z_score
from ascdemand.models.forecast.threads import single_threaded_blas

__all__ = ["theta"]


def theta(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Forecast with the Theta method, deseasonalising when there are two full seasons.

    A constant history forecasts that constant with zero spread: statsmodels' ThetaModel
    returns a drifting line for a flat series (its smoothing weight is not identified).

    Args:
        y: Regular series, oldest first; no NaN; at least 4 points.
        horizon: Steps to forecast; at least 1.
        season_length: Steps per seasonal cycle (52 for weeks, 12 for months).
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L`; sd is read back from statsmodels' 80% interval.
    """
    y = check_series(y, horizon, minimum=4)
    if np.ptp(y) == 0:
        zeros = np.zeros(horizon)
        return gaussian_frame(zeros + y[0], zeros, levels=levels, nonnegative=nonnegative)
    seasonal = season_length >= 2 and y.size >= 2 * season_length
    with warnings.catch_warnings(), single_threaded_blas():
        warnings.simplefilter("ignore")
        result = ThetaModel(
            y, period=season_length if seasonal else 1, deseasonalize=seasonal
        ).fit()
        mean = np.asarray(result.forecast(horizon), dtype=float)
        bounds = result.prediction_intervals(horizon, alpha=0.2)
    width = np.asarray(bounds["upper"], dtype=float) - np.asarray(bounds["lower"], dtype=float)
    sd = width / (2 * z_score(80))
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)
