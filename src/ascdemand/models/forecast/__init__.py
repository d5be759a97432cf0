"""Forecasts of weekly or monthly service demand with backtested model choice and honest
intervals.

Every model is a pure function `(y, horizon, *, season_length, levels, nonnegative)` returning
`step, mean, sd, lo_L, hi_L`; `forecast` backtests the candidates and returns the best.
"""

from ascdemand.models.forecast.catalogue import DEFAULT_CANDIDATES, MODELS
from ascdemand.models.forecast.engine import ForecastResult, forecast

__all__ = ["DEFAULT_CANDIDATES", "MODELS", "ForecastResult", "forecast"]
