"""Forecasts of weekly or monthly service demand, judged out of sample, with honest intervals.

Every model has a batched core `(y, origins, horizon, season_length)` and a public function
`(y, horizon, *, season_length, levels, nonnegative)` returning `step, mean, sd, lo_L, hi_L`.
`forecast` forecasts every candidate from every past origin, replays the choice at each origin
with only the data before it (nested evaluation), and forecasts with the model the rule picks;
`forecast_panel` does the same for many series of one kind, pooling what can be pooled.
"""

from ascdemand.models.forecast.catalogue import DEFAULT_CANDIDATES, MODELS
from ascdemand.models.forecast.engine import ForecastResult, forecast, forecast_panel

__all__ = ["DEFAULT_CANDIDATES", "MODELS", "ForecastResult", "forecast", "forecast_panel"]
