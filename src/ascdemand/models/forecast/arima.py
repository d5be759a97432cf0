"""ARIMA(1,1,1) with drift (statsmodels SARIMAX), optionally with an exogenous regressor.

A fixed, small order keeps fitting fast enough to backtest every series in seconds; the
backtest, not an information criterion, decides whether ARIMA earns its place. With `exog`
it is a regression with ARIMA errors: weekly discharges to social care can lead homecare
hours, and the scenario engine supplies assumed future discharges as `future_exog`.
Reference: FPP3 chapter 10, https://otexts.com/fpp3/regarima.html.
"""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
from statsmodels.tsa.statespace.sarimax import SARIMAX

from ascdemand.models.forecast.intervals import Levels, check_series, gaussian_frame
from ascdemand.models.forecast.threads import single_threaded_blas

__all__ = ["arima"]

ORDER = (1, 1, 1)
MAXITER = 50


def arima(
    y: np.ndarray,
    horizon: int,
    *,
    season_length: int = 52,
    levels: Levels = (80, 95),
    nonnegative: bool = True,
    exog: np.ndarray | None = None,
    future_exog: np.ndarray | None = None,
) -> pl.DataFrame:
    """ARIMA(1,1,1) with drift, or a regression on `exog` with ARIMA(1,1,1) errors.

    Args:
        y: Regular series, oldest first; no NaN; at least 6 points.
        horizon: Steps to forecast; at least 1.
        season_length: Unused (no seasonal terms); kept for the common signature.
        levels: Interval coverages in percent.
        nonnegative: Clip forecasts and bounds at zero.
        exog: Regressor aligned with `y` (same length), or None.
        future_exog: The regressor's assumed values over the horizon; required with `exog`.

    Returns:
        `step, mean, sd, lo_L, hi_L` with the state-space forecast standard errors
        (conditional on `future_exog` when given).

    Raises:
        ValueError: NaN input, or `exog`/`future_exog` missing or of the wrong length.
    """
    y = check_series(y, horizon, minimum=6)
    if (exog is None) != (future_exog is None):
        raise ValueError("Give both exog and future_exog, or neither.")
    if exog is not None:
        exog = check_series(exog, horizon)
        future_exog = check_series(future_exog, horizon, minimum=horizon)
        if exog.size != y.size or future_exog.size != horizon:
            raise ValueError("exog must match y in length and future_exog must match horizon.")
    with warnings.catch_warnings(), single_threaded_blas():
        warnings.simplefilter("ignore")
        result = SARIMAX(y, exog=exog, order=ORDER, trend="t", concentrate_scale=True).fit(
            disp=False, maxiter=MAXITER
        )
        prediction = result.get_forecast(horizon, exog=future_exog)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    sd = np.asarray(prediction.se_mean, dtype=float)
    return gaussian_frame(mean, sd, levels=levels, nonnegative=nonnegative)
