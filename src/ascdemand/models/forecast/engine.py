"""The forecasting facade: backtest the candidates, choose one, refit it on the whole series
and give it intervals calibrated on its backtest errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.backtest import rolling_origin
from ascdemand.models.forecast.catalogue import ARIMAX, DEFAULT_CANDIDATES, MODELS
from ascdemand.models.forecast.intervals import check_series, gaussian_frame, z_score
from ascdemand.models.forecast.select import choose, score_backtest

__all__ = ["ForecastResult", "forecast"]


@dataclass(frozen=True, slots=True)
class ForecastResult:
    """The chosen model's forecast, the backtest scores of every candidate, and the backtest.

    `forecast` has `step, mean, sd, lo_L, hi_L` with calibrated bounds; `scores` one row per
    candidate (`model, mase, smape, coverageL, coverageL_raw, stretchL`); `backtest` the
    long frame of backtest forecasts, for plots.
    """

    chosen: str
    forecast: pl.DataFrame
    scores: pl.DataFrame
    backtest: pl.DataFrame


def forecast(
    y: np.ndarray | Sequence[float],
    horizon: int = 13,
    *,
    season_length: int = 52,
    levels: tuple[int, ...] = (80, 95),
    origins: int = 6,
    candidates: Sequence[str] = DEFAULT_CANDIDATES,
    nonnegative: bool = True,
    exog: np.ndarray | None = None,
    future_exog: np.ndarray | None = None,
) -> ForecastResult:
    """Choose a model by rolling-origin backtest MASE and forecast `horizon` steps with it.

    Args:
        y: Regular weekly or monthly series, oldest first; no NaN.
        horizon: Steps to forecast, also the backtest horizon.
        season_length: Steps per seasonal cycle (52 weekly, 12 monthly).
        levels: Interval coverages in percent.
        origins: Backtest origins (fewer when the series is short).
        candidates: Model names from `catalogue.MODELS`.
        nonnegative: Clip forecasts and bounds at zero (counts and hours).
        exog: Optional regressor aligned with `y` (weekly discharges to social care); adds
            the `arimax` candidate.
        future_exog: The regressor's assumed values over the horizon; required with `exog`.

    Returns:
        The chosen model, its calibrated forecast, the score table and the backtest.

    Raises:
        ValueError: NaN input, unknown candidates, a series too short to backtest, or
            `exog` without `future_exog`.
    """
    y = check_series(y, horizon)
    if (exog is None) != (future_exog is None):
        raise ValueError("Give both exog and future_exog, or neither.")
    names = list(candidates) + ([ARIMAX] if exog is not None and ARIMAX not in candidates else [])
    backtest = rolling_origin(
        y,
        horizon=horizon,
        origins=origins,
        season_length=season_length,
        candidates=names,
        nonnegative=nonnegative,
        exog=exog,
    )
    scores = score_backtest(backtest, levels=levels)
    chosen = choose(scores)
    if chosen == ARIMAX:
        raw = arima(y, horizon, nonnegative=nonnegative, exog=exog, future_exog=future_exog)
    else:
        raw = MODELS[chosen](y, horizon, season_length=season_length, nonnegative=nonnegative)
    row = scores.row(by_predicate=pl.col("model") == chosen, named=True)
    sd = raw["sd"].to_numpy()
    half_widths = {level: row[f"stretch{level}"] * z_score(level) * sd for level in levels}
    frame = gaussian_frame(
        raw["mean"].to_numpy(),
        sd,
        levels=levels,
        nonnegative=nonnegative,
        half_widths=half_widths,
    )
    return ForecastResult(chosen=chosen, forecast=frame, scores=scores, backtest=backtest)
