"""The named models, in the order ties are broken (simplest first), and what each may do.

A model is *choosable* when the selection may put it in naive's place; the others are
benchmarks, scored out of sample beside the choosable ones but never used for a forecast. A
*seasonal* model is choosable only with three full seasons of history. Every model has a
batched core that forecasts from many origins at once (`batch`) and a public function that
returns the common frame (`frame`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.baselines import (
    _drift,
    _historic_mean,
    _naive,
    _seasonal_naive,
    drift,
    historic_mean,
    naive,
    seasonal_naive,
)
from ascdemand.models.forecast.ensemble import ensemble
from ascdemand.models.forecast.ets import ets, ets_damped
from ascdemand.models.forecast.smoothing import _ses, _theta, ses, theta

__all__ = [
    "ARIMAX",
    "DEFAULT_CANDIDATES",
    "MODELS",
    "POOLED",
    "SEASONS_TO_CHOOSE",
    "Model",
    "label",
]

ModelFn = Callable[..., pl.DataFrame]
BatchFn = Callable[[np.ndarray, np.ndarray, int, int], tuple[np.ndarray, np.ndarray]]

SEASONS_TO_CHOOSE = 3  # full seasons a seasonal model needs before it may be chosen


def _one_at_a_time(fn: ModelFn) -> BatchFn:
    """A batched core for a model that must be refitted at every origin (statsmodels)."""

    def batch(y: np.ndarray, origins: np.ndarray, horizon: int, season_length: int):
        frames = [
            fn(y[:t], horizon, season_length=season_length, levels=(), nonnegative=False)
            for t in origins
        ]
        return (
            np.array([f["mean"].to_numpy() for f in frames]).reshape(len(frames), horizon),
            np.array([f["sd"].to_numpy() for f in frames]).reshape(len(frames), horizon),
        )

    return batch


@dataclass(frozen=True, slots=True)
class Model:
    """A model's plain-English label, its two entry points and its standing.

    `minimum` is the fewest training points it forecasts from; `seasonal` models need
    `SEASONS_TO_CHOOSE` full seasons to be choosable; `choosable` False makes it a benchmark.
    """

    label: str
    frame: ModelFn
    batch: BatchFn
    minimum: int = 2
    seasonal: bool = False
    choosable: bool = True


# Out-of-sample MASE over naive's on the tuning series (the demo built with seed 7, 16 series,
# origins 4 weeks apart; NHS weekly patients not meeting the criteria to reside, 42 care boards),
# which decided what may be chosen: drift 1.01 and 1.13, historic mean 2.71 and 1.22, ETS with
# an undamped trend 1.06 and 1.12, ARIMA with drift 1.08 and 1.38, the ensemble 0.95 and 1.06:
# benchmarks only. Simple exponential smoothing 0.98 and 0.93, Theta 0.98 and 0.98, damped ETS
# 0.97 and 0.98: choosable (damped ETS is refitted by statsmodels at every origin, 9 ms a fit,
# so it is offered on request rather than by default). Seasonal naive 2.50 on the demo, whose
# three and a half years include the pandemic: choosable only with three full seasons.
MODELS: dict[str, Model] = {
    "naive": Model("Same as last period (naive)", naive, _naive),
    "seasonal_naive": Model(
        "Same period last year (seasonal naive)", seasonal_naive, _seasonal_naive, seasonal=True
    ),
    "ses": Model("Simple exponential smoothing", ses, _ses),
    "theta": Model("Theta method", theta, _theta, minimum=4),
    "ets_damped": Model(
        "Exponential smoothing, damped trend", ets_damped, _one_at_a_time(ets_damped), 4
    ),
    "drift": Model("Straight-line drift", drift, _drift, choosable=False),
    "mean": Model("Historic average", historic_mean, _historic_mean, choosable=False),
    "ets": Model("Exponential smoothing, trend (ETS)", ets, _one_at_a_time(ets), 4, False, False),
    "arima": Model("ARIMA with drift", arima, _one_at_a_time(arima), 6, False, False),
    "ensemble": Model("Combination of models", ensemble, _one_at_a_time(ensemble), 6, False, False),
}

# Regression on discharges with ARIMA errors: a candidate only when a regressor is supplied.
ARIMAX = "arimax"
# The panel's pooled, shrunk seasonal change: a candidate only for many series of one kind.
POOLED = "pooled_seasonal"

_LABELS = {
    ARIMAX: "ARIMA with discharges as a leading indicator",
    POOLED: "Last value with half the seasonal change of all the series",
    "chosen": "The selection procedure (what the forecast uses)",
}

# Scored for every series by default: fast enough to replay at every origin (about a
# millisecond for all origins of a series), with drift and the mean as benchmarks.
DEFAULT_CANDIDATES: tuple[str, ...] = ("naive", "seasonal_naive", "ses", "theta", "drift", "mean")


def label(name: str) -> str:
    """Plain-English name of a model (or of the selection procedure, `chosen`)."""
    return MODELS[name].label if name in MODELS else _LABELS.get(name, name)
