"""The named candidate models, in the order ties are broken (simplest first)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.baselines import drift, historic_mean, naive, seasonal_naive
from ascdemand.models.forecast.ensemble import ensemble
from ascdemand.models.forecast.ets import ets, ets_damped
from ascdemand.models.forecast.theta import theta

ModelFn = Callable[..., pl.DataFrame]

MODELS: dict[str, ModelFn] = {
    "naive": naive,
    "seasonal_naive": seasonal_naive,
    "drift": drift,
    "mean": historic_mean,
    "ets": ets,
    "ets_damped": ets_damped,
    "theta": theta,
    "arima": arima,
    "ensemble": ensemble,
}

# Regression on discharges with ARIMA errors: a candidate only when a regressor is supplied.
ARIMAX = "arimax"

DEFAULT_CANDIDATES: tuple[str, ...] = (
    "naive",
    "seasonal_naive",
    "drift",
    "ets",
    "ets_damped",
    "theta",
    "arima",
    "ensemble",
)
