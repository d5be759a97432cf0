"""Forecast accuracy measures: MASE, sMAPE and empirical interval coverage.

Definitions follow FPP3 section 5.8 (https://otexts.com/fpp3/accuracy.html) and the M4
competition (sMAPE in percent, 0 to 200).
"""

from __future__ import annotations

import numpy as np

__all__ = ["coverage", "mase", "mase_scale", "smape"]


def mase_scale(training: np.ndarray, season_length: int = 1) -> float:
    """The MASE denominator: mean absolute difference at lag `season_length` of the training
    data (lag 1 when the data are not longer than one season).

    Returns NaN when the training data are constant, where MASE is undefined.
    """
    training = np.asarray(training, dtype=float)
    lag = season_length if season_length >= 1 and training.size > season_length else 1
    if training.size <= lag:
        return float("nan")
    scale = float(np.mean(np.abs(training[lag:] - training[:-lag])))
    return scale if scale > 0 else float("nan")


def mase(
    actual: np.ndarray, forecast: np.ndarray, *, training: np.ndarray, season_length: int = 1
) -> float:
    """Mean absolute scaled error: forecast MAE over the in-sample (seasonal) naive MAE.

    With `season_length` 1, below 1 means errors smaller than the typical one-step change.

    Args:
        actual: Observed values over the horizon.
        forecast: Point forecasts over the same steps.
        training: The history the forecast was made from.
        season_length: Lag of the scaling differences (1: naive; m: seasonal naive).

    Returns:
        The MASE, or NaN when the training data are constant.
    """
    errors = np.abs(np.asarray(actual, dtype=float) - np.asarray(forecast, dtype=float))
    return float(np.mean(errors)) / mase_scale(training, season_length)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric mean absolute percentage error in percent: 200 * mean(|a - f| / (|a| + |f|)).

    A step where actual and forecast are both zero counts as a perfect forecast (0).
    """
    actual = np.asarray(actual, dtype=float)
    forecast = np.asarray(forecast, dtype=float)
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(
        np.abs(actual - forecast),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(200 * np.mean(ratio))


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actual values inside their interval [lower, upper], from 0 to 1."""
    actual = np.asarray(actual, dtype=float)
    inside = (actual >= np.asarray(lower, dtype=float)) & (actual <= np.asarray(upper, dtype=float))
    return float(np.mean(inside))
