"""Exponential smoothing state space models (statsmodels ETSModel): Holt's linear trend,
with and without damping.

Weekly seasonality is left out on purpose: 52 seasonal states fitted to three or four years
of weeks over-fit and are slow; seasonal naive and the pooled seasonal change carry seasonality
instead.
Reference: Hyndman & Athanasopoulos, FPP3, chapter 8, https://otexts.com/fpp3/ets.html.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from ascdemand.models.forecast.intervals import Levels, check_series, gaussian_frame
from ascdemand.models.forecast.threads import single_threaded_blas

__all__ = ["ets", "ets_damped"]

MAXITER = 100  # L-BFGS iterations; the likelihood of a 4-parameter model settles well before


def _holt(
    y: np.ndarray, horizon: int, *, damped: bool, levels: Levels, nonnegative: bool
) -> pl.DataFrame:
    y = check_series(y, horizon, minimum=4)
    with warnings.catch_warnings(), single_threaded_blas():
        warnings.simplefilter("ignore")
        result = ETSModel(
            pd.Series(y),
            error="add",
            trend="add",
            damped_trend=damped,
            initialization_method="estimated",
        ).fit(disp=False, maxiter=MAXITER)
        prediction = result.get_prediction(start=y.size, end=y.size + horizon - 1)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    sd = np.sqrt(np.asarray(prediction.forecast_variance, dtype=float))
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)


def ets(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Holt's linear trend as ETS(A,A,N): additive errors, additive trend, no season.

    Args:
        y: Regular series, oldest first; no NaN; at least 4 points.
        horizon: Steps to forecast; at least 1.
        season_length: Unused (see the module docstring); kept for the common signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L` with the model's analytic forecast variance.
    """
    return _holt(y, horizon, damped=False, levels=levels, nonnegative=nonnegative)


def ets_damped(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
) -> pl.DataFrame:
    """Damped trend ETS(A,Ad,N): the trend flattens out over the horizon.

    Damping usually forecasts service demand better than a straight trend, which
    extrapolates a recent surge for ever (FPP3 section 8.2).

    Args:
        y: Regular series, oldest first; no NaN; at least 4 points.
        horizon: Steps to forecast; at least 1.
        season_length: Unused (see the module docstring); kept for the common signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.

    Returns:
        `step, mean, sd, lo_L, hi_L` with the model's analytic forecast variance.
    """
    return _holt(y, horizon, damped=True, levels=levels, nonnegative=nonnegative)
