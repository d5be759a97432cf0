"""Rolling-origin backtest: refit every candidate at several past origins and keep its errors.

The ensemble is not refitted: at each origin it averages its members' forecasts. With `exog`,
the `arimax` candidate is scored with the regressor's realised future values, i.e. as a
forecast conditional on known discharges, which is how the scenario engine uses it.
Reference: FPP3 section 5.10, https://otexts.com/fpp3/tscv.html.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.catalogue import ARIMAX, MODELS
from ascdemand.models.forecast.ensemble import MEMBERS, combine
from ascdemand.models.forecast.intervals import check_series
from ascdemand.models.forecast.metrics import mase_scale

__all__ = ["MIN_TRAIN", "default_stride", "origin_points", "rolling_origin"]

MIN_TRAIN = 8  # the fewest training points any origin may have
# MASE is scaled by the in-sample one-step naive error (lag 1), so "MASE below 1" reads as
# "errors smaller than the typical week-to-week change"; model rankings do not depend on it.
MASE_LAG = 1


def default_stride(horizon: int) -> int:
    """Steps between origins: a third of the horizon, so windows overlap but not wholly."""
    return max(1, horizon // 3)


def origin_points(n: int, *, horizon: int, origins: int, stride: int | None = None) -> list[int]:
    """Training lengths of the backtest origins, oldest first; the newest ends `horizon`
    steps before the data do.

    Raises:
        ValueError: The series is too short for even one origin of `MIN_TRAIN` points.
    """
    stride = default_stride(horizon) if stride is None else stride
    last = n - horizon
    points = [last - i * stride for i in range(origins)]
    points = sorted(p for p in points if p >= MIN_TRAIN)
    if not points:
        raise ValueError(
            f"Too short to backtest: {n} points; need at least {MIN_TRAIN + horizon} "
            f"for a horizon of {horizon}."
        )
    return points


def rolling_origin(
    y: np.ndarray,
    *,
    horizon: int,
    origins: int,
    season_length: int,
    candidates: Sequence[str],
    nonnegative: bool = True,
    stride: int | None = None,
    exog: np.ndarray | None = None,
) -> pl.DataFrame:
    """Forecasts of every candidate from every origin, beside what actually happened.

    Args:
        y: The full series, oldest first; no NaN.
        horizon: Steps forecast from each origin.
        origins: Number of origins (fewer if the series is short).
        season_length: Steps per seasonal cycle.
        candidates: Model names from `catalogue.MODELS`, plus `arimax` when `exog` is given.
        nonnegative: Clip forecasts at zero.
        stride: Steps between origins; default a third of the horizon.
        exog: Regressor aligned with `y`, for the `arimax` candidate.

    Returns:
        Long frame `model, origin, step, actual, mean, sd, scale` where `origin` is the
        training length and `scale` the MASE denominator of that training window (the mean
        absolute one-step change).
    """
    y = check_series(y, horizon)
    unknown = set(candidates) - set(MODELS) - {ARIMAX}
    if unknown:
        raise ValueError(f"Unknown models: {sorted(unknown)}; choose from {sorted(MODELS)}.")
    if ARIMAX in candidates and exog is None:
        raise ValueError("The arimax candidate needs an exog series.")
    fitted = [c for c in candidates if c not in ("ensemble", ARIMAX)]
    if "ensemble" in candidates:
        fitted += [m for m in MEMBERS if m not in fitted]
    parts: list[pl.DataFrame] = []
    for origin in origin_points(y.size, horizon=horizon, origins=origins, stride=stride):
        train, actual = y[:origin], y[origin : origin + horizon]
        frames = {
            name: MODELS[name](train, horizon, season_length=season_length, nonnegative=nonnegative)
            for name in fitted
        }
        if "ensemble" in candidates:
            frames["ensemble"] = combine(
                [frames[m] for m in MEMBERS], levels=(), nonnegative=nonnegative
            )
        if ARIMAX in candidates:
            frames[ARIMAX] = arima(
                train,
                horizon,
                nonnegative=nonnegative,
                exog=exog[:origin],
                future_exog=exog[origin : origin + horizon],
            )
        scale = mase_scale(train, MASE_LAG)
        for name in candidates:
            parts.append(
                frames[name]
                .select("step", "mean", "sd")
                .with_columns(
                    model=pl.lit(name),
                    origin=pl.lit(origin),
                    actual=pl.Series(actual),
                    scale=pl.lit(scale),
                )
            )
    return pl.concat(parts).select("model", "origin", "step", "actual", "mean", "sd", "scale")
